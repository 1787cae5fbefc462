"""Linearisation, step 4: booleans become 0/1 binaries and every constraint a linear row.

Before: integer expressions are only `Var`, `Const`, `LinearSum`, `BoolAsInt`
(`define_arithmetic`). After: every hard constraint is `Compare(op, LinearSum, Const)` with op
in `<=`, `>=`, `=` over variables (integers as `Var`, booleans as `BoolAsInt(Var)`), and every
objective term is such a `LinearSum` (`linearize_common.is_linear_row`, `linear_terms`).

* Top-level constraints are posted directly: a conjunction as its conjuncts, a comparison as
  its row, `a OR b` as `la + lb >= 1`, and `a -> (e <= 0)` half-reified as
  `e <= U·(1 - la)` with U the upper bound of e (nothing for the other direction).
* Below the top level a boolean gets a binary `b` that is fully reified:
  `b <-> e <= 0` is `e <= U(1-b)` and `e >= 1 + (L-1)·b`; `b <-> e = 0` adds two indicator
  binaries for `e <= -1` and `e >= 1` with `b + below + above = 1`; `AND`/`OR` are the usual
  inequalities over binaries; `NOT` is `1 - b`.
* `x = v` for a variable with at most `Limits.one_hot_max` values is the binary `z_{x,v}` of
  the one-hot encoding of `x` (`sum z = 1`, `x = sum v·z`), created once per variable and
  shared by every such test; a variable with a sparse domain always gets it, since that is
  what keeps it inside its domain. Wider variables use the indicator pair above.

Every big-M is taken from sound bounds and checked against `Limits.max_magnitude`.
"""

from __future__ import annotations

from csql.ir import ground as g
from csql.ir.errors import InternalError

from .linearize_common import DEFAULT_LIMITS, Limits, check_magnitude, copy_problem


class Lin:
    """sum(coefs[i] * x_i) + const over variable indices of the output problem."""

    __slots__ = ("coefs", "const")

    def __init__(self, coefs: dict[int, int] | None = None, const: int = 0) -> None:
        self.coefs = coefs or {}
        self.const = const

    def plus(self, other: Lin, scale: int = 1) -> Lin:
        coefs = dict(self.coefs)
        for i, c in other.coefs.items():
            total = coefs.get(i, 0) + scale * c
            if total:
                coefs[i] = total
            else:
                coefs.pop(i, None)
        return Lin(coefs, self.const + scale * other.const)

    def shift(self, k: int) -> Lin:
        return Lin(dict(self.coefs), self.const + k)

    def negate(self) -> Lin:
        return Lin({i: -c for i, c in self.coefs.items()}, -self.const)


ONE = Lin(const=1)
ZERO = Lin()


def _not(lit: Lin) -> Lin:
    return ONE.plus(lit, -1)


def _is_const(lin: Lin) -> bool:
    return not lin.coefs


