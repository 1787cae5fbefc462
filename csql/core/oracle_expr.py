"""Expressions of the logical IR as SQL text, for the oracle's statement renderer.

Kept apart from `oracle_sql` (which owns queries, CTEs and scopes) because the expression
rules are the part of language §4 that reads most like a table: booleans as numbers count
0/1, integer `/` and `%` truncate toward zero, each aggregate consumes only its group's
selected rows (`CASE WHEN <selection> THEN x END`) and has a value over an empty selection
(SUM and COUNT 0, ANY false, ALL true, MIN and MAX NULL). `bool_or`/`bool_and` become MAX/MIN
over 1/0 flags, which every engine has (SQLite lacks the boolean aggregates).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..db.base import DUCKDB, POSTGRES, SQLITE
from ..db.dialect import sql_int_div, sql_int_mod
from ..ir import logical as L
from ..ir.errors import InternalError, UnsupportedError


class ExpressionRenderer:
    """Renders expressions in the current scopes; subclasses provide queries (`_subquery`)."""

    dialect: str
    scopes: list[dict[str, Callable[[str], str]]]
    selection: str | None  # the selected-rows predicate aggregates filter by, if grouped
    prepared: dict[int, str]  # SQL computed elsewhere for particular aggregate nodes
    values: list[object]  # string literals, in marker order

    def _subquery(self, query: L.Query) -> str:
        raise InternalError("ExpressionRenderer needs a query renderer for subqueries")

    def expr(self, e: L.Expr) -> str:
        method = getattr(self, "_" + type(e).__name__, None)
        if method is None:
            raise InternalError(f"the SQL oracle cannot render {type(e).__name__}")
        return method(e)

    def _numeric(self, e: L.Expr) -> str:
        """Booleans used as numbers count 0/1 (language §4)."""
        sql = self.expr(e)
        return f"CAST({sql} AS INTEGER)" if e.type == L.BOOL else sql

    def _ColumnRef(self, e: L.ColumnRef) -> str:  # noqa: N802
        if e.depth >= len(self.scopes) or e.source not in self.scopes[-1 - e.depth]:
            raise InternalError(f"column {e.source}.{e.column} is not in scope of the oracle's "
                                "SQL", e.span)
        return self.scopes[-1 - e.depth][e.source](e.column)

    def _Literal(self, e: L.Literal) -> str:  # noqa: N802
        v = e.value
        if v is None:
            return "NULL"
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, int):
            return str(v) if v >= 0 else f"({v})"
        if isinstance(v, float) and math.isfinite(v):
            return repr(v) if v >= 0 else f"({v!r})"
        self.values.append(v)
        marker = f"\x00{len(self.values) - 1}\x00"
        return f"CAST({marker} AS VARCHAR)" if isinstance(v, str) else marker

    def _Arithmetic(self, e: L.Arithmetic) -> str:  # noqa: N802
        left, right = self._numeric(e.left), self._numeric(e.right)
        integral = all(x.type in (L.INT, L.BOOL) for x in (e.left, e.right))
        if e.op in ("/", "%") and integral:
            return _integer_division(self.dialect, e.op, left, right)
        if e.op in ("/", "%"):
            return f"({left} {e.op} NULLIF({right}, 0))"
        return f"({left} {e.op} {right})"

    def _Negate(self, e: L.Negate) -> str:  # noqa: N802
        return f"(- {self._numeric(e.arg)})"

    def _Comparison(self, e: L.Comparison) -> str:  # noqa: N802
        op = "<>" if e.op == "!=" else e.op
        return f"({self.expr(e.left)} {op} {self.expr(e.right)})"

    def _BoolOp(self, e: L.BoolOp) -> str:  # noqa: N802
        return "(" + f" {e.op.upper()} ".join(self.expr(a) for a in e.args) + ")"

    def _Not(self, e: L.Not) -> str:  # noqa: N802
        return f"(NOT {self.expr(e.arg)})"

    def _IsNull(self, e: L.IsNull) -> str:  # noqa: N802
        return f"({self.expr(e.arg)} IS {'NOT ' if e.negated else ''}NULL)"

    def _Between(self, e: L.Between) -> str:  # noqa: N802
        neg = "NOT " if e.negated else ""
        return f"({self.expr(e.arg)} {neg}BETWEEN {self.expr(e.low)} AND {self.expr(e.high)})"

    def _InList(self, e: L.InList) -> str:  # noqa: N802
        items = ", ".join(self.expr(i) for i in e.items)
        return f"({self.expr(e.arg)} {'NOT ' if e.negated else ''}IN ({items}))"

    def _InSubquery(self, e: L.InSubquery) -> str:  # noqa: N802
        arg = self.expr(e.arg)
        return f"({arg} {'NOT ' if e.negated else ''}IN ({self._subquery(e.query)}))"

    def _Exists(self, e: L.Exists) -> str:  # noqa: N802
        return f"({'NOT ' if e.negated else ''}EXISTS ({self._subquery(e.query)}))"

    def _ScalarSubquery(self, e: L.ScalarSubquery) -> str:  # noqa: N802
        return f"({self._subquery(e.query)})"

    def _Case(self, e: L.Case) -> str:  # noqa: N802
        whens = " ".join(f"WHEN {self.expr(c)} THEN {self.expr(v)}" for c, v in e.whens)
        tail = f" ELSE {self.expr(e.else_)}" if e.else_ is not None else ""
        return f"(CASE {whens}{tail} END)"

    def _Cast(self, e: L.Cast) -> str:  # noqa: N802
        return f"CAST({self.expr(e.arg)} AS {e.sql_type})"

    def _FuncCall(self, e: L.FuncCall) -> str:  # noqa: N802
        args = [self.expr(a) for a in e.args]
        if e.name == "contains":
            if len(args) != 2:
                raise UnsupportedError("contains takes two arguments (array, value)", e.span)
            if self.dialect == DUCKDB:
                return f"list_contains({args[0]}, {args[1]})"
            if self.dialect == POSTGRES:
                return f"({args[1]} = ANY({args[0]}))"
            raise UnsupportedError(
                f"contains(array, x) needs array columns, which {self.dialect} lacks", e.span,
                construct="contains", hint="use DuckDB or PostgreSQL for programs with arrays")
        name = e.name
        if self.dialect == SQLITE and name in ("least", "greatest"):
            name = "min" if name == "least" else "max"  # SQLite's multi-argument scalar forms
        return f"{name.upper()}({', '.join(args)})"

    def _Aggregate(self, e: L.Aggregate) -> str:  # noqa: N802
        if id(e) in self.prepared:
            return self.prepared[id(e)]
        selection = self.selection

        def pick(x: str) -> str:
            return f"CASE WHEN {selection} THEN {x} END" if selection is not None else x

        distinct = "DISTINCT " if e.distinct else ""
        if e.name == "count":
            if e.star or not e.args:
                return f"COUNT({pick('1')})" if selection is not None else "COUNT(*)"
            return f"COUNT({distinct}{pick(self.expr(e.args[0]))})"
        if e.name in ("increasing", "capacity_constraint"):
            raise UnsupportedError(
                f"the SQL oracle evaluates {e.name} only at the top level of a constraint or "
                "view, not inside a subquery", e.span)
        arg = single_arg(e)
        x = self.expr(arg)
        flag = f"CASE WHEN {x} THEN 1 WHEN NOT {x} THEN 0 END"
        name = e.name
        if name in ("min", "max") and arg.type == L.BOOL:
            return f"({name.upper()}({pick(flag)}) = 1)"  # NULL over an empty selection
        if name == "sum":
            return f"COALESCE(SUM({distinct}{pick(self._numeric(arg))}), 0)"
        if name == "avg":
            return f"AVG({distinct}{pick(self._numeric(arg))})"
        if name in ("min", "max"):
            return f"{name.upper()}({pick(x)})"
        if name in ("any", "bool_or"):
            return f"(COALESCE(MAX({pick(flag)}), 0) = 1)"
        if name in ("all", "bool_and"):
            return f"(COALESCE(MIN({pick(flag)}), 1) = 1)"
        if name == "all_different":
            return f"(COUNT(DISTINCT {pick(x)}) = COUNT({pick(x)}))"
        if name == "all_equal":
            return f"(COUNT(DISTINCT {pick(x)}) <= 1)"
        raise UnsupportedError(f"the SQL oracle does not know the aggregate {e.name}", e.span)


def single_arg(e: L.Aggregate) -> L.Expr:
    if len(e.args) != 1:
        raise UnsupportedError(f"{e.name} takes one argument in the SQL oracle, got "
                               f"{len(e.args)}", e.span)
    return e.args[0]


def _integer_division(dialect: str, op: str, left: str, right: str) -> str:
    """Integer `/` and `%` truncating toward zero on every engine (language §3), by the
    database layer's dialect helpers; a zero divisor gives NULL everywhere (SQLite's
    behaviour) rather than an engine error that would abort certification."""
    divisor = f"NULLIF({right}, 0)"
    return (sql_int_div if op == "/" else sql_int_mod)(dialect, left, divisor)
