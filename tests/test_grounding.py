"""Grounding end to end: C-SQL text + rows -> ground problem -> CP-SAT -> decoded tables.

Expected answers are worked out by hand from language §4 in each test's comment; every
answer is also certified by the SQL oracle and checked against the ground problem."""

from __future__ import annotations

import dataclasses

import pytest

from csql.backends.base import Status
from csql.backends.cpsat import CpSatBackend
from csql.core.binder import bind
from csql.core.grounding import GroundingOptions, ground
from csql.core.oracle import certify
from csql.db import connect
from csql.db.schema import ensure_schema
from csql.ir import ground as g
from csql.ir import ground_eval
from csql.ir.errors import DataError, GroundingError

NODES_PODS = """
CREATE TABLE nodes (name VARCHAR PRIMARY KEY, cpu INT NOT NULL, zone VARCHAR);
CREATE TABLE pods (id INT PRIMARY KEY, cpu INT NOT NULL,
                   controllable__node VARCHAR REFERENCES nodes(name));
"""


def setup(src: str, data: str = "", url: str = "duckdb://"):
    program = bind(src)
    db = connect(url)
    ensure_schema(db, program)
    if data:
        db.script(data)
    return program, db


def solve(src: str, data: str = "", url: str = "duckdb://", options=None):
    program, db = setup(src, data, url)
    grounding = ground(program, db, options)
    result = CpSatBackend().solve(grounding.problem)
    if not result.status.has_solution:
        return result.status, None, None, grounding
    assert ground_eval.violations(grounding.problem, result.assignment) == []
    tables = grounding.decode(result.assignment)
    objective = result.objective if grounding.problem.has_objective else None
    cert = certify(program, db, tables, objective)
    assert cert.ok, cert.violations
    return result.status, objective, tables, grounding


def placement(tables) -> dict[int, str]:
    return {r["id"]: r["controllable__node"] for r in tables["pods"]}


def test_capacity_and_balance_through_bin_loads():
    # loads must fit 4 and 3; sum of -(count^2) is best at 2+2 pods: -8
    src = NODES_PODS + """
    CREATE CONSTRAINT cap AS SELECT * FROM pods JOIN nodes ON pods.controllable__node = nodes.name
      GROUP BY nodes.name, nodes.cpu CHECK sum(pods.cpu) <= nodes.cpu;
    CREATE CONSTRAINT bal AS SELECT * FROM pods JOIN nodes ON pods.controllable__node = nodes.name
      GROUP BY nodes.name MAXIMIZE -(count(*) * count(*));
    """
    data = ("INSERT INTO nodes VALUES ('a', 4, 'z1'), ('b', 3, 'z2');"
            "INSERT INTO pods VALUES (1, 2, NULL), (2, 2, NULL), (3, 1, NULL), (4, 1, NULL);")
    status, objective, tables, gr = solve(src, data)
    assert status == Status.OPTIMAL and objective == -8
    loads = {"a": 0, "b": 0}
    cpu = {1: 2, 2: 2, 3: 1, 4: 1}
    for pid, node in placement(tables).items():
        loads[node] += cpu[pid]
    assert loads["a"] <= 4 and loads["b"] <= 3
    kinds = {type(n).__name__ for c in gr.problem.constraints for n in _nodes(c.expr)}
    assert "BinLoad" in kinds


def _nodes(e):
    stack, seen = [e], []
    while stack:
        n = stack.pop()
        seen.append(n)
        stack.extend(ground_eval.children(n))
    return seen


def test_empty_groups_persist_generic_path():
    # max() is not a bin load, so this takes the generic pair path. Every node is a group even
    # with no pod on it; min over an empty selection is NULL and the CHECK passes, so the
    # only binding constraint is "the largest pod on a node is <= its cpu": pod 1 (cpu 3)
    # must go to 'a'.
    src = NODES_PODS + """
    CREATE CONSTRAINT fits AS SELECT * FROM pods JOIN nodes ON pods.controllable__node = nodes.name
      GROUP BY nodes.name, nodes.cpu CHECK max(pods.cpu) <= nodes.cpu;
    """
    data = ("INSERT INTO nodes VALUES ('a', 4, NULL), ('b', 2, NULL);"
            "INSERT INTO pods VALUES (1, 3, NULL), (2, 1, NULL);")
    status, _, tables, _ = solve(src, data)
    assert status == Status.OPTIMAL
    assert placement(tables)[1] == "a"


