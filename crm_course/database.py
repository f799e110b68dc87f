"""The customer database (客户数据库): from departmental silos to a single customer view.

Book sections 2.1–2.2. Sales, service and marketing each keep their own list of the same
customers (信息孤岛, information silos), with their own keys and habits: one writes
"上海", another "上海市"; one stores 13812345678, another +86 138-1234-5678. This module

1. cleans each extract and **links** its records to one customer each (记录链接), using
   the mobile number once only its digits are kept;
2. writes a SQLite database with a proper schema — primary keys, foreign keys, CHECK
   constraints and indexes — from the linked records;
3. reads it back with **parameterised** SQL (参数化查询): values travel separately from
   the SQL text, so a name such as ``x' OR '1'='1`` is just a strange name, never code.

>>> import crm_course as crm, tempfile, pathlib
>>> tables = crm.load("ch02_technology")
>>> path = build_database(pathlib.Path(tempfile.mkdtemp()) / "crm.sqlite", tables)
>>> con = connect(path)
>>> query(con, "SELECT COUNT(*) AS customers FROM customers")
   customers
0        751
>>> con.close()
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pandas as pd

from .inputs import require_columns, require_frame

# How each department's extract is laid out: its tables, key and columns.
EXTRACTS = {
    "sales": {"table": "sales_customers", "key": "sales_id", "name": "name",
              "phone": "mobile", "city": "city"},
    "service": {"table": "service_customers", "key": "cust_no", "name": "contact_name",
                "phone": "phone", "city": "city"},
    "marketing": {"table": "marketing_contacts", "key": "contact_id", "name": "name",
                  "phone": "phone", "city": "city", "email": "email"},
}
FACTS = {
    "orders": {"table": "sales_orders", "source": "sales", "key": "sales_id",
               "date": ("order_date", "%Y-%m-%d")},
    "tickets": {"table": "service_tickets", "source": "service", "key": "cust_no",
                "date": ("opened", "%d/%m/%Y")},
    "contacts": {"table": "marketing_contacts", "source": "marketing", "key": "contact_id",
                 "date": ("signed_up", "%Y年%m月%d日")},
}

SCHEMA = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE customers (               -- one row per real person
    customer_id TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    mobile      TEXT NOT NULL UNIQUE
                CHECK (length(mobile) = 11 AND mobile NOT GLOB '*[^0-9]*'),
    city        TEXT,
    email       TEXT UNIQUE
);
CREATE TABLE source_keys (             -- which department record is which customer
    source      TEXT NOT NULL CHECK (source IN ('sales', 'service', 'marketing')),
    source_key  TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (customer_id),
    PRIMARY KEY (source, source_key)
);
CREATE TABLE orders (
    order_id    TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (customer_id),
    order_date  TEXT NOT NULL CHECK (order_date IS date(order_date)),
    product     TEXT NOT NULL,
    amount      REAL NOT NULL CHECK (amount >= 0)
);
CREATE TABLE tickets (
    ticket_id   TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (customer_id),
    opened      TEXT NOT NULL CHECK (opened IS date(opened)),
    issue       TEXT NOT NULL,
    resolved    INTEGER NOT NULL CHECK (resolved IN (0, 1))
);
CREATE TABLE contacts (                -- marketing sign-ups and permission to contact
    contact_id  TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (customer_id),
    signed_up   TEXT NOT NULL CHECK (signed_up IS date(signed_up)),
    opt_in      INTEGER NOT NULL CHECK (opt_in IN (0, 1))
);
CREATE INDEX source_keys_customer ON source_keys (customer_id);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_date ON orders (order_date);
CREATE INDEX tickets_customer ON tickets (customer_id);
CREATE INDEX contacts_customer ON contacts (customer_id);
CREATE VIEW customer_view AS           -- the single customer view (客户统一视图)
SELECT c.customer_id, c.name, c.mobile, c.city, c.email,
       EXISTS (SELECT 1 FROM source_keys k WHERE k.customer_id = c.customer_id
               AND k.source = 'sales') AS in_sales,
       EXISTS (SELECT 1 FROM source_keys k WHERE k.customer_id = c.customer_id
               AND k.source = 'service') AS in_service,
       EXISTS (SELECT 1 FROM source_keys k WHERE k.customer_id = c.customer_id
               AND k.source = 'marketing') AS in_marketing,
       (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.customer_id) AS orders,
       (SELECT ROUND(COALESCE(SUM(o.amount), 0), 2) FROM orders o
         WHERE o.customer_id = c.customer_id) AS spend,
       (SELECT MAX(o.order_date) FROM orders o WHERE o.customer_id = c.customer_id)
         AS last_order,
       (SELECT COUNT(*) FROM tickets t WHERE t.customer_id = c.customer_id) AS tickets,
       (SELECT COUNT(*) FROM tickets t WHERE t.customer_id = c.customer_id
         AND t.resolved = 0) AS open_tickets,
       (SELECT MAX(m.opt_in) FROM contacts m WHERE m.customer_id = c.customer_id) AS opt_in
FROM customers c;
"""


