"""The oracle's own SQL renderer: a bound C-SQL statement back to plain SQL (language §4).

It shares nothing with the grounding code on purpose: the oracle exists to catch mistakes in
grounding, so it reads the logical IR with a second, independent pair of eyes.

Every statement becomes one query over a *base* CTE: the cross product of its FROM items
filtered by the constant qualifiers, one column per source column (named `alias.column`), and
`__csql_sel`, the variable qualifiers under the solution (false when they are false or NULL).
Row statements then keep the rows where `__csql_sel` holds; grouped statements group every
base row (so groups persist when nothing is selected) and filter each aggregate's argument with
`CASE WHEN __csql_sel THEN x END` (portable where FILTER is not). Groups of an empty relation
are suppressed by `COUNT(*) > 0`, which also drops SQL's lone row of an ungrouped aggregate.

Symbolic views become CTEs. A row view's rows are all its candidate rows (constant
qualifiers) with a boolean `__present` column holding its variable qualifiers; a statement
reading the view takes `v.__present` as one more variable qualifier. That is the natural
reading of §4 for nested symbolic views: a row absent under σ is skipped by row statements and
left out of aggregates, yet the groups formed from the view's candidate rows persist. A grouped
view's rows are its groups, which are always present.

`increasing` and `capacity_constraint` are not SQL aggregates: the base CTE carries what they
need (a `LAG` window over the selected rows in row order; a dense group number) and a
per-statement CTE computes them, so they can still sit anywhere in a boolean expression.

String literals travel as parameters; other literals are program text that is safe to inline.
Subqueries render as ordinary SQL with the same aggregate rules; the "empty relation has no
groups" rule applies to statements, while a scalar subquery keeps SQL's one-row answer.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..db.base import DUCKDB, POSTGRES, SQLITE
from ..db.dialect import sql_int_div, sql_int_mod
from ..ir import logical as L
from ..ir.errors import InternalError, UnsupportedError
from ..ir.traverse import find_all

ROW_ID = "__csql_row"
PRESENT = "__present"
SELECTED = "__csql_sel"
GROUP_ID = "__csql_gid"
GROUP_ROWS = "__csql_n"
VALUE = "__csql_v"

_MARKER = re.compile("\x00(\\d+)\x00")


@dataclass(frozen=True)
class RelationSql:
    """How a table or data view reads during certification (a temp table or the database)."""

    from_sql: str
    columns: tuple[str, ...]
    key: tuple[str, ...]  # columns that identify a row in reports
    order: tuple[str, ...]  # the default row order of `increasing`
    has_row_id: bool = False


@dataclass(frozen=True)
class RenderedQuery:
    sql: str
    params: tuple[object, ...]
    key_names: tuple[str, ...]  # the leading result columns, named for reports


class StatementRenderer:
    """Renders constraints of one program; `relations` covers every table and data view."""

    def __init__(self, program: L.Program, dialect: str, quote: Callable[[str], str],
                 relations: Mapping[str, RelationSql]) -> None:
        self.program = program
        self.dialect = dialect
        self.quote = quote
        self.relations = relations

    def check(self, constraint: L.Constraint) -> RenderedQuery:
        """The rows (row statements) or groups (grouped ones) where the CHECK is FALSE."""
        return _Builder(self).check(constraint)

    def objective(self, constraint: L.Constraint) -> RenderedQuery:
        """One row, one column: the sum of the statement's terms (NULL terms count 0)."""
        return _Builder(self).objective(constraint)


@dataclass
class _Base:
    name: str  # CTE name, also the alias it is read under
    refs: dict[str, Callable[[str], str]]  # flattened column access per source alias
    group: list[str]  # GROUP BY expressions over the base
    has_groups_ids: bool