def test_count_forces_every_node_to_get_a_pod():
    # groups come from constant qualifiers: 'b' exists as a group with count 0 unless a pod
    # is placed there; count(*) >= 1 on each of 3 nodes with 3 pods -> a bijection
    src = NODES_PODS + """
    CREATE CONSTRAINT used AS SELECT * FROM pods JOIN nodes ON pods.controllable__node = nodes.name
      GROUP BY nodes.name CHECK count(*) >= 1;
    """
    data = ("INSERT INTO nodes VALUES ('a', 1, NULL), ('b', 1, NULL), ('c', 1, NULL);"
            "INSERT INTO pods VALUES (1, 1, NULL), (2, 1, NULL), (3, 1, NULL);")
    status, _, tables, _ = solve(src, data)
    assert status == Status.OPTIMAL
    assert sorted(placement(tables).values()) == ["a", "b", "c"]


def test_empty_relation_is_vacuous_but_rows_are_not():
    src = """
    CREATE TABLE t (id INT PRIMARY KEY, controllable__v INT);
    CREATE CONSTRAINT c AS SELECT * FROM t CHECK count(*) >= 5;
    """
    status, _, tables, _ = solve(src)
    assert status == Status.OPTIMAL and tables == {"t": []}
    status, _, _, gr = solve(src, "INSERT INTO t VALUES (1, NULL);")
    # one group of one row: count(*) = 1 >= 5 is constant false -> infeasible, with provenance
    assert status == Status.INFEASIBLE
    assert [c.provenance.statement for c in gr.problem.constraints] == ["c"]


def test_null_constant_passes_check_and_null_maximize_counts_zero():
    # row 1: v <= NULL is NULL -> passes, so v takes its max 10; row 2: v <= 3.
    # MAXIMIZE v + lim: row 1 is NULL -> 0; row 2: 3 + 3 = 6.  Plus MAXIMIZE v: 10 + 3.
    src = """
    CREATE TABLE t (id INT PRIMARY KEY, lim INT, controllable__v INT);
    CREATE CONSTRAINT dom AS SELECT * FROM t CHECK controllable__v BETWEEN 0 AND 10;
    CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__v <= lim;
    CREATE CONSTRAINT o1 AS SELECT * FROM t MAXIMIZE controllable__v + lim;
    CREATE CONSTRAINT o2 AS SELECT * FROM t MAXIMIZE controllable__v;
    """
    status, objective, tables, _ = solve(src, "INSERT INTO t VALUES (1, NULL, 0), (2, 3, 0);")
    assert status == Status.OPTIMAL
    assert {r["id"]: r["controllable__v"] for r in tables["t"]} == {1: 10, 2: 3}
    assert objective == 6 + 13


def test_kleene_logic_with_nullable_symbolic_values():
    # a CASE without ELSE is NULL when no branch holds. CHECK (CASE WHEN v > 5 THEN v END) < 8
    # passes for v <= 5 (NULL) and for 6, 7; maximising v over 0..9 gives 7.
    src = """
    CREATE TABLE t (id INT PRIMARY KEY, controllable__v INT);
    CREATE CONSTRAINT dom AS SELECT * FROM t CHECK controllable__v >= 0 AND controllable__v <= 9;
    CREATE CONSTRAINT c AS SELECT * FROM t
      CHECK (CASE WHEN controllable__v > 5 THEN controllable__v END) < 8 OR 1 = 0;
    CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__v;
    """
    status, objective, tables, _ = solve(src, "INSERT INTO t VALUES (1, NULL);")
    assert status == Status.OPTIMAL and objective == 7


