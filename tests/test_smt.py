"""The Z3 backend against the ground-IR evaluator.

Every answer is checked with `ground_eval` (the definition of each node's meaning) and small
problems against a brute-force enumeration of all assignments: same status, same optimal
objective. A property test generates random problems over every node type, nested in every
context, because Z3 takes all of them as terms and a wrong translation shows up nowhere else.
"""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brute import (
    PROV,
    Cases,
    assert_matches_brute_force,
    brute_force,
    draw_variables,
    infeasible_with_a_core,
    node_cases,
    quadratic_assignment,
)
from csql.backends.base import SolveOptions, Status, get_backend
from csql.backends.smt import Z3Backend
from csql.ir import ground as g
from csql.ir.errors import SolverError
from csql.ir.ground_eval import objective_value, violations


def solve(problem: g.Problem, **options: object):  # noqa: ANN201 - a BackendResult
    return Z3Backend().solve(problem, SolveOptions(**options))  # type: ignore[arg-type]


def check_against_brute_force(problem: g.Problem) -> None:
    assert_matches_brute_force(problem, solve(problem))


# ---- one problem per node type ----------------------------------------------------------------


def _node_cases() -> Cases:
    """Other constants and shapes than the shared `node_cases`, which CP-SAT and MiniZinc
    run: Z3 takes every node as a term, so a second set of problems costs little."""
    cases = Cases()
    new = cases.new
    p, x, y, b = new("LinearSum")
    p.add(g.Compare("<=", g.LinearSum(((3, x), (-2, y)), 2), g.Const(4)), PROV)
    p.maximize(g.LinearSum(((1, x), (1, y))), PROV)
    p, x, y, b = new("Product")
    p.add(g.Compare(">", g.Product(x, y), g.Const(7)), PROV)
    p.maximize(g.LinearSum(((1, x), (2, y))), PROV)
    p, x, y, b = new("Div")
    p.add(g.Compare("=", g.Div(x, 3), g.Const(-1)), PROV)  # x in -5..-3 truncated: -4, -3
    p.maximize(g.LinearSum(((-1, x),)), PROV)
    p, x, y, b = new("Mod")
    p.add(g.Compare("=", g.Mod(g.LinearSum(((1, x), (-1, y))), -3), g.Const(-2)), PROV)
    p.maximize(g.LinearSum(((1, x), (1, y))), PROV)
    p, x, y, b = new("Abs")
    p.add(g.Compare("<=", g.Abs(g.LinearSum(((1, x), (1, y)))), g.Const(1)), PROV)
    p.maximize(g.Abs(g.LinearSum(((2, x), (-1, y)))), PROV)
    p, x, y, b = new("Min")
    p.maximize(g.Min((x, g.LinearSum(((-1, y),)), g.Const(2))), PROV)
    p, x, y, b = new("Max")
    p.add(g.Compare(">=", g.Max((x, y)), g.Const(4)), PROV)
    p.maximize(g.LinearSum(((-1, g.Max((x, y))), (-1, y))), PROV)
    p, x, y, b = new("BoolAsInt")
    p.maximize(g.LinearSum(((2, g.BoolAsInt(b)), (3, g.BoolAsInt(g.Compare("<", x, y))),
                            (-1, g.BoolAsInt(g.And((b, g.Compare("<", x, y))))))), PROV)
    p, x, y, b = new("IfThenElse")
    p.add(g.IfThenElse(b, g.Compare("<", x, y), g.Compare(">", x, g.Const(2))), PROV)
    p.maximize(g.IfThenElse(g.Not(b), g.LinearSum(((-1, x),)), g.LinearSum(((1, y),))), PROV)
    p, x, y, b = new("Element")
    p.add(g.Compare("<=", g.Element(g.LinearSum(((1, x),), 3), (4, 8, -2, 7, 1, 0, 3, 5)),
                    g.Const(3)), PROV)
    p.maximize(x, PROV)
    p, x, y, b = new("Compare")
    p.add(g.Compare("=", b, g.Compare(">=", x, y)), PROV)
    p.add(g.Compare("!=", g.Not(b), g.Compare("=", y, g.Const(5))), PROV)
    p.maximize(g.LinearSum(((1, x), (-1, y))), PROV)
    p, x, y, b = new("And/Or/Not/Implies")
    p.add(g.Implies(g.Or((b, g.Compare(">", x, g.Const(1)))), g.Compare("<", y, g.Const(0))),
          PROV)
    p.add(g.Not(g.And((g.Not(b), g.Compare("<", x, g.Const(3))))), PROV)
    p.maximize(g.LinearSum(((1, x), (1, y))), PROV)
    p, x, y, b = new("InSet")
    p.add(g.Or((g.InSet(x, (-3, 1, 2)), g.Not(g.InSet(y, (0, 2, 5))))), PROV)
    p.maximize(g.LinearSum(((1, x), (1, y))), PROV)
    p, x, y, b = new("AllDifferent")
    z = p.new_var("z", lb=2, ub=3)
    p.add(g.AllDifferent((x, y, z, g.Const(4))), PROV)
    p.add(g.Implies(b, g.Not(g.AllDifferent((x, g.LinearSum(((1, z),), 1))))), PROV)
    p.maximize(g.LinearSum(((1, x), (1, y), (3, g.BoolAsInt(b)))), PROV)
    p, x, y, b = new("AllEqual")
    p.add(g.Or((b, g.AllEqual((x, y, g.Const(0))))), PROV)
    p.maximize(g.LinearSum(((-5, g.BoolAsInt(b)), (1, y))), PROV)
    p, x, y, b = new("Increasing")
    p.add(g.Increasing((x, y, g.Const(2))), PROV)
    p.add(g.Not(g.Increasing((y, x))), PROV)
    p.maximize(g.LinearSum(((1, x), (1, y))), PROV)
    p, x, y, b = new("Table")
    p.add(g.Table((x, y), ((0, 0), (-4, 5), (4, -3), (9, 2))), PROV)
    p.add(g.Implies(b, g.Table((y, x), ((5, -4),))), PROV)
    p.maximize(g.LinearSum(((1, x), (2, g.BoolAsInt(b)))), PROV)
    p, x, y, b = new("BinPacking")
    items = [p.new_var(f"item{i}", lb=0, ub=2) for i in range(3)]
    p.add(g.BinPacking(tuple(items), (3, 3, 2), (1, 2), (4, 5)), PROV)
    p.maximize(g.LinearSum(((-1, items[0]), (1, items[1]), (1, items[2]))), PROV)
    p, x, y, b = new("BinPacking negated")
    items = [p.new_var(f"item{i}", lb=0, ub=1) for i in range(2)]
    p.add(g.Not(g.BinPacking(tuple(items), (2, 2), (0, 1), (3, 3))), PROV)
    p.maximize(g.LinearSum(((1, items[0]), (1, items[1]))), PROV)
    p, x, y, b = new("BinLoad")
    items = [p.new_var(f"item{i}", lb=0, ub=2) for i in range(2)]
    load = g.BinLoad((items[0], items[1], x), (g.Const(3), x, g.Const(1)), 1)
    p.add(g.Compare("<=", load, g.Const(2)), PROV)
    p.maximize(g.LinearSum(((1, load), (1, items[0]), (1, items[1]))), PROV)
    p, x, y, b = new("satisfaction")
    p.add(g.Compare("=", g.LinearSum(((1, x), (1, y))), g.Const(-7)), PROV)
    p, x, y, b = new("infeasible")
    p.add(g.Compare(">", g.LinearSum(((1, x), (1, y))), g.Const(9)), PROV)
    return cases


