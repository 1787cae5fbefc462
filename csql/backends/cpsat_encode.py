"""Translation of a ground problem into a CP-SAT model.

Three entry points per expression, one per context it can appear in:

* `linear(e)`  an integer expression as a bounded linear form (`Lin`); non-linear operators
  (product, division, modulo, abs, min, max, element, if-then-else) get one auxiliary variable
  defined by an unconditional CP-SAT constraint. These operators are total functions of their
  arguments, so defining them unconditionally is sound in any context (the one exception,
  `Element` with an index outside the array, is infeasible everywhere, as the ground IR says).
* `literal(e)` a boolean expression as a fully reified literal (`l <=> e`), or a Python bool
  when bounds already decide it.
* `post(e, enforce)` a hard constraint `enforce[0] and ... => e`. Top-level constraints have
  no enforcement literal and become plain CP-SAT constraints; a top-level `Implies` is
  half-reified by moving its antecedent into `enforce`; unsat-core extraction passes one
  assumption literal per constraint.

CP-SAT takes enforcement literals only on bool_or, bool_and and linear constraints (its
proto documentation; or-tools issues #1602, #1703), so everything posted under enforcement is
built from those, and the globals without enforcement support (all_different, table) are
posted natively only at the top level and decomposed otherwise. Bin packing is always
per-bin linear sums over the shared `x == v` literals: unlike the cumulative encoding it
takes a different capacity per bin directly, accepts enforcement literals, and shares its
literals with `BinLoad` and equality comparisons.

Translations are memoised by `id(node)` for the lifetime of one encoder (ground expressions
are shared DAGs); the memo also holds the node, so an id cannot be reused by a temporary
decomposition node while the encoder lives.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from typing import Any

from csql.ir import ground as g
from csql.ir.errors import InternalError

from . import cpsat_bulk
from .cpsat_arith import ArithmeticEncoding
from .cpsat_linear import NEGATED_OP, Lin, LinearBuilder, check_magnitude, decide

Literal = Any  # a CP-SAT literal (IntVar of a boolean, or its negation) or a Python bool


class OutOfTime(Exception):
    """Emission reached the deadline of the solve; the backend answers UNKNOWN."""


class CpSatEncoder(ArithmeticEncoding):
    """Builds one CP-SAT model from one ground problem."""

    def __init__(self, problem: g.Problem, deadline: float | None = None) -> None:
        from ortools.sat.python import cp_model

        self.cp = cp_model
        self.problem = problem
        self.deadline = deadline
        self.model = cp_model.CpModel()
        # value literals encoded a whole domain at a time (see cpsat_bulk)
        self.blocks: dict[int, cpsat_bulk.Block] = {}
        self._literal_blocks: list[tuple[int, int]] = []  # (first, end) of each block, sorted
        self._bool_template: Any = None
        # how each auxiliary CP-SAT variable follows from earlier ones, to complete hints
        self.definitions: dict[int, tuple] = {}
        # values v of variable x whose `x == v` literal was made one by one (before a block)
        self.reified_values: dict[int, list[int]] = {}
        self.lin = LinearBuilder()
        self.vars: list[Any] = []  # CP-SAT variable per ground Var.index
        self._cp_vars: list[Any] = []  # CP-SAT variable per CP-SAT index
        self._is_literal: set[int] = set()  # CP-SAT indices created as boolean variables
        self._sparse: dict[int, frozenset[int]] = {}  # CP-SAT index -> sparse domain
        self._memo: dict[int, tuple[object, object]] = {}
        self._eq_cache: dict[tuple, Literal] = {}
        self._materialised: dict[tuple, Any] = {}
        self._create_variables()

    # ---- variables ------------------------------------------------------------------------

    def _new_int(self, lo: int, hi: int, name: str = "") -> Any:
        what = f"variable {name}" if name else "an intermediate result"
        check_magnitude(lo, what)
        check_magnitude(hi, what)
        var = self.model.new_int_var(lo, hi, name)
        self._track(var, lo, hi)
        return var

    def new_bool(self, name: str = "") -> Any:
        var = self.model.new_bool_var(name)
        if var.index == len(self._cp_vars):  # the usual case, kept cheap: literals abound
            self._cp_vars.append(var)
            self.lin.lo.append(0)
            self.lin.hi.append(1)
        else:
            self._track(var, 0, 1)
        self._is_literal.add(var.index)
        return var

    def cp_var(self, index: int) -> Any:
        """The CP-SAT variable with this CP-SAT (not ground) index (literals of a block get
        their Python object on first use)."""
        var = self._cp_vars[index]
        if var is None:
            var = self._cp_vars[index] = self.cp.IntVar(self.model.proto, index)
        return var

    def is_literal(self, index: int) -> bool:
        if index in self._is_literal:
            return True
        k = bisect_right(self._literal_blocks, (index, 2**63)) - 1
        return k >= 0 and index < self._literal_blocks[k][1]

    def sparse_domain(self, index: int) -> frozenset[int] | None:
        return self._sparse.get(index)

    def bool_template(self) -> Any:
        """An unnamed [0, 1] variable proto, copied for each literal of a block."""
        if self._bool_template is None:
            scratch = self.cp.CpModel()  # kept alive with the template it owns
            scratch.new_bool_var("")
            self._bool_template = (scratch, scratch.proto.variables[0])
        return self._bool_template[1]

    def register_literals(self, first: int, count: int) -> None:
        """Record `count` literals appended to the proto from index `first` on."""
        assert first == len(self._cp_vars), "blocks are appended at the end"
        self._cp_vars.extend([None] * count)
        self.lin.lo.extend([0] * count)
        self.lin.hi.extend([1] * count)
        self._literal_blocks.append((first, first + count))

    def cached(self, key: tuple) -> Any:
        hit = self._materialised.get(key)
        return None if hit is None else hit[0]

    def cache(self, key: tuple, value: Any, keep: object) -> None:
        """Memoise by ids of IR tuples; `keep` holds them so an id is not reused meanwhile."""
        self._materialised[key] = (value, keep)

    def check_time(self) -> None:
        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise OutOfTime

    def _track(self, var: Any, lo: int, hi: int) -> None:
        self.lin.register(var.index, lo, hi)
        while len(self._cp_vars) <= var.index:
            self._cp_vars.append(None)
        self._cp_vars[var.index] = var

    def _create_variables(self) -> None:
        for v in self.problem.variables:
            if v.is_bool:
                var = self.new_bool(v.name)
            elif v.values is not None or v.lb > v.ub:
                values = v.values if v.values is not None else ()
                if not values:
                    # an empty domain: the problem has no solution at all
                    var = self._new_int(0, 0, v.name)
                    self.model.add_bool_or([])
                else:
                    check_magnitude(values[0], f"a value of {v.name}")
                    check_magnitude(values[-1], f"a value of {v.name}")
                    domain = self.cp.Domain.from_values(list(values))
                    var = self.model.new_int_var_from_domain(domain, v.name)
                    self._track(var, values[0], values[-1])
                    if len(values) < values[-1] - values[0] + 1:
                        self._sparse[var.index] = frozenset(values)
            else:
                var = self._new_int(v.lb, v.ub, v.name)
            self.vars.append(var)

    # ---- conversions between literals, Lin and OR-Tools expressions ------------------------

    def lin_of_literal(self, lit: Literal) -> Lin:
        if isinstance(lit, bool):
            return self.lin.constant(int(lit))
        if isinstance(lit, self.cp.IntVar):
            return self.lin.var(lit.index)
        base = ~lit
        return self.lin.make({base.index: -1}, 1)

    def expr(self, lin: Lin) -> Any:
        """The OR-Tools linear expression (or int) of a `Lin`."""
        if not lin.coefs:
            return lin.constant
        if len(lin.coefs) == 1 and lin.coefs[0][1] == 1 and lin.constant == 0:
            return self.cp_var(lin.coefs[0][0])
        return self.cp.LinearExpr.weighted_sum(
            [self.cp_var(v) for v, _ in lin.coefs], [c for _, c in lin.coefs]
        ) + lin.constant

    def affine(self, lin: Lin) -> Any:
        """An affine OR-Tools expression (at most one variable) equal to `lin`, for the
        constraints whose arguments must be affine (all_different, element, table)."""
        if len(lin.coefs) <= 1:
            return self.expr(lin)
        key = (lin.coefs, lin.constant)
        var = self._materialised.get(key)
        if var is None:
            var, _ = self.aux(lin.lo, lin.hi, ("lin", lin))
            self.model.add(var == self.expr(lin))
            self._materialised[key] = var
        return var

    def aux(self, lo: int, hi: int, definition: tuple) -> tuple[Any, Lin]:
        """A fresh integer variable and its `Lin`; `definition` says how its value follows
        from earlier variables (see `cpsat_bulk.complete_hint`)."""
        var = self._new_int(lo, hi)
        self.definitions[var.index] = definition
        return var, self.lin.var(var.index)

    # ---- integer expressions --------------------------------------------------------------

    def linear(self, e: g.Expr) -> Lin:
        if e.is_bool:
            return self.lin_of_literal(self.literal(e))
        hit = self._memo.get(id(e))
        if hit is not None and hit[1] is not None:
            return hit[1]  # type: ignore[return-value]
        result = self._linear(e)
        self._memo[id(e)] = (e, result)
        return result

    def _linear(self, e: g.Expr) -> Lin:  # noqa: C901 - one dispatch over node types
        lb = self.lin
        if isinstance(e, g.Var):
            return lb.var(self.vars[e.index].index)
        if isinstance(e, g.Const):
            return lb.constant(int(e.value))
        if isinstance(e, g.LinearSum):
            return lb.combine([(c, self.linear(t)) for c, t in e.terms], e.constant)
        if isinstance(e, g.Product):
            return self._product(self.linear(e.left), self.linear(e.right))
        if isinstance(e, g.Div):
            return self._div(self.linear(e.numerator), e.divisor)
        if isinstance(e, g.Mod):
            return self._mod(self.linear(e.dividend), e.divisor)
        if isinstance(e, g.Abs):
            return self._abs(self.linear(e.arg))
        if isinstance(e, (g.Min, g.Max)):
            return self._min_max(e)
        if isinstance(e, g.BoolAsInt):
            return self.lin_of_literal(self.literal(e.arg))
        if isinstance(e, g.IfThenElse):
            return self._if_then_else_int(e)
        if isinstance(e, g.Element):
            return self._element(e)
        if isinstance(e, g.BinLoad):
            return self._bin_load(e)
        raise InternalError(f"CP-SAT encoder: {type(e).__name__} is not an integer expression")

    # ---- boolean expressions --------------------------------------------------------------

    def eq_literal(self, x: Lin, value: int) -> Literal:
        """A literal for `x == value`, created once per (variable, value) and shared by every
        comparison, bin load and table row that asks for it."""
        coefs = x.coefs
        if not coefs:
            return x.constant == value
        if not x.lo <= value <= x.hi:
            return False
        if len(coefs) == 1:
            v, c = coefs[0]
            target, rest = divmod(value - x.constant, c)
            if rest:
                return False
            key: tuple = (v, target)
            lit = self._eq_cache.get(key)
            if lit is not None:
                return lit
            sparse = self._sparse.get(v)
            if sparse is not None and target not in sparse:
                return False
            block = self.blocks.get(v)
            if block is not None:
                position = block.position(target)
                if position is None:
                    return False
                lit = self.cp_var(block.first + position)
                self._eq_cache[key] = lit
                return lit
            if self.is_literal(v):
                lit = self.cp_var(v) if target == 1 else ~self.cp_var(v)
                self._eq_cache[key] = lit
                return lit
            lhs, rhs = self.cp_var(v), target
        else:
            key = (coefs, x.constant - value)
            lit = self._eq_cache.get(key)
            if lit is not None:
                return lit
            lhs, rhs = self.expr(x), value
        lit = self.new_bool()
        self.definitions[lit.index] = ("eq", x, value)
        self.model.add(lhs == rhs).only_enforce_if(lit)
        self.model.add(lhs != rhs).only_enforce_if(~lit)
        self._eq_cache[key] = lit
        if len(coefs) == 1:
            self.reified_values.setdefault(coefs[0][0], []).append(key[1])
        return lit

    def encode_domain(self, x: Lin, limit: int) -> None:
        """Give every value of variable `x` its `x == v` literal at once, when it has at most
        `limit` values: one exactly-one plus one linear channel instead of two reified
        constraints per value (bin packing items ask for every bin anyway)."""
        if len(x.coefs) != 1 or x.coefs[0][1] != 1 or x.constant != 0:
            return
        v = x.coefs[0][0]
        sparse = self._sparse.get(v)
        size = len(sparse) if sparse is not None else x.hi - x.lo + 1
        if size <= limit:
            cpsat_bulk.encode_domain(self, v)

    def literal(self, e: g.Expr) -> Literal:
        hit = self._memo.get(id(e))
        if hit is not None and hit[1] is not None:
            return hit[1]
        result = self._literal(e)
        self._memo[id(e)] = (e, result)
        return result

    def _literal(self, e: g.Expr) -> Literal:  # noqa: C901 - one dispatch over node types
        if isinstance(e, g.Var):
            if not e.is_bool:
                raise InternalError(f"integer variable {e.name} used as a boolean")
            return self.vars[e.index]
        if isinstance(e, g.Const):
            return bool(e.value)
        if isinstance(e, g.Compare):
            return self._compare_literal(e.op, self.linear(e.left), self.linear(e.right))
        if isinstance(e, g.Not):
            lit = self.literal(e.arg)
            return (not lit) if isinstance(lit, bool) else ~lit
        if isinstance(e, g.And):
            return self._and([self.literal(a) for a in e.args])
        if isinstance(e, g.Or):
            return self._or([self.literal(a) for a in e.args])
        if isinstance(e, g.Implies):
            ante = self.literal(e.antecedent)
            return self._or([(not ante) if isinstance(ante, bool) else ~ante,
                             self.literal(e.consequent)])
        if isinstance(e, g.InSet):
            return self._in_set_literal(self.linear(e.arg), e.values)
        if isinstance(e, g.IfThenElse):
            return self._if_then_else_bool(e)
        if isinstance(e, (g.AllDifferent, g.AllEqual, g.Increasing, g.Table, g.BinPacking)):
            return self.literal(self.decompose(e))
        raise InternalError(f"CP-SAT encoder: {type(e).__name__} is not a boolean expression")

    def _compare_literal(self, op: str, left: Lin, right: Lin) -> Literal:
        diff = self.lin.difference(left, right)
        decided = decide(op, diff.lo, diff.hi)
        if decided is not None:
            return decided
        if op == "=":
            return self.eq_literal(diff, 0)
        if op == "!=":
            return ~self.eq_literal(diff, 0)
        lit = self.new_bool()
        self.definitions[lit.index] = ("rel", diff, op)
        self.model.add(self.relation(diff, op)).only_enforce_if(lit)
        self.model.add(self.relation(diff, NEGATED_OP[op])).only_enforce_if(~lit)
        return lit

    def relation(self, diff: Lin, op: str) -> Any:
        x = self.expr(diff)
        if op == "=":
            return x == 0
        if op == "!=":
            return x != 0
        if op == "<":
            return x <= -1
        if op == "<=":
            return x <= 0
        if op == ">":
            return x >= 1
        return x >= 0

    def _and(self, lits: list[Literal]) -> Literal:
        if any(lit is False for lit in lits):
            return False
        lits = [lit for lit in lits if lit is not True]
        if not lits:
            return True
        if len(lits) == 1:
            return lits[0]
        out = self.new_bool()
        self.definitions[out.index] = ("and", lits)
        self.model.add_bool_and(lits).only_enforce_if(out)
        self.model.add_bool_or([~lit for lit in lits] + [out])
        return out

    def _or(self, lits: list[Literal]) -> Literal:
        negated = [(not lit) if isinstance(lit, bool) else ~lit for lit in lits]
        out = self._and(negated)
        return (not out) if isinstance(out, bool) else ~out

    def _in_set_literal(self, x: Lin, values: tuple[int, ...]) -> Literal:
        inside = [v for v in values if x.lo <= v <= x.hi]
        if x.is_constant:
            return x.constant in inside
        if not inside:
            return False
        if len(inside) == 1:
            return self.eq_literal(x, inside[0])
        domain = self.cp.Domain.from_values(inside)
        outside = domain.complement().intersection_with(self.cp.Domain(x.lo, x.hi))
        if outside.is_empty():
            return True
        lit = self.new_bool()
        self.definitions[lit.index] = ("in", x, frozenset(inside))
        self.model.add_linear_expression_in_domain(self.expr(x), domain).only_enforce_if(lit)
        self.model.add_linear_expression_in_domain(self.expr(x), outside).only_enforce_if(~lit)
        return lit

    def _if_then_else_bool(self, e: g.IfThenElse) -> Literal:
        cond = self.literal(e.cond)
        if isinstance(cond, bool):
            return self.literal(e.then if cond else e.else_)
        then, other = self.literal(e.then), self.literal(e.else_)
        # (cond and then) or (not cond and else), as two reified conjunctions
        return self._or([self._and([cond, then]), self._and([~cond, other])])

    # ---- decompositions of globals, as ground IR (shared by literal() and post()) ---------

    def decompose(self, e: g.Expr) -> g.Expr:
        """An equivalent expression over comparisons and connectives, kept alive and cached."""
        key = ("decomposition", id(e))
        hit = self._materialised.get(key)
        if hit is not None:
            return hit
        out: g.Expr
        if isinstance(e, g.AllDifferent):
            out = g.And(tuple(g.Compare("!=", a, b) for i, a in enumerate(e.args)
                              for b in e.args[i + 1:]))
        elif isinstance(e, g.AllEqual):
            out = g.And(tuple(g.Compare("=", a, b) for a, b in zip(e.args, e.args[1:])))
        elif isinstance(e, g.Increasing):
            out = g.And(tuple(g.Compare("<=", a, b) for a, b in zip(e.args, e.args[1:])))
        elif isinstance(e, g.Table):
            out = g.Or(tuple(g.And(tuple(g.Compare("=", a, g.Const(v))
                                         for a, v in zip(e.args, row))) for row in e.rows))
        elif isinstance(e, g.BinPacking):
            for item in e.assignment:
                self.encode_domain(self.linear(item), 2 * len(e.bins) + 2)
            fits = tuple(g.Compare("<=", g.BinLoad(e.assignment, tuple(map(g.Const, e.demands)),
                                                   b), g.Const(cap))
                         for b, cap in zip(e.bins, e.capacities))
            inside = tuple(g.InSet(a, tuple(sorted(set(e.bins)))) for a in e.assignment)
            out = g.And(inside + fits)
        else:
            raise InternalError(f"CP-SAT encoder has no decomposition of {type(e).__name__}")
        self._materialised[key] = out
        self._materialised[("node", id(e))] = e  # keep the source alive too
        return out
