"""The relation side: SQL for the constant part of each statement, snapshots, fetching.

Everything csql evaluates on constants it leaves to the database, as SQL generated from the
logical IR with values passed as parameters. Variable relations are read once per solve into a
temporary *snapshot* table with an ordinal column `__csql_row`, so that a data view with LIMIT
and no ORDER BY is read exactly once and every statement of the solve sees the same rows, and
so that a fetched row names its variable cells by ordinal. Symbolic views are materialised by
the grounder into temporary tables of their constant columns the same way.

Integer `/` and `%` truncate toward zero inside C-SQL statements whatever the engine
(language §3); the spelling per engine comes from `csql.db.dialect`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from csql.db import dialect as D
from csql.db.base import Database
from csql.ir import logical as L
from csql.ir.errors import DataError, GroundingError

ROW = "__csql_row"
SNAPSHOT_PREFIX = "__csql_snap_"
VIEW_PREFIX = "__csql_view_"

_SQL_TYPES = {L.INT: "BIGINT", L.BOOL: "BOOLEAN", L.STRING: "VARCHAR", L.REAL: "DOUBLE"}


def sql_type_of(logical_type: str, values: Iterable[object] = ()) -> str:
    """A column type for a temporary table, from the logical type or else from the values."""
    if logical_type in _SQL_TYPES:
        return _SQL_TYPES[logical_type]
    for v in values:
        if isinstance(v, bool):
            return "BOOLEAN"
        if isinstance(v, int):
            return "BIGINT"
        if isinstance(v, float):
            return "DOUBLE"
        if v is not None:
            return "VARCHAR"
    return "VARCHAR"


class SqlRenderer:
    """Renders constant logical expressions and queries to the database's SQL.

    Aliases are mangled per query level (`q0_pods`, `q1_nodes`, ...) so that a correlated
    reference (`depth` > 0) always names the intended FROM item, whatever the inner query calls
    its own sources. `table_of` maps a relation name to the SQL name it is read from (a
    snapshot table, a materialised symbolic view, or the relation itself)."""

    def __init__(self, db: Database, table_of: Callable[[str], str]) -> None:
        self.db = db
        self.table_of = table_of
        self.params: list[object] = []

    # -- names ---------------------------------------------------------------------------

    def alias(self, level: int, alias: str) -> str:
        return self.db.quote(f"q{level}_{alias}")

    def column(self, level: int, alias: str, column: str) -> str:
        return f"{self.alias(level, alias)}.{self.db.quote(column)}"

    def source(self, level: int, source: L.Source) -> str:
        return f"{self.table_of(source.relation)} AS {self.alias(level, source.alias)}"

    # -- expressions ---------------------------------------------------------------------

    def expr(self, e: L.Expr, level: int) -> str:  # noqa: C901 - one dispatch over node types
        r = self.expr
        if isinstance(e, L.ColumnRef):
            return self.column(level - e.depth, e.source, e.column)
        if isinstance(e, L.Literal):
            return self.literal(e.value)
        if isinstance(e, L.Arithmetic):
            a, b = r(e.left, level), r(e.right, level)
            if e.op in ("/", "%") and e.type == L.INT:
                fn = D.sql_int_div if e.op == "/" else D.sql_int_mod
                return fn(self.db.dialect, a, b)
            return f"({a} {e.op} {b})"
        if isinstance(e, L.Negate):
            return f"(-{r(e.arg, level)})"
        if isinstance(e, L.Comparison):
            op = "<>" if e.op == "!=" else e.op
            return f"({r(e.left, level)} {op} {r(e.right, level)})"
        if isinstance(e, L.BoolOp):
            return "(" + f" {e.op.upper()} ".join(r(a, level) for a in e.args) + ")"
        if isinstance(e, L.Not):
            return f"(NOT {r(e.arg, level)})"
        if isinstance(e, L.IsNull):
            return f"({r(e.arg, level)} IS {'NOT ' if e.negated else ''}NULL)"
        if isinstance(e, L.Between):
            neg = "NOT " if e.negated else ""
            return (f"({r(e.arg, level)} {neg}BETWEEN {r(e.low, level)} "
                    f"AND {r(e.high, level)})")
        if isinstance(e, L.InList):
            neg = "NOT " if e.negated else ""
            items = ", ".join(r(i, level) for i in e.items)
            return f"({r(e.arg, level)} {neg}IN ({items}))"
        if isinstance(e, L.InSubquery):
            neg = "NOT " if e.negated else ""
            arg = r(e.arg, level)
            return f"({arg} {neg}IN ({self.query(e.query, level + 1)}))"
        if isinstance(e, L.Exists):
            neg = "NOT " if e.negated else ""
            return f"({neg}EXISTS ({self.query(e.query, level + 1)}))"
        if isinstance(e, L.ScalarSubquery):
            return f"({self.query(e.query, level + 1)})"
        if isinstance(e, L.Case):
            parts = ["CASE"]
            for cond, val in e.whens:
                parts.append(f"WHEN {r(cond, level)} THEN {r(val, level)}")
            if e.else_ is not None:
                parts.append(f"ELSE {r(e.else_, level)}")
            parts.append("END")
            return "(" + " ".join(parts) + ")"
        if isinstance(e, L.Cast):
            return f"CAST({r(e.arg, level)} AS {e.sql_type})"
        if isinstance(e, L.FuncCall):
            args = [r(a, level) for a in e.args]
            if e.name == "contains" and len(args) == 2:
                return D.sql_array_contains(self.db.dialect, args[0], args[1])
            if e.name in ("least", "greatest"):
                fn = D.sql_least if e.name == "least" else D.sql_greatest
                return fn(self.db.dialect, args)
            return f"{e.name}({', '.join(args)})"
        if isinstance(e, L.Aggregate):
            return self.aggregate(e, level)
        raise GroundingError(f"cannot render {type(e).__name__} as SQL", getattr(e, "span", None))

    def literal(self, value: object) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return D.sql_bool_literal(self.db.dialect, value)
        if isinstance(value, int):
            return D.sql_literal(self.db.dialect, value)
        self.params.append(value)
        return "?"

    def aggregate(self, e: L.Aggregate, level: int) -> str:
        if e.name in L.GLOBALS:
            raise GroundingError(f"{e.name}() cannot appear in a constant subquery", e.span)
        if e.star:
            return "count(*)"
        distinct = "DISTINCT " if e.distinct else ""
        if e.name in ("any", "all", "bool_or", "bool_and") and not e.distinct:
            fn = D.sql_bool_or if e.name in ("any", "bool_or") else D.sql_bool_and
            return fn(self.db.dialect, self.expr(e.args[0], level))
        return f"{e.name}({distinct}{', '.join(self.expr(a, level) for a in e.args)})"

    # -- queries -------------------------------------------------------------------------

    def query(self, q: L.Query, level: int) -> str:
        """A whole constant query (a subquery of a constant expression)."""
        if q.variable_qualifiers:
            raise GroundingError("a subquery with variable qualifiers in a constant position",
                                 q.span)
        items = ", ".join(
            f"{self.expr(i.expr, level)} AS {self.db.quote(i.name)}" for i in q.select)
        distinct = "DISTINCT " if q.distinct else ""
        sql = f"SELECT {distinct}{items}"
        if q.sources:
            sql += " FROM " + ", ".join(self.source(level, s) for s in q.sources)
        if q.constant_qualifiers:
            sql += " WHERE " + " AND ".join(self.expr(c, level) for c in q.constant_qualifiers)
        if q.group_by:
            sql += " GROUP BY " + ", ".join(self.expr(k, level) for k in q.group_by)
        if q.having is not None:
            sql += " HAVING " + self.expr(q.having, level)
        if q.order_by:
            sql += " ORDER BY " + ", ".join(
                self.expr(o.expr, level) + (" DESC" if o.descending else "")
                for o in q.order_by)
        if q.limit is not None:
            sql += f" LIMIT {int(q.limit)}"
        return sql


# ---------------------------------------------------------------------------------------------
# Snapshots


def snapshot_name(relation: str) -> str:
    return SNAPSHOT_PREFIX + relation


def view_table_name(relation: str) -> str:
    return VIEW_PREFIX + relation


def read_relation(db: Database, rel: L.Table | L.DataView) -> tuple[list[str], list[tuple]]:
    """All rows of a variable relation, in primary-key order when there is one."""
    sql = f"SELECT * FROM {db.quote(rel.name)}"
    if isinstance(rel, L.Table) and rel.primary_key:
        sql += " ORDER BY " + ", ".join(db.quote(c) for c in rel.primary_key)
    columns, rows = db.query_columns(sql)
    missing = [c.name for c in rel.columns if c.name not in columns]
    if missing:
        raise DataError(
            f"relation '{rel.name}' in the database lacks column(s) {', '.join(missing)}",
            rel.span, hint="the database's table must have the columns the program declares")
    return columns, rows


def write_snapshot(db: Database, rel: L.Table | L.DataView, columns: list[str],
                   rows: list[tuple]) -> None:
    """The temporary table of the relation's constant columns plus the row ordinal."""
    engine_types = dict(db.relation_columns(rel.name))
    keep = [i for i, name in enumerate(columns)
            if (col := rel.column(name)) is None or not col.is_variable]
    spec = [(columns[i], engine_types.get(columns[i]) or sql_type_of(
        getattr(rel.column(columns[i]), "type", L.ANY), (r[i] for r in rows))) for i in keep]
    spec.append((ROW, "BIGINT"))
    data = [tuple(row[i] for i in keep) + (n,) for n, row in enumerate(rows)]
    db.create_temp_table(snapshot_name(rel.name), spec, data)


