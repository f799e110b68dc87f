"""FedEx case data: business shipping accounts, their profitability, and a call centre.

Inspired by FedEx (en_US), never its real figures. Two stories are planted:

- **The good, the bad and the ugly.** Each account is drawn as one of three kinds. Good
  accounts pay near list price for commercial deliveries and rarely call; bad ones earn
  thin margins (a few lose a little); ugly ones are often *large* shippers that won deep
  discounts, send mostly to homes (costly last miles) and call a lot, so they lose money
  on every parcel. The kinds overlap at their edges, as real accounts do.
- **Self-service deflects calls.** Through 2024 more accounts start tracking parcels
  online. A shipment from an account that tracks online causes ``DEFLECTION`` (70 %)
  fewer "where is my parcel" calls; other calls are untouched. Calls are recorded per
  half hour of every weekday with their average handling time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .core import US_CITIES, Dataset, faker_for, scaled

NAME = "fedex"
YEAR = 2024
KINDS = {  # kind: (share, discount range, residential share range, calls per 100 shipments)
    "good": (0.55, (0.05, 0.22), (0.05, 0.35), 1.0),
    "bad": (0.30, (0.15, 0.30), (0.25, 0.55), 2.5),
    "ugly": (0.15, (0.30, 0.50), (0.55, 0.90), 5.0),
}
LIST_BASE, LIST_PER_LB = 14.0, 1.2        # list price of a parcel, USD
COST_PICKUP, COST_PER_LB = 5.0, 0.8       # pickup/sort and line-haul cost
COST_COMMERCIAL, COST_RESIDENTIAL = 3.0, 8.0   # last-mile delivery cost
COST_PER_CALL = 6.0                        # account-service call cost, USD
WISMO_PER_SHIPMENT = 0.060                 # "where is my parcel" calls per shipment, no tracking
OTHER_CALLS_PER_DAY = 900
DEFLECTION = 0.70
AHT_TRACKING, AHT_OTHER = 150.0, 330.0    # seconds
OPEN, CLOSE = 8, 20                        # call centre hours
PROFILE = np.array([0.5, 0.8, 1.1, 1.3, 1.5, 1.6, 1.5, 1.3, 1.0, 0.9, 1.0, 1.2,
                    1.3, 1.35, 1.3, 1.2, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4])
WEEKDAY = np.array([1.2, 1.05, 1.0, 0.95, 0.9])
ADOPTION_START, ADOPTION_END = 0.10, 0.70  # share of accounts tracking online, Jan → Dec


def build(size: float = 1.0, seed: int = 301) -> Dataset:
    """Build the FedEx dataset; ``size`` scales the number of accounts (1 = 600)."""
    rng = np.random.default_rng(seed)
    n = scaled(600, size)
    accounts, kind = _accounts(rng, n, seed)
    shipments, volume = _shipments(rng, accounts, kind)
    adoption = _adoption(accounts, shipments)
    calls = _calls(rng, adoption, size)
    truth = {
        "kind_share": {k: v[0] for k, v in KINDS.items()},
        "kind_of_account": dict(zip(accounts["account_id"], kind, strict=True)),
        "calls_per_100_shipments": {k: v[3] for k, v in KINDS.items()},
        "deflection": DEFLECTION,
        "wismo_calls_per_shipment_without_tracking": WISMO_PER_SHIPMENT,
        "other_calls_per_day": OTHER_CALLS_PER_DAY * size,
        "aht_seconds": {"tracking": AHT_TRACKING, "other": AHT_OTHER},
        "weekday_multiplier": dict(zip(["Mon", "Tue", "Wed", "Thu", "Fri"],
                                       WEEKDAY.tolist(), strict=True)),
        "cost_model_usd": {"pickup_per_parcel": COST_PICKUP, "linehaul_per_lb": COST_PER_LB,
                           "delivery_commercial": COST_COMMERCIAL,
                           "delivery_residential": COST_RESIDENTIAL,
                           "per_service_call": COST_PER_CALL},
        "list_price_usd": {"base": LIST_BASE, "per_lb": LIST_PER_LB},
        "mean_monthly_shipments": float(volume.mean()),
    }
    return Dataset(
        name=NAME, title="FedEx case · 联邦快递: account profitability and call-centre staffing",
        description="Business accounts of a fictional parcel carrier inspired by FedEx, their "
                    f"shipments by month in {YEAR} with revenue and cost to serve, the uptake "
                    "of online parcel tracking, and calls to its service centre per half hour.",
        locale="en_US", seed=seed, size=size,
        tables={"accounts": accounts, "shipments": shipments, "tracking_adoption": adoption,
                "calls": calls},
        truth=truth, dictionary=DICTIONARY)


def _accounts(rng, n, seed):
    fake = faker_for("en_US", seed)
    names = list(KINDS)
    shares = np.array([KINDS[k][0] for k in names])
    kind = np.array(names)[rng.choice(len(names), n, p=shares)]
    lo = np.array([KINDS[k][1][0] for k in kind])
    hi = np.array([KINDS[k][1][1] for k in kind])
    discount = np.round(rng.uniform(lo, hi), 3)
    lo = np.array([KINDS[k][2][0] for k in kind])
    hi = np.array([KINDS[k][2][1] for k in kind])
    residential = np.round(rng.uniform(lo, hi), 3)
    city = rng.integers(0, len(US_CITIES), n)
    industries = np.array(["retail", "e-commerce", "healthcare", "manufacturing",
                           "professional services"])
    industry = np.where(kind == "ugly", rng.choice(industries[:2], n),
                        rng.choice(industries, n))
    # Online tracking: the month an account started (empty = not by the end of the year).
    share = rng.random(n)
    month = 1 + np.floor((share - ADOPTION_START) / (ADOPTION_END - ADOPTION_START) * 11)
    tracking = np.where(share < ADOPTION_START, f"{YEAR - 1}-12",
                        [f"{YEAR}-{int(m):02d}" for m in np.clip(month, 1, 12)])
    tracking = np.where(share > ADOPTION_END, None, tracking)
    companies = []
    for i in range(n):
        name = fake.company()
        companies.append(name if name not in companies else f"{name} ({i})")
    accounts = pd.DataFrame({
        "account_id": [f"A{10001 + i}" for i in range(n)], "company": companies,
        "industry": industry, "state": [US_CITIES[c][0] for c in city],
        "city": [US_CITIES[c][1] for c in city],
        "customer_since": rng.integers(1995, YEAR, n),
        "contract_discount": discount, "residential_share": residential,
        "avg_weight_lb": np.round(rng.gamma(4.0, 2.0, n) + 1, 1),
        "tracking_since": pd.Series(tracking, dtype="object")})
    return accounts, kind


def _shipments(rng, accounts, kind):
    """Shipments per account and month, with revenue and the cost of serving them."""
    n = len(accounts)
    big = np.where(kind == "ugly", 2.0, 1.0)   # deep discounts go with big volumes
    volume = np.round(rng.lognormal(np.log(300), 0.8, n) * big)
    calls_rate = np.array([KINDS[k][3] for k in kind]) / 100
    rows = []
    for m in range(1, 13):
        q = rng.poisson(volume * (1 + 0.15 * (m == 12) + 0.05 * (m == 11)))
        weight = accounts["avg_weight_lb"].to_numpy()
        price = (LIST_BASE + LIST_PER_LB * weight) * (1 - accounts["contract_discount"])
        revenue = q * price.to_numpy() * rng.uniform(0.97, 1.03, n)
        res = accounts["residential_share"].to_numpy()
        service_calls = rng.poisson(q * calls_rate)
        cost = (q * (COST_PICKUP + COST_PER_LB * weight
                     + res * COST_RESIDENTIAL + (1 - res) * COST_COMMERCIAL)
                * rng.uniform(0.97, 1.03, n) + service_calls * COST_PER_CALL)
        rows.append(pd.DataFrame({"account_id": accounts["account_id"],
                                  "month": f"{YEAR}-{m:02d}", "shipments": q,
                                  "revenue": np.round(revenue, 2),
                                  "cost_to_serve": np.round(cost, 2),
                                  "service_calls": service_calls}))
    frame = pd.concat(rows, ignore_index=True)
    return frame.sort_values(["account_id", "month"], ignore_index=True), volume


def _adoption(accounts, shipments):
    """Per month: shipments, and the share of them from accounts already tracking online."""
    since = accounts.set_index("account_id")["tracking_since"]
    s = shipments.assign(since=shipments["account_id"].map(since))
    s["adopted"] = s["since"].notna() & (s["since"] <= s["month"])
    out = s.groupby("month").apply(
        lambda g: pd.Series({"shipments": int(g["shipments"].sum()),
                             "accounts_tracking": int(g.loc[g["shipments"] > 0,
                                                            "adopted"].sum()),
                             "tracked_share": g.loc[g["adopted"], "shipments"].sum()
                             / g["shipments"].sum()}), include_groups=False)
    out["shipments"] = out["shipments"].astype(int)
    out["accounts_tracking"] = out["accounts_tracking"].astype(int)
    out["tracked_share"] = out["tracked_share"].round(4)
    return out.reset_index()


def _calls(rng, adoption, size):
    """Tracking and other calls in every half hour of every weekday, with handling times."""
    days = pd.bdate_range(f"{YEAR}-01-01", f"{YEAR}-12-31")
    per = adoption.set_index("month")
    month = days.strftime("%Y-%m")
    workdays = pd.Series(month).value_counts()
    daily_ship = per.loc[month, "shipments"].to_numpy() / workdays.loc[month].to_numpy()
    tracked = per.loc[month, "tracked_share"].to_numpy()
    wismo_day = WISMO_PER_SHIPMENT * daily_ship * (1 - DEFLECTION * tracked)
    other_day = OTHER_CALLS_PER_DAY * size * np.ones(len(days))
    shape = PROFILE / PROFILE.sum()
    dow = WEEKDAY[days.day_of_week]
    lam_track = (wismo_day * dow)[:, None] * shape[None, :]
    lam_other = (other_day * dow)[:, None] * shape[None, :]
    track = rng.poisson(lam_track)
    other = rng.poisson(lam_other)
    # Mean handling time in the half hour: the mix of the two kinds, with noise per call.
    total = track + other
    handle = (rng.gamma(np.maximum(track, 1) * 4.0, AHT_TRACKING / 4.0) * (track > 0)
              + rng.gamma(np.maximum(other, 1) * 4.0, AHT_OTHER / 4.0) * (other > 0))
    aht = np.where(total > 0, handle / np.maximum(total, 1), np.nan)
    periods = [f"{h:02d}:{m:02d}" for h in range(OPEN, CLOSE) for m in (0, 30)]
    return pd.DataFrame({
        "date": np.repeat(days.strftime("%Y-%m-%d"), len(periods)),
        "weekday": np.repeat(days.strftime("%a"), len(periods)),
        "period": np.tile(periods, len(days)),
        "tracking_calls": track.ravel(), "other_calls": other.ravel(),
        "aht_seconds": np.round(aht.ravel(), 1)})


DICTIONARY = [
    ("accounts", "account_id", "id", "Business account key"),
    ("accounts", "company", "text", "Company name (synthetic, Faker en_US)"),
    ("accounts", "industry", "category", "Industry of the shipper"),
    ("accounts", "state", "category", "US state of the account's main site"),
    ("accounts", "city", "category", "City of the account's main site"),
    ("accounts", "customer_since", "int", "Year the account opened"),
    ("accounts", "contract_discount", "number", "Discount off list price in its contract"),
    ("accounts", "residential_share", "number", "Share of its parcels delivered to homes"),
    ("accounts", "avg_weight_lb", "number", "Average parcel weight, pounds"),
    ("accounts", "tracking_since", "text", "Month it began tracking online (YYYY-MM); empty "
                                           "if not by the end of 2024"),
    ("shipments", "account_id", "id", "Account"),
    ("shipments", "month", "text", "Month, YYYY-MM"),
    ("shipments", "shipments", "int", "Parcels shipped that month"),
    ("shipments", "revenue", "money", "Revenue after the contract discount, USD"),
    ("shipments", "cost_to_serve", "money", "Pickup, line-haul, delivery and service-call "
                                            "cost, USD"),
    ("shipments", "service_calls", "int", "Account-service calls that month"),
    ("tracking_adoption", "month", "text", "Month, YYYY-MM"),
    ("tracking_adoption", "shipments", "int", "Parcels shipped by all accounts"),
    ("tracking_adoption", "accounts_tracking", "int", "Shipping accounts tracking online"),
    ("tracking_adoption", "tracked_share", "number", "Share of parcels from accounts that "
                                                     "track online"),
    ("calls", "date", "date", "Weekday"),
    ("calls", "weekday", "category", "Mon … Fri"),
    ("calls", "period", "text", "Start of the half hour, HH:MM"),
    ("calls", "tracking_calls", "int", "'Where is my parcel' calls in the half hour"),
    ("calls", "other_calls", "int", "All other calls in the half hour"),
    ("calls", "aht_seconds", "number", "Average handling time of those calls, seconds"),
]
