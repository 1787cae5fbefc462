"""Helpers shared by the logical passes: applying an expression rewrite to every expression of
a program, subqueries included, copy-on-write (unchanged statements stay the same objects)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from csql.ir import logical as L
from csql.ir import traverse

ExprFn = Callable[[L.Expr], L.Expr]


def rewrite_expr(expr: L.Expr, fn: ExprFn) -> L.Expr:
    """`fn` bottom-up over `expr`, also inside the queries of subquery expressions."""

    def visit(node: L.Expr) -> L.Expr:
        if isinstance(node, (L.InSubquery, L.Exists, L.ScalarSubquery)):
            query = rewrite_query(node.query, fn)
            if query is not node.query:
                node = dataclasses.replace(node, query=query)
        return fn(node)

    return traverse.rewrite(expr, visit)


def rewrite_query(query: L.Query, fn: ExprFn) -> L.Query:
    changes: dict[str, object] = {}

    def many(exprs: tuple[L.Expr, ...]) -> tuple[L.Expr, ...]:
        new = tuple(rewrite_expr(e, fn) for e in exprs)
        return exprs if all(a is b for a, b in zip(new, exprs)) else new

    select = tuple(
        item if (e := rewrite_expr(item.expr, fn)) is item.expr
        else dataclasses.replace(item, expr=e)
        for item in query.select
    )
    if any(a is not b for a, b in zip(select, query.select)):
        changes["select"] = select
    for name in ("constant_qualifiers", "variable_qualifiers", "group_by"):
        old = getattr(query, name)
        new = many(old)
        if new is not old:
            changes[name] = new
    if query.having is not None:
        having = rewrite_expr(query.having, fn)
        if having is not query.having:
            changes["having"] = having
    order = tuple(
        o if (e := rewrite_expr(o.expr, fn)) is o.expr else dataclasses.replace(o, expr=e)
        for o in query.order_by
    )
    if any(a is not b for a, b in zip(order, query.order_by)):
        changes["order_by"] = order
    return dataclasses.replace(query, **changes) if changes else query


def rewrite_program(program: L.Program, fn: ExprFn) -> L.Program:
    """Apply `fn` to every expression of every constraint and symbolic view."""
    out: list[L.Statement] = []
    changed = False
    for s in program.statements:
        new: L.Statement = s
        if isinstance(s, L.Constraint):
            query = rewrite_query(s.query, fn)
            expr = rewrite_expr(s.expr, fn)
            if query is not s.query or expr is not s.expr:
                new = dataclasses.replace(s, query=query, expr=expr)
        elif isinstance(s, L.SymbolicView):
            query = rewrite_query(s.query, fn)
            if query is not s.query:
                new = dataclasses.replace(s, query=query)
        changed |= new is not s
        out.append(new)
    return program.replace(tuple(out)) if changed else program


def conjuncts(expr: L.Expr) -> list[L.Expr]:
    """The top-level AND terms of an expression."""
    if isinstance(expr, L.BoolOp) and expr.op == "and":
        out: list[L.Expr] = []
        for a in expr.args:
            out.extend(conjuncts(a))
        return out
    return [expr]
