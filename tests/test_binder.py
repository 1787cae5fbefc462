"""The binder: every statement form binds to the expected logical-IR shape."""

from __future__ import annotations

import time

from csql.core.binder import bind
from csql.ir import logical as L

SCHEMA = """
create table nodes (name varchar(36) primary key, cpu_m int not null, labels varchar[]);
-- @variable_columns(node_name)
create table pods (uid varchar(36) primary key, cpu int not null, status varchar(10),
                   node_name varchar(36) references nodes(name), controllable__prio int,
                   variable__on boolean);
"""


def prog(text: str) -> L.Program:
    return bind(SCHEMA + text, "t.sql")


def test_variable_columns_from_annotation_and_prefixes():
    p = prog("")
    pods = p.get("pods")
    assert [c.name for c in pods.variable_columns] == [
        "node_name", "controllable__prio", "variable__on"]
    assert pods.primary_key == ("uid",) and pods.column("uid").not_null
    assert pods.foreign_keys == (L.ForeignKey(("node_name",), "nodes", ("name",),
                                              pods.foreign_keys[0].span),)
    assert "@variable_columns" not in pods.sql and pods.sql.startswith("create table pods")
    assert p.get("nodes").column("labels").type == L.ARRAY


def test_data_view_declares_variable_column():
    p = prog("CREATE VIEW pending AS SELECT nodes.*, name AS controllable__host "
             "FROM nodes WHERE cpu_m > 0 ORDER BY name LIMIT 50;\n"
             "create constraint d as select * from pending "
             "check controllable__host in (select name from nodes)")
    view = p.get("pending")
    assert isinstance(view, L.DataView)
    assert view.select_sql == ("SELECT nodes.*, name AS controllable__host FROM nodes "
                               "WHERE cpu_m > 0 ORDER BY name LIMIT 50")
    assert [(c.name, c.type, c.kind) for c in view.columns] == [
        ("name", "string", "constant"), ("cpu_m", "int", "constant"),
        ("labels", "array", "constant"), ("controllable__host", "string", "variable")]
    assert view.depends_on == ("nodes",)


def test_data_view_with_full_sql_is_passed_through():
    p = prog("create view ranked as with big as (select name, cpu_m from nodes) "
             "select name, rank() over (order by cpu_m) as r, cpu_m * 2 as twice from big "
             "union all select name, 0, 0 from nodes")
    view = p.get("ranked")
    assert isinstance(view, L.DataView)
    assert [c.name for c in view.columns] == ["name", "r", "twice"]
    assert view.depends_on == ("nodes",)


def test_view_reading_a_variable_is_symbolic():
    p = prog("create view load as select n.name, sum(p.cpu) as used from nodes n "
             "join pods p on p.node_name = n.name group by n.name")
    view = p.get("load")
    assert isinstance(view, L.SymbolicView)
    assert [(c.name, c.kind) for c in view.columns] == [
        ("name", "constant"), ("used", "symbolic")]
    q = view.query
    assert q.grouped and len(q.variable_qualifiers) == 1 and not q.constant_qualifiers
    p2 = bind(SCHEMA + "create view load as select n.name, sum(p.cpu) as used from nodes n "
              "join pods p on p.node_name = n.name group by n.name;\n"
              "create view over as select * from load where used > 10")
    assert isinstance(p2.get("over"), L.SymbolicView)


def test_dcm_check_with_qualifier_split():
    p = prog("create constraint c as select * from pods p join nodes n "
             "on p.node_name = n.name and n.cpu_m > 0 where p.status = 'Pending' "
             "check p.cpu <= n.cpu_m")
    c = p.get("c")
    assert (c.kind, c.dialect) == (L.CHECK, L.DCM)
    q = c.query
    assert [s.alias for s in q.sources] == ["p", "n"]
    assert [type(e).__name__ for e in q.constant_qualifiers] == ["Comparison", "Comparison"]
    assert len(q.variable_qualifiers) == 1 and q.variable_qualifiers[0].symbolic
    assert not q.grouped and not c.expr.symbolic
    # `SELECT *` over a join keeps the first of equal column names (none collide here).
    assert [i.name for i in q.select][:3] == ["uid", "cpu", "status"]
    assert c.sql.startswith("create constraint c as")


def test_star_over_self_join_keeps_first_name():
    p = prog("create constraint c as select * from pods a join pods b on a.uid != b.uid "
             "check a.controllable__prio != b.controllable__prio")
    q = p.get("c").query
    assert len(q.select) == 6 and {i.expr.source for i in q.select} == {"a"}


def test_grouped_by_aggregate_in_check_only():
    p = prog("create constraint c as select * from pods check all_different(controllable__prio);"
             "create constraint s as select * from pods check controllable__prio > 0")
    c, s = p.get("c"), p.get("s")
    assert c.query.grouped and isinstance(c.expr, L.Aggregate) and c.expr.symbolic
    assert not s.query.grouped


def test_vldb_form_equals_select_star():
    p = prog("create constraint v as check sum(cpu) <= 10 from pods where status = 'x' "
             "group by status;\n"
             "create constraint w as minimize count(*) from pods")
    v, w = p.get("v"), p.get("w")
    assert (v.kind, v.dialect) == (L.CHECK, L.VLDB) and v.query.grouped
    assert len(v.query.select) == 6 and len(v.query.constant_qualifiers) == 1
    assert (w.kind, w.dialect) == (L.MINIMIZE, L.VLDB) and w.query.grouped


