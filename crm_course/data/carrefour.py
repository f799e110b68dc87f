"""Carrefour China 2008 case data: a boycott, its recovery, and win-back offers.

Synthetic and *inspired by* the events of spring 2008, never Carrefour's real figures.

Planted truth:

- **stores**: daily visits at each hypermarket follow a shared calendar (weekdays,
  Spring Festival, May Day, National Day), a growth trend and city levels. From
  15 April a boycott cuts visits by a share that rises to a city's peak by 1 May, holds
  for a week, then decays with a city's half-life towards a small permanent loss.
- **market**: footfall at other hypermarkets in each city (an index) shares the calendar
  and trend but not the boycott, so it can serve as the counterfactual's control series.
- **members**: loyalty-card members join the boycott with a chance set by their city's
  peak and their segment; a boycotter stays away until a return month or, for some,
  for good. Other members lapse for good at a small monthly rate. Every member who left
  for good is listed in the truth.
- **win-back**: members with no visit in July–September were sent, at random, nothing
  (control) or one of three offers in October; each offer adds a planted chance of
  returning in November–December.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .core import Dataset, identities, scaled

NAME = "carrefour_2008"
START, END = "2008-01-01", "2008-12-31"
BOYCOTT_START, BOYCOTT_PEAK, PEAK_UNTIL = "2008-04-15", "2008-05-01", "2008-05-07"
# city: (province, tier, districts with a store, peak drop, recovery half-life in days,
#        permanent loss). Districts are real; the drops are invented for teaching.
CITIES = {
    "北京": ("北京", 1, ["朝阳", "海淀", "丰台", "西城"], 0.16, 30, 0.020),
    "上海": ("上海", 1, ["浦东", "徐汇", "闵行", "普陀"], 0.10, 25, 0.010),
    "广州": ("广东", 1, ["天河", "越秀", "海珠"], 0.09, 25, 0.010),
    "深圳": ("广东", 1, ["福田", "南山", "罗湖"], 0.08, 20, 0.010),
    "成都": ("四川", 2, ["武侯", "锦江"], 0.20, 40, 0.025),
    "武汉": ("湖北", 2, ["江汉", "武昌", "洪山"], 0.30, 50, 0.040),
    "重庆": ("重庆", 2, ["渝中", "江北"], 0.18, 35, 0.020),
    "南京": ("江苏", 2, ["鼓楼", "秦淮"], 0.14, 30, 0.015),
    "天津": ("天津", 2, ["和平", "南开"], 0.13, 30, 0.015),
    "西安": ("陕西", 2, ["雁塔", "碑林"], 0.28, 45, 0.035),
    "长沙": ("湖南", 2, ["芙蓉", "岳麓"], 0.24, 40, 0.030),
    "青岛": ("山东", 2, ["市南", "李沧"], 0.26, 45, 0.030),
    "合肥": ("安徽", 3, ["庐阳", "蜀山"], 0.32, 55, 0.045),
    "昆明": ("云南", 3, ["五华", "官渡"], 0.27, 45, 0.035),
    "哈尔滨": ("黑龙江", 3, ["南岗", "道里"], 0.25, 40, 0.030),
    "济南": ("山东", 3, ["历下", "市中"], 0.22, 40, 0.025),
}
WEEKDAY = [0.88, 0.86, 0.88, 0.92, 1.05, 1.30, 1.22]          # Monday … Sunday
HOLIDAYS = [                                                 # (first, last, multiplier)
    ("2008-01-01", "2008-01-01", 1.15), ("2008-01-26", "2008-02-05", 1.35),
    ("2008-02-06", "2008-02-08", 0.70), ("2008-04-04", "2008-04-06", 1.10),
    ("2008-05-01", "2008-05-03", 1.25), ("2008-06-07", "2008-06-09", 1.10),
    ("2008-09-13", "2008-09-15", 1.12), ("2008-09-29", "2008-10-05", 1.30),
]
GROWTH_PER_YEAR = 0.06
VISITS_PER_STORE = {1: 14000, 2: 11000, 3: 9000}             # a typical weekday, by tier
BASKET = {1: 95.0, 2: 82.0, 3: 74.0}                         # yuan per visit
DAILY_NOISE = 0.04
SEGMENTS = {   # name: (share of members, boycott propensity, share of boycotters gone for good)
    "family 家庭主购": (0.40, 0.7, 0.15),
    "young professional 年轻白领": (0.25, 1.3, 0.25),
    "student 学生": (0.15, 1.9, 0.20),
    "senior 老年顾客": (0.20, 0.5, 0.10),
}
MEMBER_RATE, MEMBER_RATE_SD = 3.2, 0.5          # visits a month (lognormal median, sd of log)
MONTHLY_LAPSE = 0.008                           # chance a member leaves for good, other reasons
BOYCOTT_JOIN_SCALE = 1.6                        # join chance = scale × city peak × propensity
OFFERS = {   # offer: (true lift in chance of return, cost if returned, cost per letter)
    "coupon": (0.25, 30.0, 1.0), "double_points": (0.05, 0.0, 1.0), "gift": (0.15, 15.0, 1.0),
}
POINTS_COST = 0.02                              # double points cost 2 % of spend
GONE_RESPONSE = 0.6                             # members gone for good respond less
WINBACK_DATE = "2008-10-06"


def calendar() -> pd.DataFrame:
    """Every day of 2008 with its planted shopping multiplier (weekday × holiday × trend)."""
    days = pd.date_range(START, END, freq="D")
    mult = np.array(WEEKDAY)[days.day_of_week]
    for first, last, m in HOLIDAYS:
        mult = np.where((days >= first) & (days <= last), mult * m, mult)
    trend = (1 + GROWTH_PER_YEAR) ** ((days - days[0]).days / 365.0)
    return pd.DataFrame({"date": days, "multiplier": mult * trend})


def boycott_drop(days: pd.DatetimeIndex, peak: float, half_life: float,
                 permanent: float) -> np.ndarray:
    """Planted share of a city's shoppers kept away on each day."""
    t = (days - pd.Timestamp(BOYCOTT_START)).days.to_numpy(dtype=float)
    ramp_days = (pd.Timestamp(BOYCOTT_PEAK) - pd.Timestamp(BOYCOTT_START)).days
    after = (days - pd.Timestamp(PEAK_UNTIL)).days.to_numpy(dtype=float)
    decay = permanent + (peak - permanent) * 0.5 ** (np.maximum(after, 0) / half_life)
    ramp = peak * (0.3 + 0.7 * np.clip(t / ramp_days, 0, 1))
    return np.select([t < 0, t < ramp_days, after <= 0], [0.0, ramp, peak], decay)


