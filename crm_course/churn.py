"""Customer churn (客户流失) and win-back (客户挽回): measuring, predicting, rescuing.

Book chapter 10. The module follows the chapter's order:

- **measuring churn**: churn rate (流失率) by segment and by period, and the reasons
  lost customers give, split into company-side (企业自身原因) and customer-side
  (客户自身原因) causes (:func:`churn_rate`, :func:`period_churn`, :func:`reasons_pareto`);
- **survival** (生存分析): Kaplan–Meier retention curves with confidence bands, a
  log-rank test between segments, and a proportional-hazards (Cox) model
  (:func:`km_curves`, :func:`logrank_test`, :class:`HazardModel`);
- **prediction**: a churn classifier and its honest evaluation on held-out customers —
  ROC AUC, lift and cumulative gains (提升度、累积增益), calibration — and who to contact
  on a budget (:class:`ChurnClassifier`, :func:`lift_table`, :func:`select_at_budget`);
- **win-back**: priority = value × chance of return, a randomised win-back offer's return
  on investment with an interval, and the loss from an event such as a boycott measured
  against a counterfactual (:func:`winback_priority`, :func:`winback_roi`,
  :func:`counterfactual_loss`).

Durations are in any unit (days, months); an *event* is a churn (1/True) and a customer
still with us at the end of observation is *censored* (删失, event 0/False).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .inputs import (
    require_columns,
    require_complete,
    require_dates,
    require_frame,
    require_nonnegative_column,
    require_number,
    require_unique,
)

COMPANY_SIDE, CUSTOMER_SIDE = "company", "customer"


# ---------------------------------------------------------------- measuring churn


def _flag(frame: pd.DataFrame, column: str, func: str) -> pd.Series:
    """A 0/1 or True/False column as booleans, or a clear error."""
    values = frame[column]
    if values.dtype == bool or str(values.dtype) == "boolean":
        return values.astype(bool)
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.isna().any() or not numbers.isin([0, 1]).all():
        raise ValueError(f"{func}(): column '{column}' must hold 0/1 or True/False "
                         f"values; it has e.g. {values.iloc[0]!r}.")
    return numbers.astype(bool)


def _by_list(by) -> list:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def churn_rate(frame: pd.DataFrame, by=None, *, churned: str = "churned") -> pd.DataFrame:
    """Share of customers lost (流失率), overall or per segment.

    One row per customer who was at risk; ``churned`` is 1/True for a lost customer.

    >>> f = pd.DataFrame({"plan": ["a", "a", "b", "b"], "churned": [1, 0, 1, 1]})
    >>> churn_rate(f, "plan")
      plan  customers  churned  churn_rate  retention_rate
    0    a          2        1         0.5             0.5
    1    b          2        2         1.0             0.0
    """
    func = "churn_rate"
    require_frame(frame, func)
    keys = _by_list(by)
    require_columns(frame, [*keys, churned], func)
    require_complete(frame, [*keys, churned], func)
    data = frame[keys].copy()
    data["_lost"] = _flag(frame, churned, func).astype(int)
    if keys:
        out = data.groupby(keys, sort=True, observed=True)["_lost"].agg(["size", "sum"])
        out = out.reset_index()
    else:
        out = pd.DataFrame({"size": [len(data)], "sum": [data["_lost"].sum()]})
    out = out.rename(columns={"size": "customers", "sum": "churned"})
    out["churn_rate"] = out["churned"] / out["customers"]
    out["retention_rate"] = 1 - out["churn_rate"]
    return out


def period_churn(frame: pd.DataFrame, *, start: str = "start", end: str = "end",
                 first: str, last: str, freq: str = "QS", by=None) -> pd.DataFrame:
    """Churn rate per calendar period for contractual customers (契约型客户).

    A customer is *active at the start* of a period if they started before it and had
    not left; they *churned in it* if their ``end`` date falls inside it. ``end`` is empty
    (NaT) for customers still active. The period rate is churned / active at start;
    customers who join during a period are counted from the next one.

    >>> f = pd.DataFrame({"start": ["2024-01-01", "2024-01-01", "2024-02-15"],
    ...                   "end": ["2024-05-10", None, "2024-08-01"]})
    >>> period_churn(f, first="2024-04-01", last="2024-09-30")
      period_start  active_at_start  churned  churn_rate
    0   2024-04-01                3        1    0.333333
    1   2024-07-01                2        1    0.500000
    """
    func = "period_churn"
    require_frame(frame, func)
    keys = _by_list(by)
    require_columns(frame, [start, end, *keys], func)
    require_complete(frame, [start, *keys], func)
    began = require_dates(frame, start, func)
    ended = require_dates(frame, end, func)
    if (ended < began).any():
        raise ValueError(f"{func}(): {int((ended < began).sum())} customer(s) end before they "
                         f"start; check the '{start}' and '{end}' columns.")
    edges = pd.date_range(first, last, freq=freq)
    if len(edges) == 0:
        raise ValueError(f"{func}(): no period of frequency {freq!r} starts between {first} "
                         f"and {last}; widen the range or change freq.")
    stops = [*edges[1:], pd.Timestamp(last) + pd.Timedelta(days=1)]
    rows = []
    for lo, hi in zip(edges, stops, strict=True):
        active = (began < lo) & (ended.isna() | (ended >= lo))
        lost = active & ended.notna() & (ended < hi)
        part = pd.DataFrame({k: frame[k] for k in keys})
        part["active_at_start"], part["churned"] = active.astype(int), lost.astype(int)
        part["period_start"] = lo
        rows.append(part.groupby(["period_start", *keys], observed=True).sum().reset_index())
    out = pd.concat(rows, ignore_index=True)
    out["churn_rate"] = out["churned"] / out["active_at_start"].where(out["active_at_start"] > 0)
    return out


def reasons_pareto(frame: pd.DataFrame, *, reason: str = "reason", side: str | None = "side"
                   ) -> pd.DataFrame:
    """Exit-survey reasons ranked by count, with cumulative share (a Pareto table).

    ``side`` (optional) says whether a reason lies with the company (``'company'``:
    price, quality, service, broken promises …) or with the customer (``'customer'``:
    moved away, needs changed …). Company-side reasons are the ones a firm can fix.

    >>> f = pd.DataFrame({"reason": ["price", "moved", "price", "service"],
    ...                   "side": ["company", "customer", "company", "company"]})
    >>> reasons_pareto(f)
        reason      side  count  share  cumulative_share
    0    price   company      2   0.50              0.50
    1    moved  customer      1   0.25              0.75
    2  service   company      1   0.25              1.00
    """
    func = "reasons_pareto"
    require_frame(frame, func)
    keys = [reason] if side is None else [reason, side]
    require_columns(frame, keys, func)
    require_complete(frame, keys, func)
    if side is not None:
        bad = sorted(set(frame[side]) - {COMPANY_SIDE, CUSTOMER_SIDE})
        if bad:
            raise ValueError(f"{func}(): column '{side}' must say 'company' or 'customer'; "
                             f"it also has {bad[:3]}.")
        if frame.groupby(reason)[side].nunique().max() > 1:
            raise ValueError(f"{func}(): a reason is marked both company- and customer-side; "
                             f"give each reason one '{side}'.")
    out = frame.groupby(keys, observed=True).size().rename("count").reset_index()
    out = out.sort_values(["count", reason], ascending=[False, True], ignore_index=True)
    out["share"] = out["count"] / out["count"].sum()
    out["cumulative_share"] = out["share"].cumsum()
    return out


# ---------------------------------------------------------------- survival


def _survival_data(frame, duration, event, func, extra=()):
    require_frame(frame, func)
    require_columns(frame, [duration, event, *extra], func)
    require_complete(frame, [duration, event, *extra], func)
    time = pd.to_numeric(frame[duration], errors="coerce")
    if time.isna().any():
        raise TypeError(f"{func}(): column '{duration}' must be numeric (e.g. months).")
    if (time < 0).any():
        raise ValueError(f"{func}(): column '{duration}' has {int((time < 0).sum())} negative "
                         "duration(s); a duration is time from start to churn or to the end "
                         "of observation, so it cannot be below zero.")
    status = _flag(frame, event, func)
    if not status.any():
        raise ValueError(f"{func}(): no events — every customer in '{event}' is censored "
                         "(still active), so churn cannot be estimated. Check that 1/True "
                         "marks a churn, or observe longer.")
    return time.to_numpy(dtype=float), status.to_numpy(dtype=int)


def km_curves(frame: pd.DataFrame, by: str | None = None, *, duration: str = "duration",
              event: str = "churned", level: float = 0.95) -> pd.DataFrame:
    """Kaplan–Meier retention curves (留存曲线), one per segment, with confidence bands.

    Each row is one time at which someone churned: customers still at risk, churns then,
    the share still retained, and a pointwise ``level`` band (Greenwood variance on the
    log(-log) scale, which keeps the band inside 0–1).

    >>> f = pd.DataFrame({"duration": [1, 2, 2, 3, 4], "churned": [1, 1, 0, 1, 0]})
    >>> km_curves(f)[["time", "at_risk", "churned", "survival"]]
       time  at_risk  churned  survival
    0   0.0        5        0       1.0
    1   1.0        5        1       0.8
    2   2.0        4        1       0.6
    3   3.0        2        1       0.3
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    func = "km_curves"
    extra = [] if by is None else [by]
    time, status = _survival_data(frame, duration, event, func, extra)
    level = require_number(level, "level", func, low=0, high=1, low_open=True, high_open=True)
    z = stats.norm.ppf(0.5 + level / 2)
    groups = [(None, np.ones(len(frame), bool))] if by is None else [
        (g, (frame[by] == g).to_numpy()) for g in sorted(frame[by].unique())]
    parts = []
    for name, mask in groups:
        rows = pd.DataFrame({"time": [0.0], "at_risk": [int(mask.sum())], "churned": [0],
                             "survival": [1.0], "lower": [1.0], "upper": [1.0]})
        if status[mask].any():
            sf = SurvfuncRight(time[mask], status[mask])
            s, se = sf.surv_prob, sf.surv_prob_se
            with np.errstate(divide="ignore", invalid="ignore"):
                width = z * se / np.abs(s * np.log(s))
                lower = np.where(np.isfinite(width), s ** np.exp(width), s)
                upper = np.where(np.isfinite(width), s ** np.exp(-width), s)
            rows = pd.concat([rows, pd.DataFrame({
                "time": sf.surv_times, "at_risk": sf.n_risk.astype(int),
                "churned": sf.n_events.astype(int), "survival": s,
                "lower": lower, "upper": upper})], ignore_index=True)
        if by is not None:
            rows.insert(0, by, name)
        parts.append(rows)
    return pd.concat(parts, ignore_index=True)


