"""Probabilistic customer lifetime value (概率型客户终生价值): BG/NBD and Gamma-Gamma.

Book chapter 9. In a non-contractual business (非契约型关系) nobody tells us when a
customer leaves; we only see purchases. Two small models turn a purchase history into a
forecast:

- **BG/NBD** (Fader, Hardie & Lee 2005): while "alive" (活跃) a customer buys at a
  Poisson rate ``lambda ~ Gamma(r, alpha)``; after each purchase they drop out for good
  with probability ``p ~ Beta(a, b)``. :class:`BetaGeo` fits it and gives P(alive),
  expected purchases in a horizon for a known customer, and for a new one.
- **Gamma-Gamma**: each customer's spend per purchase varies around their own mean,
  and those means vary across customers. :class:`GammaGamma` shrinks an observed
  average spend towards the population mean, more so for customers with few purchases.

Both are fitted by maximum likelihood with an analytic gradient (scipy's L-BFGS-B on the
logs of the parameters). Input is one row per customer, as made by
:func:`summary_from_transactions`:

- ``frequency``: number of *repeat* purchase occasions (days with a purchase, minus one);
- ``recency``: time from the first to the last purchase occasion;
- ``T``: time from the first purchase to the end of observation;
- ``monetary_value``: mean amount of the repeat purchases (0 if there are none).

Times are in weeks or days, stated in the ``unit`` column; a fitted model remembers it.

>>> bg = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
>>> round(float(bg.expected_purchases_new(39)), 3)
1.197
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, special

from .inputs import (
    require_columns,
    require_complete,
    require_dates,
    require_frame,
    require_nonnegative_column,
    require_number,
)

UNITS = {"W": ("weeks", 7.0), "D": ("days", 1.0)}
UNIT_NAMES = {name: code for code, (name, _) in UNITS.items()}


# --------------------------------------------------------------------------------------
# From transactions to the frequency / recency / T summary
# --------------------------------------------------------------------------------------

def _unit(unit, func):
    if unit in UNITS:
        return UNITS[unit]
    if unit in UNIT_NAMES:
        return UNITS[UNIT_NAMES[unit]]
    raise ValueError(f"{func}(): unit must be 'W' (weeks) or 'D' (days); it was given {unit!r}.")


def summary_from_transactions(transactions: pd.DataFrame, *, customer: str = "customer_id",
                              date: str = "date", amount: str | None = "amount",
                              observation_end=None, unit: str = "W") -> pd.DataFrame:
    """One row per customer: frequency, recency, T (and monetary value) for BG/NBD.

    Purchases on the same day are one purchase occasion (their amounts are added). The
    first occasion is the customer's acquisition, so ``frequency`` counts the *repeat*
    occasions and ``monetary_value`` averages the repeat occasions only (0 when there are
    none), the convention of the Gamma-Gamma model. ``observation_end`` defaults to the
    last date in the table; a purchase after it is an error.

    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...                    "date": ["2024-01-01", "2024-01-15", "2024-01-29", "2024-01-08"],
    ...                    "amount": [10.0, 20.0, 40.0, 5.0]})
    >>> summary_from_transactions(tx, observation_end="2024-02-05")
                 frequency  recency    T  monetary_value   unit
    customer_id
    a                    2      4.0  5.0            30.0  weeks
    b                    0      0.0  4.0             0.0  weeks
    """
    func = "summary_from_transactions"
    require_frame(transactions, func)
    cols = [customer, date] + ([amount] if amount else [])
    require_columns(transactions, cols, func)
    require_complete(transactions, cols, func)
    name, days_per_unit = _unit(unit, func)
    when = require_dates(transactions, date, func).dt.normalize()
    end = when.max() if observation_end is None else pd.Timestamp(observation_end)
    late = int((when > end).sum())
    if late:
        raise ValueError(f"{func}(): {late} purchase(s) fall after observation_end "
                         f"{end.date()}; pass a later observation_end or drop them first.")
    frame = pd.DataFrame({"c": transactions[customer].to_numpy(), "d": when.to_numpy()})
    if amount:
        require_nonnegative_column(transactions, amount, func)
        frame["m"] = pd.to_numeric(transactions[amount]).to_numpy()
    else:
        frame["m"] = 0.0
    days = frame.groupby(["c", "d"], sort=True)["m"].sum().reset_index()
    first = days.groupby("c")["d"].transform("min")
    repeat = days["d"] > first
    g = days.groupby("c")
    out = pd.DataFrame({
        "frequency": g.size() - 1,
        "recency": (g["d"].max() - g["d"].min()).dt.days / days_per_unit,
        "T": (end - g["d"].min()).dt.days / days_per_unit,
    })
    if amount:
        spend = days.loc[repeat].groupby("c")["m"].mean()
        out["monetary_value"] = spend.reindex(out.index).fillna(0.0)
    out["unit"] = name
    out.index.name = customer
    return out


def calibration_holdout(transactions: pd.DataFrame, *, calibration_end, observation_end,
                        customer: str = "customer_id", date: str = "date",
                        amount: str | None = "amount", unit: str = "W") -> pd.DataFrame:
    """Split a purchase history in two to test a forecast against what really happened.

    The summary is computed on purchases up to ``calibration_end`` (customers acquired
    later are left out); three columns record the holdout period that follows, up to
    ``observation_end``: ``frequency_holdout`` (purchase occasions), ``monetary_holdout``
    (mean spend per occasion, 0 if none) and ``duration_holdout`` (its length, in ``unit``).

    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...                    "date": ["2024-01-01", "2024-01-15", "2024-02-12", "2024-01-08"],
    ...                    "amount": [10.0, 20.0, 40.0, 5.0]})
    >>> ch = calibration_holdout(tx, calibration_end="2024-01-29", observation_end="2024-02-26")
    >>> ch[["frequency", "recency", "T", "frequency_holdout", "duration_holdout"]]
                 frequency  recency    T  frequency_holdout  duration_holdout
    customer_id
    a                    1      2.0  4.0                  1               4.0
    b                    0      0.0  3.0                  0               4.0
    """
    func = "calibration_holdout"
    require_frame(transactions, func)
    require_columns(transactions, [customer, date], func)
    name, days_per_unit = _unit(unit, func)
    cal_end, obs_end = pd.Timestamp(calibration_end), pd.Timestamp(observation_end)
    if obs_end <= cal_end:
        raise ValueError(f"{func}(): observation_end ({obs_end.date()}) must come after "
                         f"calibration_end ({cal_end.date()}).")
    when = require_dates(transactions, date, func).dt.normalize()
    late = int((when > obs_end).sum())
    if late:
        raise ValueError(f"{func}(): {late} purchase(s) fall after observation_end "
                         f"{obs_end.date()}; pass a later date or drop them first.")
    early = transactions.loc[(when <= cal_end).to_numpy()]
    if early.empty:
        raise ValueError(f"{func}(): no purchase falls on or before calibration_end "
                         f"{cal_end.date()}; choose a later calibration_end.")
    out = summary_from_transactions(early, customer=customer, date=date, amount=amount,
                                    observation_end=cal_end, unit=unit)
    later = transactions.loc[(when > cal_end).to_numpy()]
    later_when = when[(when > cal_end).to_numpy()]
    occasions = pd.DataFrame({"c": later[customer].to_numpy(), "d": later_when.to_numpy(),
                              "m": pd.to_numeric(later[amount]).to_numpy() if amount else 0.0})
    occasions = occasions.groupby(["c", "d"])["m"].sum().reset_index()
    counts = occasions.groupby("c").size()
    out["frequency_holdout"] = counts.reindex(out.index).fillna(0).astype(int)
    if amount:
        out["monetary_holdout"] = occasions.groupby("c")["m"].mean().reindex(out.index).fillna(0.0)
    out["duration_holdout"] = (obs_end - cal_end).days / days_per_unit
    return out


# --------------------------------------------------------------------------------------
# Shared checks on a summary table
# --------------------------------------------------------------------------------------

def _summary_arrays(summary, func, frequency, recency, T):
    """Check a frequency/recency/T table and return the three columns as float arrays."""
    require_frame(summary, func)
    require_columns(summary, [frequency, recency, T], func)
    require_complete(summary, [frequency, recency, T], func)
    for col in (frequency, recency, T):
        require_nonnegative_column(summary, col, func)
    x = summary[frequency].to_numpy(dtype=float)
    tx = summary[recency].to_numpy(dtype=float)
    big_t = summary[T].to_numpy(dtype=float)
    if np.any(x != np.round(x)):
        raise ValueError(f"{func}(): '{frequency}' must hold whole numbers of repeat purchases.")
    bad = int(np.sum(tx > big_t * (1 + 1e-12)))
    if bad:
        raise ValueError(f"{func}(): {bad} customer(s) have '{recency}' greater than '{T}'; "
                         "the last purchase cannot come after the end of observation. "
                         "Check the dates or rebuild the table with summary_from_transactions().")
    bad = int(np.sum((x == 0) & (tx > 0)))
    if bad:
        raise ValueError(f"{func}(): {bad} customer(s) have no repeat purchase but a positive "
                         f"'{recency}'; recency must be 0 when frequency is 0.")
    bad = int(np.sum((x > 0) & (tx == 0)))
    if bad:
        raise ValueError(f"{func}(): {bad} customer(s) have repeat purchases but '{recency}' "
                         "of 0; repeat purchases must come after the first one.")
    return x, tx, big_t


def _unit_of(summary, unit):
    if unit is not None:
        return _unit(unit, "fit")[0]
    if "unit" in summary.columns:
        names = pd.unique(summary["unit"])
        if len(names) > 1:
            raise ValueError("fit(): the summary mixes units " + ", ".join(map(str, names))
                             + "; rebuild it with one unit.")
        return str(names[0])
    return "weeks"


# --------------------------------------------------------------------------------------
# BG/NBD
# --------------------------------------------------------------------------------------

def _bgnbd_data(x, tx, T):
    """Arrange a summary for fast likelihood evaluations.

    Customers with no repeat purchase contribute only through T; terms that depend on
    the frequency alone are computed once per distinct frequency. Work arrays are
    allocated once here and reused by every evaluation (``out=``), which avoids
    allocating fresh memory dozens of times during a fit on a large customer base.
    """
    ux, ux_count = np.unique(x, return_counts=True)
    rep = x > 0
    order = np.argsort(x[rep], kind="stable")       # repeat buyers grouped by frequency
    x1, tx1, T1 = x[rep][order], tx[rep][order], T[rep][order]
    ux1 = ux[ux > 0]
    starts = np.searchsorted(x1, ux1)               # where each frequency's block begins
    return {"n": x.size, "ux": ux, "count": ux_count.astype(float), "T0": T[~rep],
            "x1": x1, "tx1": tx1, "T1": T1, "ux1": ux1, "starts": starts,
            "bounds": np.append(starts, x1.size),
            "work0": np.empty(x.size - x1.size), "work": np.empty((7, x1.size))}


def _bgnbd_nll(log_params, data):
    """Mean negative log-likelihood of BG/NBD and its gradient in the log parameters.

    Per customer, log L = A1 + A2 + log(exp(A3) + exp(A4)) (Fader, Hardie & Lee 2005):
    A1 + A2 are gamma-function terms in x, A3 = -(r+x) log(alpha+T) is "still active at
    T" and A4 = log(a/(b+x-1)) - (r+x) log(alpha+t_x) is "dropped out right after the
    last purchase" (only possible when x > 0). The gradient weights the two stories by
    their posterior shares w3 = 1 - w4 and w4.
    """
    r, alpha, a, b = np.exp(log_params)
    ux, count, n = data["ux"], data["count"], data["n"]
    # Gamma-function terms, once per distinct frequency.
    lg = (special.gammaln(r + ux) - special.gammaln(r) + special.gammaln(a + b)
          + special.gammaln(b + ux) - special.gammaln(b) - special.gammaln(a + b + ux))
    d_r = special.digamma(r + ux) - special.digamma(r)
    d_a = special.digamma(a + b) - special.digamma(a + b + ux)
    d_b = d_a + special.digamma(b + ux) - special.digamma(b)
    ll = count @ lg + n * r * np.log(alpha)
    g = np.array([count @ d_r + n * np.log(alpha), n * r / alpha, count @ d_a, count @ d_b])
    # No repeat purchase: log L adds only A3 = -r log(alpha + T).
    at0 = np.add(alpha, data["T0"], out=data["work0"])
    g[1] -= r * np.sum(np.reciprocal(at0, out=at0))      # sum of 1 / (alpha + T)
    log_at0 = np.log(np.add(alpha, data["T0"], out=at0), out=at0)
    ll -= r * log_at0.sum()
    g[0] -= log_at0.sum()
    if data["x1"].size:
        x, tx, big_t = data["x1"], data["tx1"], data["T1"]
        rx, lat, latx, diff, e, w4, tmp = data["work"]
        np.add(r, x, out=rx)
        np.log(np.add(alpha, big_t, out=lat), out=lat)          # log(alpha + T)
        np.log(np.add(alpha, tx, out=latx), out=latx)           # log(alpha + t_x)
        log_ratio = np.log(a) - np.log(b + data["ux1"] - 1)
        bounds = data["bounds"]
        for k, value in enumerate(log_ratio):            # constant within a frequency block
            diff[bounds[k]:bounds[k + 1]] = value
        diff -= np.multiply(rx, latx, out=tmp)
        diff += np.multiply(rx, lat, out=tmp)                   # diff = A4 - A3
        # log(exp(A3) + exp(A4)) = A3 + max(diff, 0) + log1p(exp(-|diff|)), overflow-free.
        np.exp(np.negative(np.abs(diff, out=e), out=e), out=e)
        ll -= np.dot(rx, lat)
        ll += np.maximum(diff, 0, out=tmp).sum() + np.log1p(e, out=tmp).sum()
        # w4 = 1 / (1 + exp(-diff)), computed from e without overflow.
        np.divide(1.0, np.add(e, 1.0, out=tmp), out=w4)
        np.multiply(w4, e, out=w4, where=diff < 0)
        # d/dr: -(w3 log(alpha+T) + w4 log(alpha+t_x)) = -log(alpha+T) - w4 (latx - lat)
        g[0] -= lat.sum() + np.dot(w4, np.subtract(latx, lat, out=tmp))
        # d/dalpha: -(r+x) (w3 / (alpha+T) + w4 / (alpha+t_x))
        inv_at = np.reciprocal(np.add(alpha, big_t, out=lat), out=lat)
        inv_atx = np.reciprocal(np.add(alpha, tx, out=latx), out=latx)
        rx_w4 = np.multiply(rx, w4, out=e)
        g[1] -= np.dot(rx, inv_at) + np.dot(rx_w4, np.subtract(inv_atx, inv_at, out=tmp))
        g[2] += w4.sum() / a
        w4_by_x = np.add.reduceat(w4, data["starts"])
        g[3] -= w4_by_x @ (1 / (b + data["ux1"] - 1))
    grad = g * np.array([r, alpha, a, b]) / n
    return -ll / n, -grad


class BetaGeo:
    """BG/NBD model of repeat buying (购买与流失模型): fit, P(alive), expected purchases.

    Parameters (after :meth:`fit`, in ``params_``): ``r`` and ``alpha`` shape and scale
    the purchase rate across customers (mean rate r/alpha per time unit while alive);
    ``a`` and ``b`` shape the dropout probability after each purchase (mean a/(a+b)).

    >>> summary = pd.DataFrame({"frequency": [0, 2, 5, 1], "recency": [0.0, 30.43, 36.0, 5.0],
    ...                         "T": [38.86, 38.86, 38.86, 20.0]})
    >>> bg = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> bg.p_alive(summary).round(3).tolist()
    [1.0, 0.727, 0.85, 0.483]
    >>> bg.predict(summary, 39).round(3).tolist()
    [0.195, 1.226, 3.236, 0.749]
    """

    def __init__(self):
        self.params_ = None
        self.unit_ = None

    def __repr__(self):
        if self.params_ is None:
            return "BetaGeo() (not fitted)"
        p = self.params_
        return (f"BetaGeo(r={p['r']:.3f}, alpha={p['alpha']:.3f}, a={p['a']:.3f}, "
                f"b={p['b']:.3f}; time in {self.unit_})")

    @classmethod
    def from_params(cls, r: float, alpha: float, a: float, b: float,
                    unit: str = "weeks") -> BetaGeo:
        """A model with given parameters, e.g. published ones, without fitting."""
        model = cls()
        vals = {k: require_number(v, k, "BetaGeo.from_params", low=0, low_open=True)
                for k, v in {"r": r, "alpha": alpha, "a": a, "b": b}.items()}
        model.params_ = pd.Series(vals, name="estimate")
        model.unit_ = _unit(unit, "BetaGeo.from_params")[0]
        return model

    def _check_fitted(self, func):
        if self.params_ is None:
            raise ValueError(f"BetaGeo.{func}(): the model is not fitted yet; call "
                             "fit(summary) first or build it with BetaGeo.from_params(...).")
        return tuple(self.params_[k] for k in ("r", "alpha", "a", "b"))

    def fit(self, summary: pd.DataFrame, *, frequency: str = "frequency",
            recency: str = "recency", T: str = "T", unit: str | None = None,
            initial: dict | None = None, tol: float = 1e-10) -> BetaGeo:
        """Fit r, alpha, a, b by maximum likelihood.

        Times are rescaled internally so that the longest ``T`` is 10, which makes the
        problem well conditioned; ``alpha`` is reported in the summary's own unit.
        """
        func = "BetaGeo.fit"
        x, tx, big_t = _summary_arrays(summary, func, frequency, recency, T)
        if np.all(big_t == 0):
            raise ValueError(f"{func}(): every T is 0; customers need time to be observed.")
        scale = 10.0 / big_t.max()
        data = _bgnbd_data(x, tx * scale, big_t * scale)
        start = np.zeros(4) if initial is None else np.log(
            [initial["r"], initial["alpha"] * scale, initial["a"], initial["b"]])
        res = optimize.minimize(_bgnbd_nll, start, args=(data,), jac=True, method="L-BFGS-B",
                                bounds=[(-12, 12)] * 4,
                                options={"ftol": tol, "gtol": 1e-8, "maxiter": 1000})
        if not res.success and res.nit >= 1000:
            raise RuntimeError(f"{func}(): the optimiser did not converge ({res.message}).")
        r, alpha, a, b = np.exp(res.x)
        self.params_ = pd.Series({"r": r, "alpha": alpha / scale, "a": a, "b": b},
                                 name="estimate")
        # Rescaling time by s shifts each log-likelihood by -x log(s); undo it.
        self.log_likelihood_ = float(-res.fun * x.size + np.log(scale) * x.sum())
        self.n_customers_ = x.size
        self.unit_ = _unit_of(summary, unit)
        self.optimizer_ = res
        return self

    def log_likelihood(self, summary: pd.DataFrame, *, frequency: str = "frequency",
                       recency: str = "recency", T: str = "T") -> float:
        """Total log-likelihood of the summary at the model's parameters."""
        params = self._check_fitted("log_likelihood")
        x, tx, big_t = _summary_arrays(summary, "BetaGeo.log_likelihood", frequency, recency, T)
        value, _ = _bgnbd_nll(np.log(params), _bgnbd_data(x, tx, big_t))
        return float(-value * x.size)

    def _ratio(self, x, tx, big_t):
        """delta(x>0) * a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x): odds of having dropped out."""
        r, alpha, a, b = self._check_fitted("p_alive")
        with np.errstate(divide="ignore", invalid="ignore"):
            log_odds = (np.log(a) - np.log(b + x - 1)
                        + (r + x) * (np.log(alpha + big_t) - np.log(alpha + tx)))
        return np.where(x > 0, np.exp(log_odds), 0.0)

    def p_alive(self, summary: pd.DataFrame, *, frequency: str = "frequency",
                recency: str = "recency", T: str = "T") -> pd.Series:
        """Probability that each customer is still active (仍然活跃的概率) at the end of T.

        A customer with no repeat purchase cannot have dropped out yet in this model
        (dropout happens only right after a purchase), so their P(alive) is 1.
        """
        self._check_fitted("p_alive")
        x, tx, big_t = _summary_arrays(summary, "BetaGeo.p_alive", frequency, recency, T)
        return pd.Series(1 / (1 + self._ratio(x, tx, big_t)), index=summary.index,
                         name="p_alive")

    def predict(self, summary: pd.DataFrame, t: float, *, frequency: str = "frequency",
                recency: str = "recency", T: str = "T") -> pd.Series:
        """Expected purchases of each customer in the next ``t`` time units.

        The conditional expectation E[Y(t) | x, t_x, T] of Fader, Hardie & Lee (2005,
        eq. 10). The Series is named after the horizon and its unit.
        """
        func = "BetaGeo.predict"
        r, alpha, a, b = self._check_fitted("predict")
        t = require_number(t, "t", func, low=0)
        x, tx, big_t = _summary_arrays(summary, func, frequency, recency, T)
        z = t / (alpha + big_t + t)
        hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, z)
        head = (a + b + x - 1) / (a - 1)
        body = 1 - ((alpha + big_t) / (alpha + big_t + t)) ** (r + x) * hyp
        value = head * body / (1 + self._ratio(x, tx, big_t))
        return pd.Series(value, index=summary.index,
                         name=f"expected_purchases_{t:g}_{self.unit_}")

    def expected_purchases_new(self, t) -> np.ndarray | float:
        """Expected purchases of a newly acquired customer by time ``t`` (E[X(t)]).

        Counts repeat purchases after the first one, as the model does. At the CDNOW
        estimates of Fader, Hardie & Lee (2005), before rounding to 3 decimals:

        >>> bg = BetaGeo.from_params(r=0.242593, alpha=4.413528, a=0.792892, b=2.425780)
        >>> bg.expected_purchases_new([1, 3, 32, 78]).round(4).tolist()
        [0.0532, 0.1506, 1.0437, 1.858]
        """
        r, alpha, a, b = self._check_fitted("expected_purchases_new")
        t_arr = np.asarray(t, dtype=float)
        if np.any(~np.isfinite(t_arr)) or np.any(t_arr < 0):
            raise ValueError("BetaGeo.expected_purchases_new(): t must be zero or more; "
                             f"it was given {t!r}.")
        z = t_arr / (alpha + t_arr)
        hyp = special.hyp2f1(r, b, a + b - 1, z)
        value = (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t_arr)) ** r * hyp)
        return float(value) if np.ndim(value) == 0 else value

    def population(self) -> pd.DataFrame:
        """What the parameters say about the customer base, in plain words."""
        r, alpha, a, b = self._check_fitted("population")
        return pd.DataFrame({"value": [r / alpha, a / (a + b)]},
                            index=pd.Index([f"mean purchase rate per {self.unit_[:-1]} "
                                            "while active", "mean dropout chance after "
                                            "a purchase"], name="quantity"))