def clean_phone(values: pd.Series) -> pd.Series:
    """Keep a phone number's digits only, dropping China's +86 country code.

    >>> clean_phone(pd.Series(["+86 138-1234-5678", "138 1234 5678", "13812345678"])).tolist()
    ['13812345678', '13812345678', '13812345678']
    """
    digits = values.astype("string").str.replace(r"\D", "", regex=True)
    return digits.where(~(digits.str.len().eq(13) & digits.str.startswith("86")),
                        digits.str[2:])


def clean_name(values: pd.Series) -> pd.Series:
    """Remove the spaces typed inside or around a Chinese name ("张 伟" → "张伟").

    >>> clean_name(pd.Series([" 张 伟", "李娜"])).tolist()
    ['张伟', '李娜']
    """
    return values.astype("string").str.replace(r"\s+", "", regex=True)


def clean_city(values: pd.Series) -> pd.Series:
    """Write a city without its trailing 市 ("上海市" → "上海"); missing stays missing.

    >>> clean_city(pd.Series(["上海市", "成都", None])).tolist()
    ['上海', '成都', <NA>]
    """
    return values.astype("string").str.strip().str.replace(r"市$", "", regex=True)


def parse_dates(values: pd.Series, fmt: str, *, func: str = "parse_dates") -> pd.Series:
    """Read dates written as ``fmt`` and return them as ISO text (YYYY-MM-DD).

    >>> parse_dates(pd.Series(["05/03/2024"]), "%d/%m/%Y").tolist()
    ['2024-03-05']
    >>> parse_dates(pd.Series(["2024年3月5日"]), "%Y年%m月%d日").tolist()
    ['2024-03-05']
    """
    parsed = pd.to_datetime(values, format=fmt, errors="coerce")
    bad = parsed.isna() & values.notna()
    if bad.any():
        raise ValueError(f"{func}(): {int(bad.sum())} date(s) do not match the format {fmt!r}, "
                         f"e.g. {values[bad].iloc[0]!r}; check the extract's date format.")
    return parsed.dt.strftime("%Y-%m-%d")


def link_records(tables, *, extracts: dict | None = None) -> pd.DataFrame:
    """One row per departmental record, linked to a customer by its cleaned mobile number.

    Returns ``source``, ``source_key``, the cleaned ``name``, ``mobile``, ``city``,
    ``email`` and the ``customer_id`` given to the person (C00001, … in order of first
    appearance: sales, then service, then marketing).

    >>> import crm_course as crm
    >>> links = link_records(crm.load("ch02_technology"))
    >>> links.groupby("source").size().to_dict()
    {'marketing': 483, 'sales': 567, 'service': 360}
    >>> links["customer_id"].nunique()
    751
    """
    func = "link_records"
    extracts = extracts or EXTRACTS
    parts = []
    for source, spec in extracts.items():
        if spec["table"] not in tables:
            raise ValueError(f"{func}() needs a '{spec['table']}' table; it was given: "
                             + ", ".join(tables) + ". Pass crm.load('ch02_technology').")
        frame = tables[spec["table"]]
        require_frame(frame, func)
        columns = [spec[c] for c in ("key", "name", "phone", "city", "email") if c in spec]
        require_columns(frame, columns, func)
        mobile = clean_phone(frame[spec["phone"]])
        if mobile.isna().any() or not mobile.str.len().eq(11).all():
            bad = frame.loc[mobile.isna() | ~mobile.str.len().eq(11), spec["phone"]].iloc[0]
            raise ValueError(f"{func}(): '{spec['table']}' has a phone that is not a mobile "
                             f"number once cleaned, e.g. {bad!r}; fix or drop it first.")
        parts.append(pd.DataFrame({
            "source": source, "source_key": frame[spec["key"]].astype("string").to_numpy(),
            "name": clean_name(frame[spec["name"]]).to_numpy(), "mobile": mobile.to_numpy(),
            "city": clean_city(frame[spec["city"]]).to_numpy(),
            "email": (frame[spec["email"]].astype("string").to_numpy() if "email" in spec
                      else pd.array([pd.NA] * len(frame), dtype="string"))}))
    links = pd.concat(parts, ignore_index=True)
    first = links.drop_duplicates("mobile")["mobile"].tolist()
    ids = {m: f"C{i + 1:05d}" for i, m in enumerate(first)}
    links["customer_id"] = links["mobile"].map(ids)
    return links