def survival_at(curves: pd.DataFrame, times, by: str | None = None) -> pd.DataFrame:
    """Read retention off Kaplan–Meier curves at chosen times (a step function).

    >>> f = pd.DataFrame({"duration": [1, 2, 2, 3, 4], "churned": [1, 1, 0, 1, 0]})
    >>> survival_at(km_curves(f), [0.5, 2, 10])[["time", "survival"]]
       time  survival
    0   0.5       1.0
    1   2.0       0.6
    2  10.0       0.3
    """
    func = "survival_at"
    require_frame(curves, func)
    require_columns(curves, ["time", "survival", "lower", "upper", *_by_list(by)], func)
    groups = [(None, curves)] if by is None else list(curves.groupby(by, sort=True))
    rows = []
    for name, part in groups:
        part = part.sort_values("time")
        idx = np.searchsorted(part["time"].to_numpy(), np.asarray(times, float), side="right")
        picked = part.iloc[np.maximum(idx - 1, 0)][["survival", "lower", "upper"]]
        picked.insert(0, "time", np.asarray(times, float))
        if by is not None:
            picked.insert(0, by, name)
        rows.append(picked)
    return pd.concat(rows, ignore_index=True)


def logrank_test(frame: pd.DataFrame, by: str, *, duration: str = "duration",
                 event: str = "churned") -> pd.DataFrame:
    """Log-rank test (对数秩检验): do the segments' retention curves differ?

    Returns the chi-square statistic, its degrees of freedom (segments − 1) and p-value.

    >>> f = pd.DataFrame({"duration": [1, 2, 3, 4, 5, 6, 7, 8],
    ...                   "churned": [1, 1, 1, 1, 1, 1, 1, 0],
    ...                   "plan": ["a"] * 4 + ["b"] * 4})
    >>> logrank_test(f, "plan").round(3)
       groups  chi_square  df  p_value
    0       2       7.344   1    0.007
    """
    from statsmodels.duration.survfunc import survdiff

    func = "logrank_test"
    time, status = _survival_data(frame, duration, event, func, [by])
    k = frame[by].nunique()
    if k < 2:
        raise ValueError(f"{func}() needs at least two groups in '{by}'; it has {k}.")
    chi2, p = survdiff(time, status, frame[by].astype(str).to_numpy())
    return pd.DataFrame({"groups": [k], "chi_square": [float(chi2)], "df": [k - 1],
                         "p_value": [float(p)]})


