"""Explanations (issue 5): minimal unsatisfiable cores in SQL terms on every available backend,
the shrinking algorithms on their own, the text and JSON renderings, and objective breakdowns.

Every expected core below is worked out by hand from the program and the data; the property
tests check minimality against a brute-force enumeration of the ground problem, which depends
on no solver at all."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csql
from csql import Status
from csql.backends.base import SolveOptions, get_backend, registered
from csql.cli import main
from csql.core.explain import ROWS, explain_infeasible, explain_level, group_members
from csql.core.explain_render import render_core
from csql.core.explain_shrink import Answer, Verdict, quickxplain, shrink_by_deletion
from csql.core.explain_witness import Witnesses
from csql.core.grounding import GroundingOptions, ground
from csql.ir import ground as g
from csql.ir.errors import CsqlError
from csql.ir.ground_eval import Evaluator


def _available() -> list[str]:
    """Every registered backend that loads and can run here (the matrix of this file)."""
    names = []
    for name in sorted(registered()):
        try:
            backend = get_backend(name)
        except CsqlError:
            continue  # not installed in this checkout: not a backend of this machine
        if backend.available().ok:
            names.append(name)
    return names


BACKENDS = _available()


def solve(program: str, data: str, backend: str, explain: object = True) -> csql.Solution:
    model = csql.compile(program, "prog.sql")
    database = model.prepare("duckdb://")
    database.script(data)
    return model.solve(database, backend=backend, explain=explain, time_limit=60)


def statements(solution: csql.Solution) -> set[str]:
    assert solution.status is Status.INFEASIBLE
    assert solution.core is not None
    return {m.constraint for m in solution.core}


def rows_of(solution: csql.Solution, statement: str) -> list[dict[str, object]]:
    assert solution.core is not None
    found = [m for m in solution.core if m.constraint == statement]
    assert len(found) == 1, solution.core
    return sorted(found[0].rows, key=lambda r: sorted(map(str, r.items())))


# ---------------------------------------------------------------------------------------------
# The cores of known programs, on every backend

LOAD_BALANCING = """
CREATE TABLE pm (name VARCHAR(10) PRIMARY KEY, cpu INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(10) PRIMARY KEY, grp VARCHAR(10), cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(10) REFERENCES pm(name));
CREATE CONSTRAINT capacity AS
    SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    GROUP BY pm.name, pm.cpu CHECK sum(vm.cpu) <= pm.cpu;
CREATE CONSTRAINT db_on_p1 AS
    SELECT * FROM vm WHERE vm.grp = 'db' CHECK controllable__pm = 'p1';
CREATE CONSTRAINT web_off_p3 AS
    SELECT * FROM vm WHERE vm.grp = 'web' CHECK controllable__pm <> 'p3';
CREATE CONSTRAINT balance AS
    SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    GROUP BY pm.name MAXIMIZE -count(vm.name) * count(vm.name);
"""
# The db group needs 6 + 6 = 12 on p1, which has 10: infeasible. The web group fits on p2
# (and p3 is free for the rest), so web_off_p3 is satisfiable with everything else.
LOAD_BALANCING_DATA = """
INSERT INTO pm VALUES ('p1', 10), ('p2', 10), ('p3', 10);
INSERT INTO vm VALUES ('d1', 'db', 6, NULL), ('d2', 'db', 6, NULL),
                      ('w1', 'web', 3, NULL), ('w2', 'web', 3, NULL), ('o1', NULL, 2, NULL);
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_load_balancing_group_forced_beyond_capacity(backend: str) -> None:
    solution = solve(LOAD_BALANCING, LOAD_BALANCING_DATA, backend)
    assert statements(solution) == {"capacity", "db_on_p1"}
    assert all(m.level == "constraints" and m.rows == () for m in solution.core or ())
    assert solution.stats["explain"]["minimal"] is True
    # row level: p1's capacity and the two db VMs, nothing of the web VMs or other machines
    solution = solve(LOAD_BALANCING, LOAD_BALANCING_DATA, backend, explain="rows")
    assert statements(solution) == {"capacity", "db_on_p1"}
    assert rows_of(solution, "capacity") == [{"name": "p1", "cpu": 10}]
    assert rows_of(solution, "db_on_p1") == [{"name": "d1"}, {"name": "d2"}]


