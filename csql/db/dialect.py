"""SQL fragments whose spelling differs between DuckDB, SQLite and PostgreSQL.

The SQL generators (relation side, oracle) build SQL text once per plan and must get the same
answers on every engine; each function here takes the dialect name (`csql.db.base.DUCKDB`,
`SQLITE`, `POSTGRES`) and SQL text for its operands, and returns SQL text. Operand text is
wrapped in parentheses, so callers may pass any expression. Values never go through here
(they travel as parameters); literals are only for DDL, which cannot take parameters.

Integer division (language §3): `/` truncates toward zero and `%` has the sign of the dividend,
whatever the engine. Engine facts these rely on, each checked by tests/test_db.py on the engine
itself: DuckDB's `/` on integers is float division while its `//` on integers truncates
toward zero (it divides in C++) and `%` follows the dividend; PostgreSQL's integer `/`
truncates, but SUM over integers is NUMERIC, where `/` keeps fractions, so `div()` is used,
which truncates for integers and numerics alike; SQLite's `/` and `%` truncate for integers
but divide REAL values exactly, so the operands are cast to INTEGER. Division by zero follows
the engine: an error on DuckDB and PostgreSQL, NULL on SQLite.
"""

from __future__ import annotations

from ..ir.errors import InternalError
from .base import DUCKDB, POSTGRES, SQLITE

DIALECTS = (DUCKDB, SQLITE, POSTGRES)


def _check(dialect: str) -> str:
    if dialect not in DIALECTS:
        raise InternalError(f"unknown SQL dialect {dialect!r}; expected one of "
                            f"{', '.join(DIALECTS)}")
    return dialect


def sql_int_div(dialect: str, a_sql: str, b_sql: str) -> str:
    """Integer `a / b` truncating toward zero, exact over int64 (operands integer-typed)."""
    if _check(dialect) == DUCKDB:
        return f"(({a_sql}) // ({b_sql}))"
    if dialect == POSTGRES:
        return f"div(({a_sql}), ({b_sql}))"
    return f"(CAST(({a_sql}) AS INTEGER) / CAST(({b_sql}) AS INTEGER))"


def sql_int_mod(dialect: str, a_sql: str, b_sql: str) -> str:
    """Integer `a % b` with the sign of the dividend (so a == b * (a / b) + a % b)."""
    if _check(dialect) == DUCKDB:
        return f"(({a_sql}) % ({b_sql}))"
    if dialect == POSTGRES:
        return f"mod(({a_sql}), ({b_sql}))"
    return f"(CAST(({a_sql}) AS INTEGER) % CAST(({b_sql}) AS INTEGER))"


def sql_bool_literal(dialect: str, value: bool) -> str:
    """TRUE/FALSE; SQLite stores booleans as 1/0, so its literal is the integer."""
    if _check(dialect) == SQLITE:
        return "1" if value else "0"
    return "TRUE" if value else "FALSE"


def sql_bool_to_int(dialect: str, e_sql: str) -> str:
    """A boolean as 1/0, NULL kept NULL (for SUM over conditions and objective terms)."""
    _check(dialect)
    return f"(CASE WHEN ({e_sql}) THEN 1 WHEN NOT ({e_sql}) THEN 0 END)"


def sql_string_literal(dialect: str, value: str) -> str:
    """A quoted string literal for DDL (all three engines use standard '' escaping; PostgreSQL
    with its default standard_conforming_strings). NUL characters cannot be stored anywhere."""
    _check(dialect)
    if "\x00" in value:
        raise InternalError("a SQL string literal cannot contain a NUL character")
    return "'" + value.replace("'", "''") + "'"


def sql_literal(dialect: str, value: object) -> str:
    """A constant of csql's value types (None, bool, int, float, str) as SQL text."""
    if value is None:
        _check(dialect)
        return "NULL"
    if isinstance(value, bool):
        return sql_bool_literal(dialect, value)
    if isinstance(value, int):
        _check(dialect)
        return str(value) if value >= 0 else f"({value})"
    if isinstance(value, float):
        _check(dialect)
        if value != value or value in (float("inf"), float("-inf")):
            raise InternalError(f"no portable SQL literal for {value!r}")
        text = repr(value)
        return text if value >= 0 else f"({text})"
    if isinstance(value, str):
        return sql_string_literal(dialect, value)
    raise InternalError(f"no SQL literal for a {type(value).__name__}")


# csql's logical types (csql.ir.logical: "int", "bool", "string", "real") as column types.
_TYPE_NAMES = {
    DUCKDB: {"int": "BIGINT", "bool": "BOOLEAN", "string": "VARCHAR", "real": "DOUBLE"},
    SQLITE: {"int": "INTEGER", "bool": "BOOLEAN", "string": "TEXT", "real": "REAL"},
    POSTGRES: {"int": "BIGINT", "bool": "BOOLEAN", "string": "TEXT",
               "real": "DOUBLE PRECISION"},
}


def sql_type_name(dialect: str, logical_type: str, array: bool = False) -> str:
    """The column type for a csql logical type (`array=True`: an array of it; SQLite keeps
    arrays as JSON text in a column declared `JSON`)."""
    names = _TYPE_NAMES[_check(dialect)]
    if logical_type not in names:
        raise InternalError(f"no column type for logical type {logical_type!r}; "
                            f"expected one of {', '.join(names)}")
    if array:
        return "JSON" if dialect == SQLITE else names[logical_type] + "[]"
    return names[logical_type]


def sql_least(dialect: str, args: list[str]) -> str:
    """LEAST; SQLite spells it as the multi-argument scalar min(), which returns NULL when an
    argument is NULL, whereas DuckDB and PostgreSQL ignore NULL arguments."""
    joined = ", ".join(f"({a})" for a in args)
    return f"min({joined})" if _check(dialect) == SQLITE else f"least({joined})"


def sql_greatest(dialect: str, args: list[str]) -> str:
    """GREATEST; see `sql_least` for SQLite's NULL behaviour."""
    joined = ", ".join(f"({a})" for a in args)
    return f"max({joined})" if _check(dialect) == SQLITE else f"greatest({joined})"


def sql_bool_and(dialect: str, e_sql: str) -> str:
    """The ALL aggregate (NULL over no rows, NULL inputs ignored)."""
    if _check(dialect) == SQLITE:
        return f"min(({e_sql}) <> 0)"
    return f"bool_and({e_sql})"


def sql_bool_or(dialect: str, e_sql: str) -> str:
    """The ANY aggregate (NULL over no rows, NULL inputs ignored)."""
    if _check(dialect) == SQLITE:
        return f"max(({e_sql}) <> 0)"
    return f"bool_or({e_sql})"


def sql_not_distinct(dialect: str, a_sql: str, b_sql: str) -> str:
    """Equality that treats two NULLs as equal (for joining on keys that may be NULL)."""
    if _check(dialect) == SQLITE:
        return f"(({a_sql}) IS ({b_sql}))"
    return f"(({a_sql}) IS NOT DISTINCT FROM ({b_sql}))"


def sql_array_contains(dialect: str, array_sql: str, item_sql: str) -> str:
    """`contains(array, x)`: DuckDB lists, PostgreSQL arrays, SQLite JSON-text arrays."""
    if _check(dialect) == DUCKDB:
        return f"list_contains(({array_sql}), ({item_sql}))"
    if dialect == POSTGRES:
        return f"(({item_sql}) = ANY({array_sql}))"
    return (f"EXISTS (SELECT 1 FROM json_each(({array_sql})) AS csql_elements "
            f"WHERE csql_elements.value = ({item_sql}))")