def test_weave_constraint_and_objective():
    p = prog("create view constraint_prio as select * from pods p join nodes n "
             "on p.node_name = n.name where p.controllable__prio < n.cpu_m;\n"
             "create view objective_spread as select min(cpu_m) from nodes")
    c, o = p.get("constraint_prio"), p.get("objective_spread")
    assert (c.kind, c.dialect) == (L.CHECK, L.WEAVE)
    assert isinstance(c.expr, L.Comparison) and c.expr.op == "<"
    assert len(c.query.variable_qualifiers) == 1 and not c.query.constant_qualifiers
    assert (o.kind, o.dialect) == (L.MAXIMIZE, L.WEAVE)
    assert isinstance(o.expr, L.Aggregate) and o.expr.name == "min" and o.query.grouped


def test_dcm_intermediate_view_is_symbolic_view():
    p = prog("create constraint spare as select n.name, n.cpu_m - sum(p.cpu) as free "
             "from nodes n join pods p on p.node_name = n.name group by n.name, n.cpu_m;\n"
             "create constraint lb as select * from spare maximize min(free)")
    assert isinstance(p.get("spare"), L.SymbolicView)
    lb = p.get("lb")
    assert lb.query.sources[0].relation == "spare"
    assert lb.expr.args[0].symbolic and lb.expr.args[0].relation == "spare"


def test_correlated_subquery_depth_and_symbolic():
    p = prog("create constraint c as select * from nodes n check not exists "
             "(select 1 from pods p where p.node_name = n.name and exists "
             "(select 1 from nodes m where m.name = p.uid and m.cpu_m < n.cpu_m))")
    e = p.get("c").expr
    assert isinstance(e, L.Not) and e.symbolic
    outer = e.arg.query
    assert outer.variable_qualifiers[0].right.depth == 1
    inner = outer.constant_qualifiers[0].query
    refs = {(r.source, r.depth) for q in inner.constant_qualifiers
            for r in (q.left, q.right)}
    assert refs == {("m", 0), ("p", 1), ("n", 2)}


def test_expression_normalisations():
    p = prog("create constraint c as select * from pods check "
             "(a1() = 1 or controllable__prio = 1 or controllable__prio = 2) "
             "and case controllable__prio when 1 then true else false end "
             "and bool_or(variable__on) and controllable__prio <> 3 "
             "and controllable__prio between -1 and 5".replace("a1() = 1 or ", ""))
    e = p.get("c").expr
    assert isinstance(e, L.BoolOp) and e.op == "and" and len(e.args) == 5
    assert e.args[0].op == "or" and len(e.args[0].args) == 2
    case = e.args[1]
    assert isinstance(case, L.Case) and case.whens[0][0].op == "="
    assert e.args[2].name == "any"
    assert e.args[3].op == "!="
    assert e.args[4].low == L.Literal(-1, L.INT, e.args[4].low.span)


def test_types_and_symbolic_flags():
    p = prog("create constraint c as select * from pods join nodes on node_name = name "
             "maximize abs(controllable__prio - cpu) * 2 + contains(labels, status)")
    e = p.get("c").expr
    assert e.type == L.INT and e.symbolic
    mult = e.left
    assert mult.left.name == "abs" and mult.left.type == L.INT
    assert e.right.type == L.BOOL and not e.right.symbolic


def test_constant_functions_pass_through():
    p = prog("create constraint c as select * from pods where length(uid) > 3 "
             "check controllable__prio <= length(status)")
    q = p.get("c").query
    assert q.constant_qualifiers[0].left.name == "length"


def test_string_domain_from_in_constraint_through_view():
    p = bind("create table t (id int primary key, variable__zone text);\n"
             "create constraint v as select id, variable__zone from t;\n"
             "create constraint z as select * from v where id > 0 "
             "check variable__zone in ('a', 'b')")
    assert isinstance(p.get("v"), L.SymbolicView)


def test_hundred_statements_bind_quickly():
    body = "".join(f"create constraint c{i} as select * from pods p join nodes n "
                   f"on p.node_name = n.name where n.cpu_m > {i} "
                   f"check p.controllable__prio <= n.cpu_m + {i};\n" for i in range(100))
    bind(SCHEMA + body)  # warm the grammar cache
    start = time.perf_counter()
    program = bind(SCHEMA + body)
    assert len(program.constraints) == 100
    assert time.perf_counter() - start < 1.0


def test_aggregate_over_view_with_conditional_rows_is_symbolic():
    p = prog("create view placed as select p.uid, n.cpu_m from pods p join nodes n "
             "on p.node_name = n.name;\n"
             "create constraint c as select * from placed group by uid "
             "check all_different(cpu_m)")
    view = p.get("placed")
    assert isinstance(view, L.SymbolicView)
    assert [c.kind for c in view.columns] == ["constant", "constant"]
    c = p.get("c")
    assert not c.query.group_by[0].symbolic
    assert c.expr.symbolic and not c.expr.args[0].symbolic
