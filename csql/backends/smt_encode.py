"""Translation of a ground problem into Z3 terms (integers and booleans).

Z3 takes arbitrarily nested terms, so every ground-IR node becomes one term, in any context,
with no reification machinery: a boolean node is a Z3 `Bool`, an integer node a Z3 `Int`
(unbounded, arbitrary precision, so int64 capacities need no special care). Three points
need care, because Z3's meaning differs from the ground IR's:

* Integer `/` and `%` in Z3 follow SMT-LIB (Euclidean: the remainder is never negative); SQL
  truncates toward zero and gives the remainder the sign of the dividend. `Div` and `Mod` are
  built from Euclidean division of the absolute value, with the sign put back explicitly.
* Z3 integers are unbounded: every variable's domain is asserted (bounds, or a disjunction of
  equalities for a sparse domain), by `domain_constraints`.
* Loads (`BinLoad`, `BinPacking`) as sums of `If(x == bin, demand, 0)` hide from Z3's LP
  relaxation that each item is in exactly one bin (an `If` term is bounded only after its
  condition is decided), so a pigeonhole bound (the busiest of 4 racks holds at least 12/4
  replicas) takes an exponential case split. An item variable with a small domain therefore
  gets 0/1 integer indicators `[x = v]` with `sum over v of [x = v] == 1`, and loads are
  linear sums over them, which the LP bounds at once. Likewise `Min`/`Max` are fresh integers
  bounded by each argument, not nested `If`s.
* An `Element` index outside its array is infeasible wherever the element occurs (the ground
  IR's rule), so the index range is collected as a side condition asserted at the top level,
  not folded into the (possibly negated) context the element sits in.

Terms are memoised by `id(node)` for the life of one encoder; the memo also holds the node,
so an id cannot be reused by a temporary while the encoder lives. All terms live in one Z3
`Context` per encoder, which lets a watchdog interrupt exactly this solve.
"""

from __future__ import annotations

from typing import Any

from csql.ir import ground as g
from csql.ir.errors import InternalError

_COMPARE = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


