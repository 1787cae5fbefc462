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
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..ir import logical as L
from ..ir.errors import InternalError, UnsupportedError
from ..ir.traverse import find_all
from .oracle_expr import ExpressionRenderer, single_arg

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


class _Builder(ExpressionRenderer):
    """State of rendering one statement: its CTEs, scopes and string parameters."""

    def __init__(self, renderer: StatementRenderer) -> None:
        self.r = renderer
        self.dialect = renderer.dialect
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
            current = self.expr(single_arg(agg))
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


# -- helpers ----------------------------------------------------------------------------------


def _column_ref(quote: Callable[[str], str], qualified_alias: str) -> Callable[[str], str]:
    return lambda col: f"{qualified_alias}.{quote(col)}"


def _flat_ref(quote: Callable[[str], str], base: str, alias: str) -> Callable[[str], str]:
    return lambda col: f"{base}.{quote(alias + '.' + col)}"


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
