"""The shared core of every dataset generator.

A generator draws behaviour with numpy (``np.random.default_rng(seed)``) and identities
with Faker (seeded, pinned), records every planted parameter as *truth*, and returns a
:class:`Dataset`. Nothing here imports the analysis modules: the truth must be recovered
by the analysis, not copied from it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from faker import Faker

# Real cities, so that a city always lies in its own province (Faker's zh_CN addresses
# mix them). Tier is the common commercial city tier.
CN_CITIES = [
    ("北京", "北京", 1), ("上海", "上海", 1), ("广东", "广州", 1), ("广东", "深圳", 1),
    ("四川", "成都", 2), ("浙江", "杭州", 2), ("湖北", "武汉", 2), ("重庆", "重庆", 2),
    ("江苏", "南京", 2), ("天津", "天津", 2), ("江苏", "苏州", 2), ("陕西", "西安", 2),
    ("湖南", "长沙", 2), ("辽宁", "沈阳", 2), ("山东", "青岛", 2), ("河南", "郑州", 2),
    ("辽宁", "大连", 2), ("广东", "东莞", 3), ("浙江", "宁波", 3), ("福建", "厦门", 3),
    ("福建", "福州", 3), ("江苏", "无锡", 3), ("安徽", "合肥", 3), ("云南", "昆明", 3),
    ("黑龙江", "哈尔滨", 3), ("山东", "济南", 3), ("广东", "佛山", 3), ("吉林", "长春", 3),
    ("山西", "太原", 3), ("江西", "南昌", 3),
]
US_CITIES = [
    ("WA", "Seattle"), ("CA", "Los Angeles"), ("CA", "San Francisco"), ("NY", "New York"),
    ("IL", "Chicago"), ("TX", "Houston"), ("TX", "Austin"), ("AZ", "Phoenix"),
    ("PA", "Philadelphia"), ("CO", "Denver"), ("MA", "Boston"), ("GA", "Atlanta"),
    ("FL", "Miami"), ("OR", "Portland"), ("MN", "Minneapolis"), ("NC", "Charlotte"),
]


@dataclass
class Dataset:
    """A generated dataset: its tables, the truth planted in them, and a dictionary.

    ``dictionary`` rows are ``(table, column, kind, description)``; ``kind`` is one of
    ``id``, ``text``, ``date``, ``int``, ``money``, ``number``, ``bool``, ``category``.
    """

    name: str
    title: str
    description: str
    locale: str
    seed: int
    size: float
    tables: dict[str, pd.DataFrame]
    truth: dict
    dictionary: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def bom(self) -> bool:
        """Chinese-language datasets carry a BOM so that Excel opens them correctly."""
        return self.locale.startswith("zh")


def scaled(count: int, size: float) -> int:
    """``count`` rows scaled by ``size``, at least one.

    >>> scaled(2000, 0.5), scaled(10, 0.01)
    (1000, 1)
    """
    if not (isinstance(size, (int, float)) and size > 0):
        raise ValueError(f"size must be a positive number (1 = the committed size); got {size!r}")
    return max(1, int(round(count * size)))


def faker_for(locale: str, seed: int) -> Faker:
    """A Faker seeded for this dataset alone (never the shared global seed)."""
    fake = Faker(locale)
    fake.seed_instance(seed)
    return fake


def identities(n: int, locale: str, seed: int, rng: np.random.Generator) -> pd.DataFrame:
    """Names, gender, city and contact details for ``n`` customers.

    Gender is drawn first and the given name chosen to match it; the city comes from a
    table of real cities with their province (state).
    """
    fake = faker_for(locale, seed)
    gender = np.where(rng.random(n) < 0.5, "F", "M")
    table = CN_CITIES if locale.startswith("zh") else US_CITIES
    # Bigger cities hold more customers.
    weights = np.array([4.0 if row[-1] == 1 else 2.0 if row[-1] == 2 else 1.0
                        for row in table]) if locale.startswith("zh") else np.ones(len(table))
    city_idx = rng.choice(len(table), size=n, p=weights / weights.sum())
    names, phones, emails = [], [], []
    for g in gender:
        first = fake.first_name_female() if g == "F" else fake.first_name_male()
        last = fake.last_name()
        names.append(last + first if locale.startswith("zh") else f"{first} {last}")
        phones.append(fake.phone_number())
        emails.append(fake.free_email())
    frame = pd.DataFrame({"name": names, "gender": gender})
    if locale.startswith("zh"):
        frame["province"] = [table[i][0] for i in city_idx]
        frame["city"] = [table[i][1] for i in city_idx]
        frame["city_tier"] = [table[i][2] for i in city_idx]
    else:
        frame["state"] = [table[i][0] for i in city_idx]
        frame["city"] = [table[i][1] for i in city_idx]
    frame["phone"] = phones
    frame["email"] = emails
    return frame


def random_dates(rng: np.random.Generator, n: int, start: str, end: str) -> pd.Series:
    """``n`` dates drawn uniformly between ``start`` and ``end`` (inclusive)."""
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    days = rng.integers(0, (last - first).days + 1, size=n)
    return pd.Series(first + pd.to_timedelta(days, unit="D"))


def bgnbd_purchases(rng: np.random.Generator, acquired: pd.Series, end: str, *,
                    r: float, alpha: float, a: float, b: float,
                    rate_multiplier: np.ndarray | None = None,
                    progress: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Repeat purchases under the BG/NBD story, with the first purchase at acquisition.

    Each customer buys at a Poisson rate ``lam ~ Gamma(r, 1/alpha)`` per week while alive
    and, after each repeat purchase, drops out for good with probability ``p ~ Beta(a, b)``.
    Returns the per-customer latent traits (``lam``, ``p``, ``alive_at_end``) and the
    purchase events (customer index, weeks since acquisition), sorted by customer and time.
    """
    n = len(acquired)
    lam = rng.gamma(r, 1.0 / alpha, size=n)
    if rate_multiplier is not None:
        lam = lam * rate_multiplier
    p = rng.beta(a, b, size=n)
    horizon = (pd.Timestamp(end) - pd.to_datetime(acquired)).dt.days.to_numpy() / 7.0
    events_idx, events_t = [np.arange(n)], [np.zeros(n)]
    t = np.zeros(n)
    dropped = np.zeros(n, dtype=bool)
    active = np.ones(n, dtype=bool)  # BG/NBD: dropout can follow repeat purchases only
    rounds = 0
    while active.any():
        idx = np.flatnonzero(active)
        t[idx] += rng.exponential(1.0, size=idx.size) / lam[idx]
        inside = t[idx] <= horizon[idx]
        bought = idx[inside]
        events_idx.append(bought)
        events_t.append(t[bought])
        active[idx[~inside]] = False
        leave = rng.random(bought.size) < p[bought]
        dropped[bought[leave]] = True
        active[bought[leave]] = False
        rounds += 1
        if progress and rounds % 50 == 0:
            print(f"{progress}: {active.sum():,} customers still buying", file=sys.stderr)
    cust = np.concatenate(events_idx)
    weeks = np.concatenate(events_t)
    order = np.lexsort((weeks, cust))
    events = pd.DataFrame({"customer": cust[order], "week": weeks[order]})
    traits = pd.DataFrame({"lam": lam, "p": p, "alive_at_end": ~dropped})
    return traits, events