def _design(frame, covariates, levels=None, reference=None, func="_design"):
    """Numbers as they are; text/categories as 0/1 columns named 'column=level'.

    The reference level of a text column is ``reference[column]`` if given, else the
    first level in alphabetical order; it gets no column of its own.
    """
    cols, levels, reference = {}, dict(levels or {}), dict(reference or {})
    for c in covariates:
        v = frame[c]
        if v.dtype == bool or pd.api.types.is_numeric_dtype(v):
            cols[c] = v.astype(float).to_numpy()
            continue
        if c not in levels:
            found = sorted(v.astype(str).unique())
            ref = reference.get(c, found[0])
            if ref not in found:
                raise ValueError(f"{func}(): reference level {ref!r} is not in column "
                                 f"'{c}', which has: {', '.join(found)}.")
            levels[c] = [ref, *(lv for lv in found if lv != ref)]
        unknown = sorted(set(v.astype(str)) - set(levels[c]))
        if unknown:
            raise ValueError(f"{func}(): column '{c}' has value(s) {unknown[:3]} that the model "
                             f"was not fitted on; it knows: {', '.join(levels[c])}.")
        for lv in levels[c][1:]:   # the first level is the reference
            cols[f"{c}={lv}"] = (v.astype(str) == lv).astype(float).to_numpy()
    return pd.DataFrame(cols, index=frame.index), levels


