"""Churn measurement, survival, prediction and win-back: hand checks, truth, bad input."""

import numpy as np
import pandas as pd
import pytest

import crm_course as crm
from crm_course import churn

# ---- measuring churn -----------------------------------------------------------------


def test_churn_rate_overall_and_by_segment():
    f = pd.DataFrame({"plan": ["a", "a", "a", "b"], "churned": [True, False, False, True]})
    overall = churn.churn_rate(f)
    assert overall.loc[0, "churn_rate"] == pytest.approx(0.5)
    by = churn.churn_rate(f, "plan").set_index("plan")
    assert by.loc["a", "churn_rate"] == pytest.approx(1 / 3)
    assert by.loc["b", "retention_rate"] == 0


def test_churn_rate_bad_inputs():
    with pytest.raises(ValueError, match=r"churn_rate\(\) was given an empty table"):
        churn.churn_rate(pd.DataFrame({"churned": []}))
    with pytest.raises(ValueError, match="must hold 0/1 or True/False"):
        churn.churn_rate(pd.DataFrame({"churned": ["yes", "no"]}))
    with pytest.raises(ValueError, match="needs a 'plan' column"):
        churn.churn_rate(pd.DataFrame({"churned": [1]}), "plan")


def test_period_churn_counts_active_customers_at_the_start():
    f = pd.DataFrame({"start": ["2024-01-01", "2024-01-01", "2024-02-15", "2024-05-01"],
                      "end": ["2024-05-10", None, "2024-08-01", None],
                      "seg": ["x", "y", "x", "y"]})
    out = churn.period_churn(f, first="2024-04-01", last="2024-09-30")
    # Q2: three active on 1 April (the May joiner counts from Q3), one leaves.
    assert out.active_at_start.tolist() == [3, 3]
    assert out.churned.tolist() == [1, 1]
    by = churn.period_churn(f, first="2024-04-01", last="2024-06-30", by="seg")
    assert by.set_index("seg").loc["x", "churn_rate"] == pytest.approx(0.5)


def test_period_churn_bad_inputs():
    f = pd.DataFrame({"start": ["2024-03-01"], "end": ["2024-02-01"]})
    with pytest.raises(ValueError, match="end before they start"):
        churn.period_churn(f, first="2024-01-01", last="2024-12-31")
    ok = f.assign(end=None)
    with pytest.raises(ValueError, match="no period of frequency"):
        churn.period_churn(ok, first="2024-01-02", last="2024-01-03")


def test_reasons_pareto_hand_example():
    f = pd.DataFrame({"reason": list("aabbbc"), "side": ["company"] * 5 + ["customer"]})
    out = churn.reasons_pareto(f)
    assert out.reason.tolist() == ["b", "a", "c"]
    assert out.cumulative_share.iloc[-1] == pytest.approx(1.0)
    assert out["count"].tolist() == [3, 2, 1]
    assert churn.reasons_pareto(f, side=None).columns.tolist() == [
        "reason", "count", "share", "cumulative_share"]


def test_reasons_pareto_bad_inputs():
    with pytest.raises(ValueError, match="must say 'company' or 'customer'"):
        churn.reasons_pareto(pd.DataFrame({"reason": ["a"], "side": ["us"]}))
    both = pd.DataFrame({"reason": ["a", "a"], "side": ["company", "customer"]})
    with pytest.raises(ValueError, match="marked both"):
        churn.reasons_pareto(both)


# ---- survival ------------------------------------------------------------------------

SMALL = pd.DataFrame({"duration": [1, 2, 2, 3, 4], "churned": [1, 1, 0, 1, 0]})


def test_kaplan_meier_hand_computed():
    km = churn.km_curves(SMALL)
    # S(1) = 4/5, S(2) = 4/5 * 3/4, S(3) = 0.6 * 1/2.
    np.testing.assert_allclose(km.survival, [1, 0.8, 0.6, 0.3])
    assert (km.lower <= km.survival).all() and (km.survival <= km.upper).all()
    assert km.lower.min() >= 0 and km.upper.max() <= 1
    # Greenwood: var S(1) = 0.8^2 * 1/(5*4) -> se 0.1789; log-log band at 95 %.
    s, se = 0.8, 0.8 * np.sqrt(1 / 20)
    w = 1.959964 * se / abs(s * np.log(s))
    assert km.lower.iloc[1] == pytest.approx(s ** np.exp(w), rel=1e-5)
    assert km.upper.iloc[1] == pytest.approx(s ** np.exp(-w), rel=1e-5)
    at = churn.survival_at(km, [2.5])
    assert at.survival.iloc[0] == pytest.approx(0.6)