def build(size: float = 1.0, seed: int = 2008) -> Dataset:
    """Build the Carrefour 2008 dataset; ``size`` scales the members (1 = 5,000)."""
    rng = np.random.default_rng(seed)
    cal = calendar()
    stores = _stores()
    store_daily, market, city_truth = _store_days(rng, cal, stores)
    members, monthly, member_truth, winback = _members(rng, cal, scaled(5000, size), seed)
    truth = {
        "boycott_start": BOYCOTT_START, "boycott_peak": BOYCOTT_PEAK,
        "peak_until": PEAK_UNTIL, "cities": city_truth,
        "national": {k: float(sum(c[k] for c in city_truth.values()))
                     for k in ("lost_visits", "lost_sales", "counterfactual_visits",
                               "may_lost_visits", "may_counterfactual_visits")},
        "segments": member_truth["segments"],
        "left_for_good": member_truth["left_for_good"],
        "offers": member_truth["offers"],
        "member_margin_rate": 0.2, "points_cost_share": POINTS_COST,
        "weekday_multipliers": WEEKDAY, "growth_per_year": GROWTH_PER_YEAR,
    }
    nat = truth["national"]
    nat["lost_share"] = nat["lost_visits"] / nat["counterfactual_visits"]
    nat["may_lost_share"] = nat["may_lost_visits"] / nat["may_counterfactual_visits"]
    return Dataset(
        name=NAME, title="Carrefour China 2008 case · 家乐福: boycott, recovery and win-back",
        description="Daily visits and sales at the hypermarkets of a fictional chain inspired "
                    "by Carrefour China in 2008, footfall at other hypermarkets in the same "
                    "cities, loyalty-card members' monthly visits, and a randomised win-back "
                    "campaign in October 2008. Synthetic data inspired by the spring 2008 "
                    "boycott calls; not the company's figures.",
        locale="zh_CN", seed=seed, size=size,
        tables={"stores": stores, "store_daily": store_daily, "market_daily": market,
                "members": members, "member_monthly": monthly, "winback": winback},
        truth=truth, dictionary=DICTIONARY)