ALL_DIFFERENT = """
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__v INTEGER);
CREATE CONSTRAINT distinct_v AS SELECT * FROM t CHECK all_different(controllable__v);
CREATE CONSTRAINT domain_1 AS SELECT * FROM t CHECK controllable__v >= 1 AND controllable__v <= 2;
CREATE CONSTRAINT domain_2 AS SELECT * FROM t CHECK controllable__v <= 10;
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_all_different_over_too_small_a_domain(backend: str) -> None:
    # DCM's CoreTest: three rows cannot take distinct values in {1, 2}; domain_2 plays no part.
    # domain_1 narrows the variables' domain; the core still names it (relaxed re-grounding).
    solution = solve(ALL_DIFFERENT, "INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);",
                     backend, explain="rows")
    assert statements(solution) == {"distinct_v", "domain_1"}
    assert rows_of(solution, "domain_1") == [{"id": 1}, {"id": 2}, {"id": 3}]
    assert solution.stats["explain"]["regrounded"] is True


SUM = """
CREATE TABLE item (id INTEGER PRIMARY KEY, max_take INTEGER NOT NULL,
                   controllable__take INTEGER);
CREATE CONSTRAINT non_negative AS SELECT * FROM item CHECK controllable__take >= 0;
CREATE CONSTRAINT at_most AS SELECT * FROM item CHECK controllable__take <= max_take;
CREATE CONSTRAINT total AS SELECT * FROM item CHECK sum(controllable__take) >= 20;
CREATE CONSTRAINT even_first AS SELECT * FROM item WHERE id = 1 CHECK controllable__take <= 4;
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_sum_that_cannot_be_met(backend: str) -> None:
    # at most 5 + 6 + 7 = 18 < 20; non_negative is not needed (it only bounds from below), and
    # even_first is redundant: at_most alone already caps the sum.
    data = "INSERT INTO item VALUES (1, 5, NULL), (2, 6, NULL), (3, 7, NULL);"
    solution = solve(SUM, data, backend, explain="rows")
    assert statements(solution) == {"total", "at_most"}
    assert rows_of(solution, "at_most") == [{"id": 1}, {"id": 2}, {"id": 3}]


FOREIGN_KEY = """
CREATE TABLE node (id INTEGER PRIMARY KEY);
CREATE TABLE task (name VARCHAR(10) PRIMARY KEY,
                   controllable__node INTEGER REFERENCES node(id));
CREATE CONSTRAINT middle AS SELECT * FROM task WHERE name = 't2'
    CHECK controllable__node BETWEEN 3 AND 9;
CREATE CONSTRAINT small AS SELECT * FROM task CHECK controllable__node <= 100;
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_core_that_needs_a_foreign_key_domain(backend: str) -> None:
    # the nodes are 1, 2 and 10: no node lies between 3 and 9. Without the foreign key t2
    # could take 5, so the foreign key's domain is a member, at t2's row.
    data = """INSERT INTO node VALUES (1), (2), (10);
              INSERT INTO task VALUES ('t1', NULL), ('t2', NULL), ('t3', NULL);"""
    solution = solve(FOREIGN_KEY, data, backend, explain="rows")
    assert statements(solution) == {"middle", "fk:task.controllable__node"}
    member = next(m for m in solution.core or () if m.kind == "domain")
    assert member.rows == ({"name": "t2"},)
    assert "REFERENCES node(id)" in member.sql
    assert "foreign key" in render_core(solution.core or [])


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_string_foreign_key_domain_against_a_literal(backend: str) -> None:
    # 'b' is not a machine: pinning there contradicts the foreign key (not the pin alone).
    program = LOAD_BALANCING.replace("'p1'", "'b'")
    data = LOAD_BALANCING_DATA.replace("('p2', 10)", "('p2', 20)")
    solution = solve(program, data, backend)
    assert statements(solution) == {"db_on_p1", "fk:vm.controllable__pm"}


SLOTS = """
CREATE TABLE job (name VARCHAR(10) PRIMARY KEY, wanted INTEGER, controllable__slot INTEGER);
CREATE CONSTRAINT wants AS SELECT * FROM job WHERE wanted IS NOT NULL
    CHECK controllable__slot = wanted;
