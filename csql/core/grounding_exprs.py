"""Compiling logical expressions into per-row evaluators that build ground expressions.

Each expression of a statement is compiled once into a closure `fn(env) -> value`; the closure
is then called for every fetched row (or group). A value is a Python constant (`None` = NULL)
or an `SV` (see `grounding_values`). Maximal constant sub-expressions that read only one
component's columns are not evaluated here at all: they become SQL slots and arrive as
values in the fetched row. What remains is evaluated with SQL semantics in Python: integer
arithmetic truncating toward zero, three-valued comparisons and connectives, CASE, IN.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from csql.ir import ground as g
from csql.ir import logical as L
from csql.ir.errors import DataError, GroundingError

from . import grounding_values as V
from .grounding_plan import CELLS, VIEW, QueryPlan, level_refs
from .grounding_values import SV

if TYPE_CHECKING:
    from .grounding import Grounder


class Env:
    """One combined row: a tuple per component of the plan, and the enclosing query's env."""

    __slots__ = ("rows", "parent")

    def __init__(self, rows: tuple, parent: Env | None = None) -> None:
        self.rows = rows
        self.parent = parent


class GroupEnv(Env):
    """A group: column references read its first row; aggregates read `members` whose
    `guards` say when each member is consumed (its variable qualifiers hold)."""

    __slots__ = ("members", "guards")

    def __init__(self, members: list[Env], guards: list[g.Expr],
                 parent: Env | None = None) -> None:
        super().__init__(members[0].rows if members else (), parent)
        self.members = members
        self.guards = guards


Fn = Callable[[Env], object]
AggregateOverride = Callable[[L.Aggregate], Fn | None]


def _up(env: Env, depth: int) -> Env:
    for _ in range(depth):
        env = env.parent  # type: ignore[assignment]
    return env


def trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _py_compare(op: str, a: object, b: object) -> object:
    if a is None or b is None:
        return None
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b  # type: ignore[operator]
    if op == "<=":
        return a <= b  # type: ignore[operator]
    if op == ">":
        return a > b  # type: ignore[operator]
    return a >= b  # type: ignore[operator]