def check_foreign_keys(db: Database, table: L.Table) -> None:
    """A constant FK value that its referenced table lacks is a data error (engines such as
    SQLite do not enforce foreign keys by default, and a missing target would silently drop
    rows from every join through it)."""
    for fk in table.foreign_keys:
        if any((c := table.column(n)) is not None and c.is_variable for n in fk.columns):
            continue
        q = db.quote
        cols = ", ".join(f"t.{q(c)}" for c in fk.columns)
        match = " AND ".join(f"r.{q(rc)} = t.{q(c)}" for c, rc in zip(fk.columns, fk.ref_columns))
        not_null = " AND ".join(f"t.{q(c)} IS NOT NULL" for c in fk.columns)
        sql = (f"SELECT {cols} FROM {q(table.name)} AS t WHERE {not_null} AND NOT EXISTS "
               f"(SELECT 1 FROM {q(fk.ref_table)} AS r WHERE {match}) LIMIT 1")
        bad = db.query(sql)
        if bad:
            shown = ", ".join(repr(v) for v in bad[0])
            raise DataError(
                f"{table.name}({', '.join(fk.columns)}) = ({shown}) is not present in "
                f"{fk.ref_table}({', '.join(fk.ref_columns)})",
                fk.span or table.span,
                hint=f"add the referenced row to {fk.ref_table} or remove the referencing row",
            )


def check_not_null_columns(db: Database, table: L.Table) -> None:
    """A NULL in a constant column the program declares NOT NULL is a data error: an existing
    table used as it is may lack the constraint, and a NULL there would make the constraints
    that read it pass vacuously (three-valued logic) instead of failing loudly."""
    columns = [c for c in table.columns if c.not_null and not c.is_variable]
    if not columns:
        return
    q = db.quote
    shown = list(table.primary_key) or [c.name for c in table.columns[:3]]
    for column in columns:
        sql = (f"SELECT {', '.join(q(c) for c in shown)} FROM {q(table.name)} "
               f"WHERE {q(column.name)} IS NULL LIMIT 1")
        bad = db.query(sql)
        if bad:
            row = ", ".join(f"{c}={v!r}" for c, v in zip(shown, bad[0]))
            raise DataError(
                f"{table.name}.{column.name} is NULL in row ({row}) but the program declares "
                "it NOT NULL", column.span or table.span,
                hint=f"fill in {table.name}.{column.name} for every row")


def distinct_values(db: Database, relation_sql: str, column: str) -> list[object]:
    return [r[0] for r in db.query(f"SELECT DISTINCT {db.quote(column)} FROM {relation_sql}")]
