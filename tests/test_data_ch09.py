"""Chapter 9 dataset: structure and the planted loyalty truth, recovered by the analysis."""

import pandas as pd
import pytest

import crm_course as crm
from crm_course import retention as rt
from crm_course.loyalty import period_rates, programme_effect


@pytest.fixture(scope="module")
def ch09():
    t, truth = crm.load("ch09_loyalty"), crm.load_truth("ch09_loyalty")
    t.customers["retained"] = rt.retained_after(t.orders, t.customers, months=12)
    return t, truth


def test_tables_are_consistent(ch09):
    t, _ = ch09
    c, o, s = t.customers, t.orders, t.survey
    assert c.customer_id.is_unique and len(c) == 2000
    assert set(o.customer_id) == set(c.customer_id) and set(s.customer_id) <= set(c.customer_id)
    first = o.groupby("customer_id").date.min()
    assert (first == c.set_index("customer_id").acquired).all()
    assert c.cohort.nunique() == 12 and o.date.max() <= pd.Timestamp("2024-12-31")
    assert (c.joined.notna() == c.member).all() and (o.amount > 0).all()
    assert s.satisfaction.between(1, 5).all() and s.attitude.between(1, 7).all()


def test_satisfaction_curve_recovers_planted_retention(ch09):
    t, truth = ch09
    f = t.survey.merge(t.customers[["customer_id", "retained"]])
    curve = rt.satisfaction_loyalty_curve(f)
    for score, planted in truth["retention_12m_by_satisfaction"].items():
        row = curve.loc[int(score)]
        assert abs(row.retention_rate - planted) < max(0.08, row.margin_of_error), score
    assert curve.loc[5, "retention_rate"] - curve.loc[4, "retention_rate"] > 0.2


def test_loyalty_matrix_recovers_type_shares(ch09):
    t, truth = ch09
    spend = t.orders[t.orders.date.dt.year == 2023].groupby("customer_id").amount.sum()
    f = t.survey.merge(t.customers[["customer_id", "retained"]])
    f = f[f.retained].assign(our_spend=lambda d: d.customer_id.map(spend).fillna(0),
                             category_spend=lambda d: d.category_spend_month * 12)
    f["share_of_wallet"] = rt.share_of_wallet(f)
    cuts = truth["suggested_cuts"]
    shares = rt.segment_shares(f, attitude_cut=cuts["attitude"],
                               behaviour_cut=cuts["share_of_wallet"])
    for kind, planted in truth["type_shares_among_retained"].items():
        assert shares[kind] == pytest.approx(planted, abs=0.05), kind


def test_programme_difference_in_differences_recovers_uplift(ch09):
    t, truth = ch09
    p = truth["periods"]
    rates = period_rates(t.orders, t.customers, {"before": tuple(p["before"]),
                                                 "after": tuple(p["after"])})
    rates["member"] = t.customers.member.to_numpy()
    est = programme_effect(rates)["uplift"]
    assert est["difference-in-differences"] == pytest.approx(truth["programme_order_uplift"],
                                                             abs=0.05)
    assert est["naive"] > 3 * truth["programme_order_uplift"]


def test_cohort_table_flattens_after_the_first_year(ch09):
    t, _ = ch09
    table = rt.cohort_retention(t.orders)
    assert table.shape[0] == 12 and (table[0] == 1).all()
    early, late = table[[1, 2]].mean().mean(), table[[18, 24]].mean().mean()
    assert early > late > 0.2
    assert abs(table[18].mean() - table[24].mean()) < 0.05
