"""Chapter 1 data: a bakery-café chain in Chinese cities (zh_CN).

Planted truth: BG/NBD purchase and dropout parameters, channel effects on purchase rate,
a lifecycle curve in the basket size by months of tenure, a share of advocates who bring
in most referred customers, and the weight a customer gives to delivered value when
choosing between two brands.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .core import Dataset, bgnbd_purchases, gamma_gamma_spend, identities, random_dates, scaled

NAME = "ch01_concepts"
START, ACQUIRE_UNTIL, END = "2021-01-01", "2023-06-30", "2024-12-31"
CHANNELS = {"store": (0.45, 1.0), "app": (0.25, 1.2), "referral": (0.20, 1.3), "ad": (0.10, 0.7)}
BGNBD = {"r": 1.2, "alpha": 10.0, "a": 1.0, "b": 19.0}
SPEND = {"p": 5.0, "q": 4.0, "gamma": 75.0}
STAGE_STARTS = {"formation": 3, "stability": 9, "decline": 24}
ADVOCATE_SHARE, ADVOCATE_WEIGHT = 0.2, 6.0
CHOICE_WEIGHT = 0.6
VALUE_PARTS = ["product", "service", "personnel", "image"]
COST_PARTS = ["money", "time", "energy", "psychic"]


def basket_multiplier(month: np.ndarray) -> np.ndarray:
    """Planted lifecycle shape of basket size by tenure month (1.0 = mature customer)."""
    month = np.asarray(month, dtype=float)
    formation = 0.55 + (month - 3) * (0.85 - 0.55) / 5
    decline = 0.8 - 0.015 * (month - 24)
    return np.select([month < 3, month < 9, month < 24], [0.3, formation, 1.0], decline)


def build(size: float = 1.0, seed: int = 101) -> Dataset:
    """Build the chapter 1 dataset; ``size`` scales the number of customers (1 = 2,000)."""
    rng = np.random.default_rng(seed)
    n = scaled(2000, size)
    customers = identities(n, "zh_CN", seed, rng)
    acquired = random_dates(rng, n, START, ACQUIRE_UNTIL).sort_values(ignore_index=True)
    names = list(CHANNELS)
    shares = np.array([CHANNELS[c][0] for c in names])
    channel = np.array(names)[rng.choice(len(names), size=n, p=shares)]
    referred_by, channel, advocate = _referrals(rng, channel)
    multiplier = np.array([CHANNELS[c][1] for c in channel])
    traits, events = bgnbd_purchases(rng, acquired, END, rate_multiplier=multiplier, **BGNBD,
                                     progress=f"{NAME}" if n > 50_000 else None)
    ids = np.array([f"C{i + 1:06d}" for i in range(n)])
    dates = acquired.to_numpy()[events["customer"]] + pd.to_timedelta(
        np.floor(events["week"].to_numpy() * 7), unit="D").to_numpy()
    dates = pd.Series(dates)
    months = ((dates.dt.year - acquired.iloc[events["customer"]].dt.year.to_numpy()) * 12
              + dates.dt.month - acquired.iloc[events["customer"]].dt.month.to_numpy())
    _, base = gamma_gamma_spend(rng, events["customer"].to_numpy(), n, **SPEND)
    amount = np.round(base * basket_multiplier(months.to_numpy()), 2)
    customers.insert(0, "customer_id", ids)
    customers["acquired"] = acquired.dt.strftime("%Y-%m-%d")
    customers["channel"] = channel
    customers["referred_by"] = pd.Series(
        [ids[j] if j >= 0 else None for j in referred_by], dtype="object")
    transactions = pd.DataFrame({
        "transaction_id": [f"T{i + 1:07d}" for i in range(len(events))],
        "customer_id": ids[events["customer"]],
        "date": dates.dt.strftime("%Y-%m-%d"),
        "amount": amount,
    }).sort_values(["date", "customer_id"], kind="stable", ignore_index=True)
    transactions["transaction_id"] = [f"T{i + 1:07d}" for i in range(len(transactions))]
    survey = _value_survey(rng, scaled(600, size))
    truth = {
        "bgnbd_weekly": BGNBD,
        "gamma_gamma": SPEND,
        "channel_rate_multiplier": {c: CHANNELS[c][1] for c in names},
        "channel_share": {c: CHANNELS[c][0] for c in names},
        "lifecycle_stage_starts_month": STAGE_STARTS,
        "basket_multiplier_by_month": {int(m): float(basket_multiplier(m)) for m in range(48)},
        "advocate_share": ADVOCATE_SHARE,
        "advocate_referral_weight": ADVOCATE_WEIGHT,
        "advocates": ids[advocate].tolist(),
        "choice_weight_per_point_of_delivered_value": CHOICE_WEIGHT,
        "observation_end": END,
    }
    return Dataset(
        name=NAME, title="Chapter 1 · 客户关系管理的理念: a bakery-café chain",
        description="Customers of a fictional bakery-café chain in Chinese cities, their "
                    "purchases 2021–2024, who referred whom, and a survey of the value and "
                    "cost customers perceive in our brand and a rival's.",
        locale="zh_CN", seed=seed, size=size,
        tables={"customers": customers, "transactions": transactions, "value_survey": survey},
        truth=truth, dictionary=DICTIONARY)


def _referrals(rng, channel):
    """Pick a referrer for each referred customer among earlier customers; advocates weigh more."""
    n = len(channel)
    advocate = rng.random(n) < ADVOCATE_SHARE
    weight = np.where(advocate, ADVOCATE_WEIGHT, 1.0)
    cum = np.cumsum(weight)
    referred_by = np.full(n, -1)
    for k in np.flatnonzero(channel == "referral"):
        if k == 0:
            channel[k] = "store"  # nobody to refer the very first customer
            continue
        referred_by[k] = int(np.searchsorted(cum[:k], rng.random() * cum[k - 1], side="right"))
    return referred_by, channel, advocate


def _value_survey(rng, n):
    """Perceived value and cost (0–10) of our brand and a rival's, and the brand chosen."""
    means = {"ours": [7.5, 7.0, 6.5, 6.0, 6.5, 4.0, 4.0, 3.0],
             "rival": [7.0, 6.0, 6.0, 7.0, 5.0, 4.5, 4.5, 3.5]}
    parts = VALUE_PARTS + COST_PARTS
    scores = {b: np.clip(np.round(rng.normal(m, 1.5, size=(n, len(parts)))), 0, 10)
              for b, m in means.items()}
    cdv = {b: s[:, :4].sum(axis=1) - s[:, 4:].sum(axis=1) for b, s in scores.items()}
    p_ours = 1 / (1 + np.exp(-CHOICE_WEIGHT * (cdv["ours"] - cdv["rival"])))
    chose_ours = rng.random(n) < p_ours
    frames = []
    for brand, s in scores.items():
        frame = pd.DataFrame(s.astype(int), columns=parts)
        frame.insert(0, "brand", brand)
        frame.insert(0, "respondent_id", [f"R{i + 1:04d}" for i in range(n)])
        frame["chosen"] = chose_ours if brand == "ours" else ~chose_ours
        frames.append(frame)
    return pd.concat(frames).sort_values(["respondent_id", "brand"], ignore_index=True)


