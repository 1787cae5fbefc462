"""The SQL oracle (language §4): for each rule, a correct solution certifies and a wrong one is
reported with the exact statement, kind and offending rows or group keys, on DuckDB, SQLite
and PostgreSQL. Every expectation below is worked out by hand in the comment beside it."""

from __future__ import annotations

import pytest

from csql.core.binder import bind
from csql.core.oracle import Certificate, Violation, certify
from csql.db.base import Database
from csql.db.schema import ensure_schema, load_data
from csql.ir.errors import InternalError, UnsupportedError

PLACEMENT = """
CREATE TABLE pm (name VARCHAR(10) PRIMARY KEY, cpu INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(10) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(10) REFERENCES pm(name));
"""
# machines a, b, c with 10, 4, 6 cpus; VMs needing 5, 3, 2
PLACEMENT_DATA = """
INSERT INTO pm VALUES ('a', 10), ('b', 4), ('c', 6);
INSERT INTO vm VALUES ('v1', 5, NULL), ('v2', 3, NULL), ('v3', 2, NULL);
"""
VM_CPU = {"v1": 5, "v2": 3, "v3": 2}


def run(db: Database, program_text: str, data: str,
        tables: dict[str, list[dict]], objective: int | None = None) -> Certificate:
    """Certify on `db`; the data is loaded when this call creates the tables, so a test can
    certify several solutions against one database."""
    program = bind(program_text, "test.sql")
    if ensure_schema(db, program).created_tables:
        load_data(db, data)
    return certify(program, db, tables, objective)


def placed(**where: str) -> dict[str, list[dict]]:
    """vm rows with every VM put on the machine given for it."""
    return {"vm": [{"name": v, "cpu": VM_CPU[v], "controllable__pm": pm}
                   for v, pm in where.items()]}


def only(cert: Certificate) -> Violation:
    assert len(cert.violations) == 1, cert.violations
    return cert.violations[0]


def placement_check(db: Database, constraint: str, **where: str) -> Certificate:
    return run(db, PLACEMENT + constraint, PLACEMENT_DATA, placed(**where))


# -- grouped statements --------------------------------------------------------------------


USED = """CREATE CONSTRAINT used AS SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
          GROUP BY pm.name CHECK count(*) >= 1;"""


def test_every_machine_used_passes(any_db: Database) -> None:
    cert = placement_check(any_db, USED, v1="a", v2="b", v3="c")
    assert cert.ok and cert.violations == [] and cert.objective is None


def test_empty_machine_still_forms_a_group(any_db: Database) -> None:
    # b receives nothing: its group exists (from pm's rows) and counts 0
    v = only(placement_check(any_db, USED, v1="a", v2="a", v3="c"))
    assert (v.statement, v.kind, v.rows) == ("used", "check", [{"pm.name": "b"}])


def test_count_of_a_column_counts_selected_rows(any_db: Database) -> None:
    one_each = """CREATE CONSTRAINT one_each AS SELECT * FROM pm JOIN vm
                  ON vm.controllable__pm = pm.name GROUP BY pm.name CHECK count(vm.name) <= 1;"""
    assert placement_check(any_db, one_each, v1="a", v2="b", v3="c").ok
    # a holds v1 and v2: two rows
    v = only(placement_check(any_db, one_each, v1="a", v2="a", v3="c"))
    assert (v.statement, v.kind, v.rows) == ("one_each", "check", [{"pm.name": "a"}])


def test_min_over_an_empty_group_is_null_and_passes(any_db: Database) -> None:
    big = """CREATE CONSTRAINT big AS SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
             GROUP BY pm.name CHECK min(vm.cpu) >= 3;"""
    # a: min(5, 3) = 3 passes; b: empty, NULL >= 3 is NULL, passes; c: min(2) fails
    v = only(placement_check(any_db, big, v1="a", v2="a", v3="c"))
    assert (v.statement, v.kind, v.rows) == ("big", "check", [{"pm.name": "c"}])
    assert placement_check(any_db, big, v1="a", v2="c", v3="a").ok is False
    # v3 (2 cpus) fails wherever it goes; with it alone on b only b fails
    v = only(placement_check(any_db, big, v1="a", v2="c", v3="b"))
    assert v.rows == [{"pm.name": "b"}]


