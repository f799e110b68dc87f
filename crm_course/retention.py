"""Keeping customers (客户保持): loyalty matrix, satisfaction and retention, cohorts.

Book chapter 9. Loyalty has two faces: what customers *do* (behavioural loyalty, 行为忠诚:
repeat buying, share of wallet) and what they *feel* (attitudinal loyalty, 态度忠诚:
preference, intention to come back). Crossing the two gives the loyalty matrix
(忠诚矩阵): true loyalty (真正忠诚), latent loyalty (潜在忠诚: likes us but buys
little), spurious loyalty (虚假忠诚: buys out of habit or convenience, would leave for
a better offer) and no loyalty (不忠诚).

>>> f = pd.DataFrame({"attitude": [6, 6, 2, 2], "share_of_wallet": [0.8, 0.1, 0.9, 0.1]})
>>> loyalty_segments(f, attitude_cut=5, behaviour_cut=0.5).tolist()
['true', 'latent', 'spurious', 'none']
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
)

SEGMENTS = ("true", "latent", "spurious", "none")
SEGMENT_NAMES_ZH = {"true": "真正忠诚", "latent": "潜在忠诚", "spurious": "虚假忠诚",
                    "none": "不忠诚"}


def _cut(values, cut, name, func):
    if cut is None:
        return float(values.median())
    return require_number(cut, name, func)


def loyalty_segments(frame: pd.DataFrame, *, attitude: str = "attitude",
                     behaviour: str = "share_of_wallet", attitude_cut: float | None = None,
                     behaviour_cut: float | None = None) -> pd.Series:
    """Each customer's cell of the loyalty matrix: 'true', 'latent', 'spurious' or 'none'.

    A value at or above the cut counts as high; a cut left as ``None`` is the median.
    """
    func = "loyalty_segments"
    require_frame(frame, func)
    require_columns(frame, [attitude, behaviour], func)
    require_complete(frame, [attitude, behaviour], func)
    att = pd.to_numeric(frame[attitude], errors="coerce")
    beh = pd.to_numeric(frame[behaviour], errors="coerce")
    if att.isna().any() or beh.isna().any():
        raise TypeError(f"{func}(): '{attitude}' and '{behaviour}' must be numeric scores.")
    high_att = att >= _cut(att, attitude_cut, "attitude_cut", func)
    high_beh = beh >= _cut(beh, behaviour_cut, "behaviour_cut", func)
    seg = np.select([high_att & high_beh, high_att, high_beh], ["true", "latent", "spurious"],
                    "none")
    return pd.Series(pd.Categorical(seg, categories=SEGMENTS), index=frame.index,
                     name="loyalty_segment")


def loyalty_matrix(frame: pd.DataFrame, *, attitude: str = "attitude",
                   behaviour: str = "share_of_wallet", attitude_cut: float | None = None,
                   behaviour_cut: float | None = None) -> pd.DataFrame:
    """Share of customers in each cell of the 2 x 2 loyalty matrix (忠诚矩阵).

    Rows are attitude (high, low), columns behaviour (high, low); each cell is labelled
    by the segment it holds in :data:`SEGMENT_NAMES_ZH` and the shares add up to 1.

    >>> f = pd.DataFrame({"attitude": [6, 6, 6, 2], "share_of_wallet": [0.8, 0.9, 0.1, 0.1]})
    >>> loyalty_matrix(f, attitude_cut=5, behaviour_cut=0.5)
    behaviour                   high               low
    attitude
    high        true 真正忠诚: 0.500  latent 潜在忠诚: 0.250
    low     spurious 虚假忠诚: 0.000    none 不忠诚: 0.250
    """
    seg = loyalty_segments(frame, attitude=attitude, behaviour=behaviour,
                           attitude_cut=attitude_cut, behaviour_cut=behaviour_cut)
    share = seg.value_counts(normalize=True).reindex(list(SEGMENTS), fill_value=0.0)
    cells = {k: f"{k} {SEGMENT_NAMES_ZH[k]}: {share[k]:.3f}" for k in SEGMENTS}
    out = pd.DataFrame({"high": [cells["true"], cells["spurious"]],
                        "low": [cells["latent"], cells["none"]]},
                       index=pd.Index(["high", "low"], name="attitude"))
    out.columns.name = "behaviour"
    return out


def segment_shares(frame: pd.DataFrame, **kwargs) -> pd.Series:
    """Share of customers in each loyalty segment, as numbers (same keywords as above).

    >>> f = pd.DataFrame({"attitude": [6, 6, 6, 2], "share_of_wallet": [0.8, 0.9, 0.1, 0.1]})
    >>> segment_shares(f, attitude_cut=5, behaviour_cut=0.5).tolist()
    [0.5, 0.25, 0.0, 0.25]
    """
    seg = loyalty_segments(frame, **kwargs)
    return seg.value_counts(normalize=True).reindex(list(SEGMENTS), fill_value=0.0).rename(
        "share")


def satisfaction_loyalty_curve(frame: pd.DataFrame, *, satisfaction: str = "satisfaction",
                               retained: str = "retained") -> pd.DataFrame:
    """Retention rate at each satisfaction score (满意度与忠诚度的关系).

    One row per score: how many customers gave it, the share of them retained, and a
    95 % margin of error for that share (1.96 standard errors). The classic finding is
    a curve that stays flat and low until the top score, where it jumps: only the very
    satisfied (非常满意) reliably stay.

    >>> f = pd.DataFrame({"satisfaction": [1, 1, 5, 5], "retained": [False, True, True, True]})
    >>> satisfaction_loyalty_curve(f)
                  customers  retained  retention_rate  margin_of_error
    satisfaction
    1                     2         1             0.5             0.69
    5                     2         2             1.0             0.00
    """
    func = "satisfaction_loyalty_curve"
    require_frame(frame, func)
    require_columns(frame, [satisfaction, retained], func)
    require_complete(frame, [satisfaction, retained], func)
    kept = frame[retained]
    if not set(pd.unique(kept)) <= {True, False}:  # 1 == True, 0 == False
        raise ValueError(f"{func}(): '{retained}' must be True/False (or 1/0) per customer.")
    g = kept.astype(bool).groupby(frame[satisfaction])
    out = pd.DataFrame({"customers": g.size(), "retained": g.sum().astype(int)})
    out["retention_rate"] = out["retained"] / out["customers"]
    p = out["retention_rate"]
    out["margin_of_error"] = (1.96 * np.sqrt(p * (1 - p) / out["customers"])).round(2)
    out.index.name = satisfaction
    return out


def retained_after(transactions: pd.DataFrame, customers: pd.DataFrame, *, months: int = 12,
                   customer: str = "customer_id", date: str = "date",
                   acquired: str = "acquired") -> pd.Series:
    """Whether each customer bought again at least ``months`` months after acquisition.

    A simple behavioural definition of "retained" for a business without contracts.
    Customers with no purchase at all in ``transactions`` count as not retained.

    >>> cu = pd.DataFrame({"customer_id": ["a", "b"], "acquired": ["2024-01-10", "2024-01-10"]})
    >>> tx = pd.DataFrame({"customer_id": ["a", "b"], "date": ["2025-02-01", "2024-06-01"]})
    >>> retained_after(tx, cu).tolist()
    [True, False]
    """
    func = "retained_after"
    require_frame(transactions, func)
    require_frame(customers, func)
    require_columns(transactions, [customer, date], func)
    require_columns(customers, [customer, acquired], func)
    m = require_number(months, "months", func, low=0)
    when = require_dates(transactions, date, func)
    start = require_dates(customers, acquired, func)
    last = when.groupby(transactions[customer].to_numpy()).max()
    last = customers[customer].map(last)
    cutoff = start + pd.DateOffset(months=int(m))
    return pd.Series((last >= cutoff).fillna(False).to_numpy(dtype=bool), index=customers.index,
                     name=f"retained_{int(m)}m")


def cohort_retention(transactions: pd.DataFrame, *, customer: str = "customer_id",
                     date: str = "date", period: str = "M", share: bool = True) -> pd.DataFrame:
    """Cohort retention table (同期群留存表): who is still buying, by acquisition cohort.

    Each customer belongs to the cohort of their first purchase's month (``period="M"``)
    or quarter (``"Q"``). Row = cohort, column = periods since acquisition (0 = the
    acquisition period), value = share of the cohort with a purchase in that period
    (or the count, with ``share=False``). Cells a cohort has not reached yet are empty.

    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "c"],
    ...                    "date": ["2024-01-05", "2024-02-07", "2024-01-20", "2024-02-02",
    ...                             "2024-03-01"]})
    >>> cohort_retention(tx)
    periods_since  0    1    2
    cohort
    2024-01        1.0  0.5  0.0
    2024-02        1.0  1.0  NaN
    """
    func = "cohort_retention"
    require_frame(transactions, func)
    require_columns(transactions, [customer, date], func)
    require_complete(transactions, [customer, date], func)
    if period not in ("M", "Q"):
        raise ValueError(f"{func}(): period must be 'M' (months) or 'Q' (quarters); "
                         f"it was given {period!r}.")
    periods = require_dates(transactions, date, func).dt.to_period(period)
    frame = pd.DataFrame({"c": transactions[customer].to_numpy(),
                          "p": periods.array.asi8})           # period numbers (ordinals)
    frame["cohort"] = frame.groupby("c")["p"].transform("min")
    frame["k"] = frame["p"] - frame["cohort"]
    active = frame.drop_duplicates(["c", "k"]).groupby(["cohort", "k"]).size().unstack()
    last = frame["p"].max()
    active = active.reindex(columns=range(last - active.index.min() + 1))
    sizes = frame.drop_duplicates("c").groupby("cohort").size()
    reached = (active.index.to_numpy()[:, None] + active.columns.to_numpy()[None, :]) <= last
    table = active.fillna(0).where(reached)
    if share:
        table = table.div(sizes, axis=0)
    table.index = [str(pd.Period(ordinal=int(o), freq=period)) for o in table.index]
    table.index = table.index.astype(str)
    table.index.name = "cohort"
    table.columns.name = "periods_since"
    return table


def repeat_purchase_rate(transactions: pd.DataFrame, *, customer: str = "customer_id",
                         date: str = "date", within_days: int | None = None) -> float:
    """Share of customers who came back for a second purchase (重复购买率).

    A repeat is a purchase on a later day than the first one; with ``within_days`` it
    must come within that many days of the first purchase (so that recent customers,
    who have had less time, can be compared fairly, restrict to those acquired at least
    ``within_days`` before the data end).

    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c"],
    ...                    "date": ["2024-01-01", "2024-03-01", "2024-01-01", "2024-01-01",
    ...                             "2024-02-01"]})
    >>> round(repeat_purchase_rate(tx), 3), repeat_purchase_rate(tx, within_days=30)
    (0.333, 0.0)
    """
    func = "repeat_purchase_rate"
    require_frame(transactions, func)
    require_columns(transactions, [customer, date], func)
    require_complete(transactions, [customer, date], func)
    when = require_dates(transactions, date, func).dt.normalize()
    first = when.groupby(transactions[customer].to_numpy()).transform("min")
    gap = (when - first).dt.days
    if within_days is None:
        again = gap > 0
    else:
        w = require_number(within_days, "within_days", func, low=1)
        again = (gap > 0) & (gap <= w)
    back = again.groupby(transactions[customer].to_numpy()).any()
    return float(back.mean())


def share_of_wallet(frame: pd.DataFrame, *, our_spend: str = "our_spend",
                    category_spend: str = "category_spend") -> pd.Series:
    """Share of wallet (钱包份额): our spend over the customer's spend in the category.

    Both columns must cover the same period. A share above 1 means the customer spent
    more with us than they reported for the whole category; it is capped at 1 and
    usually points to an under-reported category spend.

    >>> f = pd.DataFrame({"our_spend": [50.0, 0.0, 300.0], "category_spend": [200.0, 80, 250]})
    >>> share_of_wallet(f).tolist()
    [0.25, 0.0, 1.0]
    """
    func = "share_of_wallet"
    require_frame(frame, func)
    require_columns(frame, [our_spend, category_spend], func)
    require_complete(frame, [our_spend, category_spend], func)
    require_nonnegative_column(frame, our_spend, func)
    require_nonnegative_column(frame, category_spend, func)
    total = frame[category_spend].astype(float)
    zero = int((total == 0).sum())
    if zero:
        raise ValueError(f"{func}(): {zero} customer(s) have a '{category_spend}' of 0; "
                         "share of wallet is undefined for them, drop them first.")
    return (frame[our_spend].astype(float) / total).clip(upper=1.0).rename("share_of_wallet")
