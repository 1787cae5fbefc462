"""Posting hard constraints into a CP-SAT model, each under a list of enforcement literals.

`post(encoder, e, enforce)` adds `and(enforce) => e`. With no enforcement literal (a plain
top-level constraint) nothing is reified: a comparison is one linear constraint, a conjunction
posts its parts, a disjunction is one bool_or, all_different and table use CP-SAT's native
constraints. Under enforcement literals (a half-reified `Implies`, or an assumption literal
during core extraction) every piece is a bool_or, bool_and or linear constraint carrying
those literals, the only kinds CP-SAT lets be enforced; all_different and table are then
decomposed (see `CpSatEncoder.decompose`). A constraint posted as several CP-SAT constraints
gives each of them the same literals, so an assumption literal stands for the whole of it.
"""

from __future__ import annotations

from typing import Any

from csql.ir import ground as g

from .cpsat_encode import CpSatEncoder, Literal
from .cpsat_linear import NEGATED_OP, decide


def post(enc: CpSatEncoder, e: g.Expr, enforce: tuple[Literal, ...] = ()) -> None:  # noqa: C901
    """Add `and(enforce) => e` to the encoder's model."""
    if isinstance(e, g.Const):
        if not e.value:
            post_false(enc, enforce)
    elif isinstance(e, g.And):
        for arg in e.args:
            post(enc, arg, enforce)
    elif isinstance(e, g.Or):
        post_clause(enc, [enc.literal(a) for a in e.args], enforce)
    elif isinstance(e, g.Not):
        post_negation(enc, e.arg, enforce)
    elif isinstance(e, g.Implies):
        conjuncts = e.antecedent.args if isinstance(e.antecedent, g.And) else (e.antecedent,)
        lits = [enc.literal(a) for a in conjuncts]
        if any(lit is False for lit in lits):
            return
        post(enc, e.consequent, enforce + tuple(lit for lit in lits if lit is not True))
    elif isinstance(e, g.Compare):
        post_compare(enc, e.op, e.left, e.right, enforce)
    elif isinstance(e, g.InSet):
        post_in_set(enc, e, enforce)
    elif isinstance(e, g.AllDifferent) and not enforce:
        args = [enc.linear(a) for a in e.args]
        if len(args) > 1:
            enc.model.add_all_different([enc.affine(a) for a in args])
    elif isinstance(e, g.Table) and not enforce:
        if not e.rows:
            post_false(enc, enforce)
        elif e.args:
            exprs = [enc.affine(enc.linear(a)) for a in e.args]
            enc.model.add_allowed_assignments(exprs, [tuple(row) for row in e.rows])
    elif isinstance(e, (g.AllDifferent, g.AllEqual, g.Increasing, g.Table, g.BinPacking)):
        post(enc, enc.decompose(e), enforce)
    else:
        post_clause(enc, [enc.literal(e)], enforce)


def post_false(enc: CpSatEncoder, enforce: tuple[Literal, ...]) -> None:
    """`and(enforce) => false`: with no literal the model is infeasible."""
    enc.model.add_bool_or([~lit for lit in enforce])


def post_clause(enc: CpSatEncoder, lits: list[Literal], enforce: tuple[Literal, ...]) -> None:
    if any(lit is True for lit in lits):
        return
    lits = [lit for lit in lits if lit is not False]
    if not lits:
        post_false(enc, enforce)
        return
    enc.model.add_bool_or(lits).only_enforce_if(list(enforce))


def post_negation(enc: CpSatEncoder, e: g.Expr, enforce: tuple[Literal, ...]) -> None:
    """`and(enforce) => not e`, pushing the negation inward where that avoids reification."""
    if isinstance(e, g.Not):
        post(enc, e.arg, enforce)
    elif isinstance(e, g.Compare):
        post_compare(enc, NEGATED_OP[e.op], e.left, e.right, enforce)
    elif isinstance(e, g.Or):
        for arg in e.args:
            post_negation(enc, arg, enforce)
    elif isinstance(e, g.Implies):
        post(enc, e.antecedent, enforce)
        post_negation(enc, e.consequent, enforce)
    else:
        lit = enc.literal(e)
        post_clause(enc, [(not lit) if isinstance(lit, bool) else ~lit], enforce)


def post_compare(enc: CpSatEncoder, op: str, left: g.Expr, right: g.Expr,
                 enforce: tuple[Literal, ...]) -> None:
    diff = enc.lin.difference(enc.linear(left), enc.linear(right))
    decided = decide(op, diff.lo, diff.hi)
    if decided is True:
        return
    if decided is False:
        post_false(enc, enforce)
        return
    constraint: Any = enc.relation(diff, op)
    enc.model.add(constraint).only_enforce_if(list(enforce))


def post_in_set(enc: CpSatEncoder, e: g.InSet, enforce: tuple[Literal, ...]) -> None:
    x = enc.linear(e.arg)
    inside = [v for v in e.values if x.lo <= v <= x.hi]
    if x.is_constant:
        if x.constant not in inside:
            post_false(enc, enforce)
        return
    if not inside:
        post_false(enc, enforce)
        return
    domain = enc.cp.Domain.from_values(inside)
    enc.model.add_linear_expression_in_domain(enc.expr(x), domain).only_enforce_if(
        list(enforce))