class HazardModel:
    """Proportional-hazards (Cox) model of time to churn (比例风险模型).

    Each covariate multiplies the churn hazard by a constant factor, its *hazard ratio*
    exp(coef): 1.5 means customers with one more unit churn 50 % faster at every tenure.
    Text columns are turned into 0/1 indicators named ``'column=level'``, against a
    reference level: ``reference={"contract": "monthly"}``, else the first in alphabetical
    order. Uses statsmodels' ``PHReg`` (Breslow ties).

    >>> rng = np.random.default_rng(0)
    >>> x = rng.integers(0, 2, 400)
    >>> f = pd.DataFrame({"x": x, "duration": rng.exponential(1 / np.exp(0.7 * x)),
    ...                   "churned": 1})
    >>> m = HazardModel(["x"]).fit(f)
    >>> bool(abs(m.summary().loc["x", "coef"] - 0.7) < 0.25)
    True
    """

    def __init__(self, covariates, *, duration: str = "duration", event: str = "churned",
                 reference: dict | None = None, level: float = 0.95):
        self.covariates = [covariates] if isinstance(covariates, str) else list(covariates)
        self.duration, self.event, self.level = duration, event, level
        self.reference = reference

    def fit(self, frame: pd.DataFrame) -> HazardModel:
        from statsmodels.duration.hazard_regression import PHReg

        func = "HazardModel.fit"
        if not self.covariates:
            raise ValueError(f"{func}() needs at least one covariate column.")
        time, status = _survival_data(frame, self.duration, self.event, func, self.covariates)
        x, self.levels_ = _design(frame, self.covariates, reference=self.reference, func=func)
        constant = [c for c in x if x[c].nunique() < 2]
        if constant:
            raise ValueError(f"{func}(): covariate(s) {constant} take a single value; "
                             "drop them, a constant has no effect to estimate.")
        self.terms_ = list(x.columns)
        self.result_ = PHReg(time, x.to_numpy(), status=status, ties="breslow").fit(disp=False)
        return self

    def summary(self) -> pd.DataFrame:
        """Coefficient, hazard ratio and their ``level`` intervals, with p-values."""
        if not hasattr(self, "result_"):
            raise ValueError("HazardModel.summary(): fit the model first: model.fit(frame).")
        r = self.result_
        ci = np.asarray(r.conf_int(alpha=1 - self.level))
        out = pd.DataFrame({"coef": r.params, "std_err": r.bse, "coef_lower": ci[:, 0],
                            "coef_upper": ci[:, 1]}, index=pd.Index(self.terms_, name="term"))
        out["hazard_ratio"] = np.exp(out["coef"])
        out["hr_lower"], out["hr_upper"] = np.exp(out["coef_lower"]), np.exp(out["coef_upper"])
        out["p_value"] = r.pvalues
        return out

    def predict(self, frame: pd.DataFrame) -> pd.Series:
        """Relative hazard exp(x·β) of each customer (1 = the reference customer)."""
        func = "HazardModel.predict"
        if not hasattr(self, "result_"):
            raise ValueError(f"{func}(): fit the model first: model.fit(frame).")
        require_frame(frame, func)
        require_columns(frame, self.covariates, func)
        require_complete(frame, self.covariates, func)
        x, _ = _design(frame, self.covariates, self.levels_, func=func)
        x = x.reindex(columns=self.terms_, fill_value=0.0)
        return pd.Series(np.exp(x.to_numpy() @ self.result_.params), index=frame.index,
                         name="relative_hazard")


# ---------------------------------------------------------------- prediction


def _scored(frame, target, score, func):
    require_frame(frame, func)
    require_columns(frame, [target, score], func)
    require_complete(frame, [target, score], func)
    y = _flag(frame, target, func).to_numpy(dtype=int)
    if y.min() == y.max():
        raise ValueError(f"{func}(): the target '{target}' has only one class "
                         f"({'all churned' if y[0] else 'nobody churned'}); evaluation needs "
                         "both churners and stayers in the data.")
    s = pd.to_numeric(frame[score], errors="coerce")
    if s.isna().any():
        raise TypeError(f"{func}(): column '{score}' must hold numeric scores.")
    return y, s.to_numpy(dtype=float)