def test_all_different_all_equal_increasing():
    # v in 1..3 all different; w all equal and maximised -> 3; x increasing by id with
    # x <= id, maximise sum x -> x = id
    src = """
    CREATE TABLE t (id INT PRIMARY KEY, controllable__v INT, controllable__w INT,
                    controllable__x INT);
    CREATE CONSTRAINT d AS SELECT * FROM t CHECK controllable__v BETWEEN 1 AND 3
      AND controllable__w BETWEEN 1 AND 3 AND controllable__x BETWEEN 0 AND 5;
    CREATE CONSTRAINT a AS SELECT * FROM t CHECK all_different(controllable__v);
    CREATE CONSTRAINT e AS SELECT * FROM t CHECK all_equal(controllable__w);
    CREATE CONSTRAINT i AS SELECT * FROM t CHECK increasing(controllable__x);
    CREATE CONSTRAINT xi AS SELECT * FROM t CHECK controllable__x <= id;
    CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__w + controllable__x;
    """
    status, objective, tables, gr = solve(
        src, "INSERT INTO t VALUES (3, 0, 0, 0), (1, 0, 0, 0), (2, 0, 0, 0);")
    assert status == Status.OPTIMAL
    rows = sorted(tables["t"], key=lambda r: r["id"])
    assert sorted(r["controllable__v"] for r in rows) == [1, 2, 3]
    assert {r["controllable__w"] for r in rows} == {3}
    assert [r["controllable__x"] for r in rows] == [1, 2, 3]
    assert objective == 9 + 6
    natives = {type(c.expr).__name__ for c in gr.problem.constraints}
    assert {"AllDifferent", "AllEqual", "Increasing"} <= natives


def test_all_different_under_variable_selection_is_conditional():
    # only pods placed on the same node must differ in slot: 2 nodes x 2 pods, slot in {0}:
    # feasible only with the pods on different nodes
    src = NODES_PODS.replace("controllable__node VARCHAR", "controllable__slot INT, "
                             "controllable__node VARCHAR") + """
    CREATE CONSTRAINT s AS SELECT * FROM pods CHECK controllable__slot = 0;
    CREATE CONSTRAINT d AS SELECT * FROM pods JOIN nodes ON pods.controllable__node = nodes.name
      GROUP BY nodes.name CHECK all_different(pods.controllable__slot);
    """
    data = ("INSERT INTO nodes VALUES ('a', 1, NULL), ('b', 1, NULL);"
            "INSERT INTO pods VALUES (1, 1, NULL, NULL), (2, 1, NULL, NULL);")
    status, _, tables, _ = solve(src, data)
    assert status == Status.OPTIMAL
    assert sorted(placement(tables).values()) == ["a", "b"]


def test_capacity_constraint_with_int64_capacities():
    # demands 2^33 and 2^32 + 1 into bins of 2^33 and 2^32 + 5: the big one must go to 'big'
    src = NODES_PODS.replace("cpu INT", "cpu BIGINT") + """
    CREATE CONSTRAINT cap AS SELECT * FROM pods JOIN nodes ON pods.controllable__node = nodes.name
      CHECK capacity_constraint(pods.controllable__node, nodes.name, pods.cpu, nodes.cpu);
    """
    data = (f"INSERT INTO nodes VALUES ('big', {2**33}, NULL), ('small', {2**32 + 5}, NULL);"
            f"INSERT INTO pods VALUES (1, {2**33}, NULL), (2, {2**32 + 1}, NULL);")
    status, _, tables, gr = solve(src, data)
    assert status == Status.OPTIMAL
    assert placement(tables) == {1: "big", 2: "small"}
    packs = [c.expr for c in gr.problem.constraints if isinstance(c.expr, g.BinPacking)]
    assert len(packs) == 1 and max(packs[0].capacities) == 2**33


def test_strings_with_quotes_and_unicode_are_data_not_sql():
    evil = "O'Brien'; drop table x;--"
    src = NODES_PODS + """
    CREATE CONSTRAINT not_evil AS SELECT * FROM pods CHECK controllable__node <> 'zürich';
    """
    data = (f"INSERT INTO nodes VALUES ('{evil.replace(chr(39), chr(39) * 2)}', 1, NULL),"
            " ('zürich', 1, NULL); INSERT INTO pods VALUES (1, 1, NULL);")
    status, _, tables, gr = solve(src, data)
    assert status == Status.OPTIMAL
    assert placement(tables) == {1: evil}
    assert sorted(gr.problem.strings.values()) == sorted([evil, "zürich"])
    codes = sorted(gr.problem.strings)
    assert [gr.problem.strings[c] for c in codes] == sorted(gr.problem.strings.values())


def test_string_order_comparison_with_unlisted_constant():
    # codes are order preserving: 'm' is in no domain, yet node < 'm' picks 'a' or 'k'
    src = NODES_PODS + """
    CREATE TABLE limits (id INT PRIMARY KEY, bound VARCHAR);
    CREATE CONSTRAINT lt AS SELECT * FROM pods JOIN limits ON limits.id = pods.id
      CHECK pods.controllable__node < limits.bound;
    CREATE CONSTRAINT o AS SELECT * FROM pods JOIN nodes ON pods.controllable__node = nodes.name
      MAXIMIZE nodes.cpu;
    """
    data = ("INSERT INTO nodes VALUES ('a', 1, NULL), ('k', 5, NULL), ('z', 9, NULL);"
            "INSERT INTO pods VALUES (1, 1, NULL); INSERT INTO limits VALUES (1, 'm');")
    status, objective, tables, _ = solve(src, data)
    assert status == Status.OPTIMAL and objective == 5
    assert placement(tables) == {1: "k"}


