"""Chapter 10 dataset: structure, planted churn truth, and reproducibility."""

import numpy as np
import pandas as pd
import pytest

import crm_course as crm
from crm_course import churn, data


@pytest.fixture(scope="module")
def ch10():
    return crm.load("ch10_churn"), crm.load_truth("ch10_churn")


def test_tables_are_consistent(ch10):
    t, _ = ch10
    c = t.customers
    assert c.customer_id.is_unique and len(c) == 4000
    assert (c.tenure_months >= 0).all()
    assert (c.churn_date.notna() == c.churned).all()
    assert (c.churn_date.dropna() <= pd.Timestamp("2024-12-31")).all()
    assert set(c.contract) == {"monthly", "1-year", "2-year"}
    assert set(t.exit_survey.customer_id) <= set(c.customer_id[c.churned])
    assert set(t.exit_survey.side) == {"company", "customer"}
    assert set(t.winback.offer) == {"offer", "control"}
    assert (t.winback.margin_12m[~t.winback.returned] == 0).all()
    assert (t.winback.cost[t.winback.offer == "control"] == 0).all()


def test_exit_survey_shares_match_the_truth(ch10):
    t, truth = ch10
    shares = churn.reasons_pareto(t.exit_survey).set_index("reason")["share"]
    complainer = t.customers.set_index("customer_id").early_complaints > 0
    w = complainer.reindex(t.exit_survey.customer_id).mean()
    for reason, planted in truth["reason_shares"].items():
        expected = (1 - w) * planted["no_complaint"] + w * planted["complainer"]
        assert shares[reason] == pytest.approx(expected, abs=0.035), reason


def test_contracts_keep_customers_longer(ch10):
    t, _ = ch10
    km = churn.km_curves(t.customers, "contract", duration="tenure_months")
    at24 = churn.survival_at(km, [24], by="contract").set_index("contract").survival
    assert at24["2-year"] > at24["1-year"] > at24["monthly"]


def test_offer_helps_company_side_leavers_most(ch10):
    t, truth = ch10
    w = t.winback
    lifts = {side: churn.winback_roi(w[w.reason_side == side], value="margin_12m").lift[0]
             for side in ("company", "customer")}
    assert lifts["company"] > lifts["customer"]
    assert truth["winback"]["offer_lift"]["company"] > truth["winback"]["offer_lift"]["customer"]


def test_build_is_deterministic_and_scales():
    a, b = data.build("ch10_churn", size=0.1), data.build("ch10_churn", size=0.1)
    pd.testing.assert_frame_equal(a.tables["customers"], b.tables["customers"])
    assert len(a.tables["customers"]) == 400
    other = data.build("ch10_churn", size=0.1, seed=7)
    assert not np.array_equal(other.tables["customers"].tenure_months,
                              a.tables["customers"].tenure_months)
