"""The CP-SAT backend against the ground-IR evaluator.

Every answer is checked with `ground_eval` (the definition of each node's meaning), and small
problems are compared with a brute-force enumeration of all assignments: same status, same
optimal objective. The property test at the end generates random problems over every node
type, reified and at the top level.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brute import (
    PROV,
    assert_matches_brute_force,
    brute_force,
    draw_variables,
    infeasible_with_a_core,
    node_cases,
    quadratic_assignment,
)
from csql.backends.base import SolveOptions, Status, get_backend
from csql.backends.cpsat import CpSatBackend
from csql.ir import ground as g
from csql.ir.errors import SolverError, UnsupportedError
from csql.ir.ground_eval import objective_value, violations
from csql.ir.span import Span

pytest.importorskip("ortools")


def solve(problem: g.Problem, **options: object) -> object:
    return CpSatBackend().solve(problem, SolveOptions(**options))  # type: ignore[arg-type]


def check_against_brute_force(problem: g.Problem) -> None:
    assert_matches_brute_force(problem, solve(problem))


# ---- one test per node type -----------------------------------------------------------------


NODE_CASES = node_cases()


@pytest.mark.parametrize("name", list(NODE_CASES))
def test_node_type_matches_brute_force(name: str) -> None:
    check_against_brute_force(NODE_CASES[name])


def _connectives(c: g.Var, a: g.Var, e: g.Var) -> dict[str, g.Expr]:
    a_int, e_int = g.BoolAsInt(a), g.BoolAsInt(e)
    return {
        "and": g.And((c, a, g.Not(e))),
        "or": g.Or((c, g.Not(a), e)),
        "implies": g.Implies(g.And((c, a)), e),
        "ite": g.IfThenElse(c, a, e),
        "bool =": g.Compare("=", a, g.Or((c, e))),
        "bool !=": g.Compare("!=", a, e),
        "literal = 0": g.Compare("=", a_int, g.Const(0)),
        "inset whole range": g.InSet(g.LinearSum(((1, a_int), (1, e_int))), (-1, 0, 1, 2)),
        "inset with a hole": g.InSet(g.LinearSum(((1, a_int), (1, e_int))), (0, 2)),
        "table": g.Table((a_int, e_int, g.BoolAsInt(c)), ((1, 0, 1), (0, 0, 0), (1, 1, 0))),
        "all different": g.AllDifferent((a_int, e_int, g.Const(1))),
        "bin packing": g.BinPacking((a_int, e_int, g.BoolAsInt(c)), (2, 1, 1), (0, 1), (3, 1)),
    }


CONNECTIVES = list(_connectives(*(g.Var(i, n, True, 0, 1) for i, n in enumerate("cae"))))


@pytest.mark.parametrize("name", CONNECTIVES)
@pytest.mark.parametrize("context", ["top", "negated", "reified"])
def test_truth_table(name: str, context: str) -> None:
    """Every row of the truth table, in each context the encoder treats differently."""
    for values in itertools.product((0, 1), repeat=4):
        p = g.Problem()
        c, a, e, r = (p.new_var(n, is_bool=True) for n in "caer")
        expr = _connectives(c, a, e)[name]
        if context == "top":
            p.add(expr, PROV)
        elif context == "negated":
            p.add(g.Not(expr), PROV)
        else:
            p.add(g.Compare("=", r, expr), PROV)
        for var, value in zip((c, a, e, r), values):
            p.add(g.Compare("=", g.BoolAsInt(var), g.Const(value)), PROV)
        expected = not violations(p, dict(enumerate(values)))
        assert solve(p).status == (Status.OPTIMAL if expected else Status.INFEASIBLE), values


def test_division_and_modulo_follow_sql_on_negative_values() -> None:
    p = g.Problem()
    x = p.new_var("x", lb=-20, ub=20)
    q, r, q2, r2 = (p.new_var(n, lb=-20, ub=20) for n in ("q", "r", "q2", "r2"))
    p.add(g.Compare("=", x, g.Const(-7)), PROV)
    p.add(g.Compare("=", q, g.Div(x, 2)), PROV)
    p.add(g.Compare("=", r, g.Mod(x, 2)), PROV)
    p.add(g.Compare("=", q2, g.Div(x, -3)), PROV)
    p.add(g.Compare("=", r2, g.Mod(x, -3)), PROV)
    result = solve(p)
    # SQL: -7 / 2 = -3 (toward zero), -7 % 2 = -1, -7 / -3 = 2, -7 % -3 = -1
    assert [result.assignment[v.index] for v in (q, r, q2, r2)] == [-3, -1, 2, -1]


def test_int64_capacities_and_large_sums() -> None:
    p = g.Problem()
    big = 2**33
    items = [p.new_var(f"x{i}", lb=0, ub=1) for i in range(4)]
    demands = (big // 2, big // 2, big // 4, 3 * big // 4)
    p.add(g.BinPacking(tuple(items), demands, (0, 1), (big, big)), PROV)
    load = g.BinLoad(tuple(items), tuple(map(g.Const, demands)), 1)
    p.maximize(g.LinearSum(((1, load), (big, items[0]))), PROV)
    result = solve(p)
    assert result.status == Status.OPTIMAL
    assert violations(p, result.assignment) == []
    # best: item 0 (weight 2**33 + its demand) in bin 1 and bin 1 filled to 2**33 exactly
    assert result.objective == big + big
    assert result.objective == objective_value(p, result.assignment)
    assert result.objective > 2**31


def test_bounds_beyond_int64_are_refused_with_the_statement() -> None:
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=2**40)
    y = p.new_var("y", lb=0, ub=2**40)
    span = Span("policy.sql", 3, 5, 3, 20)
    p.add(g.Compare(">=", g.Product(x, y), g.Const(1)),
          g.Provenance("cap_check", "check", (("id", 7),), span))
    with pytest.raises(UnsupportedError, match="62-bit") as info:
        solve(p)
    assert info.value.span == span
    assert "cap_check" in info.value.message and info.value.hint
    assert info.value.render().startswith("policy.sql:3:5: ")


def test_model_rejected_by_cp_sat_is_a_solver_error(monkeypatch: pytest.MonkeyPatch) -> None:
    encode = CpSatBackend._encode

    def broken(self, problem, options, **keywords):  # type: ignore[no-untyped-def]
        encoded = encode(self, problem, options, **keywords)
        encoded.encoder.model.new_int_var(0, 2**62 + 5, "too_wide")  # invalid domain
        return encoded

    monkeypatch.setattr(CpSatBackend, "_encode", broken)
    with pytest.raises(SolverError, match="too_wide") as info:
        solve(NODE_CASES["satisfaction"])
    assert "bug" in (info.value.hint or "")


def test_infeasible_with_core_names_an_infeasible_subset() -> None:
    p = infeasible_with_a_core()
    result = solve(p, want_core=True)
    assert result.status == Status.INFEASIBLE
    assert result.core, "an infeasible problem with tracked constraints names a core"
    assert set(result.core) <= set(range(5))
    assert brute_force(p, result.core)[0] is False
    assert solve(p).core is None


def test_want_core_on_a_feasible_problem_still_optimises() -> None:
    p = NODE_CASES["Product"]
    result = solve(p, want_core=True)
    assert result.status == Status.OPTIMAL
    assert result.objective == brute_force(p)[1]


def test_time_limit_on_a_hard_instance() -> None:
    p = quadratic_assignment(30)
    result = solve(p, time_limit=0.2, workers=1)
    assert result.status in (Status.FEASIBLE, Status.UNKNOWN)
    if result.status == Status.FEASIBLE:
        assert violations(p, result.assignment) == []
    else:
        assert result.assignment is None and result.objective is None
    assert result.timings["solver"] < 3


def test_time_limit_keeps_the_incumbent() -> None:
    p = quadratic_assignment(30)
    p.hints.update({i: i for i in range(30)})  # a complete solution: an incumbent at once
    result = solve(p, time_limit=1.0, workers=1)
    assert result.status == Status.FEASIBLE
    assert violations(p, result.assignment) == []
    assert result.objective == objective_value(p, result.assignment)
    assert result.objective >= objective_value(p, p.hints)
    assert result.bound is not None and result.bound > result.objective
    assert result.timings["solver"] < 5


def test_hints_are_passed_to_the_solver() -> None:
    p = g.Problem()
    xs = [p.new_var(f"x{i}", lb=0, ub=5) for i in range(3)]
    b = p.new_var("b", is_bool=True)
    p.add(g.Compare("<=", g.LinearSum(tuple((1, x) for x in xs)), g.Const(9)), PROV)
    p.hints.update({0: 4, 1: 1, 2: 3, 3: 1, 99: 1})  # an index without variable is ignored
    # with the hinted values fixed, the answer must be exactly the hint
    result = solve(p, extra={"fix_variables_to_their_hinted_value": True})
    assert result.assignment == {0: 4, 1: 1, 2: 3, 3: 1}
    p.hints[0] = 9  # outside the domain: dropped, not an error
    assert solve(p).status == Status.OPTIMAL
    assert b.index == 3


def test_unknown_parameter_is_refused_with_a_suggestion() -> None:
    p = NODE_CASES["satisfaction"]
    with pytest.raises(SolverError, match="num_wrkers") as info:
        solve(p, extra={"num_wrkers": 2})
    assert "num_workers" in (info.value.hint or "")
    with pytest.raises(SolverError, match="cannot take"):
        solve(p, extra={"num_workers": "many"})
    assert solve(p, extra={"search_branching": "FIXED_SEARCH"}).status == Status.OPTIMAL


def test_export_is_parseable_proto_text() -> None:
    from google.protobuf import text_format
    from ortools.sat import cp_model_pb2

    p = NODE_CASES["BinLoad"]
    text, suffix = CpSatBackend().export(p)
    assert suffix == ".pb.txt"
    model = text_format.Parse(text, cp_model_pb2.CpModelProto())
    assert len(model.variables) >= len(p.variables)
    assert model.HasField("objective")


def test_equality_literals_are_shared() -> None:
    p = g.Problem()
    items = [p.new_var(f"x{i}", lb=0, ub=3) for i in range(3)]
    ones = (g.Const(1),) * 3
    p.add(g.Compare("<=", g.BinLoad(tuple(items), ones, 1), g.Const(2)), PROV)
    p.add(g.Compare(">=", g.BinLoad(tuple(items), (g.Const(2),) * 3, 1), g.Const(2)), PROV)
    p.add(g.Or((g.Compare("=", items[0], g.Const(1)), g.Compare("=", items[1], g.Const(1)))),
          PROV)
    result = solve(p)
    assert result.status == Status.OPTIMAL
    assert violations(p, result.assignment) == []
    # three variables, one block of four value literals per item (shared by both loads and
    # by the two equalities, which add nothing), and one defined variable per bin load
    assert result.stats["cpsat_variables"] == 3 + 3 * 4 + 2


def test_workers_seed_and_statistics() -> None:
    result = solve(NODE_CASES["Table"], workers=2, seed=7)
    assert result.status == Status.OPTIMAL
    assert {"emission", "solver", "total"} <= set(result.timings)
    assert {"branches", "conflicts", "wall_time", "cpsat_variables",
            "cpsat_constraints"} <= set(result.stats)


def test_registry_and_capabilities() -> None:
    backend = get_backend("cpsat")
    assert isinstance(backend, CpSatBackend)
    caps = backend.capabilities
    assert caps.cores and caps.hints and caps.parallel and caps.optimisation
    assert set(g.EXPR_TYPES) == caps.native
    assert g.AllDifferent not in caps.reifiable and g.Compare in caps.reifiable
    assert CpSatBackend.available().ok


def test_empty_domain_and_out_of_range_element_are_infeasible() -> None:
    p = g.Problem()
    p.new_var("x", values=())
    assert solve(p).status == Status.INFEASIBLE
    p = g.Problem()
    x = p.new_var("x", lb=5, ub=7)
    p.maximize(g.Element(x, (1, 2, 3)), PROV)
    assert solve(p).status == Status.INFEASIBLE


# ---- random problems against brute force -------------------------------------------------


@st.composite
def random_problems(draw: st.DrawFn) -> g.Problem:
    p = g.Problem()
    bools, ints = draw_variables(draw, p, kinds=4)
    small = st.integers(-3, 3)

    def int_expr(depth: int) -> g.Expr:
        choice = draw(st.integers(-1, 12 if depth > 0 else 1))
        if choice <= 0 and ints:
            return draw(st.sampled_from(ints))
        if choice <= 1:
            return g.Const(draw(small))
        sub = [int_expr(depth - 1) for _ in range(2)]
        if choice == 2:
            return g.LinearSum(((draw(small), sub[0]), (draw(small), sub[1])), draw(small))
        if choice == 3:
            return g.Product(sub[0], sub[1])
        if choice == 4:
            return g.Div(sub[0], draw(st.sampled_from([-3, -2, 2, 3])))
        if choice == 5:
            return g.Mod(sub[0], draw(st.sampled_from([-3, -2, 2, 3])))
        if choice == 6:
            return g.Abs(sub[0])
        if choice == 7:
            return (g.Min if draw(st.booleans()) else g.Max)(tuple(sub))
        if choice == 8:
            return g.BoolAsInt(bool_expr(depth - 1))
        if choice == 9:
            return g.IfThenElse(bool_expr(depth - 1), sub[0], sub[1])
        if choice == 10:
            values = tuple(draw(st.lists(small, min_size=3, max_size=8)))
            return g.Element(g.LinearSum(((1, sub[0]),), draw(st.integers(0, 3))), values)
        return g.BinLoad((sub[0], sub[1]), (g.Const(draw(st.integers(0, 3))), int_expr(0)),
                         draw(small))

    def bool_expr(depth: int) -> g.Expr:
        choice = draw(st.integers(0, 15 if depth > 0 else 1))
        if choice == 0 and bools:
            return draw(st.sampled_from(bools))
        if choice <= 1:
            return g.Const(draw(st.booleans())) if draw(st.integers(0, 3)) == 0 else \
                g.Compare(draw(st.sampled_from(g.COMPARE_OPS)), int_expr(0), int_expr(0))
        args = [int_expr(depth - 1) for _ in range(draw(st.integers(2, 3)))]
        if choice == 2:
            return g.Compare(draw(st.sampled_from(g.COMPARE_OPS)), args[0], args[1])
        if choice == 3:
            return g.Compare(draw(st.sampled_from(["=", "!="])), bool_expr(depth - 1),
                             bool_expr(depth - 1))
        if choice in (4, 5):
            parts = tuple(bool_expr(depth - 1) for _ in range(draw(st.integers(1, 3))))
            return g.And(parts) if choice == 4 else g.Or(parts)
        if choice == 6:
            return g.Not(bool_expr(depth - 1))
        if choice == 7:
            return g.Implies(bool_expr(depth - 1), bool_expr(depth - 1))
        if choice == 8:
            vals = draw(st.lists(st.integers(-4, 6), min_size=1, max_size=4, unique=True))
            return g.InSet(args[0], tuple(sorted(vals)))
        if choice == 9:
            return g.AllDifferent(tuple(args))
        if choice == 10:
            return g.AllEqual(tuple(args))
        if choice == 11:
            return g.Increasing(tuple(args))
        if choice == 12:
            rows = draw(st.lists(st.tuples(*([small] * len(args))), max_size=4))
            return g.Table(tuple(args), tuple(rows))
        if choice == 13:
            bins = tuple(sorted(draw(st.sets(st.integers(-2, 4), min_size=1, max_size=3))))
            caps = tuple(draw(st.integers(0, 5)) for _ in bins)
            demands = tuple(draw(st.integers(0, 3)) for _ in args)
            return g.BinPacking(tuple(args), demands, bins, caps)
        if choice == 14:
            return g.IfThenElse(bool_expr(depth - 1), bool_expr(depth - 1),
                                bool_expr(depth - 1))
        return g.Not(g.AllDifferent(tuple(args)))

    for _ in range(draw(st.integers(1, 2))):
        # the top level has its own encodings (plain, half-reified, De Morgan), so every
        # connective appears there as often as below it
        shape = draw(st.sampled_from(["plain", "implies", "not", "and", "or"]))
        depth = draw(st.integers(1, 2))
        if shape == "implies":
            p.add(g.Implies(bool_expr(depth - 1), bool_expr(depth)), PROV)
        elif shape == "not":
            p.add(g.Not(bool_expr(depth)), PROV)
        elif shape in ("and", "or"):
            parts = (bool_expr(depth - 1), bool_expr(depth))
            p.add(g.And(parts) if shape == "and" else g.Or(parts), PROV)
        else:
            p.add(bool_expr(depth), PROV)
    for _ in range(draw(st.integers(0, 2))):
        p.maximize(int_expr(draw(st.integers(1, 2))), PROV)
    return p


@settings(max_examples=200, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(random_problems())
def test_random_problems_match_brute_force(problem: g.Problem) -> None:
    check_against_brute_force(problem)


# ---- large placement problems: bulk encoding, greedy hint, time limit -----------------------


def placement_problem(bins: int, items: int, *, sparse: bool = False, seed: int = 1,
                      objective: bool = True) -> g.Problem:
    """Items with cpu and memory demands onto bins with capacities (DCM's load balancing as
    ground IR): two capacity checks per bin and `maximize min(cpu capacity - cpu load)`."""
    rng = __import__("random").Random(seed)
    p = g.Problem()
    codes = tuple(range(0, 2 * bins, 2)) if sparse else tuple(range(bins))
    xs = tuple(p.new_var(f"x{i}", values=codes) for i in range(items))
    cpu = tuple(g.Const(rng.randint(1, 9)) for _ in xs)
    mem = tuple(g.Const(rng.randint(1, 9)) for _ in xs)
    cpu_cap = [rng.randint(6, 12) * items // bins for _ in codes]
    mem_cap = [rng.randint(6, 12) * items // bins for _ in codes]
    for b, cc, mc in zip(codes, cpu_cap, mem_cap):
        p.add(g.And((g.Compare("<=", g.BinLoad(xs, cpu, b), g.Const(cc)),
                     g.Compare("<=", g.BinLoad(xs, mem, b), g.Const(mc)))), PROV)
    if objective:
        # a second tuple with the same items, as a separate view of spare CPU grounds it
        again = tuple(xs)
        p.maximize(g.Min(tuple(g.LinearSum(((-1, g.BinLoad(again, cpu, b)),), cc)
                               for b, cc in zip(codes, cpu_cap))), PROV)
    return p


@pytest.mark.parametrize("sparse", [False, True])
def test_greedy_placement_satisfies_every_capacity(sparse: bool) -> None:
    from csql.backends.cpsat_greedy import check_placement, greedy_placement

    for seed in range(5):
        p = placement_problem(7, 30, sparse=sparse, seed=seed)
        placement = greedy_placement(p)
        assert sorted(placement) == list(range(30))
        assert violations(p, placement) == []
        assert check_placement(p, placement) == objective_value(p, placement)


def test_greedy_placement_respects_item_domains_and_database_values() -> None:
    from csql.backends.cpsat_greedy import greedy_placement

    p = g.Problem()
    xs = (p.new_var("a", values=(0, 1, 2)), p.new_var("b", values=(2,)),
          p.new_var("c", values=(0, 1, 2)))
    p.hints = {0: 1}
    load = g.BinLoad(xs, (g.Const(5), g.Const(5), g.Const(5)), 2)
    p.add(g.Compare(">=", g.Const(5), load), PROV)  # mirrored: 5 >= load of bin 2
    placement = greedy_placement(p)
    assert placement[0] == 1  # the database's value fits, so it is kept
    assert placement[1] == 2  # the only value in its domain
    assert placement[2] != 2  # bin 2 is full
    assert violations(p, placement) == []


def test_check_placement_refuses_an_overloaded_bin() -> None:
    from csql.backends.cpsat_greedy import check_placement

    p = placement_problem(3, 12, objective=False)
    assert check_placement(p, dict.fromkeys(range(12), 0)) is None
    assert check_placement(p, {0: 0}) is None  # incomplete


def test_complete_hint_is_a_solution_of_the_cp_sat_model() -> None:
    # With every CP-SAT variable fixed to its hinted value the model must still be feasible:
    # each recorded definition (bin loads, min, products, reified comparisons, if-then-else,
    # equality literals) computes what the CP-SAT constraints require.
    p = placement_problem(4, 12)
    xs = p.variables[:12]
    y = p.new_var("y", lb=-3, ub=3)
    p.add(g.Compare("<=", g.Product(y, xs[0]), g.Const(50)), PROV)
    p.add(g.Or((g.Compare("=", xs[1], g.Const(0)), g.Compare("!=", xs[2], g.Const(1)),
                g.Compare(">", y, g.Const(5)))), PROV)
    p.add(g.Compare(">=", g.IfThenElse(g.Compare("<", y, g.Const(0)), g.Abs(y),
                                       g.Mod(g.LinearSum(((1, y), (1, xs[3]))), 2)),
                    g.Const(0)), PROV)
    result = solve(p, extra={"fix_variables_to_their_hinted_value": True})
    assert result.stats["hint"] == "complete"
    assert result.status.has_solution
    assert violations(p, result.assignment) == []


def test_bulk_bin_loads_match_brute_force_on_sparse_domains() -> None:
    p = g.Problem()
    xs = tuple(p.new_var(f"x{i}", values=(1, 4, 9)) for i in range(4))
    demands = (g.Const(3), g.Const(-2), g.Const(5), g.Const(0))
    for b in (1, 4, 9):
        p.add(g.Compare("<=", g.BinLoad(xs, demands, b), g.Const(5)), PROV)
    p.maximize(g.LinearSum(((2, g.BinLoad(xs, demands, 4)), (-1, g.BinLoad(xs, demands, 9)))),
               PROV)
    check_against_brute_force(p)


def test_equal_bin_loads_from_different_statements_share_one_variable() -> None:
    p = placement_problem(5, 10)
    result = solve(p, use_hints=False)
    # 10 items, 10 x 5 value literals, one variable per (dimension, bin) and the minimum:
    # the objective's loads (a separate tuple of the same items) reuse the capacity loads
    assert result.stats["cpsat_variables"] == 10 + 50 + 2 * 5 + 1
    assert violations(p, result.assignment) == []


def test_a_large_placement_with_a_short_limit_returns_promptly_with_a_solution() -> None:
    import time

    p = placement_problem(150, 900)  # 135,000 assignment literals
    started = time.perf_counter()
    result = solve(p, time_limit=1.0, workers=2)
    assert time.perf_counter() - started < 3.0
    assert result.status in (Status.FEASIBLE, Status.OPTIMAL)
    assert violations(p, result.assignment) == []
    assert result.objective == objective_value(p, result.assignment)


def test_emission_past_the_deadline_stops_with_unknown() -> None:
    import time

    p = placement_problem(150, 900, objective=False)
    started = time.perf_counter()
    result = solve(p, time_limit=0.0, use_hints=False)
    assert time.perf_counter() - started < 2.0
    assert result.status == Status.UNKNOWN
    assert result.assignment is None
    assert "time limit" in result.stats["stopped"]


def test_the_greedy_placement_answers_when_cp_sat_finds_nothing() -> None:
    p = placement_problem(6, 24)
    # presolve only: CP-SAT reports no solution, the checked greedy placement is the answer
    result = solve(p, extra={"stop_after_presolve": True}, time_limit=10)
    assert result.status == Status.FEASIBLE
    assert result.stats["solution_source"] == "greedy placement"
    assert violations(p, result.assignment) == []
    assert result.objective == objective_value(p, result.assignment)


def test_pinned_items_stay_on_the_bulk_bin_load_path() -> None:
    # Items whose domain is one bin (pinned, or narrowed by csql) add their demand to that
    # bin as a constant: the loads stay one linear equation per bin instead of falling back
    # to a literal per (item, bin) pair.
    p = g.Problem()
    free = tuple(p.new_var(f"x{i}", values=(0, 1, 2)) for i in range(4))
    pinned = (p.new_var("p0", values=(1,)), p.new_var("p1", values=(2,)))
    xs = free[:2] + pinned + free[2:]
    demands = tuple(g.Const(d) for d in (2, 3, 4, 1, 2, 3))
    for b, cap in ((0, 5), (1, 6), (2, 4)):
        p.add(g.Compare("<=", g.BinLoad(xs, demands, b), g.Const(cap)), PROV)
    p.maximize(g.LinearSum(((1, g.BinLoad(xs, demands, 0)),)), PROV)
    check_against_brute_force(p)
    result = solve(p, use_hints=False)
    # 6 variables, 3 value literals for each of the 4 free ones, one load per bin
    assert result.stats["cpsat_variables"] == 6 + 4 * 3 + 3
    # bin 1 holds p0 (4) + at most 2 more; bin 2 holds p1 (1) + at most 3 more: the hint
    # computed for the loads counts the pinned demands too
    hinted = solve(p, extra={"fix_variables_to_their_hinted_value": True})
    assert hinted.stats["hint"] == "complete" and hinted.status.has_solution
    assert violations(p, hinted.assignment) == []