def test_fk_value_missing_is_a_data_error():
    program = bind("""
    CREATE TABLE nodes (name VARCHAR PRIMARY KEY);
    CREATE TABLE pods (id INT PRIMARY KEY, node VARCHAR REFERENCES nodes(name),
                       controllable__x INT);
    """)
    db = connect("duckdb://")
    db.execute("CREATE TABLE nodes (name VARCHAR PRIMARY KEY)")
    db.execute("CREATE TABLE pods (id INT PRIMARY KEY, node VARCHAR, controllable__x INT)")
    db.execute("INSERT INTO pods VALUES (1, 'ghost', NULL)")
    ensure_schema(db, program)
    with pytest.raises(DataError, match="ghost"):
        ground(program, db)


def test_not_null_violation_is_a_data_error():
    program = bind("CREATE TABLE t (id INT PRIMARY KEY, c INT NOT NULL, controllable__x INT);")
    db = connect("duckdb://")
    db.execute("CREATE TABLE t (id INT PRIMARY KEY, c INT, controllable__x INT)")
    db.execute("INSERT INTO t VALUES (1, NULL, NULL)")
    ensure_schema(db, program)
    with pytest.raises(DataError, match="NOT NULL"):
        ground(program, db)


def test_string_variable_without_domain_is_a_grounding_error():
    program, db = setup(NODES_PODS)
    pods = program.relation("pods")
    stripped = dataclasses.replace(pods, foreign_keys=())
    program = program.replace(tuple(stripped if s is pods else s for s in program.statements))
    with pytest.raises(GroundingError, match="pods.controllable__node") as info:
        ground(program, db)
    assert "FOREIGN KEY" in (info.value.hint or "")


def test_symbolic_view_over_symbolic_view():
    # v1 = spare per node (bin loads); v2 keeps nodes with spare below 2 (row view with a
    # variable qualifier); minimising count(*) over v2 pushes load apart: 3 unit pods on
    # nodes of cap 3 and 3 -> spares (1, 2) or (0, 3): one node below 2 at best -> 1
    src = NODES_PODS + """
    CREATE VIEW spare AS SELECT nodes.name AS name, nodes.cpu - sum(pods.cpu) AS s
      FROM pods JOIN nodes ON pods.controllable__node = nodes.name GROUP BY nodes.name, nodes.cpu;
    CREATE VIEW tight AS SELECT spare.name AS name FROM spare WHERE spare.s < 2;
    CREATE CONSTRAINT fit AS SELECT * FROM spare CHECK s >= 0;
    CREATE CONSTRAINT few AS SELECT * FROM tight MINIMIZE count(*);
    """
    data = ("INSERT INTO nodes VALUES ('a', 3, NULL), ('b', 3, NULL);"
            "INSERT INTO pods VALUES (1, 1, NULL), (2, 1, NULL), (3, 1, NULL);")
    status, objective, tables, _ = solve(src, data)
    assert status == Status.OPTIMAL and objective == -1


def test_correlated_subqueries():
    # each node hosts at most `cpu` pods (scalar count subquery), and a pod may only go to a
    # node of its zone (correlated EXISTS on a constant table): pods 1, 2 in z1 -> a (cap 2)
    src = NODES_PODS + """
    CREATE TABLE pod_zone (id INT PRIMARY KEY, zone VARCHAR);
    CREATE CONSTRAINT cap AS SELECT * FROM nodes
      CHECK (SELECT count(*) FROM pods p WHERE p.controllable__node = nodes.name) <= nodes.cpu;
    CREATE CONSTRAINT zone AS SELECT * FROM pods
      CHECK EXISTS (SELECT 1 FROM pod_zone z JOIN nodes n ON n.zone = z.zone
                    WHERE z.id = pods.id AND n.name = pods.controllable__node);
    """
    data = ("INSERT INTO nodes VALUES ('a', 2, 'z1'), ('b', 5, 'z2'), ('c', 1, 'z2');"
            "INSERT INTO pods VALUES (1, 1, NULL), (2, 1, NULL), (3, 1, NULL);"
            "INSERT INTO pod_zone VALUES (1, 'z1'), (2, 'z1'), (3, 'z2');")
    status, _, tables, _ = solve(src, data)
    assert status == Status.OPTIMAL
    p = placement(tables)
    assert p[1] == "a" and p[2] == "a" and p[3] in ("b", "c")