def test_sum_fits_capacity_per_machine(any_db: Database) -> None:
    fits = """CREATE CONSTRAINT fits AS SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
              GROUP BY pm.name, pm.cpu CHECK sum(vm.cpu) <= pm.cpu;"""
    assert placement_check(any_db, fits, v1="c", v2="b", v3="a").ok
    # b gets 3 + 2 = 5 > 4; c gets 5 <= 6
    v = only(placement_check(any_db, fits, v1="c", v2="b", v3="b"))
    assert v.rows == [{"pm.name": "b", "pm.cpu": 4}]


def test_aggregate_over_empty_relation_is_vacuous(any_db: Database) -> None:
    program = """
    CREATE TABLE server (name VARCHAR(10) PRIMARY KEY, controllable__on BOOLEAN);
    CREATE CONSTRAINT two_on AS SELECT * FROM server CHECK sum(controllable__on) >= 2;
    CREATE CONSTRAINT each_on AS SELECT * FROM server CHECK controllable__on;
    """
    assert run(any_db, program, "", {"server": []}).ok


def test_ungrouped_aggregate_forms_one_group(any_db: Database) -> None:
    program = """
    CREATE TABLE server (name VARCHAR(10) PRIMARY KEY, controllable__on BOOLEAN);
    CREATE CONSTRAINT two_on AS SELECT * FROM server CHECK sum(controllable__on) >= 2;
    """
    data = "INSERT INTO server VALUES ('s1', NULL), ('s2', NULL), ('s3', NULL);"
    on = [{"name": "s1", "controllable__on": True}, {"name": "s2", "controllable__on": False},
          {"name": "s3", "controllable__on": True}]
    assert run(any_db, program, data, {"server": on}).ok  # 1 + 0 + 1 = 2
    on[0]["controllable__on"] = False
    v = only(run(any_db, program, "", {"server": on}))  # 0 + 0 + 1 = 1 < 2: the one group
    assert (v.statement, v.kind, v.rows) == ("two_on", "check", [{}])


def test_correlated_subquery_with_variable_qualifier(any_db: Database) -> None:
    alone = """CREATE CONSTRAINT alone AS SELECT * FROM pm
               CHECK (SELECT count(*) FROM vm WHERE vm.controllable__pm = pm.name) <= 1;"""
    assert placement_check(any_db, alone, v1="a", v2="b", v3="c").ok
    v = only(placement_check(any_db, alone, v1="c", v2="b", v3="c"))
    assert (v.statement, v.kind, v.rows) == ("alone", "check", [{"name": "c"}])


# -- row statements ----------------------------------------------------------------------


GUARD = """CREATE CONSTRAINT fits AS SELECT * FROM vm JOIN pm ON vm.controllable__pm = pm.name
           CHECK vm.cpu <= pm.cpu;"""


def test_join_on_variable_is_a_guard(any_db: Database) -> None:
    # only the (vm, its machine) pairs are checked: v1 (5) on a (10) fits, though 5 > 4 (b)
    assert placement_check(any_db, GUARD, v1="a", v2="b", v3="b").ok
    v = only(placement_check(any_db, GUARD, v1="b", v2="a", v3="c"))
    assert (v.statement, v.kind, v.rows) == ("fits", "check", [{"vm.name": "v1", "pm.name": "b"}])


