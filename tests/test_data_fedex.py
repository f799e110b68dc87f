"""FedEx dataset: accounts, the good/bad/ugly profitability, and deflected calls."""

import numpy as np
import pandas as pd
import pytest

import crm_course as crm
from crm_course import callcenter
from crm_course.data import fedex


@pytest.fixture(scope="module")
def fx():
    return crm.load("fedex"), crm.load_truth("fedex")


@pytest.fixture(scope="module")
def profit(fx):
    t, truth = fx
    p = t.shipments.groupby("account_id")[["revenue", "cost_to_serve"]].sum()
    p["profit"] = p.revenue - p.cost_to_serve
    p["kind"] = pd.Series(truth["kind_of_account"])
    return p


def test_tables_are_consistent(fx):
    t, _ = fx
    assert t.accounts.account_id.is_unique and len(t.accounts) == 600
    assert t.accounts.company.is_unique
    assert set(t.shipments.account_id) == set(t.accounts.account_id)
    assert len(t.shipments) == 600 * 12
    assert (t.shipments[["shipments", "revenue", "cost_to_serve"]] >= 0).all().all()
    assert t.calls.groupby("date").size().eq(24).all()
    assert t.calls.date.dt.day_of_week.max() == 4
    assert t.calls.aht_seconds.between(100, 400).all()
    monthly = t.shipments.groupby("month").shipments.sum()
    assert (monthly.to_numpy() == t.tracking_adoption.shipments.to_numpy()).all()


def test_good_bad_ugly(profit, fx):
    _, truth = fx
    losing = profit[profit.profit < 0]
    assert (losing.kind.isin(["ugly", "bad"])).all()
    assert (losing.kind == "ugly").mean() > 0.8
    ugly = profit[profit.kind == "ugly"]
    assert (ugly.profit < 0).all()
    assert (profit[profit.kind == "good"].profit > 0).all()
    shares = profit.kind.value_counts(normalize=True)
    for kind, share in truth["kind_share"].items():
        assert shares[kind] == pytest.approx(share, abs=0.05)
    # The ugly accounts are big shippers: their volume per account is the largest.
    vol = fx[0].shipments.groupby("account_id").shipments.sum()
    assert vol.groupby(profit.kind).mean().idxmax() == "ugly"


def test_deflection_is_recoverable(fx):
    t, truth = fx
    month = t.calls.date.dt.strftime("%Y-%m")
    per = t.tracking_adoption.set_index("month")
    rate = t.calls.groupby(month).tracking_calls.sum() / per.shipments
    slope, intercept = np.polyfit(per.tracked_share, rate, 1)
    assert -slope / intercept == pytest.approx(truth["deflection"], abs=0.08)
    assert intercept == pytest.approx(truth["wismo_calls_per_shipment_without_tracking"],
                                      rel=0.1)
    assert per.tracked_share.is_monotonic_increasing


def test_handling_time_mix(fx):
    t, truth = fx
    c = t.calls
    aht = truth["aht_seconds"]
    expected = (c.tracking_calls * aht["tracking"] + c.other_calls * aht["other"]).sum() / (
        c.tracking_calls + c.other_calls).sum()
    weighted = (c.aht_seconds * (c.tracking_calls + c.other_calls)).sum() / (
        c.tracking_calls + c.other_calls).sum()
    assert weighted == pytest.approx(expected, rel=0.02)


def test_peak_needs_a_real_team(fx):
    c = fx[0].calls
    jan = c[c.date.dt.month == 1].groupby("period")[["tracking_calls", "other_calls"]].mean()
    peak = jan.sum(axis=1).max()
    assert 80 < peak < 200
    assert callcenter.agents_needed(peak, 260) > 10


def test_size_scales_accounts():
    small = fedex.build(size=0.1)
    assert len(small.tables["accounts"]) == 60
