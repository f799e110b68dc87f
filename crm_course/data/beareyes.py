"""Beareyes case data: an early Chinese online IT shop with a points card and a forum (zh_CN).

Buying follows the BG/NBD story (weekly rates, dropout only after a repeat purchase)
with planted parameters, and spend per order the Gamma-Gamma story. Three traits raise
a customer's purchase rate by known factors:

- a **points card** (积分卡), offered at random to half of new customers in a trial, so a
  straight comparison of the two arms is fair;
- membership of the **community** (社区, the shop's forum), chosen by customers
  themselves and far more often by IT professionals, who buy more anyway: comparing
  members with non-members overstates the community's effect unless occupation is
  taken into account;
- being an **IT professional**.

Within one combination of traits, purchase rates are Gamma(r, alpha / multiplier): the
model can be fitted group by group and the rates compared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .core import (
    Dataset,
    bgnbd_purchases,
    gamma_gamma_spend,
    identities,
    random_dates,
    scaled,
)

NAME = "beareyes"
ACQUIRE_FROM, ACQUIRE_UNTIL, END = "2001-01-01", "2002-06-30", "2003-06-30"
BGNBD = {"r": 0.8, "alpha": 12.0, "a": 0.9, "b": 5.0}       # weekly, for the base group
SPEND = {"p": 4.0, "q": 3.5, "gamma": 400.0}                # CNY; mean 640 a purchase
POINTS_EFFECT, COMMUNITY_EFFECT, IT_EFFECT = 1.25, 1.3, 1.5  # purchase-rate multipliers
OCCUPATIONS = {"IT professional": 0.3, "student": 0.3, "other": 0.4}
JOIN_COMMUNITY = {True: 0.55, False: 0.2}                   # chance by IT professional
POINT_PER_CNY, REDEEM_AT, REDEEM_CHANCE = 1, 1000, 0.6


def build(size: float = 1.0, seed: int = 1999) -> Dataset:
    """Build the Beareyes dataset; ``size`` scales the number of customers (1 = 5,000)."""
    rng = np.random.default_rng(seed)
    n = scaled(5000, size)
    people = identities(n, "zh_CN", seed, rng)
    acquired = random_dates(rng, n, ACQUIRE_FROM, ACQUIRE_UNTIL).sort_values(ignore_index=True)
    jobs = list(OCCUPATIONS)
    occupation = np.array(jobs)[rng.choice(len(jobs), size=n, p=list(OCCUPATIONS.values()))]
    it_pro = occupation == "IT professional"
    points_card = rng.random(n) < 0.5
    community = rng.random(n) < np.where(it_pro, JOIN_COMMUNITY[True], JOIN_COMMUNITY[False])
    multiplier = (np.where(points_card, POINTS_EFFECT, 1.0)
                  * np.where(community, COMMUNITY_EFFECT, 1.0) * np.where(it_pro, IT_EFFECT, 1.0))
    traits, events = bgnbd_purchases(rng, acquired, END, rate_multiplier=multiplier, **BGNBD)
    cust, week = events["customer"].to_numpy(), events["week"].to_numpy()
    _, amount = gamma_gamma_spend(rng, cust, n, **SPEND)
    amount = np.round(amount, 2)
    dates = acquired.to_numpy()[cust] + pd.to_timedelta(np.floor(week * 7), unit="D").to_numpy()
    ids = np.array([f"BE{i + 1:05d}" for i in range(n)])
    orders = pd.DataFrame({"customer": cust, "date": pd.Series(dates).dt.strftime("%Y-%m-%d"),
                           "amount": amount})
    orders = orders.sort_values(["date", "customer"], kind="stable", ignore_index=True)
    orders.insert(0, "order_id", [f"O{i + 1:06d}" for i in range(len(orders))])
    points = _points(rng, orders, points_card, ids)
    forum = _community(rng, community, acquired, ids)
    orders.insert(1, "customer_id", ids[orders.pop("customer").to_numpy()])
    customers = pd.DataFrame({"customer_id": ids}).join(
        people[["name", "gender", "province", "city", "city_tier", "email"]])
    customers["acquired"] = acquired.dt.strftime("%Y-%m-%d")
    customers["cohort"] = acquired.dt.strftime("%Y-%m")
    customers["occupation"] = occupation
    customers["points_card"] = points_card
    customers["community_member"] = community
    truth = {
        "bgnbd_weekly_base": BGNBD,
        "gamma_gamma": SPEND,
        "mean_spend_per_order_cny": SPEND["p"] * SPEND["gamma"] / (SPEND["q"] - 1),
        "rate_multiplier": {"points_card": POINTS_EFFECT, "community_member": COMMUNITY_EFFECT,
                            "it_professional": IT_EFFECT},
        "points_card_assignment": "random, 50 %",
        "community_join_chance": {"it_professional": JOIN_COMMUNITY[True],
                                  "others": JOIN_COMMUNITY[False]},
        "occupation_shares": OCCUPATIONS,
        "points_rule": {"points_per_cny": POINT_PER_CNY, "redeem_block": REDEEM_AT,
                        "coupon_cny_per_block": 10},
        "share_alive_at_end": float(traits["alive_at_end"].mean()),
        "observation_end": END,
    }
    return Dataset(
        name=NAME, title="Beareyes case · 小熊在线: points, community and repeat buying",
        description="Customers of a fictional early Chinese online IT shop with a members' "
                    "forum, inspired by Beareyes (小熊在线): their orders from 2001 to mid-2003, "
                    "points earned and redeemed on a points card offered at random to half of "
                    "new customers, and their forum activity.",
        locale="zh_CN", seed=seed, size=size,
        tables={"customers": customers, "orders": orders, "points": points,
                "community": forum},
        truth=truth, dictionary=DICTIONARY)


def _points(rng, orders, points_card, ids):
    """Points earned on every order of a card holder; blocks of points redeemed for coupons."""
    rows = []
    balance = {}
    for order_id, c, date, amount in orders[["order_id", "customer", "date", "amount"]].itertuples(
            index=False):
        if not points_card[c]:
            continue
        earned = int(amount * POINT_PER_CNY)
        balance[c] = balance.get(c, 0) + earned
        rows.append((ids[c], date, order_id, "earned", earned))
        if balance[c] >= REDEEM_AT and rng.random() < REDEEM_CHANCE:
            blocks = balance[c] // REDEEM_AT
            balance[c] -= blocks * REDEEM_AT
            rows.append((ids[c], date, order_id, "redeemed", int(blocks * REDEEM_AT)))
    return pd.DataFrame(rows, columns=["customer_id", "date", "order_id", "kind", "points"])


def _community(rng, community, acquired, ids):
    """Forum members: when they joined (before or soon after the first order) and posts."""
    who = np.flatnonzero(community)
    joined = acquired.to_numpy()[who] + pd.to_timedelta(
        rng.integers(-180, 60, who.size), unit="D").to_numpy()
    posts = rng.negative_binomial(1.2, 0.04, who.size)
    replies = rng.binomial(posts * 3, 0.6)
    return pd.DataFrame({"customer_id": ids[who],
                         "joined": pd.Series(joined).dt.strftime("%Y-%m-%d"),
                         "posts": posts, "replies_received": replies})


DICTIONARY = [
    ("customers", "customer_id", "id", "Customer key, BE + five digits"),
    ("customers", "name", "text", "Customer name (synthetic, Faker zh_CN)"),
    ("customers", "gender", "category", "F or M, consistent with the given name"),
    ("customers", "province", "category", "Province of the delivery city"),
    ("customers", "city", "category", "Delivery city"),
    ("customers", "city_tier", "int", "Commercial city tier, 1 (largest) to 3"),
    ("customers", "email", "text", "E-mail (synthetic)"),
    ("customers", "acquired", "date", "Date of the first order"),
    ("customers", "cohort", "category", "Month of the first order (acquisition cohort), YYYY-MM"),
    ("customers", "occupation", "category", "IT professional, student or other (sign-up form)"),
    ("customers", "points_card", "bool", "Offered the points card in the trial (random half)"),
    ("customers", "community_member", "bool", "Has a forum account (self-chosen)"),
    ("orders", "order_id", "id", "Order key, in date order"),
    ("orders", "customer_id", "id", "Who ordered"),
    ("orders", "date", "date", "Order date"),
    ("orders", "amount", "money", "Amount paid, CNY"),
    ("points", "customer_id", "id", "Card holder"),
    ("points", "date", "date", "Date of the points movement"),
    ("points", "order_id", "id", "Order that earned the points or where they were redeemed"),
    ("points", "kind", "category", "earned or redeemed"),
    ("points", "points", "int", "Points earned (1 per CNY) or redeemed (blocks of 1,000 for a "
     "10 CNY coupon)"),
    ("community", "customer_id", "id", "Forum member"),
    ("community", "joined", "date", "Date the forum account was opened"),
    ("community", "posts", "int", "Posts written up to 2003-06-30"),
    ("community", "replies_received", "int", "Replies other members wrote to those posts"),
]
