"""The customer database: cleaning, linking against the planted truth, schema, safety."""

import sqlite3

import pandas as pd
import pytest

import crm_course as crm
from crm_course import database as db


@pytest.fixture(scope="module")
def tables():
    return crm.load("ch02_technology")


@pytest.fixture(scope="module")
def built(tables, tmp_path_factory):
    return db.build_database(tmp_path_factory.mktemp("db") / "crm.sqlite", tables)


def test_cleaning_by_hand():
    assert db.clean_phone(pd.Series(["+86 139-0000-1111", "139 0000 1111"])).tolist() == [
        "13900001111", "13900001111"]
    assert db.clean_name(pd.Series(["王 小明"])).tolist() == ["王小明"]
    assert db.clean_city(pd.Series(["重庆市"])).tolist() == ["重庆"]
    assert db.parse_dates(pd.Series(["31/12/2023"]), "%d/%m/%Y").tolist() == ["2023-12-31"]


def test_linking_recovers_the_planted_people(tables):
    truth = crm.load_truth("ch02_technology")
    links = db.link_records(tables)
    person = [truth["source_key_to_person"][s][k]
              for s, k in zip(links["source"], links["source_key"], strict=True)]
    pairs = pd.DataFrame({"customer": links["customer_id"], "person": person})
    # Exactly one customer per person and one person per customer.
    assert pairs.groupby("customer")["person"].nunique().eq(1).all()
    assert pairs.groupby("person")["customer"].nunique().eq(1).all()
    assert links["customer_id"].nunique() == truth["people"]
    dup = links[links.source == "service"].duplicated("customer_id").sum()
    assert dup == truth["service_people_registered_twice"]


def test_single_customer_view(built, tables):
    truth = crm.load_truth("ch02_technology")
    con = db.connect(built)
    view = db.single_customer_view(con)
    assert len(view) == truth["people"]
    assert view[["in_sales", "in_service", "in_marketing"]].sum().tolist() == [
        truth["people_in_source"][s] for s in ("sales", "service", "marketing")]
    assert view[["in_sales", "in_service", "in_marketing"]].all(axis=1).sum() == \
        truth["people_in_all_three"]
    assert view["orders"].sum() == len(tables["sales_orders"])
    assert view["spend"].sum() == pytest.approx(tables["sales_orders"]["amount"].sum())
    assert view["tickets"].sum() == len(tables["service_tickets"])
    one = view.iloc[0]
    assert db.single_customer_view(con, one["customer_id"])["spend"].tolist() == [one["spend"]]
    spaced = f"+86 {one['mobile'][:3]} {one['mobile'][3:]}"
    assert db.single_customer_view(con, mobile=spaced)["customer_id"].tolist() == [
        one["customer_id"]]
    con.close()


def test_schema_enforces_keys_and_constraints(tables, tmp_path):
    con = db.connect(db.build_database(tmp_path / "crm.sqlite", tables), readonly=False)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            con.execute("INSERT INTO orders VALUES ('X1', 'C99999', '2024-01-01', '手机', 1)")
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            con.execute("INSERT INTO orders VALUES ('X2', 'C00001', '2024-01-01', '手机', -5)")
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            con.execute("INSERT INTO orders VALUES ('X3', 'C00001', '01/02/2024', '手机', 5)")
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            mobile = con.execute("SELECT mobile FROM customers LIMIT 1").fetchone()[0]
            con.execute("INSERT INTO customers VALUES ('C99998', '某人', ?, NULL, NULL)",
                        (mobile,))
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE|PRIMARY"):
            con.execute("INSERT INTO orders SELECT * FROM orders LIMIT 1")
        con.rollback()
        indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"orders_customer", "orders_date", "tickets_customer"} <= indexes
    finally:
        con.close()


def test_read_only_by_default(built):
    con = db.connect(built)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        con.execute("DELETE FROM orders")
    con.close()


def test_parameters_stop_injection(built):
    con = db.connect(built)
    trick = "x' OR '1'='1"
    safe = db.query(con, "SELECT * FROM customers WHERE name = ?", (trick,))
    assert safe.empty
    unsafe = db.query(con, f"SELECT * FROM customers WHERE name = '{trick}'")
    assert len(unsafe) == 751   # the string-built query leaks every customer
    con.close()


def test_never_overwrites_silently(tables, tmp_path):
    path = tmp_path / "crm.sqlite"
    db.build_database(path, tables)
    stamp = path.stat().st_mtime_ns
    assert db.build_database(path, tables) == path          # same extracts: kept
    assert path.stat().st_mtime_ns == stamp
    other = dict(tables)
    other["sales_orders"] = tables["sales_orders"].iloc[:-1]
    with pytest.raises(FileExistsError, match="overwrite=True"):
        db.build_database(path, other)
    mine = tmp_path / "notes.sqlite"
    mine.write_text("not a database")
    with pytest.raises(FileExistsError, match="already exists"):
        db.build_database(mine, tables)
    assert mine.read_text() == "not a database"
    db.build_database(path, other, overwrite=True)
    con = db.connect(path)
    assert db.query(con, "SELECT COUNT(*) AS n FROM orders")["n"].item() == len(other[
        "sales_orders"])
    con.close()


def test_default_path_is_in_the_ignored_workspace():
    path = db.default_database_path()
    assert path.parent.name == "my_data" and path.parent.parent.name == "workspace"


@pytest.mark.parametrize("call, error, match", [
    (lambda t, c: db.query(c, "SELECT * FROM customers WHERE name = ?", "张伟"), TypeError,
     "params must be a tuple"),
    (lambda t, c: db.query("crm.sqlite", "SELECT 1"), TypeError, "connection"),
    (lambda t, c: db.connect("no/such/file.sqlite"), ValueError, "build it first"),
    (lambda t, c: db.connect(42), TypeError, "file path"),
    (lambda t, c: db.build_database(None, t), TypeError, "file path"),
    (lambda t, c: db.link_records({"sales_customers": t["sales_customers"]}), ValueError,
     "needs a 'service_customers' table"),
    (lambda t, c: db.link_records({**t, "sales_customers": t["sales_customers"].drop(
        columns="mobile")}), ValueError, "needs a 'mobile' column"),
    (lambda t, c: db.link_records({**t, "sales_customers": t["sales_customers"].assign(
        mobile="12345")}), ValueError, "not a mobile number"),
    (lambda t, c: db.parse_dates(pd.Series(["2024-13-45"]), "%Y-%m-%d"), ValueError,
     "do not match the format"),
    (lambda t, c: db.single_customer_view(c, "C00001", mobile="138"), ValueError, "not both"),
    (lambda t, c: db.single_customer_view(c, 1), TypeError, "customer_id must be text"),
    (lambda t, c: db.customer_master(pd.DataFrame({"source": ["sales"]})), ValueError,
     "needs a 'customer_id' column"),
])
def test_bad_input(call, error, match, tables, built):
    con = db.connect(built)
    try:
        with pytest.raises(error, match=match):
            call(tables, con)
    finally:
        con.close()