class _Builder:
    """State of rendering one statement: its CTEs, scopes and string parameters."""

    def __init__(self, renderer: StatementRenderer) -> None:
        self.r = renderer
        self.q = renderer.quote
        self.values: list[object] = []
        self.ctes: list[tuple[str, str]] = []
        self.views: set[str] = set()
        self.aliases: set[str] = set()
        self.scopes: list[dict[str, Callable[[str], str]]] = []
        self.selection: str | None = None
        self.prepared: dict[int, str] = {}
        self.counter = itertools.count()

    # -- statements --------------------------------------------------------------------------

    def check(self, c: L.Constraint) -> RenderedQuery:
        query = c.query
        if not query.grouped:
            base = self._base(query, [])
            b = self.q(base.name)
            self.scopes.append(base.refs)
            condition = self.expr(c.expr)
            keys = self._row_keys(query, base)
            self.scopes.pop()
            columns = [f"{sql} AS {self.q(f'k{i}')}" for i, (_, sql) in enumerate(keys)]
            columns.append(f"TRUE AS {self.q(VALUE)}")
            main = (f"SELECT {', '.join(columns)} FROM {b} "
                    f"WHERE {b}.{self.q(SELECTED)} AND NOT ({condition})")
            return self._finish(main, tuple(name for name, _ in keys))
        inner, keys = self._grouped(query, c.expr, numeric=False)
        names = [self.q(f"k{i}") for i in range(len(keys))] + [self.q(VALUE)]
        main = (f"SELECT {', '.join(names)} FROM ({inner}) AS {self.q('__csql_groups')} "
                f"WHERE {self.q(GROUP_ROWS)} > 0 AND NOT ({self.q(VALUE)})")
        return self._finish(main, tuple(keys))

    def objective(self, c: L.Constraint) -> RenderedQuery:
        query = c.query
        if not query.grouped:
            base = self._base(query, [])
            b = self.q(base.name)
            self.scopes.append(base.refs)
            value = self._numeric(c.expr)
            self.scopes.pop()
            main = f"SELECT COALESCE(SUM({value}), 0) FROM {b} WHERE {b}.{self.q(SELECTED)}"
            return self._finish(main, ())
        inner, _ = self._grouped(query, c.expr, numeric=True)
        main = (f"SELECT COALESCE(SUM({self.q(VALUE)}), 0) FROM ({inner}) AS "
                f"{self.q('__csql_groups')} WHERE {self.q(GROUP_ROWS)} > 0")
        return self._finish(main, ())

    def _grouped(self, query: L.Query, value_expr: L.Expr,
                 numeric: bool) -> tuple[str, list[str]]:
        """`SELECT keys, value, COUNT(*)` per group over the base; key names for reports."""
        base = self._base(query, _aggregates([value_expr], query))
        b = self.q(base.name)
        self.scopes.append(base.refs)
        self.selection = f"{b}.{self.q(SELECTED)}"
        value = self._numeric(value_expr) if numeric else self.expr(value_expr)
        self.selection = None
        having = self.expr(query.having) if query.having is not None else None
        self.scopes.pop()
        multi = len(query.sources) > 1
        key_names = [_key_name(g, i, query, multi) for i, g in enumerate(query.group_by)]
        columns = [f"{sql} AS {self.q(f'k{i}')}" for i, sql in enumerate(base.group)]
        columns += [f"{value} AS {self.q(VALUE)}", f"COUNT(*) AS {self.q(GROUP_ROWS)}"]
        sql = f"SELECT {', '.join(columns)} FROM {b}" + self._group_tail(base, having)
        return sql, key_names

    def _group_tail(self, base: _Base, having: str | None) -> str:
        group = list(base.group)
        if base.has_groups_ids:
            group.append(f"{self.q(base.name)}.{self.q(GROUP_ID)}")
        tail = f" GROUP BY {', '.join(group)}" if group else ""
        return tail + (f" HAVING {having}" if having is not None else "")

    def _finish(self, main: str, key_names: tuple[str, ...]) -> RenderedQuery:
        if self.ctes:
            main = "WITH " + ", ".join(f"{self.q(n)} AS ({body})" for n, body in self.ctes) \
                + " " + main
        params: list[object] = []

        def placeholder(match: re.Match[str]) -> str:
            params.append(self.values[int(match.group(1))])
            return "?"

        return RenderedQuery(_MARKER.sub(placeholder, main), tuple(params), key_names)

    # -- the base relation of a statement ---------------------------------------------------

    def _base(self, query: L.Query, aggregates: list[L.Aggregate]) -> _Base:
        from_sql, refs, presence, infos = self._from(query)
        self.scopes.append(refs)
        name = f"__csql_base{next(self.counter)}"
        columns: list[str] = []
        for src in query.sources:
            info = infos[src.alias]
            for col in info.columns + ((ROW_ID,) if info.has_row_id else ()):
                columns.append(f"{refs[src.alias](col)} AS {self.q(src.alias + '.' + col)}")
        parts = [f"({self.expr(v)})" for v in query.variable_qualifiers] + presence
        selected = f"COALESCE({' AND '.join(parts)}, FALSE)" if parts else "TRUE"
        columns.append(f"{selected} AS {self.q(SELECTED)}")
        group = [self.expr(g) for g in query.group_by]
        capacities = [a for a in aggregates if a.name == "capacity_constraint"]
        if capacities:
            rank = f"DENSE_RANK() OVER (ORDER BY {', '.join(group)})" if group else "1"
            columns.append(f"{rank} AS {self.q(GROUP_ID)}")
        increasing = [a for a in aggregates if a.name == "increasing"]
        b = self.q(name)
        for agg in increasing:
            k = next(self.counter)
            current = self.expr(_single_arg(agg))
            order = self._row_order(query, refs, infos)
            window = f"PARTITION BY {', '.join([*group, selected])}"
            if order:
                window += f" ORDER BY {order}"
            columns.append(f"{current} AS {self.q(f'__csql_cur{k}')}")
            columns.append(f"LAG({current}) OVER ({window}) AS {self.q(f'__csql_prev{k}')}")
            prev, cur = f"{b}.{self.q(f'__csql_prev{k}')}", f"{b}.{self.q(f'__csql_cur{k}')}"
            self.prepared[id(agg)] = (f"(COALESCE(MAX(CASE WHEN {b}.{self.q(SELECTED)} AND "
                                      f"{prev} > {cur} THEN 1 ELSE 0 END), 0) = 0)")
        sql = f"SELECT {', '.join(columns)}"
        if from_sql:
            sql += f" FROM {from_sql}"
        if query.constant_qualifiers:
            sql += " WHERE " + " AND ".join(f"({self.expr(c)})" for c in query.constant_qualifiers)
        if query.limit is not None:
            sql += self._order_by(query) + f" LIMIT {int(query.limit)}"
        self.scopes.pop()
        self.ctes.append((name, sql))
        flat = {src.alias: _flat_ref(self.q, b, src.alias) for src in query.sources}
        base = _Base(name, flat, [], bool(capacities))
        self.scopes.append(flat)
        base.group = [self.expr(g) for g in query.group_by]
        for agg in capacities:
            self._capacity(agg, base, infos)
        self.scopes.pop()
        return base

    def _capacity(self, agg: L.Aggregate, base: _Base, infos: dict[str, RelationSql]) -> None:
        """Groups (by dense number) where capacity_constraint fails; reads every row of the
        group, before variable qualifiers (language §5)."""
        if len(agg.args) != 4:
            raise UnsupportedError("capacity_constraint takes four arguments "
                                   "(var, dom, demand, cap)", agg.span)
        var, dom, demand, cap = agg.args
        source = var.source if isinstance(var, L.ColumnRef) and var.depth == 0 else None
        if source is None or not infos[source].has_row_id:
            raise UnsupportedError(
                "the SQL oracle needs capacity_constraint's first argument to be a variable "
                "column of a table or data view", agg.span,
                hint="pass the variable column itself, e.g. pods.controllable__node")
        b, q = self.q(base.name), self.q
        k = next(self.counter)
        rows, bad = f"__csql_cap{k}_rows", f"__csql_cap{k}"
        cell = base.refs[source](ROW_ID)
        self.ctes.append((rows, (
            f"SELECT {b}.{q(GROUP_ID)} AS g, {cell} AS cell, {self.expr(var)} AS v, "
            f"{self.expr(dom)} AS d, {self._numeric(demand)} AS w, {self._numeric(cap)} AS c "
            f"FROM {b}")))
        r = q(rows)
        self.ctes.append((bad, (
            f"SELECT r.g FROM {r} AS r WHERE NOT EXISTS "
            f"(SELECT 1 FROM {r} AS r2 WHERE r2.g = r.g AND r2.d = r.v) "
            f"UNION SELECT dc.g FROM (SELECT DISTINCT g, d, c FROM {r}) AS dc "
            f"WHERE dc.c < (SELECT COALESCE(SUM(x.w), 0) FROM "
            f"(SELECT DISTINCT g, cell, v, w FROM {r}) AS x WHERE x.g = dc.g AND x.v = dc.d)")))
        self.prepared[id(agg)] = f"({b}.{q(GROUP_ID)} NOT IN (SELECT g FROM {q(bad)}))"

    def _row_order(self, query: L.Query, refs: dict[str, Callable[[str], str]],
                   infos: dict[str, RelationSql]) -> str:
        if query.order_by:
            return ", ".join(self.expr(o.expr) + (" DESC" if o.descending else "")
                             for o in query.order_by)
        return ", ".join(refs[s.alias](col) for s in query.sources for col in infos[s.alias].order)

    def _order_by(self, query: L.Query) -> str:
        if not query.order_by:
            return ""
        return " ORDER BY " + ", ".join(self.expr(o.expr) + (" DESC" if o.descending else "")
                                        for o in query.order_by)

    def _row_keys(self, query: L.Query, base: _Base) -> list[tuple[str, str]]:
        multi = len(query.sources) > 1
        keys = []
        for src in query.sources:
            for col in self._info(src.relation).key:
                keys.append((f"{src.alias}.{col}" if multi else col, base.refs[src.alias](col)))
        return keys

    # -- FROM items, symbolic views, subqueries ----------------------------------------------

    def _from(self, query: L.Query) -> tuple[str, dict[str, Callable[[str], str]], list[str],
                                              dict[str, RelationSql]]:
        items, refs, presence, infos = [], {}, [], {}
        for src in query.sources:
            info = self._info(src.relation)
            alias = self._fresh_alias(src.alias)
            qa = self.q(alias)
            items.append(f"{info.from_sql} AS {qa}")
            refs[src.alias] = _column_ref(self.q, qa)
            infos[src.alias] = info
            if isinstance(self.r.program.get(src.relation), L.SymbolicView):
                presence.append(f"{qa}.{self.q(PRESENT)}")
        return ", ".join(items), refs, presence, infos

    def _fresh_alias(self, alias: str) -> str:
        candidate, n = alias, 1
        while candidate in self.aliases or candidate.startswith("__csql"):
            n += 1
            candidate = f"{alias}_{n}"
        self.aliases.add(candidate)
        return candidate

    def _info(self, relation: str) -> RelationSql:
        stmt = self.r.program.get(relation)
        if isinstance(stmt, L.SymbolicView):
            self._view(stmt)
            names = tuple(item.name for item in stmt.query.select)
            return RelationSql(self.q(f"__csql_view_{stmt.name}"), names + (PRESENT,),
                               names, names)
        info = self.r.relations.get(relation)
        if info is None:
            raise InternalError(f"the SQL oracle has no rows for relation {relation!r}")
        return info

    def _view(self, view: L.SymbolicView) -> None:
        if view.name in self.views:
            return
        self.views.add(view.name)
        saved_scopes, saved_selection = self.scopes, self.selection
        self.scopes, self.selection = [], None
        query = view.query
        names = [self.q(item.name) for item in query.select]
        if not query.grouped:
            base = self._base(query, [])
            b = self.q(base.name)
            self.scopes.append(base.refs)
            items = [f"{self.expr(item.expr)} AS {n}" for item, n in zip(query.select, names)]
            self.scopes.pop()
            distinct = "DISTINCT " if query.distinct else ""
            body = (f"SELECT {distinct}{', '.join(items)}, {b}.{self.q(SELECTED)} AS "
                    f"{self.q(PRESENT)} FROM {b}")
        else:
            exprs = [item.expr for item in query.select]
            base = self._base(query, _aggregates(exprs, query))
            b = self.q(base.name)
            self.scopes.append(base.refs)
            self.selection = f"{b}.{self.q(SELECTED)}"
            items = [f"{self.expr(e)} AS {n}" for e, n in zip(exprs, names)]
            self.selection = None
            having = self.expr(query.having) if query.having is not None else None
            self.scopes.pop()
            inner = (f"SELECT {', '.join(items)}, COUNT(*) AS {self.q(GROUP_ROWS)} FROM {b}"
                     + self._group_tail(base, having))
            body = (f"SELECT {', '.join(names)}, TRUE AS {self.q(PRESENT)} FROM ({inner}) AS "
                    f"{self.q('__csql_groups')} WHERE {self.q(GROUP_ROWS)} > 0")
        self.scopes, self.selection = saved_scopes, saved_selection
        self.ctes.append((f"__csql_view_{view.name}", body))

    def _subquery(self, query: L.Query) -> str:
        from_sql, refs, presence, _ = self._from(query)
        self.scopes.append(refs)
        saved = self.selection
        where = [f"({self.expr(c)})" for c in query.constant_qualifiers]
        variable = [f"({self.expr(v)})" for v in query.variable_qualifiers] + presence
        self.selection = None
        if query.grouped:
            if variable:
                self.selection = f"COALESCE({' AND '.join(variable)}, FALSE)"
        else:
            where += variable
        items = ", ".join(f"{self.expr(i.expr)} AS {self.q(i.name)}" for i in query.select)
        self.selection = None
        sql = f"SELECT {'DISTINCT ' if query.distinct else ''}{items}"
        if from_sql:
            sql += f" FROM {from_sql}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        if query.group_by:
            sql += " GROUP BY " + ", ".join(self.expr(g) for g in query.group_by)
        if query.having is not None:
            sql += " HAVING " + self.expr(query.having)
        sql += self._order_by(query)
        if query.limit is not None:
            sql += f" LIMIT {int(query.limit)}"
        self.selection = saved
        self.scopes.pop()
        return sql

    # -- expressions -------------------------------------------------------------------------

    def expr(self, e: L.Expr) -> str:
        method = getattr(self, "_" + type(e).__name__, None)
        if method is None:
            raise InternalError(f"the SQL oracle cannot render {type(e).__name__}")
        return method(e)

    def _numeric(self, e: L.Expr) -> str:
        """Booleans used as numbers count 0/1 (language §4)."""
        sql = self.expr(e)
        return f"CAST({sql} AS INTEGER)" if e.type == L.BOOL else sql

    def _ColumnRef(self, e: L.ColumnRef) -> str:  # noqa: N802
        if e.depth >= len(self.scopes) or e.source not in self.scopes[-1 - e.depth]:
            raise InternalError(f"column {e.source}.{e.column} is not in scope of the oracle's "
                                "SQL", e.span)
        return self.scopes[-1 - e.depth][e.source](e.column)

    def _Literal(self, e: L.Literal) -> str:  # noqa: N802
        v = e.value
        if v is None:
            return "NULL"
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, int):
            return str(v) if v >= 0 else f"({v})"
        if isinstance(v, float) and math.isfinite(v):
            return repr(v) if v >= 0 else f"({v!r})"
        self.values.append(v)
        marker = f"\x00{len(self.values) - 1}\x00"
        return f"CAST({marker} AS VARCHAR)" if isinstance(v, str) else marker

    def _Arithmetic(self, e: L.Arithmetic) -> str:  # noqa: N802
        left, right = self._numeric(e.left), self._numeric(e.right)
        integral = all(x.type in (L.INT, L.BOOL) for x in (e.left, e.right))
        if e.op in ("/", "%") and integral:
            return _integer_division(self.r.dialect, e.op, left, right)
        if e.op in ("/", "%"):
            return f"({left} {e.op} NULLIF({right}, 0))"
        return f"({left} {e.op} {right})"

    def _Negate(self, e: L.Negate) -> str:  # noqa: N802
        return f"(- {self._numeric(e.arg)})"

    def _Comparison(self, e: L.Comparison) -> str:  # noqa: N802
        op = "<>" if e.op == "!=" else e.op
        return f"({self.expr(e.left)} {op} {self.expr(e.right)})"

    def _BoolOp(self, e: L.BoolOp) -> str:  # noqa: N802
        return "(" + f" {e.op.upper()} ".join(self.expr(a) for a in e.args) + ")"

    def _Not(self, e: L.Not) -> str:  # noqa: N802
        return f"(NOT {self.expr(e.arg)})"

    def _IsNull(self, e: L.IsNull) -> str:  # noqa: N802
        return f"({self.expr(e.arg)} IS {'NOT ' if e.negated else ''}NULL)"

    def _Between(self, e: L.Between) -> str:  # noqa: N802
        neg = "NOT " if e.negated else ""
        return f"({self.expr(e.arg)} {neg}BETWEEN {self.expr(e.low)} AND {self.expr(e.high)})"

    def _InList(self, e: L.InList) -> str:  # noqa: N802
        items = ", ".join(self.expr(i) for i in e.items)
        return f"({self.expr(e.arg)} {'NOT ' if e.negated else ''}IN ({items}))"

    def _InSubquery(self, e: L.InSubquery) -> str:  # noqa: N802
        arg = self.expr(e.arg)
        return f"({arg} {'NOT ' if e.negated else ''}IN ({self._subquery(e.query)}))"

    def _Exists(self, e: L.Exists) -> str:  # noqa: N802
        return f"({'NOT ' if e.negated else ''}EXISTS ({self._subquery(e.query)}))"

    def _ScalarSubquery(self, e: L.ScalarSubquery) -> str:  # noqa: N802
        return f"({self._subquery(e.query)})"

    def _Case(self, e: L.Case) -> str:  # noqa: N802
        whens = " ".join(f"WHEN {self.expr(c)} THEN {self.expr(v)}" for c, v in e.whens)
        tail = f" ELSE {self.expr(e.else_)}" if e.else_ is not None else ""
        return f"(CASE {whens}{tail} END)"

    def _Cast(self, e: L.Cast) -> str:  # noqa: N802
        return f"CAST({self.expr(e.arg)} AS {e.sql_type})"

    def _FuncCall(self, e: L.FuncCall) -> str:  # noqa: N802
        args = [self.expr(a) for a in e.args]
        if e.name == "contains":
            if len(args) != 2:
                raise UnsupportedError("contains takes two arguments (array, value)", e.span)
            if self.r.dialect == DUCKDB:
                return f"list_contains({args[0]}, {args[1]})"
            if self.r.dialect == POSTGRES:
                return f"({args[1]} = ANY({args[0]}))"
            raise UnsupportedError(
                f"contains(array, x) needs array columns, which {self.r.dialect} lacks", e.span,
                construct="contains", hint="use DuckDB or PostgreSQL for programs with arrays")
        name = e.name
        if self.r.dialect == SQLITE and name in ("least", "greatest"):
            name = "min" if name == "least" else "max"  # SQLite's multi-argument scalar forms
        return f"{name.upper()}({', '.join(args)})"

    def _Aggregate(self, e: L.Aggregate) -> str:  # noqa: N802
        if id(e) in self.prepared:
            return self.prepared[id(e)]
        selection = self.selection

        def pick(x: str) -> str:
            return f"CASE WHEN {selection} THEN {x} END" if selection is not None else x

        distinct = "DISTINCT " if e.distinct else ""
        if e.name == "count":
            if e.star or not e.args:
                return f"COUNT({pick('1')})" if selection is not None else "COUNT(*)"
            return f"COUNT({distinct}{pick(self.expr(e.args[0]))})"
        if e.name in ("increasing", "capacity_constraint"):
            raise UnsupportedError(
                f"the SQL oracle evaluates {e.name} only at the top level of a constraint or "
                "view, not inside a subquery", e.span)
        arg = _single_arg(e)
        x = self.expr(arg)
        flag = f"CASE WHEN {x} THEN 1 WHEN NOT {x} THEN 0 END"
        name = e.name
        if name in ("min", "max") and arg.type == L.BOOL:
            return f"({name.upper()}({pick(flag)}) = 1)"  # NULL over an empty selection
        if name == "sum":
            return f"COALESCE(SUM({distinct}{pick(self._numeric(arg))}), 0)"
        if name == "avg":
            return f"AVG({distinct}{pick(self._numeric(arg))})"
        if name in ("min", "max"):
            return f"{name.upper()}({pick(x)})"
        if name in ("any", "bool_or"):
            return f"(COALESCE(MAX({pick(flag)}), 0) = 1)"
        if name in ("all", "bool_and"):
            return f"(COALESCE(MIN({pick(flag)}), 1) = 1)"
        if name == "all_different":
            return f"(COUNT(DISTINCT {pick(x)}) = COUNT({pick(x)}))"
        if name == "all_equal":
            return f"(COUNT(DISTINCT {pick(x)}) <= 1)"
        raise UnsupportedError(f"the SQL oracle does not know the aggregate {e.name}", e.span)