def test_null_in_data_makes_a_check_pass(any_db: Database) -> None:
    program = """
    CREATE TABLE t (id INTEGER PRIMARY KEY, lim INTEGER, controllable__v INTEGER);
    CREATE CONSTRAINT at_least AS SELECT * FROM t CHECK controllable__v >= lim;
    """
    data = "INSERT INTO t VALUES (1, 4, NULL), (2, NULL, NULL);"
    rows = [{"id": 1, "lim": 4, "controllable__v": 4},
            {"id": 2, "lim": None, "controllable__v": -9}]
    assert run(any_db, program, data, {"t": rows}).ok  # -9 >= NULL is NULL: passes
    rows[0]["controllable__v"] = 3
    v = only(run(any_db, program, "", {"t": rows}))
    assert (v.statement, v.kind, v.rows) == ("at_least", "check", [{"id": 1}])


def test_integer_division_and_modulo_truncate_toward_zero(any_db: Database) -> None:
    program = """
    CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, controllable__q INTEGER,
                    controllable__r INTEGER);
    CREATE CONSTRAINT div AS SELECT * FROM t CHECK controllable__q = a / 2;
    CREATE CONSTRAINT mod AS SELECT * FROM t CHECK controllable__r = a % 2;
    """
    data = "INSERT INTO t VALUES (1, -7, NULL, NULL), (2, 7, NULL, NULL);"
    # -7 / 2 = -3 (not -4 by flooring, not -3.5 by DuckDB's float division), -7 % 2 = -1
    rows = [{"id": 1, "a": -7, "controllable__q": -3, "controllable__r": -1},
            {"id": 2, "a": 7, "controllable__q": 3, "controllable__r": 1}]
    assert run(any_db, program, data, {"t": rows}).ok
    rows[0].update(controllable__q=-4, controllable__r=1)
    cert = run(any_db, program, "", {"t": rows})
    assert [(v.statement, v.rows) for v in cert.violations] == [("div", [{"id": 1}]),
                                                                 ("mod", [{"id": 1}])]


# -- globals ---------------------------------------------------------------------------------


def test_all_different(any_db: Database) -> None:
    spread = "CREATE CONSTRAINT spread AS SELECT * FROM vm CHECK all_different(controllable__pm);"
    assert placement_check(any_db, spread, v1="a", v2="b", v3="c").ok
    v = only(placement_check(any_db, spread, v1="a", v2="c", v3="c"))
    assert (v.statement, v.kind, v.rows) == ("spread", "check", [{}])


def test_all_equal(any_db: Database) -> None:
    together = "CREATE CONSTRAINT together AS SELECT * FROM vm CHECK all_equal(controllable__pm);"
    assert placement_check(any_db, together, v1="c", v2="c", v3="c").ok
    v = only(placement_check(any_db, together, v1="c", v2="c", v3="a"))
    assert (v.statement, v.kind, v.rows) == ("together", "check", [{}])


INCREASING = """
CREATE TABLE job (id INTEGER PRIMARY KEY, controllable__slot INTEGER);
CREATE CONSTRAINT ordered AS SELECT * FROM job CHECK increasing(controllable__slot);
"""
JOBS = "INSERT INTO job VALUES (3, NULL), (1, NULL), (2, NULL);"


def jobs(slots: dict[int, int]) -> dict[str, list[dict]]:
    return {"job": [{"id": i, "controllable__slot": slots[i]} for i in (3, 1, 2)]}


def test_increasing_follows_primary_key_order(any_db: Database) -> None:
    # in id order 1, 2, 3 the slots are 1, 1, 5: non-decreasing (in row order 3, 1, 2 they
    # would read 5, 1, 1, so the oracle must order by the key)
    assert run(any_db, INCREASING, JOBS, jobs({1: 1, 2: 1, 3: 5})).ok
    v = only(run(any_db, INCREASING, JOBS, jobs({1: 2, 2: 1, 3: 5})))
    assert (v.statement, v.kind, v.rows) == ("ordered", "check", [{}])


ORDERED_JOBS = """
CREATE TABLE job (id INTEGER PRIMARY KEY, grp VARCHAR(5), controllable__slot INTEGER,
                  controllable__on BOOLEAN);
"""
GROUPED_JOBS = "INSERT INTO job VALUES " + ", ".join(
    f"({i}, '{g}', NULL, NULL)" for i, g in ((1, "x"), (2, "x"), (3, "y"), (4, "x"), (5, "y")))


