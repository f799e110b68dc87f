"""Loyalty programme evaluation against the truth planted in the Starbucks data."""

import pandas as pd
import pytest

import crm_course as crm


@pytest.fixture(scope="module")
def starbucks_rates():
    tables, truth = crm.load("starbucks"), crm.load_truth("starbucks")
    periods = {"before": truth["periods"]["before"], "after": truth["periods"]["after"]}
    rates = crm.loyalty.period_rates(tables.visits, tables.customers, periods)
    return rates.assign(member=tables.customers.member.to_numpy()), truth


def test_difference_in_differences_recovers_the_planted_uplift(starbucks_rates):
    rates, truth = starbucks_rates
    effect = crm.loyalty.programme_effect(rates).uplift
    assert effect["difference-in-differences"] == pytest.approx(
        truth["programme_visit_uplift"], abs=0.05)
    # Self-selection makes the naive comparison many times too large.
    assert effect["naive"] > 5 * truth["programme_visit_uplift"]


def test_period_rates_count_every_visit_once(starbucks_rates):
    rates, truth = starbucks_rates
    visits = crm.load("starbucks").visits
    before = visits[visits.date.dt.year == 2023]
    assert (rates.before * 365 / 7).sum() == pytest.approx(len(before))


def test_programme_effect_bad_inputs():
    frame = pd.DataFrame({"member": [True, True], "before": [1.0, 2.0], "after": [1.0, 2.0]})
    with pytest.raises(ValueError, match="needs both members and non-members"):
        crm.loyalty.programme_effect(frame)
    with pytest.raises(ValueError, match="needs a 'after' column"):
        crm.loyalty.programme_effect(frame.drop(columns="after"))
    bad = frame.assign(member=[True, False], before=[-1.0, 1.0])
    with pytest.raises(ValueError, match="cannot be negative"):
        crm.loyalty.programme_effect(bad)
    zero = frame.assign(member=[True, False], before=[0.0, 0.0])
    with pytest.raises(ValueError, match="zero average rate"):
        crm.loyalty.programme_effect(zero)


def test_period_rates_bad_inputs():
    events = pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"]})
    customers = pd.DataFrame({"customer_id": ["a"]})
    with pytest.raises(ValueError, match="at least one period"):
        crm.loyalty.period_rates(events, customers, {})
    with pytest.raises(ValueError, match="ends before it starts"):
        crm.loyalty.period_rates(events, customers, {"x": ("2024-02-01", "2024-01-01")})
    with pytest.raises(ValueError, match="must hold dates"):
        crm.loyalty.period_rates(events.assign(date="soon"), customers,
                                 {"x": ("2024-01-01", "2024-02-01")})
