"""Classifier, clustering and association rules, by hand and against the planted truth."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

import crm_course as crm
from crm_course import mining

PROFILE_FEATURES = ["annual_spend", "orders_per_year", "discount_share", "online_share"]


@pytest.fixture(scope="module")
def data():
    return crm.load("ch02_technology"), crm.load_truth("ch02_technology")


def test_rules_by_hand():
    b = pd.DataFrame({"basket_id": [1, 1, 2, 2, 3, 3, 4],
                      "item": ["a", "b", "a", "b", "a", "c", "b"]})
    rules = mining.association_rules(b, min_support=0).set_index(["antecedent", "consequent"])
    # a in 3 of 4 baskets, b in 3, both in 2: support 0.5, conf(a→b) 2/3, lift (2/3)/(3/4).
    assert rules.loc[("a", "b"), "support"] == pytest.approx(0.5)
    assert rules.loc[("a", "b"), "confidence"] == pytest.approx(2 / 3)
    assert rules.loc[("a", "b"), "lift"] == pytest.approx((2 / 3) / 0.75)
    assert rules.loc[("c", "a"), "confidence"] == pytest.approx(1.0)
    assert ("b", "c") not in rules.index          # never together
    assert len(mining.association_rules(b, min_confidence=0.9)) == 1


def test_rules_recover_the_planted_pairs(data):
    tables, truth = data
    rules = mining.association_rules(tables.basket_items).set_index(
        ["antecedent", "consequent"])
    top = set(rules.head(6).index)
    for pair in truth["item_pairs"].values():
        key = (pair["antecedent"], pair["consequent"])
        assert key in top
        assert rules.loc[key, "confidence"] == pytest.approx(pair["confidence"], abs=0.06)
        assert rules.loc[key, "lift"] == pytest.approx(pair["lift"], rel=0.2)
        assert rules.loc[key, "support"] == pytest.approx(pair["support"], rel=0.2)
    others = rules.drop(index=list(top))
    assert (others["lift"] < 1.5).all()


def test_response_model_recovers_the_planted_coefficients(data):
    tables, truth = data
    features = ["app_user", "orders_12m", "complaints_12m", "age"]
    model = mining.ResponseModel(features).fit(tables.offer_responses)
    coef = model.coefficients()["coefficient"]
    tol = {"intercept": 0.35, "app_user": 0.2, "orders_12m": 0.06, "complaints_12m": 0.15,
           "age": 0.008}
    for name, value in truth["response_logit"].items():
        assert coef[name] == pytest.approx(value, abs=tol[name]), name
    scores = model.evaluate(tables.offer_responses)
    assert 0.68 < scores["auc"] < 0.8 and scores["lift_top"] > 1.8
    assert model.predict(tables.offer_responses, 0.5).dtype == bool


def test_segmenter_recovers_the_planted_groups(data):
    tables, truth = data
    profiles = tables.customer_profiles
    seg = mining.Segmenter(PROFILE_FEATURES, 4, log_features=["annual_spend"]).fit(profiles)
    groups = seg.predict(profiles)
    planted = profiles["profile_id"].map(truth["group_of_profile"])
    assert adjusted_rand_score(planted, groups) > 0.9
    profile = seg.profile(profiles)
    assert profile["share"].sum() == pytest.approx(1.0)
    assert profile.loc[0, "annual_spend"] > 10_000       # the high-value group comes first
    bend = mining.elbow(profiles, PROFILE_FEATURES, ks=[3, 4, 5],
                        log_features=["annual_spend"]).set_index("k")["inertia"]
    assert bend[3] - bend[4] > 3 * (bend[4] - bend[5])


def test_segmenter_by_hand():
    f = pd.DataFrame({"x": [0.0, 0.2, 10.0, 10.2]})
    seg = mining.Segmenter(["x"], 2).fit(f)
    assert seg.predict(f).tolist() == [1, 1, 0, 0]
    assert seg.profile(f)["x"].tolist() == pytest.approx([10.1, 0.1])


@pytest.mark.parametrize("call, error, match", [
    (lambda t: mining.association_rules(t.basket_items, basket="order"), ValueError,
     "needs a 'order' column"),
    (lambda t: mining.association_rules(t.basket_items, min_support=2), ValueError,
     "min_support must lie"),
    (lambda t: mining.ResponseModel(["age"]).fit(t.offer_responses.assign(responded=True)),
     ValueError, "both true and false"),
    (lambda t: mining.ResponseModel("age").fit(t.offer_responses), TypeError,
     "list of column names"),
    (lambda t: mining.ResponseModel(["customer_id"]).fit(t.offer_responses), TypeError,
     "must be numeric"),
    (lambda t: mining.ResponseModel(["age"]).predict_proba(t.offer_responses), ValueError,
     "not fitted"),
    (lambda t: mining.ResponseModel(["age"]).fit(t.offer_responses).predict(
        t.offer_responses, 1.5), ValueError, "threshold"),
    (lambda t: mining.ResponseModel(["age"]).fit(t.offer_responses.assign(
        age=np.nan)), ValueError, "missing value"),
    (lambda t: mining.Segmenter(PROFILE_FEATURES, 0).fit(t.customer_profiles), ValueError,
     "k must be"),
    (lambda t: mining.Segmenter(["orders_per_year"], 2, log_features=["x"]).fit(
        t.customer_profiles), ValueError, "not among the features"),
    (lambda t: mining.Segmenter(["orders_per_year"], 5).fit(t.customer_profiles.head(3)),
     ValueError, "cannot form 5 groups"),
    (lambda t: mining.Segmenter(["orders_per_year"], 2).predict(t.customer_profiles),
     ValueError, "not fitted"),
    (lambda t: mining.elbow(t.customer_profiles, ["nope"]), ValueError, "needs a 'nope'"),
])
def test_bad_input(call, error, match, data):
    with pytest.raises(error, match=match):
        call(data[0])
