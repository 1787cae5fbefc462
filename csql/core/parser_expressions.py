"""The transformer's rules for expressions: boolean connectives, comparisons and tests, arithmetic,
CASE, casts, function calls with FILTER and OVER, literals.
"""

from __future__ import annotations

from lark import v_args

from . import ast as A
from .parser_base import AstBuilder


@v_args(meta=True)
class ExpressionRules(AstBuilder):
    """One method per named expression alternative of the grammar."""

    def or_op(self, meta, children):
        return A.Logical("or", children[0], children[1], self._s(meta))

    def and_op(self, meta, children):
        return A.Logical("and", children[0], children[1], self._s(meta))

    def not_op(self, meta, children):
        return A.NotOp(children[0], self._s(meta))

    def comparison(self, meta, children):
        op = str(children[1])
        return A.BinaryOp("!=" if op == "<>" else op, children[0], children[2], self._s(meta))

    def is_null(self, meta, children):
        return A.IsNullTest(children[0], False, self._s(meta))

    def is_not_null(self, meta, children):
        return A.IsNullTest(children[0], True, self._s(meta))

    def between(self, meta, children):
        return A.BetweenTest(*children, negated=False, span=self._s(meta))

    def not_between(self, meta, children):
        return A.BetweenTest(*children, negated=True, span=self._s(meta))

    def in_list(self, meta, children):
        return A.InListTest(children[0], children[1], False, self._s(meta))

    def not_in_list(self, meta, children):
        return A.InListTest(children[0], children[1], True, self._s(meta))

    def in_query(self, meta, children):
        return A.InQueryTest(children[0], children[1], False, self._s(meta))

    def not_in_query(self, meta, children):
        return A.InQueryTest(children[0], children[1], True, self._s(meta))

    def like(self, meta, children):
        return A.BinaryOp("like", children[0], children[1], self._s(meta))

    def not_like(self, meta, children):
        return A.NotOp(A.BinaryOp("like", children[0], children[1], self._s(meta)),
                       self._s(meta))

    def exists(self, meta, children):
        return A.ExistsTest(children[0], self._s(meta))

    def binary(self, meta, children):
        return A.BinaryOp(str(children[1]), children[0], children[2], self._s(meta))

    def negate(self, meta, children):
        return A.Negation(children[1], self._s(meta))

    def unary_plus(self, meta, children):
        return children[1]

    def pg_cast(self, meta, children):
        return A.CastExpr(children[0], children[1], self._s(meta))

    def subscript(self, meta, children):
        return A.Subscript(children[0], children[1], self._s(meta))

    def scalar_subquery(self, meta, children):
        return A.Subquery(children[0], self._s(meta))

    def case_searched(self, meta, children):
        whens = tuple(c for c in children if isinstance(c, tuple))
        else_ = next((c[1] for c in children if isinstance(c, list)), None)
        return A.CaseExpr(None, whens, else_, self._s(meta))

    def case_simple(self, meta, children):
        operand, *rest = children
        whens = tuple(c for c in rest if isinstance(c, tuple))
        else_ = next((c[1] for c in rest if isinstance(c, list)), None)
        return A.CaseExpr(operand, whens, else_, self._s(meta))

    def when_clause(self, meta, children):
        return (children[0], children[1])

    def else_clause(self, meta, children):
        return ["else", children[0]]

    def cast(self, meta, children):
        return A.CastExpr(children[0], children[1], self._s(meta))

    def array_literal(self, meta, children):
        return A.ArrayLiteral(children[0] if children else (), self._s(meta))

    def column_ref(self, meta, children):
        return A.ColumnName(tuple(self._name(c) for c in children), self._s(meta))

    def func_call(self, meta, children):
        name = self._name(children[0])
        args: tuple = ()
        star = distinct = False
        filt = over = None
        for c in children[1:]:
            if c == "*":
                star = True
            elif isinstance(c, tuple) and c[0] == "args":
                distinct, args = c[1], c[2]
            elif isinstance(c, tuple) and c[0] == "filter":
                filt = c[1]
            elif isinstance(c, A.WindowSpec):
                over = c
        return A.FunctionCall(name, args, star, distinct, filt, over, self._s(meta))

    def args_star(self, meta, children):
        return "*"

    def args(self, meta, children):
        return ("args", len(children) == 2, children[-1])

    def filter_clause(self, meta, children):
        return ("filter", children[0])

    def over_clause(self, meta, children):
        partition: tuple = ()
        order: tuple = ()
        for c in children:
            if isinstance(c, tuple) and c and c[0] == "order":
                order = c[1]
            elif isinstance(c, tuple):
                partition = c
        return A.WindowSpec(partition, order, self._s(meta))

    def partition_clause(self, meta, children):
        return children[0]

    def int_literal(self, meta, children):
        return A.Constant(int(children[0]), "int", self._s(meta))

    def real_literal(self, meta, children):
        return A.Constant(float(children[0]), "real", self._s(meta))

    def string_literal(self, meta, children):
        return A.Constant(str(children[0])[1:-1].replace("''", "'"), "string", self._s(meta))

    def true_literal(self, meta, children):
        return A.Constant(True, "bool", self._s(meta))

    def false_literal(self, meta, children):
        return A.Constant(False, "bool", self._s(meta))

    def null_literal(self, meta, children):
        return A.Constant(None, "null", self._s(meta))
