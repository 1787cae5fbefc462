"""Binding of SELECT queries in C-SQL statements (constraints, symbolic views, subqueries).

The one semantic split of the language is made here: each conjunct of WHERE and of an inner
join's ON becomes a constant or a variable qualifier. The placement rules of language §3 are
checked here too, since they depend on the clause: symbolic expressions are refused in
GROUP BY, HAVING, ORDER BY, LIMIT and with DISTINCT.
"""

from __future__ import annotations

from csql.ir import logical as L
from csql.ir.errors import CompileError, SqlTypeError

from . import ast as A
from .binder_expr import Clause, ExprBinder
from .binder_types import Scope, SourceEntry, did_you_mean, listing

WHERE = Clause("WHERE")
ON = Clause("JOIN ... ON")
SELECT = Clause("the select list", aggregates=True)
GROUP_BY = Clause("GROUP BY")
HAVING = Clause("HAVING", aggregates=True)
ORDER_BY = Clause("ORDER BY", aggregates=True)
LIMIT = Clause("LIMIT")


def conjuncts(node: A.Node) -> list[A.Node]:
    if isinstance(node, A.Logical) and node.op == "and":
        return conjuncts(node.left) + conjuncts(node.right)
    return [node]


class QueryBinder(ExprBinder):
    """Binds queries against `catalog` (statements defined so far, by name)."""

    def __init__(self, catalog: dict[str, L.Statement]) -> None:
        self.catalog = catalog

    # ------------------------------------------------------------------ relations
    def relation(self, name: str, span) -> L.Relation:
        stmt = self.catalog.get(name)
        if stmt is None:
            known = [n for n, s in self.catalog.items() if not isinstance(s, L.Constraint)]
            raise CompileError(
                f"unknown table or view '{name}'", span,
                hint=f"{did_you_mean(name, known)}defined so far: {listing(known)} "
                     "(a statement can only read relations defined before it)")
        if isinstance(stmt, L.Constraint):
            raise CompileError(f"'{name}' is a constraint, not a table or view", span,
                               hint="only tables, views and DCM intermediate views "
                                    "(CREATE CONSTRAINT without CHECK) can be read")
        return stmt

    def has_conditional_rows(self, name: str) -> bool:
        """Whether a relation's rows exist only under some assignments: an ungrouped symbolic
        view with a variable qualifier (directly or through its sources). Every aggregate over
        such a relation depends on the variables even if its argument is a constant column."""
        rel = self.catalog.get(name)
        if not isinstance(rel, L.SymbolicView) or rel.query.grouped:
            return False
        return bool(rel.query.variable_qualifiers) or any(
            self.has_conditional_rows(s.relation) for s in rel.query.sources)

    def _add_sources(self, item: A.FromNode, scope: Scope, on_conditions: list[A.Node]) -> None:
        if isinstance(item, A.TableRef):
            rel = self.relation(item.name, item.span)
            alias = item.alias or item.name
            if any(s.alias == alias for s in scope.sources):
                raise CompileError(f"'{alias}' appears twice in FROM", item.span,
                                   hint="give each occurrence its own alias (t AS a, t AS b)")
            scope.sources.append(SourceEntry(alias, rel.name, rel.columns, item.span))
        elif isinstance(item, A.Join):
            if item.kind in ("left", "right", "full"):
                raise CompileError(
                    f"{item.kind.upper()} JOIN is not supported in C-SQL statements", item.span,
                    hint="use an inner JOIN, or NOT EXISTS / a CASE for the missing side; "
                         "outer joins are allowed in data views")
            self._add_sources(item.left, scope, on_conditions)
            self._add_sources(item.right, scope, on_conditions)
            if item.on is not None:
                on_conditions.append(item.on)
        else:
            raise CompileError("a subquery in FROM is not supported in C-SQL statements",
                               item.span, hint="define it as a view and read the view")

    # ------------------------------------------------------------------ queries
    def bind_subquery(self, node: A.QueryNode, scope: Scope) -> L.Query:
        query, _ = self.bind_query(node, scope)
        return query

    def bind_query(self, node: A.QueryNode, parent: Scope | None, *,
                   where_is_predicate: bool = False,
                   symbolic_view: bool = False) -> tuple[L.Query, Scope]:
        """Bind one SELECT block. With `where_is_predicate` (Weave constraints) WHERE is left
        out and the caller binds it as the CHECK expression in the returned scope."""
        core = self._simple_core(node)
        scope = Scope(parent=parent)
        on_nodes: list[A.Node] = []
        for item in core.from_:
            self._add_sources(item, scope, on_nodes)
        constant: list[L.Expr] = []
        variable: list[L.Expr] = []
        qualifier_nodes = [(c, ON) for on in on_nodes for c in conjuncts(on)]
        if core.where is not None and not where_is_predicate:
            qualifier_nodes += [(c, WHERE) for c in conjuncts(core.where)]
        for cnode, clause in qualifier_nodes:
            bound = self.expr(cnode, scope, clause)
            self._need_predicate(bound, clause.name)
            (variable if bound.symbolic else constant).append(bound)
        scope.variable_rows = bool(variable) or any(
            self.has_conditional_rows(src.relation) for src in scope.sources)
        select = self._select_items(core, scope, symbolic_view)
        if core.distinct:
            for item in select:
                if item.expr.symbolic:
                    raise CompileError("DISTINCT over a column that reads a variable",
                                       core.span, hint="DISTINCT applies to constant columns "
                                                       "only; use a GROUP BY on constants")
        group_by = tuple(self._constant_in(g, scope, GROUP_BY) for g in core.group_by)
        having = None
        if core.having is not None:
            having = self._constant_in(core.having, scope, HAVING)
            self._need_predicate(having, "HAVING")
        order_by = tuple(L.OrderItem(self._constant_in(o.expr, scope, ORDER_BY), o.descending)
                         for o in node.order_by)
        limit = self._limit(node, scope)
        grouped = bool(group_by) or scope.found_aggregate
        sources = tuple(L.Source(s.alias, s.relation, s.span) for s in scope.sources)
        query = L.Query(sources, tuple(select),
                        tuple(constant), tuple(variable), group_by, having, order_by, limit,
                        core.distinct, grouped, node.span)
        return query, scope

    @staticmethod
    def _simple_core(node: A.QueryNode) -> A.SelectCore:
        if node.ctes:
            raise CompileError("WITH is not supported in C-SQL statements", node.span,
                               hint="define each common table as a view")
        if not isinstance(node.body, A.SelectCore):
            raise CompileError(f"{node.body.op.upper()} is not supported in C-SQL statements",
                               node.body.span,
                               hint="set operations are allowed in data views only; split the "
                                    "statement or move the constant part into a data view")
        if node.offset is not None:
            raise CompileError("OFFSET is not supported in C-SQL statements", node.offset.span)
        return node.body

    def _constant_in(self, node: A.Node, scope: Scope, clause: Clause) -> L.Expr:
        bound = self.expr(node, scope, clause)
        if bound.symbolic:
            raise CompileError(f"an expression that reads a variable is not allowed in "
                               f"{clause.name}", node.span,
                               hint=f"{clause.name} must be computable from constant columns; "
                                    "move the condition into the CHECK expression")
        return bound

    def _limit(self, node: A.QueryNode, scope: Scope) -> int | None:
        if node.limit is None:
            return None
        bound = self._constant_in(node.limit, scope, LIMIT)
        if not (isinstance(bound, L.Literal) and isinstance(bound.value, int)
                and not isinstance(bound.value, bool) and bound.value >= 0):
            raise CompileError("LIMIT needs a non-negative integer literal", node.limit.span)
        return bound.value

    @staticmethod
    def _need_predicate(e: L.Expr, where: str) -> None:
        if e.type not in (L.BOOL, L.NULLTYPE, L.ANY):
            raise SqlTypeError(f"{where} needs a boolean condition, got {e.type}", e.span,
                               hint="write a comparison, e.g. `x > 0`")

    def _select_items(self, core: A.SelectCore, scope: Scope,
                      symbolic_view: bool) -> list[L.SelectItem]:
        items: list[L.SelectItem] = []
        seen: set[str] = set()
        for position, item in enumerate(core.items, start=1):
            if isinstance(item.expr, A.StarItem):
                for ref in self._expand_star(item.expr, scope):
                    if ref.column not in seen:  # `SELECT *` over a join: the first one wins
                        seen.add(ref.column)
                        items.append(L.SelectItem(ref.column, ref, item.span))
                continue
            bound = self.expr(item.expr, scope, SELECT)
            name = item.alias or _default_name(bound, position)
            if item.alias is None and symbolic_view and bound.symbolic \
                    and not isinstance(bound, L.ColumnRef):
                raise CompileError("a computed column of a symbolic view needs an alias",
                                   item.span, hint="name it: `<expression> AS some_name`")
            if name in seen and symbolic_view:
                raise CompileError(f"column name '{name}' appears twice in the view",
                                   item.span, hint="give one of them another alias")
            seen.add(name)
            items.append(L.SelectItem(name, bound, item.span))
        return items

    @staticmethod
    def _expand_star(star: A.StarItem, scope: Scope) -> list[L.ColumnRef]:
        if star.qualifier is None:
            if not scope.sources:
                raise CompileError("SELECT * needs a FROM clause", star.span)
            sources = scope.sources
        else:
            sources = [s for s in scope.sources if s.alias == star.qualifier]
            if not sources:
                aliases = [s.alias for s in scope.sources]
                raise CompileError(f"unknown table or alias '{star.qualifier}' in "
                                   f"{star.qualifier}.*", star.span,
                                   hint=f"{did_you_mean(star.qualifier, aliases)}tables in "
                                        f"scope: {listing(aliases)}")
        return [L.ColumnRef(s.alias, c.name, s.relation, c.type,
                            c.kind in (L.VARIABLE, L.SYMBOLIC), 0, star.span)
                for s in sources for c in s.columns]


def _default_name(bound: L.Expr, position: int) -> str:
    if isinstance(bound, L.ColumnRef):
        return bound.column
    if isinstance(bound, (L.Aggregate, L.FuncCall)):
        return bound.name
    return f"column{position}"
