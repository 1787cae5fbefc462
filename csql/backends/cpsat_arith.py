"""The integer operators of the CP-SAT encoding that need an auxiliary variable: product,
division, modulo, abs, min/max, if-then-else, element, and bin loads off the bulk path.

Each is a total function of its arguments, defined once by an unconditional CP-SAT
constraint (see `cpsat_encode`'s module doc for why that is sound in every context). Kept
apart from `CpSatEncoder` so that the encoder module stays about one job: dispatching
expressions to linear forms and literals."""

from __future__ import annotations

from typing import Any

from csql.ir import ground as g

from . import cpsat_bulk
from .cpsat_linear import Lin, trunc_div


class ArithmeticEncoding:
    """Mixed into `CpSatEncoder`, which provides `model`, `lin`, `cp`, `aux`, `expr`,
    `affine`, `linear`, `literal`, `lin_of_literal` and `eq_literal`."""

    model: Any
    lin: Any
    cp: Any

    def _product(self, a: Lin, b: Lin) -> Lin:
        if a.is_constant:
            return self.lin.scale(b, a.constant)
        if b.is_constant:
            return self.lin.scale(a, b.constant)
        corners = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
        var, result = self.aux(min(corners), max(corners), ("product", a, b))
        self.model.add_multiplication_equality(var, [self.expr(a), self.expr(b)])
        return result

    def _div(self, a: Lin, divisor: int) -> Lin:
        if a.is_constant:
            return self.lin.constant(trunc_div(a.constant, divisor))
        if divisor == 1:
            return a
        ends = sorted((trunc_div(a.lo, divisor), trunc_div(a.hi, divisor)))
        var, result = self.aux(ends[0], ends[1], ("div", a, divisor))
        # CP-SAT's int_div truncates toward zero, as SQL does (checked in the tests).
        self.model.add_division_equality(var, self.expr(a), divisor)
        return result

    def _mod(self, a: Lin, divisor: int) -> Lin:
        m = abs(divisor)  # x % -m == x % m under truncation; CP-SAT wants a positive modulus
        if a.is_constant:
            return self.lin.constant(a.constant - m * trunc_div(a.constant, m))
        if m == 1:
            return self.lin.constant(0)
        lo = 0 if a.lo >= 0 else max(a.lo, -(m - 1))
        hi = 0 if a.hi <= 0 else min(a.hi, m - 1)
        var, result = self.aux(lo, hi, ("mod", a, m))
        # CP-SAT's int_mod gives the remainder the sign of the dividend, as SQL does.
        self.model.add_modulo_equality(var, self.expr(a), m)
        return result

    def _abs(self, a: Lin) -> Lin:
        if a.lo >= 0:
            return a
        if a.hi <= 0:
            return self.lin.scale(a, -1)
        var, result = self.aux(0, max(-a.lo, a.hi), ("abs", a))
        self.model.add_abs_equality(var, self.expr(a))
        return result

    def _min_max(self, e: g.Min | g.Max) -> Lin:
        args = [self.linear(a) for a in e.args]
        if len(args) == 1:
            return args[0]
        pick = min if isinstance(e, g.Min) else max
        if all(a.is_constant for a in args):
            return self.lin.constant(pick(a.constant for a in args))
        var, result = self.aux(pick(a.lo for a in args), pick(a.hi for a in args),
                               ("min" if pick is min else "max", args))
        post = self.model.add_min_equality if pick is min else self.model.add_max_equality
        # one variable per argument: CP-SAT's presolve of lin_max over long sums (e.g. bin
        # loads of thousands of items) took minutes and ignored the time limit
        post(var, [self.affine(a) for a in args])
        return result

    def _if_then_else_int(self, e: g.IfThenElse) -> Lin:
        cond = self.literal(e.cond)
        if isinstance(cond, bool):
            return self.linear(e.then if cond else e.else_)
        then, other = self.linear(e.then), self.linear(e.else_)
        if then.is_constant and other.is_constant:
            # else + (then - else) * cond: stays linear, no auxiliary variable
            return self.lin.combine(
                [(then.constant - other.constant, self.lin_of_literal(cond))], other.constant)
        var, result = self.aux(min(then.lo, other.lo), max(then.hi, other.hi),
                               ("ite", cond, then, other))
        self.model.add(var == self.expr(then)).only_enforce_if(cond)
        self.model.add(var == self.expr(other)).only_enforce_if(~cond)
        return result

    def _element(self, e: g.Element) -> Lin:
        index = self.linear(e.index)
        first, last = max(index.lo, 0), min(index.hi, len(e.values) - 1)
        if first > last:
            self.model.add_bool_or([])  # no index inside the array: infeasible everywhere
            return self.lin.constant(0)
        if first == last and index.is_constant:
            return self.lin.constant(e.values[first])
        reachable = e.values[first:last + 1]
        var, result = self.aux(min(reachable), max(reachable), ("element", index, e.values))
        self.model.add_element(self.affine(index), list(e.values), var)
        return result

    def _bin_load(self, e: g.BinLoad) -> Lin:
        fast = cpsat_bulk.bin_load(self, e)
        if fast is not None:
            return fast
        # Accumulates coefficients directly: bin loads over thousands of items are the
        # hot path of grounded capacity constraints.
        coefs: dict[int, int] = {}
        constant = 0
        for item, demand in zip(e.assignment, e.demands):
            lit = self.eq_literal(self.linear(item), e.bin)
            if lit is False:
                continue
            d = (self.lin.constant(int(demand.value)) if isinstance(demand, g.Const)
                 else self.linear(demand))
            if lit is not True and not d.is_constant:
                var, share = self.aux(min(0, d.lo), max(0, d.hi),
                                      ("ite", lit, d, self.lin.constant(0)))
                self.model.add(var == self.expr(d)).only_enforce_if(lit)
                self.model.add(var == 0).only_enforce_if(~lit)
                lit, d = True, share
            if lit is True:
                constant += d.constant
                for v, c in d.coefs:
                    coefs[v] = coefs.get(v, 0) + c
            elif isinstance(lit, self.cp.IntVar):
                coefs[lit.index] = coefs.get(lit.index, 0) + d.constant
            else:  # a negated literal counts as 1 - base
                base = (~lit).index
                constant += d.constant
                coefs[base] = coefs.get(base, 0) - d.constant
        return self.lin.make(coefs, constant)
