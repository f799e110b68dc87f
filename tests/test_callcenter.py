"""Erlang C against the published worked example, hand checks, simulation, bad input."""

import math

import pandas as pd
import pytest

from crm_course import callcenter as cc


def test_published_worked_example():
    # DESIGN.md: 100 calls / 30 min, 180 s AHT, 14 agents.
    kpi = cc.erlang_c(100, 180, 14, 20)
    assert kpi["erlangs"] == pytest.approx(10.0)
    assert kpi["prob_wait"] == pytest.approx(0.1741, abs=5e-5)
    assert kpi["service_level"] == pytest.approx(0.8884, abs=5e-5)
    assert kpi["asa_seconds"] == pytest.approx(7.84, abs=0.005)
    assert kpi["occupancy"] == pytest.approx(0.714, abs=5e-4)
    assert cc.service_level(100, 180, 13, 20) == pytest.approx(0.7956, abs=5e-5)
    assert cc.agents_needed(100, 180, target_level=0.8, target_time=20) == 14


def test_hand_computed_single_agent():
    # One agent is M/M/1: P(wait) = rho, SL(t) = 1 - rho * exp(-(1 - rho) t / s).
    assert cc.prob_wait(5, 180, 1) == pytest.approx(0.5)
    assert cc.service_level(5, 180, 1, 60) == pytest.approx(1 - 0.5 * math.exp(-0.5 * 60 / 180))
    assert cc.average_speed_of_answer(5, 180, 1) == pytest.approx(0.5 * 180 / 0.5)
    # Two agents, A = 1: Erlang B = 0.2, C = 2*0.2/(2 - 1*0.8) = 1/3.
    assert cc.erlang_b(1, 2) == pytest.approx(0.2)
    assert cc.prob_wait(10, 180, 2) == pytest.approx(1 / 3)


def test_large_centre_is_stable():
    # 2,000 Erlangs: a factorial formula would overflow; the recursion does not.
    p = cc.prob_wait(20_000, 180, 2_100)
    assert 0 < p < 0.1 and math.isfinite(p)


def test_shrinkage_and_occupancy_cap():
    assert cc.agents_needed(100, 180, shrinkage=0.3) == 20
    assert cc.agents_needed(100, 180, max_occupancy=0.65) == 16   # 10/16 = 0.625
    assert cc.agents_needed(0, 180) == 0
    assert cc.agents_needed(100, 180, target_level=0.9) == 15


def test_simulation_agrees_with_erlang_c():
    sim = cc.simulate_queue(100, 180, 14, seed=3)
    assert sim["prob_wait"] == pytest.approx(0.1741, abs=0.015)
    assert sim["service_level"] == pytest.approx(0.8884, abs=0.015)
    assert sim["asa_seconds"] == pytest.approx(7.84, rel=0.15)
    assert sim["occupancy"] == pytest.approx(0.714, abs=0.015)
    again = cc.simulate_queue(100, 180, 14, seed=3)
    assert sim.equals(again)


def test_erlang_table():
    table = cc.erlang_table(100, 180, range(13, 16))
    assert table.index.tolist() == [13, 14, 15]
    assert table.loc[14, "service_level"] == pytest.approx(0.8884, abs=5e-5)
    assert (table["service_level"].diff().dropna() > 0).all()


def test_staffing_plan():
    day = pd.DataFrame({"period": ["08:00", "08:30", "09:00"], "calls": [0, 40, 100],
                        "aht": [180.0, 180.0, 180.0]})
    plan = cc.staffing_plan(day, shrinkage=0.3)
    assert plan["agents"].tolist() == [0, 7, 14]
    assert plan["scheduled"].tolist() == [0, 10, 20]
    assert (plan.loc[1:, "service_level"] >= 0.8).all()
    fixed = cc.staffing_plan(day[["period", "calls"]], aht=180)
    assert fixed["agents"].tolist() == [0, 7, 14]


@pytest.mark.parametrize("call, match", [
    (lambda: cc.prob_wait(100, 180, 10), "queue grows without end"),
    (lambda: cc.prob_wait(100, 180, 0), "at least 1"),
    (lambda: cc.prob_wait(100, -5, 14), "aht"),
    (lambda: cc.prob_wait(-1, 180, 14), "calls must lie"),
    (lambda: cc.prob_wait(100, 180, 13.5), "whole number"),
    (lambda: cc.service_level(100, 180, 14, -20), "target_time"),
    (lambda: cc.average_speed_of_answer(100, 180, 9), "Use at least 11 agents"),
    (lambda: cc.occupancy(100, 180, "14"), "whole number"),
    (lambda: cc.erlang_c(100, 180, 0), "at least 1"),
    (lambda: cc.erlang_b(-1, 3), "erlangs must lie"),
    (lambda: cc.traffic_intensity(100, 180, 0), "interval"),
    (lambda: cc.agents_needed(100, 180, target_level=1.2), "target_level"),
    (lambda: cc.agents_needed(100, 180, shrinkage=1.0), "shrinkage"),
    (lambda: cc.simulate_queue(100, 180, 10), "queue grows without end"),
    (lambda: cc.erlang_table(100, 180, range(8, 12)), "Use at least 11 agents"),
    (lambda: cc.erlang_table(100, 180, []), "at least one number of agents"),
    (lambda: cc.staffing_plan(pd.DataFrame({"period": [1], "calls": [-3], "aht": [180]})),
     "negative"),
    (lambda: cc.staffing_plan(pd.DataFrame({"period": [1], "calls": [3], "aht": [0]})),
     "above zero"),
    (lambda: cc.staffing_plan(pd.DataFrame({"period": [1], "volume": [3]})),
     "needs a 'calls' column"),
])
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