def job_rows(slots: dict[int, int], on: set[int]) -> dict[str, list[dict]]:
    groups = {1: "x", 2: "x", 3: "y", 4: "x", 5: "y"}
    return {"job": [{"id": i, "grp": g, "controllable__slot": slots[i],
                     "controllable__on": i in on} for i, g in groups.items()]}


def test_increasing_in_order_by_order_over_selected_rows(any_db: Database) -> None:
    program = ORDERED_JOBS + """CREATE CONSTRAINT desc_order AS SELECT * FROM job
        WHERE controllable__on ORDER BY id DESC CHECK increasing(controllable__slot);"""
    slots = {1: 9, 2: 5, 3: 0, 4: 1, 5: 0}
    # selected ids in descending order 4, 2, 1 carry 1, 5, 9; the unselected 3 and 5 (slot 0)
    # would break the order if they counted (4 then 3: 1 > 0)
    assert run(any_db, program, GROUPED_JOBS, job_rows(slots, {1, 2, 4})).ok
    v = only(run(any_db, program, GROUPED_JOBS, job_rows(slots, {1, 2, 3, 4})))
    assert (v.statement, v.kind, v.rows) == ("desc_order", "check", [{}])


def test_all_different_per_group_with_having(any_db: Database) -> None:
    program = ORDERED_JOBS + """CREATE CONSTRAINT distinct_slots AS
        CHECK all_different(controllable__slot) FROM job WHERE controllable__on
        GROUP BY grp HAVING grp <> 'y';"""
    # group y (slots 0, 0) is filtered out by HAVING; group x has 9, 5, 1
    assert run(any_db, program, GROUPED_JOBS,
               job_rows({1: 9, 2: 5, 3: 0, 4: 1, 5: 0}, {1, 2, 3, 4, 5})).ok
    # x: 9, 5, 5 repeats; with job 2 unselected it would not
    assert run(any_db, program, GROUPED_JOBS,
               job_rows({1: 9, 2: 5, 3: 0, 4: 5, 5: 0}, {1, 4})).ok
    v = only(run(any_db, program, GROUPED_JOBS,
                 job_rows({1: 9, 2: 5, 3: 0, 4: 5, 5: 0}, {1, 2, 4})))
    assert (v.statement, v.kind, v.rows) == ("distinct_slots", "check", [{"grp": "x"}])


CAPACITY = """CREATE CONSTRAINT packed AS SELECT * FROM vm JOIN pm ON vm.controllable__pm = pm.name
              CHECK capacity_constraint(vm.controllable__pm, pm.name, vm.cpu, pm.cpu);"""


def test_capacity_constraint_passes_and_fails_on_the_sum(any_db: Database) -> None:
    assert placement_check(any_db, CAPACITY, v1="a", v2="b", v3="c").ok
    # each VM fits c alone (5, 2 <= 6) but together 7 > 6
    v = only(placement_check(any_db, CAPACITY, v1="c", v2="b", v3="c"))
    assert (v.statement, v.kind, v.rows) == ("packed", "check", [{}])


def test_capacity_constraint_reads_rows_before_variable_qualifiers(any_db: Database) -> None:
    # the constant qualifier leaves machines a and c as the domain; v2 on b is outside it
    limited = """CREATE CONSTRAINT packed AS SELECT * FROM vm JOIN pm
                 ON vm.controllable__pm = pm.name WHERE pm.cpu >= 5
                 CHECK capacity_constraint(vm.controllable__pm, pm.name, vm.cpu, pm.cpu);"""
    assert placement_check(any_db, limited, v1="a", v2="a", v3="c").ok
    v = only(placement_check(any_db, limited, v1="a", v2="b", v3="c"))
    assert (v.statement, v.kind, v.rows) == ("packed", "check", [{}])


# -- symbolic views -----------------------------------------------------------------------