NODE_CASES = _node_cases()


@pytest.mark.parametrize("name", list(NODE_CASES))
def test_node_type_matches_brute_force(name: str) -> None:
    check_against_brute_force(NODE_CASES[name])


SHARED_CASES = node_cases()


@pytest.mark.parametrize("name", list(SHARED_CASES))
def test_shared_node_case_matches_brute_force(name: str) -> None:
    check_against_brute_force(SHARED_CASES[name])


def test_division_and_modulo_truncate_like_sql_on_every_sign() -> None:
    for numerator, divisor in itertools.product((-7, -6, -1, 0, 1, 6, 7), (-3, -2, 2, 3)):
        p = g.Problem()
        x = p.new_var("x", lb=-10, ub=10)
        q, r = p.new_var("q", lb=-10, ub=10), p.new_var("r", lb=-10, ub=10)
        p.add(g.Compare("=", x, g.Const(numerator)), PROV)
        p.add(g.Compare("=", q, g.Div(x, divisor)), PROV)
        p.add(g.Compare("=", r, g.Mod(x, divisor)), PROV)
        result = solve(p)
        expected_q = int(numerator / divisor)  # Python's float division truncates via int()
        assert result.assignment[q.index] == expected_q, (numerator, divisor)
        assert result.assignment[r.index] == numerator - divisor * expected_q
    # spelled out: SQL gives -7 / 2 = -3 and -7 % 2 = -1 where Z3's own div gives -4 and 1
    p = g.Problem()
    x = p.new_var("x", lb=-7, ub=-7)
    p.maximize(g.LinearSum(((100, g.Div(x, 2)), (1, g.Mod(x, 2)))), PROV)
    assert solve(p).objective == -301


