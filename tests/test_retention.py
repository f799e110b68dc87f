"""Loyalty matrix, satisfaction-retention curve, cohorts, repeat rate, share of wallet."""

import numpy as np
import pandas as pd
import pytest

from crm_course import retention as rt


def test_loyalty_segments_and_matrix_by_hand():
    f = pd.DataFrame({"attitude": [7, 6, 5, 2, 1, 3], "share_of_wallet": [0.9, 0.2, 0.5, 0.8,
                                                                           0.1, 0.3]})
    seg = rt.loyalty_segments(f, attitude_cut=5, behaviour_cut=0.5)
    assert seg.tolist() == ["true", "latent", "true", "spurious", "none", "none"]
    shares = rt.segment_shares(f, attitude_cut=5, behaviour_cut=0.5)
    assert shares.to_dict() == pytest.approx({"true": 2 / 6, "latent": 1 / 6,
                                              "spurious": 1 / 6, "none": 2 / 6})
    matrix = rt.loyalty_matrix(f, attitude_cut=5, behaviour_cut=0.5)
    assert matrix.loc["low", "high"] == "spurious 虚假忠诚: 0.167"
    # Median cuts by default: attitude median 4, share median 0.4.
    assert rt.loyalty_segments(f).tolist()[:2] == ["true", "latent"]


def test_satisfaction_curve_by_hand():
    f = pd.DataFrame({"satisfaction": [1, 1, 1, 1, 5, 5], "retained": [1, 0, 0, 0, 1, 1]})
    out = rt.satisfaction_loyalty_curve(f)
    assert out["retention_rate"].tolist() == [0.25, 1.0]
    assert out.loc[1, "margin_of_error"] == round(1.96 * np.sqrt(0.25 * 0.75 / 4), 2)


def test_retained_after_counts_only_late_purchases():
    cu = pd.DataFrame({"customer_id": ["a", "b", "c"], "acquired": ["2024-01-31"] * 3})
    tx = pd.DataFrame({"customer_id": ["a", "b", "b"],
                       "date": ["2025-01-30", "2024-02-01", "2025-03-01"]})
    assert rt.retained_after(tx, cu).tolist() == [False, True, False]
    assert rt.retained_after(tx, cu, months=1).tolist() == [True, True, False]


def test_cohort_retention_counts_and_shares():
    tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "c"],
                       "date": ["2024-01-01", "2024-01-20", "2024-03-05", "2024-01-09",
                                "2024-03-30"]})
    counts = rt.cohort_retention(tx, share=False)
    assert counts.loc["2024-01"].tolist() == [2, 0, 1]
    assert counts.loc["2024-03", 0] == 1 and np.isnan(counts.loc["2024-03", 1])
    quarterly = rt.cohort_retention(tx, period="Q")
    assert quarterly.loc["2024Q1", 0] == 1.0


def test_repeat_rate_and_share_of_wallet():
    tx = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "c"],
                       "date": ["2024-01-01", "2024-01-10", "2024-01-01", "2024-01-01",
                                "2024-06-01"]})
    assert rt.repeat_purchase_rate(tx) == pytest.approx(2 / 3)
    assert rt.repeat_purchase_rate(tx, within_days=30) == pytest.approx(1 / 3)
    f = pd.DataFrame({"our_spend": [30.0, 120.0], "category_spend": [120.0, 100.0]})
    assert rt.share_of_wallet(f).tolist() == [0.25, 1.0]


# ---- bad input ------------------------------------------------------------------------

def test_bad_input_messages():
    f = pd.DataFrame({"attitude": [1, 2], "share_of_wallet": [0.1, 0.2]})
    with pytest.raises(ValueError, match="needs a 'attitude' column"):
        rt.loyalty_segments(f.drop(columns="attitude"))
    with pytest.raises(TypeError, match="must be numeric scores"):
        rt.loyalty_matrix(f.assign(attitude=["high", "low"]))
    with pytest.raises(ValueError, match="empty table"):
        rt.segment_shares(f.iloc[:0])
    with pytest.raises(ValueError, match="must be True/False"):
        rt.satisfaction_loyalty_curve(pd.DataFrame({"satisfaction": [1], "retained": ["yes"]}))
    with pytest.raises(ValueError, match="needs a 'acquired' column"):
        rt.retained_after(pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"]}),
                          pd.DataFrame({"customer_id": ["a"]}))
    tx = pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"]})
    with pytest.raises(ValueError, match="period must be 'M'"):
        rt.cohort_retention(tx, period="W")
    with pytest.raises(ValueError, match="within_days must lie in"):
        rt.repeat_purchase_rate(tx, within_days=0)
    with pytest.raises(ValueError, match="must hold dates"):
        rt.repeat_purchase_rate(tx.assign(date=["later"]))
    with pytest.raises(ValueError, match="'category_spend' of 0"):
        rt.share_of_wallet(pd.DataFrame({"our_spend": [1.0], "category_spend": [0.0]}))
    with pytest.raises(ValueError, match="'our_spend' has 1 negative"):
        rt.share_of_wallet(pd.DataFrame({"our_spend": [-1.0], "category_spend": [5.0]}))