def _stores() -> pd.DataFrame:
    rows = []
    for city, (province, tier, districts, *_rest) in CITIES.items():
        for d in districts:
            rows.append({"province": province, "city": city, "city_tier": tier,
                         "store_name": f"家乐福{city}{d}店"})
    stores = pd.DataFrame(rows)
    stores.insert(0, "store_id", [f"CF{i + 1:03d}" for i in range(len(stores))])
    return stores


def _store_days(rng, cal, stores):
    days = pd.DatetimeIndex(cal["date"])
    mult = cal["multiplier"].to_numpy()
    parts, market_parts, truth = [], [], {}
    for city, (_p, tier, _d, peak, half, perm) in CITIES.items():
        drop = boycott_drop(days, peak, half, perm)
        ids = stores.loc[stores["city"] == city, "store_id"].to_numpy()
        size = VISITS_PER_STORE[tier] * rng.lognormal(0, 0.15, ids.size)
        expected = size[:, None] * mult[None, :]                    # stores × days
        visits = np.round(expected * (1 - drop) * rng.lognormal(0, DAILY_NOISE, expected.shape))
        basket = BASKET[tier] * rng.lognormal(0, 0.03, expected.shape)
        for j, sid in enumerate(ids):
            parts.append(pd.DataFrame({"date": cal["date"].dt.strftime("%Y-%m-%d"),
                                       "store_id": sid, "city": city,
                                       "visits": visits[j].astype(int),
                                       "sales": np.round(visits[j] * basket[j], 0).astype(int)}))
        level = 100 * mult * rng.lognormal(0, DAILY_NOISE, mult.size) * (1 + 0.5 * (tier == 1))
        market_parts.append(pd.DataFrame({"date": cal["date"].dt.strftime("%Y-%m-%d"),
                                          "city": city, "market_index": np.round(level, 1)}))
        total = expected.sum(axis=0)
        after, may = days >= BOYCOTT_START, days.month == 5
        truth[city] = {
            "peak_drop": peak, "half_life_days": half, "permanent_drop": perm,
            "lost_visits": float((total * drop).sum()),
            "counterfactual_visits": float(total[after].sum()),
            "lost_share": float((total * drop).sum() / total[after].sum()),
            "lost_sales": float((total * drop).sum() * BASKET[tier]),
            "may_lost_visits": float((total * drop)[may].sum()),
            "may_counterfactual_visits": float(total[may].sum()),
        }
    return (pd.concat(parts, ignore_index=True).sort_values(["date", "store_id"],
                                                            ignore_index=True),
            pd.concat(market_parts, ignore_index=True).sort_values(["date", "city"],
                                                                   ignore_index=True),
            truth)


