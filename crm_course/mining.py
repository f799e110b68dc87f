"""Data mining in miniature (数据挖掘): classify, cluster, and find items bought together.

Book section 2.2. Three classic tasks, each on a well-kept library where one exists:

- **classification** (分类): who will respond to an offer? A logistic regression
  (scikit-learn) learns from past responses and scores new customers;
- **clustering** (聚类): which groups of similar customers are there? k-means
  (scikit-learn) on standardised features;
- **association rules** (关联规则, market-basket analysis 购物篮分析): which items go
  together? For pairs of items, support, confidence and lift are counted with pandas.

Each fitted model follows scikit-learn's ``fit`` / ``predict`` convention and takes a
tidy DataFrame with named columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

from .inputs import require_columns, require_complete, require_frame, require_number


def _features(frame, features, func, *, target=None):
    require_frame(frame, func)
    if isinstance(features, str) or not features:
        raise TypeError(f"{func}(): features must be a list of column names, e.g. "
                        "['age', 'orders_12m'].")
    need = list(features) + ([target] if target else [])
    require_columns(frame, need, func)
    require_complete(frame, need, func)
    X = frame[list(features)]
    for column in features:
        if not (pd.api.types.is_numeric_dtype(X[column]) or pd.api.types.is_bool_dtype(
                X[column])):
            raise TypeError(f"{func}(): feature '{column}' must be numeric or true/false; "
                            "turn categories into 0/1 columns first (pd.get_dummies).")
    return X.astype(float).to_numpy()


def _fitted(model, attribute, func):
    if not hasattr(model, attribute):
        raise ValueError(f"{func}(): the model is not fitted yet; call .fit(frame) first.")


class ResponseModel:
    """Who responds to an offer: a logistic regression (逻辑回归) on customer features.

    Coefficients are per unit of each feature, on the log-odds scale; ``exp`` of one is
    the odds ratio (优势比). The fit is unpenalised, so they estimate the true ones.

    >>> rng = np.random.default_rng(0)
    >>> f = pd.DataFrame({"app_user": rng.random(4000) < 0.5})
    >>> f["responded"] = rng.random(4000) < np.where(f["app_user"], 0.5, 0.2)
    >>> m = ResponseModel(["app_user"]).fit(f)
    >>> m.coefficients().round(1)
               coefficient  odds_ratio
    feature
    intercept         -1.4         0.3
    app_user           1.4         3.9
    """

    def __init__(self, features, target: str = "responded"):
        self.features = list(features) if not isinstance(features, str) else features
        self.target = target

    def fit(self, frame: pd.DataFrame) -> ResponseModel:
        func = "ResponseModel.fit"
        X = _features(frame, self.features, func, target=self.target)
        y = frame[self.target]
        if not set(pd.unique(y.astype(int))) <= {0, 1} or y.nunique() < 2:
            raise ValueError(f"{func}(): '{self.target}' must hold both true and false "
                             "(1 and 0) answers.")
        self.model_ = LogisticRegression(C=np.inf, max_iter=1000).fit(X, y.astype(int))
        return self

    def predict_proba(self, frame: pd.DataFrame) -> pd.Series:
        """Probability that each customer responds."""
        func = "ResponseModel.predict_proba"
        _fitted(self, "model_", func)
        X = _features(frame, self.features, func)
        return pd.Series(self.model_.predict_proba(X)[:, 1], index=frame.index,
                         name="p_respond")

    def predict(self, frame: pd.DataFrame, threshold: float = 0.5) -> pd.Series:
        """True where the response probability is at least ``threshold``."""
        t = require_number(threshold, "threshold", "ResponseModel.predict", low=0, high=1)
        return (self.predict_proba(frame) >= t).rename("predicted")

    def coefficients(self) -> pd.DataFrame:
        """Intercept and coefficient of each feature, with odds ratios."""
        _fitted(self, "model_", "ResponseModel.coefficients")
        coef = np.r_[self.model_.intercept_, self.model_.coef_[0]]
        return pd.DataFrame({"coefficient": coef, "odds_ratio": np.exp(coef)},
                            index=pd.Index(["intercept", *self.features], name="feature"))

    def evaluate(self, frame: pd.DataFrame, top_share: float = 0.2) -> pd.Series:
        """How well the scores rank customers on data the model has not seen.

        ``auc``: chance a random responder scores above a random non-responder (0.5 =
        guessing); ``lift_top``: response rate in the top ``top_share`` of scores over
        the overall rate (提升度).
        """
        func = "ResponseModel.evaluate"
        share = require_number(top_share, "top_share", func, low=0, high=1, low_open=True)
        p = self.predict_proba(frame)
        require_columns(frame, [self.target], func)
        y = frame[self.target].astype(int)
        top = p.rank(ascending=False, method="first") <= max(1, round(share * len(p)))
        return pd.Series({"customers": float(len(y)), "response_rate": y.mean(),
                          "auc": roc_auc_score(y, p),
                          "lift_top": y[top].mean() / y.mean() if y.mean() else np.nan},
                         name="evaluation")


class Segmenter:
    """Customer groups by k-means (k均值聚类) on standardised features.

    ``log_features`` are log-transformed first (spend is skewed: one big spender would
    otherwise pull a centre alone). ``n_init`` random starts are tried and the best kept.
    Clusters are numbered by their mean of the first feature, largest first, so the
    numbering does not depend on the random start.

    >>> f = pd.DataFrame({"spend": [1, 2, 1, 50, 52, 51], "visits": [1, 1, 2, 9, 8, 9]})
    >>> seg = Segmenter(["spend", "visits"], k=2).fit(f)
    >>> seg.predict(f).tolist()
    [1, 1, 1, 0, 0, 0]
    """

    def __init__(self, features, k: int = 4, *, log_features=(), seed: int = 0,
                 n_init: int = 10):
        self.features = list(features) if not isinstance(features, str) else features
        self.k = k
        self.log_features = list(log_features)
        self.seed = seed
        self.n_init = n_init

    def _matrix(self, frame, func):
        X = _features(frame, self.features, func)
        for column in self.log_features:
            if column not in self.features:
                raise ValueError(f"{func}(): log feature '{column}' is not among the features.")
            j = self.features.index(column)
            if (X[:, j] < 0).any():
                raise ValueError(f"{func}(): '{column}' has negative values; it cannot be "
                                 "log-transformed.")
            X[:, j] = np.log1p(X[:, j])
        return X

    def fit(self, frame: pd.DataFrame) -> Segmenter:
        func = "Segmenter.fit"
        if isinstance(self.k, bool) or not isinstance(self.k, (int, np.integer)) or self.k < 1:
            raise ValueError(f"{func}(): k must be a whole number of groups, at least 1.")
        X = self._matrix(frame, func)
        if len(X) < self.k:
            raise ValueError(f"{func}(): {len(X)} customers cannot form {self.k} groups.")
        self.scaler_ = StandardScaler().fit(X)
        self.model_ = KMeans(self.k, n_init=self.n_init, random_state=self.seed).fit(
            self.scaler_.transform(X))
        raw = self.model_.predict(self.scaler_.transform(X))
        order = pd.Series(X[:, 0]).groupby(raw).mean().sort_values(ascending=False).index
        self.relabel_ = {int(old): new for new, old in enumerate(order)}
        self.inertia_ = float(self.model_.inertia_)
        return self

    def predict(self, frame: pd.DataFrame) -> pd.Series:
        """The group of each customer (0 = highest mean of the first feature)."""
        func = "Segmenter.predict"
        _fitted(self, "model_", func)
        raw = self.model_.predict(self.scaler_.transform(self._matrix(frame, func)))
        return pd.Series([self.relabel_[int(r)] for r in raw], index=frame.index,
                         name="segment")

    def profile(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Size and mean of every feature per group, in the features' own units."""
        groups = self.predict(frame)
        out = frame[self.features].groupby(groups).mean()
        out.insert(0, "customers", groups.value_counts().sort_index())
        out.insert(1, "share", out["customers"] / len(groups))
        return out


