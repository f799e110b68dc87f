"""Customer loyalty (客户忠诚): measuring it, and judging a loyalty programme honestly.

Book chapter 9. A loyalty programme is joined mostly by customers who were loyal
already, so comparing members with non-members mixes the programme's effect with that
self-selection (自选择偏差). :func:`programme_effect` puts the naive comparison beside
an estimate that uses each group's behaviour *before* the programme.
"""

from __future__ import annotations

import pandas as pd

from .inputs import require_columns, require_complete, require_dates, require_frame


def period_rates(events: pd.DataFrame, customers: pd.DataFrame, periods: dict, *,
                 customer: str = "customer_id", date: str = "date") -> pd.DataFrame:
    """Events per week for every customer in each named period (zero if none).

    ``periods`` maps a name to ``(first_day, last_day)``, both included.

    >>> ev = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                    "date": ["2024-01-01", "2024-01-10", "2024-01-03"]})
    >>> cu = pd.DataFrame({"customer_id": ["a", "b", "c"]})
    >>> period_rates(ev, cu, {"jan": ("2024-01-01", "2024-01-14")})
      customer_id  jan
    0           a  1.0
    1           b  0.5
    2           c  0.0
    """
    func = "period_rates"
    require_frame(events, func, allow_empty=True)
    require_frame(customers, func)
    require_columns(events, [customer, date], func)
    require_columns(customers, [customer], func)
    if not periods:
        raise ValueError(f"{func}() needs at least one period, e.g. "
                         "{'before': ('2023-01-01', '2023-12-31')}.")
    when = require_dates(events, date, func)
    out = pd.DataFrame({customer: customers[customer].to_numpy()})
    for name, (first, last) in periods.items():
        first, last = pd.Timestamp(first), pd.Timestamp(last)
        if last < first:
            raise ValueError(f"{func}(): period {name!r} ends before it starts.")
        weeks = ((last - first).days + 1) / 7
        inside = events.loc[(when >= first) & (when <= last), customer]
        out[name] = out[customer].map(inside.value_counts()).fillna(0).to_numpy() / weeks
    return out


def programme_effect(frame: pd.DataFrame, *, member: str = "member", before: str = "before",
                     after: str = "after") -> pd.DataFrame:
    """Naive and difference-in-differences estimates of a loyalty programme's effect.

    Both are relative uplifts for members (0.12 = members do 12 % more because of the
    programme) on a behaviour rate such as visits per week:

    - **naive**: members' rate after launch over non-members', minus one. It mixes the
      programme's effect with who chose to join.
    - **difference-in-differences** (双重差分): how much more members' rate grew from
      before launch to after than non-members' rate did (a ratio of ratios, minus one).
      It removes any difference between the groups that was there before launch.

    >>> f = pd.DataFrame({"member": [True, True, False, False],
    ...                   "before": [4.0, 2.0, 1.0, 1.0], "after": [4.4, 2.2, 1.0, 1.0]})
    >>> programme_effect(f).round(3)
                               uplift
    estimate
    naive                         2.3
    difference-in-differences     0.1
    """
    func = "programme_effect"
    require_frame(frame, func)
    require_columns(frame, [member, before, after], func)
    require_complete(frame, [member, before, after], func)
    joined = frame[member].astype(bool)
    if joined.all() or not joined.any():
        raise ValueError(f"{func}() needs both members and non-members in '{member}'.")
    if (frame[[before, after]] < 0).any().any():
        raise ValueError(f"{func}(): rates in '{before}' and '{after}' cannot be negative.")
    m, n = frame.loc[joined, [before, after]].mean(), frame.loc[~joined, [before, after]].mean()
    if (m == 0).any() or (n == 0).any():
        raise ValueError(f"{func}(): a group has a zero average rate; the ratios are undefined.")
    naive = m[after] / n[after] - 1
    did = (m[after] / m[before]) / (n[after] / n[before]) - 1
    return pd.DataFrame({"uplift": [naive, did]},
                        index=pd.Index(["naive", "difference-in-differences"], name="estimate"))