class _Logic:
    def __init__(self, problem: g.Problem, limits: Limits) -> None:
        self.source = problem
        self.limits = limits
        self.out = copy_problem(problem)
        self.provenance = g.Provenance("linearize", "check")
        self._lin: dict[int, tuple[g.Expr, Lin]] = {}
        self._lit: dict[int, tuple[g.Expr, Lin]] = {}
        self._one_hot: dict[int, dict[int, int]] = {}

    # ---- output ---------------------------------------------------------------------------

    def row(self, lin: Lin, op: str, rhs: int) -> None:
        """Post `lin op rhs` as a normal-form row (constant rows are kept: a false one makes
        the problem infeasible, which the emitter reports without calling the solver)."""
        rhs -= lin.const
        variables = self.out.variables
        terms: list[tuple[int, g.Expr]] = []
        for i, c in sorted(lin.coefs.items()):
            check_magnitude(c, "a coefficient of the linear model", self.provenance, self.limits,
                            culprits=self.culprits(lin))
            var = variables[i]
            terms.append((c, g.BoolAsInt(var) if var.is_bool else var))
        if not terms:
            holds = {"<=": rhs >= 0, ">=": rhs <= 0, "=": rhs == 0}[op]
            if holds:
                return
        check_magnitude(rhs, "a right-hand side of the linear model", self.provenance,
                        self.limits)
        self.out.add(g.Compare(op, g.LinearSum(tuple(terms)), g.Const(rhs)), self.provenance)

    def new_bool(self, purpose: str) -> Lin:
        var = self.out.new_var(f"_{purpose}{len(self.out.variables)}", is_bool=True,
                               origin=("", (), purpose))
        return Lin({var.index: 1})

    def bounds(self, lin: Lin) -> tuple[int, int]:
        lo = hi = lin.const
        for i, c in lin.coefs.items():
            v = self.out.variables[i]
            a, b = (v.values[0], v.values[-1]) if v.values else (v.lb, v.ub)
            lo += min(c * a, c * b)
            hi += max(c * a, c * b)
        return lo, hi

    def culprits(self, d: Lin) -> tuple[g.Var, ...]:
        return tuple(self.out.variables[i] for i in d.coefs)

    def implied_le(self, lit: Lin, d: Lin) -> None:
        """lit = 1 -> d <= 0, as d + U·lit <= U (U = upper bound of d)."""
        hi = self.bounds(d)[1]
        if hi <= 0:
            return
        check_magnitude(hi, "a big-M constant", self.provenance, self.limits, construct="big-M",
                        culprits=self.culprits(d))
        self.row(d.plus(lit, hi), "<=", hi)

    def implied_ge(self, lit: Lin, d: Lin) -> None:
        """lit = 1 -> d >= 0, as d + L·lit >= L (L = lower bound of d)."""
        lo = self.bounds(d)[0]
        if lo >= 0:
            return
        check_magnitude(lo, "a big-M constant", self.provenance, self.limits, construct="big-M",
                        culprits=self.culprits(d))
        self.row(d.plus(lit, lo), ">=", lo)

    # ---- integer expressions --------------------------------------------------------------

    def lin(self, e: g.Expr) -> Lin:
        if e.is_bool:
            return self.literal(e)
        hit = self._lin.get(id(e))
        if hit is not None:
            return hit[1]
        if isinstance(e, g.Var):
            result = Lin({e.index: 1})
        elif isinstance(e, g.Const):
            result = Lin(const=int(e.value))
        elif isinstance(e, g.LinearSum):
            result = Lin(const=e.constant)
            for c, t in e.terms:
                result = result.plus(self.lin(t), c)
        elif isinstance(e, g.BoolAsInt):
            result = self.literal(e.arg)
        else:
            raise InternalError(
                f"linearize_logic received a {type(e).__name__}, which define_arithmetic "
                f"should have replaced", hint="this is a bug in csql's linearisation passes")
        self._lin[id(e)] = (e, result)
        return result

    # ---- one-hot encodings ----------------------------------------------------------------

    def one_hot(self, var: g.Var) -> dict[int, int] | None:
        """value -> index of the binary `var = value`, or None if the domain is too wide."""
        found = self._one_hot.get(var.index)
        if found is not None:
            return found
        values = var.values if var.values is not None else range(var.lb, var.ub + 1)
        if var.values is None and len(values) > self.limits.one_hot_max:
            return None
        table = {v: next(iter(self.new_bool(f"{var.name}_is_").coefs)) for v in values}
        self._one_hot[var.index] = table
        self.row(Lin(dict.fromkeys(table.values(), 1)), "=", 1)
        pin = Lin({var.index: 1})
        for v, b in table.items():
            if v:
                pin = pin.plus(Lin({b: 1}), -v)
        self.row(pin, "=", 0)
        return table

    def single_var_value(self, d: Lin) -> tuple[g.Var, int | None] | None:
        """For d = c·x + k over one integer variable: (x, the value with d = 0 or None)."""
        if len(d.coefs) != 1:
            return None
        ((i, c),) = d.coefs.items()
        var = self.out.variables[i]
        if var.is_bool:
            return None
        value = -d.const // c if -d.const % c == 0 else None
        return var, value

    def equals_literal(self, d: Lin) -> Lin:
        """A binary (or constant) equivalent to d = 0."""
        lo, hi = self.bounds(d)
        if lo > 0 or hi < 0:
            return ZERO
        if lo == hi == 0:
            return ONE
        single = self.single_var_value(d)
        if single is not None:
            var, value = single
            table = self.one_hot(var)
            if table is not None:
                return Lin({table[value]: 1}) if value in table else ZERO
        b = self.new_bool("eq")
        self.implied_le(b, d)
        self.implied_ge(b, d)
        parts = b
        if lo < 0:
            below = self.new_bool("lt")
            self.implied_le(below, d.shift(1))
            parts = parts.plus(below)
        if hi > 0:
            above = self.new_bool("gt")
            self.implied_ge(above, d.shift(-1))
            parts = parts.plus(above)
        self.row(parts, "=", 1)
        return b

    # ---- boolean expressions --------------------------------------------------------------

    def difference(self, e: g.Compare) -> tuple[str, Lin]:
        """(op, d) with `e` equivalent to `d op 0`, op in <=, =, !=."""
        d = self.lin(e.left).plus(self.lin(e.right), -1)
        if e.op == "<":
            return "<=", d.shift(1)
        if e.op == ">=":
            return "<=", d.negate()
        if e.op == ">":
            return "<=", d.negate().shift(1)
        return e.op, d

    def literal(self, e: g.Expr) -> Lin:
        hit = self._lit.get(id(e))
        if hit is not None:
            return hit[1]
        result = self._literal(e)
        self._lit[id(e)] = (e, result)
        return result

    def _literal(self, e: g.Expr) -> Lin:  # noqa: C901 - one flat dispatch
        if isinstance(e, g.Const):
            return ONE if e.value else ZERO
        if isinstance(e, g.Var):
            return Lin({e.index: 1})
        if isinstance(e, g.Not):
            return _not(self.literal(e.arg))
        if isinstance(e, g.And):
            return self.conjunction([self.literal(a) for a in e.args])
        if isinstance(e, g.Or):
            return self.disjunction([self.literal(a) for a in e.args])
        if isinstance(e, g.Implies):
            return self.disjunction([_not(self.literal(e.antecedent)),
                                     self.literal(e.consequent)])
        if isinstance(e, g.IfThenElse):
            c = self.literal(e.cond)
            return self.disjunction([self.conjunction([c, self.literal(e.then)]),
                                     self.conjunction([_not(c), self.literal(e.else_)])])
        if isinstance(e, g.Compare):
            op, d = self.difference(e)
            if op == "<=":
                lo, hi = self.bounds(d)
                if hi <= 0:
                    return ONE
                if lo > 0:
                    return ZERO
                b = self.new_bool("le")
                self.implied_le(b, d)
                self.implied_ge(_not(b), d.shift(-1))
                return b
            eq = self.equals_literal(d)
            return eq if op == "=" else _not(eq)
        raise InternalError(
            f"linearize_logic received a {type(e).__name__}, which decompose_globals should "
            f"have replaced", hint="this is a bug in csql's linearisation passes")

    def conjunction(self, lits: list[Lin]) -> Lin:
        if any(_is_const(x) and x.const == 0 for x in lits):
            return ZERO
        lits = [x for x in lits if not _is_const(x)]
        if not lits:
            return ONE
        if len(lits) == 1:
            return lits[0]
        b = self.new_bool("and")
        total = ZERO
        for x in lits:
            self.row(b.plus(x, -1), "<=", 0)
            total = total.plus(x)
        self.row(b.plus(total, -1), ">=", 1 - len(lits))
        return b

    def disjunction(self, lits: list[Lin]) -> Lin:
        if any(_is_const(x) and x.const == 1 for x in lits):
            return ONE
        lits = [x for x in lits if not _is_const(x)]
        if not lits:
            return ZERO
        if len(lits) == 1:
            return lits[0]
        b = self.new_bool("or")
        total = ZERO
        for x in lits:
            self.row(b.plus(x, -1), ">=", 0)
            total = total.plus(x)
        self.row(b.plus(total, -1), "<=", 0)
        return b

    # ---- posting ----------------------------------------------------------------------------

    def post(self, e: g.Expr, lit: Lin = ONE) -> None:
        """Post `lit -> e` (half-reification); `lit` is ONE at the top level."""
        if _is_const(lit) and lit.const == 0:
            return
        if isinstance(e, g.Const):
            if not e.value:
                self.row(lit, "<=", 0)
        elif isinstance(e, g.And):
            for a in e.args:
                self.post(a, lit)
        elif isinstance(e, g.Implies):
            self.post(e.consequent, self.conjunction([lit, self.literal(e.antecedent)]))
        elif isinstance(e, g.Or):
            total = ZERO
            for a in e.args:
                total = total.plus(self.literal(a))
            self.row(total.plus(lit, -1), ">=", 0)
        elif isinstance(e, g.Not) and isinstance(e.arg, g.Compare):
            negated = {"=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
            self.post(g.Compare(negated[e.arg.op], e.arg.left, e.arg.right), lit)
        elif isinstance(e, g.Compare):
            self.post_compare(e, lit)
        else:
            self.row(self.literal(e).plus(lit, -1), ">=", 0)

    def post_compare(self, e: g.Compare, lit: Lin) -> None:
        op, d = self.difference(e)
        top = _is_const(lit)
        if op == "<=":
            if top:
                self.row(d, "<=", 0)
            else:
                self.implied_le(lit, d)
        elif op == "=":
            if top:
                self.row(d, "=", 0)
            else:
                self.implied_le(lit, d)
                self.implied_ge(lit, d)
        else:  # !=: one side or the other, chosen by a binary, under lit
            lo, hi = self.bounds(d)
            if lo > 0 or hi < 0:
                return
            single = self.single_var_value(d)
            if single is not None and self.one_hot(single[0]) is not None:
                eq = self.equals_literal(d)
                self.row(eq.plus(lit), "<=", 1)
                return
            below = self.new_bool("ne")
            self.implied_le(self.conjunction([lit, below]), d.shift(1))
            self.implied_ge(self.conjunction([lit, _not(below)]), d.shift(-1))

    def run(self) -> g.Problem:
        for var in self.source.variables:
            if var.values is None or var.is_bool:
                continue
            self.provenance = g.Provenance("domain", "domain", (("variable", var.name),))
            if not var.values:
                self.row(ZERO, ">=", 1)  # an empty domain: no solution at all
            elif len(var.values) < var.values[-1] - var.values[0] + 1:
                self.one_hot(var)  # the bounds alone would admit the holes
        for c in self.source.constraints:
            self.provenance = c.provenance
            self.post(c.expr)
        for t in self.source.objective:
            self.provenance = t.provenance
            lin = self.lin(t.expr)
            terms = []
            for i, coef in sorted(lin.coefs.items()):
                check_magnitude(coef, "an objective coefficient", t.provenance, self.limits)
                var = self.out.variables[i]
                terms.append((coef, g.BoolAsInt(var) if var.is_bool else var))
            self.out.maximize(g.LinearSum(tuple(terms), lin.const), t.provenance)
        return self.out


def linearize_logic(problem: g.Problem, limits: Limits = DEFAULT_LIMITS) -> g.Problem:
    """Before: only linear integer expressions. After: every constraint is a linear row over
    integer variables and 0/1 binaries, every objective term a linear sum."""
    return _Logic(problem, limits).run()
