"""Chapter 2 data: an appliance and electronics retailer in Chinese cities (zh_CN).

Four stories are planted, one per section of the chapter:

- **Silos.** The sales, service and marketing departments each keep their own extract of
  the same customers, with their own keys, spellings (a space inside a name, "上海市" for
  "上海"), phone formats and date formats. Who is really who is recorded in the truth, so
  a single customer view (客户统一视图) can be checked: the mobile number, once its
  digits are cleaned, identifies a person; the service desk has registered some people
  twice.
- **OLAP.** A monthly sales mart by city, product and channel, with a planted surge of
  air purifiers in one city in one quarter, online sales gaining share, and growth.
- **Mining.** Offer responses driven by planted logistic coefficients; customer profiles
  drawn from four planted groups; shopping baskets with three planted item pairs.
- **Call centre.** Calls to the service hotline per half hour for four weeks, from a
  planted daily shape (busier at weekends) and a mean handling time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .core import CN_CITIES, Dataset, faker_for, identities, scaled

NAME = "ch02_technology"
SHARE_IN = {"sales": 0.70, "service": 0.45, "marketing": 0.60}
SERVICE_DUPLICATE_SHARE = 0.06          # service customers registered twice
REGIONS = {"北京": "华北", "天津": "华北", "山西": "华北", "上海": "华东", "江苏": "华东",
           "浙江": "华东", "安徽": "华东", "福建": "华东", "江西": "华东", "山东": "华东",
           "广东": "华南", "湖北": "华中", "湖南": "华中", "河南": "华中", "四川": "西南",
           "重庆": "西南", "云南": "西南", "陕西": "西北", "辽宁": "东北", "吉林": "东北",
           "黑龙江": "东北"}
PRODUCTS = {  # product: (category, price CNY, monthly units in a tier-1 city)
    "空调": ("家电", 3200, 60), "冰箱": ("家电", 2800, 45), "洗衣机": ("家电", 2100, 50),
    "手机": ("数码", 2600, 150), "笔记本电脑": ("数码", 5200, 40), "耳机": ("数码", 400, 120),
    "空气净化器": ("家居", 1500, 30), "扫地机器人": ("家居", 1900, 35),
}
MART_START, MART_MONTHS = "2023-01-01", 24
YEARLY_GROWTH = 0.08
ONLINE_SHARE_START, ONLINE_SHARE_END = 0.35, 0.55
SURGE = {"city": "成都", "product": "空气净化器", "quarter": "2024Q4", "multiplier": 3.0}
RESPONSE_COEF = {"intercept": -1.4, "app_user": 1.0, "orders_12m": 0.25,
                 "complaints_12m": -0.6, "age": -0.03}
GROUPS = {  # group: (share, annual spend CNY, orders a year, discount share, online share)
    "高价值 high value": (0.15, 18000, 10, 0.10, 0.50),
    "折扣敏感 deal seekers": (0.30, 4000, 8, 0.55, 0.45),
    "线上新客 online newcomers": (0.25, 3000, 3, 0.20, 0.90),
    "低频门店 occasional in-store": (0.30, 2500, 2, 0.15, 0.10),
}
ITEMS = {"手机": 0.10, "手机壳": 0.06, "咖啡机": 0.05, "咖啡豆": 0.07, "打印机": 0.04,
         "墨盒": 0.05, "耳机": 0.12, "充电宝": 0.15, "电饭煲": 0.08, "台灯": 0.09,
         "电风扇": 0.07, "路由器": 0.06}
PAIRS = [("手机", "手机壳", 0.60), ("咖啡机", "咖啡豆", 0.50), ("打印机", "墨盒", 0.55)]
HOTLINE_START, HOTLINE_DAYS = "2024-11-04", 28     # four weeks from a Monday
HOTLINE_PEAK = 120                                 # expected calls in the busiest half hour
HOTLINE_SHAPE = np.array([0.35, 0.55, 0.75, 0.9, 1.0, 0.95, 0.8, 0.7, 0.75, 0.85, 0.9, 0.85,
                          0.8, 0.75, 0.7, 0.7, 0.75, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2])
HOTLINE_WEEKEND = 1.25                             # weekend days are busier for a retailer
HOTLINE_AHT = 240.0                                # mean handling time, seconds


def build(size: float = 1.0, seed: int = 102) -> Dataset:
    """Build the chapter 2 dataset; ``size`` scales every table (1 = 800 people)."""
    rng = np.random.default_rng(seed)
    n = scaled(800, size)
    people = identities(n, "zh_CN", seed, rng)
    people["phone"] = _phones(rng, n)
    people["person_id"] = [f"P{i + 1:05d}" for i in range(n)]
    fake = faker_for("zh_CN", seed + 1)
    people["email"] = [f"{fake.user_name()}{i}@{fake.free_email_domain()}" for i in range(n)]
    silos, mapping = _silos(rng, people)
    tables = {**silos, "sales_mart": _mart(rng), "offer_responses": _responses(rng, size)}
    profiles, group = _profiles(rng, size)
    tables["customer_profiles"] = profiles
    tables["basket_items"] = _baskets(rng, size)
    tables["hotline_calls"] = _hotline(rng, size)
    in_source = {s: set(mapping[s].values()) for s in mapping}
    everyone = set().union(*in_source.values())
    truth = {
        "people": len(everyone),
        "people_in_source": {s: len(v) for s, v in in_source.items()},
        "people_in_all_three": len(set.intersection(*in_source.values())),
        "service_people_registered_twice": int(
            pd.Series(list(mapping["service"].values())).duplicated().sum()),
        "source_key_to_person": mapping,
        "match_rule": "same mobile number once non-digits and the +86 prefix are removed",
        "mart": {"yearly_growth": YEARLY_GROWTH, "online_share_start": ONLINE_SHARE_START,
                 "online_share_end": ONLINE_SHARE_END, "surge": SURGE,
                 "region_of_province": REGIONS},
        "response_logit": RESPONSE_COEF,
        "groups": {g: dict(zip(["share", "annual_spend", "orders_per_year", "discount_share",
                                "online_share"], v, strict=True)) for g, v in GROUPS.items()},
        "group_of_profile": dict(zip(profiles["profile_id"], group, strict=True)),
        "item_pairs": _pair_truth(),
        "hotline": {"expected_weekday_calls_by_period": dict(zip(
            _periods(), np.round(HOTLINE_PEAK * size * HOTLINE_SHAPE, 2).tolist(), strict=True)),
            "weekend_multiplier": HOTLINE_WEEKEND, "aht_seconds": HOTLINE_AHT},
    }
    return Dataset(
        name=NAME, title="Chapter 2 · 客户关系管理的技术: an electronics retailer's data",
        description="A fictional appliance and electronics retailer in Chinese cities: three "
                    "departmental extracts of its customers that disagree (sales, service, "
                    "marketing), a monthly sales mart for OLAP, responses to an offer, "
                    "customer profiles and shopping baskets for data mining, and calls "
                    "to its service hotline per half hour.",
        locale="zh_CN", seed=seed, size=size, tables=tables, truth=truth,
        dictionary=DICTIONARY)


def _phones(rng, n):
    """Unique synthetic mobile numbers (11 digits)."""
    prefixes = np.array(["138", "139", "136", "137", "150", "151", "158", "186", "188", "177"])
    phones: list[str] = []
    seen: set[str] = set()
    while len(phones) < n:
        p = prefixes[rng.integers(len(prefixes))] + f"{rng.integers(0, 10**8):08d}"
        if p not in seen:
            seen.add(p)
            phones.append(p)
    return phones


def _silos(rng, people):
    """Three departmental extracts of the same people, each in its own style."""
    n = len(people)
    member = {s: rng.random(n) < share for s, share in SHARE_IN.items()}
    mapping: dict[str, dict[str, str]] = {}
    # Sales: tidy keys, ISO dates, plain digits.
    idx = np.flatnonzero(member["sales"])
    keys = [f"S{i + 1:05d}" for i in range(idx.size)]
    mapping["sales"] = dict(zip(keys, people["person_id"].iloc[idx], strict=True))
    since = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 1800, idx.size), "D")
    sales = pd.DataFrame({"sales_id": keys, "name": people["name"].iloc[idx].to_numpy(),
                          "mobile": people["phone"].iloc[idx].to_numpy(),
                          "city": people["city"].iloc[idx].to_numpy(),
                          "first_order": since.strftime("%Y-%m-%d")})
    orders = _orders(rng, sales)
    # Service: some people twice, names typed with a space, +86 phones, dd/mm/yyyy dates.
    idx = np.flatnonzero(member["service"])
    twice = idx[rng.random(idx.size) < SERVICE_DUPLICATE_SHARE]
    idx = rng.permutation(np.concatenate([idx, twice]))
    keys = [f"CS-{20000 + i * 7}" for i in range(idx.size)]
    mapping["service"] = dict(zip(keys, people["person_id"].iloc[idx], strict=True))
    names = people["name"].iloc[idx].to_numpy().copy()
    spaced = rng.random(idx.size) < 0.3
    names[spaced] = [s[0] + " " + s[1:] for s in names[spaced]]
    phone = people["phone"].iloc[idx].to_numpy()
    service_people = pd.DataFrame({
        "cust_no": keys, "contact_name": names,
        "phone": [f"+86 {p[:3]}-{p[3:7]}-{p[7:]}" for p in phone],
        "city": [c + "市" for c in people["city"].iloc[idx]]})
    tickets = _tickets(rng, service_people)
    # Marketing: numeric ids, spaced phones, some cities missing, Chinese-style dates.
    idx = rng.permutation(np.flatnonzero(member["marketing"]))
    keys = [str(100000 + 13 * i) for i in range(idx.size)]
    mapping["marketing"] = dict(zip(keys, people["person_id"].iloc[idx], strict=True))
    phone = people["phone"].iloc[idx].to_numpy()
    signup = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 1400, idx.size), "D")
    city = people["city"].iloc[idx].to_numpy().astype(object)
    city[rng.random(idx.size) < 0.2] = None
    marketing = pd.DataFrame({
        "contact_id": keys, "name": people["name"].iloc[idx].to_numpy(),
        "phone": [f"{p[:3]} {p[3:7]} {p[7:]}" for p in phone],
        "email": people["email"].iloc[idx].to_numpy(), "city": city,
        "signed_up": [f"{d.year}年{d.month}月{d.day}日" for d in signup],
        "opt_in": rng.random(idx.size) < 0.7})
    tables = {"sales_customers": sales, "sales_orders": orders,
              "service_customers": service_people, "service_tickets": tickets,
              "marketing_contacts": marketing}
    return tables, mapping


def _orders(rng, sales):
    count = 1 + rng.poisson(2.0, len(sales))
    who = np.repeat(np.arange(len(sales)), count)
    first = pd.to_datetime(sales["first_order"]).to_numpy()[who]
    offset = rng.integers(0, 700, who.size)
    offset[np.r_[0, np.cumsum(count)[:-1]]] = 0      # the first order is on first_order
    date = pd.Series(first + pd.to_timedelta(offset, "D").to_numpy())
    date = date.where(date <= pd.Timestamp("2024-12-31"), pd.Timestamp("2024-12-31"))
    products = list(PRODUCTS)
    product = np.array(products)[rng.integers(0, len(products), who.size)]
    price = np.array([PRODUCTS[p][1] for p in product])
    amount = np.round(price * rng.uniform(0.85, 1.05, who.size), 2)
    frame = pd.DataFrame({"sales_id": sales["sales_id"].to_numpy()[who],
                          "order_date": date.dt.strftime("%Y-%m-%d"), "product": product,
                          "amount": amount})
    frame = frame.sort_values(["order_date", "sales_id"], kind="stable", ignore_index=True)
    frame.insert(0, "order_id", [f"O{i + 1:06d}" for i in range(len(frame))])
    return frame


def _tickets(rng, service):
    count = 1 + rng.poisson(0.8, len(service))
    who = np.repeat(np.arange(len(service)), count)
    opened = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 1096, who.size), "D")
    kinds = np.array(["安装 installation", "维修 repair", "退换 return", "咨询 enquiry"])
    frame = pd.DataFrame({"cust_no": service["cust_no"].to_numpy()[who],
                          "opened": opened.strftime("%d/%m/%Y"),
                          "issue": kinds[rng.choice(4, who.size, p=[0.3, 0.35, 0.15, 0.2])],
                          "resolved": np.where(rng.random(who.size) < 0.85, "Y", "N")})
    frame = frame.iloc[np.argsort(opened.to_numpy(), kind="stable")].reset_index(drop=True)
    frame.insert(0, "ticket_id", [f"TK{i + 1:05d}" for i in range(len(frame))])
    return frame


def _mart(rng):
    """Monthly units and revenue by city, product and channel."""
    months = pd.date_range(MART_START, periods=MART_MONTHS, freq="MS")
    cities = pd.DataFrame(CN_CITIES, columns=["province", "city", "tier"])
    size = cities["tier"].map({1: 1.0, 2: 0.5, 3: 0.3}).to_numpy()
    rows = []
    season = {1: 1.2, 2: 0.8, 3: 0.9, 4: 0.9, 5: 1.0, 6: 1.2, 7: 1.1, 8: 1.0, 9: 1.0,
              10: 1.1, 11: 1.4, 12: 1.2}
    for m, month in enumerate(months):
        growth = (1 + YEARLY_GROWTH) ** (m / 12)
        online = ONLINE_SHARE_START + (ONLINE_SHARE_END - ONLINE_SHARE_START) * m / (
            MART_MONTHS - 1)
        quarter = f"{month.year}Q{month.quarter}"
        for c, city in cities.iterrows():
            for product, (category, price, units) in PRODUCTS.items():
                lam = units * size[c] * growth * season[month.month]
                if (city["city"], product, quarter) == (SURGE["city"], SURGE["product"],
                                                        SURGE["quarter"]):
                    lam *= SURGE["multiplier"]
                for channel, share in (("线上 online", online), ("门店 store", 1 - online)):
                    q = int(rng.poisson(lam * share))
                    revenue = round(q * price * float(rng.uniform(0.92, 1.0)), 2)
                    rows.append((month.strftime("%Y-%m"), REGIONS[city["province"]],
                                 city["province"], city["city"], category, product, channel,
                                 q, revenue))
    return pd.DataFrame(rows, columns=["month", "region", "province", "city", "category",
                                       "product", "channel", "units", "revenue"])


def _responses(rng, size):
    """Who answered an offer, from planted logistic coefficients."""
    n = scaled(3000, size)
    age = rng.integers(20, 70, n)
    app = rng.random(n) < 0.45
    orders = rng.poisson(3.0, n)
    complaints = rng.poisson(0.4, n)
    c = RESPONSE_COEF
    logit = (c["intercept"] + c["app_user"] * app + c["orders_12m"] * orders
             + c["complaints_12m"] * complaints + c["age"] * age)
    responded = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({"customer_id": [f"R{i + 1:05d}" for i in range(n)], "age": age,
                         "app_user": app, "orders_12m": orders, "complaints_12m": complaints,
                         "spend_12m": np.round(orders * rng.gamma(4, 600, n), 2),
                         "responded": responded})


def _profiles(rng, size):
    """Customers drawn from four planted groups."""
    n = scaled(1200, size)
    names = list(GROUPS)
    shares = np.array([GROUPS[g][0] for g in names])
    g = rng.choice(len(names), n, p=shares / shares.sum())
    spend = np.array([GROUPS[names[k]][1] for k in g]) * rng.lognormal(0, 0.2, n)
    orders = rng.poisson([GROUPS[names[k]][2] for k in g]) + 1
    discount = np.clip(np.array([GROUPS[names[k]][3] for k in g]) + rng.normal(0, 0.07, n), 0, 1)
    online = np.clip(np.array([GROUPS[names[k]][4] for k in g]) + rng.normal(0, 0.08, n), 0, 1)
    frame = pd.DataFrame({"profile_id": [f"G{i + 1:05d}" for i in range(n)],
                          "annual_spend": np.round(spend, 2), "orders_per_year": orders,
                          "discount_share": np.round(discount, 3),
                          "online_share": np.round(online, 3)})
    return frame, [names[k] for k in g]


def _baskets(rng, size):
    """Baskets of items: independent draws, plus planted companions for three items.

    Empty draws are discarded (a checkout holds at least one item), so every rate in the
    truth is conditional on a non-empty basket.
    """
    n = scaled(4000, size)
    items = list(ITEMS)
    m = int(n / (1 - _p_empty()) * 1.2) + 50
    has = rng.random((m, len(items))) < np.array([ITEMS[i] for i in items])
    for a, b, p in PAIRS:
        ia, ib = items.index(a), items.index(b)
        has[:, ib] |= has[:, ia] & (rng.random(m) < p)
    has = has[has.any(axis=1)][:n]
    basket, item = np.nonzero(has)
    return pd.DataFrame({"basket_id": [f"B{b + 1:05d}" for b in basket],
                         "item": np.array(items)[item]})


def _p_empty():
    """Chance that a drawn basket holds nothing (companions only join a non-empty one)."""
    return float(np.prod([1 - q for q in ITEMS.values()]))


def _periods():
    return [f"{h:02d}:{m:02d}" for h in range(9, 21) for m in (0, 30)]


def _hotline(rng, size):
    """Calls to the service hotline in each half hour, 09:00–21:00, for four weeks."""
    days = pd.date_range(HOTLINE_START, periods=HOTLINE_DAYS, freq="D")
    factor = np.where(days.day_of_week >= 5, HOTLINE_WEEKEND, 1.0)
    calls = rng.poisson(HOTLINE_PEAK * size * factor[:, None] * HOTLINE_SHAPE[None, :])
    handle = rng.gamma(np.maximum(calls, 1) * 2.0, HOTLINE_AHT / 2.0)
    aht = np.where(calls > 0, handle / np.maximum(calls, 1), np.nan)
    periods = _periods()
    return pd.DataFrame({"date": np.repeat(days.strftime("%Y-%m-%d"), len(periods)),
                         "period": np.tile(periods, len(days)), "calls": calls.ravel(),
                         "aht_seconds": np.round(aht.ravel(), 1)})


def _pair_truth():
    """Expected support, confidence and lift of each planted pair, in non-empty baskets."""
    out = {}
    keep = 1 - _p_empty()
    for a, b, p in PAIRS:
        qa, qb = ITEMS[a], ITEMS[b]
        p_b = (qb + (1 - qb) * qa * p) / keep
        confidence = p + (1 - p) * qb
        out[f"{a}→{b}"] = {"antecedent": a, "consequent": b, "companion_probability": p,
                           "support": qa * confidence / keep, "confidence": confidence,
                           "lift": confidence / p_b}
    return out


DICTIONARY = [
    ("sales_customers", "sales_id", "id", "Sales department's customer key, S + five digits"),
    ("sales_customers", "name", "text", "Customer name as sales typed it (synthetic)"),
    ("sales_customers", "mobile", "text", "Mobile number, 11 digits"),
    ("sales_customers", "city", "category", "City"),
    ("sales_customers", "first_order", "text", "First order date, YYYY-MM-DD"),
    ("sales_orders", "order_id", "id", "Order key, in date order"),
    ("sales_orders", "sales_id", "id", "Customer (sales key)"),
    ("sales_orders", "order_date", "text", "Order date, YYYY-MM-DD"),
    ("sales_orders", "product", "category", "Product bought"),
    ("sales_orders", "amount", "money", "Amount paid, CNY"),
    ("service_customers", "cust_no", "id", "Service desk's customer key, CS- + digits"),
    ("service_customers", "contact_name", "text", "Name as the service desk typed it"),
    ("service_customers", "phone", "text", "Phone as +86 ddd-dddd-dddd"),
    ("service_customers", "city", "category", "City, written with 市"),
    ("service_tickets", "ticket_id", "id", "Service ticket key"),
    ("service_tickets", "cust_no", "id", "Customer (service key)"),
    ("service_tickets", "opened", "text", "Date opened, DD/MM/YYYY"),
    ("service_tickets", "issue", "category", "Kind of request"),
    ("service_tickets", "resolved", "category", "Y if resolved, N if still open"),
    ("marketing_contacts", "contact_id", "id", "Marketing's contact key, six digits"),
    ("marketing_contacts", "name", "text", "Name as marketing holds it"),
    ("marketing_contacts", "phone", "text", "Phone as ddd dddd dddd"),
    ("marketing_contacts", "email", "text", "E-mail (synthetic)"),
    ("marketing_contacts", "city", "category", "City; often missing"),
    ("marketing_contacts", "signed_up", "text", "Sign-up date, written 2024年3月5日"),
    ("marketing_contacts", "opt_in", "bool", "Agreed to receive marketing messages"),
    ("sales_mart", "month", "text", "Month, YYYY-MM"),
    ("sales_mart", "region", "category", "Sales region (华东, 华北, …)"),
    ("sales_mart", "province", "category", "Province"),
    ("sales_mart", "city", "category", "City"),
    ("sales_mart", "category", "category", "Product category"),
    ("sales_mart", "product", "category", "Product"),
    ("sales_mart", "channel", "category", "线上 online or 门店 store"),
    ("sales_mart", "units", "int", "Units sold"),
    ("sales_mart", "revenue", "money", "Revenue, CNY"),
    ("offer_responses", "customer_id", "id", "Customer offered the promotion"),
    ("offer_responses", "age", "int", "Age in years"),
    ("offer_responses", "app_user", "bool", "Uses the retailer's app"),
    ("offer_responses", "orders_12m", "int", "Orders in the last 12 months"),
    ("offer_responses", "complaints_12m", "int", "Complaints in the last 12 months"),
    ("offer_responses", "spend_12m", "money", "Spend in the last 12 months, CNY"),
    ("offer_responses", "responded", "bool", "Took up the offer"),
    ("customer_profiles", "profile_id", "id", "Customer key"),
    ("customer_profiles", "annual_spend", "money", "Spend a year, CNY"),
    ("customer_profiles", "orders_per_year", "int", "Orders a year"),
    ("customer_profiles", "discount_share", "number", "Share of orders bought on discount"),
    ("customer_profiles", "online_share", "number", "Share of orders placed online"),
    ("basket_items", "basket_id", "id", "Shopping basket (one checkout)"),
    ("basket_items", "item", "category", "An item in the basket"),
    ("hotline_calls", "date", "date", "Day"),
    ("hotline_calls", "period", "text", "Start of the half hour, HH:MM"),
    ("hotline_calls", "calls", "int", "Calls offered to the service hotline in the half hour"),
    ("hotline_calls", "aht_seconds", "number", "Average handling time of those calls, seconds"),
]