class ChurnClassifier:
    """A churn classifier: logistic regression on standardised numbers + 0/1 text columns.

    ``fit`` on training customers, ``predict_proba`` the churn probability of others.
    Evaluate on customers the model has not seen (held-out, 留出样本).

    >>> rng = np.random.default_rng(1)
    >>> f = pd.DataFrame({"complaints": rng.poisson(1, 300)})
    >>> f["churned"] = rng.random(300) < 0.1 + 0.2 * f["complaints"].clip(0, 3)
    >>> p = ChurnClassifier(["complaints"]).fit(f).predict_proba(f)
    >>> bool(p[f["complaints"] >= 2].mean() > p[f["complaints"] == 0].mean())
    True
    """

    def __init__(self, features, *, target: str = "churned", C: float = 1.0,
                 reference: dict | None = None):
        self.features = [features] if isinstance(features, str) else list(features)
        self.target, self.C, self.reference = target, C, reference

    def fit(self, frame: pd.DataFrame) -> ChurnClassifier:
        from sklearn.linear_model import LogisticRegression

        func = "ChurnClassifier.fit"
        require_frame(frame, func)
        require_columns(frame, [*self.features, self.target], func)
        require_complete(frame, [*self.features, self.target], func)
        y = _flag(frame, self.target, func).to_numpy(dtype=int)
        if y.min() == y.max():
            raise ValueError(f"{func}(): the target '{self.target}' has only one class; a "
                             "classifier needs both churners and stayers to learn from.")
        x, self.levels_ = _design(frame, self.features, reference=self.reference, func=func)
        self.terms_ = list(x.columns)
        self.mean_, self.scale_ = x.mean(), x.std(ddof=0).replace(0, 1.0)
        self.model_ = LogisticRegression(C=self.C, max_iter=1000)
        self.model_.fit(((x - self.mean_) / self.scale_).to_numpy(), y)
        return self

    def predict_proba(self, frame: pd.DataFrame) -> pd.Series:
        """Probability that each customer churns."""
        func = "ChurnClassifier.predict_proba"
        if not hasattr(self, "model_"):
            raise ValueError(f"{func}(): fit the classifier first: clf.fit(train).")
        require_frame(frame, func)
        require_columns(frame, self.features, func)
        require_complete(frame, self.features, func)
        x, _ = _design(frame, self.features, self.levels_, func=func)
        x = (x.reindex(columns=self.terms_, fill_value=0.0) - self.mean_) / self.scale_
        return pd.Series(self.model_.predict_proba(x.to_numpy())[:, 1], index=frame.index,
                         name="churn_probability")

    def coefficients(self) -> pd.Series:
        """Log-odds change per standard deviation of each term (bigger = more churn)."""
        if not hasattr(self, "model_"):
            raise ValueError("ChurnClassifier.coefficients(): fit the classifier first.")
        return pd.Series(self.model_.coef_[0], index=pd.Index(self.terms_, name="term"),
                         name="coef_per_sd")


def roc_auc(frame: pd.DataFrame, *, target: str = "churned", score: str = "score") -> float:
    """Area under the ROC curve: the chance a random churner scores above a random stayer.

    >>> f = pd.DataFrame({"churned": [0, 0, 1, 1], "score": [0.1, 0.4, 0.35, 0.8]})
    >>> roc_auc(f)
    0.75
    """
    from sklearn.metrics import roc_auc_score

    y, s = _scored(frame, target, score, "roc_auc")
    return float(roc_auc_score(y, s))


def lift_table(frame: pd.DataFrame, bins: int = 10, *, target: str = "churned",
               score: str = "score") -> pd.DataFrame:
    """Lift and cumulative gains (提升度与累积增益) by score group, best-scored first.

    Customers are ranked by score and cut into ``bins`` equal groups (deciles by
    default). ``lift`` is a group's churn rate over the overall rate; ``gain`` is the
    share of all churners found by contacting this group and all above it.

    >>> f = pd.DataFrame({"churned": [1, 1, 0, 1, 0, 0, 0, 0],
    ...                   "score": [.9, .8, .7, .6, .5, .4, .3, .2]})
    >>> lift_table(f, bins=4)[["group", "customers", "churners", "lift", "gain"]]
       group  customers  churners      lift      gain
    0      1          2         2  2.666667  0.666667
    1      2          2         1  1.333333  1.000000
    2      3          2         0  0.000000  1.000000
    3      4          2         0  0.000000  1.000000
    """
    func = "lift_table"
    y, s = _scored(frame, target, score, func)
    bins = int(require_number(bins, "bins", func, low=1, high=len(y)))
    order = np.argsort(-s, kind="stable")
    group = np.repeat(np.arange(1, bins + 1), np.diff(np.linspace(0, len(y), bins + 1)
                                                       .round().astype(int)))
    data = pd.DataFrame({"group": group, "y": y[order], "s": s[order]})
    out = data.groupby("group").agg(customers=("y", "size"), churners=("y", "sum"),
                                    min_score=("s", "min")).reset_index()
    base = y.mean()
    out["churn_rate"] = out["churners"] / out["customers"]
    out["lift"] = out["churn_rate"] / base
    out["contacted_share"] = out["customers"].cumsum() / len(y)
    out["gain"] = out["churners"].cumsum() / y.sum()
    out["cumulative_lift"] = out["gain"] / out["contacted_share"]
    return out


