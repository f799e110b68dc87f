"""Chapter 2 dataset: silos that disagree, a sales mart, and data for mining."""

import numpy as np
import pandas as pd
import pytest

import crm_course as crm
from crm_course import data
from crm_course.data import chapter02


@pytest.fixture(scope="module")
def ch02():
    return crm.load("ch02_technology"), crm.load_truth("ch02_technology")


def test_keys_are_unique_and_facts_refer_to_them(ch02):
    t, _ = ch02
    for table, key in [("sales_customers", "sales_id"), ("service_customers", "cust_no"),
                       ("marketing_contacts", "contact_id"), ("sales_orders", "order_id"),
                       ("service_tickets", "ticket_id")]:
        assert t[table][key].is_unique, table
    assert set(t.sales_orders.sales_id) <= set(t.sales_customers.sales_id)
    assert set(t.service_tickets.cust_no) <= set(t.service_customers.cust_no)


def test_the_silos_disagree_in_style(ch02):
    t, _ = ch02
    assert t.sales_customers.mobile.str.fullmatch(r"1\d{10}").all()
    assert t.service_customers.phone.str.fullmatch(r"\+86 1\d{2}-\d{4}-\d{4}").all()
    assert t.marketing_contacts.phone.str.fullmatch(r"1\d{2} \d{4} \d{4}").all()
    assert t.service_customers.city.str.endswith("市").all()
    assert t.service_customers.contact_name.str.contains(" ").mean() > 0.2
    assert t.marketing_contacts.city.isna().mean() == pytest.approx(0.2, abs=0.05)
    assert t.service_tickets.opened.str.fullmatch(r"\d{2}/\d{2}/\d{4}").all()
    assert t.marketing_contacts.signed_up.str.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日").all()


def test_truth_of_who_is_who(ch02):
    t, truth = ch02
    keys = truth["source_key_to_person"]
    assert set(keys["sales"]) == set(t.sales_customers.sales_id)
    assert set(keys["service"]) == set(t.service_customers.cust_no)
    assert set(keys["marketing"]) == set(t.marketing_contacts.contact_id)
    people = set().union(*(set(v.values()) for v in keys.values()))
    assert len(people) == truth["people"]
    # The phone identifies a person in every silo.
    digits = {"sales": t.sales_customers.set_index("sales_id").mobile,
              "service": t.service_customers.set_index("cust_no").phone.str.replace(
                  r"\D", "", regex=True).str[2:],
              "marketing": t.marketing_contacts.set_index("contact_id").phone.str.replace(
                  " ", "")}
    phone_of = {}
    for source, phones in digits.items():
        for key, phone in phones.items():
            assert phone_of.setdefault(keys[source][key], phone) == phone
    assert truth["service_people_registered_twice"] == len(t.service_customers) - len(
        set(keys["service"].values()))
    for source, share in chapter02.SHARE_IN.items():
        assert truth["people_in_source"][source] / 800 == pytest.approx(share, abs=0.05)


def test_mart_is_a_complete_cube(ch02):
    mart = ch02[0].sales_mart
    cells = mart.groupby(["month", "city", "product", "channel"]).size()
    assert (cells == 1).all()
    assert len(cells) == 24 * mart.city.nunique() * 8 * 2
    assert (mart.units >= 0).all() and (mart.revenue >= 0).all()
    assert ((mart.revenue == 0) == (mart.units == 0)).all()


def test_responses_follow_the_planted_logit(ch02):
    t, truth = ch02
    r, c = t.offer_responses, truth["response_logit"]
    logit = (c["intercept"] + c["app_user"] * r.app_user + c["orders_12m"] * r.orders_12m
             + c["complaints_12m"] * r.complaints_12m + c["age"] * r.age)
    expected = (1 / (1 + np.exp(-logit))).mean()
    assert r.responded.mean() == pytest.approx(expected, abs=0.02)


def test_profiles_and_baskets(ch02):
    t, truth = ch02
    groups = t.customer_profiles.profile_id.map(truth["group_of_profile"])
    for name, g in truth["groups"].items():
        assert (groups == name).mean() == pytest.approx(g["share"], abs=0.04)
        spend = t.customer_profiles.annual_spend[groups == name].median()
        assert spend == pytest.approx(g["annual_spend"], rel=0.1)
    b = t.basket_items
    assert b.basket_id.nunique() == 4000
    assert not b.duplicated().any()


def test_size_and_seed(ch02):
    small = data.build("ch02_technology", size=0.25, seed=5)
    assert len(small.tables["offer_responses"]) == 750
    assert small.tables["basket_items"].basket_id.nunique() == 1000
    assert isinstance(small.tables["sales_customers"], pd.DataFrame)


def test_hotline_follows_the_planted_day(ch02):
    t, truth = ch02
    h, planted = t.hotline_calls, truth["hotline"]
    weekend = h.date.dt.day_of_week >= 5
    weekday_mean = h[~weekend].groupby("period").calls.mean()
    expected = pd.Series(planted["expected_weekday_calls_by_period"])
    assert (weekday_mean - expected).abs().max() < 4 * np.sqrt(expected.max() / 20)
    ratio = h[weekend].calls.sum() / h[~weekend].calls.sum() * (20 / 8)
    assert ratio == pytest.approx(planted["weekend_multiplier"], abs=0.05)
    aht = (h.aht_seconds * h.calls).sum() / h.calls.sum()
    assert aht == pytest.approx(planted["aht_seconds"], rel=0.02)