def _members(rng, cal, n, seed):
    people = identities(n, "zh_CN", seed, rng)
    cities = list(CITIES)
    weight = np.array([len(CITIES[c][2]) for c in cities], float)
    city = np.array(cities)[rng.choice(len(cities), size=n, p=weight / weight.sum())]
    people["province"] = [CITIES[c][0] for c in city]
    people["city"], people["city_tier"] = city, [CITIES[c][1] for c in city]
    seg_names = list(SEGMENTS)
    segment = np.array(seg_names)[rng.choice(len(seg_names), size=n,
                                             p=[SEGMENTS[s][0] for s in seg_names])]
    rate = MEMBER_RATE * np.exp(MEMBER_RATE_SD * rng.normal(size=n))
    month_of = cal["date"].dt.month.to_numpy()
    season = np.array([cal["multiplier"].to_numpy()[month_of == m].mean() for m in range(1, 13)])
    season = season / season[:3].mean()
    days_in = np.bincount(month_of)[1:] / 30.4
    # Boycott: join chance from the city's peak and the segment's propensity.
    peak = np.array([CITIES[c][3] for c in city])
    half = np.array([CITIES[c][4] for c in city])
    prop = np.array([SEGMENTS[s][1] for s in segment])
    joined = rng.random(n) < np.clip(BOYCOTT_JOIN_SCALE * peak * prop, 0, 0.95)
    gone_boycott = joined & (rng.random(n) < np.array([SEGMENTS[s][2] for s in segment]))
    # Boycotters who come back do so after an exponential wait (mean from the city half-life).
    back_month = 5 + np.floor(rng.exponential(half / 30.4 * 2.5, n))   # 5 = May
    back_month = np.where(gone_boycott, 99, back_month)
    lapse_month = np.where(rng.random(n) < 1 - (1 - MONTHLY_LAPSE) ** 12,
                           rng.integers(2, 13, n), 99)
    months = np.arange(1, 13)
    present = np.ones((n, 12))
    away = joined[:, None] & (months[None, :] >= 4) & (months[None, :] < back_month[:, None])
    present = np.where(away, 0.0, present)
    present[:, 3] = np.where(joined & (back_month > 4), 0.5, present[:, 3])   # from mid-April
    present = np.where(months[None, :] >= lapse_month[:, None], 0.0, present)
    expected = rate[:, None] * season[None, :] * days_in[None, :]
    visits = rng.poisson(expected * present)
    # Win-back: members with no visit in July–September, offers at random in October.
    lapsed = visits[:, 6:9].sum(axis=1) == 0
    lapsed_idx = np.flatnonzero(lapsed)
    arms = np.array(["control", *OFFERS])
    arm = arms[rng.permutation(lapsed_idx.size) % arms.size]
    natural = expected[lapsed_idx, 10:12].sum(axis=1) * present[lapsed_idx, 10:12].mean(axis=1)
    came_naturally = rng.random(lapsed_idx.size) < 1 - np.exp(-natural)
    gone = (back_month[lapsed_idx] > 12) | (lapse_month[lapsed_idx] <= 12)
    lift = np.array([OFFERS[a][0] if a in OFFERS else 0.0 for a in arm])
    eff = lift * np.where(gone, GONE_RESPONSE, 1.0)
    p_natural = 1 - np.exp(-natural)
    came = came_naturally | (rng.random(lapsed_idx.size) < eff)
    nov_dec = rng.poisson(expected[lapsed_idx, 10:12])
    nov_dec[:, 0] += (came & (nov_dec.sum(axis=1) == 0))           # a returner visits at least once
    visits[lapsed_idx, 10:12] = np.where(came[:, None], nov_dec, 0)
    spend_per_visit = 85 * rng.lognormal(0, 0.3, n)
    spend = np.round(visits * spend_per_visit[:, None] * rng.lognormal(0, 0.15, visits.shape), 2)
    ids = np.array([f"K{i + 1:05d}" for i in range(n)])
    members = pd.DataFrame({"member_id": ids}).join(
        people[["name", "gender", "province", "city", "city_tier", "phone"]])
    members["segment"] = segment
    members["joined_year"] = rng.integers(2004, 2008, n)
    month_dates = pd.date_range(START, periods=12, freq="MS").strftime("%Y-%m-%d")
    monthly = pd.DataFrame({"member_id": np.repeat(ids, 12),
                            "month": np.tile(month_dates, n),
                            "visits": visits.ravel(), "spend": spend.ravel()})
    after_spend = spend[lapsed_idx, 10:12].sum(axis=1)
    cost = np.zeros(lapsed_idx.size)
    for name, (_lift, if_back, letter) in OFFERS.items():
        mask = arm == name
        cost[mask] = letter + came[mask] * if_back
        if name == "double_points":
            cost[mask] += POINTS_COST * after_spend[mask]
    winback = pd.DataFrame({
        "member_id": ids[lapsed_idx], "city": city[lapsed_idx], "segment": segment[lapsed_idx],
        "spend_jan_mar": spend[lapsed_idx, :3].sum(axis=1).round(2), "offer": arm,
        "returned": came, "spend_nov_dec": after_spend.round(2), "cost": cost.round(2)})
    # Truth by segment: expected drop in May–June visits against no boycott.
    seg_truth = {}
    for s in seg_names:
        m = segment == s
        base = expected[m][:, 4:6].sum()
        with_boycott = (expected[m][:, 4:6] * np.where(away[m][:, 4:6], 0, 1)).sum()
        seg_truth[s] = {"share_of_members": SEGMENTS[s][0], "boycott_propensity": SEGMENTS[s][1],
                        "gone_for_good_share_of_boycotters": SEGMENTS[s][2],
                        "joined_boycott_share": float(joined[m].mean()),
                        "expected_drop_may_jun": float(1 - with_boycott / base)}
    offers_truth = {}
    for name in OFFERS:
        mask = arm == name
        offers_truth[name] = {
            "planted_lift": OFFERS[name][0], "cost_if_returned": OFFERS[name][1],
            "cost_per_letter": OFFERS[name][2],
            "expected_lift_in_sample": float(((1 - p_natural[mask]) * eff[mask]).mean()),
        }
    truth = {"segments": seg_truth, "offers": offers_truth,
             "left_for_good": {"boycott": sorted(ids[gone_boycott & (lapse_month > 12)]),
                               "other": sorted(ids[lapse_month <= 12])}}
    return members, monthly, truth, winback