def fit_by_group(summary: pd.DataFrame, by: str, *, frequency: str = "frequency",
                 recency: str = "recency", T: str = "T") -> pd.DataFrame:
    """Fit BG/NBD separately in each group and compare what the groups are like.

    One row per value of ``by``: customers, the four parameters, the mean purchase rate
    while active (r / alpha) and the mean dropout chance after a purchase (a / (a + b)).
    Comparing ``purchase_rate`` across groups measures how a trait changes buying while
    customers are active, which raw purchase counts blur with dropout.

    >>> s = pd.DataFrame({"frequency": [0, 1, 3, 0, 2, 5], "recency": [0, 4, 9, 0, 6, 9.5],
    ...                   "T": [10.0] * 6, "card": [False] * 3 + [True] * 3})
    >>> fit_by_group(s, "card").columns.tolist()
    ['customers', 'r', 'alpha', 'a', 'b', 'purchase_rate', 'dropout_chance']
    """
    func = "fit_by_group"
    require_frame(summary, func)
    require_columns(summary, [by], func)
    require_complete(summary, [by], func)
    rows = {}
    for key, group in summary.groupby(by, sort=True):
        if len(group) < 10 and len(summary) >= 10:
            raise ValueError(f"{func}(): group {key!r} of '{by}' has only {len(group)} "
                             "customers; merge small groups first.")
        p = BetaGeo().fit(group, frequency=frequency, recency=recency, T=T).params_
        rows[key] = {"customers": len(group), **p.to_dict(),
                     "purchase_rate": p["r"] / p["alpha"],
                     "dropout_chance": p["a"] / (p["a"] + p["b"])}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = by
    return out


