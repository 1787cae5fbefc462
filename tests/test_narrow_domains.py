"""Domain narrowing from unary constraints (`csql.rewrites.narrow_domains`): the pass on
hand-built ground problems, then through `csql.compile(...).solve(...)` and explanations.

Every expected domain below is worked out by hand from the constraint; the brute-force
comparisons enumerate the ground problems and depend on no solver."""

from __future__ import annotations

import itertools

import pytest

import csql
from csql import Status
from csql.core.grounding import GroundingOptions, ground
from csql.ir import ground as g
from csql.ir.ground_eval import Evaluator
from csql.rewrites.narrow_domains import MAX_DOMAIN, narrow_domains


def _prov(name: str) -> g.Provenance:
    return g.Provenance(name, "check", (("id", name),))


def _eq(var: g.Var, value: int) -> g.Compare:
    return g.Compare("=", var, g.Const(value))


def _domain(var: g.Var) -> tuple[int, ...]:
    return var.values if var.values is not None else tuple(range(var.lb, var.ub + 1))


def _solutions(problem: g.Problem) -> set[tuple[int, ...]]:
    found = set()
    for values in itertools.product(*(_domain(v) for v in problem.variables)):
        ev = Evaluator(dict(enumerate(values)))
        if all(ev(c.expr) for c in problem.constraints):
            found.add(values)
    return found


# ---------------------------------------------------------------------------------------------
# The pass on hand-built problems


def test_unary_constraints_become_the_domain_and_disappear() -> None:
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=9, origin=("t", (("id", 1),), "x"))
    y = p.new_var("y", lb=0, ub=9)
    p.add(g.Or((_eq(x, 2), g.InSet(x, (5, 7, 12)))), _prov("in_list"))  # x in {2, 5, 7}
    p.add(g.Compare(">=", x, g.Const(3)), _prov("at_least"))  # x in {5, 7}
    both = g.Compare("<", x, y)
    p.add(both, _prov("pair"))
    p.maximize(g.LinearSum(((1, x),)), _prov("objective"))

    out = narrow_domains(p)
    new_x = out.problem.variables[0]
    assert (new_x.values, new_x.lb, new_x.ub) == ((5, 7), 5, 7)
    assert (new_x.index, new_x.name, new_x.origin) == (x.index, x.name, x.origin)
    assert out.narrowed == (new_x,) and out.emptied == () and out.dropped == 2
    assert out.problem.variables[1] is y  # y has no unary constraint
    assert [c.provenance.statement for c in out.problem.constraints] == ["pair"]
    rebuilt = out.problem.constraints[0].expr
    assert isinstance(rebuilt, g.Compare) and rebuilt.left is new_x and rebuilt.right is y
    assert out.problem.objective[0].expr.terms[0][1] is new_x  # type: ignore[union-attr]
    # the input problem is not touched and has the same solutions
    assert p.variables[0] is x and len(p.constraints) == 3 and both.left is x
    assert _solutions(out.problem) == _solutions(p)


def test_a_contiguous_result_is_an_interval() -> None:
    p = g.Problem()
    x = p.new_var("x", values=(1, 3, 4, 5, 9))
    p.add(g.And((g.Compare(">", g.Const(6), x), g.Compare("!=", x, g.Const(1)))), _prov("c"))
    out = narrow_domains(p)
    new_x = out.problem.variables[0]
    assert (new_x.lb, new_x.ub, new_x.values) == (3, 5, None)  # {3, 4, 5}
    assert out.problem.constraints == []


def test_other_forms_are_evaluated_value_by_value() -> None:
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=9)
    p.add(g.Compare("=", g.Mod(x, 3), g.Const(0)), _prov("mod"))  # {0, 3, 6, 9}
    # element index 9 is outside the array: false for that value, not an error
    p.add(g.Compare(">=", g.Element(x, (0, 1, 2, 3, 4, 5, 6, 7, 8)), g.Const(3)),
          _prov("element"))  # {3..8}
    p.add(g.Implies(_eq(x, 6), g.Const(False)), _prov("not_six"))
    out = narrow_domains(p)
    new_x = out.problem.variables[0]  # {0,3,6,9} & {3..8} - {6} = {3}
    assert (new_x.lb, new_x.ub, new_x.values) == (3, 3, None)
    assert out.problem.constraints == []


def test_an_always_true_constraint_is_dropped_without_narrowing() -> None:
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=9)
    p.add(g.Compare("<=", x, g.Const(20)), _prov("loose"))
    out = narrow_domains(p)
    assert out.problem is not p and out.problem.constraints == [] and out.dropped == 1
    assert out.narrowed == () and out.problem.variables[0] is x