def gamma_gamma_spend(rng: np.random.Generator, customer: np.ndarray, n_customers: int, *,
                      p: float, q: float, gamma: float) -> tuple[np.ndarray, np.ndarray]:
    """Spend per purchase under the Gamma-Gamma story.

    Customer ``j`` has a scale ``nu_j ~ Gamma(q, 1/gamma)``; each of its purchases is
    ``Gamma(p, 1/nu_j)``, so its mean spend is ``p / nu_j``.
    """
    nu = rng.gamma(q, 1.0 / gamma, size=n_customers)
    amounts = rng.gamma(p, 1.0 / nu[customer])
    return nu, amounts


def write(dataset: Dataset, folder: Path) -> list[Path]:
    """Write a dataset's CSVs, ``truth.json``, ``dictionary.csv`` and README into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    encoding = "utf-8-sig" if dataset.bom else "utf-8"
    written = []
    for table, frame in dataset.tables.items():
        path = folder / f"{table}.csv"
        frame.to_csv(path, index=False, encoding=encoding, lineterminator="\n")
        written.append(path)
    truth = folder / "truth.json"
    truth.write_text(json.dumps(_plain(dataset.truth), ensure_ascii=False, indent=2,
                                sort_keys=True) + "\n", encoding="utf-8")
    dictionary = folder / "dictionary.csv"
    pd.DataFrame(dataset.dictionary, columns=["table", "column", "kind", "description"]).to_csv(
        dictionary, index=False, encoding=encoding, lineterminator="\n")
    readme = folder / "README.md"
    readme.write_text(_readme(dataset), encoding="utf-8")
    return [*written, truth, dictionary, readme]


def _plain(value):
    """JSON-ready copy of the truth: numpy scalars to Python, floats to 6 significant digits."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(f"{float(value):.6g}")
    return value


def _readme(dataset: Dataset) -> str:
    lines = [f"# {dataset.title}", "", dataset.description, "",
             "Synthetic data, generated by `crm_course.data` "
             f"(dataset `{dataset.name}`, seed {dataset.seed}, size {dataset.size:g}). "
             "It is inspired by the case, never the company's real figures. "
             "`truth.json` holds the parameters planted in it.", ""]
    for table, frame in dataset.tables.items():
        lines += [f"## {table}.csv ({len(frame):,} rows)", "", "| column | kind | meaning |",
                  "|---|---|---|"]
        lines += [f"| {c} | {k} | {d} |" for t, c, k, d in dataset.dictionary if t == table]
        lines.append("")
    return "\n".join(lines)
