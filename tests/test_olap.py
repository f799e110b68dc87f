"""OLAP moves by hand, and the sales mart's planted growth, channel shift and surge."""

import pandas as pd
import pytest

import crm_course as crm
from crm_course import olap


@pytest.fixture(scope="module")
def mart():
    return olap.add_periods(crm.load("ch02_technology").sales_mart)


@pytest.fixture
def tiny():
    return pd.DataFrame({"year": ["2023", "2023", "2024", "2024"],
                         "region": ["东", "西", "东", "西"], "city": ["a", "b", "a", "c"],
                         "channel": ["on", "off", "off", "on"], "revenue": [1.0, 2.0, 3.0, 4.0]})


def test_moves_by_hand(tiny):
    assert olap.pivot(tiny, "region")["revenue"].to_dict() == {"东": 4.0, "西": 6.0}
    assert olap.pivot(tiny, "region", totals=True).loc["Total", "revenue"] == 10.0
    assert olap.slice(tiny, "year", "2024")["revenue"].sum() == 7.0
    assert "year" not in olap.slice(tiny, "year", "2024")
    assert olap.dice(tiny, {"region": ["西"], "channel": ["on"]})["revenue"].tolist() == [4.0]
    down = olap.drill_down(tiny, ["region", "city"], ["西"])
    assert down["revenue"].to_dict() == {"b": 2.0, "c": 4.0}
    up = olap.roll_up(tiny, ["region", "city"], "region", columns="year")
    assert up.loc["西", "2024"] == 4.0
    # Rolling up the drilled-down view gives back the parent's total.
    assert down["revenue"].sum() == olap.roll_up(tiny, ["region", "city"], "region").loc[
        "西", "revenue"]
    assert olap.share(pd.DataFrame({"a": [1.0], "b": [3.0]})).iloc[0].tolist() == [0.25, 0.75]


def test_planted_growth_and_channel_shift(mart):
    truth = crm.load_truth("ch02_technology")["mart"]
    years = olap.roll_up(mart, ["year", "quarter", "month"], "year")["revenue"]
    assert years["2024"] / years["2023"] == pytest.approx(1 + truth["yearly_growth"], abs=0.02)
    online = olap.share(olap.pivot(mart, "month", "channel"))["线上 online"]
    assert online.iloc[0] == pytest.approx(truth["online_share_start"], abs=0.03)
    assert online.iloc[-1] == pytest.approx(truth["online_share_end"], abs=0.03)


def test_drill_down_finds_the_planted_surge(mart):
    surge = crm.load_truth("ch02_technology")["mart"]["surge"]
    cube = olap.dice(mart, {"product": [surge["product"]], "quarter": ["2024Q3", "2024Q4"]})
    view = olap.pivot(cube, "city", "quarter")
    jump = view["2024Q4"] / view["2024Q3"]
    assert jump.idxmax() == surge["city"]
    assert jump.max() / jump.median() == pytest.approx(surge["multiplier"], rel=0.2)
    regions = olap.drill_down(olap.slice(mart, "quarter", "2024Q4"), ["product", "region"],
                              [surge["product"]])
    assert regions["revenue"].idxmax() in {"华东", "西南"}


@pytest.mark.parametrize("call, error, match", [
    (lambda f: olap.pivot(f, "nation"), ValueError, "needs a 'nation' column"),
    (lambda f: olap.pivot(f, "region", measure="city"), TypeError, "must be a numeric"),
    (lambda f: olap.pivot(f, "region", aggfunc="median"), ValueError, "aggfunc must be"),
    (lambda f: olap.pivot(f, []), ValueError, "at least one dimension"),
    (lambda f: olap.pivot([1, 2], "region"), TypeError, "needs a pandas DataFrame"),
    (lambda f: olap.slice(f, "year", "2030"), ValueError, "no member '2030'"),
    (lambda f: olap.dice(f, ["region"]), TypeError, "members must be a dict"),
    (lambda f: olap.dice(f, {"region": ["北"]}), ValueError, "no member '北'"),
    (lambda f: olap.roll_up(f, ["region", "city"], "year"), ValueError, "not in the hierarchy"),
    (lambda f: olap.drill_down(f, ["region", "city"], ["西", "b"]), ValueError,
     "finest level"),
    (lambda f: olap.drill_down(f, 5, []), TypeError, "hierarchy must be"),
    (lambda f: olap.add_periods(f.assign(month="March")), ValueError, "YYYY-MM"),
    (lambda f: olap.share(pd.DataFrame({"a": [-1.0]})), ValueError, "negative"),
    (lambda f: olap.share(pd.DataFrame({"a": [1.0]}), axis="both"), ValueError, "axis must"),
])
def test_bad_input(call, error, match, tiny):
    with pytest.raises(error, match=match):
        call(tiny)
