"""Language §4, end to end: each rule of the meaning of a program, solved on a real database by
every registered backend (the `backend` fixture), the answer certified by the SQL oracle
(Model.solve certifies every answer and raises InternalError otherwise), and the expected values
worked out by hand in each test. A backend that refuses a construct passes only through a
declared capability (see `conftest.py`)."""

from __future__ import annotations

import pytest

import csql
from csql import Status

PLACEMENT = """
CREATE TABLE pm (name VARCHAR(40) PRIMARY KEY, cpu INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(40) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(40) REFERENCES pm(name));
"""


def solve(program: str, data: str, db: object = None, **kwargs: object) -> csql.Solution:
    """Solve on the backend the `backend` fixture chose (through CSQL_BACKEND, which it sets),
    so a test that calls `Model.solve` directly runs on the same backend."""
    import os

    model = csql.compile(program, "test.sql")
    database = model.prepare(db if db is not None else "duckdb://")
    database.script(data)
    kwargs.setdefault("backend", os.environ.get("CSQL_BACKEND"))
    solution = model.solve(database, **kwargs)
    assert solution.backend == kwargs["backend"] or kwargs["backend"] is None
    return solution


def placement(solution: csql.Solution) -> dict[str, str]:
    return {row["name"]: row["controllable__pm"] for row in solution.table("vm")}


def test_every_constant_group_exists_even_when_empty(backend: str) -> None:
    # count(*) per machine counts only the VMs placed there; an empty machine still forms a
    # group (count 0), so each of the three machines must receive one of the three VMs.
    program = PLACEMENT + """
    CREATE CONSTRAINT every_machine_used AS
        SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
        GROUP BY pm.name CHECK count(vm.name) >= 1;
    """
    data = """INSERT INTO pm VALUES ('a', 10), ('b', 10), ('c', 10);
              INSERT INTO vm VALUES ('v1', 1, NULL), ('v2', 1, NULL), ('v3', 1, NULL);"""
    solution = solve(program, data)
    assert solution.status is Status.OPTIMAL
    assert sorted(placement(solution).values()) == ["a", "b", "c"]


def test_variable_join_is_a_guard_for_row_checks(backend: str) -> None:
    # JOIN ... ON vm.pm = pm.name CHECK vm.cpu <= pm.cpu means: wherever a VM goes, it fits.
    program = PLACEMENT + """
    CREATE CONSTRAINT fits AS
        SELECT * FROM vm JOIN pm ON vm.controllable__pm = pm.name
        CHECK vm.cpu <= pm.cpu;
    """
    data = """INSERT INTO pm VALUES ('small', 3), ('big', 8);
              INSERT INTO vm VALUES ('v', 5, NULL), ('w', 2, NULL);"""
    solution = solve(program, data)
    assert solution.status is Status.OPTIMAL
    assert placement(solution)["v"] == "big"


def test_null_in_data_makes_a_check_pass(backend: str) -> None:
    # v >= lim is NULL where lim is NULL: the check passes, so minimising v gives 0 there.
    program = """
    CREATE TABLE t (id INTEGER PRIMARY KEY, lim INTEGER, controllable__v INTEGER);
    CREATE CONSTRAINT range AS SELECT * FROM t
        CHECK controllable__v >= 0 AND controllable__v <= 10;
    CREATE CONSTRAINT at_least AS SELECT * FROM t CHECK controllable__v >= lim;
    CREATE CONSTRAINT small AS SELECT * FROM t MINIMIZE controllable__v;
    """
    data = "INSERT INTO t VALUES (1, 4, NULL), (2, NULL, NULL), (3, 7, NULL);"
    solution = solve(program, data)
    assert solution.status is Status.OPTIMAL
    values = {row["id"]: row["controllable__v"] for row in solution.table("t")}
    assert values == {1: 4, 2: 0, 3: 7}
    assert solution.objective == -11