NESTED_VIEWS = """
CREATE VIEW placement AS SELECT vm.name AS vm_name, vm.cpu AS cpu,
    vm.controllable__pm AS pm_name FROM vm JOIN pm ON vm.controllable__pm = pm.name;
CREATE VIEW big_placement AS SELECT vm_name, cpu, pm_name FROM placement WHERE cpu >= 3;
CREATE CONSTRAINT load AS SELECT * FROM pm JOIN big_placement ON big_placement.pm_name = pm.name
    GROUP BY pm.name CHECK sum(big_placement.cpu) <= 5;
CREATE CONSTRAINT some_big AS SELECT * FROM pm JOIN big_placement
    ON big_placement.pm_name = pm.name GROUP BY pm.name CHECK count(*) >= 1 OR pm.name = 'b';
"""


def test_symbolic_view_over_symbolic_view(any_db: Database) -> None:
    # big VMs are v1 (5) and v2 (3): a and c must each get one, within 5 cpus
    assert placement_check(any_db, NESTED_VIEWS, v1="c", v2="a", v3="b").ok
    # a gets both big VMs (8 > 5) and c none: the empty group persists through both views
    cert = placement_check(any_db, NESTED_VIEWS, v1="a", v2="a", v3="c")
    found = sorted((v.statement, v.kind, str(v.rows)) for v in cert.violations)
    assert found == [("load", "check", "[{'pm.name': 'a'}]"),
                     ("some_big", "check", "[{'pm.name': 'c'}]")]


def test_row_view_with_variable_qualifier_skips_absent_rows(any_db: Database) -> None:
    program = PLACEMENT + """
    CREATE VIEW on_b AS SELECT vm.name AS vm_name, vm.cpu AS cpu FROM vm
        WHERE vm.controllable__pm = 'b';
    CREATE CONSTRAINT small_on_b AS SELECT * FROM on_b CHECK cpu <= 3;
    """
    assert run(any_db, program, PLACEMENT_DATA, placed(v1="a", v2="b", v3="b")).ok
    v = only(run(any_db, program, PLACEMENT_DATA, placed(v1="b", v2="b", v3="a")))
    assert (v.statement, v.kind, v.rows) == ("small_on_b", "check",
                                             [{"vm_name": "v1", "cpu": 5}])


# -- objectives ------------------------------------------------------------------------------


OBJECTIVES = """
CREATE CONSTRAINT spare AS SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    GROUP BY pm.name, pm.cpu MAXIMIZE pm.cpu - sum(vm.cpu);
CREATE CONSTRAINT used_cpu AS SELECT * FROM vm JOIN pm ON vm.controllable__pm = pm.name
    MINIMIZE pm.cpu;
CREATE CONSTRAINT on_a AS SELECT * FROM vm MAXIMIZE controllable__pm = 'a';
"""


def test_objective_sums_maximize_and_minimize_terms(any_db: Database) -> None:
    # spare: a 10-5, b 4-3, c 6-2 = 10; used_cpu: 10 + 4 + 6 = 20; on_a: v1 only = 1
    cert = placement_check(any_db, OBJECTIVES, v1="a", v2="b", v3="c")
    assert cert.ok and cert.objective == 10 - 20 + 1
    assert cert.terms == {"spare": 10, "used_cpu": -20, "on_a": 1}


def test_wrong_reported_objective(any_db: Database) -> None:
    program = PLACEMENT + OBJECTIVES
    assert run(any_db, program, PLACEMENT_DATA, placed(v1="a", v2="b", v3="c"), -9).ok
    v = only(run(any_db, program, "", placed(v1="a", v2="b", v3="c"), -8))
    assert (v.kind, v.rows) == ("objective", [{"reported": -8, "computed": -9}])


def test_null_objective_term_counts_zero(any_db: Database) -> None:
    smallest = """CREATE CONSTRAINT smallest AS SELECT * FROM pm JOIN vm
                  ON vm.controllable__pm = pm.name GROUP BY pm.name MAXIMIZE min(vm.cpu);"""
    # a: min(5, 3) = 3; b: empty, NULL counts 0; c: 2
    cert = placement_check(any_db, smallest, v1="a", v2="a", v3="c")
    assert cert.ok and cert.objective == 5


