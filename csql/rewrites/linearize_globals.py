"""Linearisation, step 2: global constraints, `Element` and `InSet` become comparisons, sums
of `x == v` indicators and boolean connectives.

Before: bounded variables (`require_bounds`). After: no `AllDifferent`, `AllEqual`,
`Increasing`, `BinPacking`, `BinLoad`, `Table`, `Element` or `InSet` remains. Each
replacement is equivalent to the global it replaces under every assignment (not only at the
top level), so it is sound under reification too. `Element` is the one exception by design:
an index outside the array is infeasible everywhere (the ground IR's rule), so its range is
posted as a top-level constraint beside the sum that replaces it.

The `x == v` tests are plain `Compare` nodes; `linearize_logic` turns those over one variable
into the shared one-hot binaries of that variable, so bin packing, bin loads, all-different,
table and element over the same variable all share one encoding.
"""

from __future__ import annotations

import itertools

from csql.ir import ground as g

from .linearize_bounds import Intervals, values_of
from .linearize_common import DEFAULT_LIMITS, Limits, ProblemRewrite


def _eq(x: g.Expr, v: int) -> g.Expr:
    return g.Compare("=", x, g.Const(v))


def _indicator(x: g.Expr, v: int) -> g.Expr:
    return g.BoolAsInt(_eq(x, v))


class _Globals(ProblemRewrite):
    def __init__(self, problem: g.Problem, limits: Limits) -> None:
        super().__init__(problem, limits)
        self.intervals = Intervals()

    def can_take(self, x: g.Expr, v: int) -> bool:
        if isinstance(x, g.Var) and x.values is not None:
            return v in x.values
        lo, hi = self.intervals(x)
        return lo <= v <= hi

    def visit(self, e: g.Expr) -> g.Expr:  # noqa: C901 - one flat dispatch
        if isinstance(e, g.InSet):
            return g.Or(tuple(_eq(e.arg, v) for v in e.values if self.can_take(e.arg, v)))
        if isinstance(e, g.Element):
            n = len(e.values)
            index = e.index
            lo, hi = self.intervals(index)
            if lo < 0 or hi > n - 1:
                self.define(g.Or(tuple(_eq(index, i) for i in range(n)
                                       if self.can_take(index, i))))
            return g.LinearSum(tuple((value, _indicator(index, i))
                                     for i, value in enumerate(e.values)
                                     if value and self.can_take(index, i)))
        if isinstance(e, g.AllEqual):
            return g.And(tuple(g.Compare("=", a, b) for a, b in zip(e.args, e.args[1:])))
        if isinstance(e, g.Increasing):
            return g.And(tuple(g.Compare("<=", a, b) for a, b in zip(e.args, e.args[1:])))
        if isinstance(e, g.AllDifferent):
            return self.all_different(e.args)
        if isinstance(e, g.BinPacking):
            parts: list[g.Expr] = [g.Or(tuple(_eq(a, b) for b in e.bins if self.can_take(a, b)))
                                   for a in e.assignment]
            for b, capacity in zip(e.bins, e.capacities):
                load = tuple((d, _indicator(a, b)) for a, d in zip(e.assignment, e.demands)
                             if d and self.can_take(a, b))
                if sum(d for d, _ in load) > capacity:
                    parts.append(g.Compare("<=", g.LinearSum(load), g.Const(capacity)))
            return g.And(tuple(parts))
        if isinstance(e, g.BinLoad):
            terms: list[tuple[int, g.Expr]] = []
            for a, d in zip(e.assignment, e.demands):
                if not self.can_take(a, e.bin):
                    continue
                if isinstance(d, g.Const):
                    if d.value:
                        terms.append((int(d.value), _indicator(a, e.bin)))
                else:
                    terms.append((1, g.IfThenElse(_eq(a, e.bin), d, g.Const(0))))
            return g.LinearSum(tuple(terms))
        if isinstance(e, g.Table):
            rows = [row for row in e.rows
                    if all(self.can_take(a, v) for a, v in zip(e.args, row))]
            return g.Or(tuple(g.And(tuple(_eq(a, v) for a, v in zip(e.args, row)))
                              for row in dict.fromkeys(rows)))
        return e

    def all_different(self, args: tuple[g.Expr, ...]) -> g.Expr:
        """One-hot per value (each value used at most once) when the values are few, else
        pairwise `!=` (each needs only two indicator binaries)."""
        cap = self.limits.one_hot_max
        domains = [values_of(a, self.intervals, cap) for a in args]
        if all(d is not None for d in domains):
            union = sorted({v for d in domains for v in d})  # type: ignore[union-attr]
            if len(union) <= cap:
                parts = []
                for v in union:
                    users = [a for a, d in zip(args, domains) if v in d]  # type: ignore[operator]
                    if len(users) > 1:
                        parts.append(g.Compare("<=", g.LinearSum(
                            tuple((1, _indicator(a, v)) for a in users)), g.Const(1)))
                return g.And(tuple(parts))
        return g.And(tuple(g.Compare("!=", a, b) for a, b in itertools.combinations(args, 2)))


def decompose_globals(problem: g.Problem, limits: Limits = DEFAULT_LIMITS) -> g.Problem:
    """Before: bounded variables. After: no global constraint, `Element` or `InSet` remains;
    `x == v` indicators stand for assignments to values, to be shared by `linearize_logic`."""
    return _Globals(problem, limits).run()
