"""Starbucks case data: a coffee chain's customers, their visits, and a rewards programme.

The trap the data sets for a naive reader: customers who already visit often are the
ones who join the programme (self-selection), so members visit far more than
non-members even though the programme itself adds a more modest uplift. Both are planted
separately: ``join_loyalty_slope`` drives who joins, ``programme_visit_uplift`` what
joining does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .core import Dataset, identities, random_dates, scaled

NAME = "starbucks"
PRE_START, LAUNCH, JOIN_UNTIL, END = "2023-01-01", "2024-01-01", "2024-03-31", "2024-12-31"
VISIT_RATE_MEDIAN, VISIT_RATE_SPREAD = 0.55, 0.8   # visits a week; lognormal sd of log rate
JOIN_INTERCEPT, JOIN_SLOPE = -0.9, 1.6              # logit of joining vs standardised loyalty
UPLIFT = 0.12                                       # +12 % visits once a member
WEEKLY_LAPSE = 0.003                                # hazard of lapsing for good, each week
PRICE_PER_ITEM = 5.4
WTP_CAFE, PREMIUM_MEAN, PREMIUM_LOYALTY = 2.9, 1.5, 0.5


def build(size: float = 1.0, seed: int = 202) -> Dataset:
    """Build the Starbucks dataset; ``size`` scales the number of customers (1 = 1,500)."""
    rng = np.random.default_rng(seed)
    n = scaled(1500, size)
    people = identities(n, "en_US", seed, rng)
    loyalty = rng.normal(size=n)                    # latent, standardised
    rate = VISIT_RATE_MEDIAN * np.exp(VISIT_RATE_SPREAD * loyalty)
    member = rng.random(n) < 1 / (1 + np.exp(-(JOIN_INTERCEPT + JOIN_SLOPE * loyalty)))
    joined = random_dates(rng, n, LAUNCH, JOIN_UNTIL).where(member)
    first_visit = random_dates(rng, n, "2012-01-01", "2022-12-31")
    weeks = pd.date_range(PRE_START, END, freq="7D")
    # Lapse: a week after which the customer never comes back.
    lapse_week = rng.geometric(WEEKLY_LAPSE, size=n)
    visits = _visits(rng, weeks, rate, joined, lapse_week)
    stores = _stores(people)
    home = people[["state", "city"]].merge(stores, how="left")["store_id"].to_numpy()
    ids = np.array([f"S{i + 1:05d}" for i in range(n)])
    customer = visits.pop("customer").to_numpy()
    visits.insert(1, "customer_id", ids[customer])
    visits.insert(3, "store_id", home[customer])
    customers = pd.DataFrame({"customer_id": ids}).join(people[["name", "gender", "state",
                                                                "city", "email"]])
    customers["first_visit"] = first_visit.dt.strftime("%Y-%m-%d")
    customers["tenure_years"] = np.round(
        (pd.Timestamp(PRE_START) - first_visit).dt.days / 365.25, 1)
    customers["member"] = member
    customers["joined"] = joined.dt.strftime("%Y-%m-%d")
    survey = _wtp_survey(rng, ids, loyalty, scaled(400, size))
    truth = {
        "programme_visit_uplift": UPLIFT,
        "join_intercept": JOIN_INTERCEPT, "join_loyalty_slope": JOIN_SLOPE,
        "visit_rate_median_per_week": VISIT_RATE_MEDIAN, "visit_rate_log_sd": VISIT_RATE_SPREAD,
        "weekly_lapse_hazard": WEEKLY_LAPSE,
        "price_per_item_usd": PRICE_PER_ITEM,
        "wtp_cafe_mean_usd": WTP_CAFE, "premium_mean_usd": PREMIUM_MEAN,
        "premium_per_sd_loyalty_usd": PREMIUM_LOYALTY,
        "periods": {"before": [PRE_START, "2023-12-31"], "enrolment": [LAUNCH, JOIN_UNTIL],
                    "after": ["2024-04-01", END]},
    }
    return Dataset(
        name=NAME, title="Starbucks case · 星巴克: visits and a rewards programme",
        description="Customers of a fictional coffee chain inspired by Starbucks, their visits "
                    "in 2023–2024, membership of a rewards programme that opened in January "
                    "2024, and a survey of what respondents would pay for a coffee.",
        locale="en_US", seed=seed, size=size,
        tables={"customers": customers, "visits": visits, "stores": stores,
                "wtp_survey": survey},
        truth=truth, dictionary=DICTIONARY)


def _visits(rng, weeks, rate, joined, lapse_week):
    """Weekly Poisson visits, raised by the uplift from the week after joining."""
    w = len(weeks)
    join_week = np.searchsorted(weeks.to_numpy(), joined.to_numpy(), side="right")
    join_week = np.where(joined.isna().to_numpy(), w + 1, join_week)
    week_no = np.arange(w)
    lam = rate[:, None] * np.where(week_no[None, :] >= join_week[:, None], 1 + UPLIFT, 1.0)
    lam = np.where(week_no[None, :] < lapse_week[:, None], lam, 0.0)
    counts = rng.poisson(lam)
    cust, week = np.nonzero(counts)
    reps = counts[cust, week]
    cust, week = np.repeat(cust, reps), np.repeat(week, reps)
    day = rng.integers(0, 7, size=cust.size)
    date = weeks.to_numpy()[week] + pd.to_timedelta(day, unit="D").to_numpy()
    items = 1 + rng.poisson(0.6, size=cust.size)
    amount = np.round(items * PRICE_PER_ITEM * rng.lognormal(0, 0.15, size=cust.size), 2)
    frame = pd.DataFrame({"customer": cust, "date": pd.Series(date).dt.strftime("%Y-%m-%d"),
                          "items": items, "amount": amount})
    frame = frame[frame["date"] <= END]
    frame = frame.sort_values(["date", "customer"], kind="stable", ignore_index=True)
    frame.insert(0, "visit_id", [f"V{i + 1:07d}" for i in range(len(frame))])
    return frame


def _stores(people):
    cities = people[["state", "city"]].drop_duplicates().sort_values(["state", "city"])
    stores = cities.reset_index(drop=True)
    stores.insert(0, "store_id", [f"ST{i + 1:03d}" for i in range(len(stores))])
    return stores


def _wtp_survey(rng, ids, loyalty, n):
    """What respondents would pay for an ordinary café coffee and for a Starbucks coffee."""
    who = np.sort(rng.choice(len(ids), size=min(n, len(ids)), replace=False))
    cafe = np.round(np.clip(rng.normal(WTP_CAFE, 0.5, who.size), 0.5, None), 2)
    premium = PREMIUM_MEAN + PREMIUM_LOYALTY * loyalty[who] + rng.normal(0, 0.5, who.size)
    return pd.DataFrame({"customer_id": ids[who], "wtp_cafe_coffee": cafe,
                         "wtp_starbucks_coffee": np.round(np.clip(cafe + premium, 0.5, None), 2)})


DICTIONARY = [
    ("customers", "customer_id", "id", "Customer key, S + five digits"),
    ("customers", "name", "text", "Customer name (synthetic, Faker en_US)"),
    ("customers", "gender", "category", "F or M, consistent with the first name"),
    ("customers", "state", "category", "US state of the home store"),
    ("customers", "city", "category", "City of the home store"),
    ("customers", "email", "text", "E-mail (synthetic)"),
    ("customers", "first_visit", "date", "First recorded visit"),
    ("customers", "tenure_years", "number", "Years from first visit to 2023-01-01"),
    ("customers", "member", "bool", "Joined the rewards programme"),
    ("customers", "joined", "date", "Date of joining; empty for non-members"),
    ("visits", "visit_id", "id", "Visit key, in date order"),
    ("visits", "customer_id", "id", "Who visited"),
    ("visits", "date", "date", "Visit date"),
    ("visits", "store_id", "id", "Store visited (the customer's home store)"),
    ("visits", "items", "int", "Items bought"),
    ("visits", "amount", "money", "Amount paid, USD"),
    ("stores", "store_id", "id", "Store key"),
    ("stores", "state", "category", "US state"),
    ("stores", "city", "category", "City"),
    ("wtp_survey", "customer_id", "id", "Respondent (a customer)"),
    ("wtp_survey", "wtp_cafe_coffee", "money", "Most they would pay for a café coffee, USD"),
    ("wtp_survey", "wtp_starbucks_coffee", "money", "Most they would pay for a Starbucks coffee"),
]