def test_an_empty_domain_keeps_the_problem_infeasible_and_says_where() -> None:
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=3)
    y = p.new_var("y", lb=0, ub=3)
    p.add(g.Compare(">=", x, g.Const(2)), _prov("low"))
    p.add(g.Compare("<=", x, g.Const(1)), _prov("high"))  # no value left: this one empties it
    p.add(g.Compare("!=", x, g.Const(3)), _prov("later"))
    p.add(g.Compare("=", y, g.Const(1)), _prov("y_is_one"))
    out = narrow_domains(p)
    assert out.emptied == (x,) and out.problem.variables[0] is x
    assert [(c.expr, c.provenance.statement) for c in out.problem.constraints] == [
        (g.FALSE, "high")]
    assert out.problem.variables[1].lb == out.problem.variables[1].ub == 1
    assert _solutions(out.problem) == _solutions(p) == set()


def test_shared_nodes_and_bin_load_tuples_stay_shared() -> None:
    p = g.Problem()
    a = p.new_var("a", values=(0, 1, 2))
    b = p.new_var("b", values=(0, 1, 2))
    p.add(g.Compare("!=", a, g.Const(2)), _prov("a_not_2"))
    items, demands = (a, b), (g.Const(3), g.Const(4))
    for bin_ in (0, 1):
        p.add(g.Compare("<=", g.BinLoad(items, demands, bin_), g.Const(5)), _prov(f"fit{bin_}"))
    shared = g.Compare("=", a, b)
    p.add(g.Not(shared), _prov("apart"))
    p.maximize(g.BoolAsInt(shared), _prov("together"))
    out = narrow_domains(p)
    new_a = out.problem.variables[0]
    assert new_a.values is None and (new_a.lb, new_a.ub) == (0, 1)
    loads = [c.expr.left for c in out.problem.constraints[:2]]  # type: ignore[union-attr]
    assert loads[0].assignment is loads[1].assignment  # one tuple for both bins
    assert loads[0].assignment == (new_a, b) and loads[0].demands is demands
    apart = out.problem.constraints[2].expr
    assert apart.arg is out.problem.objective[0].expr.arg  # type: ignore[union-attr]
    assert _solutions(out.problem) == _solutions(p)


def test_nothing_to_narrow_returns_the_same_problem() -> None:
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=9)
    y = p.new_var("y", lb=0, ub=9)
    flag = p.new_var("flag", is_bool=True)
    wide = p.new_var("wide", lb=0, ub=MAX_DOMAIN)  # MAX_DOMAIN + 1 values
    p.add(g.Compare("<", x, y), _prov("pair"))
    p.add(g.Not(flag), _prov("boolean"))  # booleans are left to the backends
    p.add(g.Compare("<=", wide, g.Const(7)), _prov("wide"))
    out = narrow_domains(p)
    assert out.problem is p and out.narrowed == () and out.dropped == 0


def test_hints_outside_the_new_domain_are_dropped() -> None:
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=9)
    y = p.new_var("y", lb=0, ub=9)
    z = p.new_var("z", lb=0, ub=9)
    p.add(g.Compare(">=", x, g.Const(5)), _prov("x"))
    p.add(g.Compare("<=", y, g.Const(5)), _prov("y"))
    p.hints = {x.index: 3, y.index: 4, z.index: 8}
    out = narrow_domains(p)
    assert out.problem.hints == {y.index: 4, z.index: 8}
    assert p.hints == {x.index: 3, y.index: 4, z.index: 8}


# ---------------------------------------------------------------------------------------------
# Through the public API

PROGRAM = """
CREATE TABLE node (name VARCHAR PRIMARY KEY);
CREATE TABLE candidate (pod INTEGER, node VARCHAR);
CREATE TABLE score (pod INTEGER, node VARCHAR, w INTEGER);
CREATE TABLE pod (uid INTEGER PRIMARY KEY, controllable__node VARCHAR REFERENCES node(name));
CREATE CONSTRAINT allowed AS SELECT * FROM pod p
    CHECK p.controllable__node IN (SELECT c.node FROM candidate c WHERE c.pod = p.uid);
CREATE CONSTRAINT spread AS SELECT * FROM pod CHECK all_different(controllable__node);
CREATE CONSTRAINT prefer AS SELECT * FROM pod JOIN score s
    ON s.pod = pod.uid AND s.node = pod.controllable__node MAXIMIZE s.w;
"""
NODES = "INSERT INTO node VALUES ('a'), ('b'), ('c'), ('d');"
SCORES = ("INSERT INTO score VALUES (1, 'a', 5), (1, 'b', 9), (1, 'c', 100), (2, 'b', 4),"
          " (3, 'c', 1), (3, 'd', 2);")