# --------------------------------------------------------------------------------------
# Gamma-Gamma
# --------------------------------------------------------------------------------------

def _gg_nll(log_params, x, m):
    """Mean negative log-likelihood of the Gamma-Gamma spend model and its gradient."""
    p, q, g = np.exp(log_params)
    px = p * x
    log_gxm = np.log(g + x * m)
    ll = (special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q) + q * np.log(g)
          + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * log_gxm)
    d_p = x * (special.digamma(px + q) - special.digamma(px) + np.log(m) + np.log(x) - log_gxm)
    d_q = special.digamma(px + q) - special.digamma(q) + np.log(g) - log_gxm
    d_g = q / g - (px + q) / (g + x * m)
    grad = np.array([d_p.mean() * p, d_q.mean() * q, d_g.mean() * g])
    return -ll.mean(), -grad


class GammaGamma:
    """Gamma-Gamma model of spend per purchase (客单价模型).

    Each purchase of a customer is ``Gamma(p, nu)``; the customer's scale ``nu`` is
    ``Gamma(q, gamma)`` across customers. Fitted on customers with at least one repeat
    purchase. It assumes spend per purchase is unrelated to how often people buy:
    check ``frequency`` against ``monetary_value`` before trusting it.

    >>> s = pd.DataFrame({"frequency": [0, 1, 10], "monetary_value": [0.0, 20.0, 20.0]})
    >>> GammaGamma.from_params(p=6.25, q=3.74, gamma=15.44).predict(s).round(2).tolist()
    [35.22, 24.64, 20.64]
    """

    def __init__(self):
        self.params_ = None

    def __repr__(self):
        if self.params_ is None:
            return "GammaGamma() (not fitted)"
        p = self.params_
        return f"GammaGamma(p={p['p']:.3f}, q={p['q']:.3f}, gamma={p['gamma']:.3f})"

    @classmethod
    def from_params(cls, p: float, q: float, gamma: float) -> GammaGamma:
        """A model with given parameters, e.g. published ones, without fitting."""
        model = cls()
        vals = {k: require_number(v, k, "GammaGamma.from_params", low=0, low_open=True)
                for k, v in {"p": p, "q": q, "gamma": gamma}.items()}
        model.params_ = pd.Series(vals, name="estimate")
        return model

    @staticmethod
    def _arrays(summary, func, frequency, monetary_value):
        require_frame(summary, func)
        require_columns(summary, [frequency, monetary_value], func)
        require_complete(summary, [frequency, monetary_value], func)
        require_nonnegative_column(summary, frequency, func)
        require_nonnegative_column(summary, monetary_value, func)
        x = summary[frequency].to_numpy(dtype=float)
        m = summary[monetary_value].to_numpy(dtype=float)
        bad = int(np.sum((x > 0) & (m == 0)))
        if bad:
            raise ValueError(f"{func}(): {bad} repeat buyer(s) have a '{monetary_value}' of 0; "
                             "the model needs positive spend (drop free orders first).")
        return x, m

    def fit(self, summary: pd.DataFrame, *, frequency: str = "frequency",
            monetary_value: str = "monetary_value", tol: float = 1e-10) -> GammaGamma:
        """Fit p, q, gamma by maximum likelihood on the repeat buyers."""
        func = "GammaGamma.fit"
        x, m = self._arrays(summary, func, frequency, monetary_value)
        keep = x > 0
        if keep.sum() < 2:
            raise ValueError(f"{func}(): needs at least two customers with a repeat purchase; "
                             f"the table has {int(keep.sum())}.")
        x, m = x[keep], m[keep]
        scale = 1.0 / m.mean()   # spend rescaled to mean 1 for a well-conditioned fit
        res = optimize.minimize(_gg_nll, np.zeros(3), args=(x, m * scale), jac=True,
                                method="L-BFGS-B", bounds=[(-12, 12)] * 3,
                                options={"ftol": tol, "gtol": 1e-8, "maxiter": 1000})
        p, q, g = np.exp(res.x)
        self.params_ = pd.Series({"p": p, "q": q, "gamma": g / scale}, name="estimate")
        value, _ = _gg_nll(np.log(self.params_.to_numpy()), x, m)
        self.log_likelihood_ = float(-value * x.size)
        self.n_customers_ = int(x.size)
        self.optimizer_ = res
        return self

    def predict(self, summary: pd.DataFrame, *, frequency: str = "frequency",
                monetary_value: str = "monetary_value") -> pd.Series:
        """Expected spend per purchase of each customer (conditional on their history).

        A weighted average of the population mean ``p*gamma/(q-1)`` and the customer's
        own average, the weight on their own average growing with their purchases.
        """
        func = "GammaGamma.predict"
        if self.params_ is None:
            raise ValueError(f"{func}(): the model is not fitted yet; call fit(summary) first.")
        p, q, g = self.params_[["p", "q", "gamma"]]
        if q <= 1:
            raise ValueError(f"{func}(): q = {q:.3f} is at most 1, so the mean spend is "
                             "infinite; the data are too heavy-tailed for this model.")
        x, m = self._arrays(summary, func, frequency, monetary_value)
        value = (g + x * m) * p / (p * x + q - 1)
        return pd.Series(value, index=summary.index, name="expected_spend")


