"""The reference every backend test compares against: brute-force enumeration of small ground
problems, and the hand-built problems (one or more per node type) small enough for it.

Kept in one place so that the backends are held to one definition of a right answer; each
backend's test file adds only what is particular to its solver.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from hypothesis import strategies as st

from csql.backends.base import Status
from csql.ir import ground as g
from csql.ir.ground_eval import children, evaluate, objective_value, violations

PROV = g.Provenance("test", "check")


def domain(var: g.Var) -> list[int]:
    return list(var.values) if var.values is not None else list(range(var.lb, var.ub + 1))


def element_nodes(problem: g.Problem) -> list[g.Element]:
    """Every `Element` reachable from the constraints and the objective, each node once."""
    stack: list[g.Expr] = [c.expr for c in problem.constraints]
    stack += [t.expr for t in problem.objective]
    seen: dict[int, g.Expr] = {}
    while stack:
        e = stack.pop()
        if id(e) not in seen:
            seen[id(e)] = e
            stack.extend(children(e))
    return [e for e in seen.values() if isinstance(e, g.Element)]


def solutions(problem: g.Problem, subset: list[int] | None = None
              ) -> Iterator[dict[int, int]]:
    """Every assignment of the variables' domains that satisfies the constraints (only those
    at the positions in `subset`, when given).

    An `Element` whose index falls outside its array rules the assignment out wherever the
    element occurs (the ground IR's rule), even in a branch the evaluator would skip or in the
    objective."""
    chosen = problem.constraints if subset is None else [
        problem.constraints[i] for i in subset]
    elements = element_nodes(problem)
    for values in itertools.product(*(domain(v) for v in problem.variables)):
        assignment = dict(enumerate(values))
        try:
            # an index computed by another element out of range raises: ruled out as well
            if any(not 0 <= evaluate(e.index, assignment) < len(e.values) for e in elements):
                continue
        except IndexError:
            continue
        if all(evaluate(c.expr, assignment) for c in chosen):
            yield assignment


def brute_force(problem: g.Problem, subset: list[int] | None = None
                ) -> tuple[bool, int | None]:
    """(feasible, best objective); the objective is None without solutions and 0 for a
    problem without objective terms."""
    feasible, best = False, None
    for assignment in solutions(problem, subset):
        feasible = True
        value = objective_value(problem, assignment)
        best = value if best is None else max(best, value)
    return feasible, best


def assert_matches_brute_force(problem: g.Problem, result: object) -> int | None:
    """A backend's result has brute force's status and optimum and a checked assignment;
    returns that optimum for further checks (None for a satisfaction or infeasible problem)."""
    feasible, best = brute_force(problem)
    status = result.status  # type: ignore[attr-defined]
    if not feasible:
        assert status is Status.INFEASIBLE
        return None
    assert status is Status.OPTIMAL
    assignment = result.assignment  # type: ignore[attr-defined]
    assert violations(problem, assignment) == []
    if not problem.objective:
        assert result.objective is None  # type: ignore[attr-defined]
        return None
    assert result.objective == best == objective_value(problem, assignment)  # type: ignore
    return best


class Cases(dict[str, g.Problem]):
    """Named problems, each over its own x in -4..4, y in {-3, 0, 2, 5} and boolean b: small
    enough to enumerate, with a sparse domain and negative values in every one."""

    def new(self, name: str) -> tuple[g.Problem, g.Var, g.Var, g.Var]:
        assert name not in self, f"two cases named {name!r}"
        p = g.Problem()
        self[name] = p
        return (p, p.new_var("x", lb=-4, ub=4), p.new_var("y", values=(-3, 0, 2, 5)),
                p.new_var("b", is_bool=True))


def node_cases() -> Cases:
    """At least one problem per ground-IR node type, at the top level and reified, with an
    objective where one makes sense (built anew on each call: problems are mutable)."""
    cases = Cases()
    new = cases.new
    p, x, y, b = new("LinearSum")
    p.add(g.Compare("<=", g.LinearSum(((2, x), (-3, y)), 1), g.Const(3)), PROV)
    p.maximize(g.LinearSum(((1, x), (1, y))), PROV)
    p, x, y, b = new("Product")
    p.add(g.Compare("<", g.Product(x, y), g.Const(-5)), PROV)
    p.maximize(g.LinearSum(((1, x), (-1, y))), PROV)
    p, x, y, b = new("Div")
    p.add(g.Compare("=", g.Div(x, -3), g.Const(1)), PROV)
    p.maximize(g.LinearSum(((-1, x),)), PROV)
    p, x, y, b = new("Mod")
    p.add(g.Compare("=", g.Mod(g.LinearSum(((1, x), (1, y))), 4), g.Const(-1)), PROV)
    p.maximize(g.LinearSum(((1, x), (2, y))), PROV)
    p, x, y, b = new("Abs")
    p.add(g.Compare(">=", g.Abs(g.LinearSum(((1, x), (1, y)))), g.Const(7)), PROV)
    p.maximize(g.Abs(g.LinearSum(((1, x), (-2, y)))), PROV)
    p, x, y, b = new("Min")
    p.maximize(g.Min((x, y, g.Const(1))), PROV)
    p, x, y, b = new("Max")
    p.add(g.Compare("<=", g.Max((x, y)), g.Const(1)), PROV)
    p.maximize(g.LinearSum(((-1, g.Max((x, g.Const(-2)))), (1, y))), PROV)
    p, x, y, b = new("Min/Max")
    p.add(g.Compare("<=", g.Max((x, y)), g.Const(1)), PROV)
    p.maximize(g.LinearSum(((-1, g.Max((x, g.Const(-2)))), (1, g.Min((y, x, g.Const(1)))))),
               PROV)
    p, x, y, b = new("BoolAsInt")
    p.maximize(g.LinearSum(((3, g.BoolAsInt(b)), (1, g.BoolAsInt(g.Compare(">", x, y))))), PROV)
    p, x, y, b = new("IfThenElse")
    p.add(g.IfThenElse(b, g.Compare(">", x, y), g.Compare("<", x, g.Const(-2))), PROV)
    p.add(g.Not(g.IfThenElse(g.Compare(">", y, g.Const(0)), b, g.Compare(">", x, y))), PROV)
    p.maximize(g.IfThenElse(g.Compare("=", x, y), g.LinearSum(((5, x),)), y), PROV)
    p, x, y, b = new("Element")
    p.add(g.Compare(">=", g.Element(g.LinearSum(((1, x),), 4), (9, -1, 3, 7, 2, 8, 0, 5, 6)),
                    g.Const(6)), PROV)
    p.maximize(g.LinearSum(((-1, x),)), PROV)
    p, x, y, b = new("Element out of range under a disjunction")
    # x + 6 is inside 0..4 only for x <= -2: elsewhere the element fails the whole problem,
    # even though the disjunction would be true through b
    p.add(g.Or((b, g.Compare("=", g.Element(g.LinearSum(((1, x),), 6), (1, 2, 3, 4, 5)),
                                 g.Const(0)))), PROV)
    p.maximize(g.LinearSum(((1, x),)), PROV)
    p, x, y, b = new("Compare")
    p.add(g.Compare("!=", x, g.Const(4)), PROV)
    p.add(g.Or((g.Compare("=", b, g.Compare(">", x, g.Const(2))), g.Compare(">=", y, x))), PROV)
    p.maximize(g.LinearSum(((1, x), (1, y), (1, g.BoolAsInt(b)))), PROV)
    p, x, y, b = new("Compare on booleans")
    p.add(g.Compare("!=", x, g.Const(4)), PROV)
    p.add(g.Or((g.Compare("=", b, g.Compare(">", x, g.Const(2))), g.Compare(">=", y, x))), PROV)
    p.add(g.Compare("!=", b, g.Compare("<", y, g.Const(0))), PROV)
    p.maximize(g.LinearSum(((1, x), (1, y), (1, g.BoolAsInt(b)))), PROV)
    p, x, y, b = new("And/Or/Not/Implies")
    p.add(g.Not(g.And((b, g.Compare(">", x, g.Const(0))))), PROV)
    p.add(g.Not(g.Compare("<", x, g.Const(-1))), PROV)
    p.add(g.Implies(g.And((b, g.Compare("<", y, g.Const(1)))), g.Compare(">", x, g.Const(3))),
          PROV)
    p.add(g.Implies(g.Compare("<", y, g.Const(3)), g.Or((b, g.Compare("=", x, y)))), PROV)
    p.maximize(g.LinearSum(((1, x), (-1, y))), PROV)
    p, x, y, b = new("And/Or/Not/Implies with an empty And")
    p.add(g.Not(g.And((b, g.Compare(">", x, g.Const(0))))), PROV)
    p.add(g.Implies(g.And((b, g.Compare("<", y, g.Const(1)))), g.Compare(">", x, g.Const(3))),
          PROV)
    p.add(g.Implies(g.Compare("<", y, g.Const(3)), g.Or((b, g.Compare("=", x, y)))), PROV)
    p.add(g.And(()), PROV)
    p.maximize(g.LinearSum(((1, x), (-1, y))), PROV)
    p, x, y, b = new("InSet")
    p.add(g.InSet(x, (-4, -1, 3)), PROV)
    p.add(g.Or((g.Not(g.InSet(y, (2, 5))), g.Compare("<", x, g.Const(0)))), PROV)
    p.maximize(g.LinearSum(((1, x), (1, y))), PROV)
    p, x, y, b = new("AllDifferent")
    z = p.new_var("z", lb=0, ub=2)
    p.add(g.AllDifferent((x, y, z, g.Const(2))), PROV)
    p.add(g.Or((b, g.AllDifferent((x, g.LinearSum(((1, z),), 1))))), PROV)
    p.maximize(g.LinearSum(((1, z), (-2, g.BoolAsInt(b)), (1, x))), PROV)
    p, x, y, b = new("AllEqual")
    p.add(g.Implies(b, g.AllEqual((x, y, g.Const(2)))), PROV)
    p.maximize(g.LinearSum(((10, g.BoolAsInt(b)), (-1, x))), PROV)
    p, x, y, b = new("Increasing")
    p.add(g.Increasing((y, x, g.Const(3))), PROV)
    p.add(g.Not(g.Increasing((x, y))), PROV)
    p.maximize(g.LinearSum(((1, y),)), PROV)
    for name, empty in (("Table", False), ("Table with an empty table", True)):
        p, x, y, b = new(name)
        p.add(g.Table((x, y), ((1, 2), (-4, 5), (3, -3), (9, 9))), PROV)
        p.add(g.Or((b, g.Table((y, x), ((5, -4),)))), PROV)
        if empty:
            p.add(g.Or((g.Not(b), g.Table((x,), ()))), PROV)  # an empty table is false
        p.maximize(g.LinearSum(((1, x), (-5, g.BoolAsInt(b)))), PROV)
    p, x, y, b = new("BinPacking")
    items = [p.new_var(f"item{i}", lb=0, ub=2) for i in range(3)]
    p.add(g.BinPacking(tuple(items), (4, 3, 2), (0, 1), (5, 4)), PROV)
    p.maximize(g.LinearSum(tuple((1, v) for v in items)), PROV)
    p, x, y, b = new("BinPacking reified")
    items = [p.new_var(f"item{i}", lb=0, ub=2) for i in range(3)]
    p.add(g.Implies(b, g.BinPacking(tuple(items), (4, 3, 2), (1, 2), (3, 6))), PROV)
    p.add(g.Or((b, g.Compare("=", x, g.Const(-4)))), PROV)
    p.maximize(g.LinearSum(((1, x), (1, items[0]), (1, items[1]), (-1, items[2]))), PROV)
    p, x, y, b = new("BinLoad")
    items = [p.new_var(f"item{i}", lb=0, ub=2) for i in range(2)]
    items.append(p.new_var("fixed", values=(1,)))  # always in bin 1: its demand counts as is
    load1 = g.BinLoad(tuple(items), (g.Const(4), g.Const(2), x), 1)
    p.add(g.Compare("<=", load1, g.Const(5)), PROV)
    p.add(g.Compare(">=", g.BinLoad(tuple(items), (g.Const(1),) * 3, 2), g.Const(1)), PROV)
    p.maximize(g.LinearSum(((1, load1), (1, items[0]))), PROV)
    p, x, y, b = new("satisfaction")
    p.add(g.Compare("=", g.LinearSum(((1, x), (1, y))), g.Const(3)), PROV)
    return cases


def quadratic_assignment(n: int) -> g.Problem:
    """A permutation maximising a weighted sum of neighbour products: a first solution is
    easy, proving optimality takes a solver far longer than a unit test allows."""
    p = g.Problem()
    xs = [p.new_var(f"x{i}", lb=0, ub=n - 1) for i in range(n)]
    p.add(g.AllDifferent(tuple(xs)), PROV)
    weights = [(i * 7919) % 101 - 50 for i in range(n)]
    p.maximize(g.LinearSum(tuple((w, g.Product(x, xs[(i + 1) % n]))
                                 for i, (w, x) in enumerate(zip(weights, xs)))), PROV)
    return p


def infeasible_with_a_core() -> g.Problem:
    """Five constraints that cannot all hold: x < 3 (3) and x + y > 12 (2) already conflict,
    as y is at most 9; the others are bystanders a minimal core leaves out."""
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=9)
    y = p.new_var("y", lb=0, ub=9)
    p.add(g.Compare(">=", x, g.Const(2)), PROV)  # 0
    p.add(g.Compare("<=", y, g.Const(8)), PROV)  # 1
    p.add(g.Compare(">", g.LinearSum(((1, x), (1, y))), g.Const(12)), PROV)  # 2
    p.add(g.Compare("<", x, g.Const(3)), PROV)  # 3
    p.add(g.AllDifferent((x, y)), PROV)  # 4
    p.maximize(g.LinearSum(((1, x),)), PROV)
    return p


def draw_variables(draw: st.DrawFn, problem: g.Problem, *, most: int = 4, kinds: int = 3,
                   values: tuple[int, int] = (-4, 6), lowest: tuple[int, int] = (-3, 3)
                   ) -> tuple[list[g.Var], list[g.Var]]:
    """The variables of a random problem, two to `most`: booleans, sparse sets drawn from
    `values` and ranges of up to five values starting in `lowest` (`kinds=4` draws ranges
    twice as often). Returns (booleans, integers)."""
    for i in range(draw(st.integers(2, most))):
        kind = draw(st.integers(0, kinds - 1))
        if kind == 0:
            problem.new_var(f"b{i}", is_bool=True)
        elif kind == 1:
            sparse = draw(st.lists(st.integers(*values), min_size=1, max_size=4, unique=True))
            problem.new_var(f"s{i}", values=tuple(sparse))
        else:
            lb = draw(st.integers(*lowest))
            problem.new_var(f"v{i}", lb=lb, ub=lb + draw(st.integers(0, 4)))
    return ([v for v in problem.variables if v.is_bool],
            [v for v in problem.variables if not v.is_bool])