def test_aggregate_over_empty_relation_is_vacuous(backend: str) -> None:
    program = """
    CREATE TABLE server (name VARCHAR(10) PRIMARY KEY, controllable__on BOOLEAN);
    CREATE TABLE job (id INTEGER PRIMARY KEY, controllable__slot INTEGER);
    CREATE CONSTRAINT two_on AS SELECT * FROM server CHECK sum(controllable__on) >= 2;
    CREATE CONSTRAINT slot_range AS SELECT * FROM job
        CHECK controllable__slot BETWEEN 1 AND 3;
    """
    # `server` is empty: no group, the constraint holds vacuously (DCM behaves the same).
    solution = solve(program, "INSERT INTO job VALUES (1, NULL);")
    assert solution.status is Status.OPTIMAL
    assert solution.table("job")[0]["controllable__slot"] in (1, 2, 3)


def test_count_counts_rows_not_non_zero_values(backend: str) -> None:
    program = """
    CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__v INTEGER);
    CREATE CONSTRAINT zero AS SELECT * FROM t CHECK controllable__v = 0;
    CREATE CONSTRAINT three AS SELECT * FROM t CHECK count(controllable__v) = 3;
    """
    solution = solve(program, "INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);")
    assert solution.status is Status.OPTIMAL  # DCM counted non-zero values: infeasible there


def test_min_over_an_empty_selection_is_null_and_passes(backend: str) -> None:
    program = PLACEMENT + """
    CREATE CONSTRAINT only_big_on_b AS
        SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
        GROUP BY pm.name CHECK pm.name = 'a' OR min(vm.cpu) >= 100;
    """
    data = """INSERT INTO pm VALUES ('a', 0), ('b', 0);
              INSERT INTO vm VALUES ('tiny', 50, NULL), ('huge', 150, NULL);"""
    solution = solve(program, data)
    assert solution.status is Status.OPTIMAL
    assert placement(solution)["tiny"] == "a"


def test_int64_capacities(backend: str) -> None:
    program = PLACEMENT.replace("cpu INTEGER", "cpu BIGINT") + """
    CREATE CONSTRAINT cap AS
        SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
        GROUP BY pm.name, pm.cpu CHECK sum(vm.cpu) <= pm.cpu;
    """
    big = 2**33
    data = f"""INSERT INTO pm VALUES ('a', {big}), ('b', {big});
               INSERT INTO vm VALUES ('v1', {2**32 + 1}, NULL), ('v2', {2**32 + 1}, NULL);"""
    solution = solve(program, data)
    assert solution.status is Status.OPTIMAL
    assert placement(solution)["v1"] != placement(solution)["v2"]


def test_strings_that_break_sql_quoting_are_data(backend: str) -> None:
    nasty = "O'Brien'; drop table pm;--"
    program = PLACEMENT + """
    CREATE CONSTRAINT fits AS
        SELECT * FROM vm JOIN pm ON vm.controllable__pm = pm.name CHECK vm.cpu <= pm.cpu;
    """
    model = csql.compile(program, "test.sql")
    db = model.prepare("duckdb://")
    db.executemany("INSERT INTO pm VALUES (?, ?)", [(nasty, 10), ("tiny", 1)])
    db.executemany("INSERT INTO vm VALUES (?, ?, ?)", [("ünïcode ✓", 5, None)])
    solution = model.solve(db)
    assert solution.status is Status.OPTIMAL
    assert solution.table("vm")[0]["controllable__pm"] == nasty
    assert db.query("SELECT count(*) FROM pm") == [(2,)]


def test_objectives_are_summed_and_minimize_subtracts(backend: str) -> None:
    program = """
    CREATE TABLE t (id INTEGER PRIMARY KEY, w INTEGER NOT NULL, controllable__x INTEGER);
    CREATE CONSTRAINT dom AS SELECT * FROM t CHECK controllable__x IN (0, 1, 2);
    CREATE CONSTRAINT budget AS SELECT * FROM t CHECK sum(controllable__x) <= 3;
    CREATE CONSTRAINT value AS SELECT * FROM t MAXIMIZE w * controllable__x;
    CREATE CONSTRAINT cost AS SELECT * FROM t MINIMIZE controllable__x;
    """
    # per unit of x: row 1 gains 5-1=4, row 2 gains 2-1=1, row 3 gains 1-1=0.
    data = "INSERT INTO t VALUES (1, 5, NULL), (2, 2, NULL), (3, 1, NULL);"
    solution = solve(program, data)
    assert solution.status is Status.OPTIMAL
    assert solution.objective == 2 * 4 + 1 * 1
    values = {row["id"]: row["controllable__x"] for row in solution.table("t")}
    assert values[1] == 2 and values[2] == 1


