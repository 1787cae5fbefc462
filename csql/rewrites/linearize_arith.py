"""Linearisation, step 3: non-linear integer operators become auxiliary variables defined by
top-level constraints over comparisons and connectives.

Before: no globals (`decompose_globals`). After: every integer-valued expression is a `Var`,
`Const`, `LinearSum` or `BoolAsInt`; `Product`, `Div`, `Mod`, `Abs`, `Min`, `Max` and integer
`IfThenElse` are gone. Each removed operator is a total function of its arguments, so its
auxiliary variable is defined unconditionally (at the top level), whatever context the
operator appeared in; the definition pins the auxiliary to exactly the operator's value,
which keeps the solutions of the new problem in one-to-one correspondence with the old.

* `b * x` (one factor boolean or 0/1) is `IF b THEN x ELSE 0`; `x * y` with a factor of at
  most `Limits.product_expand_max` values is expanded over those values; any other product is
  refused (a general integer product is not linear, and binary expansion is not done here).
* `x / d` and `x % d` share one quotient `q` and remainder `r`: `x = d*q + r`,
  `|r| <= |d| - 1`, and `r` has the sign of `x` (`x >= 0 -> r >= 0`, `x < 0 -> r <= 0`),
  which is exactly SQL's truncation toward zero.
* `abs`, `min`, `max` get an auxiliary with one-sided bounds and a disjunction naming the
  argument it equals; `IF c THEN t ELSE e` gets `c -> y = t` and `NOT c -> y = e`.
"""

from __future__ import annotations

from csql.ir import ground as g
from csql.ir.errors import UnsupportedError

from .linearize_bounds import Intervals, trunc_div, values_of
from .linearize_common import DEFAULT_LIMITS, Limits, ProblemRewrite, span_of, where


def _neg(e: g.Expr) -> g.Expr:
    return g.LinearSum(((-1, e),))


class _Arithmetic(ProblemRewrite):
    def __init__(self, problem: g.Problem, limits: Limits) -> None:
        super().__init__(problem, limits)
        self.intervals = Intervals()
        self._division: dict[tuple[int, int], tuple[g.Expr, g.Var, g.Var]] = {}

    def visit(self, e: g.Expr) -> g.Expr:
        if isinstance(e, g.Product):
            return self.product(e.left, e.right)
        if isinstance(e, (g.Div, g.Mod)):
            x = e.numerator if isinstance(e, g.Div) else e.dividend
            q, r = self.division(x, e.divisor)
            return q if isinstance(e, g.Div) else r
        if isinstance(e, g.Abs):
            return self.absolute(e.arg)
        if isinstance(e, (g.Min, g.Max)):
            return self.extremum(e)
        if isinstance(e, g.IfThenElse) and not e.is_bool:
            return self.if_then_else(e.cond, e.then, e.else_)
        return e

    def product(self, left: g.Expr, right: g.Expr) -> g.Expr:
        for a, b in ((left, right), (right, left)):
            if isinstance(a, g.Const):
                return g.LinearSum(((int(a.value), b),))
        for a, b in ((left, right), (right, left)):
            if isinstance(a, g.BoolAsInt):
                return self.if_then_else(a.arg, b, g.Const(0))
            lo, hi = self.intervals(a)
            if lo >= 0 and hi <= 1:
                return self.if_then_else(g.Compare("=", a, g.Const(1)), b, g.Const(0))
        cap = self.limits.product_expand_max
        options = [(vals, a, b) for a, b in ((left, right), (right, left))
                   if (vals := values_of(a, self.intervals, cap)) is not None]
        if not options:
            raise UnsupportedError(
                f"a product of two integer expressions whose domains both have more than "
                f"{cap} values is not linear{where(self.provenance)}",
                span_of(self.provenance), backend="ilp", construct="var_times_var",
                hint="bound one factor to a few values, or use the cpsat, minizinc or smt "
                     "backend")
        values, a, b = min(options, key=lambda o: len(o[0]))
        lo, hi = self.intervals(g.Product(a, b))
        y = self.aux("product", lo, hi, source=g.Product(a, b))
        for v in values:
            self.define(g.Implies(g.Compare("=", a, g.Const(v)),
                                  g.Compare("=", y, g.LinearSum(((v, b),)))))
        return y

    def division(self, x: g.Expr, d: int) -> tuple[g.Expr, g.Expr]:
        key = (id(x), d)
        hit = self._division.get(key)
        if hit is not None:
            return hit[1], hit[2]
        lo, hi = self.intervals(x)
        q_lo, q_hi = sorted((trunc_div(lo, d), trunc_div(hi, d)))
        m = abs(d) - 1
        q = self.aux("quotient", q_lo, q_hi, source=x)
        r = self.aux("remainder", 0 if lo >= 0 else -m, 0 if hi <= 0 else m, source=x)
        self.define(g.Compare("=", x, g.LinearSum(((d, q), (1, r)))))
        if lo < 0 < hi:  # otherwise r's domain already has the sign of x
            nonneg = g.Compare(">=", x, g.Const(0))
            self.define(g.Implies(nonneg, g.Compare(">=", r, g.Const(0))))
            self.define(g.Implies(g.Not(nonneg), g.Compare("<=", r, g.Const(0))))
        self._division[key] = (x, q, r)
        return q, r

    def absolute(self, x: g.Expr) -> g.Expr:
        lo, hi = self.intervals(x)
        if lo >= 0:
            return x
        if hi <= 0:
            return _neg(x)
        y = self.aux("abs", 0, max(-lo, hi), source=x)
        # with y >= 0, y is x or -x exactly when y = |x|
        self.define(g.Or((g.Compare("=", y, x), g.Compare("=", y, _neg(x)))))
        return y

    def extremum(self, e: g.Min | g.Max) -> g.Expr:
        if len(e.args) == 1:
            return e.args[0]
        lo, hi = self.intervals(e)
        y = self.aux("min" if isinstance(e, g.Min) else "max", lo, hi, source=e)
        bound, reach = ("<=", ">=") if isinstance(e, g.Min) else (">=", "<=")
        for a in e.args:
            self.define(g.Compare(bound, y, a))
        self.define(g.Or(tuple(g.Compare(reach, y, a) for a in e.args)))
        return y

    def if_then_else(self, cond: g.Expr, then: g.Expr, else_: g.Expr) -> g.Expr:
        if isinstance(cond, g.Const):
            return then if cond.value else else_
        node = g.IfThenElse(cond, then, else_)
        lo, hi = self.intervals(node)
        y = self.aux("ite", lo, hi, source=node)
        self.define(g.Implies(cond, g.Compare("=", y, then)))
        self.define(g.Implies(g.Not(cond), g.Compare("=", y, else_)))
        return y


def define_arithmetic(problem: g.Problem, limits: Limits = DEFAULT_LIMITS) -> g.Problem:
    """Before: no globals. After: integer expressions are only `Var`, `Const`, `LinearSum`
    and `BoolAsInt`; each non-linear operator is an auxiliary variable pinned to its value by
    top-level constraints."""
    return _Arithmetic(problem, limits).run()
