"""Carrefour 2008 dataset: structure, the planted boycott and win-back truth, size."""

import pandas as pd
import pytest

import crm_course as crm
from crm_course import churn, data
from crm_course.data import carrefour
from crm_course.datasets import DATA_ROOT


@pytest.fixture(scope="module")
def cf():
    return crm.load("carrefour_2008"), crm.load_truth("carrefour_2008")


def test_tables_cover_2008_and_real_cities(cf):
    t, truth = cf
    days = t.store_daily.date
    assert days.min() == pd.Timestamp("2008-01-01") and days.max() == pd.Timestamp("2008-12-31")
    assert len(t.store_daily) == 366 * len(t.stores)
    assert set(t.stores.city) == set(carrefour.CITIES) == set(truth["cities"])
    assert set(t.members.city) <= set(carrefour.CITIES)
    assert t.store_daily.groupby(["date", "store_id"]).size().max() == 1
    assert len(t.member_monthly) == 12 * len(t.members)
    assert (t.winback.spend_nov_dec[~t.winback.returned] == 0).all()
    size = sum(p.stat().st_size for p in (DATA_ROOT / "carrefour_2008").iterdir())
    assert size < 4_000_000


def test_counterfactual_recovers_each_citys_loss(cf):
    t, truth = cf
    city = (t.store_daily.groupby(["city", "date"], as_index=False).visits.sum()
            .merge(t.market_daily, on=["city", "date"]))
    summary = churn.loss_summary(churn.counterfactual_loss(city, truth["boycott_start"]))
    summary = summary.set_index("city")
    for name, planted in truth["cities"].items():
        assert summary.loc[name, "loss_share"] == pytest.approx(planted["lost_share"],
                                                                abs=0.012), name
    total = summary.loss.sum()
    assert total == pytest.approx(truth["national"]["lost_visits"], rel=0.08)
    # The raw before/after comparison (March vs May) is far from the truth.
    march = city[city.date.dt.month == 3].visits.sum() / 31
    may = city[city.date.dt.month == 5].visits.sum() / 31
    assert abs((1 - may / march) - truth["national"]["lost_share"]) > 0.02


def test_segment_drops_are_recovered_from_members(cf):
    t, truth = cf
    mm = t.member_monthly.merge(t.members[["member_id", "segment"]])
    seg = mm.groupby(["segment", "month"], as_index=False).visits.sum()
    market = (t.market_daily.assign(month=t.market_daily.date.dt.to_period("M").dt.start_time)
              .groupby("month", as_index=False).market_index.sum())
    losses = churn.counterfactual_loss(seg.merge(market), "2008-04-01", unit="segment",
                                       date="month")
    may_jun = losses[losses.month.dt.month.isin([5, 6])].groupby("segment")[
        ["visits", "counterfactual"]].sum()
    drop = 1 - may_jun.visits / may_jun.counterfactual
    for name, planted in truth["segments"].items():
        assert drop[name] == pytest.approx(planted["expected_drop_may_jun"], abs=0.05), name


def test_winback_offers_recover_their_lift(cf):
    t, truth = cf
    w = t.winback.assign(margin=t.winback.spend_nov_dec * truth["member_margin_rate"])
    out = churn.winback_roi(w, value="margin").set_index("offer")
    assert set(out.index) == set(truth["offers"])
    for name, planted in truth["offers"].items():
        assert out.loc[name, "lift_lower"] - 0.02 < planted["expected_lift_in_sample"] \
            < out.loc[name, "lift_upper"] + 0.02, name
    assert out.loc["coupon", "lift"] > out.loc["double_points", "lift"]


def test_left_for_good_members_stop_visiting(cf):
    t, truth = cf
    gone = set(truth["left_for_good"]["boycott"])
    visits = t.member_monthly[t.member_monthly.member_id.isin(gone)]
    late = visits[(visits.month >= "2008-06-01") & (visits.month < "2008-11-01")]
    assert late.visits.sum() == 0 and len(gone) > 100


def test_planted_boycott_curve():
    days = pd.date_range("2008-04-01", "2008-12-31")
    drop = carrefour.boycott_drop(days, 0.3, 30, 0.02)
    s = pd.Series(drop, index=days)
    assert s["2008-04-14"] == 0 and s["2008-05-03"] == pytest.approx(0.3)
    assert s["2008-06-06"] == pytest.approx(0.02 + 0.28 * 0.5)
    assert s["2008-12-31"] == pytest.approx(0.02, abs=0.002)


def test_build_is_deterministic_and_scales():
    a, b = data.build("carrefour_2008", size=0.1), data.build("carrefour_2008", size=0.1)
    pd.testing.assert_frame_equal(a.tables["winback"], b.tables["winback"])
    assert len(a.tables["members"]) == 500
