"""Traversal of logical-IR expressions, written once and derived from the dataclass fields,
so a new node type needs no traversal code.

`children` yields expression children (not into subqueries unless asked); `walk` is pre-order;
`rewrite` rebuilds bottom-up and returns the very same object when nothing changed, so passes
are copy-on-write and unchanged subtrees stay shared.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

from . import logical as L

_EXPR_TYPES = (
    L.ColumnRef, L.Literal, L.Arithmetic, L.Negate, L.Comparison, L.BoolOp, L.Not, L.IsNull,
    L.Between, L.InList, L.InSubquery, L.Exists, L.ScalarSubquery, L.Case, L.Cast, L.FuncCall,
    L.Aggregate,
)


def is_expr(value: object) -> bool:
    return isinstance(value, _EXPR_TYPES)


def _expr_fields(node: object) -> list[str]:
    return [f.name for f in dataclasses.fields(node) if f.name != "span"]  # type: ignore[arg-type]


def children(node: L.Expr) -> Iterator[L.Expr]:
    """Direct expression children; CASE pairs are flattened; subqueries are not entered."""
    for name in _expr_fields(node):
        value = getattr(node, name)
        if is_expr(value):
            yield value
        elif isinstance(value, tuple):
            for item in value:
                if is_expr(item):
                    yield item
                elif isinstance(item, tuple):
                    yield from (x for x in item if is_expr(x))


def query_exprs(query: L.Query) -> Iterator[L.Expr]:
    """Every top-level expression of a query (select, qualifiers, group by, having, order)."""
    for item in query.select:
        yield item.expr
    yield from query.constant_qualifiers
    yield from query.variable_qualifiers
    yield from query.group_by
    if query.having is not None:
        yield query.having
    for o in query.order_by:
        yield o.expr


def subquery_of(node: L.Expr) -> L.Query | None:
    return getattr(node, "query", None) if isinstance(
        node, (L.InSubquery, L.Exists, L.ScalarSubquery)) else None


def walk(node: L.Expr, *, into_subqueries: bool = False) -> Iterator[L.Expr]:
    """Pre-order walk over an expression tree."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        kids = list(children(current))
        if into_subqueries:
            sub = subquery_of(current)
            if sub is not None:
                kids.extend(query_exprs(sub))
        stack.extend(reversed(kids))


def find_all(node: L.Expr, kind: type | tuple[type, ...], *,
             into_subqueries: bool = False) -> list[L.Expr]:
    return [n for n in walk(node, into_subqueries=into_subqueries) if isinstance(n, kind)]


def rewrite(node: L.Expr, fn: Callable[[L.Expr], L.Expr],
            memo: dict[int, L.Expr] | None = None) -> L.Expr:
    """Apply `fn` bottom-up. `fn` receives a node whose children are already rewritten and
    returns a replacement or the node itself. Subqueries are not entered."""
    if memo is None:
        memo = {}
    key = id(node)
    if key in memo:
        return memo[key]
    changes = {}
    for name in _expr_fields(node):
        value = getattr(node, name)
        if is_expr(value):
            new = rewrite(value, fn, memo)
            if new is not value:
                changes[name] = new
        elif isinstance(value, tuple) and value:
            new_items = []
            changed = False
            for item in value:
                if is_expr(item):
                    new_item = rewrite(item, fn, memo)
                elif isinstance(item, tuple):
                    new_item = tuple(rewrite(x, fn, memo) if is_expr(x) else x for x in item)
                    if all(a is b for a, b in zip(new_item, item)):
                        new_item = item
                else:
                    new_item = item
                changed |= new_item is not item
                new_items.append(new_item)
            if changed:
                changes[name] = tuple(new_items)
    rebuilt = dataclasses.replace(node, **changes) if changes else node
    result = fn(rebuilt)
    memo[key] = result
    return result
