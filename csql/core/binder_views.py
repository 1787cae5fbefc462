"""Views the database evaluates (data views): classification and column inference.

A `CREATE VIEW` that reads no variable column is handed to the database verbatim, so it may
use any SQL the database has (set operations, WITH, window and array functions). csql only
needs to know whether it reads a variable, which relations it reads, and the names and types
of its columns; those are inferred syntactically, and a column whose type cannot be inferred
is ANY.
"""

from __future__ import annotations

import dataclasses

from csql.ir import logical as L
from csql.ir.errors import CompileError

from . import ast as A
from .binder_query import SELECT, QueryBinder
from .binder_types import Scope, SourceEntry


def _children(node: object) -> list[object]:
    """Syntax-tree children of any node (fields that are nodes or tuples of them)."""
    out: list[object] = []
    if not dataclasses.is_dataclass(node):
        return out
    for f in dataclasses.fields(node):
        if f.name == "span":
            continue
        value = getattr(node, f.name)
        if isinstance(value, tuple):
            for v in value:
                if isinstance(v, tuple):
                    out.extend(x for x in v if dataclasses.is_dataclass(x))
                elif dataclasses.is_dataclass(v):
                    out.append(v)
        elif dataclasses.is_dataclass(value):
            out.append(value)
    return out


def walk(node: object):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(_children(current)))


def read_relations(query: A.QueryNode) -> list[A.TableRef]:
    """Every table reference of the query (also in subqueries), except to its own CTEs."""
    cte_names = {c.name for n in walk(query) if isinstance(n, A.QueryNode) for c in n.ctes}
    return [n for n in walk(query) if isinstance(n, A.TableRef) and n.name not in cte_names]


def _reads(rel: L.Relation) -> set[str]:
    return {c.name for c in rel.columns if c.kind in (L.VARIABLE, L.SYMBOLIC)}


def reads_variables(query: A.QueryNode, binder: QueryBinder) -> bool:
    """Whether the view's text reads a variable or symbolic column of a relation it uses.

    Syntactic on purpose: it only has to separate views the database can evaluate from views
    csql must evaluate, and a name that matches a variable column of a relation the view
    reads is enough to send the view to the strict C-SQL binder."""
    refs = read_relations(query)
    variable_by_alias: dict[str, set[str]] = {}
    for ref in refs:
        rel = binder.relation(ref.name, ref.span)
        if isinstance(rel, L.SymbolicView):
            # the database cannot evaluate a symbolic view at all (and whether one of its rows
            # exists may depend on variables), so whatever reads it is symbolic too (§2)
            return True
        variable_by_alias[ref.alias or ref.name] = _reads(rel)
    if not any(variable_by_alias.values()):
        return False
    every_variable = set().union(*variable_by_alias.values())
    for node in walk(query):
        if isinstance(node, A.ColumnName):
            parts = node.parts[-2:]
            if len(parts) == 2 and parts[0] in variable_by_alias:
                if parts[1] in variable_by_alias[parts[0]]:
                    return True
            elif parts[-1] in every_variable:
                return True
        elif isinstance(node, A.StarItem) and (
                node.qualifier is None or variable_by_alias.get(node.qualifier)):
            return True
    return False


def infer_columns(view: A.CreateView, binder: QueryBinder
                  ) -> list[tuple[str, str, object, tuple[str, str] | None]]:
    """(name, logical type, span, origin) of each column of a data view, as far as it can be
    known. The origin is (base table, column) when the view is a plain projection of one base
    table, which is what lets a solution write the view's variable columns back."""
    body = view.query.body
    projection = not isinstance(body, A.SetOperation) and not view.query.ctes
    while isinstance(body, A.SetOperation):
        body = body.left
    cte_names = {c.name for c in view.query.ctes}
    scope = Scope()
    complete = True
    for item in body.from_:
        complete &= _add_known_sources(item, scope, binder, cte_names)
    base: L.Table | None = None
    if (projection and len(body.from_) == 1 and isinstance(body.from_[0], A.TableRef)
            and not body.group_by and not body.distinct and body.having is None):
        rel = binder.relation(body.from_[0].name, body.from_[0].span)
        base = rel if isinstance(rel, L.Table) else None

    def origin_of(expr: object) -> tuple[str, str] | None:
        if base is None or not isinstance(expr, A.ColumnName):
            return None
        column = expr.parts[-1]
        return (base.name, column) if base.column(column) is not None else None

    columns: list[tuple[str, str, object, tuple[str, str] | None]] = []
    for position, item in enumerate(body.items, start=1):
        if isinstance(item.expr, A.StarItem):
            sources = [s for s in scope.sources
                       if item.expr.qualifier in (None, s.alias)]
            if not complete and item.expr.qualifier is None:
                raise CompileError(
                    "cannot tell the columns of `*` over a subquery or common table", item.span,
                    hint="list the columns explicitly in the view's select list")
            if item.expr.qualifier is not None and not sources:
                raise CompileError(f"cannot tell the columns of {item.expr.qualifier}.*",
                                   item.span, hint="list the columns explicitly")
            names = {n for n, _, _, _ in columns}
            for s in sources:
                for c in s.columns:
                    if c.name not in names:
                        names.add(c.name)
                        origin = (base.name, c.name) if base is not None else None
                        columns.append((c.name, c.type, item.span, origin))
            continue
        try:
            bound = binder.expr(item.expr, scope, SELECT)
            type_ = bound.type
        except CompileError:
            type_ = L.ANY
        columns.append((item.alias or _name_of(item.expr, view, position), type_, item.span,
                        origin_of(item.expr)))
    return columns


def _add_known_sources(item: A.FromNode, scope: Scope, binder: QueryBinder,
                       cte_names: set[str]) -> bool:
    if isinstance(item, A.Join):
        left = _add_known_sources(item.left, scope, binder, cte_names)
        return _add_known_sources(item.right, scope, binder, cte_names) and left
    if isinstance(item, A.TableRef) and item.name not in cte_names:
        rel = binder.relation(item.name, item.span)
        scope.sources.append(SourceEntry(item.alias or item.name, rel.name, rel.columns,
                                         item.span))
        return True
    return False


def _name_of(expr: A.Node, view: A.CreateView, position: int) -> str:
    if isinstance(expr, A.ColumnName):
        return expr.parts[-1]
    if isinstance(expr, A.FunctionCall):
        return expr.name
    return f"column{position}"
