"""Load the course's datasets as DataFrames.

>>> tables = load("starbucks")
>>> sorted(tables)
['customers', 'stores', 'visits', 'wtp_survey']
>>> tables["visits"]["date"].dtype.kind
'M'
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

DATA_ROOT = Path(os.environ.get("CRM_COURSE_DATA", Path(__file__).resolve().parents[1]
                                / "datasets"))


class Tables(dict):
    """A dataset's tables by name; also reachable as attributes (``tables.visits``)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no table {name!r}; this dataset has: "
                                 + ", ".join(self)) from None

    def __dir__(self):
        return [*super().__dir__(), *self]


def available(root: Path | None = None) -> list[str]:
    """Names of the datasets in ``root`` (default: the course's ``datasets/`` folder)."""
    root = Path(root or DATA_ROOT)
    return sorted(p.name for p in root.iterdir() if (p / "dictionary.csv").exists()) \
        if root.is_dir() else []


def _folder(name, root=None) -> Path:
    if isinstance(name, Path) or os.sep in str(name) or "/" in str(name):
        folder = Path(name)
    else:
        folder = Path(root or DATA_ROOT) / str(name)
    if not (folder / "dictionary.csv").exists():
        names = ", ".join(available(root)) or "(none found)"
        raise ValueError(f"No dataset called {str(name)!r}. Available: {names}. "
                         "A folder made with `python -m crm_course.data make` can be loaded "
                         "by its path.")
    return folder


def describe(name: str | Path, root: Path | None = None) -> pd.DataFrame:
    """The data dictionary: one row per column of every table, with its meaning."""
    return pd.read_csv(_folder(name, root) / "dictionary.csv", encoding="utf-8-sig")


def load(name: str | Path, root: Path | None = None) -> Tables:
    """Every table of a dataset, with date columns parsed and ids kept as text."""
    folder = _folder(name, root)
    dictionary = describe(folder)
    tables = Tables()
    for table, columns in dictionary.groupby("table", sort=False):
        kinds = dict(zip(columns["column"], columns["kind"], strict=True))
        text = {c: "string" for c, k in kinds.items() if k in ("id", "text", "category")}
        frame = pd.read_csv(folder / f"{table}.csv", encoding="utf-8-sig", dtype=text,
                            keep_default_na=True)
        for column, kind in kinds.items():
            if kind == "date":
                frame[column] = pd.to_datetime(frame[column])
        tables[table] = frame
    return tables


def load_truth(name: str | Path, root: Path | None = None) -> dict:
    """The parameters planted in a dataset, for comparing an estimate with the truth.

    Only notebooks and tests call this: the analysis functions never see the truth.
    """
    return json.loads((_folder(name, root) / "truth.json").read_text(encoding="utf-8"))