class Compiler:
    """Compiles the expressions of one query plan."""

    def __init__(self, grounder: Grounder, plan: QueryPlan,
                 override: AggregateOverride | None = None) -> None:
        self.grounder = grounder
        self.plan = plan
        self.override = override
        self.strings = grounder.strings
        self.bounds = grounder.bounds

    # -- entry ---------------------------------------------------------------------------

    def compile(self, e: L.Expr) -> Fn:  # noqa: C901 - one dispatch over node types
        if isinstance(e, L.Literal):
            value = e.value
            return lambda env: value
        if not e.symbolic and not isinstance(e, L.ColumnRef):
            aliases, outer, has_agg = level_refs(e)
            if not outer and not has_agg and len(self.plan.component_of(aliases)) <= 1:
                k, p = self.plan.expr_slot(e, aliases)
                if e.type == L.BOOL:  # SQLite answers a comparison with 1 / 0, not a bool
                    return lambda env: _sql_bool(env.rows[k][p])
                return lambda env: env.rows[k][p]
        if isinstance(e, L.ColumnRef):
            return self._column(e)
        c = self.compile
        if isinstance(e, L.Arithmetic):
            a, b, op = c(e.left), c(e.right), e.op
            return lambda env: self.arith(op, a(env), b(env), e)
        if isinstance(e, L.Negate):
            a = c(e.arg)
            return lambda env: self.arith("-", 0, a(env), e)
        if isinstance(e, L.Comparison):
            a, b, op = c(e.left), c(e.right), e.op
            return lambda env: self.compare(op, a(env), b(env))
        if isinstance(e, L.BoolOp):
            fns = [c(x) for x in e.args]
            if e.op == "and":
                return lambda env: self.and_([f(env) for f in fns])
            return lambda env: self.or_([f(env) for f in fns])
        if isinstance(e, L.Not):
            a = c(e.arg)
            return lambda env: self.not_(a(env))
        if isinstance(e, L.IsNull):
            a, negated = c(e.arg), e.negated
            return lambda env: self.is_null(a(env), negated)
        if isinstance(e, L.Between):
            lo = L.Comparison(">=", e.arg, e.low, symbolic=e.symbolic, span=e.span)
            hi = L.Comparison("<=", e.arg, e.high, symbolic=e.symbolic, span=e.span)
            both = c(L.BoolOp("and", (lo, hi), symbolic=e.symbolic, span=e.span))
            if e.negated:
                return lambda env: self.not_(both(env))
            return both
        if isinstance(e, L.InList):
            a = c(e.arg)
            items = [c(i) for i in e.items]
            negated = e.negated
            return lambda env: self._maybe_not(
                self.in_values(a(env), [f(env) for f in items]), negated)
        if isinstance(e, L.Case):
            whens = [(c(w), c(v)) for w, v in e.whens]
            else_ = c(e.else_) if e.else_ is not None else (lambda env: None)
            return lambda env: self.case(whens, else_, env)
        if isinstance(e, L.FuncCall):
            return self._function(e)
        if isinstance(e, (L.InSubquery, L.Exists, L.ScalarSubquery)):
            from .grounding_subqueries import compile_subquery

            return compile_subquery(self, e)
        if isinstance(e, L.Aggregate):
            return self._aggregate(e)
        raise GroundingError(
            f"{type(e).__name__} cannot be evaluated on variables here",
            getattr(e, "span", None),
            hint="CAST, IS NULL and database functions apply to constant expressions only",
        )

    @staticmethod
    def _maybe_not(v: object, negated: bool) -> object:
        if not negated:
            return v
        return Compiler.not_(v)

    # -- leaves --------------------------------------------------------------------------

    def _column(self, e: L.ColumnRef) -> Fn:
        plan = self.plan
        for _ in range(e.depth):
            plan = plan.parent  # type: ignore[assignment]
        info = plan.sources[e.source]
        depth = e.depth
        col = info.relation.column(e.column)
        if info.kind == CELLS and col is not None and col.is_variable:
            k, p = plan.row_slot(e.source)
            cells = self.grounder.cell_values[info.relation.name][e.column]
        elif info.kind == VIEW and col is not None and col.kind == L.SYMBOLIC:
            k, p = plan.row_slot(e.source)
            cells = self.grounder.views[info.relation.name].values[e.column]
        else:
            k, p = plan.column_slot(e.source, e.column)
            if e.type == L.BOOL:
                return lambda env: _sql_bool(_up(env, depth).rows[k][p])
            if depth == 0:
                return lambda env: env.rows[k][p]
            return lambda env: _up(env, depth).rows[k][p]
        if depth == 0:
            return lambda env: cells[env.rows[k][p]]
        return lambda env: cells[_up(env, depth).rows[k][p]]

    def _function(self, e: L.FuncCall) -> Fn:
        fns = [self.compile(a) for a in e.args]
        name = e.name
        if name == "abs" and len(fns) == 1:
            return lambda env: self.abs_(fns[0](env))
        if name in ("least", "greatest") and fns:
            return lambda env: self.least_greatest(name, [f(env) for f in fns], e)
        if name == "contains" and len(fns) == 2:
            return lambda env: self.contains(fns[0](env), fns[1](env))
        raise GroundingError(
            f"function {name}() cannot be computed on variables or across joined rows",
            e.span, hint="csql evaluates abs, least, greatest and contains on variables; "
            "other functions only on constant columns of one relation")

    def _aggregate(self, e: L.Aggregate) -> Fn:
        if self.override is not None:
            fn = self.override(e)
            if fn is not None:
                return fn
        from .grounding_aggregates import compile_aggregate

        return compile_aggregate(self, e)

    # -- operations (constants in Python, SQL semantics; symbolic values to ground IR) -----

    def lift(self, v: object) -> g.Expr:
        return V.lift(v, V.kind_of(v), self.strings)

    def arith(self, op: str, a: object, b: object, e: L.Expr) -> object:
        if a is None or b is None:
            return None
        if not isinstance(a, SV) and not isinstance(b, SV):
            return self._py_arith(op, a, b, e)
        if isinstance(a, str) or isinstance(b, str) or V.STRING in (V.kind_of(a), V.kind_of(b)):
            raise GroundingError("arithmetic on strings", getattr(e, "span", None))
        null = V.join_null(a, b)
        la, lb = self.lift(a), self.lift(b)
        if op == "+":
            expr = V.add(la, lb)
        elif op == "-":
            expr = V.sub(la, lb)
        elif op == "*":
            expr = V.mul(la, lb)
        else:
            if isinstance(b, SV) or not isinstance(b, int):
                raise GroundingError(
                    f"'{op}' by a variable expression", getattr(e, "span", None),
                    hint="integer division and remainder take a constant divisor")
            if b == 0:
                raise DataError("division by zero", getattr(e, "span", None))
            if op == "/":
                expr = g.Const(trunc_div(int(la.value), b)) if isinstance(la, g.Const) \
                    else (V.neg(la) if b == -1 else la if b == 1 else g.Div(V.as_int(la), b))
            else:
                expr = g.Const(int(la.value) - b * trunc_div(int(la.value), b)) \
                    if isinstance(la, g.Const) else g.Mod(V.as_int(la), b)
        return self.make(expr, V.INT, null)

    @staticmethod
    def _py_arith(op: str, a: object, b: object, e: L.Expr) -> object:
        if op == "+":
            return a + b  # type: ignore[operator]
        if op == "-":
            return a - b  # type: ignore[operator]
        if op == "*":
            return a * b  # type: ignore[operator]
        if b == 0:
            raise DataError("division by zero", getattr(e, "span", None))
        if isinstance(a, int) and isinstance(b, int):
            q = trunc_div(a, b)
            return q if op == "/" else a - b * q
        return a / b if op == "/" else a % b  # type: ignore[operator]

    @staticmethod
    def make(expr: g.Expr, kind: str, null: g.Expr | None) -> object:
        if isinstance(null, g.Const):
            if null.value:
                return None
            null = None
        if null is None and isinstance(expr, g.Const):
            return expr.value if kind != V.BOOL else bool(expr.value)
        return SV(expr, kind, null)

    def compare(self, op: str, a: object, b: object) -> object:
        if a is None or b is None:
            return None
        if not isinstance(a, SV) and not isinstance(b, SV):
            return _py_compare(op, a, b)
        null = V.join_null(a, b)
        if isinstance(a, str) or isinstance(b, str):
            return self.make(self._string_compare(op, a, b), V.BOOL, null)
        return self.make(V.compare(op, self.lift(a), self.lift(b), self.bounds), V.BOOL, null)

    def _string_compare(self, op: str, a: object, b: object) -> g.Expr:
        if isinstance(a, str):
            a, b, op = b, a, V._FLIP[op]
        assert isinstance(a, SV) and isinstance(b, str)
        code = self.strings.code(b)
        if code is not None:
            return V.compare(op, a.expr, g.Const(code), self.bounds)
        if op in ("=", "!="):
            return g.Const(op == "!=")
        pos = self.strings.position(b)  # codes below pos are smaller than b, the rest larger
        smaller = V.compare("<", a.expr, g.Const(pos), self.bounds)
        return smaller if op in ("<", "<=") else V.not_(smaller)

    @staticmethod
    def and_(vals: list[object]) -> object:
        if not any(isinstance(v, SV) for v in vals):
            if any(v is False for v in vals):
                return False
            return None if any(v is None for v in vals) else True
        if all(isinstance(v, SV) and v.null is None or v is True for v in vals):
            return Compiler.make(V.and_([v.expr for v in vals if isinstance(v, SV)]), V.BOOL,
                                 None)
        return V.from_truth(V.and_([V.truth(v) for v in vals]),
                            V.or_([V.falsity(v) for v in vals]))

    @staticmethod
    def or_(vals: list[object]) -> object:
        if not any(isinstance(v, SV) for v in vals):
            if any(v is True for v in vals):
                return True
            return None if any(v is None for v in vals) else False
        if all(isinstance(v, SV) and v.null is None or v is False for v in vals):
            return Compiler.make(V.or_([v.expr for v in vals if isinstance(v, SV)]), V.BOOL,
                                 None)
        return V.from_truth(V.or_([V.truth(v) for v in vals]),
                            V.and_([V.falsity(v) for v in vals]))

    @staticmethod
    def not_(v: object) -> object:
        if isinstance(v, SV):
            return SV(V.not_(v.expr), V.BOOL, v.null)
        return None if v is None else not v

    @staticmethod
    def is_null(v: object, negated: bool) -> object:
        if isinstance(v, SV):
            null = v.null if v.null is not None else g.FALSE
            return Compiler.make(V.not_(null) if negated else null, V.BOOL, None)
        return (v is not None) if negated else (v is None)

    def in_values(self, arg: object, items: list[object]) -> object:
        """arg IN (items) with SQL three-valued logic."""
        if arg is None:
            return None if items else False
        if not isinstance(arg, SV) and not any(isinstance(i, SV) for i in items):
            if any(arg == i for i in items if i is not None):
                return True
            return None if any(i is None for i in items) else False
        if isinstance(arg, SV) and not any(isinstance(i, SV) for i in items):
            return self.in_constants(arg, [i for i in items if i is not None],
                                     any(i is None for i in items))
        return self.or_([self.compare("=", arg, i) for i in items])

    def in_constants(self, arg: SV, values: list[object], has_null: bool) -> object:
        codes: set[int] = set()
        for v in values:
            if isinstance(v, str):
                code = self.strings.code(v)
                if code is not None:
                    codes.add(code)
            elif isinstance(v, (bool, int)):
                codes.add(int(v))
        member = V.in_set(arg.expr, codes)
        if not has_null:
            return self.make(member, V.BOOL, arg.null)
        not_null = V.not_(arg.null) if arg.null is not None else g.TRUE
        return V.from_truth(V.and_([not_null, member]), g.FALSE)

    def case(self, whens: list[tuple[Fn, Fn]], else_: Fn, env: Env) -> object:
        branches: list[tuple[g.Expr, object]] = []
        result: object = None
        decided = False
        for cond_fn, value_fn in whens:
            cond = cond_fn(env)
            if isinstance(cond, SV):
                branches.append((V.truth(cond), value_fn(env)))
                continue
            if cond is True:
                result, decided = value_fn(env), True
                break
        if not decided:
            result = else_(env)
        if not branches:
            return result
        values = [v for _, v in branches] + [result]
        kinds = {V.kind_of(v) for v in values if v is not None}
        kind = kinds.pop() if len(kinds) == 1 else V.INT
        zero: g.Expr = g.FALSE if kind == V.BOOL else g.Const(0)
        expr = zero if result is None else self.lift(result)
        null = V.null_of(result)
        for t, v in reversed(branches):
            expr = V.ite(t, zero if v is None else self.lift(v), expr)
            null = V.ite(t, V.null_of(v), null)
        return self.make(expr, kind, null)

    def abs_(self, v: object) -> object:
        if not isinstance(v, SV):
            return None if v is None else abs(v)  # type: ignore[arg-type]
        return SV(g.Abs(V.as_int(v.expr)), V.INT, v.null)

    def least_greatest(self, name: str, vals: list[object], e: L.Expr) -> object:
        present = [v for v in vals if v is not None]  # NULL arguments are ignored
        if not present:
            return None
        if not any(isinstance(v, SV) for v in present):
            return min(present) if name == "least" else max(present)  # type: ignore[type-var]
        if any(isinstance(v, SV) and v.null is not None for v in present):
            raise GroundingError(f"{name}() over a value that may be NULL",
                                 getattr(e, "span", None),
                                 hint="give the nullable argument a value with CASE")
        kind = V.kind_of(present[0])
        args = tuple(V.as_int(self.lift(v)) for v in present)
        return SV(g.Min(args) if name == "least" else g.Max(args), kind)

    def contains(self, array: object, item: object) -> object:
        if array is None or item is None:
            return None
        values = list(array)  # type: ignore[call-overload]
        if not isinstance(item, SV):
            return item in values
        return self.in_constants(item, [v for v in values if v is not None], False)


def _sql_bool(value: object) -> object:
    """A boolean read from SQL as a Python bool (SQLite stores and computes them as 0 / 1);
    the CASE and AND/OR rules test constants with `is True`."""
    return value if value is None or isinstance(value, bool) else bool(value)