def test_kaplan_meier_by_group_starts_each_curve_at_one():
    f = pd.concat([SMALL.assign(g="a"), SMALL.assign(g="b", churned=0)], ignore_index=True)
    km = churn.km_curves(f, "g")
    assert km.groupby("g").survival.first().tolist() == [1.0, 1.0]
    assert (km[km.g == "b"].survival == 1).all()      # all censored: flat curve


@pytest.mark.parametrize("bad, message", [
    (SMALL.assign(churned=0), "no events"),
    (SMALL.assign(duration=[1, -2, 2, 3, 4]), "negative duration"),
    (SMALL.iloc[0:0], "empty table"),
    (SMALL.assign(duration=["a"] * 5), "must be numeric"),
    (SMALL.assign(duration=[1, None, 2, 3, 4]), "missing value"),
])
def test_survival_functions_reject_bad_input(bad, message):
    with pytest.raises((ValueError, TypeError), match=message):
        churn.km_curves(bad)
    with pytest.raises((ValueError, TypeError), match=message):
        churn.logrank_test(bad.assign(g=["a", "a", "b", "b", "b"][:len(bad)]), "g")
    with pytest.raises((ValueError, TypeError), match=message):
        churn.HazardModel(["x"]).fit(bad.assign(x=[0, 1, 0, 1, 0][:len(bad)]))


def test_survival_at_bad_input():
    with pytest.raises(ValueError, match="needs a 'lower' column"):
        churn.survival_at(pd.DataFrame({"time": [0], "survival": [1.0]}), [1])


def test_logrank_matches_hand_computation():
    f = pd.DataFrame({"duration": [1, 2, 3, 4, 5, 6, 7, 8], "churned": [1] * 7 + [0],
                      "plan": ["a"] * 4 + ["b"] * 4})
    # Observed - expected for group a, and its hypergeometric variance, by hand.
    o_minus_e, var = 0.0, 0.0
    t, e, g = f.duration.to_numpy(), f.churned.to_numpy(), f.plan.to_numpy()
    for u in t[e == 1]:
        risk = t >= u
        n, n1 = risk.sum(), (risk & (g == "a")).sum()
        o_minus_e += (g[t == u][0] == "a") - n1 / n
        var += (n1 / n) * (1 - n1 / n)
    out = churn.logrank_test(f, "plan")
    assert out.chi_square.iloc[0] == pytest.approx(o_minus_e**2 / var)
    assert out.df.iloc[0] == 1
    with pytest.raises(ValueError, match="at least two groups"):
        churn.logrank_test(f.assign(plan="a"), "plan")


def test_hazard_model_recovers_a_planted_ratio_and_predicts():
    rng = np.random.default_rng(4)
    n = 3000
    f = pd.DataFrame({"plan": rng.choice(["basic", "gold"], n), "calls": rng.poisson(1, n)})
    xb = 0.6 * (f.plan == "basic") + 0.3 * f.calls
    f["duration"] = rng.exponential(1 / np.exp(xb))
    f["churned"] = f.duration < 2
    f["duration"] = f.duration.clip(upper=2)
    model = churn.HazardModel(["plan", "calls"], reference={"plan": "gold"}).fit(f)
    s = model.summary()
    assert s.index.tolist() == ["plan=basic", "calls"]
    assert s.loc["plan=basic", "coef"] == pytest.approx(0.6, abs=0.08)
    assert s.loc["calls", "hazard_ratio"] == pytest.approx(np.exp(0.3), rel=0.06)
    assert (s.hr_lower < s.hazard_ratio).all() and (s.hazard_ratio < s.hr_upper).all()
    rel = model.predict(pd.DataFrame({"plan": ["gold", "basic"], "calls": [0, 0]}))
    assert rel.iloc[0] == pytest.approx(1.0)
    assert rel.iloc[1] == pytest.approx(np.exp(s.loc["plan=basic", "coef"]))


def test_hazard_model_bad_inputs():
    f = SMALL.assign(x=1.0)
    with pytest.raises(ValueError, match="take a single value"):
        churn.HazardModel("x").fit(f)
    with pytest.raises(ValueError, match="reference level 'z' is not in column 'g'"):
        churn.HazardModel("g", reference={"g": "z"}).fit(SMALL.assign(g=list("ababa")))
    with pytest.raises(ValueError, match="fit the model first"):
        churn.HazardModel("x").summary()
    fitted = churn.HazardModel("g").fit(SMALL.assign(g=list("ababa")))
    with pytest.raises(ValueError, match=r"value\(s\) \['c'\] that the model was not fitted"):
        fitted.predict(pd.DataFrame({"g": ["c"]}))


