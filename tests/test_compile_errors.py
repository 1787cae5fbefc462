"""Bad programs: each must fail with the right error class, position, message and hint."""

from __future__ import annotations

import pytest

from csql.core.binder import bind
from csql.ir.errors import CompileError, SqlSyntaxError, SqlTypeError

SCHEMA = """\
create table nodes (name varchar(36) primary key, cpu_m int not null, labels varchar[]);
create table pods (uid varchar(36) primary key, cpu int not null,
                   controllable__node varchar(36) references nodes(name),
                   controllable__prio int, status varchar(10));
"""
# The schema takes four lines; statements under test start on line 5.
L5 = 5


def fails(program: str, cls: type[CompileError], where: str, fragment: str) -> CompileError:
    with pytest.raises(cls) as info:
        bind(program, "bad.sql")
    err = info.value
    assert type(err) is cls, f"{type(err).__name__}: {err}"
    assert f"{err.span.line}:{err.span.column}" == where, err.render()
    text = err.message + " " + (err.hint or "")
    assert fragment in text, err.render()
    assert err.source == program
    return err


CASES = [
    # (name, statement text on line 5, error class, column, fragment)
    ("syntax", "create constraint c as select * fro pods check cpu > 0",
     SqlSyntaxError, 33, "unexpected 'fro'"),
    ("unknown table", "create constraint c as select * from podz check cpu > 0",
     CompileError, 38, "did you mean 'pods'"),
    ("unknown column", "create constraint c as select * from pods check cpus > 0",
     CompileError, 49, "did you mean 'cpu'"),
    ("ambiguous column",
     "create constraint c as select * from pods p join pods q on p.uid = q.uid check cpu > 0",
     CompileError, 80, "p.cpu, q.cpu"),
    ("duplicate name", "create table pods (x int)", CompileError, 14, "already defined"),
    ("forward reference", "create constraint c as select * from later check x > 0",
     CompileError, 38, "defined before"),
    ("symbolic group by",
     "create constraint c as select * from pods group by controllable__prio check count(*) > 0",
     CompileError, 52, "GROUP BY"),
    ("symbolic having",
     "create constraint c as select status from pods group by status "
     "having max(controllable__prio) > 1 check count(*) > 0",
     CompileError, 71, "HAVING"),
    ("symbolic order by",
     "create constraint c as select * from pods order by controllable__prio check cpu > 0",
     CompileError, 52, "ORDER BY"),
    ("symbolic limit",
     "create constraint c as select * from pods limit controllable__prio check cpu > 0",
     CompileError, 49, "LIMIT"),
    ("symbolic distinct",
     "create constraint c as select distinct controllable__prio from pods",
     CompileError, 24, "DISTINCT"),
    ("modulo by variable",
     "create constraint c as select * from pods check cpu % controllable__prio = 0",
     CompileError, 55, "divide by a constant"),
    ("divide by variable",
     "create constraint c as select * from pods check cpu / controllable__prio = 0",
     CompileError, 55, "divide by a constant"),
    ("capacity arity",
     "create constraint c as select * from pods join nodes on controllable__node = name "
     "check capacity_constraint(controllable__node, name, cpu)",
     CompileError, 89, "takes 4 arguments, got 3"),
    ("unknown symbolic function",
     "create constraint c as select * from pods check sqrt(controllable__prio) > 1",
     CompileError, 49, "supported on variables"),
    ("window function",
     "create constraint c as select * from pods check rank() over (order by cpu) > 1",
     CompileError, 49, "window function"),
    ("is null on variable",
     "create constraint c as select * from pods check controllable__prio is null",
     CompileError, 49, "IS NULL"),
    ("left join",
     "create constraint c as select * from pods left join nodes on cpu = cpu_m check cpu > 0",
     CompileError, 38, "LEFT JOIN"),
    ("string plus int",
     "create constraint c as select * from pods check status + 1 > 0",
     SqlTypeError, 49, "needs numbers, got string"),
    ("compare string with int",
     "create constraint c as select * from pods check status = 3",
     SqlTypeError, 49, "cannot compare string with int"),
    ("symbolic view alias",
     "create view v as select uid, controllable__prio + 1 from pods",
     CompileError, 30, "needs an alias"),
    ("aggregate in where",
     "create constraint c as select * from pods where sum(cpu) > 1 check cpu > 0",
     CompileError, 49, "not allowed in WHERE"),
    ("non-boolean check",
     "create constraint c as select * from pods check controllable__prio + 1",
     SqlTypeError, 49, "boolean"),
    ("coalesce on variable",
     "create constraint c as select * from pods check coalesce(controllable__prio, 0) > 1",
     CompileError, 49, "COALESCE"),
    ("cast of variable",
     "create constraint c as select * from pods check cast(controllable__prio as real) > 1",
     CompileError, 49, "CAST"),
    ("and on integers",
     "create constraint c as select * from pods check cpu and controllable__prio = 1",
     SqlTypeError, 49, "boolean operands"),
    ("reserved word as name",
     "create constraint c as select * from pods check select > 1",
     SqlSyntaxError, 49, "reserved word"),
    ("union in constraint",
     "create constraint c as select uid from pods union select name from nodes",
     CompileError, 24, "UNION"),
    ("constraint read as table",
     "create constraint c as select * from pods check cpu > 0;\n"
     "create constraint d as select * from c check cpu > 0",
     CompileError, 38, "not a table or view"),
]


