"""Beareyes dataset: structure and the planted BG/NBD, Gamma-Gamma and tactic effects."""

import numpy as np
import pandas as pd
import pytest

import crm_course as crm
from crm_course.clv_models import BetaGeo, GammaGamma, calibration_holdout
from crm_course.clv_models import summary_from_transactions as summarise


@pytest.fixture(scope="module")
def be():
    t, truth = crm.load("beareyes"), crm.load_truth("beareyes")
    s = summarise(t.orders, observation_end=truth["observation_end"])
    s = s.join(t.customers.set_index("customer_id")[["occupation", "points_card",
                                                     "community_member"]])
    s["it"] = s.occupation == "IT professional"
    return t, truth, s


def rate(group):
    p = BetaGeo().fit(group).params_
    return p["r"] / p["alpha"]


def test_tables_are_consistent(be):
    t, _, _ = be
    c, o, p, f = t.customers, t.orders, t.points, t.community
    assert c.customer_id.is_unique and len(c) == 5000
    first = o.groupby("customer_id").date.min()
    assert (first == c.set_index("customer_id").acquired).all()
    assert o.date.max() <= pd.Timestamp("2003-06-30") and (o.amount > 0).all()
    assert set(p.customer_id) <= set(c.customer_id[c.points_card])
    assert set(f.customer_id) == set(c.customer_id[c.community_member])
    balance = p.assign(s=np.where(p.kind == "earned", p.points, -p.points)).groupby(
        "customer_id").s.sum()
    assert (balance >= 0).all() and set(p.kind) == {"earned", "redeemed"}


def test_base_group_recovers_planted_bgnbd(be):
    _, truth, s = be
    base = s[~s.it & ~s.community_member & ~s.points_card]
    est = BetaGeo().fit(base).params_
    planted = truth["bgnbd_weekly_base"]
    assert est["r"] / est["alpha"] == pytest.approx(planted["r"] / planted["alpha"], rel=0.1)
    assert est["a"] / (est["a"] + est["b"]) == pytest.approx(
        planted["a"] / (planted["a"] + planted["b"]), rel=0.1)
    for k in planted:
        assert est[k] == pytest.approx(planted[k], rel=0.25), k


def test_gamma_gamma_recovers_mean_spend(be):
    _, truth, s = be
    p = GammaGamma().fit(s).params_
    assert p["p"] * p["gamma"] / (p["q"] - 1) == pytest.approx(
        truth["mean_spend_per_order_cny"], rel=0.08)


def test_randomised_points_card_effect(be):
    _, truth, s = be
    effect = rate(s[s.points_card]) / rate(s[~s.points_card])
    assert effect == pytest.approx(truth["rate_multiplier"]["points_card"], abs=0.1)


def test_community_effect_needs_occupation(be):
    _, truth, s = be
    planted = truth["rate_multiplier"]["community_member"]
    naive = rate(s[s.community_member]) / rate(s[~s.community_member])
    within = [rate(g[g.community_member]) / rate(g[~g.community_member])
              for _, g in s.groupby("it")]
    assert naive > planted + 0.15
    for w in within:
        assert w == pytest.approx(planted, abs=0.12)


def test_holdout_forecast_close_to_actual(be):
    t, _, _ = be
    ch = calibration_holdout(t.orders, calibration_end="2002-12-31",
                             observation_end="2003-06-30")
    forecast = BetaGeo().fit(ch).predict(ch, ch.duration_holdout.iloc[0]).sum()
    assert forecast == pytest.approx(ch.frequency_holdout.sum(), rel=0.06)
