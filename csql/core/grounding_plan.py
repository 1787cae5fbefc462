"""Query plans: which SQL fetches the constant part of a statement, and where each value lands.

A query's FROM items are split into *components*: sources connected by constant qualifiers
form one component, fetched by one SQL query with those qualifiers as WHERE. Sources that only
a variable qualifier connects (`pods.controllable__node = nodes.name`) stay in separate
components and are fetched separately, so neither SQL nor Python ever builds their cross
product unless the statement's meaning needs every pair.

While the symbolic part of a statement is compiled, every constant value it needs is
registered as a *slot*: a column of one component's SELECT (a plain column, a constant
sub-expression rendered to SQL, or the `__csql_row` ordinal naming a row's variable cells).
SQL is generated after compilation, once all slots are known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from csql.ir import logical as L
from csql.ir import traverse

from .relations import ROW, SqlRenderer

if TYPE_CHECKING:
    from .grounding import Grounder

PLAIN = "plain"  # a relation without variable cells, read as it is
CELLS = "cells"  # a table or data view with variable cells, read from its snapshot
VIEW = "view"  # a symbolic view, read from the table the grounder materialised


@dataclass(slots=True)
class SourceInfo:
    source: L.Source
    relation: L.Relation
    kind: str
    component: int = 0


@dataclass(slots=True)
class Component:
    index: int
    sources: list[L.Source]
    qualifiers: list[L.Expr] = field(default_factory=list)
    slot_keys: dict[object, int] = field(default_factory=dict)
    slot_sql: list[tuple[str, list[object]]] = field(default_factory=list)
    order_sql: list[tuple[str, list[object]]] = field(default_factory=list)
    rows: list[tuple] | None = None


def level_refs(expr: L.Expr, nesting: int = 0) -> tuple[set[str], bool, bool]:
    """(aliases of this query level read by expr, whether it reads an enclosing query,
    whether it contains an aggregate of this level). Subqueries are entered."""
    aliases: set[str] = set()
    outer = False
    has_agg = False
    for node in traverse.walk(expr):
        if isinstance(node, L.ColumnRef):
            if node.depth == nesting:
                aliases.add(node.source)
            elif node.depth > nesting:
                outer = True
        elif isinstance(node, L.Aggregate) and nesting == 0:
            has_agg = True
        sub = traverse.subquery_of(node)
        if sub is not None:
            for e in traverse.query_exprs(sub):
                a, o, _ = level_refs(e, nesting + 1)
                aliases |= a
                outer |= o
    return aliases, outer, has_agg


class QueryPlan:
    """The fetch plan of one query (a statement's, or a subquery's at `level` > 0)."""

    def __init__(self, grounder: Grounder, query: L.Query, level: int = 0,
                 parent: QueryPlan | None = None) -> None:
        self.grounder = grounder
        self.query = query
        self.level = level
        self.parent = parent
        self.sources: dict[str, SourceInfo] = {}
        for s in query.sources:
            rel = grounder.program.relation(s.relation)
            if isinstance(rel, L.SymbolicView):
                kind = VIEW
            elif s.relation in grounder.relations:
                kind = CELLS
            else:
                kind = PLAIN
            self.sources[s.alias] = SourceInfo(s, rel, kind)
        self.correlated: list[L.Expr] = []  # constant qualifiers that read an outer query
        self.components = self._components()

    def _components(self) -> list[Component]:
        parent = {a: a for a in self.sources}

        def find(a: str) -> str:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        local: list[tuple[L.Expr, set[str]]] = []
        for q in self.query.constant_qualifiers:
            aliases, outer, _ = level_refs(q)
            if outer:
                self.correlated.append(q)
                continue
            local.append((q, aliases))
            items = sorted(aliases)
            for other in items[1:]:
                parent[find(other)] = find(items[0])
        groups: dict[str, list[L.Source]] = {}
        for s in self.query.sources:
            groups.setdefault(find(s.alias), []).append(s)
        comps = [Component(i, srcs) for i, srcs in enumerate(groups.values())]
        if not comps:
            comps = [Component(0, [])]
        for c in comps:
            for s in c.sources:
                self.sources[s.alias].component = c.index
        for q, aliases in local:
            target = self.sources[next(iter(aliases))].component if aliases else 0
            comps[target].qualifiers.append(q)
        return comps

    # -- slots ---------------------------------------------------------------------------

    def _renderer(self) -> SqlRenderer:
        return SqlRenderer(self.grounder.db, self.grounder.table_of)

    def _slot(self, comp: int, key: object, render: object) -> tuple[int, int]:
        c = self.components[comp]
        pos = c.slot_keys.get(key)
        if pos is None:
            r = self._renderer()
            sql = render(r)  # type: ignore[operator]
            pos = len(c.slot_sql)
            c.slot_keys[key] = pos
            c.slot_sql.append((sql, r.params))
        return comp, pos

    def column_slot(self, alias: str, column: str) -> tuple[int, int]:
        comp = self.sources[alias].component
        return self._slot(comp, ("col", alias, column),
                          lambda r: r.column(self.level, alias, column))

    def row_slot(self, alias: str) -> tuple[int, int]:
        return self.column_slot(alias, ROW)

    def expr_slot(self, expr: L.Expr, aliases: set[str]) -> tuple[int, int]:
        comp = self.sources[next(iter(aliases))].component if aliases else 0
        return self._slot(comp, ("expr", expr), lambda r: r.expr(expr, self.level))

    def component_of(self, aliases: set[str]) -> set[int]:
        return {self.sources[a].component for a in aliases}

    # -- SQL and fetching ----------------------------------------------------------------

    def _order(self, comp: Component) -> list[tuple[str, list[object]]]:
        """Deterministic row order: the query's ORDER BY where it reads only this component,
        then each source's primary key (or snapshot ordinal). `increasing` relies on it."""
        order: list[tuple[str, list[object]]] = []
        mine = {s.alias for s in comp.sources}
        for item in self.query.order_by:
            aliases, outer, _ = level_refs(item.expr)
            if aliases <= mine and not outer:
                r = self._renderer()
                text = r.expr(item.expr, self.level) + (" DESC" if item.descending else "")
                order.append((text, r.params))
        for s in comp.sources:
            info = self.sources[s.alias]
            if info.kind in (CELLS, VIEW):
                order.append((self._renderer().column(self.level, s.alias, ROW), []))
            elif isinstance(info.relation, L.Table) and info.relation.primary_key:
                for k in info.relation.primary_key:
                    order.append((self._renderer().column(self.level, s.alias, k), []))
        return order

    def sql(self, comp: Component, extra_where: list[tuple[str, list[object]]] = ()
            ) -> tuple[str, list[object]]:
        params: list[object] = []
        items = []
        for text, p in comp.slot_sql:
            items.append(text)
            params.extend(p)
        if not items:
            items = ["1"]
        sql = "SELECT " + ", ".join(items)
        r = self._renderer()
        if comp.sources:
            sql += " FROM " + ", ".join(r.source(self.level, s) for s in comp.sources)
        where = [r.expr(q, self.level) for q in comp.qualifiers]
        params.extend(r.params)
        for text, p in extra_where:
            where.append(text)
            params.extend(p)
        if where:
            sql += " WHERE " + " AND ".join(where)
        order = self._order(comp)
        if order:
            sql += " ORDER BY " + ", ".join(t for t, _ in order)
            for _, p in order:
                params.extend(p)
        return sql, params

    def fetch(self) -> list[list[tuple]]:
        """The rows of every component (fetched once per plan)."""
        out = []
        for comp in self.components:
            if comp.rows is None:
                comp.rows = self.grounder.run_sql(*self.sql(comp))
            out.append(comp.rows)
        return out
