"""Chapter 10 data: a mobile operator's subscribers, their churn, and a win-back offer.

Planted truth:

- **proportional hazards**: time to churn is Weibull, and each covariate multiplies the
  hazard by a fixed factor (log hazard ratios in ``HAZARDS``: contract length, segment,
  automatic payment, complaints in the first three months);
- **exit-survey reasons** with fixed shares, company-side or customer-side, where early
  complainers more often blame service and network;
- **a win-back offer** sent in October 2024 to customers lost since 2023, assigned at
  random (half offer, half control), whose true lift in the chance of returning is larger
  for customers who left for company-side reasons.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .core import Dataset, identities, random_dates, scaled

NAME = "ch10_churn"
SIGNUP_START, SIGNUP_END, OBS_END = "2020-01-01", "2024-06-30", "2024-12-31"
DAYS_PER_MONTH = 30.4375
WEIBULL_SHAPE, WEIBULL_SCALE = 0.9, 22.0       # months, for the reference customer
CONTRACTS = {"monthly": 0.45, "1-year": 0.35, "2-year": 0.20}
SEGMENTS = {"worker": 0.40, "student": 0.20, "family": 0.25, "business": 0.15}
HAZARDS = {                                      # log hazard ratios (reference: monthly, worker)
    "contract=1-year": -0.8, "contract=2-year": -1.4,
    "segment=student": 0.3, "segment=family": -0.3, "segment=business": -0.2,
    "autopay": -0.5, "early_complaints": 0.35,
}
FEE = {"worker": 98.0, "student": 48.0, "family": 128.0, "business": 188.0}   # yuan a month
MARGIN_RATE = 0.55
REASONS = {   # reason: (side, share among churners without early complaints, with)
    "price too high 资费太贵": ("company", 0.24, 0.16),
    "poor network 信号差": ("company", 0.16, 0.26),
    "poor service 服务差": ("company", 0.10, 0.26),
    "billing error 账单错误": ("company", 0.06, 0.08),
    "moved away 搬迁": ("customer", 0.18, 0.10),
    "needs changed 需求变化": ("customer", 0.14, 0.08),
    "joined family or work plan 并入家庭或单位套餐": ("customer", 0.12, 0.06),
}
SURVEY_RESPONSE = 0.7
WINBACK_DATE, WINBACK_LOST_FROM = "2024-10-01", "2023-01-01"
WINBACK_BASE = {"company": 0.08, "customer": 0.03, "unknown": 0.05}   # return without offer
WINBACK_LIFT = {"company": 0.14, "customer": 0.03, "unknown": 0.08}   # added by the offer
RECENCY_FACTOR = 0.97          # chance of return shrinks by 3 % per month since churn
CONTACT_COST, DISCOUNT_MONTHS, DISCOUNT = 5.0, 3, 0.5


def build(size: float = 1.0, seed: int = 110) -> Dataset:
    """Build the chapter 10 dataset; ``size`` scales the subscribers (1 = 4,000)."""
    rng = np.random.default_rng(seed)
    n = scaled(4000, size)
    people = identities(n, "zh_CN", seed, rng)
    signup = random_dates(rng, n, SIGNUP_START, SIGNUP_END).sort_values(ignore_index=True)
    contract = _pick(rng, CONTRACTS, n)
    segment = _pick(rng, SEGMENTS, n)
    autopay = rng.random(n) < np.where(contract == "monthly", 0.35, 0.6)
    complaints = rng.poisson(np.where(segment == "business", 0.6, 0.4))
    age = np.where(segment == "student", rng.integers(18, 24, n), rng.integers(24, 68, n))
    fee = np.round(np.array([FEE[s] for s in segment]) * rng.lognormal(0, 0.2, n), 0)
    data_gb = np.round(rng.gamma(2.0, np.where(segment == "student", 9.0, 5.0)), 1)
    xb = (np.select([contract == "1-year", contract == "2-year"],
                    [HAZARDS["contract=1-year"], HAZARDS["contract=2-year"]], 0.0)
          + np.array([HAZARDS.get(f"segment={s}", 0.0) for s in segment])
          + HAZARDS["autopay"] * autopay + HAZARDS["early_complaints"] * complaints)
    # Weibull proportional hazards: S(t|x) = exp(-(t/scale)^shape * exp(xb)).
    life = WEIBULL_SCALE * (-np.log(rng.random(n)) / np.exp(xb)) ** (1 / WEIBULL_SHAPE)
    observed = (pd.Timestamp(OBS_END) - signup).dt.days.to_numpy() / DAYS_PER_MONTH
    churned = life <= observed
    tenure = np.where(churned, life, observed)
    end = signup + pd.to_timedelta(np.floor(tenure * DAYS_PER_MONTH), unit="D")
    ids = np.array([f"M{i + 1:06d}" for i in range(n)])
    customers = pd.DataFrame({"customer_id": ids}).join(
        people[["name", "gender", "province", "city", "city_tier"]])
    customers = customers.assign(
        age=age, segment=segment, contract=contract, autopay=autopay,
        early_complaints=complaints, monthly_fee=fee, data_gb=data_gb,
        signup=signup.dt.strftime("%Y-%m-%d"),
        churn_date=end.dt.strftime("%Y-%m-%d").where(churned),
        tenure_months=np.round(tenure, 2), churned=churned)
    survey = _exit_survey(rng, customers)
    winback = _winback(rng, customers, survey)
    truth = {
        "log_hazard_ratios": HAZARDS,
        "hazard_ratios": {k: float(np.exp(v)) for k, v in HAZARDS.items()},
        "reference_levels": {"contract": "monthly", "segment": "worker"},
        "weibull_shape": WEIBULL_SHAPE, "weibull_scale_months": WEIBULL_SCALE,
        "observation_end": OBS_END,
        "reason_shares": {r: {"side": v[0], "no_complaint": v[1], "complainer": v[2]}
                          for r, v in REASONS.items()},
        "survey_response_rate": SURVEY_RESPONSE,
        "winback": {"offer_date": WINBACK_DATE, "base_return_chance": WINBACK_BASE,
                    "offer_lift": WINBACK_LIFT, "recency_factor_per_month": RECENCY_FACTOR,
                    "contact_cost": CONTACT_COST, "margin_rate": MARGIN_RATE,
                    "discount": DISCOUNT, "discount_months": DISCOUNT_MONTHS,
                    "expected_lift_in_sample": float(winback["_lift"].mean()),
                    "expected_lift_by_side": {
                        side: float(part.mean())
                        for side, part in winback.groupby("reason_side")["_lift"]}},
    }
    winback = winback.drop(columns="_lift")
    return Dataset(
        name=NAME, title="Chapter 10 · 客户的流失与挽回: subscribers, churn and win-back",
        description="Subscribers of a fictional mobile operator in Chinese cities, signed up "
                    "2020–mid-2024 and observed to the end of 2024: contract, segment, "
                    "churn dates, exit-survey reasons, and a randomised win-back offer "
                    "sent in October 2024.",
        locale="zh_CN", seed=seed, size=size,
        tables={"customers": customers, "exit_survey": survey, "winback": winback},
        truth=truth, dictionary=DICTIONARY)


def _pick(rng, shares: dict, n: int) -> np.ndarray:
    names = list(shares)
    return np.array(names)[rng.choice(len(names), size=n, p=list(shares.values()))]


def _exit_survey(rng, customers):
    lost = customers[customers["churned"]]
    lost = lost[rng.random(len(lost)) < SURVEY_RESPONSE]
    names = list(REASONS)
    calm = np.array([REASONS[r][1] for r in names])
    angry = np.array([REASONS[r][2] for r in names])
    complained = lost["early_complaints"].to_numpy() > 0
    u = rng.random(len(lost))
    pick = np.where(complained, np.searchsorted(np.cumsum(angry), u * angry.sum()),
                    np.searchsorted(np.cumsum(calm), u * calm.sum()))
    reason = np.array(names)[np.minimum(pick, len(names) - 1)]
    return pd.DataFrame({"customer_id": lost["customer_id"].to_numpy(),
                         "churn_date": lost["churn_date"].to_numpy(), "reason": reason,
                         "side": [REASONS[r][0] for r in reason]})


def _winback(rng, customers, survey):
    lost = customers[customers["churned"]
                     & (customers["churn_date"] >= WINBACK_LOST_FROM)
                     & (customers["churn_date"] < WINBACK_DATE)].reset_index(drop=True)
    side = lost["customer_id"].map(survey.set_index("customer_id")["side"]).fillna("unknown")
    months = ((pd.Timestamp(WINBACK_DATE) - pd.to_datetime(lost["churn_date"])).dt.days
              / DAYS_PER_MONTH).to_numpy()
    offer = np.where(rng.permutation(len(lost)) % 2 == 0, "offer", "control")
    recency = RECENCY_FACTOR ** months
    base = side.map(WINBACK_BASE).to_numpy() * recency
    lift = side.map(WINBACK_LIFT).to_numpy() * recency
    returned = rng.random(len(lost)) < base + np.where(offer == "offer", lift, 0.0)
    fee = lost["monthly_fee"].to_numpy()
    margin = np.where(returned, np.round(fee * MARGIN_RATE * 12, 2), 0.0)
    cost = np.where(offer == "offer",
                    CONTACT_COST + returned * fee * DISCOUNT * DISCOUNT_MONTHS, 0.0)
    return pd.DataFrame({
        "customer_id": lost["customer_id"], "churn_date": lost["churn_date"],
        "months_since_churn": np.round(months, 1), "segment": lost["segment"],
        "monthly_fee": fee, "reason_side": side.to_numpy(), "offer": offer,
        "returned": returned, "margin_12m": margin, "cost": np.round(cost, 2),
        "_lift": lift})


DICTIONARY = [
    ("customers", "customer_id", "id", "Subscriber key, M + six digits"),
    ("customers", "name", "text", "Subscriber name (synthetic, Faker zh_CN)"),
    ("customers", "gender", "category", "F or M, consistent with the given name"),
    ("customers", "province", "category", "Province of the home city"),
    ("customers", "city", "category", "Home city"),
    ("customers", "city_tier", "int", "Commercial tier of the city (1 = largest)"),
    ("customers", "age", "int", "Age in years at sign-up"),
    ("customers", "segment", "category", "worker, student, family or business"),
    ("customers", "contract", "category", "monthly (no contract), 1-year or 2-year"),
    ("customers", "autopay", "bool", "Pays by automatic bank debit"),
    ("customers", "early_complaints", "int", "Complaints in the first three months"),
    ("customers", "monthly_fee", "money", "Monthly fee, yuan"),
    ("customers", "data_gb", "number", "Mobile data used in a typical month, GB"),
    ("customers", "signup", "date", "Date the subscription started"),
    ("customers", "churn_date", "date", "Date the subscriber left; empty if still active"),
    ("customers", "tenure_months", "number",
     "Months from sign-up to churn, or to 2024-12-31 if still active (censored)"),
    ("customers", "churned", "bool", "Left before 2024-12-31 (False = censored)"),
    ("exit_survey", "customer_id", "id", "Lost subscriber who answered the exit survey"),
    ("exit_survey", "churn_date", "date", "Date the subscriber left"),
    ("exit_survey", "reason", "category", "Main reason given for leaving (English 中文)"),
    ("exit_survey", "side", "category",
     "company (the operator could fix it) or customer (the customer's own situation)"),
    ("winback", "customer_id", "id", "Subscriber lost between 2023-01-01 and 2024-09-30"),
    ("winback", "churn_date", "date", "Date the subscriber left"),
    ("winback", "months_since_churn", "number", "Months from churn to the offer (2024-10-01)"),
    ("winback", "segment", "category", "Segment when lost"),
    ("winback", "monthly_fee", "money", "Monthly fee when lost, yuan"),
    ("winback", "reason_side", "category", "company, customer, or unknown (no survey answer)"),
    ("winback", "offer", "category", "offer (3 months at half price) or control, at random"),
    ("winback", "returned", "bool", "Came back by 2024-12-31"),
    ("winback", "margin_12m", "money", "Margin of the next 12 months if returned, else 0"),
    ("winback", "cost", "money", "Contact cost plus discount given, yuan (0 for control)"),
]
