"""The MiniZinc backend (Gecode through `minizinc -G std`) against the ground-IR evaluator.

Every answer is checked with `ground_eval` (the meaning of each node) and its objective
recomputed; small problems are compared with a brute-force enumeration, random problems with
CP-SAT (same status, same optimal objective). The watchdog test runs a hard instance with
MiniZinc's own time limit left out, so only csql's process-group kill can end it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csql
from brute import (
    PROV,
    assert_matches_brute_force,
    brute_force,
    draw_variables,
    node_cases,
)
from csql import Status
from csql.backends.base import SolveOptions, get_backend
from csql.backends.cpsat import CpSatBackend
from csql.backends.minizinc import MiniZincBackend, find_solver, solvers
from csql.backends.minizinc_emit import INT64_LIMIT, MiniZincEmitter
from csql.backends.minizinc_run import run
from csql.ir import ground as g
from csql.ir.errors import BackendUnavailable, SolverError, UnsupportedError
from csql.ir.ground_eval import objective_value, violations
from csql.ir.span import Span


def test_minizinc_is_installed_here() -> None:
    # CI installs MiniZinc (issue 3); without it every test below would fail for that reason
    assert shutil.which("minizinc"), "install MiniZinc (Debian: apt-get install minizinc)"
    availability = MiniZincBackend.available()
    assert availability.ok and availability.version.startswith("MiniZinc 2.")


def solve(problem: g.Problem, **options: object):
    return MiniZincBackend().solve(problem, SolveOptions(**options))  # type: ignore[arg-type]


def checked(problem: g.Problem, **options: object):
    """Solve and check the answer against the evaluator; returns the result."""
    result = solve(problem, **options)
    if result.status.has_solution:
        assert violations(problem, result.assignment) == []
        if problem.objective:
            assert result.objective == objective_value(problem, result.assignment)
    return result


CASES = node_cases()


@pytest.mark.parametrize("name", list(CASES))
def test_node_type_matches_brute_force(name: str) -> None:
    problem = CASES[name]
    result = solve(problem)
    best = assert_matches_brute_force(problem, result)
    if best is not None:
        assert result.bound == best


def test_division_and_modulo_truncate_toward_zero() -> None:
    # every (dividend, divisor) pair pinned in turn: MiniZinc's div/mod must agree with SQL
    for a, d in itertools.product((-7, -5, -1, 0, 4, 7), (-3, 2)):
        p = g.Problem()
        x = p.new_var("x", lb=-7, ub=7)
        q = p.new_var("q", lb=-7, ub=7)
        r = p.new_var("r", lb=-7, ub=7)
        p.add(g.Compare("=", x, g.Const(a)), PROV)
        p.add(g.Compare("=", q, g.Div(x, d)), PROV)
        p.add(g.Compare("=", r, g.Mod(x, d)), PROV)
        result = checked(p)
        assert result.status is Status.OPTIMAL
        sign = -1 if (a < 0) != (d < 0) else 1
        assert result.assignment[1] == sign * (abs(a) // abs(d))
        assert result.assignment[2] == a - d * result.assignment[1]


def test_infeasible() -> None:
    p = g.Problem()
    xs = [p.new_var(f"x{i}", lb=1, ub=3) for i in range(4)]
    p.add(g.AllDifferent(tuple(xs)), PROV)  # four pigeons, three holes
    p.maximize(g.LinearSum(((1, xs[0]),)), PROV)
    result = solve(p)
    assert result.status is Status.INFEASIBLE
    assert result.assignment is None and result.objective is None


def test_empty_domain_is_infeasible() -> None:
    p = g.Problem()
    p.new_var("x", values=())
    assert solve(p).status is Status.INFEASIBLE


def test_bounds_beyond_gecode_are_refused() -> None:
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=3_000_000_000)
    p.add(g.Compare(">=", x, g.Const(5)), PROV)
    with pytest.raises(UnsupportedError, match="integer range"):
        solve(p)
    # a product of two in-range variables overflows 32 bits: refused too, not wrapped
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=100_000)
    y = p.new_var("y", lb=0, ub=100_000)
    span = Span("load.sql", 3, 5, 3, 20)
    p.add(g.Compare(">=", g.Product(x, y), g.Const(1)),
          g.Provenance("big_product", "check", span=span))
    with pytest.raises(UnsupportedError, match="integer range") as error:
        solve(p)
    assert "big_product" in error.value.message and error.value.span == span
    # just inside Gecode's range is fine
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=2_147_483_646)
    p.maximize(g.LinearSum(((1, x),), 0), PROV)
    result = checked(p)
    assert result.status is Status.OPTIMAL and result.objective == 2_147_483_646


def test_gecode_builtins_are_used_at_the_top_level_only() -> None:
    p = g.Problem()
    xs = [p.new_var(f"x{i}", lb=0, ub=3) for i in range(3)]
    b = p.new_var("b", is_bool=True)
    p.add(g.AllDifferent(tuple(xs)), PROV)
    p.add(g.Table((xs[0], xs[1]), ((0, 1), (2, 3))), PROV)
    p.add(g.Or((b, g.AllDifferent((xs[0], g.Const(2))))), PROV)
    p.add(g.Or((b, g.Table((xs[1], xs[2]), ((1, 0),)))), PROV)
    text, suffix = MiniZincBackend().export(p)
    assert suffix == ".mzn"
    assert "include" not in text  # Gecode's own library does not load with MiniZinc 2.6.4
    assert text.count("constraint all_different_int(") == 1
    assert text.count("constraint gecode_table_int(") == 1
    assert text.count("gecode_table_int_reif(") == 2  # the declaration and the call
    result = checked(p)
    assert result.status is Status.OPTIMAL


def test_shared_subexpressions_are_declared_once() -> None:
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=9)
    y = p.new_var("y", lb=0, ub=9)
    shared = g.Product(x, y)
    p.add(g.Compare("<=", shared, g.Const(20)), PROV)
    p.add(g.Compare(">=", shared, g.Const(12)), PROV)
    p.maximize(g.LinearSum(((1, shared), (1, x))), PROV)
    text, _ = MiniZincBackend().export(p)
    assert text.count("x0 * x1") == 1
    result = checked(p)
    # 12 <= x*y <= 20, maximise x*y + x: x = 9, y = 2 gives 18 + 9 (x = 10 is out of range)
    assert result.status is Status.OPTIMAL and result.objective == 27


def test_end_to_end_satisfaction_gets_optimal_and_statistics() -> None:
    p = g.Problem()
    xs = [p.new_var(f"x{i}", lb=0, ub=5) for i in range(4)]
    p.add(g.AllDifferent(tuple(xs)), PROV)
    p.add(g.Compare("=", g.LinearSum(tuple((1, v) for v in xs)), g.Const(14)), PROV)
    result = checked(p)
    assert result.status is Status.OPTIMAL and result.objective is None
    for key in ("nodes", "failures", "solveTime", "flatTime"):
        assert key in result.stats
    assert result.timings["emission"] >= 0 and result.timings["solver"] > 0


@pytest.mark.parametrize("name", ["AllDifferent", "Table with an empty table",
                                  "BinPacking reified", "Element"])
def test_text_for_other_solvers_uses_the_standard_globals(name: str, tmp_path: Path) -> None:
    # what a non-Gecode solver gets (globals.mzn, alldifferent, table, 64-bit bounds), solved
    # here by Gecode through MiniZinc's std decompositions
    problem = CASES[name]
    emitter = MiniZincEmitter(problem, native_gecode=False, limit=INT64_LIMIT)
    text = emitter.text()
    assert 'include "globals.mzn";' in text and "gecode_" not in text
    path = tmp_path / "model.mzn"
    path.write_text(text)
    outcome = run([shutil.which("minizinc") or "minizinc", "-G", "std", "--json-stream",
                   "--intermediate-solutions", str(path)], time.perf_counter() + 30)
    assert not outcome.errors and outcome.status == "OPTIMAL_SOLUTION"
    values = json.loads(outcome.solutions[-1]["default"])["values"]
    assignment = dict(enumerate(values))
    assert violations(problem, assignment) == []
    assert objective_value(problem, assignment) == brute_force(problem)[1]


# ---- sub-solvers, options, errors ----------------------------------------------------------


def test_sub_solver_by_name_and_unknown_one() -> None:
    assert find_solver("gecode")["id"] == "org.gecode.gecode"
    assert find_solver("org.gecode.gecode")["id"] == "org.gecode.gecode"
    backend = get_backend("minizinc:gecode")
    assert isinstance(backend, MiniZincBackend) and backend.sub_solver == "gecode"
    assert get_backend("minizinc").sub_solver == "gecode"
    p = g.Problem()
    p.new_var("x", lb=0, ub=1)
    with pytest.raises(BackendUnavailable) as error:
        get_backend("minizinc:gecod").solve(p)
    assert "org.gecode.gecode" in error.value.message  # lists the available ones
    assert "minizinc:gecode" in (error.value.hint or "")
    assert {s["id"] for s in solvers()} >= {"org.gecode.gecode"}


def test_unknown_option_is_refused_and_known_ones_are_passed() -> None:
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=5)
    p.maximize(g.LinearSum(((1, x),)), PROV)
    with pytest.raises(SolverError, match="free_serch"):
        solve(p, extra={"free_serch": True})
    result = checked(p, workers=2, seed=3, extra={"free_search": True, "optimisation_level": 1})
    assert result.status is Status.OPTIMAL and result.objective == 5


def test_solver_error_carries_minizinc_message() -> None:
    p = g.Problem()
    p.new_var("x", lb=0, ub=5)
    with pytest.raises(SolverError, match="MiniZinc failed") as error:
        solve(p, extra={"flags": ["--no-such-flag"]})
    assert "no-such-flag" in error.value.message


def test_works_inside_a_running_event_loop() -> None:
    p = CASES["AllDifferent"]

    async def inside() -> Status:
        return solve(p).status

    assert asyncio.run(inside()) is Status.OPTIMAL


# ---- the watchdog ---------------------------------------------------------------------------


def _hard_knapsack(n: int = 40) -> g.Problem:
    """A multi-dimensional integer knapsack: Gecode's branch and bound improves it for minutes
    (hundreds of incumbents) and proves nothing within seconds."""
    p = g.Problem()
    xs = [p.new_var(f"x{i}", lb=0, ub=30) for i in range(n)]
    for k in range(3):
        weights = [20 + (i * 37 + k * 11) % 80 for i in range(n)]
        p.add(g.Compare("<=", g.LinearSum(tuple(zip(weights, xs))), g.Const(2000 + 37 * k)),
              PROV)
    p.maximize(g.LinearSum(tuple((20 + (i * 53) % 80, x) for i, x in enumerate(xs))), PROV)
    return p


def _group_members(pgid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _gecode_processes() -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"fzn-gecode" in (entry / "cmdline").read_bytes():
                    found.add(int(entry.name))
            except OSError:
                continue
    return found


def test_time_limit_returns_the_incumbent_in_time() -> None:
    before = _gecode_processes()
    started = time.perf_counter()
    result = solve(_hard_knapsack(), time_limit=2.0)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.5
    assert result.status in (Status.FEASIBLE, Status.UNKNOWN)
    if result.status is Status.FEASIBLE:
        assert violations(_hard_knapsack(), result.assignment) == []
    assert _gecode_processes() - before == set()


def test_watchdog_kills_the_process_group(tmp_path: Path) -> None:
    # MiniZinc's own --time-limit left out: only the watchdog can stop this run
    text, _ = MiniZincBackend().export(_hard_knapsack())
    path = tmp_path / "hard.mzn"
    path.write_text(text)
    before = _gecode_processes()
    started = time.perf_counter()
    outcome = run([shutil.which("minizinc") or "minizinc", "-G", "std", "--json-stream",
                   "--intermediate-solutions", str(path)], started + 2.0)
    elapsed = time.perf_counter() - started
    assert outcome.killed and 2.0 <= elapsed < 2.5, (outcome.killed, elapsed)
    # incumbents that arrived before the kill are kept (none if flattening was slow)
    assert all("values" in json.loads(s["default"]) for s in outcome.solutions)
    assert outcome.status != "OPTIMAL_SOLUTION"
    assert _group_members(outcome.pid) == []
    assert _gecode_processes() - before == set()


# ---- end to end -----------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("example,expected,proven", [
    # the optimal objectives worked out by hand in test_engines_end_to_end; Gecode's branch
    # and bound reaches CorfuDB's optimum at once but has no relaxation to prove that no rack
    # layout does better than a maximum of 4, so that run ends at its time limit
    ("load_balancing", 30, True), ("corfudb_placement", -4, False),
    ("weave_kubernetes", 4, True)])
def test_examples_through_model_solve(example: str, expected: int, proven: bool) -> None:
    folder = EXAMPLES / example
    model = csql.compile((folder / "program.sql").read_text(), f"{example}/program.sql")
    database = model.prepare("duckdb://")
    database.script((folder / "data.sql").read_text())
    solution = model.solve(database, backend="minizinc", time_limit=30 if proven else 3)
    assert solution.backend == "minizinc"
    assert solution.status is (Status.OPTIMAL if proven else Status.FEASIBLE)
    assert solution.objective == expected


def test_placement_program_through_model_solve() -> None:
    program = """
    CREATE TABLE node (name VARCHAR(10) PRIMARY KEY, cpu INTEGER NOT NULL);
    CREATE TABLE pod (name VARCHAR(10) PRIMARY KEY, cpu INTEGER NOT NULL,
                      controllable__node VARCHAR(10) REFERENCES node(name));
    CREATE CONSTRAINT fits AS SELECT * FROM pod JOIN node ON pod.controllable__node = node.name
        CHECK pod.cpu <= node.cpu;
    CREATE CONSTRAINT spread AS SELECT * FROM pod CHECK all_different(controllable__node);
    """
    model = csql.compile(program, "placement.sql")
    database = model.prepare("duckdb://")
    database.script("INSERT INTO node VALUES ('a', 2), ('b', 9), ('c', 5);"
                    "INSERT INTO pod VALUES ('big', 7, NULL), ('mid', 4, NULL), "
                    "('tiny', 1, NULL);")
    solution = model.solve(database, backend="minizinc")
    assert solution.status is Status.OPTIMAL
    placed = {row["name"]: row["controllable__node"] for row in solution.table("pod")}
    # big fits only on b, mid then only on c, tiny takes the one left
    assert placed == {"big": "b", "mid": "c", "tiny": "a"}
    database.script("INSERT INTO pod VALUES ('extra', 1, NULL);")
    assert model.solve(database, backend="minizinc").status is Status.INFEASIBLE


# ---- random problems against CP-SAT ---------------------------------------------------------


@st.composite
def random_problems(draw: st.DrawFn) -> g.Problem:
    p = g.Problem()
    bools, ints = draw_variables(draw, p)
    small = st.integers(-3, 3)

    def int_expr(depth: int) -> g.Expr:
        choice = draw(st.integers(-1, 11 if depth > 0 else 1))
        if choice <= 0 and ints:
            return draw(st.sampled_from(ints))
        if choice <= 1:
            return g.Const(draw(small))
        a, b = int_expr(depth - 1), int_expr(depth - 1)
        return [
            lambda: g.LinearSum(((draw(small), a), (draw(small), b)), draw(small)),
            lambda: g.Product(a, b),
            lambda: g.Div(a, draw(st.sampled_from([-3, -2, 2, 3]))),
            lambda: g.Mod(a, draw(st.sampled_from([-3, -2, 2, 3]))),
            lambda: g.Abs(a),
            lambda: (g.Min if draw(st.booleans()) else g.Max)((a, b)),
            lambda: g.BoolAsInt(bool_expr(depth - 1)),
            lambda: g.IfThenElse(bool_expr(depth - 1), a, b),
            lambda: g.Element(g.LinearSum(((1, a),), draw(st.integers(0, 3))),
                              tuple(draw(st.lists(small, min_size=3, max_size=8)))),
            lambda: g.BinLoad((a, b), (g.Const(draw(st.integers(0, 3))), int_expr(0)),
                              draw(small)),
        ][choice - 2]()

    def bool_expr(depth: int) -> g.Expr:
        choice = draw(st.integers(0, 13 if depth > 0 else 1))
        if choice == 0 and bools:
            return draw(st.sampled_from(bools))
        if choice <= 1:
            return g.Compare(draw(st.sampled_from(g.COMPARE_OPS)), int_expr(0), int_expr(0))
        args = tuple(int_expr(depth - 1) for _ in range(draw(st.integers(2, 3))))
        sub = [bool_expr(depth - 1) for _ in range(2)]
        return [
            lambda: g.Compare(draw(st.sampled_from(["=", "!="])), sub[0], sub[1]),
            lambda: g.And(tuple(sub)),
            lambda: g.Or(tuple(sub)),
            lambda: g.Not(sub[0]),
            lambda: g.Implies(sub[0], sub[1]),
            lambda: g.InSet(args[0], tuple(sorted(set(draw(st.lists(small, min_size=1)))))),
            lambda: g.AllDifferent(args),
            lambda: g.AllEqual(args),
            lambda: g.Increasing(args),
            lambda: g.Table(args, tuple(draw(st.lists(st.tuples(*[small] * len(args)),
                                                      max_size=4)))),
            lambda: g.BinPacking(args, tuple(draw(st.integers(0, 3)) for _ in args),
                                 (0, 2), (draw(st.integers(0, 4)), draw(st.integers(0, 4)))),
            lambda: g.IfThenElse(sub[0], sub[1], bool_expr(depth - 1)),
        ][choice - 2]()

    for _ in range(draw(st.integers(1, 2))):
        depth = draw(st.integers(1, 2))
        shape = draw(st.sampled_from(["plain", "implies", "not", "or"]))
        if shape == "implies":
            p.add(g.Implies(bool_expr(depth - 1), bool_expr(depth)), PROV)
        elif shape == "not":
            p.add(g.Not(bool_expr(depth)), PROV)
        elif shape == "or":
            p.add(g.Or((bool_expr(depth - 1), bool_expr(depth))), PROV)
        else:
            p.add(bool_expr(depth), PROV)
    for _ in range(draw(st.integers(0, 2))):
        p.maximize(int_expr(draw(st.integers(1, 2))), PROV)
    return p


@settings(max_examples=40, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(random_problems())
def test_random_problems_match_cpsat(problem: g.Problem) -> None:
    expected = CpSatBackend().solve(problem, SolveOptions(time_limit=20))
    result = checked(problem, time_limit=20)
    assert expected.status in (Status.OPTIMAL, Status.INFEASIBLE)
    assert result.status is expected.status
    if problem.objective and expected.status is Status.OPTIMAL:
        assert result.objective == expected.objective