DICTIONARY = [
    ("customers", "customer_id", "id", "Customer key, C + six digits"),
    ("customers", "name", "text", "Customer name (synthetic, Faker zh_CN)"),
    ("customers", "gender", "category", "F or M, consistent with the given name"),
    ("customers", "province", "category", "Province of the customer's city"),
    ("customers", "city", "category", "City of the customer's home store"),
    ("customers", "city_tier", "int", "Commercial city tier, 1 (largest) to 3"),
    ("customers", "phone", "text", "Mobile phone (synthetic)"),
    ("customers", "email", "text", "E-mail (synthetic)"),
    ("customers", "acquired", "date", "Date of the first purchase"),
    ("customers", "channel", "category", "How the customer was won: store, app, referral, ad"),
    ("customers", "referred_by", "id", "customer_id of the referrer; empty if not referred"),
    ("transactions", "transaction_id", "id", "Purchase key, in date order"),
    ("transactions", "customer_id", "id", "Who bought"),
    ("transactions", "date", "date", "Purchase date"),
    ("transactions", "amount", "money", "Amount paid, CNY"),
    ("value_survey", "respondent_id", "id", "Survey respondent"),
    ("value_survey", "brand", "category", "ours or rival"),
    *[("value_survey", c, "int", f"Perceived {c} value, 0–10") for c in VALUE_PARTS],
    *[("value_survey", c, "int", f"Perceived {c} cost, 0–10") for c in COST_PARTS],
    ("value_survey", "chosen", "bool", "Whether the respondent chose this brand"),
]
