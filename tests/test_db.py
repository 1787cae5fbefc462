"""The database adapters, schema loading and dialect helpers, on DuckDB, SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csql.db import DUCKDB, POSTGRES, SQLITE, connect, parse_url
from csql.db.base import Database
from csql.db.dialect import (
    sql_array_contains,
    sql_bool_and,
    sql_bool_literal,
    sql_bool_or,
    sql_greatest,
    sql_int_div,
    sql_int_mod,
    sql_least,
    sql_literal,
    sql_not_distinct,
    sql_type_name,
)
from csql.db.schema import ensure_schema, load_data
from csql.db.sqltext import qmark_to_format, split_statements
from csql.ir import logical as L
from csql.ir.errors import DataError
from csql.ir.span import Span

HOSTILE = "O'Brien'; drop table people;--"


def trunc_div(a: int, b: int) -> int:
    """Division truncating toward zero, computed without floats."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def trunc_mod(a: int, b: int) -> int:
    return a - b * trunc_div(a, b)


# ------------------------------------------------------------------------------------------
# URLs and connect


def test_parse_url_every_scheme() -> None:
    assert parse_url("duckdb://") == (DUCKDB, "")
    assert parse_url("duckdb:///:memory:") == (DUCKDB, "")
    assert parse_url("duckdb:///var/lib/x.duckdb") == (DUCKDB, "/var/lib/x.duckdb")
    assert parse_url("duckdb://rel/x.duckdb") == (DUCKDB, "rel/x.duckdb")
    assert parse_url("sqlite://") == (SQLITE, "")
    assert parse_url("sqlite:///srv/state.db") == (SQLITE, "/srv/state.db")
    url = "postgresql://me@db.example:5433/cluster"
    assert parse_url(url) == (POSTGRES, url)
    assert parse_url("postgres://me@h/db") == (POSTGRES, "postgres://me@h/db")


@pytest.mark.parametrize("url", ["mysql://u@h/db", "duckdb", "state.duckdb", "file:///x.db"])
def test_unknown_scheme_is_a_data_error_listing_schemes(url: str) -> None:
    with pytest.raises(DataError) as info:
        connect(url)
    assert "unsupported database URL" in info.value.message
    for scheme in ("duckdb://", "sqlite://", "postgresql://"):
        assert scheme in info.value.hint


def test_connect_rejects_other_objects() -> None:
    with pytest.raises(DataError, match="cannot use int as a database"):
        connect(42)


@pytest.mark.parametrize("scheme,suffix", [("duckdb", "duckdb"), ("sqlite", "db")])
def test_file_databases_persist(tmp_path, scheme: str, suffix: str) -> None:
    path = tmp_path / f"state.{suffix}"
    db = connect(f"{scheme}://{path}")
    db.execute("CREATE TABLE nodes (name VARCHAR, cpu BIGINT)")
    db.execute("INSERT INTO nodes VALUES (?, ?)", ("n1", 4))
    db.close()
    again = connect(f"{scheme}://{path}")
    assert again.query("SELECT name, cpu FROM nodes") == [("n1", 4)]
    assert again.table_exists("nodes")
    again.close()


def test_existing_database_is_returned_as_is(duckdb_db: Database) -> None:
    assert connect(duckdb_db) is duckdb_db


def test_wrapped_duckdb_connection_stays_open() -> None:
    raw = duckdb.connect()
    db = connect(raw)
    assert db.dialect == DUCKDB
    db.execute("CREATE TABLE t (x BIGINT)")
    db.close()
    assert raw.execute("SELECT count(*) FROM t").fetchall() == [(0,)]
    raw.close()


def test_wrapped_sqlite_connection_stays_open() -> None:
    raw = sqlite3.connect(":memory:")
    db = connect(raw)
    assert db.dialect == SQLITE
    with db.transaction():
        db.execute("CREATE TABLE t (x INTEGER)")
        db.execute("INSERT INTO t VALUES (?)", (5,))
    db.close()
    assert raw.execute("SELECT x FROM t").fetchall() == [(5,)]
    raw.close()