def calibration_table(frame: pd.DataFrame, bins: int = 10, *, target: str = "churned",
                      score: str = "score") -> pd.DataFrame:
    """Predicted vs observed churn in equal-sized score groups (a calibration check).

    A well-calibrated model's ``predicted`` and ``observed`` agree in every group.

    >>> f = pd.DataFrame({"churned": [0, 0, 1, 0, 1, 1], "score": [.1, .2, .3, .6, .7, .8]})
    >>> calibration_table(f, bins=2)
       group  customers  predicted  observed
    0      1          3        0.2  0.333333
    1      2          3        0.7  0.666667
    """
    func = "calibration_table"
    y, s = _scored(frame, target, score, func)
    if (s < 0).any() or (s > 1).any():
        raise ValueError(f"{func}(): scores in '{score}' must be probabilities in [0, 1].")
    bins = int(require_number(bins, "bins", func, low=1, high=len(y)))
    order = np.argsort(s, kind="stable")
    group = np.repeat(np.arange(1, bins + 1), np.diff(np.linspace(0, len(y), bins + 1)
                                                       .round().astype(int)))
    data = pd.DataFrame({"group": group, "y": y[order], "s": s[order]})
    return data.groupby("group").agg(customers=("y", "size"), predicted=("s", "mean"),
                                     observed=("y", "mean")).reset_index()