def test_infeasible_program_reports_status_and_core(backend: str) -> None:
    program = PLACEMENT + """
    CREATE CONSTRAINT cap AS
        SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
        GROUP BY pm.name, pm.cpu CHECK sum(vm.cpu) <= pm.cpu;
    CREATE CONSTRAINT harmless AS SELECT * FROM vm CHECK vm.cpu >= 0;
    """
    data = """INSERT INTO pm VALUES ('a', 5);
              INSERT INTO vm VALUES ('v1', 4, NULL), ('v2', 4, NULL);"""
    solution = solve(program, data, explain=True)
    assert solution.status is Status.INFEASIBLE
    assert solution.core is not None
    names = {member.constraint for member in solution.core}
    assert "cap" in names
    assert "harmless" not in names


@pytest.mark.parametrize("name", ["all_different", "all_equal"])
def test_all_different_and_all_equal(name: str, backend: str) -> None:
    program = f"""
    CREATE TABLE t (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, controllable__x INTEGER);
    CREATE CONSTRAINT dom AS SELECT * FROM t CHECK controllable__x BETWEEN 1 AND 3;
    CREATE CONSTRAINT g AS SELECT * FROM t GROUP BY grp CHECK {name}(controllable__x);
    CREATE CONSTRAINT most AS SELECT * FROM t MAXIMIZE controllable__x;
    """
    data = "INSERT INTO t VALUES (1, 1, NULL), (2, 1, NULL), (3, 1, NULL), (4, 2, NULL);"
    solution = solve(program, data)
    assert solution.status is Status.OPTIMAL
    group1 = [row["controllable__x"] for row in solution.table("t") if row["grp"] == 1]
    if name == "all_different":
        assert sorted(group1) == [1, 2, 3] and solution.objective == 6 + 3
    else:
        assert group1 == [3, 3, 3] and solution.objective == 9 + 3


def test_increasing_follows_primary_key_order(backend: str) -> None:
    program = """
    CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
    CREATE CONSTRAINT dom AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 9;
    CREATE CONSTRAINT pinned AS SELECT * FROM t WHERE id = 2 CHECK controllable__x = 5;
    CREATE CONSTRAINT inc AS SELECT * FROM t CHECK increasing(controllable__x);
    CREATE CONSTRAINT low AS SELECT * FROM t MINIMIZE controllable__x;
    """
    solution = solve(program, "INSERT INTO t VALUES (3, NULL), (1, NULL), (2, NULL);")
    values = {row["id"]: row["controllable__x"] for row in solution.table("t")}
    assert values == {1: 0, 2: 5, 3: 5}


def test_capacity_constraint_is_bin_packing(backend: str) -> None:
    program = PLACEMENT + """
    CREATE CONSTRAINT packing AS
        SELECT * FROM vm JOIN pm ON vm.controllable__pm = pm.name
        CHECK capacity_constraint(vm.controllable__pm, pm.name, vm.cpu, pm.cpu);
    """
    data = """INSERT INTO pm VALUES ('a', 6), ('b', 4);
              INSERT INTO vm VALUES ('v1', 4, NULL), ('v2', 3, NULL), ('v3', 3, NULL);"""
    solution = solve(program, data)
    assert solution.status is Status.OPTIMAL
    where = placement(solution)
    assert where["v1"] == "b" and where["v2"] == "a" and where["v3"] == "a"