class Z3Encoder:
    """Builds the Z3 terms of one ground problem in a private context."""

    def __init__(self, problem: g.Problem) -> None:
        import z3

        self.z3 = z3
        self.ctx = z3.Context()
        self.problem = problem
        self.vars: list[Any] = [
            z3.Bool(f"{v.name}#{v.index}", self.ctx) if v.is_bool
            else z3.Int(f"{v.name}#{v.index}", self.ctx)
            for v in problem.variables
        ]
        self.side_conditions: list[Any] = []
        self._indicators: dict[int, dict[int, Any]] = {}  # Var.index -> value -> [x = v]
        self._memo: dict[int, tuple[object, Any]] = {}
        self.true = z3.BoolVal(True, self.ctx)
        self.false = z3.BoolVal(False, self.ctx)
        self.zero = z3.IntVal(0, self.ctx)
        self.one = z3.IntVal(1, self.ctx)

    # ---- domains --------------------------------------------------------------------------

    def domain_constraints(self) -> list[Any]:
        """One term per variable whose domain Z3 does not already enforce."""
        z3 = self.z3
        out: list[Any] = []
        for var, term in zip(self.problem.variables, self.vars):
            if var.is_bool:
                allowed = set(var.values) if var.values is not None else {0, 1}
                if allowed >= {0, 1}:
                    continue
                out.append(term if allowed == {1} else z3.Not(term) if allowed == {0}
                           else self.false)
            elif var.values is not None:
                if not var.values:
                    out.append(self.false)
                elif len(var.values) == var.values[-1] - var.values[0] + 1:
                    out.append(z3.And(term >= var.values[0], term <= var.values[-1]))
                else:
                    out.append(z3.Or([term == v for v in var.values]))
            elif var.lb > var.ub:
                out.append(self.false)
            else:
                out.append(z3.And(term >= var.lb, term <= var.ub))
        return out

    # ---- expressions ----------------------------------------------------------------------

    def term(self, e: g.Expr) -> Any:
        """The Z3 term of a node: Bool for boolean nodes, Int for integer nodes."""
        key = id(e)
        hit = self._memo.get(key)
        if hit is not None:
            return hit[1]
        built = self._build(e)
        self._memo[key] = (e, built)
        return built

    def int_term(self, e: g.Expr) -> Any:
        """The node as an integer (a boolean counts 0/1, as everywhere in the ground IR)."""
        t = self.term(e)
        return self.z3.If(t, self.one, self.zero) if e.is_bool else t

    def bool_term(self, e: g.Expr) -> Any:
        """The node as a boolean (an integer is true when non-zero, the evaluator's rule)."""
        t = self.term(e)
        return t if e.is_bool else t != 0

    def _build(self, e: g.Expr) -> Any:  # noqa: C901 - one dispatch, flat by design
        z3 = self.z3
        if isinstance(e, g.Var):
            return self.vars[e.index]
        if isinstance(e, g.Const):
            if isinstance(e.value, bool):
                return z3.BoolVal(e.value, self.ctx)
            return z3.IntVal(int(e.value), self.ctx)
        if isinstance(e, g.LinearSum):
            parts = [self._scaled(c, self.int_term(t)) for c, t in e.terms if c != 0]
            if e.constant or not parts:
                parts.append(z3.IntVal(e.constant, self.ctx))
            return parts[0] if len(parts) == 1 else z3.Sum(parts)
        if isinstance(e, g.Product):
            return self.int_term(e.left) * self.int_term(e.right)
        if isinstance(e, g.Div):
            return self.trunc_div(self.int_term(e.numerator), e.divisor)
        if isinstance(e, g.Mod):
            x = self.int_term(e.dividend)
            return x - e.divisor * self.trunc_div(x, e.divisor)
        if isinstance(e, g.Abs):
            x = self.int_term(e.arg)
            return z3.If(x >= 0, x, -x)
        if isinstance(e, (g.Min, g.Max)):
            return self._extremum(e)
        if isinstance(e, g.BoolAsInt):
            return self.int_term(e.arg) if not e.arg.is_bool else \
                z3.If(self.term(e.arg), self.one, self.zero)
        if isinstance(e, g.IfThenElse):
            cond = self.bool_term(e.cond)
            if e.is_bool:
                return z3.If(cond, self.bool_term(e.then), self.bool_term(e.else_))
            return z3.If(cond, self.int_term(e.then), self.int_term(e.else_))
        if isinstance(e, g.Element):
            return self._element(e)
        if isinstance(e, g.Compare):
            if e.op in ("=", "!=") and e.left.is_bool and e.right.is_bool:
                return _COMPARE[e.op](self.term(e.left), self.term(e.right))
            return _COMPARE[e.op](self.int_term(e.left), self.int_term(e.right))
        if isinstance(e, g.And):
            return z3.And([self.bool_term(a) for a in e.args]) if e.args else self.true
        if isinstance(e, g.Or):
            return z3.Or([self.bool_term(a) for a in e.args]) if e.args else self.false
        if isinstance(e, g.Not):
            return z3.Not(self.bool_term(e.arg))
        if isinstance(e, g.Implies):
            return z3.Implies(self.bool_term(e.antecedent), self.bool_term(e.consequent))
        if isinstance(e, g.InSet):
            return self.member(self.int_term(e.arg), e.values)
        if isinstance(e, g.AllDifferent):
            args = [self.int_term(a) for a in e.args]
            return z3.Distinct(args) if len(args) > 1 else self.true
        if isinstance(e, g.AllEqual):
            args = [self.int_term(a) for a in e.args]
            return z3.And([args[0] == a for a in args[1:]]) if len(args) > 1 else self.true
        if isinstance(e, g.Increasing):
            args = [self.int_term(a) for a in e.args]
            pairs = [a <= b for a, b in zip(args, args[1:])]
            return z3.And(pairs) if pairs else self.true
        if isinstance(e, g.BinPacking):
            return self._bin_packing(e)
        if isinstance(e, g.BinLoad):
            return self._load(e.assignment, e.demands, e.bin)
        if isinstance(e, g.Table):
            args = [self.int_term(a) for a in e.args]
            rows = [z3.And([a == v for a, v in zip(args, row)]) if args else self.true
                    for row in e.rows]
            return z3.Or(rows) if rows else self.false
        raise InternalError(f"the Z3 encoder has no translation for {type(e).__name__}",
                            hint="this is a bug in csql's Z3 backend; please report it")

    # ---- pieces ---------------------------------------------------------------------------

    def _scaled(self, coefficient: int, term: Any) -> Any:
        return term if coefficient == 1 else coefficient * term

    def trunc_div(self, x: Any, divisor: int) -> Any:
        """x / divisor truncated toward zero, from Euclidean division of |x| by |divisor|."""
        if divisor == 0:
            raise InternalError("division by zero reached the Z3 encoder",
                                hint="the grounder must refuse a zero divisor; please report")
        z3 = self.z3
        d = abs(divisor)
        toward_zero = z3.If(x >= 0, x / d, -((-x) / d))
        return toward_zero if divisor > 0 else -toward_zero

    def member(self, x: Any, values: tuple[int, ...]) -> Any:
        z3 = self.z3
        if not values:
            return self.false
        if len(values) == values[-1] - values[0] + 1 and len(values) > 2:
            return z3.And(x >= values[0], x <= values[-1])
        return z3.Or([x == v for v in values]) if len(values) > 1 else x == values[0]

    def indicators(self, item: g.Expr) -> dict[int, Any] | None:
        """The 0/1 integers `[x = v]` of an item variable (made once, with their exactly-one
        sum), or None when the item is not a variable with a small domain."""
        if not isinstance(item, g.Var) or item.is_bool:
            return None
        found = self._indicators.get(item.index)
        if found is not None:
            return found
        values = _small_domain(item)
        if not values:
            return None
        z3 = self.z3
        x = self.vars[item.index]
        found = {}
        for v in values:
            b = z3.Int(f"[{item.name}#{item.index}={v}]", self.ctx)
            self.side_conditions += [b >= 0, b <= 1, (b == 1) == (x == v)]
            found[v] = b
        self.side_conditions.append(z3.Sum(list(found.values())) == 1)
        self._indicators[item.index] = found
        return found

    def _load(self, items: tuple[g.Expr, ...], demands: tuple[g.Expr, ...],
              bin_value: int) -> Any:
        z3 = self.z3
        parts = []
        for item, demand in zip(items, demands):
            chosen = self.indicators(item)
            amount = self.int_term(demand)
            if chosen is not None and isinstance(demand, g.Const):
                if bin_value in chosen and int(demand.value) != 0:
                    parts.append(self._scaled(int(demand.value), chosen[bin_value]))
            else:
                parts.append(z3.If(self.int_term(item) == bin_value, amount, self.zero))
        if not parts:
            return self.zero
        return parts[0] if len(parts) == 1 else z3.Sum(parts)

    def _bin_packing(self, e: g.BinPacking) -> Any:
        z3 = self.z3
        demands = tuple(g.Const(d) for d in e.demands)
        bins = tuple(sorted(set(e.bins)))
        parts = [self.member(self.int_term(item), bins) for item in e.assignment]
        for bin_value, capacity in zip(e.bins, e.capacities):
            parts.append(self._load(e.assignment, demands, bin_value) <= capacity)
        return z3.And(parts) if parts else self.true

    def _extremum(self, e: g.Min | g.Max) -> Any:
        """min/max as a fresh integer bounded by every argument and equal to one of them.

        A nested `If` chain means the same, but hides from the LP relaxation that the result
        is at least (at most) each argument, which is what proves a min-max objective
        optimal. The definition determines the variable uniquely, so asserting it at the top
        level is sound in any context the node occurs in."""
        z3 = self.z3
        args = [self.int_term(a) for a in e.args]
        if len(args) == 1:
            return args[0]
        result = z3.FreshInt("max" if isinstance(e, g.Max) else "min", self.ctx)
        if isinstance(e, g.Max):
            self.side_conditions.extend(result >= a for a in args)
        else:
            self.side_conditions.extend(result <= a for a in args)
        self.side_conditions.append(z3.Or([result == a for a in args]))
        return result

    def _element(self, e: g.Element) -> Any:
        z3 = self.z3
        index = self.int_term(e.index)
        n = len(e.values)
        if n == 0:
            self.side_conditions.append(self.false)
            return self.zero
        self.side_conditions.append(z3.And(index >= 0, index < n))
        result = z3.IntVal(e.values[-1], self.ctx)
        for i in range(n - 2, -1, -1):
            result = z3.If(index == i, z3.IntVal(e.values[i], self.ctx), result)
        return result


_CHANNEL_LIMIT = 256  # larger domains get no redundant exactly-one sum (its size is the domain)


def _small_domain(var: g.Var) -> tuple[int, ...]:
    if var.values is not None:
        return var.values if 0 < len(var.values) <= _CHANNEL_LIMIT else ()
    if var.lb <= var.ub and var.ub - var.lb < _CHANNEL_LIMIT:
        return tuple(range(var.lb, var.ub + 1))
    return ()