def customer_master(links: pd.DataFrame) -> pd.DataFrame:
    """The golden record (黄金记录) of each customer: first non-missing value by source.

    Sales is trusted first for name and city, then marketing, then service.

    >>> links = pd.DataFrame({"source": ["service", "sales"], "source_key": ["x", "y"],
    ...     "name": ["张伟", "张伟"], "mobile": ["13800000000"] * 2, "city": ["上海", None],
    ...     "email": [None, None], "customer_id": ["C00001"] * 2})
    >>> customer_master(links)[["customer_id", "name", "city"]]
      customer_id name city
    0      C00001   张伟   上海
    """
    func = "customer_master"
    require_frame(links, func)
    require_columns(links, ["source", "customer_id", "name", "mobile", "city", "email"], func)
    order = {"sales": 0, "marketing": 1, "service": 2}
    ranked = links.assign(_rank=links["source"].map(order)).sort_values(
        ["customer_id", "_rank"], kind="stable")
    master = ranked.groupby("customer_id", sort=True)[["name", "mobile", "city", "email"]].first()
    return master.reset_index()


def fingerprint(tables, *, extracts: dict | None = None) -> str:
    """A short hash of the extracts, stored in the database to know what it was built from."""
    digest = hashlib.sha256()
    names = sorted({s["table"] for s in (extracts or EXTRACTS).values()}
                   | {f["table"] for f in FACTS.values()})
    for name in names:
        digest.update(name.encode())
        digest.update(tables[name].to_csv(index=False).encode())
    return digest.hexdigest()[:16]


def build_database(path, tables, *, overwrite: bool = False) -> Path:
    """Build the customer database at ``path`` from the three departmental extracts.

    ``tables`` is the chapter 2 dataset (``crm.load("ch02_technology")``). The schema is
    :data:`SCHEMA`. An existing file is never replaced silently: if it was built from the
    same extracts it is kept as it is and its path returned; otherwise this raises
    ``FileExistsError`` unless ``overwrite=True``. The file is written beside its final
    place and moved there only when complete.
    """
    func = "build_database"
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{func}(): path must be a file path such as 'my_data/crm.sqlite'; "
                        f"it was given {type(path).__name__}.")
    path = Path(path)
    links = link_records(tables)
    stamp = fingerprint(tables)
    if path.exists() and not overwrite:
        if _stored_fingerprint(path) == stamp:
            return path
        raise FileExistsError(f"{func}(): {path} already exists and was not built from these "
                              "extracts; choose another path, or pass overwrite=True to "
                              "replace it.")
    key = {(s, k): c for s, k, c in links[["source", "source_key", "customer_id"]]
           .itertuples(index=False)}
    facts = {}
    for table, spec in FACTS.items():
        frame = tables[spec["table"]]
        column, fmt = spec["date"]
        require_columns(frame, [spec["key"], column], func)
        ids = [key.get((spec["source"], str(k))) for k in frame[spec["key"]]]
        if any(i is None for i in ids):
            raise ValueError(f"{func}(): '{spec['table']}' refers to a {spec['key']} that is "
                             "not in its department's customer list.")
        facts[table] = (frame, ids, parse_dates(frame[column], fmt, func=func))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    con = sqlite3.connect(partial)
    try:
        con.execute("PRAGMA foreign_keys = ON")
        con.executescript(SCHEMA)
        with con:
            con.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (stamp,))
            master = customer_master(links).astype(object).where(lambda f: f.notna(), None)
            con.executemany("INSERT INTO customers VALUES (?, ?, ?, ?, ?)",
                            master.itertuples(index=False))
            con.executemany("INSERT INTO source_keys VALUES (?, ?, ?)",
                            links[["source", "source_key", "customer_id"]]
                            .astype(object).itertuples(index=False))
            frame, ids, dates = facts["orders"]
            con.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?)", zip(
                frame["order_id"].astype(str), ids, dates, frame["product"].astype(str),
                frame["amount"].astype(float), strict=True))
            frame, ids, dates = facts["tickets"]
            con.executemany("INSERT INTO tickets VALUES (?, ?, ?, ?, ?)", zip(
                frame["ticket_id"].astype(str), ids, dates, frame["issue"].astype(str),
                (frame["resolved"].astype(str) == "Y").astype(int), strict=True))
            frame, ids, dates = facts["contacts"]
            con.executemany("INSERT INTO contacts VALUES (?, ?, ?, ?)", zip(
                frame["contact_id"].astype(str), ids, dates,
                frame["opt_in"].astype(bool).astype(int), strict=True))
    finally:
        con.close()
    os.replace(partial, path)
    return path