# -- rows, domains, keys ---------------------------------------------------------------------


def test_altered_constant_column_is_a_rows_violation(any_db: Database) -> None:
    tables = placed(v1="a", v2="b", v3="c")
    tables["vm"][0]["cpu"] = 1
    cert = run(any_db, PLACEMENT, PLACEMENT_DATA, tables)
    found = [(v.statement, v.kind, v.rows) for v in cert.violations]
    assert found == [("vm", "rows", [{"name": "v1", "cpu": 5}]),
                     ("vm", "rows", [{"name": "v1", "cpu": 1}])]


def test_dropped_row_and_null_cell_are_rows_violations(any_db: Database) -> None:
    tables = placed(v1="a", v2="b")
    tables["vm"][1]["controllable__pm"] = None
    cert = run(any_db, PLACEMENT, PLACEMENT_DATA, tables)
    found = [(v.statement, v.kind, v.rows) for v in cert.violations]
    assert found == [("vm", "rows", [{"name": "v2", "cpu": 3, "controllable__pm": None}]),
                     ("vm", "rows", [{"name": "v3", "cpu": 2}])]


def test_value_outside_foreign_key_domain(any_db: Database) -> None:
    v = only(run(any_db, PLACEMENT, PLACEMENT_DATA, placed(v1="a", v2="z", v3="c")))
    assert (v.statement, v.kind, v.rows) == (
        "vm", "domain", [{"name": "v2", "cpu": 3, "controllable__pm": "z"}])


def test_integer_and_boolean_domains(any_db: Database) -> None:
    program = """CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__n INTEGER,
                                 controllable__b BOOLEAN);"""
    data = "INSERT INTO t VALUES (1, NULL, NULL), (2, NULL, NULL);"
    rows = [{"id": 1, "controllable__n": 2**31 - 1, "controllable__b": True},
            {"id": 2, "controllable__n": -(2**31) + 1, "controllable__b": 0}]
    assert run(any_db, program, data, {"t": rows}).ok
    rows[0]["controllable__n"] = 2**31
    rows[1]["controllable__b"] = "yes"
    cert = run(any_db, program, "", {"t": rows})
    assert [(v.kind, v.rows[0]["id"]) for v in cert.violations] == [("domain", 1), ("domain", 2)]


def test_duplicated_variable_primary_key(any_db: Database) -> None:
    program = """CREATE TABLE slot (controllable__id INTEGER PRIMARY KEY, owner VARCHAR(10));"""
    # the stored ids are placeholders (a key column cannot hold NULL); they are ignored
    data = "INSERT INTO slot VALUES (-1, 'x'), (-2, 'y'), (-3, 'z');"
    rows = [{"controllable__id": i, "owner": o} for i, o in ((1, "x"), (2, "y"), (3, "z"))]
    assert run(any_db, program, data, {"slot": rows}).ok
    rows[2]["controllable__id"] = 1
    v = only(run(any_db, program, "", {"slot": rows}))
    assert (v.statement, v.kind, v.rows) == ("slot", "key", [{"controllable__id": 1}])