@pytest.mark.parametrize(("statement", "cls", "column", "fragment"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_statement(statement, cls, column, fragment):
    line = L5 + statement.count("\n")
    fails(SCHEMA + statement, cls, f"{line}:{column}", fragment)


def test_real_variable_column():
    fails("create table t (id int primary key,\n  controllable__load double precision)",
          SqlTypeError, "2:22", "REAL quantity")


def test_array_variable_column_via_annotation():
    fails("-- @variable_columns(tags)\ncreate table t (id int, tags varchar[])",
          SqlTypeError, "2:30", "decision variables must be")


def test_string_variable_without_domain():
    fails("create table t (id int primary key,\n  variable__zone varchar(10))",
          CompileError, "2:3", "REFERENCES")


def test_string_variable_with_in_domain_is_accepted():
    program = bind("create table t (id int primary key, variable__zone varchar(10));\n"
                   "create constraint z as select * from t "
                   "check variable__zone = 'a' or variable__zone = 'b'")
    assert program.get("t").column("variable__zone").kind == "variable"


def test_data_view_string_variable_needs_domain():
    program = SCHEMA + "create view pending as select uid, status as controllable__zone from pods"
    fails(program, CompileError, "5:36", "has no finite domain")


def test_annotation_names_unknown_column():
    fails("-- @variable_columns(nod)\ncreate table t (node int)", CompileError, "1:1",
          "not a column of t")


def test_annotation_before_constraint():
    fails("create table t (x int);\n-- @variable_columns(x)\n"
          "create constraint c as select * from t check x > 0",
          SqlSyntaxError, "2:1", "must precede CREATE TABLE")


def test_unexpected_end_of_input():
    err = fails("create table t (x int", SqlSyntaxError, "1:22", "incomplete")
    assert "expected one of" in (err.hint or "")


def test_table_check_on_variable():
    fails("create table t (x int, controllable__y int check (controllable__y > 0))",
          CompileError, "1:24", "CREATE CONSTRAINT")


def test_nested_aggregate():
    fails(SCHEMA + "create constraint c as select * from pods check sum(max(cpu)) > 1",
          CompileError, "5:53", "inside another aggregate")


def test_render_shows_caret_line():
    with pytest.raises(CompileError) as info:
        bind(SCHEMA + "create constraint c as select * from pods check cpus > 0", "bad.sql")
    text = info.value.render()
    lines = text.splitlines()
    assert lines[0].startswith("bad.sql:5:49: error: unknown column 'cpus'")
    assert lines[1] == "    create constraint c as select * from pods check cpus > 0"
    assert lines[2] == "    " + " " * 48 + "^^^^"
    assert lines[3].startswith("hint: did you mean 'cpu'?")
