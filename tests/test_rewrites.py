"""Logical passes: input and expected output IR side by side, and the pipeline's invariants."""

from __future__ import annotations

from csql.core.binder import bind
from csql.ir import logical as L
from csql.ir import traverse
from csql.rewrites import PIPELINE, RewriteContext, desugar, infer_domains, run_pipeline
from csql.rewrites.infer_domains import column_restrictions

SCHEMA = """
CREATE TABLE names (n VARCHAR PRIMARY KEY);
CREATE TABLE t (id INT PRIMARY KEY, lim INT, controllable__v INT,
                controllable__n VARCHAR REFERENCES names(n), controllable__b BOOLEAN);
CREATE TABLE allowed (v INT, w INT);
"""


def strip(e: L.Expr) -> L.Expr:
    """The expression without spans, so shapes compare structurally."""
    import dataclasses

    from csql.ir.span import UNKNOWN_SPAN

    def fn(node: L.Expr) -> L.Expr:
        return dataclasses.replace(node, span=UNKNOWN_SPAN)

    from csql.rewrites.common import rewrite_expr

    return rewrite_expr(e, fn)


V = L.ColumnRef("t", "controllable__v", "t", L.INT, symbolic=True)
LIM = L.ColumnRef("t", "lim", "t", L.INT)


def lit(x: object, t: str = L.INT) -> L.Literal:
    return L.Literal(x, t)


def check_expr(program: L.Program, name: str) -> L.Expr:
    c = program.get(name)
    assert isinstance(c, L.Constraint)
    return strip(c.expr)


def test_desugar_between_becomes_two_comparisons():
    program = bind(SCHEMA + "CREATE CONSTRAINT c AS SELECT * FROM t "
                            "CHECK controllable__v BETWEEN 1 AND lim;")
    before = check_expr(program, "c")
    assert before == L.Between(V, lit(1), LIM, symbolic=True)
    after = check_expr(desugar(program, RewriteContext()), "c")
    assert after == L.BoolOp("and", (
        L.Comparison(">=", V, lit(1), symbolic=True),
        L.Comparison("<=", V, LIM, symbolic=True),
    ), symbolic=True)


def test_desugar_not_between_and_not_in():
    program = bind(SCHEMA + "CREATE CONSTRAINT c AS SELECT * FROM t "
                            "CHECK controllable__v NOT BETWEEN 1 AND 2 "
                            "AND controllable__v NOT IN (3, 4);")
    after = check_expr(desugar(program, RewriteContext()), "c")
    assert after == L.BoolOp("and", (
        L.Not(L.BoolOp("and", (
            L.Comparison(">=", V, lit(1), symbolic=True),
            L.Comparison("<=", V, lit(2), symbolic=True),
        ), symbolic=True), symbolic=True),
        L.Not(L.InList(V, (lit(3), lit(4)), symbolic=True), symbolic=True),
    ), symbolic=True)


def test_desugar_enters_subqueries_and_not_exists():
    program = bind(SCHEMA + "CREATE CONSTRAINT c AS SELECT * FROM t CHECK NOT EXISTS "
                            "(SELECT 1 FROM allowed a WHERE a.v NOT BETWEEN 1 AND a.w "
                            "AND a.v = t.controllable__v);")
    after = desugar(program, RewriteContext())
    expr = after.get("c").expr  # type: ignore[union-attr]
    nodes = traverse.find_all(expr, (L.Between, L.InList, L.InSubquery, L.Exists, L.Not),
                              into_subqueries=True)
    assert not [n for n in nodes if isinstance(n, L.Between)]
    assert not [n for n in nodes if getattr(n, "negated", False)]
    assert isinstance(expr, L.Not) and isinstance(expr.arg, L.Exists)


def test_desugar_is_idempotent_and_keeps_untouched_statements():
    program = bind(SCHEMA + "CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__v > 1;")
    assert desugar(program, RewriteContext()) is program
    once = run_pipeline(bind(SCHEMA + "CREATE CONSTRAINT c AS SELECT * FROM t "
                                      "CHECK controllable__v BETWEEN 1 AND 2;"))
    assert desugar(once, RewriteContext()) is once


def restrictions(src: str) -> dict:
    program = desugar(bind(SCHEMA + src), RewriteContext())
    return column_restrictions(program)


def test_infer_bounds_sets_and_disjunctions():
    found = restrictions("""
    CREATE CONSTRAINT a AS SELECT * FROM t CHECK controllable__v BETWEEN 1 AND 10;
    CREATE CONSTRAINT b AS SELECT * FROM t CHECK 3 < controllable__v;
    CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__n = 'x'
        OR controllable__n IN ('y', 'z');
    CREATE CONSTRAINT d AS SELECT * FROM t CHECK controllable__v IN (SELECT v FROM allowed);
    """)
    v = found[("t", "controllable__v")]
    assert [(r.statement, r.low, r.high) for r in v if not r.is_set] == [
        ("a", 1, None), ("a", None, 10), ("b", 4, None)]
    sets = [r for r in v if r.is_set]
    assert len(sets) == 1 and sets[0].statement == "d" and len(sets[0].queries) == 1
    (n,) = found[("t", "controllable__n")]
    assert sorted(n.values) == ["x", "y", "z"]


def test_infer_ignores_what_does_not_bound_every_row():
    found = restrictions("""
    CREATE CONSTRAINT q AS SELECT * FROM t WHERE lim > 3 CHECK controllable__v >= 1;
    CREATE CONSTRAINT o AS SELECT * FROM t CHECK controllable__v >= 1 OR lim > 2;
    CREATE CONSTRAINT n AS SELECT * FROM t CHECK controllable__v IN (1, NULL);
    CREATE CONSTRAINT r AS SELECT * FROM t CHECK controllable__v <= lim;
    CREATE CONSTRAINT s AS SELECT * FROM t MAXIMIZE controllable__v;
    CREATE CONSTRAINT k AS SELECT * FROM t CHECK controllable__v IN
        (SELECT a.v FROM allowed a WHERE a.w = t.lim);
    """)
    assert found == {}


def test_infer_domains_records_into_the_context_and_pipeline_order():
    program = bind(SCHEMA + "CREATE CONSTRAINT a AS SELECT * FROM t "
                            "CHECK controllable__v BETWEEN 1 AND 10;")
    ctx = RewriteContext()
    out = run_pipeline(program, ctx)
    assert PIPELINE.index(desugar) < PIPELINE.index(infer_domains)
    assert infer_domains(out, ctx) is out
    bounds = [(r.low, r.high) for r in ctx.column_domains[("t", "controllable__v")]]
    assert bounds == [(1, None), (None, 10)]
