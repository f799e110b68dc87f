"""Checks at the boundary of every public function.

Each check raises a ``ValueError`` or ``TypeError`` whose message names the function,
says what is wrong and how to fix it, so a student never meets a ``KeyError`` from deep
inside pandas.

>>> import pandas as pd
>>> require_columns(pd.DataFrame({"day": [1]}), ["date"], "rfm_scores")
Traceback (most recent call last):
...
ValueError: rfm_scores() needs a 'date' column; the frame has: day
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd


def require_frame(frame, func: str, *, allow_empty: bool = False) -> pd.DataFrame:
    """Check that ``frame`` is a non-empty DataFrame."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"{func}() needs a pandas DataFrame; it was given {type(frame).__name__}. "
            "Load a table with crm_course.load(...) or build one with pd.DataFrame(...)."
        )
    if frame.empty and not allow_empty:
        raise ValueError(f"{func}() was given an empty table; it needs at least one row.")
    return frame


def require_columns(frame: pd.DataFrame, columns: Iterable[str], func: str) -> pd.DataFrame:
    """Check that every named column is in ``frame``."""
    require_frame(frame, func, allow_empty=True)
    for column in columns:
        if column not in frame.columns:
            have = ", ".join(map(str, frame.columns)) or "(no columns)"
            raise ValueError(f"{func}() needs a '{column}' column; the frame has: {have}")
    return frame


def require_complete(frame: pd.DataFrame, columns: Iterable[str], func: str) -> None:
    """Check that the named columns hold no missing values."""
    for column in columns:
        missing = int(frame[column].isna().sum())
        if missing:
            raise ValueError(
                f"{func}(): column '{column}' has {missing} missing value(s); "
                "drop or fill them first (e.g. frame.dropna(subset=['" + column + "']))."
            )


def require_nonnegative_column(frame: pd.DataFrame, column: str, func: str) -> None:
    """Check that a numeric column has no negative values (e.g. money, counts)."""
    values = pd.to_numeric(frame[column], errors="coerce")
    if values.isna().any() and not frame[column].isna().any():
        raise TypeError(f"{func}(): column '{column}' must be numeric.")
    negative = int((values < 0).sum())
    if negative:
        raise ValueError(
            f"{func}(): column '{column}' has {negative} negative value(s); "
            "amounts here must be zero or more (refunds belong in their own column)."
        )


def require_unique(frame: pd.DataFrame, column: str, func: str) -> None:
    """Check that a key column has no duplicates."""
    dup = frame[column][frame[column].duplicated()]
    if len(dup):
        raise ValueError(
            f"{func}(): column '{column}' must be unique but {dup.nunique()} value(s) repeat, "
            f"e.g. {dup.iloc[0]!r}; de-duplicate the table first."
        )


def require_number(value, name: str, func: str, *, low=None, high=None,
                   low_open: bool = False, high_open: bool = False) -> float:
    """Check that ``value`` is a finite real number within [low, high] (or open ends)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{func}(): {name} must be a number; it was given {value!r}.")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{func}(): {name} must be a finite number; it was given {value}.")
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        span = f"{left}{'-inf' if low is None else low}, {'inf' if high is None else high}{right}"
        raise ValueError(f"{func}(): {name} must lie in {span}; it was given {value:g}.")
    return value


def require_dates(frame: pd.DataFrame, column: str, func: str) -> pd.Series:
    """Return ``frame[column]`` as datetimes, or explain why it cannot be read as dates."""
    try:
        return pd.to_datetime(frame[column])
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"{func}(): column '{column}' must hold dates (e.g. 2024-03-31); {err}"
        ) from None