def test_hazard_model_recovers_the_chapter_10_truth():
    customers, truth = crm.load("ch10_churn").customers, crm.load_truth("ch10_churn")
    model = churn.HazardModel(["contract", "segment", "autopay", "early_complaints"],
                              duration="tenure_months", reference=truth["reference_levels"])
    s = model.fit(customers).summary()
    for term, planted in truth["log_hazard_ratios"].items():
        assert s.loc[term, "coef"] == pytest.approx(planted, abs=0.2), term
        # Every planted value lies inside (a slightly widened) 95 % interval.
        assert s.loc[term, "coef_lower"] - 0.05 < planted < s.loc[term, "coef_upper"] + 0.05


# ---- prediction ----------------------------------------------------------------------

SCORED = pd.DataFrame({"churned": [1, 1, 0, 1, 0, 0, 0, 0],
                       "score": [.9, .8, .7, .6, .5, .4, .3, .2]})


def test_roc_auc_hand_example():
    # Pairs (churner, stayer) ranked right: 3*5 - 1 wrong (0.6 < 0.7) = 14 of 15.
    assert churn.roc_auc(SCORED) == pytest.approx(14 / 15)


def test_lift_and_gains_hand_example():
    out = churn.lift_table(SCORED, bins=2)
    assert out.churners.tolist() == [3, 0]
    assert out.lift.tolist() == pytest.approx([2.0, 0.0])
    assert out.gain.tolist() == pytest.approx([1.0, 1.0])
    assert out.cumulative_lift.iloc[-1] == pytest.approx(1.0)


def test_calibration_table_hand_example():
    out = churn.calibration_table(SCORED, bins=2)
    assert out.predicted.tolist() == pytest.approx([0.35, 0.75])
    assert out.observed.tolist() == pytest.approx([0.0, 0.75])


@pytest.mark.parametrize("func", [churn.roc_auc, churn.lift_table, churn.calibration_table])
def test_evaluation_rejects_one_class_and_bad_scores(func):
    with pytest.raises(ValueError, match="only one class"):
        func(SCORED.assign(churned=0))
    with pytest.raises(ValueError, match="empty table"):
        func(SCORED.iloc[0:0])
    with pytest.raises(TypeError, match="numeric scores"):
        func(SCORED.assign(score="high"))


def test_calibration_needs_probabilities():
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
        churn.calibration_table(SCORED.assign(score=SCORED.score * 10))


def test_classifier_is_honest_on_held_out_chapter_10_customers():
    c = crm.load("ch10_churn").customers
    snap = pd.Timestamp("2024-06-30")
    active = c[(c.signup <= snap) & (c.churn_date.isna() | (c.churn_date > snap))].copy()
    active["left_h2"] = active.churn_date.notna()
    train, test = active.iloc[::2], active.iloc[1::2]
    features = ["contract", "segment", "autopay", "early_complaints", "monthly_fee"]
    clf = churn.ChurnClassifier(features, target="left_h2").fit(train)
    test = test.assign(score=clf.predict_proba(test))
    assert 0.65 < churn.roc_auc(test, target="left_h2") < 0.9
    lift = churn.lift_table(test, target="left_h2")
    assert lift.lift.iloc[0] > 1.8 and lift.gain.iloc[-1] == pytest.approx(1.0)
    cal = churn.calibration_table(test, bins=5, target="left_h2")
    assert (cal.predicted - cal.observed).abs().max() < 0.08
    assert clf.coefficients()["early_complaints"] > 0


def test_classifier_bad_inputs():
    with pytest.raises(ValueError, match="only one class"):
        churn.ChurnClassifier("x").fit(pd.DataFrame({"x": [1, 2], "churned": [0, 0]}))
    with pytest.raises(ValueError, match="fit the classifier first"):
        churn.ChurnClassifier("x").predict_proba(pd.DataFrame({"x": [1]}))


def test_select_at_budget():
    f = pd.DataFrame({"customer_id": list("abcd"), "score": [0.1, 0.9, 0.5, 0.5]})
    out = churn.select_at_budget(f, budget=25, cost=10)
    assert out.customer_id.tolist() == ["b", "c"]
    assert out.cumulative_cost.tolist() == [10.0, 20.0]
    assert churn.select_at_budget(f, budget=5, cost=10).empty
    with pytest.raises(ValueError, match=r"cost must lie in \(0, inf\]"):
        churn.select_at_budget(f, budget=5, cost=0)
    with pytest.raises(ValueError, match="negative value"):
        churn.select_at_budget(f.assign(v=-1), budget=5, cost=1, value="v")


