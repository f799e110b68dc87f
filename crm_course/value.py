"""Customer value (客户价值): lifetime value, retention economics, lifecycle, word of mouth.

Book sections 1.1 and 1.4. Timing convention, stated once for the whole module: with
``timing="end"`` (the default) a customer who is kept pays the period's margin at the
*end* of each period, so the first margin arrives after one period of survival and is
discounted once; with ``timing="start"`` the first margin is paid today, undiscounted.

>>> round(margin_multiple(0.8, 0.12), 2)
2.5
>>> round(clv(100, 0.8, 0.12), 2)
250.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .inputs import (
    require_columns,
    require_complete,
    require_dates,
    require_frame,
    require_nonnegative_column,
    require_number,
    require_unique,
)

TIMINGS = ("end", "start")


def _check_rates(retention, discount, timing, func):
    r = require_number(retention, "retention", func, low=0, high=1, high_open=True)
    i = require_number(discount, "discount", func, low=0)
    if timing not in TIMINGS:
        raise ValueError(f"{func}(): timing must be 'end' or 'start'; it was given {timing!r}.")
    return r, i


def margin_multiple(retention: float, discount: float, timing: str = "end") -> float:
    """How many periods' margins a new customer is worth today (the margin multiple).

    End-of-period margins give r / (1 + i - r); start-of-period margins give
    (1 + i) / (1 + i - r), one margin more discounted by nothing.

    >>> round(margin_multiple(0.8, 0.12), 2)
    2.5
    >>> round(margin_multiple(0.8, 0.12, timing="start"), 2)
    3.5
    """
    r, i = _check_rates(retention, discount, timing, "margin_multiple")
    return r / (1 + i - r) if timing == "end" else (1 + i) / (1 + i - r)


def clv_table(margin: float, retention: float, discount: float, horizon: int = 10,
              timing: str = "end") -> pd.DataFrame:
    """Period-by-period build-up of a customer's lifetime value (客户终生价值).

    Each row is one period: the chance the customer is still with us, the discount
    factor, and the expected present value of that period's margin.

    >>> clv_table(100, 0.5, 0.0, horizon=2)
       period  survival  discount_factor  expected_margin  present_value  cumulative_clv
    0       1      0.50              1.0             50.0           50.0            50.0
    1       2      0.25              1.0             25.0           25.0            75.0
    """
    func = "clv_table"
    m = require_number(margin, "margin", func)
    r, i = _check_rates(retention, discount, timing, func)
    h = int(require_number(horizon, "horizon", func, low=1))
    if h != horizon:
        raise ValueError(f"{func}(): horizon must be a whole number of periods; it was {horizon}.")
    periods = np.arange(1, h + 1)
    exponent = periods if timing == "end" else periods - 1
    survival = r**exponent
    factor = (1 + i) ** -exponent.astype(float)
    pv = m * survival * factor
    return pd.DataFrame({
        "period": periods,
        "survival": survival,
        "discount_factor": factor,
        "expected_margin": m * survival,
        "present_value": pv,
        "cumulative_clv": np.cumsum(pv),
    })


def clv(margin: float, retention: float, discount: float, horizon: int | None = None,
        timing: str = "end", acquisition_cost: float = 0.0) -> float:
    """Customer lifetime value as discounted expected margin, less what it cost to win.

    ``horizon=None`` sums over an unlimited lifetime (margin × margin multiple); a whole
    number sums that many periods.

    >>> round(clv(100, 0.8, 0.12), 2)            # 100 × 2.5
    250.0
    >>> round(clv(100, 0.5, 0.0, horizon=2), 2)  # 100×0.5 + 100×0.25
    75.0
    >>> round(clv(100, 0.8, 0.12, acquisition_cost=60), 2)
    190.0
    """
    func = "clv"
    require_number(margin, "margin", func)
    cost = require_number(acquisition_cost, "acquisition_cost", func, low=0)
    if horizon is None:
        value = margin * margin_multiple(retention, discount, timing)
    else:
        value = float(clv_table(margin, retention, discount, horizon, timing)
                      ["present_value"].sum())
    return value - cost


def retention_economics(margin: float, retention: float, discount: float,
                        changes=(-0.10, -0.05, 0.0, 0.05, 0.10), horizon: int | None = None,
                        acquisition_cost: float = 0.0, timing: str = "end") -> pd.DataFrame:
    """What a few points of retention (客户保持率) do to the value of a customer.

    Returns one row per retention scenario (today's rate plus each change) with the
    lifetime value, the profit per acquired customer after acquisition cost, and the
    change in that profit against today.

    >>> retention_economics(100, 0.8, 0.12, changes=(0.0, 0.05))[["retention", "clv"]]  # 85/0.27
       retention         clv
    0       0.80  250.000000
    1       0.85  314.814815
    """
    func = "retention_economics"
    base = clv(margin, retention, discount, horizon, timing)
    rows = []
    for change in changes:
        rate = require_number(retention + change, "retention + change", func,
                              low=0, high=1, high_open=True)
        value = clv(margin, rate, discount, horizon, timing)
        profit = value - acquisition_cost
        rows.append({
            "retention": round(rate, 10),
            "clv": value,
            "profit_per_customer": profit,
            "profit_change_pct": 100 * (profit / (base - acquisition_cost) - 1)
            if base != acquisition_cost else np.nan,
        })
    return pd.DataFrame(rows)


def lifecycle_curve(transactions: pd.DataFrame, customers: pd.DataFrame, *,
                    customer: str = "customer_id", date: str = "date",
                    amount: str = "amount", acquired: str = "acquired") -> pd.DataFrame:
    """Average basket and orders by months of tenure (客户生命周期).

    Tenure month 0 is the month a customer was acquired. For each tenure month the table
    gives the customers who bought, their orders, and spend per order and per buyer.

    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 30.0, 20.0],
    ...                    "date": ["2024-01-05", "2024-02-10", "2024-01-20"]})
    >>> cu = pd.DataFrame({"customer_id": [1, 2], "acquired": ["2024-01-01", "2024-01-15"]})
    >>> lifecycle_curve(tx, cu)
       tenure_month  buyers  orders  spend  spend_per_order  spend_per_buyer
    0             0       2       2   30.0             15.0             15.0
    1             1       1       1   30.0             30.0             30.0
    """
    func = "lifecycle_curve"
    require_frame(transactions, func)
    require_frame(customers, func)
    require_columns(transactions, [customer, date, amount], func)
    require_columns(customers, [customer, acquired], func)
    require_complete(transactions, [customer, date, amount], func)
    require_nonnegative_column(transactions, amount, func)
    require_unique(customers, customer, func)
    start = pd.Series(require_dates(customers, acquired, func).values, index=customers[customer])
    when = require_dates(transactions, date, func)
    first = transactions[customer].map(start)
    if first.isna().any():
        raise ValueError(f"{func}(): {int(first.isna().sum())} transaction(s) belong to "
                         f"customers missing from the customer table; check '{customer}'.")
    months = (when.dt.year - first.dt.year) * 12 + (when.dt.month - first.dt.month)
    if (months < 0).any():
        raise ValueError(f"{func}(): {int((months < 0).sum())} transaction(s) are dated before "
                         "the customer was acquired; fix the dates or the acquisition column.")
    frame = pd.DataFrame({"tenure_month": months, "customer": transactions[customer],
                          "amount": transactions[amount].astype(float)})
    out = frame.groupby("tenure_month").agg(
        buyers=("customer", "nunique"), orders=("amount", "size"), spend=("amount", "sum"))
    out["spend_per_order"] = out["spend"] / out["orders"]
    out["spend_per_buyer"] = out["spend"] / out["buyers"]
    return out.reset_index()


STAGES = ("exploration", "formation", "stability", "decline")
STAGE_NAMES_ZH = {"exploration": "考察期", "formation": "形成期",
                  "stability": "稳定期", "decline": "退化期"}


def lifecycle_stages(curve: pd.DataFrame, column: str = "spend_per_order", *,
                     window: int = 3, low: float = 0.5, high: float = 0.9) -> pd.DataFrame:
    """Label each tenure month with its lifecycle stage, read off a smoothed curve.

    The curve is smoothed with a centred rolling mean of ``window`` months and compared
    with its peak: before the curve first reaches ``high`` × peak it is *exploration*
    while below ``low`` × peak and *formation* above; it is *stability* from there until
    it falls back below ``high`` × peak, and *decline* after.

    >>> c = pd.DataFrame({"tenure_month": range(6), "spend_per_order": [1, 1, 6, 10, 10, 5]})
    >>> lifecycle_stages(c, window=1)["stage"].tolist()
    ['exploration', 'exploration', 'formation', 'stability', 'stability', 'decline']
    """
    func = "lifecycle_stages"
    require_frame(curve, func)
    require_columns(curve, ["tenure_month", column], func)
    require_number(low, "low", func, low=0, high=1)
    require_number(high, "high", func, low=low, high=1)
    ordered = curve.sort_values("tenure_month").reset_index(drop=True)
    smooth = ordered[column].astype(float).rolling(window, center=True, min_periods=1).mean()
    peak = smooth.max()
    reached = (smooth >= high * peak).to_numpy()
    first_high = int(np.argmax(reached))
    stage = np.where(smooth < low * peak, "exploration", "formation").astype(object)
    stage[first_high:] = "stability"
    after = np.arange(len(stage)) > first_high
    dropped = np.maximum.accumulate(after & ~reached)
    stage[dropped] = "decline"
    ordered = ordered.assign(smoothed=smooth, stage=stage)
    ordered["stage_zh"] = ordered["stage"].map(STAGE_NAMES_ZH)
    return ordered


def word_of_mouth_value(customers: pd.DataFrame, *, value: str = "value",
                        referred_by: str = "referred_by",
                        customer: str = "customer_id") -> pd.DataFrame:
    """The value a customer brings in through referrals (口碑价值).

    Each customer row names who referred it (empty when nobody did). A referrer's
    word-of-mouth value is the total value of the customers it brought in.

    >>> cu = pd.DataFrame({"customer_id": [1, 2, 3, 4], "value": [50.0, 20.0, 30.0, 10.0],
    ...                    "referred_by": [None, 1, 1, 2]})
    >>> word_of_mouth_value(cu)
       customer_id  own_value  referrals  referred_value  total_value
    0            1       50.0          2            50.0        100.0
    1            2       20.0          1            10.0         30.0
    2            3       30.0          0             0.0         30.0
    3            4       10.0          0             0.0         10.0
    """
    func = "word_of_mouth_value"
    require_frame(customers, func)
    require_columns(customers, [customer, value, referred_by], func)
    require_complete(customers, [customer, value], func)
    require_unique(customers, customer, func)
    refs = customers[customers[referred_by].notna()]
    unknown = ~refs[referred_by].isin(customers[customer])
    if unknown.any():
        raise ValueError(f"{func}(): {int(unknown.sum())} customer(s) were referred by an id "
                         f"not in '{customer}', e.g. {refs[referred_by][unknown].iloc[0]!r}.")
    by = refs.groupby(referred_by)[value].agg(["size", "sum"])
    out = pd.DataFrame({customer: customers[customer].to_numpy(),
                        "own_value": customers[value].astype(float).to_numpy()})
    out["referrals"] = out[customer].map(by["size"]).fillna(0).astype(int)
    out["referred_value"] = out[customer].map(by["sum"]).fillna(0.0).astype(float)
    out["total_value"] = out["own_value"] + out["referred_value"]
    return out


def delivered_value(frame: pd.DataFrame, value_columns, cost_columns) -> pd.DataFrame:
    """Customer delivered value (客户让渡价值): total customer value minus total cost.

    ``value_columns`` are the benefits a customer perceives (product, service, personnel,
    image); ``cost_columns`` what it costs them (money, time, energy, psychic cost).

    >>> offers = pd.DataFrame({"product": [8, 6], "service": [3, 4], "price": [5, 3],
    ...                        "time": [1, 2]}, index=["A", "B"])
    >>> delivered_value(offers, ["product", "service"], ["price", "time"])
       total_value  total_cost  delivered_value  value_ratio
    A           11           6                5     1.833333
    B           10           5                5     2.000000
    """
    func = "delivered_value"
    value_columns, cost_columns = list(value_columns), list(cost_columns)
    if not value_columns or not cost_columns:
        raise ValueError(f"{func}() needs at least one value column and one cost column.")
    require_frame(frame, func)
    require_columns(frame, value_columns + cost_columns, func)
    require_complete(frame, value_columns + cost_columns, func)
    for column in value_columns + cost_columns:
        require_nonnegative_column(frame, column, func)
    out = pd.DataFrame(index=frame.index)
    out["total_value"] = frame[value_columns].sum(axis=1)
    out["total_cost"] = frame[cost_columns].sum(axis=1)
    out["delivered_value"] = out["total_value"] - out["total_cost"]
    out["value_ratio"] = out["total_value"] / out["total_cost"].replace(0, np.nan)
    return out