def test_in_subquery_domain_inference_and_hints():
    # the IN (SELECT ...) on the column alone becomes its domain; stored values become hints
    src = """
    CREATE TABLE allowed (v INT);
    CREATE TABLE t (id INT PRIMARY KEY, controllable__v INT);
    CREATE CONSTRAINT d AS SELECT * FROM t CHECK controllable__v IN (SELECT v FROM allowed);
    CREATE CONSTRAINT o AS SELECT * FROM t MINIMIZE controllable__v;
    """
    data = ("INSERT INTO allowed VALUES (4), (7), (9); INSERT INTO t VALUES (1, 7), (2, 5);")
    status, objective, tables, gr = solve(src, data)
    assert status == Status.OPTIMAL and objective == -8
    v1, v2 = gr.relations["t"].cells["controllable__v"]
    assert v1.values == (4, 7, 9) and v2.values == (4, 7, 9)
    assert gr.problem.hints == {v1.index: 7}  # 5 is outside the domain: no hint
    assert gr.problem.constraints == []  # the domain makes the IN constraint constant true


def test_null_in_subquery_set_restricts_nothing():
    # v IN (4, NULL) is NULL (passes) for v != 4, so the domain stays the default range
    src = """
    CREATE TABLE allowed (v INT);
    CREATE TABLE t (id INT PRIMARY KEY, controllable__v INT);
    CREATE CONSTRAINT d AS SELECT * FROM t CHECK controllable__v IN (SELECT v FROM allowed);
    CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__v;
    """
    opts = GroundingOptions(default_int_range=(0, 50))
    status, objective, _, _ = solve(src, "INSERT INTO allowed VALUES (4), (NULL);"
                                    "INSERT INTO t VALUES (1, NULL);", options=opts)
    assert status == Status.OPTIMAL and objective == 50


def test_row_check_over_variable_join_posts_failing_pairs():
    # cpu 3 does not fit node 'b' (cpu 2): SQL finds the one failing pair -> node != 'b'
    src = NODES_PODS + """
    CREATE CONSTRAINT fit AS SELECT * FROM pods JOIN nodes ON pods.controllable__node = nodes.name
      CHECK pods.cpu <= nodes.cpu;
    CREATE CONSTRAINT o AS SELECT * FROM pods JOIN nodes ON pods.controllable__node = nodes.name
      MINIMIZE nodes.cpu;
    """
    data = ("INSERT INTO nodes VALUES ('a', 9, NULL), ('b', 2, NULL);"
            "INSERT INTO pods VALUES (1, 3, NULL), (2, 1, NULL);")
    status, objective, tables, gr = solve(src, data)
    assert status == Status.OPTIMAL and objective == -(9 + 2)
    assert placement(tables) == {1: "a", 2: "b"}
    # the grounder posts only the failing pair, pod 1 on 'b' (seen with domains relaxed) ...
    _, _, _, relaxed = solve(src, data, options=GroundingOptions(relax_domains=True))
    fit = [c for c in relaxed.problem.constraints if c.provenance.statement == "fit"]
    assert len(fit) == 1 and dict(fit[0].provenance.key)["pods.id"] == 1
    # ... which, reading one variable, becomes that variable's domain by default
    assert not [c for c in gr.problem.constraints if c.provenance.statement == "fit"]
    pod1 = next(v for v in gr.problem.variables if v.origin[1] == (("id", 1),))
    b_code = next(code for code, text in gr.problem.strings.items() if text == "b")
    assert b_code not in (pod1.values or range(pod1.lb, pod1.ub + 1))
    assert gr.narrowed_domains == ["pods.controllable__node"]


def test_composite_key_with_variable_column():
    # PRIMARY KEY (grp, controllable__slot): slots differ within a group only
    src = """
    CREATE TABLE t (id INT, grp INT, controllable__slot INT, PRIMARY KEY (grp, controllable__slot));
    CREATE CONSTRAINT d AS SELECT * FROM t CHECK controllable__slot BETWEEN 0 AND 1;
    """
    status, _, tables, _ = solve(
        src, "INSERT INTO t VALUES (1, 1, 5), (2, 1, 6), (3, 2, 7);")
    assert status == Status.OPTIMAL
    g1 = sorted(r["controllable__slot"] for r in tables["t"] if r["grp"] == 1)
    assert g1 == [0, 1]