def _stored_fingerprint(path: Path) -> str | None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def connect(path, *, readonly: bool = True) -> sqlite3.Connection:
    """Open an existing customer database; read-only unless ``readonly=False``.

    Foreign keys are switched on, so a write that breaks them fails.
    """
    func = "connect"
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{func}(): path must be a file path; it was given "
                        f"{type(path).__name__}.")
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{func}(): there is no database at {path}; build it first with "
                         "build_database(path, crm.load('ch02_technology')).")
    mode = "ro" if readonly else "rw"
    con = sqlite3.connect(f"file:{path.resolve().as_posix()}?mode={mode}", uri=True)
    con.execute("PRAGMA foreign_keys = ON")
    return con


def query(con: sqlite3.Connection, sql: str, params=()) -> pd.DataFrame:
    """Run a SELECT with its values passed as ``params`` and return a DataFrame.

    Write ``?`` (or ``:name``) in the SQL where a value goes and pass the values
    separately; never paste them into the SQL text.

    >>> con = sqlite3.connect(":memory:")
    >>> _ = con.execute("CREATE TABLE t (name TEXT)")
    >>> _ = con.executemany("INSERT INTO t VALUES (?)", [("张伟",), ("李娜",)])
    >>> query(con, "SELECT name FROM t WHERE name = ?", ("张伟",))
      name
    0   张伟
    >>> query(con, "SELECT COUNT(*) AS n FROM t WHERE name = ?", ("x' OR '1'='1",))
       n
    0  0
    """
    func = "query"
    if not isinstance(con, sqlite3.Connection):
        raise TypeError(f"{func}() needs a database connection from connect(path); it was "
                        f"given {type(con).__name__}.")
    if not isinstance(sql, str) or not sql.strip():
        raise TypeError(f"{func}(): sql must be the text of a SQL query.")
    if isinstance(params, (str, bytes)) or not isinstance(params, (tuple, list, dict)):
        raise TypeError(f"{func}(): params must be a tuple, list or dict of values, e.g. "
                        f"('上海',) for one value; it was given {params!r}.")
    return pd.read_sql_query(sql, con, params=params)


def single_customer_view(con: sqlite3.Connection, customer_id: str | None = None, *,
                         mobile: str | None = None) -> pd.DataFrame:
    """The single customer view: who the customer is and what every department knows.

    Give a ``customer_id`` or a ``mobile`` number (in any format) to see one customer,
    neither to see all.
    """
    func = "single_customer_view"
    if customer_id is not None and mobile is not None:
        raise ValueError(f"{func}(): give customer_id or mobile, not both.")
    if customer_id is not None:
        if not isinstance(customer_id, str):
            raise TypeError(f"{func}(): customer_id must be text such as 'C00001'.")
        return query(con, "SELECT * FROM customer_view WHERE customer_id = ?", (customer_id,))
    if mobile is not None:
        digits = clean_phone(pd.Series([str(mobile)])).iloc[0]
        return query(con, "SELECT * FROM customer_view WHERE mobile = ?", (digits,))
    return query(con, "SELECT * FROM customer_view ORDER BY customer_id")


def default_database_path(filename: str = "ch02_customers.sqlite") -> Path:
    """Where the chapter's database goes: ``workspace/my_data/`` in the course folder.

    ``workspace/`` is the reader's own folder (ignored by git). Outside the course
    folder, ``my_data/`` under the current directory is used instead.
    """
    root = Path(__file__).resolve().parents[1]
    base = root / "workspace" if (root / "pyproject.toml").exists() else Path.cwd()
    return base / "my_data" / filename


__all__ = ["EXTRACTS", "SCHEMA", "build_database", "clean_city", "clean_name", "clean_phone",
           "connect", "customer_master", "default_database_path", "fingerprint",
           "link_records", "parse_dates", "query", "single_customer_view"]
