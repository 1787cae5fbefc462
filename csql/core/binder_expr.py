"""Binding of expressions: names resolved, types checked, symbolic flags and placement rules.

An expression is bound in a `Scope` (the FROM items of its query and the enclosing ones) and
a `Clause` that says where it stands (WHERE, CHECK, GROUP BY, ...), because several rules
depend on the place: aggregates are refused in WHERE, symbolic expressions in GROUP BY.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from csql.ir import logical as L
from csql.ir.errors import CompileError, SqlTypeError

from . import ast as A
from .binder_types import (
    Scope,
    arithmetic_result,
    comparable,
    is_boolean,
    is_numeric,
    listing,
    logical_type,
    unify,
)


@dataclass(frozen=True)
class Clause:
    """Where an expression stands: its clause name (for messages) and what it may contain."""

    name: str
    aggregates: bool = False
    inside_aggregate: bool = False

    def into_aggregate(self) -> Clause:
        return replace(self, inside_aggregate=True)


_ARITY = {"sum": 1, "min": 1, "max": 1, "avg": 1, "any": 1, "all": 1, "all_different": 1,
          "all_equal": 1, "increasing": 1, "capacity_constraint": 4}
_RENAMED = {"bool_or": "any", "bool_and": "all"}
# Result types of common constant-only functions, so data-view columns get a useful type.
_CONSTANT_FUNCTION_TYPES = {
    "length": L.INT, "char_length": L.INT, "array_length": L.INT, "cardinality": L.INT,
    "len": L.INT, "strlen": L.INT, "lower": L.STRING, "upper": L.STRING, "concat": L.STRING,
    "substr": L.STRING, "substring": L.STRING, "trim": L.STRING, "replace": L.STRING,
    "sqrt": L.REAL, "ln": L.REAL, "exp": L.REAL, "power": L.REAL,
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


# Dispatch by syntax-node type to `bind_<node_name>`, built once.
_METHOD_NAMES = {cls: "bind_" + _snake(cls.__name__) for cls in A.Node.__args__}
_METHOD_NAMES[A.Subquery] = "bind_scalar_subquery"  # `bind_subquery` binds a whole query


class ExprBinder:
    """Expression half of the binder; `QueryBinder` adds queries (subqueries need both)."""

    def bind_subquery(self, node: A.QueryNode, scope: Scope) -> L.Query:
        raise CompileError("subqueries are not allowed here", node.span)

    # ------------------------------------------------------------------ entry point
    def expr(self, node: A.Node, scope: Scope, clause: Clause) -> L.Expr:
        method = getattr(self, _METHOD_NAMES.get(type(node), ""), None)
        if method is None:
            raise CompileError(f"{type(node).__name__} is not supported in {clause.name}",
                               node.span)
        return method(node, scope, clause)

    # ------------------------------------------------------------------ leaves
    def bind_column_name(self, node: A.ColumnName, scope: Scope, clause: Clause) -> L.Expr:
        return scope.resolve(node)

    def bind_constant(self, node: A.Constant, scope: Scope, clause: Clause) -> L.Expr:
        return L.Literal(node.value, node.kind, node.span)

    # ------------------------------------------------------------------ operators
    def bind_binary_op(self, node: A.BinaryOp, scope: Scope, clause: Clause) -> L.Expr:
        if node.op in ("||", "like"):
            word = "||" if node.op == "||" else "LIKE"
            raise CompileError(f"{word} is not supported in C-SQL statements", node.span,
                               hint="compute it in a data view (CREATE VIEW over constant "
                                    "columns) and read the view's column here")
        left = self.expr(node.left, scope, clause)
        right = self.expr(node.right, scope, clause)
        symbolic = left.symbolic or right.symbolic
        if node.op in ("+", "-", "*", "/", "%"):
            for side in (left, right):
                if not is_numeric(side.type):
                    raise SqlTypeError(
                        f"operator {node.op} needs numbers, got {side.type}", side.span,
                        hint="arithmetic applies to integer, real and boolean values")
            if node.op in ("/", "%") and right.symbolic:
                raise CompileError(
                    f"'{node.op}' by an expression that reads a variable", right.span,
                    hint="divide by a constant; rewrite e.g. `a / v <= k` as `a <= k * v`")
            return L.Arithmetic(node.op, left, right, arithmetic_result(left.type, right.type),
                                symbolic, node.span)
        if not comparable(left.type, right.type):
            raise SqlTypeError(f"cannot compare {left.type} with {right.type}", node.span,
                               hint="compare values of the same type (CAST one side)")
        return L.Comparison(node.op, left, right, L.BOOL, symbolic, node.span)

    def bind_negation(self, node: A.Negation, scope: Scope, clause: Clause) -> L.Expr:
        arg = self.expr(node.arg, scope, clause)
        if not is_numeric(arg.type):
            raise SqlTypeError(f"unary minus needs a number, got {arg.type}", node.span)
        if isinstance(arg, L.Literal) and isinstance(arg.value, (int, float)) \
                and not isinstance(arg.value, bool):
            return L.Literal(-arg.value, arg.type, node.span)
        result = L.INT if arg.type == L.BOOL else arg.type
        return L.Negate(arg, result, arg.symbolic, node.span)

    def bind_logical(self, node: A.Logical, scope: Scope, clause: Clause) -> L.Expr:
        args: list[L.Expr] = []
        for part in (node.left, node.right):
            bound = self.expr(part, scope, clause)
            self._need_bool(bound, node.op.upper())
            if isinstance(bound, L.BoolOp) and bound.op == node.op:
                args.extend(bound.args)
            else:
                args.append(bound)
        return L.BoolOp(node.op, tuple(args), L.BOOL, any(a.symbolic for a in args), node.span)

    def bind_not_op(self, node: A.NotOp, scope: Scope, clause: Clause) -> L.Expr:
        arg = self.expr(node.arg, scope, clause)
        self._need_bool(arg, "NOT")
        return L.Not(arg, L.BOOL, arg.symbolic, node.span)

    @staticmethod
    def _need_bool(e: L.Expr, op: str) -> None:
        if not is_boolean(e.type):
            raise SqlTypeError(f"{op} needs boolean operands, got {e.type}", e.span,
                               hint="compare the value, e.g. `x <> 0`")

    def bind_is_null_test(self, node: A.IsNullTest, scope: Scope, clause: Clause) -> L.Expr:
        arg = self.expr(node.arg, scope, clause)
        if arg.symbolic:
            raise CompileError("IS NULL on an expression that reads a variable", node.span,
                               hint="variables are never NULL in a solution; test constant "
                                    "columns only")
        return L.IsNull(arg, node.negated, L.BOOL, False, node.span)

    def bind_between_test(self, node: A.BetweenTest, scope: Scope, clause: Clause) -> L.Expr:
        arg, low, high = (self.expr(n, scope, clause) for n in (node.arg, node.low, node.high))
        for bound in (low, high):
            if not comparable(arg.type, bound.type):
                raise SqlTypeError(f"BETWEEN compares {arg.type} with {bound.type}", bound.span,
                                   hint="bounds must have the type of the tested value")
        symbolic = arg.symbolic or low.symbolic or high.symbolic
        return L.Between(arg, low, high, node.negated, L.BOOL, symbolic, node.span)

    def bind_in_list_test(self, node: A.InListTest, scope: Scope, clause: Clause) -> L.Expr:
        arg = self.expr(node.arg, scope, clause)
        items = tuple(self.expr(i, scope, clause) for i in node.items)
        for item in items:
            if not comparable(arg.type, item.type):
                raise SqlTypeError(f"IN list compares {arg.type} with {item.type}", item.span,
                                   hint="list values of the type of the tested value")
        symbolic = arg.symbolic or any(i.symbolic for i in items)
        return L.InList(arg, items, node.negated, L.BOOL, symbolic, node.span)

    def bind_in_query_test(self, node: A.InQueryTest, scope: Scope, clause: Clause) -> L.Expr:
        arg = self.expr(node.arg, scope, clause)
        query = self._single_column_query(node.query, scope, "IN")
        item_type = query.select[0].expr.type
        if not comparable(arg.type, item_type):
            raise SqlTypeError(f"IN (subquery) compares {arg.type} with {item_type}", node.span,
                               hint="select a column of the type of the tested value")
        symbolic = arg.symbolic or query_is_symbolic(query)
        return L.InSubquery(arg, query, node.negated, L.BOOL, symbolic, node.span)

    def bind_exists_test(self, node: A.ExistsTest, scope: Scope, clause: Clause) -> L.Expr:
        query = self.bind_subquery(node.query, scope)
        return L.Exists(query, False, L.BOOL, query_is_symbolic(query), node.span)

    def bind_scalar_subquery(self, node: A.Subquery, scope: Scope, clause: Clause) -> L.Expr:
        query = self._single_column_query(node.query, scope, "a scalar subquery")
        return L.ScalarSubquery(query, query.select[0].expr.type, query_is_symbolic(query),
                                node.span)

    def _single_column_query(self, node: A.QueryNode, scope: Scope, what: str) -> L.Query:
        query = self.bind_subquery(node, scope)
        if len(query.select) != 1:
            raise CompileError(f"the subquery of {what} must select exactly one column, "
                               f"it selects {len(query.select)}", node.span)
        return query

    def bind_case_expr(self, node: A.CaseExpr, scope: Scope, clause: Clause) -> L.Expr:
        operand = self.expr(node.operand, scope, clause) if node.operand is not None else None
        whens = []
        for cond_node, value_node in node.whens:
            cond = self.expr(cond_node, scope, clause)
            if operand is not None:
                if not comparable(operand.type, cond.type):
                    raise SqlTypeError(f"CASE compares {operand.type} with {cond.type}",
                                       cond.span)
                cond = L.Comparison("=", operand, cond, L.BOOL,
                                    operand.symbolic or cond.symbolic, cond.span)
            else:
                self._need_bool(cond, "WHEN")
            whens.append((cond, self.expr(value_node, scope, clause)))
        else_ = self.expr(node.else_, scope, clause) if node.else_ is not None else None
        results = [v.type for _, v in whens] + ([else_.type] if else_ is not None else [])
        result = unify(results, node.span, "CASE")
        symbolic = any(c.symbolic or v.symbolic for c, v in whens) or bool(
            else_ is not None and else_.symbolic)
        return L.Case(tuple(whens), else_, result, symbolic, node.span)

    def bind_cast_expr(self, node: A.CastExpr, scope: Scope, clause: Clause) -> L.Expr:
        arg = self.expr(node.arg, scope, clause)
        if arg.symbolic:
            raise CompileError("CAST of an expression that reads a variable", node.span,
                               hint="CAST applies to constant expressions only")
        return L.Cast(arg, node.type_name.text.upper(), logical_type(node.type_name), False,
                      node.span)

    def bind_array_literal(self, node: A.ArrayLiteral, scope: Scope, clause: Clause) -> L.Expr:
        raise CompileError("array literals are not supported in C-SQL statements", node.span,
                           hint="build the array in a data view and read its column")

    def bind_subscript(self, node: A.Subscript, scope: Scope, clause: Clause) -> L.Expr:
        raise CompileError("array subscripts are not supported in C-SQL statements", node.span,
                           hint="compute the element in a data view and read its column")

    # ------------------------------------------------------------------ functions
    def bind_function_call(self, node: A.FunctionCall, scope: Scope, clause: Clause) -> L.Expr:
        name = node.name
        if node.over is not None:
            raise CompileError(f"window function {name}() OVER (...) in {clause.name}",
                               node.span,
                               hint="window functions are allowed in data views only; compute "
                                    "the value in a data view and read its column")
        if node.filter is not None:
            raise CompileError("FILTER (WHERE ...) is not supported in C-SQL statements",
                               node.filter.span,
                               hint="put the condition in WHERE; C-SQL aggregates already "
                                    "skip rows whose variable qualifiers are false")
        key = _RENAMED.get(name, name)
        if key in L.AGGREGATES or key in L.GLOBALS or key == "count":
            return self._aggregate(node, key, scope, clause)
        if node.star or node.distinct:
            raise CompileError(f"{name}() is not an aggregate; '*' and DISTINCT apply to "
                               "aggregates only", node.span)
        args = tuple(self.expr(a, scope, clause) for a in node.args)
        symbolic = any(a.symbolic for a in args)
        if name == "coalesce" and symbolic:
            raise CompileError("COALESCE on an expression that reads a variable", node.span,
                               hint="variables are never NULL; COALESCE applies to constant "
                                    "expressions only")
        if name in ("abs", "least", "greatest", "contains") or not symbolic:
            return L.FuncCall(name, args, self._function_type(node, args), symbolic, node.span)
        supported = list(L.SYMBOLIC_FUNCTIONS) + list(L.AGGREGATES) + list(L.GLOBALS)
        raise CompileError(f"function {name}() cannot take an expression that reads a variable",
                           node.span, hint=f"supported on variables: {listing(supported)}; "
                                           "other functions work on constant values only")

    def _function_type(self, node: A.FunctionCall, args: tuple[L.Expr, ...]) -> str:
        name = node.name
        if name == "abs":
            self._arity(node, 1)
            if not is_numeric(args[0].type):
                raise SqlTypeError(f"abs() needs a number, got {args[0].type}", args[0].span)
            return L.INT if args[0].type == L.BOOL else args[0].type
        if name in ("least", "greatest", "coalesce"):
            if not args:
                raise CompileError(f"{name}() needs at least one argument", node.span)
            return unify([a.type for a in args], node.span, f"{name}()")
        if name == "contains":
            self._arity(node, 2)
            if args[0].type not in (L.ARRAY, L.ANY):
                raise SqlTypeError(f"contains() needs an array first, got {args[0].type}",
                                   args[0].span, hint="contains(array_column, value)")
            if args[0].symbolic:
                raise CompileError("contains() needs a constant array", args[0].span,
                                   hint="the array must not read a variable; the value may")
            return L.BOOL
        return _CONSTANT_FUNCTION_TYPES.get(name, L.ANY)

    @staticmethod
    def _arity(node: A.FunctionCall, count: int) -> None:
        if len(node.args) != count or node.star:
            got = "*" if node.star else str(len(node.args))
            plural = "s" if count != 1 else ""
            raise CompileError(f"{node.name}() takes {count} argument{plural}, got {got}",
                               node.span)

    def _aggregate(self, node: A.FunctionCall, key: str, scope: Scope,
                   clause: Clause) -> L.Expr:
        kind = "global constraint" if key in L.GLOBALS else "aggregate"
        if clause.inside_aggregate:
            raise CompileError(f"{kind} {node.name}() inside another aggregate", node.span,
                               hint="aggregates cannot be nested; use a view for the inner one")
        if not clause.aggregates:
            raise CompileError(f"{kind} {node.name}() is not allowed in {clause.name}",
                               node.span,
                               hint="aggregates belong in the select list, HAVING or the "
                                    "CHECK/MAXIMIZE expression; filter groups with HAVING")
        if key == "count":
            if node.star and node.args:
                raise CompileError("count(*) takes no other argument", node.span)
            if not node.star and len(node.args) != 1:
                raise CompileError(f"count() takes 1 argument or *, got {len(node.args)}",
                                   node.span)
        elif node.star:
            raise CompileError(f"{node.name}(*) is not valid; only count(*) takes '*'",
                               node.span)
        elif len(node.args) != _ARITY[key]:
            self._arity(node, _ARITY[key])
        inner = clause.into_aggregate()
        args = tuple(self.expr(a, scope, inner) for a in node.args)
        scope.found_aggregate = True
        symbolic = scope.variable_rows or any(a.symbolic for a in args)
        return L.Aggregate(key, args, self._aggregate_type(key, node, args), node.distinct,
                           node.star, symbolic, node.span)

    @staticmethod
    def _aggregate_type(key: str, node: A.FunctionCall, args: tuple[L.Expr, ...]) -> str:
        if key == "count":
            return L.INT
        if key in L.GLOBALS:
            if key == "capacity_constraint":
                for a in (args[2], args[3]):
                    if not is_numeric(a.type):
                        raise SqlTypeError(
                            f"capacity_constraint() demand and capacity must be numbers, got "
                            f"{a.type}", a.span)
            return L.BOOL
        arg = args[0]
        if key in ("any", "all"):
            if not is_boolean(arg.type):
                raise SqlTypeError(f"{node.name}() needs a boolean argument, got {arg.type}",
                                   arg.span)
            return L.BOOL
        if key in ("sum", "avg"):
            if not is_numeric(arg.type):
                raise SqlTypeError(f"{node.name}() needs numbers, got {arg.type}", arg.span)
            if key == "avg" or arg.type == L.REAL:
                return L.REAL
            return L.ANY if arg.type == L.ANY else L.INT
        return arg.type  # min, max


def query_is_symbolic(query: L.Query) -> bool:
    """A (sub)query is symbolic when any of its parts reads a variable, also through an outer
    (correlated) reference."""
    if query.symbolic:
        return True
    parts = list(query.constant_qualifiers) + list(query.group_by)
    if query.having is not None:
        parts.append(query.having)
    return any(p.symbolic for p in parts)