# -- helpers ----------------------------------------------------------------------------------


def _column_ref(quote: Callable[[str], str], qualified_alias: str) -> Callable[[str], str]:
    return lambda col: f"{qualified_alias}.{quote(col)}"


def _flat_ref(quote: Callable[[str], str], base: str, alias: str) -> Callable[[str], str]:
    return lambda col: f"{base}.{quote(alias + '.' + col)}"


def _single_arg(e: L.Aggregate) -> L.Expr:
    if len(e.args) != 1:
        raise UnsupportedError(f"{e.name} takes one argument in the SQL oracle, got "
                               f"{len(e.args)}", e.span)
    return e.args[0]


def _aggregates(exprs: list[L.Expr], query: L.Query) -> list[L.Aggregate]:
    """Aggregates of a statement's own level (not of its subqueries), HAVING included."""
    roots = list(exprs) + ([query.having] if query.having is not None else [])
    found: list[L.Aggregate] = []
    for root in roots:
        found.extend(a for a in find_all(root, L.Aggregate) if isinstance(a, L.Aggregate))
    return found


def _key_name(g: L.Expr, i: int, query: L.Query, multi: bool) -> str:
    if isinstance(g, L.ColumnRef) and g.depth == 0:
        return f"{g.source}.{g.column}" if multi else g.column
    for item in query.select:
        if item.expr == g:
            return item.name
    return f"group_{i + 1}"


def _integer_division(dialect: str, op: str, left: str, right: str) -> str:
    """Integer `/` and `%` truncating toward zero on every engine (language §3), by the
    database layer's dialect helpers; a zero divisor gives NULL everywhere (SQLite's
    behaviour) rather than an engine error that would abort certification."""
    divisor = f"NULLIF({right}, 0)"
    return (sql_int_div if op == "/" else sql_int_mod)(dialect, left, divisor)
