"""OLAP (联机分析处理): looking at a sales cube from every side, with pivot tables.

Book section 2.2. A data cube (数据立方体) holds a measure (revenue, units) for every
combination of its dimensions (维度: time, place, product, channel). Four moves explore it:

- **slice** (切片): fix one dimension at one member, e.g. only 2024;
- **dice** (切块): keep a few members of several dimensions, e.g. two regions × online;
- **roll-up** (上卷): climb a hierarchy and add up, e.g. city → province → region;
- **drill-down** (下钻): go down one level under a chosen member, e.g. 西南 → its cities.

Every function takes a tidy fact table (one row per cell of the finest grain) and
returns a pivot table.

>>> sales = pd.DataFrame({"region": ["东", "东", "西", "西"], "city": ["a", "b", "c", "c"],
...                       "channel": ["线上", "门店", "线上", "门店"],
...                       "revenue": [1.0, 2.0, 3.0, 4.0]})
>>> roll_up(sales, ["region", "city"], "region")
        revenue
region
东           3.0
西           7.0
>>> drill_down(sales, ["region", "city"], ["西"], columns="channel")
channel   线上   门店
city
c        3.0  4.0
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .inputs import require_columns, require_frame, require_nonnegative_column

AGGREGATES = ("sum", "mean", "count", "min", "max")


def _check(frame, dims, measure, aggfunc, func):
    require_frame(frame, func)
    require_columns(frame, [*dims, measure], func)
    if aggfunc not in AGGREGATES:
        raise ValueError(f"{func}(): aggfunc must be one of {', '.join(AGGREGATES)}; "
                         f"it was given {aggfunc!r}.")
    if not pd.api.types.is_numeric_dtype(frame[measure]):
        raise TypeError(f"{func}(): the measure '{measure}' must be a numeric column.")


def _dims(value, func, name) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        return list(value)
    raise TypeError(f"{func}(): {name} must be a column name or a list of column names.")


def add_periods(frame: pd.DataFrame, month: str = "month") -> pd.DataFrame:
    """Add ``year`` and ``quarter`` columns (the time hierarchy) from a month column.

    >>> add_periods(pd.DataFrame({"month": ["2024-11"], "revenue": [1.0]}))
         month  revenue  year quarter
    0  2024-11      1.0  2024  2024Q4
    """
    func = "add_periods"
    require_frame(frame, func)
    require_columns(frame, [month], func)
    when = pd.to_datetime(frame[month].astype(str), format="%Y-%m", errors="coerce")
    if when.isna().any():
        raise ValueError(f"{func}(): column '{month}' must hold months written YYYY-MM, "
                         f"e.g. 2024-03; found {frame.loc[when.isna(), month].iloc[0]!r}.")
    return frame.assign(year=when.dt.year.astype(str),
                        quarter=when.dt.year.astype(str) + "Q" + when.dt.quarter.astype(str))


def pivot(frame: pd.DataFrame, rows, columns=None, *, measure: str = "revenue",
          aggfunc: str = "sum", totals: bool = False) -> pd.DataFrame:
    """A view of the cube: the measure by ``rows`` (and ``columns``), summed by default.

    >>> pivot(pd.DataFrame({"r": ["x", "x", "y"], "revenue": [1, 2, 3]}), "r", totals=True)
           revenue
    r
    x            3
    y            3
    Total        6
    """
    func = "pivot"
    rows, cols = _dims(rows, func, "rows"), _dims(columns, func, "columns")
    if not rows:
        raise ValueError(f"{func}() needs at least one dimension in rows.")
    _check(frame, rows + cols, measure, aggfunc, func)
    if cols:
        table = frame.pivot_table(index=rows, columns=cols, values=measure, aggfunc=aggfunc,
                                  fill_value=0, observed=True, margins=totals,
                                  margins_name="Total")
    else:
        table = frame.groupby(rows, observed=True)[[measure]].agg(aggfunc)
        if totals:
            total = frame[[measure]].agg(aggfunc).to_frame().T
            total.index = pd.Index(["Total"] if len(rows) == 1 else
                                   [("Total",) + ("",) * (len(rows) - 1)])
            table = pd.concat([table, total])
            table.index.names = rows
    return table


def slice(frame: pd.DataFrame, dimension: str, member) -> pd.DataFrame:  # noqa: A001
    """Keep the rows where ``dimension`` equals ``member``, and drop that dimension.

    >>> slice(pd.DataFrame({"year": ["2023", "2024"], "revenue": [1, 2]}), "year", "2024")
       revenue
    1        2
    """
    func = "slice"
    require_frame(frame, func)
    require_columns(frame, [dimension], func)
    keep = frame[dimension] == member
    if not keep.any():
        have = ", ".join(map(str, pd.unique(frame[dimension])[:8]))
        raise ValueError(f"{func}(): '{dimension}' has no member {member!r}; it has: {have}")
    return frame.loc[keep].drop(columns=dimension)


def dice(frame: pd.DataFrame, members: dict) -> pd.DataFrame:
    """Keep the rows whose dimensions take one of the listed members (a sub-cube).

    >>> f = pd.DataFrame({"r": ["x", "y", "z"], "c": ["on", "on", "off"], "revenue": [1, 2, 3]})
    >>> dice(f, {"r": ["x", "z"], "c": ["on"]})
       r   c  revenue
    0  x  on        1
    """
    func = "dice"
    require_frame(frame, func)
    if not isinstance(members, dict) or not members:
        raise TypeError(f"{func}(): members must be a dict such as "
                        "{'region': ['华东', '华南'], 'channel': ['线上 online']}.")
    require_columns(frame, list(members), func)
    keep = pd.Series(True, index=frame.index)
    for dimension, wanted in members.items():
        wanted = [wanted] if isinstance(wanted, str) or not isinstance(wanted, Sequence) \
            else list(wanted)
        missing = [w for w in wanted if not (frame[dimension] == w).any()]
        if missing:
            raise ValueError(f"{func}(): '{dimension}' has no member {missing[0]!r}.")
        keep &= frame[dimension].isin(wanted)
    return frame.loc[keep]


def roll_up(frame: pd.DataFrame, hierarchy, level: str, *, columns=None,
            measure: str = "revenue", aggfunc: str = "sum") -> pd.DataFrame:
    """Climb ``hierarchy`` (coarse to fine, e.g. region, province, city) to ``level``.

    Everything below ``level`` is added up; the rows are the levels down to ``level``.
    """
    func = "roll_up"
    hierarchy = _dims(hierarchy, func, "hierarchy")
    if level not in hierarchy:
        raise ValueError(f"{func}(): level {level!r} is not in the hierarchy "
                         f"{' > '.join(hierarchy)}.")
    rows = hierarchy[:hierarchy.index(level) + 1]
    return pivot(frame, rows[-1:] if len(rows) == 1 else rows, columns, measure=measure,
                 aggfunc=aggfunc)


def drill_down(frame: pd.DataFrame, hierarchy, path=(), *, columns=None,
               measure: str = "revenue", aggfunc: str = "sum") -> pd.DataFrame:
    """Go one level down ``hierarchy`` beneath the members chosen in ``path``.

    ``path`` names a member of each of the first levels, e.g. ``["西南"]`` under
    ``["region", "city"]``; the result shows the next level's members inside it.
    """
    func = "drill_down"
    hierarchy = _dims(hierarchy, func, "hierarchy")
    path = [path] if isinstance(path, str) else list(path)
    if len(path) >= len(hierarchy):
        raise ValueError(f"{func}(): the path {path} already reaches the finest level "
                         f"'{hierarchy[-1]}'; there is nothing below it to drill into.")
    part = frame
    for dimension, member in zip(hierarchy, path, strict=False):
        require_columns(part, [dimension], func)
        part = slice(part, dimension, member).assign(**{dimension: member})
    return pivot(part, hierarchy[len(path)], columns, measure=measure, aggfunc=aggfunc)


def share(table: pd.DataFrame, axis: str = "rows") -> pd.DataFrame:
    """Each cell as a share of its row (``axis='rows'``) or column total.

    >>> share(pd.DataFrame({"on": [1, 3], "off": [3, 1]}))
         on   off
    0  0.25  0.75
    1  0.75  0.25
    """
    func = "share"
    require_frame(table, func)
    require_nonnegative_column(table.stack().to_frame("value"), "value", func)
    if axis == "rows":
        return table.div(table.sum(axis=1), axis=0)
    if axis == "columns":
        return table.div(table.sum(axis=0), axis=1)
    raise ValueError(f"{func}(): axis must be 'rows' or 'columns'; it was given {axis!r}.")


__all__ = ["add_periods", "dice", "drill_down", "pivot", "roll_up", "share", "slice"]
