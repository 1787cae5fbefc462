"""The linearisation passes and the ILP backend, against the ground-IR evaluator.

A linearised problem must have the same solutions as the original once its auxiliary
variables are projected away: for every assignment of the original variables, the linear
model with those values fixed is feasible exactly when the assignment is a solution. That is
checked per pass prefix with CP-SAT (which takes any ground problem, so the intermediate
problems can be solved too), and the final model is solved with HiGHS and compared with a
brute-force enumeration: same status, same optimum.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csql
from brute import (
    PROV,
    assert_matches_brute_force,
    brute_force,
    domain,
    node_cases,
    solutions,
)
from csql.backends import ilp_emit
from csql.backends.base import SolveOptions, Status, get_backend
from csql.backends.cpsat import CpSatBackend
from csql.backends.ilp import IlpBackend
from csql.ir import ground as g
from csql.ir.errors import BackendUnavailable, UnsupportedError
from csql.ir.ground_eval import evaluate, objective_value, violations
from csql.ir.span import Span
from csql.rewrites.linearize import LINEARIZE, Limits, is_linear_row, linear_terms, linearize

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def fixed(problem: g.Problem, assignment: dict[int, int]) -> g.Problem:
    """The problem with the given variables pinned to the given values."""
    out = g.Problem(list(problem.variables), list(problem.constraints), [])
    for index, value in assignment.items():
        out.add(g.Compare("=", problem.variables[index], g.Const(value)), PROV)
    return out


def assert_same_projection(original: g.Problem, lowered: g.Problem) -> None:
    """Each assignment of the original variables extends to a solution of `lowered` exactly
    when it is a solution of `original` (checked assignment by assignment with CP-SAT)."""
    wanted = {tuple(s[i] for i in range(len(original.variables)))
              for s in solutions(original)}
    for values in itertools.product(*(domain(v) for v in original.variables)):
        result = CpSatBackend().solve(fixed(lowered, dict(enumerate(values))))
        assert result.status.has_solution == (values in wanted), (values, result.status)


def ilp(problem: g.Problem, sub: str | None = None, **options: object):
    return IlpBackend(sub).solve(problem, SolveOptions(**options))  # type: ignore[arg-type]


def check_against_brute_force(problem: g.Problem, sub: str | None = None) -> None:
    assert_matches_brute_force(problem, ilp(problem, sub))


# ---------------------------------------------------------------------------------------------
# Hand-built problems, one per family of nodes the passes handle


def _globals_problem() -> g.Problem:
    p = g.Problem()
    a, b, c = (p.new_var(n, values=(0, 1, 3)) for n in "abc")
    p.add(g.AllDifferent((a, b, c)), PROV)
    p.add(g.Or((g.Table((a, b), ((0, 1), (3, 0), (1, 1))), g.Not(g.Increasing((a, c))))), PROV)
    p.maximize(g.Element(b, (7, 2, 5, 9)), PROV)
    p.maximize(g.BinLoad((a, b, c), (g.Const(2), g.Const(3), g.Const(4)), 3), PROV)
    return p


def _bin_packing_problem() -> g.Problem:
    p = g.Problem()
    items = [p.new_var(f"i{k}", lb=0, ub=2) for k in range(3)]
    on = p.new_var("on", is_bool=True)
    p.add(g.Implies(on, g.BinPacking(tuple(items), (3, 2, 2), (0, 1), (4, 2))), PROV)
    p.add(g.AllEqual((items[0], g.LinearSum(((1, items[1]),), 0))), PROV)
    p.maximize(g.LinearSum(((5, g.BoolAsInt(on)), (1, items[2]))), PROV)
    return p


def _arithmetic_problem() -> g.Problem:
    p = g.Problem()
    x = p.new_var("x", lb=-7, ub=7)
    y = p.new_var("y", lb=-2, ub=3)
    b = p.new_var("b", is_bool=True)
    p.add(g.Compare("!=", g.Mod(x, 3), g.Const(0)), PROV)
    p.add(g.Compare(">=", g.Div(x, -2), g.Min((y, g.Const(1)))), PROV)
    p.maximize(g.Abs(g.LinearSum(((1, x), (2, y)), -1)), PROV)
    p.maximize(g.Product(g.BoolAsInt(b), y), PROV)
    p.maximize(g.IfThenElse(g.Compare("<", x, y), g.Max((x, y)), g.Product(y, y)), PROV)
    return p


def _logic_problem() -> g.Problem:
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=4)
    y = p.new_var("y", values=(1, 2, 4))
    b = p.new_var("b", is_bool=True)
    c = p.new_var("c", is_bool=True)
    p.add(g.Or((g.And((b, g.Compare("=", x, y))),
                g.Implies(c, g.Compare("!=", x, g.Const(2))))), PROV)
    p.add(g.Compare("=", b, g.Not(c)), PROV)
    p.add(g.Not(g.Compare("<=", x, g.Const(0))), PROV)
    p.add(g.Implies(g.InSet(x, (1, 3)), g.IfThenElse(b, g.Compare(">", y, x), c)), PROV)
    p.maximize(g.LinearSum(((1, x), (-1, y), (2, g.BoolAsInt(g.Compare("!=", x, y))))), PROV)
    return p


PROBLEMS = {
    "globals": _globals_problem,
    "bin_packing": _bin_packing_problem,
    "arithmetic": _arithmetic_problem,
    "logic": _logic_problem,
}


@pytest.mark.parametrize("name", sorted(PROBLEMS))
@pytest.mark.parametrize("steps", range(1, len(LINEARIZE) + 1))
def test_each_pass_prefix_keeps_the_solutions(name: str, steps: int) -> None:
    original = PROBLEMS[name]()
    lowered = original
    for step in LINEARIZE[:steps]:
        lowered = step(lowered, Limits())
    assert lowered.variables[:len(original.variables)] == original.variables
    assert_same_projection(original, lowered)
    # the optimum is the same (CP-SAT on the lowered problem, brute force on the original)
    _, best = brute_force(original)
    result = CpSatBackend().solve(lowered)
    assert result.objective == best


SHARED_CASES = node_cases()


@pytest.mark.parametrize("name", list(SHARED_CASES))
def test_shared_node_case_matches_brute_force(name: str) -> None:
    check_against_brute_force(SHARED_CASES[name])


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_the_last_pass_leaves_only_linear_rows(name: str) -> None:
    linear = linearize(PROBLEMS[name]())
    assert all(is_linear_row(c.expr) for c in linear.constraints)
    assert all(linear_terms(t.expr) is not None for t in linear.objective)


@pytest.mark.parametrize("name", sorted(PROBLEMS))
@pytest.mark.parametrize("sub", ["highs", "cbc"])
def test_ilp_matches_brute_force_and_cpsat(name: str, sub: str) -> None:
    problem = PROBLEMS[name]()
    check_against_brute_force(problem, sub)
    assert ilp(problem, sub).objective == CpSatBackend().solve(problem).objective


def test_one_hot_literals_are_shared_per_variable_and_value() -> None:
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=5)
    p.add(g.Compare("!=", x, g.Const(2)), PROV)
    p.add(g.Or((g.Compare("=", x, g.Const(2)), g.Compare("=", x, g.Const(3)))), PROV)
    p.add(g.BinPacking((x,), (1,), (2, 3, 4), (1, 1, 1)), PROV)
    linear = linearize(p)
    # one binary per value of x (6), nothing else boolean
    assert sum(v.is_bool for v in linear.variables) == 6
    assert ilp(p).assignment == {0: 3}


def test_division_and_remainder_truncate_toward_zero_like_sql() -> None:
    for divisor in (3, -3):
        p = g.Problem()
        x = p.new_var("x", lb=-8, ub=8)
        q = p.new_var("q", lb=-9, ub=9)
        r = p.new_var("r", lb=-9, ub=9)
        p.add(g.Compare("=", q, g.Div(x, divisor)), PROV)
        p.add(g.Compare("=", r, g.Mod(x, divisor)), PROV)
        for value in range(-8, 9):
            pinned = fixed(p, {0: value})
            result = ilp(pinned)
            assert result.status is Status.OPTIMAL
            assert result.assignment[1] == evaluate(g.Div(g.Const(value), divisor), {})
            assert result.assignment[2] == evaluate(g.Mod(g.Const(value), divisor), {})


# ---------------------------------------------------------------------------------------------
# Random problems against brute force


def _leaf(draw, variables: list[g.Var]) -> g.Expr:
    ints = [v for v in variables if not v.is_bool]
    if draw(st.booleans()):
        return draw(st.sampled_from(ints))
    return g.Const(draw(st.integers(-3, 3)))


@st.composite
def _int_expr(draw, variables: list[g.Var], depth: int = 2) -> g.Expr:
    if depth == 0:
        return _leaf(draw, variables)
    kind = draw(st.sampled_from(["leaf", "sum", "product", "div", "mod", "abs", "min", "max",
                                 "ite", "element", "bool", "binload"]))
    sub = _int_expr(variables, depth - 1)
    bsub = _bool_expr(variables, depth - 1)
    if kind == "sum":
        return g.LinearSum(((draw(st.integers(-2, 2)), draw(sub)),
                            (draw(st.integers(-2, 2)), draw(sub))), draw(st.integers(-2, 2)))
    if kind == "product":
        return g.Product(draw(sub), draw(sub))
    if kind == "div":
        return g.Div(draw(sub), draw(st.sampled_from([-3, -2, 2, 3])))
    if kind == "mod":
        return g.Mod(draw(sub), draw(st.sampled_from([-3, 2, 3])))
    if kind == "abs":
        return g.Abs(draw(sub))
    if kind in ("min", "max"):
        return (g.Min if kind == "min" else g.Max)((draw(sub), draw(sub)))
    if kind == "ite":
        return g.IfThenElse(draw(bsub), draw(sub), draw(sub))
    if kind == "element":
        return g.Element(draw(sub), tuple(draw(st.lists(st.integers(-3, 3), min_size=1,
                                                         max_size=4))))
    if kind == "bool":
        return g.BoolAsInt(draw(bsub))
    if kind == "binload":
        ints = [v for v in variables if not v.is_bool]
        return g.BinLoad(tuple(ints), tuple(g.Const(draw(st.integers(0, 3))) for _ in ints),
                         draw(st.integers(-1, 2)))
    return _leaf(draw, variables)


@st.composite
def _bool_expr(draw, variables: list[g.Var], depth: int = 2) -> g.Expr:
    bools = [v for v in variables if v.is_bool]
    if depth == 0:
        return draw(st.sampled_from(bools))
    kind = draw(st.sampled_from(["var", "compare", "and", "or", "not", "implies", "inset",
                                 "alldiff", "table", "increasing", "bite"]))
    sub = _int_expr(variables, depth - 1)
    bsub = _bool_expr(variables, depth - 1)
    if kind == "compare":
        return g.Compare(draw(st.sampled_from(g.COMPARE_OPS)), draw(sub), draw(sub))
    if kind in ("and", "or"):
        return (g.And if kind == "and" else g.Or)((draw(bsub), draw(bsub)))
    if kind == "not":
        return g.Not(draw(bsub))
    if kind == "implies":
        return g.Implies(draw(bsub), draw(bsub))
    if kind == "inset":
        return g.InSet(draw(sub), tuple(sorted(draw(st.sets(st.integers(-3, 3), max_size=3)))))
    if kind == "alldiff":
        return g.AllDifferent((draw(sub), draw(sub), draw(sub)))
    if kind == "increasing":
        return g.Increasing((draw(sub), draw(sub)))
    if kind == "table":
        rows = draw(st.lists(st.tuples(st.integers(-2, 2), st.integers(-2, 2)), max_size=4))
        return g.Table((draw(sub), draw(sub)), tuple(rows))
    if kind == "bite":
        return g.IfThenElse(draw(bsub), draw(bsub), draw(bsub))
    return draw(st.sampled_from(bools))


@st.composite
def _problems(draw) -> g.Problem:
    p = g.Problem()
    variables = [p.new_var("x", lb=-2, ub=2), p.new_var("y", values=(-1, 0, 2)),
                 p.new_var("b", is_bool=True)]
    for _ in range(draw(st.integers(1, 2))):
        p.add(draw(_bool_expr(variables)), PROV)
    if draw(st.booleans()):
        p.maximize(draw(_int_expr(variables)), PROV)
    return p


@settings(max_examples=100, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(_problems())
def test_random_problems_match_brute_force(problem: g.Problem) -> None:
    check_against_brute_force(problem)


# ---------------------------------------------------------------------------------------------
# Refusals and numerical safety


def test_a_variable_without_bounds_is_refused_where_a_big_m_needs_one() -> None:
    span = Span("prog.sql", 3, 5, 3, 20)
    where = g.Provenance("spread", "check", (("id", 1),), span)
    p = g.Problem()
    x = p.new_var("t[1].controllable__x", lb=-(2**31 - 1), ub=2**31 - 1,
                  origin=("t", (1,), "controllable__x"))
    b = p.new_var("b", is_bool=True)
    p.add(g.Implies(b, g.Compare("<=", x, g.Const(3))), where)
    with pytest.raises(UnsupportedError) as caught:
        ilp(p)
    error = caught.value
    assert "controllable__x has no bound of its own" in error.message
    assert error.span == span and error.construct == "unbounded variable"
    assert "BETWEEN" in (error.hint or "")
    assert str(error).startswith("prog.sql:3:5:")


def test_a_variable_without_bounds_used_linearly_is_solved() -> None:
    p = g.Problem()
    x = p.new_var("x", lb=-(2**31 - 1), ub=2**31 - 1)
    p.add(g.Compare(">=", x, g.Const(12)), PROV)
    p.maximize(g.LinearSum(((-1, x),)), PROV)
    assert ilp(p).assignment == {0: 12}


def test_wide_products_are_refused_and_narrow_ones_expanded() -> None:
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=100)
    y = p.new_var("y", lb=0, ub=100)
    p.add(g.Compare(">=", g.Product(x, y), g.Const(50)), PROV)
    with pytest.raises(UnsupportedError, match="product of two integer expressions") as caught:
        ilp(p)
    assert caught.value.construct == "var_times_var"
    narrow = g.Problem()
    x = narrow.new_var("x", lb=-3, ub=3)
    y = narrow.new_var("y", lb=0, ub=100)
    narrow.add(g.Compare(">=", g.Product(x, y), g.Const(50)), PROV)
    narrow.maximize(g.LinearSum(((-1, y), (-1, x))), PROV)
    result = ilp(narrow)
    assert result.status is Status.OPTIMAL and result.objective == -20  # x=3, y=17


def _int64_bins() -> g.Problem:
    p = g.Problem()
    items = [p.new_var(f"a{i}", values=(0, 1, 2)) for i in range(5)]
    demands = (2**32 + 1, 2**32 - 1, 2**32, 2**31 + 7, 2**33 - 5)
    p.add(g.BinPacking(tuple(items), demands, (0, 1, 2), (2**33, 2**33, 2**33 + 3)), PROV)
    p.maximize(g.LinearSum(tuple((1, g.BoolAsInt(g.Compare("=", a, g.Const(0))))
                                 for a in items)), PROV)
    return p


def test_int64_capacities_are_refused_by_default_and_exact_when_allowed() -> None:
    """2**33 capacities: HiGHS computes in doubles (integers exact to 2**53) but with
    absolute tolerances near 1e-6, so by default the backend refuses coefficients beyond 1e9.
    Raising `max_magnitude` lets it try; the answer is then checked exactly after rounding
    (on this instance it is exact and optimal, like CP-SAT's)."""
    with pytest.raises(UnsupportedError, match="numerical safety"):
        ilp(_int64_bins())
    result = ilp(_int64_bins(), extra={"max_magnitude": 2**40})
    assert result.status is Status.OPTIMAL
    assert violations(_int64_bins(), result.assignment) == []
    assert result.objective == CpSatBackend().solve(_int64_bins()).objective == 2


# ---------------------------------------------------------------------------------------------
# Status mapping, limits, sub-solvers, export


def test_status_mapping_trusts_the_solution_status() -> None:
    assert ilp_emit.status_from_highs("kOptimal", True) is Status.OPTIMAL
    assert ilp_emit.status_from_highs("kTimeLimit", True) is Status.FEASIBLE
    assert ilp_emit.status_from_highs("kTimeLimit", False) is Status.UNKNOWN
    assert ilp_emit.status_from_highs("kSolutionLimit", True) is Status.FEASIBLE
    assert ilp_emit.status_from_highs("kUnboundedOrInfeasible", False) is Status.INFEASIBLE
    # PuLP: status 1 "Optimal" with sol_status 2 "integer feasible" is a time-out
    assert ilp_emit.status_from_pulp(1, 1) is Status.OPTIMAL
    assert ilp_emit.status_from_pulp(1, 2) is Status.FEASIBLE
    assert ilp_emit.status_from_pulp(0, 0) is Status.UNKNOWN
    assert ilp_emit.status_from_pulp(-1, -1) is Status.INFEASIBLE


def _hard_balance() -> g.Problem:
    """Split weights into two halves as evenly as possible on four rows at once (market
    split): an incumbent is immediate, optimality is not."""
    rng = random.Random(1)
    p = g.Problem()
    ys = [p.new_var(f"y{i}", is_bool=True) for i in range(30)]
    for _ in range(4):
        w = [rng.randint(0, 99) for _ in ys]
        deviation = g.LinearSum(tuple((wi, g.BoolAsInt(y)) for wi, y in zip(w, ys)),
                                -(sum(w) // 2))
        p.maximize(g.LinearSum(((-1, g.Abs(deviation)),)), PROV)
    return p


def _hard_split() -> g.Problem:
    rng = random.Random(2)
    p = g.Problem()
    ys = [p.new_var(f"y{i}", is_bool=True) for i in range(30)]
    for _ in range(4):
        w = [rng.randint(0, 99) for _ in ys]
        p.add(g.Compare("=", g.LinearSum(tuple((wi, g.BoolAsInt(y)) for wi, y in zip(w, ys))),
                        g.Const(sum(w) // 2)), PROV)
    return p


@pytest.mark.parametrize("sub", ["highs", "cbc"])
def test_a_time_out_keeps_the_incumbent_as_feasible(sub: str) -> None:
    problem = _hard_balance()
    result = ilp(problem, sub, time_limit=0.5)
    assert result.status is Status.FEASIBLE
    assert violations(problem, result.assignment) == []
    assert result.objective == objective_value(problem, result.assignment) < 0
    assert result.timings["total"] < 5


def test_a_time_out_without_incumbent_is_unknown() -> None:
    result = ilp(_hard_split(), time_limit=0.3)
    assert result.status is Status.UNKNOWN and result.assignment is None


def test_infeasible_and_constant_false_problems() -> None:
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=3)
    p.add(g.Compare(">", g.LinearSum(((2, x),)), g.Const(6)), PROV)
    assert ilp(p).status is Status.INFEASIBLE
    q = g.Problem()
    q.new_var("x", values=())
    result = ilp(q)
    assert result.status is Status.INFEASIBLE and result.timings["solver"] == 0.0


def test_sub_solvers_and_their_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    assert IlpBackend.available().ok
    assert isinstance(get_backend("ilp:highs"), IlpBackend)
    with pytest.raises(BackendUnavailable, match="unknown ILP sub-solver 'hihgs'") as caught:
        ilp(_logic_problem(), "hihgs")
    assert "ilp:highs" in (caught.value.hint or "")
    monkeypatch.setattr(ilp_emit, "cbc_available", lambda: False)
    assert not IlpBackend.solver_available("cbc").ok
    with pytest.raises(BackendUnavailable, match="ilp:cbc") as caught:
        ilp(_logic_problem(), "cbc")
    assert "coinor-cbc" in (caught.value.hint or "")


def test_export_lp_and_mps() -> None:
    text, suffix = IlpBackend().export(_logic_problem())
    assert suffix == ".lp" and "Maximize" in text and "Subject To" in text and "Binaries" in text
    text, suffix = IlpBackend().export(_logic_problem(), "mps")
    assert suffix == ".mps" and "ROWS" in text and "COLUMNS" in text


# ---------------------------------------------------------------------------------------------
# End to end through Model.solve: the same optimum as CP-SAT, certified by the oracle


def _solve_both(program: str, data: str) -> tuple[csql.Solution, csql.Solution]:
    model = csql.compile(program, "program.sql")
    answers = []
    for backend in ("ilp", "cpsat"):
        db = model.prepare("duckdb://")
        for statement in data.split(";"):
            if statement.strip():
                db.execute(statement)
        answers.append(model.solve(db, backend=backend, certify=True))
    return answers[0], answers[1]


def test_dcm_load_balancing_example_matches_cpsat() -> None:
    program = (EXAMPLES / "load_balancing" / "program.sql").read_text()
    data = (EXAMPLES / "load_balancing" / "data.sql").read_text()
    with_ilp, with_cpsat = _solve_both(program, data)
    assert with_ilp.status is with_cpsat.status is Status.OPTIMAL
    assert with_ilp.objective == with_cpsat.objective
    assert with_ilp.backend == "ilp"


def test_row_check_over_a_variable_join_matches_cpsat() -> None:
    program = """
    CREATE TABLE pm (name VARCHAR(10) PRIMARY KEY, cpu INTEGER NOT NULL,
                     zone INTEGER NOT NULL);
    CREATE TABLE vm (name VARCHAR(10) PRIMARY KEY, cpu INTEGER NOT NULL,
                     controllable__pm VARCHAR(10) REFERENCES pm(name));
    CREATE CONSTRAINT fits AS
        SELECT * FROM vm JOIN pm ON vm.controllable__pm = pm.name
        CHECK vm.cpu <= pm.cpu;
    CREATE CONSTRAINT capacity AS
        SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
        GROUP BY pm.name, pm.cpu CHECK sum(vm.cpu) <= pm.cpu;
    CREATE CONSTRAINT zones AS
        SELECT * FROM vm JOIN pm ON vm.controllable__pm = pm.name
        MAXIMIZE pm.zone * vm.cpu;
    """
    data = """
    INSERT INTO pm VALUES ('a', 4, 1), ('b', 8, 2), ('c', 6, 3);
    INSERT INTO vm VALUES ('v1', 5, NULL), ('v2', 3, NULL), ('v3', 1, NULL), ('v4', 7, NULL);
    """
    with_ilp, with_cpsat = _solve_both(program, data)
    assert with_ilp.status is with_cpsat.status is Status.OPTIMAL
    assert with_ilp.objective == with_cpsat.objective
    placement = {row["name"]: row["controllable__pm"] for row in with_ilp.table("vm")}
    assert placement["v4"] == "b"  # only b has 7 CPUs