def test_wrapped_psycopg_connection_stays_open(postgres_url: str) -> None:
    import psycopg

    raw = psycopg.connect(postgres_url, autocommit=True)
    db = connect(raw)
    assert db.dialect == POSTGRES
    assert db.query("SELECT ? + 1", (41,)) == [(42,)]
    db.close()
    assert not raw.closed
    raw.close()


def test_postgres_url_hides_password(postgres_url: str) -> None:
    with pytest.raises(DataError) as info:
        connect("postgresql://someone:secret@127.0.0.1:1/nowhere")
    assert "secret" not in info.value.render()
    assert "cannot connect" in info.value.message


def test_adapter_url_never_contains_password(postgres_url: str) -> None:
    with_password = postgres_url.replace("postgres@", "postgres:unused@", 1)
    db = connect(with_password)  # trust auth ignores the password
    assert "unused" not in db.url
    db.close()


# ------------------------------------------------------------------------------------------
# Queries and parameters


def test_parameters_travel_as_data(any_db: Database) -> None:
    any_db.execute("CREATE TABLE people (id BIGINT, name VARCHAR(100))")
    any_db.execute("INSERT INTO people VALUES (?, ?)", (1, HOSTILE))
    assert any_db.query("SELECT name FROM people WHERE id = ?", (1,)) == [(HOSTILE,)]
    assert any_db.query("SELECT count(*) FROM people WHERE name = ?", (HOSTILE,)) == [(1,)]
    assert any_db.table_exists("people")


def test_percent_and_question_mark_inside_literals(any_db: Database) -> None:
    rows = any_db.query("SELECT '100% sure?' || ?, 7 % 4", ("!",))
    assert rows == [("100% sure?!", 3)]


def test_query_columns_are_lower_case(any_db: Database) -> None:
    names, rows = any_db.query_columns("SELECT 1 AS Answer, 'x' AS \"Mixed\"")
    assert names == ["answer", "mixed"]
    assert rows == [(1, "x")]


def test_plain_python_values(any_db: Database) -> None:
    any_db.execute("CREATE TABLE v (i BIGINT, f DOUBLE PRECISION, s VARCHAR(10), b BOOLEAN)"
                   if any_db.dialect == POSTGRES else
                   "CREATE TABLE v (i BIGINT, f DOUBLE, s VARCHAR, b BOOLEAN)")
    any_db.executemany("INSERT INTO v VALUES (?, ?, ?, ?)",
                       [(2**40, 0.5, "a", True), (-3, -1.25, None, False)])
    rows = any_db.query("SELECT i, f, s, b FROM v ORDER BY i")
    assert rows == [(-3, -1.25, None, False), (2**40, 0.5, "a", True)]
    assert [type(x) for x in rows[1]] == [int, float, str, bool]
    # SUM over integers is NUMERIC in PostgreSQL and HUGEINT in DuckDB: still a Python int.
    (total,) = any_db.query("SELECT sum(i) FROM v")[0]
    assert total == 2**40 - 3 and type(total) is int
    (half,) = any_db.query("SELECT 1.5")[0]
    assert half == 1.5 and type(half) is float


def test_iterate_streams_in_batches(any_db: Database) -> None:
    any_db.create_temp_table("nums", [("n", "BIGINT")], [(i,) for i in range(2500)])
    seen = list(any_db.iterate("SELECT n FROM nums ORDER BY n", batch=100))
    assert seen == [(i,) for i in range(2500)]
    assert list(any_db.iterate("SELECT n FROM nums WHERE n < 0")) == []


def test_iterate_survives_queries_in_between(any_db: Database) -> None:
    any_db.create_temp_table("nums", [("n", "BIGINT")], [(i,) for i in range(3000)])
    count = 0
    for _ in any_db.iterate("SELECT n FROM nums", batch=100):
        count += 1
        if count % 500 == 0:
            assert any_db.query("SELECT 42") == [(42,)]
    assert count == 3000


# ------------------------------------------------------------------------------------------
# Temporary tables