def test_integers_beyond_int64_are_exact() -> None:
    p = g.Problem()
    big = 2**62
    x, y = p.new_var("x", lb=0, ub=big), p.new_var("y", lb=-big, ub=big)
    p.add(g.Compare("<=", g.LinearSum(((1, x), (-1, y))), g.Const(big + 1)), PROV)
    p.add(g.Compare(">=", y, g.Const(-2)), PROV)
    p.maximize(g.LinearSum(((8, x), (-8, y))), PROV)
    result = solve(p, time_limit=10)
    assert result.status == Status.OPTIMAL
    # x - y <= 2**62 + 1 binds (x = 2**62, y = -1): the sum beyond int64 is exact
    assert result.objective == 8 * (big + 1) > 2**64
    assert result.objective == objective_value(p, result.assignment)


def test_core_is_an_infeasible_subset_of_the_constraints() -> None:
    p = infeasible_with_a_core()
    result = solve(p, want_core=True)
    assert result.status == Status.INFEASIBLE
    assert result.core and set(result.core) <= set(range(5))
    assert brute_force(p, result.core)[0] is False
    for member in result.core:  # core.minimize: every member is needed
        assert brute_force(p, [i for i in result.core if i != member])[0] is True
    assert solve(p).core is None


def test_want_core_on_a_feasible_problem_still_optimises() -> None:
    p = NODE_CASES["Product"]
    result = solve(p, want_core=True)
    assert result.status == Status.OPTIMAL
    assert result.objective == brute_force(p)[1]


def test_time_limit_is_end_to_end_and_keeps_a_checked_incumbent() -> None:
    p = quadratic_assignment(9)
    started = time.perf_counter()
    result = solve(p, time_limit=0.5)
    assert time.perf_counter() - started < 2.0
    assert result.status in (Status.FEASIBLE, Status.UNKNOWN)
    if result.status == Status.FEASIBLE:
        assert violations(p, result.assignment) == []
        assert result.objective == objective_value(p, result.assignment)
    else:
        assert result.assignment is None and result.objective is None
        assert result.stats["z3_reason_unknown"]


def test_hints_on_a_satisfaction_problem_are_the_answer_when_they_solve_it() -> None:
    p = g.Problem()
    xs = [p.new_var(f"x{i}", lb=0, ub=5) for i in range(3)]
    flag = p.new_var("flag", is_bool=True)
    p.add(g.Compare("=", g.LinearSum(tuple((1, x) for x in xs)), g.Const(9)), PROV)
    p.add(g.Or((flag, g.Compare("=", xs[0], g.Const(0)))), PROV)
    p.hints.update({0: 4, 1: 1, 2: 4, flag.index: 1, 99: 1})  # no variable 99: ignored
    assert solve(p).assignment == {0: 4, 1: 1, 2: 4, 3: 1}
    p.hints[1] = 17  # outside the domain: dropped, not an error
    result = solve(p)
    assert result.status == Status.OPTIMAL and violations(p, result.assignment) == []


def test_unknown_parameter_is_a_solver_error_with_a_suggestion() -> None:
    with pytest.raises(SolverError, match="arith.solvr") as info:
        solve(NODE_CASES["satisfaction"], extra={"arith.solvr": 3})
    assert "arith.solver" in (info.value.hint or "")
    with pytest.raises(SolverError, match="cannot take"):
        solve(NODE_CASES["satisfaction"], extra={"timeout": "soon"})
    assert solve(NODE_CASES["satisfaction"], extra={"smt.arith.solver": 6}).status == \
        Status.OPTIMAL


@pytest.mark.parametrize("name", ["BinLoad", "satisfaction", "Element", "Div", "infeasible"])
def test_export_parses_back_with_the_same_satisfiability(name: str) -> None:
    import z3

    p = NODE_CASES[name]
    text, suffix = Z3Backend().export(p)
    assert suffix == ".smt2"
    assertions = z3.parse_smt2_string(text)
    assert len(assertions) >= len(p.constraints)
    assert ("(maximize" in text) == bool(p.objective)
    solver = z3.Solver()
    solver.add(assertions)
    assert (solver.check() == z3.sat) == brute_force(p)[0]


def test_empty_domain_and_out_of_range_element_are_infeasible() -> None:
    p = g.Problem()
    p.new_var("x", values=())
    assert solve(p).status == Status.INFEASIBLE
    p = g.Problem()
    x = p.new_var("x", lb=5, ub=7)
    b = p.new_var("b", is_bool=True)
    # the element sits in a branch that b could switch off; still infeasible everywhere
    p.add(g.Or((b, g.Compare("=", g.Element(x, (1, 2, 3)), g.Const(1)))), PROV)
    assert solve(p).status == Status.INFEASIBLE


def test_registry_and_capabilities() -> None:
    backend = get_backend("smt")
    assert isinstance(backend, Z3Backend)
    caps = backend.capabilities
    assert caps.cores and caps.optimisation and caps.var_times_var and not caps.parallel
    assert caps.native == frozenset(g.EXPR_TYPES) == caps.reifiable
    availability = Z3Backend.available()
    assert availability.ok and availability.version.startswith("z3 ")