def _database(candidates: str):  # noqa: ANN202 - a csql Database
    model = csql.compile(PROGRAM, "prog.sql")
    database = model.prepare("duckdb://")
    database.script(NODES + SCORES + candidates
                    + "INSERT INTO pod VALUES (1, NULL), (2, NULL), (3, 'a');")
    return model, database


@pytest.mark.parametrize("backend", ["cpsat", "ilp"])
def test_per_row_candidates_narrow_domains_and_the_answer_is_certified(backend: str) -> None:
    model, database = _database(
        "INSERT INTO candidate VALUES (1, 'a'), (1, 'b'), (2, 'b'), (3, 'c'), (3, 'd');")
    grounding = ground(model.program, database)
    # pod 1 in {a, b}, pod 2 in {b}, pod 3 in {c, d}: the three `allowed` rows are domains
    strings = grounding.problem.strings
    assert [[strings[v] for v in _domain(var)] for var in grounding.problem.variables] == [
        ["a", "b"], ["b"], ["c", "d"]]
    assert grounding.narrowed_domains == ["pod.controllable__node"]
    assert grounding.stats["narrowed_variables"] == 3
    assert not [c for c in grounding.problem.constraints
                if c.provenance.statement == "allowed"]
    assert grounding.problem.hints == {}  # pod 3 stores 'a', no longer in its domain
    cells = grounding.relations["pod"].cells["controllable__node"]
    assert cells == grounding.problem.variables
    # the relaxed grounding (explanations) keeps every row of `allowed` as a constraint
    relaxed = ground(model.program, database, GroundingOptions(relax_domains=True))
    assert len([c for c in relaxed.problem.constraints
                if c.provenance.statement == "allowed"]) == 3
    assert all(len(_domain(v)) == 4 for v in relaxed.problem.variables)
    # pod 2 can only take b, so pod 1 takes a (5), pod 3 its better d (2): 5 + 4 + 2
    solution = model.solve(database, backend=backend, certify=True)
    assert solution.status is Status.OPTIMAL and solution.objective == 11
    assert {r["uid"]: r["controllable__node"] for r in solution.tables["pod"]} == {
        1: "a", 2: "b", 3: "d"}
    assert solution.stats["narrowed_variables"] == 3
    # without folding, the backend encodes the three `allowed` rows itself: same answer
    unfolded = model.solve(database, backend=backend, certify=True, narrow_domains=False)
    assert unfolded.stats["narrowed_variables"] == 0
    assert unfolded.stats["problem"]["constraints"] == solution.stats["problem"][
        "constraints"] + 3
    assert (unfolded.status, unfolded.objective) == (Status.OPTIMAL, 11)
    assert unfolded.tables["pod"] == solution.tables["pod"]


def _core(candidates: str, explain: str) -> csql.Solution:
    model, database = _database(candidates)
    solution = model.solve(database, backend="cpsat", explain=explain)
    assert solution.status is Status.INFEASIBLE and solution.core is not None
    return solution


def test_explanations_of_narrowed_programs_stay_minimal() -> None:
    # pods 1 and 2 may only take b and must differ; pod 3 (c) plays no part
    data = "INSERT INTO candidate VALUES (1, 'b'), (2, 'b'), (3, 'c');"
    solution = _core(data, "constraints")
    assert {m.constraint for m in solution.core or ()} == {"allowed", "spread"}
    assert solution.stats["explain"]["regrounded"] is True
    assert solution.stats["explain"]["minimal"] is True
    solution = _core(data, "rows")
    allowed = [m for m in solution.core or () if m.constraint == "allowed"]
    assert [sorted(r["uid"] for r in m.rows) for m in allowed] == [[1, 2]]


def test_an_emptied_domain_is_explained_by_its_row_alone() -> None:
    # pod 3 has no candidate at all: the `allowed` row of pod 3 is the whole core
    model, database = _database("INSERT INTO candidate VALUES (1, 'a'), (2, 'b');")
    grounding = ground(model.program, database)
    false = [c for c in grounding.problem.constraints if c.expr == g.FALSE]
    assert [(c.provenance.statement, c.provenance.key) for c in false] == [
        ("allowed", (("uid", 3),))]
    assert grounding.narrowed_domains == ["pod.controllable__node"]
    solution = _core("INSERT INTO candidate VALUES (1, 'a'), (2, 'b');", "rows")
    assert [(m.constraint, [r["uid"] for r in m.rows]) for m in solution.core or ()] == [
        ("allowed", [3])]