DICTIONARY = [
    ("stores", "store_id", "id", "Store key, CF + three digits"),
    ("stores", "province", "category", "Province"),
    ("stores", "city", "category", "City"),
    ("stores", "city_tier", "int", "Commercial tier of the city (1 = largest)"),
    ("stores", "store_name", "text", "Store name (fictional, in real districts)"),
    ("store_daily", "date", "date", "Day, 2008"),
    ("store_daily", "store_id", "id", "Store"),
    ("store_daily", "city", "category", "City of the store"),
    ("store_daily", "visits", "int", "Shoppers through the checkouts that day"),
    ("store_daily", "sales", "money", "Sales that day, yuan"),
    ("market_daily", "date", "date", "Day, 2008"),
    ("market_daily", "city", "category", "City"),
    ("market_daily", "market_index", "number",
     "Footfall at other hypermarkets in the city, an index (a retail panel)"),
    ("members", "member_id", "id", "Loyalty-card member key, K + five digits"),
    ("members", "name", "text", "Member name (synthetic, Faker zh_CN)"),
    ("members", "gender", "category", "F or M, consistent with the given name"),
    ("members", "province", "category", "Province of the home store"),
    ("members", "city", "category", "City of the home store"),
    ("members", "city_tier", "int", "Commercial tier of the city"),
    ("members", "phone", "text", "Phone (synthetic)"),
    ("members", "segment", "category", "Shopper segment (English 中文)"),
    ("members", "joined_year", "int", "Year the member joined the card scheme"),
    ("member_monthly", "member_id", "id", "Member"),
    ("member_monthly", "month", "date", "First day of the month"),
    ("member_monthly", "visits", "int", "Visits with the card that month"),
    ("member_monthly", "spend", "money", "Spend with the card that month, yuan"),
    ("winback", "member_id", "id", "Member with no visit in July–September 2008"),
    ("winback", "city", "category", "City"),
    ("winback", "segment", "category", "Shopper segment"),
    ("winback", "spend_jan_mar", "money", "Spend in January–March 2008 (before the boycott)"),
    ("winback", "offer", "category",
     "control, coupon (30 yuan off), double_points or gift, assigned at random on 2008-10-06"),
    ("winback", "returned", "bool", "Visited in November or December 2008"),
    ("winback", "spend_nov_dec", "money", "Spend in November–December 2008, yuan"),
    ("winback", "cost", "money", "Letter plus coupon, gift or extra points given, yuan"),
]
