"""The parser: statement forms, spans, comments, annotations and syntax errors."""

from __future__ import annotations

import pytest

from csql.core import ast as A
from csql.core.parser import parse
from csql.ir.errors import SqlSyntaxError


def test_statements_comments_and_empty_statements():
    stmts = parse("/* header\n comment */ ;; create table t (x int); -- trailing\n"
                  "CREATE VIEW V AS SELECT X FROM T;")
    assert [type(s).__name__ for s in stmts] == ["CreateTable", "CreateView"]
    assert stmts[1].name == "v"
    assert stmts[1].query.body.items[0].expr.parts == ("x",)


def test_quoted_identifiers_keep_their_case():
    (stmt,) = parse('create table "Odd" ("Key" int, "select" int)')
    assert stmt.name == "Odd"
    assert [c.name for c in stmt.columns] == ["Key", "select"]


def test_keywords_are_names_where_no_keyword_fits():
    (stmt,) = parse("create table t (key int, left varchar, value int)")
    assert [c.name for c in stmt.columns] == ["key", "left", "value"]


def test_column_types_and_options():
    (stmt,) = parse("create table t (a double precision default -1.5 not null, "
                    "b varchar(36) unique references u(n), c integer[], d decimal(10, 2), "
                    "primary key (a), foreign key (b) references u)")
    a, b, c, d = stmt.columns
    assert a.type_name.words == ("double", "precision") and a.not_null
    assert a.default == A.Constant(-1.5, "real", a.default.span)
    assert b.type_name.params == (36,) and b.unique and b.references == ("u", ("n",))
    assert c.type_name.array_dims == 1
    assert d.type_name.params == (10, 2)
    kinds = [(k.kind, k.columns, k.ref_table) for k in stmt.constraints]
    assert kinds == [("primary key", ("a",), None), ("foreign key", ("b",), "u")]


def test_three_constraint_forms():
    dcm, view, vldb = parse(
        "create constraint a as select * from t where x > 0 maximize sum(y);\n"
        "create constraint b as select x from t;\n"
        "create constraint c as check y <= 2 from t join u on t.k = u.k where x > 0 "
        "group by x having count(*) > 1")
    assert (dcm.kind, dcm.dialect) == ("maximize", "dcm")
    assert (view.kind, view.expr) == (None, None)
    assert (vldb.kind, vldb.dialect) == ("check", "vldb23")
    core = vldb.query.body
    assert isinstance(core.items[0].expr, A.StarItem)
    assert isinstance(core.from_[0], A.Join) and core.group_by and core.having is not None


def test_operator_precedence():
    (stmt,) = parse("create constraint c as select * from t check a or b and not c = 1 + 2 * 3")
    e = stmt.expr
    assert isinstance(e, A.Logical) and e.op == "or"
    assert isinstance(e.right, A.Logical) and e.right.op == "and"
    comparison = e.right.right.arg
    assert comparison.op == "=" and comparison.right.op == "+"
    assert comparison.right.right.op == "*"


def test_not_equal_is_normalised():
    (stmt,) = parse("create constraint c as select * from t check a <> b")
    assert stmt.expr.op == "!="


def test_spans_point_at_the_text():
    src = "create table t (x int);\ncreate constraint c as\n  select * from t check x > 10"
    _, stmt = parse(src, "f.sql")
    span = stmt.expr.span
    assert (span.file, span.line, span.column, span.end_column) == ("f.sql", 3, 25, 31)
    assert src[span.start_pos:span.end_pos] == "x > 10"
    assert stmt.text == src[src.index("create constraint"):]


def test_data_view_sql_features_parse():
    (stmt,) = parse(
        "create view v as with w as (select a from t) select a, row_number() over "
        "(partition by a order by b desc) as r, x::int, arr[1], array[1, 2] from w "
        "left join u on w.a = u.a union all select 1, 2, 3, 4, 5 order by 1 limit 3 offset 1")
    assert stmt.query.ctes[0].name == "w"
    assert isinstance(stmt.query.body, A.SetOperation) and stmt.query.body.op == "union all"
    assert stmt.query_text.startswith("with w as") and stmt.query_text.endswith("offset 1")


def test_annotation_attaches_to_next_statement():
    stmts = parse("create table a (x int);\n-- @VARIABLE_COLUMNS (X, y)\n"
                  "/* other */\ncreate table b (x int, y int)")
    assert stmts[0].annotation is None
    assert stmts[1].annotation.columns == ("x", "y")


def test_malformed_annotation():
    with pytest.raises(SqlSyntaxError) as info:
        parse("-- @variable_columns x\ncreate table b (x int)")
    assert info.value.span.line == 1 and "malformed" in info.value.message


@pytest.mark.parametrize(("src", "where", "found"), [
    ("create tabel t (x int)", "1:8", "'tabel'"),
    ("create table t (x int,)", "1:23", "')'"),
    ("create view v as\nselect a from t where", "2:22", "end of input"),
    ("create view v as select 'open", "1:25", "\"'\""),
])
def test_syntax_errors(src, where, found):
    with pytest.raises(SqlSyntaxError) as info:
        parse(src)
    err = info.value
    assert f"{err.span.line}:{err.span.column}" == where
    assert found in err.message
    assert err.hint and "expected" in err.hint
