"""Lifetime value, retention economics, lifecycle, word of mouth, delivered value."""

import pandas as pd
import pytest

import crm_course as crm


@pytest.mark.parametrize("r, i, timing, expected", [
    (0.8, 0.12, "end", 2.50),     # DESIGN.md: r/(1+i-r)
    (0.8, 0.12, "start", 3.50),   # (1+i)/(1+i-r)
    (0.5, 0.0, "end", 1.0),
    (0.9, 0.10, "end", 4.5),
])
def test_margin_multiple_published_and_hand_values(r, i, timing, expected):
    assert crm.margin_multiple(r, i, timing) == pytest.approx(expected, abs=1e-9)


def test_clv_hand_computed_finite_horizon():
    # 100 × (0.8/1.1 + 0.8²/1.1² + 0.8³/1.1³) worked by hand
    expected = 100 * (0.8 / 1.1 + 0.64 / 1.21 + 0.512 / 1.331)
    assert crm.clv(100, 0.8, 0.1, horizon=3) == pytest.approx(expected)
    # start-of-period: 100 × (1 + 0.8/1.1 + 0.64/1.21)
    assert crm.clv(100, 0.8, 0.1, horizon=3, timing="start") == pytest.approx(
        100 * (1 + 0.8 / 1.1 + 0.64 / 1.21))


def test_finite_horizon_converges_to_unlimited_value():
    assert crm.clv(100, 0.8, 0.12, horizon=400) == pytest.approx(crm.clv(100, 0.8, 0.12))


def test_clv_subtracts_acquisition_cost():
    assert crm.clv(100, 0.8, 0.12, acquisition_cost=60) == pytest.approx(190)


def test_clv_table_columns_add_up():
    table = crm.clv_table(50, 0.7, 0.05, horizon=6)
    assert table.present_value.sum() == pytest.approx(table.cumulative_clv.iloc[-1])
    assert table.survival.iloc[0] == pytest.approx(0.7)


def test_retention_economics_matches_clv_and_rises_with_retention():
    table = crm.retention_economics(100, 0.8, 0.12, changes=(-0.05, 0.0, 0.05))
    assert table.clv.is_monotonic_increasing
    assert table.loc[1, "profit_change_pct"] == 0
    assert table.loc[2, "clv"] == pytest.approx(crm.clv(100, 0.85, 0.12))


@pytest.mark.parametrize("call, message", [
    (lambda: crm.clv(100, 1.0, 0.1), r"retention must lie in \[0, 1\)"),
    (lambda: crm.clv(100, 0.8, -0.1), r"discount must lie in \[0, inf\]"),
    (lambda: crm.clv("100", 0.8, 0.1), "margin must be a number"),
    (lambda: crm.clv(100, float("nan"), 0.1), "retention must be a finite number"),
    (lambda: crm.margin_multiple(0.8, 0.1, timing="middle"), "timing must be 'end' or 'start'"),
    (lambda: crm.clv_table(100, 0.8, 0.1, horizon=0), r"horizon must lie in \[1"),
    (lambda: crm.clv_table(100, 0.8, 0.1, horizon=2.5), "whole number of periods"),
    (lambda: crm.clv(100, 0.8, 0.1, acquisition_cost=-5), "acquisition_cost must lie"),
    (lambda: crm.retention_economics(100, 0.95, 0.1, changes=(0.1,)), "retention \\+ change"),
])
def test_value_bad_inputs_say_what_to_fix(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_lifecycle_stages_recover_the_planted_stage_starts():
    tables = crm.load("ch01_concepts")
    planted = crm.load_truth("ch01_concepts")["lifecycle_stage_starts_month"]
    stages = crm.lifecycle_stages(crm.lifecycle_curve(tables.transactions, tables.customers))
    found = stages.groupby("stage").tenure_month.min()
    assert found["exploration"] == 0
    for stage, month in planted.items():
        assert abs(found[stage] - month) <= 1, (stage, found[stage], month)


def test_lifecycle_curve_bad_inputs():
    tx = pd.DataFrame({"customer_id": [1], "date": ["2024-01-01"], "amount": [-5.0]})
    cu = pd.DataFrame({"customer_id": [1], "acquired": ["2024-01-01"]})
    with pytest.raises(ValueError, match="'amount' has 1 negative"):
        crm.lifecycle_curve(tx, cu)
    with pytest.raises(ValueError, match="needs a 'date' column; the frame has: customer_id"):
        crm.lifecycle_curve(tx.drop(columns="date"), cu)
    early = tx.assign(amount=5.0, date="2023-12-01")
    with pytest.raises(ValueError, match="dated before the customer was acquired"):
        crm.lifecycle_curve(early, cu)
    with pytest.raises(ValueError, match="missing from the customer table"):
        crm.lifecycle_curve(tx.assign(amount=5.0, customer_id=2), cu)
    with pytest.raises(ValueError, match="must be unique"):
        crm.lifecycle_curve(tx.assign(amount=5.0), pd.concat([cu, cu]))
    with pytest.raises(ValueError, match="empty table"):
        crm.lifecycle_curve(tx.iloc[:0], cu)
    with pytest.raises(TypeError, match="needs a pandas DataFrame"):
        crm.lifecycle_curve([1, 2], cu)


def test_lifecycle_stages_bad_thresholds():
    curve = pd.DataFrame({"tenure_month": [0, 1], "spend_per_order": [1.0, 2.0]})
    with pytest.raises(ValueError, match="high must lie in"):
        crm.lifecycle_stages(curve, low=0.6, high=0.5)


def test_word_of_mouth_finds_the_planted_advocates():
    tables = crm.load("ch01_concepts")
    truth = crm.load_truth("ch01_concepts")
    customers = tables.customers.assign(value=1.0)
    wom = crm.word_of_mouth_value(customers)
    advocate = wom.customer_id.isin(truth["advocates"])
    ratio = wom.referrals[advocate].mean() / wom.referrals[~advocate].mean()
    # Planted: advocates are 6× as likely to be named as referrer.
    assert 4 < ratio < 8


def test_word_of_mouth_bad_inputs():
    cu = pd.DataFrame({"customer_id": [1, 2], "value": [1.0, 2.0], "referred_by": [None, 9]})
    with pytest.raises(ValueError, match="referred by an id not in 'customer_id'"):
        crm.word_of_mouth_value(cu)
    with pytest.raises(ValueError, match="missing value"):
        crm.word_of_mouth_value(cu.assign(value=[1.0, None], referred_by=None))


def test_delivered_value_bad_inputs():
    offers = pd.DataFrame({"product": [8], "price": [-1]})
    with pytest.raises(ValueError, match="'price' has 1 negative"):
        crm.delivered_value(offers, ["product"], ["price"])
    with pytest.raises(ValueError, match="at least one value column and one cost column"):
        crm.delivered_value(offers, ["product"], [])