def test_data_view_with_variable_column(any_db: Database) -> None:
    program = """
    CREATE TABLE node (name VARCHAR(10) PRIMARY KEY, cpu INTEGER);
    CREATE TABLE pod_info (name VARCHAR(10) PRIMARY KEY, status VARCHAR(10), cpu INTEGER,
                           node_name VARCHAR(10));
    CREATE VIEW pending AS SELECT name, cpu, node_name AS controllable__node FROM pod_info
        WHERE status = 'Pending';
    CREATE CONSTRAINT fits AS SELECT * FROM pending
        JOIN node ON pending.controllable__node = node.name CHECK pending.cpu <= node.cpu;
    CREATE CONSTRAINT known_node AS SELECT * FROM pending CHECK controllable__node IN ('n1', 'n2');
    """
    data = """INSERT INTO node VALUES ('n1', 4), ('n2', 8);
              INSERT INTO pod_info VALUES ('p1', 'Pending', 6, NULL), ('p2', 'Running', 9, 'n1'),
                                          ('p3', 'Pending', 3, NULL);"""
    pending = [{"name": "p1", "cpu": 6, "controllable__node": "n2"},
               {"name": "p3", "cpu": 3, "controllable__node": "n1"}]
    assert run(any_db, program, data, {"pending": pending}).ok
    pending[0]["controllable__node"] = "n1"  # 6 > 4
    v = only(run(any_db, program, "", {"pending": pending}))
    assert (v.statement, v.kind, v.rows) == (
        "fits", "check", [{"pending.name": "p1", "pending.cpu": 6,
                           "pending.controllable__node": "n1", "node.name": "n1"}])


# -- the database is left as it was; errors ---------------------------------------------------


class RecordingDatabase:
    """The database as it is, noting the temporary tables the oracle creates."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.temp_tables: list[str] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self.db, name)

    def create_temp_table(self, name: str, columns: object, rows: object) -> None:
        self.temp_tables.append(name)
        self.db.create_temp_table(name, columns, rows)  # type: ignore[arg-type]


def test_database_is_unchanged(any_db: Database) -> None:
    recording = RecordingDatabase(any_db)
    program = PLACEMENT + USED + GUARD
    bad = placed(v1="b", v2="a", v3="a")
    cert = run(recording, program, PLACEMENT_DATA, bad)  # type: ignore[arg-type]
    assert [v.statement for v in cert.violations] == ["used", "fits"]
    assert len(recording.temp_tables) == 1
    assert not any_db.relation_exists(recording.temp_tables[0])
    assert any_db.query("SELECT name, cpu, controllable__pm FROM vm ORDER BY name") == [
        ("v1", 5, None), ("v2", 3, None), ("v3", 2, None)]


def test_raise_if_invalid_lists_the_violations(duckdb_db: Database) -> None:
    cert = placement_check(duckdb_db, USED, v1="a", v2="a", v3="c")
    with pytest.raises(InternalError) as info:
        cert.raise_if_invalid()
    assert "used [check]" in str(info.value) and "'pm.name': 'b'" in str(info.value)


def test_contains_needs_arrays(sqlite_db: Database, duckdb_db: Database) -> None:
    program = """
    CREATE TABLE node (name VARCHAR(10) PRIMARY KEY, tags VARCHAR[]);
    CREATE TABLE pod (name VARCHAR(10) PRIMARY KEY, tag VARCHAR(10),
                      controllable__node VARCHAR(10) REFERENCES node(name));
    CREATE CONSTRAINT tagged AS SELECT * FROM pod JOIN node ON pod.controllable__node = node.name
        CHECK contains(node.tags, pod.tag);
    """
    data = """INSERT INTO node VALUES ('n1', ['gpu']), ('n2', ['ssd']);
              INSERT INTO pod VALUES ('p', 'ssd', NULL);"""
    pod = [{"name": "p", "tag": "ssd", "controllable__node": "n2"}]
    assert run(duckdb_db, program, data, {"pod": pod}).ok
    pod[0]["controllable__node"] = "n1"
    v = only(run(duckdb_db, program, "", {"pod": pod}))
    assert v.rows == [{"pod.name": "p", "node.name": "n1"}]
    # SQLite has no array type: the program binds, its tables exist, rendering refuses
    sqlite_db.script("CREATE TABLE node (name VARCHAR(10) PRIMARY KEY, tags VARCHAR(40));"
                     "CREATE TABLE pod (name VARCHAR(10) PRIMARY KEY, tag VARCHAR(10), "
                     "controllable__node VARCHAR(10));")
    with pytest.raises(UnsupportedError, match="contains"):
        certify(bind(program, "test.sql"), sqlite_db, {"pod": []})