# --------------------------------------------------------------------------------------
# Model-based CLV
# --------------------------------------------------------------------------------------

def model_clv(summary: pd.DataFrame, purchases: BetaGeo, spend: GammaGamma, *,
              periods: int = 12, period_length: float = 4.345, discount: float = 0.01,
              margin: float = 1.0, frequency: str = "frequency", recency: str = "recency",
              T: str = "T", monetary_value: str = "monetary_value") -> pd.DataFrame:
    """Customer lifetime value from BG/NBD purchases and Gamma-Gamma spend (模型化CLV).

    The horizon is ``periods`` periods of ``period_length`` time units each (default: 12
    months of 4.345 weeks). Purchases expected in period k are valued at the customer's
    expected spend times ``margin`` (a share, 1 = revenue) and discounted at the
    per-period rate ``discount`` as if paid at the end of the period:
    CLV = sum_k margin * spend * (E[Y(k L)] - E[Y((k-1) L)]) / (1 + discount)^k.

    >>> s = pd.DataFrame({"frequency": [0, 2], "recency": [0.0, 30.43], "T": [38.86, 38.86],
    ...                   "monetary_value": [0.0, 20.0]})
    >>> bg = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> gg = GammaGamma.from_params(p=6.25, q=3.74, gamma=15.44)
    >>> model_clv(s, bg, gg, discount=0.0).round(3)
       p_alive  expected_purchases  expected_spend     clv
    0    1.000               0.253          35.219   8.899
    1    0.727               1.562          22.736  35.517
    """
    func = "model_clv"
    n_periods = require_number(periods, "periods", func, low=1)
    if n_periods != int(n_periods):
        raise ValueError(f"{func}(): periods must be a whole number; it was given {periods}.")
    length = require_number(period_length, "period_length", func, low=0, low_open=True)
    d = require_number(discount, "discount", func, low=0)
    mg = require_number(margin, "margin", func)
    for model, kind in ((purchases, BetaGeo), (spend, GammaGamma)):
        if not isinstance(model, kind) or model.params_ is None:
            raise TypeError(f"{func}() needs a fitted {kind.__name__}; it was given {model!r}.")
    cols = dict(frequency=frequency, recency=recency, T=T)
    value = spend.predict(summary, frequency=frequency, monetary_value=monetary_value)
    prev = np.zeros(len(summary))
    pv = np.zeros(len(summary))
    for k in range(1, int(n_periods) + 1):
        cum = purchases.predict(summary, k * length, **cols).to_numpy()
        pv += (cum - prev) / (1 + d) ** k
        prev = cum
    return pd.DataFrame({
        "p_alive": purchases.p_alive(summary, **cols).to_numpy(),
        "expected_purchases": prev,
        "expected_spend": value.to_numpy(),
        "clv": mg * value.to_numpy() * pv,
    }, index=summary.index)
