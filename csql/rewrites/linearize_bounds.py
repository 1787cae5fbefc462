"""Bounds for linearisation: interval arithmetic over ground expressions, and the pass that
refuses variables without usable bounds.

Every big-M, every auxiliary variable's domain and every one-hot encoding of the later passes
comes from these intervals, so they must be sound (the true value always lies inside) though
not necessarily tight. Integer division and remainder follow SQL truncation.
"""

from __future__ import annotations

from csql.ir import ground as g
from csql.ir.errors import UnsupportedError

from .linearize_common import (
    DEFAULT_LIMITS,
    DEFAULT_RANGE,
    Limits,
    column_of,
    span_of,
    variables_in,
    where,
)


def trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


class Intervals:
    """[lo, hi] of integer expressions (booleans: [0, 1] unless constant), memoised by node."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[g.Expr, tuple[int, int]]] = {}

    def __call__(self, e: g.Expr) -> tuple[int, int]:
        hit = self._memo.get(id(e))
        if hit is not None:
            return hit[1]
        result = self._compute(e)
        self._memo[id(e)] = (e, result)
        return result

    def _compute(self, e: g.Expr) -> tuple[int, int]:  # noqa: C901 - one flat dispatch
        if isinstance(e, g.Var):
            if e.values is not None:
                return (e.values[0], e.values[-1]) if e.values else (0, 0)
            return e.lb, e.ub
        if isinstance(e, g.Const):
            return int(e.value), int(e.value)
        if isinstance(e, g.LinearSum):
            lo = hi = e.constant
            for c, t in e.terms:
                a, b = self(t)
                lo += min(c * a, c * b)
                hi += max(c * a, c * b)
            return lo, hi
        if isinstance(e, g.Product):
            (a, b), (c, d) = self(e.left), self(e.right)
            corners = (a * c, a * d, b * c, b * d)
            return min(corners), max(corners)
        if isinstance(e, g.Div):
            a, b = self(e.numerator)
            q1, q2 = trunc_div(a, e.divisor), trunc_div(b, e.divisor)
            return min(q1, q2), max(q1, q2)
        if isinstance(e, g.Mod):
            a, b = self(e.dividend)
            m = abs(e.divisor) - 1
            lo = 0 if a >= 0 else max(a, -m)
            hi = 0 if b <= 0 else min(b, m)
            return lo, hi
        if isinstance(e, g.Abs):
            a, b = self(e.arg)
            if a >= 0:
                return a, b
            if b <= 0:
                return -b, -a
            return 0, max(-a, b)
        if isinstance(e, g.Min):
            bounds = [self(x) for x in e.args]
            return min(x[0] for x in bounds), min(x[1] for x in bounds)
        if isinstance(e, g.Max):
            bounds = [self(x) for x in e.args]
            return max(x[0] for x in bounds), max(x[1] for x in bounds)
        if isinstance(e, g.IfThenElse) and not e.is_bool:
            (a, b), (c, d) = self(e.then), self(e.else_)
            cond = self(e.cond)
            if cond == (1, 1):
                return a, b
            if cond == (0, 0):
                return c, d
            return min(a, c), max(b, d)
        if isinstance(e, g.Element):
            a, b = self(e.index)
            valid = e.values[max(a, 0):max(b + 1, 0)] or e.values
            return min(valid), max(valid)
        if isinstance(e, g.BinLoad):
            lo = hi = 0
            for d in e.demands:
                a, b = self(d)
                lo += min(a, 0)
                hi += max(b, 0)
            return lo, hi
        if isinstance(e, g.BoolAsInt):
            return self(e.arg)
        if e.is_bool:
            return 0, 1
        raise TypeError(f"not a ground-IR expression: {type(e).__name__}")


def values_of(e: g.Expr, intervals: Intervals, cap: int) -> tuple[int, ...] | None:
    """The values `e` can take (a superset), or None when there are more than `cap`."""
    if isinstance(e, g.Var) and e.values is not None:
        return e.values if len(e.values) <= cap else None
    lo, hi = intervals(e)
    if hi - lo + 1 > cap:
        return None
    return tuple(range(lo, hi + 1))


def require_bounds(problem: g.Problem, limits: Limits = DEFAULT_LIMITS) -> g.Problem:
    """Before: any ground problem. After (the same problem): every integer variable has a
    finite domain no wider than 32 bits or `limits.max_magnitude`, whichever is larger;
    otherwise `UnsupportedError` names the variable and a statement that uses it.

    A variable with only the grounder's default range passes here: a MIP takes it as a
    bounded column as long as it is used linearly. Where a later pass needs its bounds (a
    big-M, an auxiliary's domain, a one-hot encoding), the magnitude check there refuses it
    and says that the column needs a bound of its own."""
    allowed = max(DEFAULT_RANGE, limits.max_magnitude)
    wide = [v for v in problem.variables if _too_wide(v, allowed)]
    if not wide:
        return problem
    var = wide[0]
    provenance = _first_use(problem, var)
    lo, hi = (var.values[0], var.values[-1]) if var.values else (var.lb, var.ub)
    raise UnsupportedError(
        f"variable {var.name} ranges over [{lo}, {hi}], wider than the ILP backend accepts "
        f"for numerical safety (|bound| <= {allowed}){where(provenance)}",
        span_of(provenance), backend="ilp", construct="numeric range",
        hint=f"bound the column with a constraint such as `CHECK ({column_of(var)} BETWEEN 0 "
             f"AND 1000)`, scale the data, or use the cpsat backend (exact int64 arithmetic)")


def _too_wide(var: g.Var, allowed: int) -> bool:
    if var.is_bool:
        return False
    lo, hi = (var.values[0], var.values[-1]) if var.values else (var.lb, var.ub)
    if var.values is not None and not var.values:
        return False
    return max(abs(lo), abs(hi)) > allowed


def _first_use(problem: g.Problem, var: g.Var) -> g.Provenance | None:
    for item in [*problem.constraints, *problem.objective]:
        if any(v is var for v in variables_in(item.expr)):
            return item.provenance
    return None