COLUMNS = [("id", "BIGINT"), ("name", "VARCHAR"), ("flag", "BOOLEAN"), ("big", "BIGINT")]


def test_temp_table_round_trips_types(any_db: Database) -> None:
    rows = [(1, "a", True, 2**33), (2, HOSTILE, False, None), (3, None, None, -(2**62))]
    any_db.create_temp_table("pods", COLUMNS, rows)
    assert any_db.query("SELECT id, name, flag, big FROM pods ORDER BY id") == rows
    assert any_db.relation_exists("pods")
    assert not any_db.table_exists("pods")
    assert [c for c, _ in any_db.relation_columns("pods")] == ["id", "name", "flag", "big"]


def test_temp_table_is_replaced_and_dropped(any_db: Database) -> None:
    any_db.create_temp_table("t", [("x", "BIGINT")], [(1,), (2,)])
    any_db.create_temp_table("t", [("y", "VARCHAR")], [("only",)])
    assert any_db.query_columns("SELECT * FROM t") == (["y"], [("only",)])
    any_db.drop_temp_table("t")
    assert not any_db.relation_exists("t")
    any_db.drop_temp_table("t")  # dropping twice is fine


def test_temp_table_empty_and_large(any_db: Database) -> None:
    any_db.create_temp_table("empty", COLUMNS, [])
    assert any_db.query("SELECT count(*) FROM empty") == [(0,)]
    n = 20_000
    rows = [(i, f"n{i}", i % 2 == 0, i * 2**32 if i % 5 else None) for i in range(n)]
    any_db.create_temp_table("large", COLUMNS, rows)
    expected_big = sum(r[3] for r in rows if r[3] is not None)
    flags = sum(1 for r in rows if r[2])
    got = any_db.query("SELECT count(*), sum(big), count(big), sum(CASE WHEN flag THEN 1 "
                       "ELSE 0 END), max(name) FROM large")
    assert got == [(n, expected_big, n - n // 5, flags, max(r[1] for r in rows))]


def test_temp_table_array_column(any_db: Database) -> None:
    array_type = sql_type_name(any_db.dialect, "string", array=True)
    any_db.create_temp_table("labels", [("id", "BIGINT"), ("tags", array_type)],
                             [(1, ["a", "b"]), (2, [])])
    contains = sql_array_contains(any_db.dialect, "tags", "?")
    assert any_db.query(f"SELECT id FROM labels WHERE {contains} ORDER BY id", ("b",)) == [(1,)]


# ------------------------------------------------------------------------------------------
# Transactions


def test_transaction_commits_and_rolls_back(any_db: Database) -> None:
    any_db.execute("CREATE TABLE t (x BIGINT)")
    with any_db.transaction():
        any_db.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(ValueError), any_db.transaction():
        any_db.execute("INSERT INTO t VALUES (2)")
        raise ValueError("abort")
    assert any_db.query("SELECT x FROM t") == [(1,)]


def test_nested_transactions(any_db: Database) -> None:
    any_db.execute("CREATE TABLE t (x BIGINT)")
    with any_db.transaction():
        any_db.execute("INSERT INTO t VALUES (1)")
        with any_db.transaction():
            any_db.execute("INSERT INTO t VALUES (2)")
    assert any_db.query("SELECT x FROM t ORDER BY x") == [(1,), (2,)]

    def inner_failure() -> None:
        with any_db.transaction():
            any_db.execute("INSERT INTO t VALUES (3)")
            try:
                with any_db.transaction():
                    any_db.execute("INSERT INTO t VALUES (4)")
                    raise ValueError("inner")
            except ValueError:
                pass

    if any_db.dialect == DUCKDB:
        # No savepoints: an inner failure dooms the outer transaction, loudly.
        with pytest.raises(DataError, match="nested transaction failed"):
            inner_failure()
        assert any_db.query("SELECT x FROM t ORDER BY x") == [(1,), (2,)]
    else:
        inner_failure()  # the savepoint undoes only the inner insert
        assert any_db.query("SELECT x FROM t ORDER BY x") == [(1,), (2,), (3,)]
    with any_db.transaction():  # the adapter is usable afterwards
        any_db.execute("INSERT INTO t VALUES (5)")
    assert any_db.query("SELECT max(x) FROM t") == [(5,)]


# ------------------------------------------------------------------------------------------
# Errors


def test_bad_sql_is_a_data_error(any_db: Database) -> None:
    with pytest.raises(DataError) as info:
        any_db.query("SELECT * FROM no_such_table")
    assert "no_such_table" in info.value.message
    assert "no_such_table" in info.value.hint


def test_constraint_violation_is_a_data_error(any_db: Database) -> None:
    any_db.execute("CREATE TABLE k (id BIGINT PRIMARY KEY)")
    any_db.execute("INSERT INTO k VALUES (?)", (1,))
    with pytest.raises(DataError, match="rejected the statement"):
        any_db.execute("INSERT INTO k VALUES (?)", (1,))


def test_script_error_names_statement_and_line(any_db: Database) -> None:
    any_db.execute("CREATE TABLE k (id BIGINT PRIMARY KEY, note VARCHAR(20))")
    text = ("-- nodes\nINSERT INTO k VALUES (1, 'a;b');\n\n"
            "/* dup */ INSERT INTO k VALUES (1, 'again');\nINSERT INTO k VALUES (3, 'c');\n")
    with pytest.raises(DataError) as info:
        any_db.script(text, "data.sql")
    error = info.value
    assert (error.span.file, error.span.line, error.span.column) == ("data.sql", 4, 11)
    assert "INSERT INTO k VALUES (1, 'again')" in error.hint
    assert error.render().startswith("data.sql:4:11: data error:")


def test_load_data_is_atomic(any_db: Database) -> None:
    any_db.execute("CREATE TABLE k (id BIGINT PRIMARY KEY)")
    with pytest.raises(DataError):
        load_data(any_db, "INSERT INTO k VALUES (1);\nINSERT INTO k VALUES (1);", "d.sql")
    assert any_db.query("SELECT count(*) FROM k") == [(0,)]
    load_data(any_db, "INSERT INTO k VALUES (1);\nINSERT INTO k VALUES (2); -- done\n", "d.sql")
    assert any_db.query("SELECT count(*) FROM k") == [(2,)]


# ------------------------------------------------------------------------------------------
# ensure_schema


def span(line: int) -> Span:
    return Span("prog.sql", line, 1, line, 10)


NODES = L.Table(
    "nodes",
    (L.Column("name", L.STRING, "VARCHAR(36)", not_null=True), L.Column("cpu", L.INT, "BIGINT")),
    primary_key=("name",),
    sql="CREATE TABLE nodes (name VARCHAR(36) NOT NULL PRIMARY KEY, cpu BIGINT)",
    span=span(1),
)
PODS = L.Table(
    "pods",
    (L.Column("pod", L.STRING, "VARCHAR(36)"), L.Column("need", L.INT, "BIGINT"),
     L.Column("node", L.STRING, "VARCHAR(36)", kind=L.VARIABLE)),
    foreign_keys=(L.ForeignKey(("node",), "nodes", ("name",)),),
    sql="CREATE TABLE pods (pod VARCHAR(36) PRIMARY KEY, need BIGINT, "
        "node VARCHAR(36) REFERENCES nodes(name))",
    span=span(2),
)
BIG_NODES = L.DataView(
    "big_nodes", (L.Column("name", L.STRING),),
    "SELECT name FROM nodes WHERE cpu >= 8", depends_on=("nodes",), span=span(3))
BIG_NAMES = L.DataView(
    "big_names", (L.Column("name", L.STRING),),
    "SELECT upper(name) AS name FROM big_nodes;", depends_on=("big_nodes",), span=span(4))


def program(*statements: L.Statement) -> L.Program:
    return L.Program(tuple(statements), source="\n".join(f"-- line {i}" for i in range(1, 6)),
                     filename="prog.sql")


def test_ensure_schema_creates_tables_in_dependency_order(any_db: Database) -> None:
    # pods (which references nodes) comes first in the program.
    changes = ensure_schema(any_db, program(PODS, NODES, BIG_NODES, BIG_NAMES))
    assert set(changes.created_tables) == {"nodes", "pods"}
    assert changes.views == ("big_nodes", "big_names")
    load_data(any_db, "INSERT INTO nodes VALUES ('n1', 4), ('n2', 16);")
    assert any_db.query("SELECT name FROM big_names") == [("N2",)]
    # Views are temporary: not base tables of the user's database.
    assert any_db.relation_exists("big_names") and not any_db.table_exists("big_names")


def test_ensure_schema_uses_existing_tables_and_is_repeatable(any_db: Database) -> None:
    any_db.execute("CREATE TABLE nodes (extra BIGINT, cpu BIGINT, name VARCHAR(36))")
    any_db.execute("INSERT INTO nodes VALUES (0, 8, 'kept')")
    first = ensure_schema(any_db, program(NODES, BIG_NODES))
    assert first.existing_tables == ("nodes",) and first.created_tables == ()
    second = ensure_schema(any_db, program(NODES, BIG_NODES))
    assert second.existing_tables == ("nodes",)
    assert any_db.query("SELECT name FROM big_nodes") == [("kept",)]


def test_ensure_schema_names_missing_columns(any_db: Database) -> None:
    any_db.execute("CREATE TABLE pods (pod VARCHAR(36), other BIGINT)")
    with pytest.raises(DataError) as info:
        ensure_schema(any_db, program(NODES, PODS))
    error = info.value
    assert "table pods" in error.message and "need, node" in error.message
    assert error.span == PODS.span
    assert "ALTER TABLE pods" in error.hint
    # The transaction rolled back the table it had created before failing.
    assert not any_db.table_exists("nodes")


def test_ensure_schema_reports_a_bad_view(any_db: Database) -> None:
    bad = L.DataView("bad", (L.Column("x", L.INT),), "SELECT x FROM missing_relation",
                     span=span(5))
    with pytest.raises(DataError) as info:
        ensure_schema(any_db, program(NODES, bad))
    assert info.value.span == bad.span
    assert "cannot create data view bad" in info.value.message
    assert info.value.render().startswith("prog.sql:5:1:")


def test_ensure_schema_refuses_a_view_named_like_a_table(any_db: Database) -> None:
    any_db.execute("CREATE TABLE big_nodes (name VARCHAR(36))")
    with pytest.raises(DataError, match="has the name of a table"):
        ensure_schema(any_db, program(NODES, BIG_NODES))


def test_ensure_schema_builds_ddl_without_source(any_db: Database) -> None:
    bare = L.Table("hosts", (L.Column("h", L.STRING, not_null=True), L.Column("n", L.INT),
                             L.Column("up", L.BOOL)), primary_key=("h",))
    ensure_schema(any_db, program(bare))
    any_db.execute("INSERT INTO hosts VALUES (?, ?, ?)", ("a", 1, True))
    with pytest.raises(DataError):
        any_db.execute("INSERT INTO hosts VALUES (?, ?, ?)", ("a", 2, False))


# ------------------------------------------------------------------------------------------
# Dialect helpers, executed on each engine

OPERANDS = [-7, 7, -6, 6, 0, 1, -1, 2**40 + 3, -(2**40 + 3), 2**62 + 1, -(2**62 + 1)]
DIVISORS = [2, -2, 3, -3, 7, -7, 2**31 + 5, -(2**33)]


def test_int_div_and_mod_truncate_toward_zero(any_db: Database) -> None:
    pairs = [(a, b) for a in OPERANDS for b in DIVISORS]
    any_db.create_temp_table("pairs", [("a", "BIGINT"), ("b", "BIGINT")], pairs)
    div = sql_int_div(any_db.dialect, "a", "b")
    mod = sql_int_mod(any_db.dialect, "a", "b")
    rows = any_db.query(f"SELECT a, b, {div}, {mod} FROM pairs")
    assert sorted(rows) == sorted((a, b, trunc_div(a, b), trunc_mod(a, b)) for a, b in pairs)
    assert trunc_div(-7, 2) == -3 and trunc_mod(-7, 2) == -1  # the semantics, spelled out


def test_int_div_of_sums_and_constants(any_db: Database) -> None:
    any_db.create_temp_table("xs", [("x", "BIGINT")], [(-5,), (-2,)])
    div = sql_int_div(any_db.dialect, "sum(x)", "2")
    mod = sql_int_mod(any_db.dialect, "sum(x)", "-4")
    assert any_db.query(f"SELECT {div}, {mod} FROM xs") == [(-3, -3)]
    assert any_db.query(f"SELECT {sql_int_div(any_db.dialect, '-9', '4')}") == [(-2,)]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=st.integers(-(2**63) + 1, 2**63 - 1),
       b=st.integers(-(2**63) + 1, 2**63 - 1).filter(lambda v: v != 0))
def test_int_div_matches_python_over_int64(any_db: Database, a: int, b: int) -> None:
    any_db.create_temp_table("one", [("a", "BIGINT"), ("b", "BIGINT")], [(a, b)])
    div = sql_int_div(any_db.dialect, "a", "b")
    mod = sql_int_mod(any_db.dialect, "a", "b")
    assert any_db.query(f"SELECT {div}, {mod} FROM one") == [(trunc_div(a, b), trunc_mod(a, b))]


def test_literals_and_aggregates(any_db: Database) -> None:
    d = any_db.dialect
    any_db.create_temp_table("f", [("k", "BIGINT"), ("flag", "BOOLEAN")],
                             [(1, True), (2, False), (3, None)])
    assert any_db.query(f"SELECT k FROM f WHERE flag = {sql_bool_literal(d, True)}") == [(1,)]
    assert any_db.query(f"SELECT k FROM f WHERE flag = {sql_bool_literal(d, False)}") == [(2,)]
    all_, any_ = sql_bool_and(d, "flag"), sql_bool_or(d, "flag")
    (row,) = any_db.query(f"SELECT {all_}, {any_} FROM f")
    assert (bool(row[0]), bool(row[1])) == (False, True)
    (row,) = any_db.query(f"SELECT {all_}, {any_} FROM f WHERE k > 5")
    assert row == (None, None)
    least, greatest = sql_least(d, ["k", "2"]), sql_greatest(d, ["k", "2"])
    assert any_db.query(f"SELECT {least}, {greatest} FROM f ORDER BY k") == [
        (1, 2), (2, 2), (2, 3)]
    same = sql_not_distinct(d, "flag", "NULL")
    assert any_db.query(f"SELECT k FROM f WHERE {same}") == [(3,)]
    literals = ", ".join(sql_literal(d, v) for v in (-5, 2.5, "it's", None))
    assert any_db.query(f"SELECT {literals}") == [(-5, 2.5, "it's", None)]


# ------------------------------------------------------------------------------------------
# SQL text handling


def test_split_statements_respects_quotes_and_comments() -> None:
    text = ("-- header; not a statement\nINSERT INTO t VALUES ('a;b', \"c;d\");\n"
            "/* x; */ SELECT $$p;q$$ ;;\n  SELECT 'it''s;'  -- tail;\n")
    stmts = split_statements(text)
    assert [s.text for s in stmts] == [
        "INSERT INTO t VALUES ('a;b', \"c;d\")",
        "SELECT $$p;q$$",
        "SELECT 'it''s;'  -- tail;",
    ]
    assert [(s.line, s.column) for s in stmts] == [(2, 1), (3, 10), (4, 3)]


def test_qmark_to_format_only_rewrites_code() -> None:
    sql = "SELECT '?%', ?, a % 2, \"q?\" FROM t WHERE b = ? -- ?\n"
    assert qmark_to_format(sql) == (
        "SELECT '?%%', %s, a %% 2, \"q?\" FROM t WHERE b = %s -- ?\n")