def test_solve_never_writes_and_apply_writes_in_one_transaction(backend: str) -> None:
    program = PLACEMENT + """
    CREATE CONSTRAINT fits AS
        SELECT * FROM vm JOIN pm ON vm.controllable__pm = pm.name CHECK vm.cpu <= pm.cpu;
    CREATE CONSTRAINT keep_w AS SELECT * FROM vm WHERE name = 'w'
        CHECK controllable__pm = 'small';
    """
    model = csql.compile(program, "test.sql")
    db = model.prepare("duckdb://")
    db.script("""INSERT INTO pm VALUES ('small', 3), ('big', 8);
                 INSERT INTO vm VALUES ('v', 5, 'small'), ('w', 2, 'small');""")
    solution = model.solve(db)
    assert db.query("SELECT name, controllable__pm FROM vm ORDER BY name") == [
        ("v", "small"), ("w", "small")]
    assert [row["name"] for row in solution.changes["vm"]] == ["v"]
    assert solution.apply() == 1
    assert db.query("SELECT controllable__pm FROM vm WHERE name = 'v'") == [("big",)]


def test_examples_solve_and_certify(backend: str) -> None:
    from pathlib import Path

    from test_engines_end_to_end import EXPECTED

    root = Path(__file__).resolve().parent.parent / "examples"
    for name, objective in sorted(EXPECTED.items()):
        folder = root / name
        # Gecode finds CorfuDB's optimum at once but cannot prove the rack bound (a known gap
        # of that solver, not of the encoding): a short limit, and FEASIBLE is accepted there
        unproven = backend == "minizinc" and name == "corfudb_placement"
        solution = solve((folder / "program.sql").read_text(),
                         (folder / "data.sql").read_text(), time_limit=3 if unproven else 30)
        assert solution.objective == objective, name
        expected = (Status.OPTIMAL, Status.FEASIBLE) if unproven else (Status.OPTIMAL,)
        assert solution.status in expected, name


DCM_VIEW = """
CREATE TABLE node (name VARCHAR(10) PRIMARY KEY, cpu INTEGER NOT NULL);
CREATE TABLE pod_info (name VARCHAR(10) PRIMARY KEY, status VARCHAR(10) NOT NULL,
                       cpu INTEGER NOT NULL, node_name VARCHAR(10));
CREATE VIEW pods_to_assign AS
    SELECT pod_info.*, node_name AS controllable__node_name
    FROM pod_info WHERE status = 'Pending';
CREATE CONSTRAINT on_a_node AS SELECT * FROM pods_to_assign
    CHECK controllable__node_name IN (SELECT name FROM node);
CREATE CONSTRAINT fits AS SELECT * FROM pods_to_assign
    JOIN node ON pods_to_assign.controllable__node_name = node.name
    CHECK pods_to_assign.cpu <= node.cpu;
"""
DCM_DATA = """INSERT INTO node VALUES ('n1', 3), ('n2', 8);
INSERT INTO pod_info VALUES ('p1', 'Pending', 5, NULL), ('p2', 'Running', 1, 'n1'),
                            ('p3', 'Pending', 2, NULL);"""


def test_data_view_variable_columns_write_back_to_the_base_table(backend: str) -> None:
    # DCM's pattern: a data view over the pending pods declares the variable column.
    model = csql.compile(DCM_VIEW, "test.sql")
    db = model.prepare("duckdb://")
    db.script(DCM_DATA)
    solution = model.solve(db)
    assert solution.status is Status.OPTIMAL
    chosen = {r["name"]: r["controllable__node_name"] for r in solution.table("pods_to_assign")}
    assert chosen["p1"] == "n2" and set(chosen) == {"p1", "p3"}
    assert solution.apply() == 2
    stored = dict(db.query("SELECT name, node_name FROM pod_info"))
    assert stored == {"p1": "n2", "p2": "n1", "p3": chosen["p3"]}


def test_view_without_the_base_key_refuses_write_back_before_writing(backend: str) -> None:
    program = DCM_VIEW.replace("SELECT pod_info.*, node_name AS controllable__node_name",
                               "SELECT status, cpu, node_name AS controllable__node_name")
    model = csql.compile(program, "test.sql")
    db = model.prepare("duckdb://")
    db.script(DCM_DATA)
    solution = model.solve(db)
    assert solution.status is Status.OPTIMAL
    with pytest.raises(csql.DataError, match="primary key column"):
        solution.apply()
    assert db.query("SELECT count(*) FROM pod_info WHERE node_name IS NULL") == [(2,)]