# ---- random problems against brute force -------------------------------------------------


@st.composite
def random_problems(draw: st.DrawFn) -> g.Problem:
    p = g.Problem()
    bools, ints = draw_variables(draw, p, most=3, values=(-4, 5), lowest=(-4, 3))
    small = st.integers(-3, 3)

    def int_expr(depth: int) -> g.Expr:
        choice = draw(st.integers(-1, 11 if depth > 0 else 1))
        if choice <= 0 and ints:
            return draw(st.sampled_from(ints))
        if choice <= 1:
            return g.Const(draw(small))
        a, b = int_expr(depth - 1), int_expr(depth - 1)
        if choice == 2:
            return g.LinearSum(((draw(small), a), (draw(small), b)), draw(small))
        if choice == 3:
            return g.Product(a, b)
        if choice in (4, 5):
            divisor = draw(st.sampled_from([-3, -2, 2, 3]))
            return g.Div(a, divisor) if choice == 4 else g.Mod(a, divisor)
        if choice == 6:
            return g.Abs(a)
        if choice == 7:
            return (g.Min if draw(st.booleans()) else g.Max)((a, b))
        if choice == 8:
            return g.BoolAsInt(bool_expr(depth - 1))
        if choice == 9:
            return g.IfThenElse(bool_expr(depth - 1), a, b)
        if choice == 10:
            values = tuple(draw(st.lists(small, min_size=2, max_size=7)))
            return g.Element(g.LinearSum(((1, a),), draw(st.integers(0, 3))), values)
        return g.BinLoad((a, b), (g.Const(draw(st.integers(0, 3))), int_expr(0)), draw(small))

    def bool_expr(depth: int) -> g.Expr:
        choice = draw(st.integers(0, 13 if depth > 0 else 1))
        if choice == 0 and bools:
            return draw(st.sampled_from(bools))
        if choice <= 1:
            return g.Compare(draw(st.sampled_from(g.COMPARE_OPS)), int_expr(0), int_expr(0))
        args = tuple(int_expr(depth - 1) for _ in range(draw(st.integers(2, 3))))
        if choice == 2:
            return g.Compare(draw(st.sampled_from(["=", "!="])), bool_expr(depth - 1),
                             bool_expr(depth - 1))
        if choice in (3, 4):
            parts = tuple(bool_expr(depth - 1) for _ in range(draw(st.integers(1, 3))))
            return g.And(parts) if choice == 3 else g.Or(parts)
        if choice == 5:
            return g.Not(bool_expr(depth - 1))
        if choice == 6:
            return g.Implies(bool_expr(depth - 1), bool_expr(depth - 1))
        if choice == 7:
            vals = sorted(draw(st.sets(st.integers(-4, 5), min_size=1, max_size=4)))
            return g.InSet(args[0], tuple(vals))
        if choice == 8:
            return g.AllDifferent(args)
        if choice == 9:
            return g.AllEqual(args)
        if choice == 10:
            return g.Increasing(args)
        if choice == 11:
            rows = draw(st.lists(st.tuples(*([small] * len(args))), max_size=4))
            return g.Table(args, tuple(rows))
        if choice == 12:
            bins = tuple(sorted(draw(st.sets(st.integers(-2, 4), min_size=1, max_size=3))))
            caps = tuple(draw(st.integers(0, 5)) for _ in bins)
            return g.BinPacking(args, tuple(draw(st.integers(0, 3)) for _ in args), bins, caps)
        return g.IfThenElse(bool_expr(depth - 1), bool_expr(depth - 1), bool_expr(depth - 1))

    for _ in range(draw(st.integers(1, 2))):
        expr = bool_expr(draw(st.integers(1, 2)))
        p.add(g.Not(expr) if draw(st.booleans()) else expr, PROV)
    for _ in range(draw(st.integers(0, 2))):
        p.maximize(int_expr(draw(st.integers(1, 2))), PROV)
    return p


@settings(max_examples=100, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(random_problems())
def test_random_problems_match_brute_force(problem: g.Problem) -> None:
    check_against_brute_force(problem)


def test_the_time_limit_also_bounds_building_the_terms() -> None:
    # 2,000 items on 50 bins: declaring the variables alone takes longer than 1 ms, so the
    # answer is UNKNOWN from the encoder, before any term of the capacity checks is built
    p = g.Problem()
    xs = tuple(p.new_var(f"x{i}", lb=0, ub=49) for i in range(2000))
    ones = (g.Const(1),) * len(xs)
    for b in range(50):
        p.add(g.Compare("<=", g.BinLoad(xs, ones, b), g.Const(40)), PROV)
    result = Z3Backend().solve(p, SolveOptions(time_limit=0.001))
    assert result.status is Status.UNKNOWN
    assert "building the Z3 terms" in result.stats["stopped"]
