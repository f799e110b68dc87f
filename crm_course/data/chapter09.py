"""Chapter 9 data: customer loyalty at an online home-goods shop (zh_CN).

Planted truth:

- four latent loyalty types (true, latent, spurious, none) in known shares; attitude
  (a survey score) is high for true and latent, share of wallet for true and spurious;
- first-year retention by satisfaction score: flat and low until the top score, where it
  jumps (only the very satisfied reliably stay); customers who last a year stay;
- a loyalty programme launched on 2024-01-01, joined mostly by the already loyal
  (self-selection), raising members' order rate by a known uplift, on top of a market
  trend that lifts everyone's 2024 orders.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .core import Dataset, identities, scaled

NAME = "ch09_loyalty"
FIRST_MONTH, ACQUIRE_MONTHS, END = "2021-07", 12, "2024-12-31"
TYPES = {  # share, high attitude?, high share of wallet?, mean satisfaction, join chance
    "true": (0.30, True, True, 4.3, 0.55),
    "latent": (0.15, True, False, 4.0, 0.35),
    "spurious": (0.25, False, True, 3.0, 0.30),
    "none": (0.30, False, False, 2.6, 0.10),
}
ATTITUDE_MEAN = {True: 5.8, False: 2.9}            # 1–7 scale
WALLET_BETA = {True: (6.5, 3.5), False: (2.0, 8.0)}  # share of wallet: mean 0.65 or 0.20
RETENTION_12M = {1: 0.30, 2: 0.40, 3: 0.45, 4: 0.55, 5: 0.85}
CATEGORY_MEDIAN, CATEGORY_LOG_SD = 600.0, 0.4      # CNY a month on home goods, all shops
BASKET_MEAN, BASKET_SHAPE = 250.0, 4.0
LAUNCH, JOIN_UNTIL = "2024-01-01", "2024-03-31"
UPLIFT, TREND_2024 = 0.15, 1.05
SURVEY_RESPONSE = 0.7


def build(size: float = 1.0, seed: int = 909) -> Dataset:
    """Build the chapter 9 dataset; ``size`` scales the number of customers (1 = 2,000)."""
    rng = np.random.default_rng(seed)
    n = scaled(2000, size)
    people = identities(n, "zh_CN", seed, rng)
    names = list(TYPES)
    kind = np.array(names)[rng.choice(len(names), size=n, p=[TYPES[k][0] for k in names])]
    high_att = np.array([TYPES[k][1] for k in kind])
    high_sow = np.array([TYPES[k][2] for k in kind])
    attitude = np.clip(np.round(rng.normal(np.where(high_att, ATTITUDE_MEAN[True],
                                                    ATTITUDE_MEAN[False]), 0.9)), 1, 7)
    sat_mean = np.array([TYPES[k][3] for k in kind])
    satisfaction = np.clip(np.round(rng.normal(sat_mean, 0.9)), 1, 5).astype(int)
    wallet = np.where(high_sow, rng.beta(*WALLET_BETA[True], n), rng.beta(*WALLET_BETA[False], n))
    category = CATEGORY_MEDIAN * np.exp(rng.normal(0, CATEGORY_LOG_SD, n))
    rate = wallet * category / BASKET_MEAN            # orders a month while a customer
    # Acquisition: a day in one of 12 monthly cohorts.
    months = pd.period_range(FIRST_MONTH, END, freq="M")
    cohort = np.sort(rng.integers(0, ACQUIRE_MONTHS, n))
    starts = months.to_timestamp()
    first_day = starts[cohort] + pd.to_timedelta(
        np.floor(rng.random(n) * months[cohort].days_in_month.to_numpy()), unit="D")
    # Lapse: month of tenure (1–12) from which a customer stops buying; never after a year.
    hazard = 1 - np.array([RETENTION_12M[s] for s in satisfaction]) ** (1 / 12)
    lapse = rng.geometric(hazard)                     # 1, 2, ...; > 12 means stays for good
    lapse = np.where(lapse > 12, 10_000, lapse)
    # Loyalty programme: customers still buying at launch may join; the loyal join more.
    launch_month = months.get_loc(pd.Period(LAUNCH, freq="M"))
    active_at_launch = cohort + lapse > launch_month
    join_p = np.array([TYPES[k][4] for k in kind])
    member = active_at_launch & (rng.random(n) < join_p)
    join_day = pd.Series(pd.Timestamp(LAUNCH) + pd.to_timedelta(
        rng.integers(0, (pd.Timestamp(JOIN_UNTIL) - pd.Timestamp(LAUNCH)).days + 1, n), unit="D"))
    join_day = join_day.where(member)
    orders = _orders(rng, months, cohort, first_day, lapse, rate, join_day)
    ids = np.array([f"H{i + 1:05d}" for i in range(n)])
    cust = orders.pop("customer").to_numpy()
    orders.insert(1, "customer_id", ids[cust])
    customers = pd.DataFrame({"customer_id": ids}).join(
        people[["name", "gender", "province", "city", "city_tier"]])
    customers["acquired"] = first_day.strftime("%Y-%m-%d")
    customers["cohort"] = months[cohort].strftime("%Y-%m")
    customers["member"] = member
    customers["joined"] = join_day.dt.strftime("%Y-%m-%d")
    answered = rng.random(n) < SURVEY_RESPONSE
    survey = pd.DataFrame({
        "customer_id": ids, "satisfaction": satisfaction, "attitude": attitude.astype(int),
        "category_spend_month": np.round(category / 10) * 10,
    })[answered].reset_index(drop=True)
    retained = lapse > 12
    truth = {
        "type_shares": {k: TYPES[k][0] for k in names},
        "type_shares_among_retained": {k: float(np.mean(kind[retained] == k)) for k in names},
        "attitude_mean_high_low": [ATTITUDE_MEAN[True], ATTITUDE_MEAN[False]],
        "share_of_wallet_mean_high_low": [a / (a + b) for a, b in
                                          (WALLET_BETA[True], WALLET_BETA[False])],
        "suggested_cuts": {"attitude": 5, "share_of_wallet": 0.4},
        "retention_12m_by_satisfaction": {str(k): v for k, v in RETENTION_12M.items()},
        "no_lapse_after_month": 12,
        "programme_order_uplift": UPLIFT, "market_trend_2024": TREND_2024,
        "join_chance_by_type": {k: TYPES[k][4] for k in names},
        "periods": {"before": ["2023-07-01", "2023-12-31"], "enrolment": [LAUNCH, JOIN_UNTIL],
                    "after": ["2024-04-01", END]},
        "basket_mean_cny": BASKET_MEAN,
        "category_spend_median_cny_month": CATEGORY_MEDIAN,
    }
    return Dataset(
        name=NAME, title="Chapter 9 · 客户的忠诚: an online home-goods shop",
        description="Customers of a fictional online home-goods shop in China, acquired in "
                    "monthly cohorts from July 2021 to June 2022, their orders to the end of "
                    "2024, a post-purchase survey (satisfaction, attitude, monthly spend on "
                    "home goods at all shops) and membership of a loyalty programme launched "
                    "in January 2024.",
        locale="zh_CN", seed=seed, size=size,
        tables={"customers": customers, "orders": orders, "survey": survey},
        truth=truth, dictionary=DICTIONARY)


def _orders(rng, months, cohort, first_day, lapse, rate, join_day):
    """Monthly Poisson orders while a customer, the first one on the acquisition day."""
    n, m = len(cohort), len(months)
    month_no = np.arange(m)
    tenure = month_no[None, :] - cohort[:, None]
    active = (tenure >= 0) & (tenure < lapse[:, None])
    in_2024 = np.asarray(months.year == 2024)
    join_month = np.full(n, m + 1)
    joined = join_day.notna().to_numpy()
    join_month[joined] = [months.get_loc(pd.Period(d, freq="M")) for d in join_day[joined]]
    boost = np.where(month_no[None, :] > join_month[:, None], 1 + UPLIFT, 1.0)
    lam = rate[:, None] * np.where(in_2024, TREND_2024, 1.0)[None, :] * boost
    # The acquisition month counts only the days after the first order.
    days_in = months.days_in_month.to_numpy()
    left = (days_in[cohort] - first_day.day.to_numpy()) / days_in[cohort]
    lam[np.arange(n), cohort] *= left
    counts = rng.poisson(np.where(active, lam, 0.0))
    cust, mon = np.nonzero(counts)
    reps = counts[cust, mon]
    cust, mon = np.repeat(cust, reps), np.repeat(mon, reps)
    starts = months.to_timestamp().to_numpy()
    # Within the month, a uniform day; in the acquisition month, after the first order.
    lo = np.where(mon == cohort[cust], first_day.day.to_numpy()[cust], 0)
    offset = lo + np.floor(rng.random(cust.size) * (days_in[mon] - lo)).astype(int)
    dates = starts[mon] + pd.to_timedelta(offset, unit="D").to_numpy()
    cust = np.concatenate([np.arange(n), cust])
    dates = np.concatenate([first_day.to_numpy(), dates])
    amount = np.round(rng.gamma(BASKET_SHAPE, BASKET_MEAN / BASKET_SHAPE, cust.size), 2)
    frame = pd.DataFrame({"customer": cust, "date": pd.Series(dates).dt.strftime("%Y-%m-%d"),
                          "amount": amount})
    frame = frame.sort_values(["date", "customer"], kind="stable", ignore_index=True)
    frame.insert(0, "order_id", [f"D{i + 1:07d}" for i in range(len(frame))])
    return frame


DICTIONARY = [
    ("customers", "customer_id", "id", "Customer key, H + five digits"),
    ("customers", "name", "text", "Customer name (synthetic, Faker zh_CN)"),
    ("customers", "gender", "category", "F or M, consistent with the given name"),
    ("customers", "province", "category", "Province of the delivery city"),
    ("customers", "city", "category", "Delivery city"),
    ("customers", "city_tier", "int", "Commercial city tier, 1 (largest) to 3"),
    ("customers", "acquired", "date", "Date of the first order"),
    ("customers", "cohort", "category", "Month of the first order (acquisition cohort), YYYY-MM"),
    ("customers", "member", "bool", "Joined the loyalty programme (launched 2024-01-01)"),
    ("customers", "joined", "date", "Date of joining; empty for non-members"),
    ("orders", "order_id", "id", "Order key, in date order"),
    ("orders", "customer_id", "id", "Who ordered"),
    ("orders", "date", "date", "Order date"),
    ("orders", "amount", "money", "Amount paid, CNY"),
    ("survey", "customer_id", "id", "Respondent (a customer; 70 % answered)"),
    ("survey", "satisfaction", "int", "Satisfaction after the first order, 1 (very "
     "dissatisfied) to 5 (very satisfied)"),
    ("survey", "attitude", "int", "Agreement with 'this is the shop I prefer', 1 to 7"),
    ("survey", "category_spend_month", "money", "Self-reported spend on home goods at all "
     "shops in a typical month, CNY"),
]