def elbow(frame: pd.DataFrame, features, ks=range(1, 9), *, log_features=(),
          seed: int = 0) -> pd.DataFrame:
    """Within-group spread (inertia) for each number of groups: look for the bend.

    Three random starts per *k* keep it quick; the bend is what matters, not the last digit.

    >>> f = pd.DataFrame({"x": [0, 0.1, 5, 5.1, 10, 10.1]})
    >>> elbow(f, ["x"], ks=[1, 3]).round(3)["inertia"].tolist()
    [6.0, 0.001]
    """
    rows = [{"k": k, "inertia": Segmenter(features, k, log_features=log_features, seed=seed,
                                          n_init=3).fit(frame).inertia_} for k in ks]
    return pd.DataFrame(rows)


def association_rules(baskets: pd.DataFrame, *, basket: str = "basket_id", item: str = "item",
                      min_support: float = 0.01, min_confidence: float = 0.0) -> pd.DataFrame:
    """Rules "A → B" for every ordered pair of items, with support, confidence and lift.

    - support (支持度): share of baskets holding both A and B;
    - confidence (置信度): share of baskets with A that also hold B, P(B | A);
    - lift (提升度): confidence over the share of all baskets with B; above 1, A makes B
      more likely than usual.

    ``baskets`` has one row per item in a basket. Rules below ``min_support`` or
    ``min_confidence`` are left out; the rest are sorted by lift.

    >>> b = pd.DataFrame({"basket_id": [1, 1, 2, 2, 3, 4],
    ...                   "item": ["tea", "cup", "tea", "cup", "tea", "pen"]})
    >>> association_rules(b, min_support=0.5)
      antecedent consequent  baskets  support  confidence  lift
    0        cup        tea        2      0.5    1.000000  1.333333
    1        tea        cup        2      0.5    0.666667  1.333333
    """
    func = "association_rules"
    require_frame(baskets, func)
    require_columns(baskets, [basket, item], func)
    require_complete(baskets, [basket, item], func)
    s = require_number(min_support, "min_support", func, low=0, high=1)
    c = require_number(min_confidence, "min_confidence", func, low=0, high=1)
    onehot = pd.crosstab(baskets[basket], baskets[item]).gt(0).astype(int)
    n = len(onehot)
    together = onehot.T @ onehot                     # baskets holding both items
    single = pd.Series(np.diag(together), index=together.index)
    pairs = together.stack()
    pairs.index.names = ["antecedent", "consequent"]
    pairs = pairs[pairs.index.get_level_values(0) != pairs.index.get_level_values(1)]
    rules = pairs.rename("baskets").reset_index()
    rules["support"] = rules["baskets"] / n
    rules["confidence"] = rules["baskets"] / rules["antecedent"].map(single).to_numpy()
    rules["lift"] = rules["confidence"] / (rules["consequent"].map(single).to_numpy() / n)
    keep = (rules["support"] >= s) & (rules["confidence"] >= c) & (rules["baskets"] > 0)
    rules = rules[keep].sort_values(["lift", "support", "antecedent"],
                                    ascending=[False, False, True], kind="stable")
    return rules.reset_index(drop=True)


__all__ = ["ResponseModel", "Segmenter", "association_rules", "elbow"]