def test_bin_load_grounding_is_linear_in_machines_plus_vms():
    src = """
    CREATE TABLE pm (name VARCHAR PRIMARY KEY, cpu_cap INT NOT NULL);
    CREATE TABLE vm (id INT PRIMARY KEY, cpu INT NOT NULL,
                     controllable__pm VARCHAR REFERENCES pm(name));
    CREATE CONSTRAINT cap AS SELECT * FROM vm JOIN pm ON vm.controllable__pm = pm.name
      GROUP BY pm.name, pm.cpu_cap CHECK sum(vm.cpu) <= pm.cpu_cap;
    CREATE VIEW spare AS SELECT pm.name, pm.cpu_cap - sum(vm.cpu) AS cpu_spare
      FROM vm JOIN pm ON vm.controllable__pm = pm.name GROUP BY pm.name, pm.cpu_cap;
    CREATE CONSTRAINT bal AS SELECT * FROM spare MAXIMIZE min(cpu_spare);
    """
    program, db = setup(src)
    machines, vms = 200, 1000
    db.executemany("INSERT INTO pm VALUES (?, ?)", [(f"pm{i}", 50) for i in range(machines)])
    db.executemany("INSERT INTO vm VALUES (?, ?, NULL)", [(i, 1 + i % 9) for i in range(vms)])
    gr = ground(program, db)
    nodes = gr.problem.size()["expression_nodes"]
    assert nodes < 10 * (machines + vms)  # a pair-wise grounding has >= 200,000 nodes
    assert len(gr.problem.variables) == vms


def test_sqlite_database_gives_the_same_answer():
    src = NODES_PODS + """
    CREATE CONSTRAINT cap AS SELECT * FROM pods JOIN nodes ON pods.controllable__node = nodes.name
      GROUP BY nodes.name, nodes.cpu CHECK sum(pods.cpu) <= nodes.cpu;
    CREATE CONSTRAINT o AS SELECT * FROM pods JOIN nodes ON pods.controllable__node = nodes.name
      MAXIMIZE nodes.cpu * (pods.cpu / 2) - pods.cpu % 2;
    """
    data = ("INSERT INTO nodes VALUES ('a', 5, NULL), ('b', 3, NULL);"
            "INSERT INTO pods VALUES (1, 5, NULL), (2, 3, NULL);")
    # pod 1 (cpu 5) only fits 'a': 5 * 2 - 1 = 9; pod 2 then fits 'b' only: 3 * 1 - 1 = 2
    for url in ("duckdb://", "sqlite://"):
        status, objective, tables, _ = solve(src, data, url)
        assert status == Status.OPTIMAL and objective == 11, url
        assert placement(tables) == {1: "a", 2: "b"}


def test_all_different_over_constant_strings_of_a_conditional_view():
    # racks are constant strings that no variable takes; the view's rows are present only
    # when the replica sits on that server. Two replicas of one segment on distinct racks.
    src = """
    CREATE TABLE server (name VARCHAR PRIMARY KEY, rack VARCHAR NOT NULL);
    CREATE TABLE replica (seg INT, idx INT, server VARCHAR REFERENCES server(name),
                          PRIMARY KEY (seg, idx));
    CREATE VIEW replica_rack AS SELECT replica.seg, replica.idx, server.rack
      FROM replica JOIN server ON replica.server = server.name;
    CREATE CONSTRAINT racks AS CHECK all_different(rack) FROM replica_rack GROUP BY seg;
    """.replace("server VARCHAR REFERENCES", "controllable__server VARCHAR REFERENCES").replace(
        "replica.server =", "replica.controllable__server =")
    data = ("INSERT INTO server VALUES ('s1', 'r1'), ('s2', 'r1'), ('s3', 'r2');"
            "INSERT INTO replica VALUES (1, 1, NULL), (1, 2, NULL);")
    status, _, tables, _ = solve(src, data)
    assert status == Status.OPTIMAL
    racks = {"s1": "r1", "s2": "r1", "s3": "r2"}
    assert sorted(racks[r["controllable__server"]] for r in tables["replica"]) == ["r1", "r2"]
