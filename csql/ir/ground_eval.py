"""A pure-Python evaluator of the ground IR.

Used to check every assignment a backend returns against the ground problem before decoding
(a second line of defence besides the SQL oracle, which checks against the program itself),
and by lowering passes' tests to show a rewrite preserves meaning.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from . import ground as g


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _trunc_mod(a: int, b: int) -> int:
    return a - b * _trunc_div(a, b)


class Evaluator:
    """Evaluates expressions under one assignment (variable index -> int), memoised by node."""

    def __init__(self, assignment: Mapping[int, int]) -> None:
        self.assignment = assignment
        self._memo: dict[int, int | bool] = {}
        self._load_memo: dict[tuple[int, int], dict[int, int]] = {}

    def _loads(self, e: g.BinLoad) -> dict[int, int]:
        """The loads of every bin for one (assignment, demands) pair, computed in one pass:
        the BinLoad nodes of a group share those tuples, one node per bin."""
        key = (id(e.assignment), id(e.demands))
        loads = self._load_memo.get(key)
        if loads is None:
            loads = {}
            for item, demand in zip(e.assignment, e.demands):
                b = int(self(item))
                loads[b] = loads.get(b, 0) + int(self(demand))
            self._load_memo[key] = loads
        return loads

    def __call__(self, expr: g.Expr) -> int | bool:
        key = id(expr)
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        value = self._eval(expr)
        self._memo[key] = value
        return value

    def _eval(self, e: g.Expr) -> int | bool:  # noqa: C901 - one dispatch, flat by design
        ev = self
        if isinstance(e, g.Var):
            v = self.assignment[e.index]
            return bool(v) if e.is_bool else int(v)
        if isinstance(e, g.Const):
            return e.value
        if isinstance(e, g.LinearSum):
            return e.constant + sum(c * int(ev(t)) for c, t in e.terms)
        if isinstance(e, g.Product):
            return int(ev(e.left)) * int(ev(e.right))
        if isinstance(e, g.Div):
            return _trunc_div(int(ev(e.numerator)), e.divisor)
        if isinstance(e, g.Mod):
            return _trunc_mod(int(ev(e.dividend)), e.divisor)
        if isinstance(e, g.Abs):
            return abs(int(ev(e.arg)))
        if isinstance(e, g.Min):
            return min(int(ev(a)) for a in e.args)
        if isinstance(e, g.Max):
            return max(int(ev(a)) for a in e.args)
        if isinstance(e, g.BoolAsInt):
            return 1 if ev(e.arg) else 0
        if isinstance(e, g.IfThenElse):
            return ev(e.then) if ev(e.cond) else ev(e.else_)
        if isinstance(e, g.Element):
            i = int(ev(e.index))
            if not 0 <= i < len(e.values):
                raise IndexError(f"element index {i} outside 0..{len(e.values) - 1}")
            return e.values[i]
        if isinstance(e, g.Compare):
            a, b = int(ev(e.left)), int(ev(e.right))
            return {
                "=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b,
            }[e.op]
        if isinstance(e, g.And):
            return all(ev(a) for a in e.args)
        if isinstance(e, g.Or):
            return any(ev(a) for a in e.args)
        if isinstance(e, g.Not):
            return not ev(e.arg)
        if isinstance(e, g.Implies):
            return (not ev(e.antecedent)) or bool(ev(e.consequent))
        if isinstance(e, g.InSet):
            return int(ev(e.arg)) in e.values
        if isinstance(e, g.AllDifferent):
            vals = [int(ev(a)) for a in e.args]
            return len(set(vals)) == len(vals)
        if isinstance(e, g.AllEqual):
            return len({int(ev(a)) for a in e.args}) <= 1
        if isinstance(e, g.Increasing):
            vals = [int(ev(a)) for a in e.args]
            return all(x <= y for x, y in zip(vals, vals[1:]))
        if isinstance(e, g.BinPacking):
            load: dict[int, int] = {b: 0 for b in e.bins}
            for item, demand in zip(e.assignment, e.demands):
                b = int(ev(item))
                if b not in load:
                    return False
                load[b] += demand
            return all(load[b] <= cap for b, cap in zip(e.bins, e.capacities))
        if isinstance(e, g.BinLoad):
            return self._loads(e).get(e.bin, 0)
        if isinstance(e, g.Table):
            return tuple(int(ev(a)) for a in e.args) in set(e.rows)
        raise TypeError(f"not a ground-IR expression: {type(e).__name__}")


def evaluate(expr: g.Expr, assignment: Mapping[int, int]) -> int | bool:
    return Evaluator(assignment)(expr)


def in_domain(var: g.Var, value: int) -> bool:
    if var.values is not None:
        return value in var.values
    return var.lb <= value <= var.ub


def violations(problem: g.Problem, assignment: Mapping[int, int]) -> list[str]:
    """Human-readable reasons the assignment is not a solution of the problem (empty if it is)."""
    out: list[str] = []
    for var in problem.variables:
        if var.index not in assignment:
            out.append(f"variable {var.name} has no value")
        elif not in_domain(var, int(assignment[var.index])):
            out.append(f"variable {var.name} = {assignment[var.index]} outside its domain")
    if out:
        return out
    ev = Evaluator(assignment)
    for c in problem.constraints:
        if not ev(c.expr):
            p = c.provenance
            out.append(f"constraint {p.statement} {dict(p.key)} is violated")
    return out


def objective_value(problem: g.Problem, assignment: Mapping[int, int]) -> int:
    ev = Evaluator(assignment)
    return sum(int(ev(t.expr)) for t in problem.objective)


def count_nodes(problem: g.Problem) -> int:
    """Distinct expression nodes reachable from constraints and objective (by identity)."""
    seen: set[int] = set()
    seen_tuples: set[int] = set()
    roots = [c.expr for c in problem.constraints] + [t.expr for t in problem.objective]
    return sum(1 for root in roots for _ in unique_nodes(root, seen, seen_tuples))


def unique_nodes(root: g.Expr, seen: set[int], seen_tuples: set[int]) -> Iterator[g.Expr]:
    """The nodes under `root` not yet in `seen` (by identity), each once.

    The caller keeps `seen` and `seen_tuples` across roots. The BinLoad nodes of one group
    share their assignment and demand tuples; `seen_tuples` makes a walk visit such a tuple
    once instead of once per bin (machines x VMs at scale)."""
    stack: list[g.Expr] = [root]
    while stack:
        e = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        if isinstance(e, g.BinLoad):
            for part in (e.assignment, e.demands):
                if id(part) not in seen_tuples:
                    seen_tuples.add(id(part))
                    stack.extend(part)
            continue
        stack.extend(children(e))


def children(e: g.Expr) -> tuple[g.Expr, ...]:
    """The sub-expressions of a node, in field order."""
    if isinstance(e, (g.Var, g.Const)):
        return ()
    if isinstance(e, g.LinearSum):
        return tuple(t for _, t in e.terms)
    if isinstance(e, g.Product):
        return (e.left, e.right)
    if isinstance(e, g.Div):
        return (e.numerator,)
    if isinstance(e, g.Mod):
        return (e.dividend,)
    if isinstance(e, (g.Abs, g.BoolAsInt, g.Not, g.InSet)):
        return (e.arg,)
    if isinstance(e, g.Element):
        return (e.index,)
    if isinstance(e, g.IfThenElse):
        return (e.cond, e.then, e.else_)
    if isinstance(e, g.Compare):
        return (e.left, e.right)
    if isinstance(e, g.Implies):
        return (e.antecedent, e.consequent)
    if isinstance(e, (g.Min, g.Max, g.And, g.Or, g.AllDifferent, g.AllEqual, g.Increasing,
                      g.Table)):
        return e.args
    if isinstance(e, g.BinPacking):
        return e.assignment
    if isinstance(e, g.BinLoad):
        return e.assignment + e.demands
    raise TypeError(f"not a ground-IR expression: {type(e).__name__}")