CREATE CONSTRAINT one_per_slot AS SELECT * FROM job CHECK all_different(controllable__slot);
"""


def _slots_data(jobs: int) -> str:
    # job j<i> wants slot i, except j150, which wants slot 17 like j17 does
    wanted = {i: (17 if i == 150 else i) for i in range(jobs)}
    rows = ", ".join(f"('j{i}', {wanted[i]}, NULL)" for i in range(jobs))
    return f"INSERT INTO job VALUES {rows};"


@pytest.mark.parametrize("backend", BACKENDS)
def test_row_level_names_exactly_the_two_conflicting_rows(backend: str) -> None:
    jobs = 300 if backend == "cpsat" else 200  # fewer re-solves for the slower backends
    solution = solve(SLOTS, _slots_data(jobs), backend, explain="rows")
    assert statements(solution) == {"wants", "one_per_slot"}
    assert rows_of(solution, "wants") == [{"name": "j150"}, {"name": "j17"}]
    assert rows_of(solution, "one_per_slot") == []  # one statement-wide instance, no rows


# ---------------------------------------------------------------------------------------------
# Property: generated infeasible programs, checked by brute force


def brute_feasible(problem: g.Problem, indices: list[int]) -> bool:
    domains = [v.values if v.values is not None else range(v.lb, v.ub + 1)
               for v in problem.variables]
    for values in itertools.product(*domains):
        ev = Evaluator(dict(enumerate(values)))
        if all(ev(problem.constraints[i].expr) for i in indices):
            return True
    return False


TEMPLATES = (
    "SELECT * FROM t WHERE t.a >= {k} CHECK controllable__x >= {v}",
    "SELECT * FROM t WHERE t.a <= {k} CHECK controllable__x <= {v}",
    "SELECT * FROM t CHECK sum(controllable__x) >= {s}",
    "SELECT * FROM t CHECK sum(controllable__x) <= {s2}",
    "SELECT * FROM t CHECK all_different(controllable__x)",
    "SELECT * FROM t WHERE t.id = {k} CHECK controllable__x <> {v}",
)


@st.composite
def programs(draw: st.DrawFn) -> tuple[str, str]:
    rows = draw(st.integers(2, 3))
    values = sorted(draw(st.sets(st.integers(0, 4), min_size=2, max_size=4)))
    chosen = draw(st.lists(st.tuples(st.sampled_from(TEMPLATES), st.integers(0, 3),
                                     st.integers(0, 4), st.integers(0, 12)),
                           min_size=2, max_size=5))
    program = ["CREATE TABLE val (v INTEGER PRIMARY KEY);",
               "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER NOT NULL, "
               "controllable__x INTEGER REFERENCES val(v));"]
    for n, (template, k, v, s) in enumerate(chosen):
        text = template.format(k=k, v=v, s=s, s2=s // 2)
        program.append(f"CREATE CONSTRAINT c{n} AS {text};")
    a_values = draw(st.lists(st.integers(0, 3), min_size=rows, max_size=rows))
    t_rows = ", ".join(f"({i}, {a}, NULL)" for i, a in enumerate(a_values))
    data = (f"INSERT INTO val VALUES {', '.join(f'({v})' for v in values)};\n"
            f"INSERT INTO t VALUES {t_rows};")
    return "\n".join(program), data


def _check_minimal_core(program: str, data: str, backend: str, level: str) -> bool:
    model = csql.compile(program, "gen.sql")
    database = model.prepare("duckdb://")
    database.script(data)
    problem = ground(model.program, database, GroundingOptions(relax_domains=True)).problem
    everything = list(range(len(problem.constraints)))
    if brute_feasible(problem, everything):
        return False
    explanation = explain_infeasible(problem, get_backend(backend), level=level, time_limit=60)
    assert explanation.minimal
    members = [m.indices for m in explanation.members]
    assert members, "an infeasible problem has a non-empty core"
    assert not brute_feasible(problem, sorted(i for m in members for i in m))
    for drop in range(len(members)):
        rest = sorted(i for n, m in enumerate(members) if n != drop for i in m)
        assert brute_feasible(problem, rest), f"member {drop} of {explanation.members} is spare"
    return True


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=programs(), level=st.sampled_from(["constraints", ROWS]))
def test_generated_infeasible_programs_get_minimal_cores(backend: str, case: tuple[str, str],
                                                         level: str) -> None:
    program, data = case
    _check_minimal_core(program, data, backend, level)


def test_the_generator_makes_infeasible_programs() -> None:
    # a guard for the property test: the generator is not vacuous
    found = 0
    for seed_program in (
        ("CREATE TABLE val (v INTEGER PRIMARY KEY);\nCREATE TABLE t (id INTEGER PRIMARY KEY, "
         "a INTEGER NOT NULL, controllable__x INTEGER REFERENCES val(v));\n"
         "CREATE CONSTRAINT c0 AS SELECT * FROM t CHECK all_different(controllable__x);\n"
         "CREATE CONSTRAINT c1 AS SELECT * FROM t CHECK sum(controllable__x) >= 9;",
         "INSERT INTO val VALUES (0), (1), (3);\nINSERT INTO t VALUES (0, 0, NULL), "
         "(1, 2, NULL), (2, 1, NULL);"),
    ):
        found += _check_minimal_core(*seed_program, "cpsat", ROWS)
    assert found == 1


# ---------------------------------------------------------------------------------------------
# The shrinking algorithms on their own: a monotone check over known conflict sets


def conflicts_check(conflicts: list[set[int]], with_core: bool = False):
    calls: list[frozenset[int]] = []

    def check(members) -> Verdict:
        chosen = set(members)
        calls.append(frozenset(chosen))
        for conflict in conflicts:
            if conflict <= chosen:
                return Verdict(Answer.INFEASIBLE, frozenset(chosen) if not with_core else
                               frozenset(conflict | {max(chosen)}))
        return Verdict(Answer.FEASIBLE)

    return check, calls


@given(st.lists(st.sets(st.integers(0, 15), min_size=1, max_size=4), min_size=1, max_size=4),
       st.booleans(), st.booleans())
def test_shrinkers_return_a_minimal_conflict(conflicts: list[set[int]], use_qx: bool,
                                             with_core: bool) -> None:
    check, _ = conflicts_check(conflicts, with_core)
    everything = list(range(16))
    shrunk = quickxplain(everything, check) if use_qx else shrink_by_deletion(everything, check)
    found = set(shrunk.members)
    assert any(c <= found for c in conflicts)
    for m in found:
        assert not any(c <= found - {m} for c in conflicts)
    assert shrunk.minimal


def test_quickxplain_needs_few_checks_for_a_small_core_among_many() -> None:
    check, calls = conflicts_check([{137, 602}])
    shrunk = quickxplain(list(range(1000)), check)
    assert shrunk.members == [137, 602]
    assert len(calls) <= 40  # deletion would need 1,000


def test_quickxplain_prefers_earlier_members_and_deletion_drops_later_ones() -> None:
    check, _ = conflicts_check([{1, 2}, {1, 9}])
    assert quickxplain(list(range(10)), check).members == [1, 2]
    assert shrink_by_deletion(list(range(10)), check).members == [1, 2]


def test_an_undecided_check_keeps_the_member_and_says_not_minimal() -> None:
    # {0, 1} conflict; the check times out whenever 5 is missing, so 5 cannot be shown spare
    def check(members) -> Verdict:
        chosen = set(members)
        if 5 not in chosen:
            return Verdict(Answer.UNKNOWN)
        return Verdict(Answer.INFEASIBLE if {0, 1} <= chosen else Answer.FEASIBLE)

    for shrink in (shrink_by_deletion, quickxplain):
        shrunk = shrink(list(range(6)), check)
        assert set(shrunk.members) == {0, 1, 5}, shrink
        assert not shrunk.minimal


# ---------------------------------------------------------------------------------------------
# API, rendering, CLI


def test_explain_levels_are_checked() -> None:
    assert explain_level(True) == "constraints"
    assert explain_level("rows") == "rows"
    assert explain_level(False) is None
    with pytest.raises(CsqlError, match="not a level"):
        explain_level("everything")


def test_rendering_names_sql_rows_and_what_contradicts_what() -> None:
    solution = solve(LOAD_BALANCING, LOAD_BALANCING_DATA, "cpsat", explain="rows")
    text = render_core(solution.core or [])
    assert "CHECK controllable__pm = 'p1'" in text and "prog.sql:8:1" in text
    assert "'capacity' for name=p1, cpu=10 contradicts 'db_on_p1' for 2 rows" in text
    lines = text.splitlines()
    header = lines.index("      name  cpu")
    assert lines[header + 2].split() == ["p1", "10"]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "p.sql").write_text(LOAD_BALANCING)
    (tmp_path / "d.sql").write_text(LOAD_BALANCING_DATA)
    (tmp_path / "ok.sql").write_text(LOAD_BALANCING_DATA.replace("'db', 6", "'db', 4"))
    return {name: str(tmp_path / f"{name}.sql") for name in ("p", "d", "ok")}


def test_cli_text_and_json(files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", files["p"], "--data", files["d"], "--explain"]) == 3
    out = capsys.readouterr().out
    assert "'capacity' contradicts 'db_on_p1'" in out
    assert "--explain=rows" in out
    assert main(["solve", files["p"], "--data", files["d"], "--explain=rows", "--json"]) == 3
    core = json.loads(capsys.readouterr().out)["core"]
    assert {m["constraint"] for m in core} == {"capacity", "db_on_p1"}
    assert all(set(m) >= {"constraint", "sql", "position", "rows"} for m in core)
    pin = next(m for m in core if m["constraint"] == "db_on_p1")
    assert sorted(r["name"] for r in pin["rows"]) == ["d1", "d2"]
    assert pin["position"].endswith("p.sql:8:1")


def test_objective_terms_per_statement_and_group(files: dict[str, str],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    program = LOAD_BALANCING + """
    CREATE CONSTRAINT few_on_p3 AS
        SELECT * FROM vm WHERE controllable__pm = 'p3' MINIMIZE count(*);
    """
    data = LOAD_BALANCING_DATA.replace("'db', 6", "'db', 4")
    solution = solve(program, data, "cpsat", explain="rows")
    assert solution.status is Status.OPTIMAL
    # 5 VMs on 3 machines, p3 penalised: the best is loads 2, 2, 1 with 1 VM on p3:
    # balance = -(4 + 4 + 1) = -9, few_on_p3 = 1 (minimised), objective -9 - 1 = -10.
    assert solution.objective == -10
    assert solution.objective_term("balance") == -9
    assert solution.objective_term("few_on_p3") == 1
    terms = {t.statement: t for t in solution.objective_terms or ()}
    assert terms["few_on_p3"].kind == "minimize"
    groups = sorted(value for _, value in terms["balance"].groups or ())
    assert groups == [-4, -4, -1]
    assert main(["solve", files["p"], "--data", files["ok"], "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["objective_terms"] == [
        {"statement": "balance", "kind": "maximize", "value": out["objective"]}]


def _solutions(problem: g.Problem) -> set[tuple[int, ...]]:
    domains = [v.values if v.values is not None else range(v.lb, v.ub + 1)
               for v in problem.variables]
    found = set()
    for values in itertools.product(*domains):
        ev = Evaluator(dict(enumerate(values)))
        if all(ev(c.expr) for c in problem.constraints):
            found.add(values)
    return found


def test_relaxed_grounding_has_the_same_solutions_and_names_narrowed_columns() -> None:
    program = FOREIGN_KEY.replace("BETWEEN 3 AND 9", "<> 2") + """
    CREATE CONSTRAINT not_one AS SELECT * FROM task WHERE name = 't1'
        CHECK controllable__node IN (SELECT id FROM node WHERE id > 1);
    """
    model = csql.compile(program, "prog.sql")
    database = model.prepare("duckdb://")
    database.script("""INSERT INTO node VALUES (1), (2), (10);
                       INSERT INTO task VALUES ('t1', NULL), ('t2', NULL), ('t3', NULL);""")
    plain = ground(model.program, database)
    relaxed = ground(model.program, database, GroundingOptions(relax_domains=True))
    assert plain.narrowed_domains == ["task.controllable__node"]
    # unary constraints are folded into each row's domain (worked out below)
    assert [v.values for v in plain.problem.variables] == [(2, 10), (1, 10), (1, 2, 10)]
    assert [(v.lb, v.ub, v.values) for v in relaxed.problem.variables] == [(1, 10, None)] * 3
    fk = [c.provenance for c in relaxed.problem.constraints if c.provenance.kind == "domain"]
    assert [(p.statement, p.key) for p in fk] == [
        ("fk:task.controllable__node", (("name", f"t{i}"),)) for i in (1, 2, 3)]
    # t1 in {2, 10}, t2 in {1, 10}, t3 anything of {1, 2, 10}: 2 * 2 * 3 = 12 solutions
    assert _solutions(plain.problem) == _solutions(relaxed.problem)
    assert len(_solutions(plain.problem)) == 12


# ---------------------------------------------------------------------------------------------
# Incremental checks: one encoded model per level (sessions) and witnesses


def _ground(program: str, data: str) -> g.Problem:
    model = csql.compile(program, "prog.sql")
    database = model.prepare("duckdb://")
    database.script(data)
    return ground(model.program, database, GroundingOptions(relax_domains=True)).problem


SESSION_BACKENDS = [b for b in BACKENDS if b in ("cpsat", "smt")]


@pytest.mark.parametrize("backend", SESSION_BACKENDS)
def test_a_session_switching_members_on_and_off_answers_like_brute_force(backend: str) -> None:
    import random

    problem = _ground(LOAD_BALANCING, LOAD_BALANCING_DATA)
    members = group_members(problem, ROWS)
    session = get_backend(backend).open_session(problem, [m.indices for m in members],
                                                SolveOptions())
    assert session is not None
    chooser = random.Random(5)
    subsets = [list(range(len(members))), [], *(
        sorted(chooser.sample(range(len(members)), chooser.randint(1, len(members))))
        for _ in range(25))]
    verdicts = set()
    for enabled in subsets:  # in sequence on one session: nothing of a check may linger
        indices = sorted(i for k in enabled for i in members[k].indices)
        expected = brute_feasible(problem, indices)
        result = session.check(enabled, 60)
        assert result.status.has_solution is expected, [members[k].keys for k in enabled]
        assert result.status is not Status.UNKNOWN
        verdicts.add(expected)
        if expected:
            ev = Evaluator(result.assignment or {})
            assert all(ev(problem.constraints[i].expr) for i in indices)
        elif result.core is not None:
            assert set(result.core) <= set(enabled)
            core = sorted(i for k in result.core for i in members[k].indices)
            assert not brute_feasible(problem, core)
        fresh = get_backend(backend).solve(
            g.Problem(variables=problem.variables,
                      constraints=[problem.constraints[i] for i in indices], objective=[],
                      strings=problem.strings, hints=problem.hints), SolveOptions(time_limit=60))
        assert fresh.status.has_solution is expected
    assert verdicts == {True, False}  # the sequence switched between both answers
    session.close()


@pytest.mark.parametrize("backend", SESSION_BACKENDS)
@pytest.mark.parametrize(("program", "data", "expected"), [
    (LOAD_BALANCING, LOAD_BALANCING_DATA,
     # p1's capacity and the two db VMs pinned to it (worked out at the top of this file)
     {("capacity", (("name", "p1"), ("cpu", 10))), ("db_on_p1", (("name", "d1"),)),
      ("db_on_p1", (("name", "d2"),))}),
    (ALL_DIFFERENT, "INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);",
     # three distinct values in {1, 2}: all three rows of domain_1, and the all_different
     {("distinct_v", ()), ("domain_1", (("id", 1),)), ("domain_1", (("id", 2),)),
      ("domain_1", (("id", 3),))}),
])
def test_incremental_and_resolving_checks_find_the_same_cores(
        backend: str, program: str, data: str, expected: set[tuple[str, tuple]]) -> None:
    problem = _ground(program, data)
    found = []
    for incremental in (True, False):
        explanation = explain_infeasible(problem, get_backend(backend), level=ROWS,
                                         time_limit=60, incremental=incremental)
        assert explanation.minimal
        found.append({(m.statement, m.provenance.key) for m in explanation.members})
    assert found[0] == found[1] == expected


def test_witnesses_answer_feasible_only_for_sets_an_assignment_satisfies() -> None:
    problem = _ground(LOAD_BALANCING, LOAD_BALANCING_DATA)
    members = group_members(problem, ROWS)
    owner = {i: m for m, member in enumerate(members) for i in member.indices}
    names = {(m.statement, m.provenance.key): k for k, m in enumerate(members)}
    p1 = names[("capacity", (("name", "p1"), ("cpu", 10)))]
    d1, d2 = names[("db_on_p1", (("name", "d1"),))], names[("db_on_p1", (("name", "d2"),))]
    witnesses = Witnesses(problem, owner)
    # a placement that pins both db VMs (6 + 6 CPU) to p1 overloads it (10 CPU)
    assert not witnesses.try_greedy(frozenset({p1, d1, d2}),
                                    members[p1].indices + members[d1].indices
                                    + members[d2].indices)
    # one db VM on p1 fits: the greedy places the pinned VM first and the rest around it
    assert witnesses.try_greedy(frozenset({p1, d1}), members[p1].indices + members[d1].indices)
    assert witnesses.satisfies(frozenset({p1, d1}))
    assert not witnesses.satisfies(frozenset({p1, d1, d2}))
    # an assignment outside a variable's domain is not kept
    assert witnesses.add({v.index: 10**6 for v in problem.variables}) is None


def test_a_cp_sat_session_that_cannot_be_built_in_time_is_not_offered() -> None:
    # the session's model is built under the explanation's deadline: with no time left it is
    # not built at all (the checks then fall back to re-solves, each bounded by the deadline)
    from csql.backends.base import SolveOptions
    from csql.backends.cpsat_session import open_session
    from csql.ir import ground as g

    p = g.Problem()
    xs = tuple(p.new_var(f"x{i}", lb=0, ub=9) for i in range(50))
    for i in range(49):
        p.add(g.Compare("<", xs[i], xs[i + 1]), g.Provenance("chain", "check", (("i", i),)))
    groups = [[i] for i in range(49)]
    assert open_session(p, groups, SolveOptions(time_limit=0.0)) is None
    session = open_session(p, groups, SolveOptions(time_limit=60.0))
    assert session is not None
    # 10 values cannot hold a strictly increasing chain of 50, but 10 links of it fit
    assert session.check(list(range(9)), 10.0).status.has_solution
    assert session.check(list(range(49)), 10.0).status.name == "INFEASIBLE"


def test_no_question_is_answered_after_the_deadline_not_even_by_a_witness() -> None:
    # with the time already spent, the shrinking gets UNKNOWN for every question (a greedy
    # witness of 5,000 VMs takes seconds, so witnesses wait for the deadline too): the
    # answer is the whole candidate set, not claimed minimal
    problem = _ground(LOAD_BALANCING, LOAD_BALANCING_DATA)
    explanation = explain_infeasible(problem, get_backend("cpsat"), level=ROWS, time_limit=0.0,
                                     known_infeasible=True)
    assert not explanation.minimal
    assert explanation.stats["answered_without_solver"] == 0
    assert explanation.stats["solves"] == 0
