"""Desugaring: negated and range forms become the few core forms the grounder evaluates.

Before: any bound program. After: no `Between` remains, and no `InList`, `InSubquery` or
`Exists` has `negated=True` (each became `Not(...)` of the positive form). SQL three-valued
logic is preserved exactly: `x BETWEEN a AND b` is `x >= a AND x <= b` in SQL, and
`x NOT IN (...)` is `NOT (x IN (...))`.
"""

from __future__ import annotations

import dataclasses

from csql.ir import logical as L

from .common import rewrite_program


def _desugar_node(node: L.Expr) -> L.Expr:
    if isinstance(node, L.Between):
        sym_low = node.arg.symbolic or node.low.symbolic
        sym_high = node.arg.symbolic or node.high.symbolic
        both = L.BoolOp(
            "and",
            (
                L.Comparison(">=", node.arg, node.low, symbolic=sym_low, span=node.span),
                L.Comparison("<=", node.arg, node.high, symbolic=sym_high, span=node.span),
            ),
            symbolic=node.symbolic,
            span=node.span,
        )
        return L.Not(both, symbolic=node.symbolic, span=node.span) if node.negated else both
    if isinstance(node, (L.InList, L.InSubquery, L.Exists)) and node.negated:
        positive = dataclasses.replace(node, negated=False)
        return L.Not(positive, symbolic=node.symbolic, span=node.span)
    return node


def desugar(program: L.Program, ctx: object = None) -> L.Program:
    """BETWEEN -> two comparisons; NOT IN / NOT EXISTS -> NOT of the positive form."""
    return rewrite_program(program, _desugar_node)