# ---- win-back ------------------------------------------------------------------------


def test_winback_priority_and_bad_inputs():
    f = pd.DataFrame({"customer_id": ["a", "b"], "value": [100.0, 400.0], "chance": [.5, .1]})
    out = churn.winback_priority(f)
    assert out.customer_id.tolist() == ["a", "b"]
    assert out.expected_gain.tolist() == [50.0, 40.0]
    with pytest.raises(ValueError, match="probabilities in"):
        churn.winback_priority(f.assign(chance=[0.5, 1.5]))
    with pytest.raises(ValueError, match="must be unique"):
        churn.winback_priority(f.assign(customer_id="a"))
    per_customer = churn.winback_priority(f.assign(cost=[60.0, 10.0]), cost="cost")
    assert per_customer.set_index("customer_id").expected_gain.to_dict() == {"a": -10.0,
                                                                             "b": 30.0}
    with pytest.raises(ValueError, match="needs a 'fee' column"):
        churn.winback_priority(f, cost="fee")


def test_winback_roi_hand_example_and_interval():
    f = pd.DataFrame({"offer": ["control"] * 4 + ["coupon"] * 4,
                      "returned": [0, 0, 0, 1, 1, 1, 0, 1],
                      "margin": [0, 0, 0, 40, 50, 40, 0, 30],
                      "cost": [0, 0, 0, 0, 5, 5, 5, 5]})
    out = churn.winback_roi(f, seed=1).iloc[0]
    assert out.lift == pytest.approx(0.5)
    assert out.incremental_value == pytest.approx(20.0)
    assert out.roi == pytest.approx(3.0)
    assert out.lift_lower <= out.lift <= out.lift_upper
    again = churn.winback_roi(f, seed=1).iloc[0]
    assert again.roi_lower == out.roi_lower     # seeded: the interval repeats


def test_winback_roi_bad_inputs():
    f = pd.DataFrame({"offer": ["coupon", "coupon"], "returned": [0, 1], "margin": [0, 1],
                      "cost": [1, 1]})
    with pytest.raises(ValueError, match="no 'control' rows"):
        churn.winback_roi(f)
    with pytest.raises(ValueError, match="there is no offer"):
        churn.winback_roi(f.assign(offer="control"))
    with pytest.raises(ValueError, match="negative value"):
        churn.winback_roi(f.assign(offer=["control", "x"], cost=[-1, 1]))


def test_winback_recovers_the_chapter_10_lift():
    w, truth = crm.load("ch10_churn").winback, crm.load_truth("ch10_churn")
    out = churn.winback_roi(w, value="margin_12m").iloc[0]
    planted = truth["winback"]["expected_lift_in_sample"]
    assert out.lift_lower < planted < out.lift_upper
    assert out.lift == pytest.approx(planted, abs=0.04)


# ---- loss against a counterfactual ---------------------------------------------------


def test_counterfactual_loss_hand_example():
    f = pd.DataFrame({"city": "A", "date": pd.date_range("2024-01-01", periods=4),
                      "visits": [50, 100, 60, 80], "market_index": [100, 200, 200, 200]})
    out = churn.counterfactual_loss(f, "2024-01-03")
    assert out.loss.tolist() == [0, 0, 40, 20]
    s = churn.loss_summary(out)
    assert s.loss.iloc[0] == 60 and s.loss_share.iloc[0] == pytest.approx(0.3)
    assert s.peak_drop.iloc[0] == pytest.approx(0.4)


def test_counterfactual_loss_bad_inputs():
    f = pd.DataFrame({"city": "A", "date": pd.date_range("2024-01-01", periods=2),
                      "visits": [5, 6], "market_index": [1, 1]})
    with pytest.raises(ValueError, match="no pre-period rows"):
        churn.counterfactual_loss(f, "2023-01-01")
    with pytest.raises(ValueError, match="no rows on or after"):
        churn.counterfactual_loss(f, "2025-01-01")
    with pytest.raises(ValueError, match="negative value"):
        churn.counterfactual_loss(f.assign(visits=[-1, 1]), "2024-01-02")
    with pytest.raises(ValueError, match="needs a 'counterfactual' column"):
        churn.loss_summary(f)