def select_at_budget(frame: pd.DataFrame, budget: float, cost: float, *,
                     score: str = "score", value: str | None = None,
                     customer: str = "customer_id") -> pd.DataFrame:
    """Whom to contact when the budget pays for only some customers.

    Ranks customers by expected loss (``score`` × ``value`` when a value column is
    given, else ``score`` alone) and keeps the best ``floor(budget / cost)``.

    >>> f = pd.DataFrame({"customer_id": ["a", "b", "c"], "score": [0.2, 0.9, 0.5],
    ...                   "value": [1000, 100, 300]})
    >>> select_at_budget(f, budget=20, cost=10, value="value")
      customer_id  score  value  priority  rank  cumulative_cost
    0           a    0.2   1000     200.0     1             10.0
    1           c    0.5    300     150.0     2             20.0
    """
    func = "select_at_budget"
    require_frame(frame, func)
    cols = [customer, score, *([value] if value else [])]
    require_columns(frame, cols, func)
    require_complete(frame, cols, func)
    budget = require_number(budget, "budget", func, low=0)
    cost = require_number(cost, "cost", func, low=0, low_open=True)
    if value:
        require_nonnegative_column(frame, value, func)
    k = int(budget // cost)
    out = frame.copy()
    out["priority"] = out[score] * (out[value] if value else 1.0)
    out = out.sort_values(["priority", customer], ascending=[False, True], kind="stable")
    out = out.head(k).reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["cumulative_cost"] = out["rank"] * cost
    return out


# ---------------------------------------------------------------- win-back


def winback_priority(frame: pd.DataFrame, *, value: str = "value", chance: str = "chance",
                     customer: str = "customer_id", cost: float | str = 0.0) -> pd.DataFrame:
    """Rank lost customers by what winning them back is worth: value × chance − cost.

    ``value`` is what a returning customer brings (e.g. a year's margin); ``chance`` the
    probability they come back *because* they are approached (from a test with a control
    group, the offer's lift; without one, the return rate). ``cost`` is one number for
    everyone or the name of a column. Customers with a negative expected gain are marked
    ``worth_it = False``: some lost customers are not worth chasing.

    >>> f = pd.DataFrame({"customer_id": ["a", "b", "c"], "value": [500, 1000, 100],
    ...                   "chance": [0.4, 0.05, 0.3]})
    >>> winback_priority(f, cost=60)
      customer_id  value  chance  expected_gain  rank  worth_it
    0           a    500    0.40          140.0     1      True
    1           b   1000    0.05          -10.0     2     False
    2           c    100    0.30          -30.0     3     False
    """
    func = "winback_priority"
    require_frame(frame, func)
    cost_cols = [cost] if isinstance(cost, str) else []
    require_columns(frame, [customer, value, chance, *cost_cols], func)
    require_complete(frame, [customer, value, chance, *cost_cols], func)
    require_nonnegative_column(frame, value, func)
    require_unique(frame, customer, func)
    if cost_cols:
        require_nonnegative_column(frame, cost, func)
        cost = frame[cost]
    else:
        cost = require_number(cost, "cost", func, low=0)
    p = pd.to_numeric(frame[chance], errors="coerce")
    if p.isna().any() or (p < 0).any() or (p > 1).any():
        raise ValueError(f"{func}(): column '{chance}' must hold probabilities in [0, 1].")
    out = frame.copy()
    out["expected_gain"] = out[value] * p - cost
    out = out.sort_values(["expected_gain", customer], ascending=[False, True],
                          ignore_index=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["worth_it"] = out["expected_gain"] > 0
    return out


def winback_roi(frame: pd.DataFrame, *, arm: str = "offer", control: str = "control",
                returned: str = "returned", value: str = "margin", cost: str = "cost",
                n_boot: int = 2000, seed: int = 0, level: float = 0.95) -> pd.DataFrame:
    """Return on a randomised win-back offer (挽回), with bootstrap intervals.

    Lost customers were assigned at random to an offer or to ``control`` (no offer), so
    the difference between the arms is the offer's effect. For each offer:

    - ``lift``: extra share of customers who came back (offer rate − control rate);
    - ``incremental_value``: extra ``value`` (e.g. margin after return) per customer sent
      the offer, against control;
    - ``cost_per_customer``: mean ``cost`` per customer sent the offer (a coupon costs
      only when used, so cost is a column);
    - ``roi``: (incremental value − cost) / cost; above 0 the offer paid for itself.

    ``*_lower``/``*_upper`` are percentile bootstrap intervals (each arm resampled,
    ``n_boot`` times, seeded so the numbers repeat).

    >>> f = pd.DataFrame({"offer": ["control"] * 4 + ["coupon"] * 4,
    ...                   "returned": [0, 0, 0, 1, 1, 1, 0, 1],
    ...                   "margin": [0, 0, 0, 40, 50, 40, 0, 30],
    ...                   "cost": [0, 0, 0, 0, 5, 5, 5, 5]})
    >>> winback_roi(f, n_boot=200)[["offer", "return_rate", "control_rate", "lift", "roi"]]
        offer  return_rate  control_rate  lift  roi
    0  coupon         0.75          0.25   0.5  3.0
    """
    func = "winback_roi"
    require_frame(frame, func)
    require_columns(frame, [arm, returned, value, cost], func)
    require_complete(frame, [arm, returned, value, cost], func)
    require_nonnegative_column(frame, value, func)
    require_nonnegative_column(frame, cost, func)
    level = require_number(level, "level", func, low=0, high=1, low_open=True, high_open=True)
    n_boot = int(require_number(n_boot, "n_boot", func, low=10))
    back = _flag(frame, returned, func).to_numpy(dtype=float)
    arms = frame[arm].astype(str).to_numpy()
    if control not in set(arms):
        raise ValueError(f"{func}(): no '{control}' rows in '{arm}'; a control group (no offer) "
                         "is needed to measure what the offer added. Pass control=... to name "
                         "it.")
    offers = sorted(set(arms) - {control})
    if not offers:
        raise ValueError(f"{func}(): every row is in the control group; there is no offer.")
    rng = np.random.default_rng(seed)
    v, c = frame[value].to_numpy(dtype=float), frame[cost].to_numpy(dtype=float)
    ctl = np.flatnonzero(arms == control)
    tail = (1 - level) / 2
    rows = []
    for name in offers:
        idx = np.flatnonzero(arms == name)
        cost_pc = c[idx].mean()
        stat = _arm_stats(back, v, c, idx, ctl)
        boots = _arm_stats(back, v, c, idx[rng.integers(0, idx.size, (n_boot, idx.size))],
                           ctl[rng.integers(0, ctl.size, (n_boot, ctl.size))])
        row = {arm: name, "customers": idx.size, "control_customers": ctl.size,
               "return_rate": back[idx].mean(), "control_rate": back[ctl].mean(),
               "lift": stat["lift"], "incremental_value": stat["inc"],
               "cost_per_customer": cost_pc, "net_per_customer": stat["inc"] - cost_pc,
               "roi": stat["roi"]}
        for key, col in (("lift", "lift"), ("inc", "incremental_value"), ("roi", "roi")):
            lo, hi = np.nanquantile(boots[key], [tail, 1 - tail])
            row[f"{col}_lower"], row[f"{col}_upper"] = lo, hi
        rows.append(row)
    return pd.DataFrame(rows)


def _arm_stats(back, v, c, idx, ctl):
    """Lift, incremental value and ROI of offer rows ``idx`` against control rows ``ctl``."""
    lift = back[idx].mean(axis=-1) - back[ctl].mean(axis=-1)
    inc = v[idx].mean(axis=-1) - v[ctl].mean(axis=-1)
    spend = c[idx].mean(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        roi = np.where(spend > 0, (inc - spend) / np.where(spend > 0, spend, 1), np.nan)
    if np.ndim(roi) == 0:
        lift, inc, roi = float(lift), float(inc), float(roi)
    return {"lift": lift, "inc": inc, "roi": roi}


# ---------------------------------------------------------------- loss against a counterfactual


def counterfactual_loss(frame: pd.DataFrame, event_start, *, unit: str = "city",
                        date: str = "date", outcome: str = "visits",
                        control: str = "market_index", pre_start=None) -> pd.DataFrame:
    """What an event (a boycott, an outage) cost, against what would have happened.

    A raw before/after comparison mixes the event with the season (holidays, weekdays,
    growth). Here each ``unit``'s outcome is tracked against a ``control`` series that
    shares its seasons but not the event (e.g. footfall at other stores in the same city).
    Before ``event_start`` the outcome runs at a steady ratio k of the control; after it,
    the **counterfactual** (反事实) is k × control, and the loss is counterfactual − actual.

    ``k`` is the ratio of sums over the pre-period (from ``pre_start``, default: all
    rows before ``event_start``).

    >>> f = pd.DataFrame({"city": "A", "date": pd.date_range("2024-01-01", periods=4),
    ...                   "visits": [50, 100, 60, 80], "market_index": [100, 200, 200, 200]})
    >>> counterfactual_loss(f, "2024-01-03")[["date", "visits", "counterfactual", "loss"]]
            date  visits  counterfactual   loss
    0 2024-01-01      50            50.0    0.0
    1 2024-01-02     100           100.0    0.0
    2 2024-01-03      60           100.0   40.0
    3 2024-01-04      80           100.0   20.0
    """
    func = "counterfactual_loss"
    require_frame(frame, func)
    require_columns(frame, [unit, date, outcome, control], func)
    require_complete(frame, [unit, date, outcome, control], func)
    require_nonnegative_column(frame, outcome, func)
    require_nonnegative_column(frame, control, func)
    when = require_dates(frame, date, func)
    start = pd.Timestamp(event_start)
    first = when.min() if pre_start is None else pd.Timestamp(pre_start)
    out = frame[[unit, date, outcome, control]].copy()
    out[date] = when
    pre = (when >= first) & (when < start)
    sums = out[pre].groupby(unit, observed=True)[[outcome, control]].sum()
    missing = sorted(set(out[unit]) - set(sums.index[sums[control] > 0]))
    if missing:
        raise ValueError(f"{func}(): unit(s) {missing[:3]} have no pre-period rows (before "
                         f"{start.date()}) with a positive '{control}'; the counterfactual "
                         "needs a period before the event to learn from.")
    if not (when >= start).any():
        raise ValueError(f"{func}(): no rows on or after the event start {start.date()}.")
    k = out[unit].map(sums[outcome] / sums[control])
    out["counterfactual"] = k * out[control]
    out["loss"] = out["counterfactual"] - out[outcome]
    out["after_event"] = when >= start
    return out


def loss_summary(losses: pd.DataFrame, *, unit: str = "city", outcome: str = "visits",
                 date: str = "date", until=None, level: float = 0.95) -> pd.DataFrame:
    """Total loss per unit after the event, as counts and as a share, with an interval.

    ``losses`` is the output of :func:`counterfactual_loss`. The interval reflects how
    precisely the pre-period ratio k is known and the day-to-day noise of the period
    after (from the spread of the log ratio of outcome to counterfactual before the
    event); it assumes the control series is a fair stand-in, which no interval can
    check. ``peak_drop`` is the largest share lost in any one row (day or month).

    >>> f = pd.DataFrame({"city": "A", "date": pd.date_range("2024-01-01", periods=4),
    ...                   "visits": [50, 100, 60, 80], "market_index": [100, 200, 200, 200]})
    >>> loss_summary(counterfactual_loss(f, "2024-01-03"))[["city", "loss", "loss_share"]]
      city  loss  loss_share
    0    A  60.0         0.3
    """
    func = "loss_summary"
    require_frame(losses, func)
    require_columns(losses, [unit, date, outcome, "counterfactual", "loss", "after_event"],
                    func)
    level = require_number(level, "level", func, low=0, high=1, low_open=True, high_open=True)
    z = stats.norm.ppf(0.5 + level / 2)
    data = losses.copy()
    if until is not None:
        data = data[pd.to_datetime(data[date]) <= pd.Timestamp(until)]
    rows = []
    for name, part in data.groupby(unit, sort=True, observed=True):
        pre, post = part[~part["after_event"]], part[part["after_event"]]
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.log(pre[outcome] / pre["counterfactual"])
        logs = logs[np.isfinite(logs)]
        sd = logs.std(ddof=1) if len(logs) > 1 else 0.0
        # k is known to sd/√(pre rows); the post-period sum adds sd/√(post rows) of noise.
        se = sd * np.sqrt(1 / max(len(logs), 1) + 1 / max(len(post), 1))
        cf, actual = post["counterfactual"].sum(), post[outcome].sum()
        rows.append({unit: name, "actual": actual, "counterfactual": cf,
                     "loss": cf - actual, "loss_share": (cf - actual) / cf if cf else np.nan,
                     "loss_lower": cf * np.exp(-z * se) - actual,
                     "loss_upper": cf * np.exp(z * se) - actual,
                     "peak_drop": (post["loss"] / post["counterfactual"]).max()})
    return pd.DataFrame(rows)
