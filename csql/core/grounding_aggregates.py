"""Aggregates and global constraints over a group (language §4 and §5).

A group's members arrive with guards: the condition under which each member's variable
qualifiers hold. Every aggregate consumes exactly the members whose guard holds — the meaning
of `agg(x) FILTER (WHERE qualifiers)` — so groups themselves never disappear. Over an empty
selection SUM and COUNT are 0, ANY is false, ALL is true, MIN and MAX are NULL.
`capacity_constraint` is the exception: it encodes the assignment itself, so it reads every
member regardless of guards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from csql.ir import ground as g
from csql.ir import logical as L
from csql.ir.errors import DataError, GroundingError, InternalError

from . import grounding_values as V
from .grounding_exprs import Compiler, Env, GroupEnv
from .grounding_values import SV

if TYPE_CHECKING:
    from .grounding_exprs import Fn

Items = list[tuple[g.Expr, list[object]]]


def compile_aggregate(comp: Compiler, e: L.Aggregate) -> Fn:
    fns = [comp.compile(a) for a in e.args]
    handler = _HANDLERS.get(e.name)
    if handler is None:
        raise GroundingError(f"unknown aggregate {e.name}()", e.span)

    def run(env: Env) -> object:
        if not isinstance(env, GroupEnv):
            raise InternalError(f"aggregate {e.name}() evaluated outside a group", e.span)
        items: Items = []
        use_all = e.name == "capacity_constraint"
        for member, guard in zip(env.members, env.guards):
            if not use_all and isinstance(guard, g.Const) and not guard.value:
                continue
            items.append((g.TRUE if use_all else guard, [f(member) for f in fns]))
        if e.distinct:
            items = _distinct(items, e)
        return handler(comp, items, e)

    return run


def _distinct(items: Items, e: L.Aggregate) -> Items:
    if any(not (isinstance(gd, g.Const) and gd.value) or any(isinstance(v, SV) for v in vals)
           for gd, vals in items):
        raise GroundingError(f"{e.name}(DISTINCT ...) over variable rows", e.span,
                             hint="DISTINCT aggregates are supported on constant rows only")
    seen: set[tuple] = set()
    out: Items = []
    for gd, vals in items:
        key = tuple(vals)
        if key not in seen:
            seen.add(key)
            out.append((gd, vals))
    return out


def _consumed(guard: g.Expr, v: object) -> g.Expr:
    """The member counts for this value: guard holds and the value is not NULL."""
    if isinstance(v, SV) and v.null is not None:
        return V.and_([guard, V.not_(v.null)])
    return guard


def _is_true(e: g.Expr) -> bool:
    return isinstance(e, g.Const) and bool(e.value)


def agg_sum(comp: Compiler, items: Items, e: L.Aggregate, count: bool = False) -> object:
    terms: list[tuple[int, g.Expr]] = []
    constant: int | float = 0
    for guard, vals in items:
        v = 1 if count and (e.star or not vals) else vals[0]
        if v is None:
            continue
        if count:
            v = 1 if not isinstance(v, SV) else SV(g.Const(1), V.INT, v.null)
        guard = _consumed(guard, v)
        if isinstance(v, SV):
            x = V.as_int(v.expr)
            terms.append((1, x if _is_true(guard) else V.ite(guard, x, g.Const(0))))
        elif _is_true(guard):
            constant += v  # type: ignore[operator]
        elif isinstance(v, float):
            raise GroundingError(f"{e.name}() of REAL values over variable rows", e.span)
        else:
            terms.append((int(v), g.BoolAsInt(guard)))  # type: ignore[arg-type]
    if not terms:
        return constant
    if isinstance(constant, float):
        raise GroundingError(f"{e.name}() mixes REAL values with variables", e.span)
    return Compiler.make(V.linear(terms, int(constant)), V.INT, None)


def agg_count(comp: Compiler, items: Items, e: L.Aggregate) -> object:
    return agg_sum(comp, items, e, count=True)


def agg_min_max(comp: Compiler, items: Items, e: L.Aggregate) -> object:
    present = [(_consumed(gd, v[0]), v[0]) for gd, v in items if v[0] is not None]
    if not present:
        return None
    is_min = e.name == "min"
    if all(_is_true(gd) and not isinstance(v, SV) for gd, v in present):
        vals = [v for _, v in present]
        return min(vals) if is_min else max(vals)  # type: ignore[type-var]
    kind = V.kind_of(present[0][1])
    exprs = [(gd, V.as_int(comp.lift(v))) for gd, v in present]
    if all(_is_true(gd) for gd, _ in exprs):
        args = tuple(x for _, x in exprs)
        return SV(args[0] if len(args) == 1 else (g.Min(args) if is_min else g.Max(args)), kind)
    bounds = [comp.bounds(x) for _, x in exprs]
    neutral = g.Const(max(b for _, b in bounds) if is_min else min(a for a, _ in bounds))
    args = tuple(x if _is_true(gd) else V.ite(gd, x, neutral) for gd, x in exprs)
    value = args[0] if len(args) == 1 else (g.Min(args) if is_min else g.Max(args))
    null = V.not_(V.or_([gd for gd, _ in exprs]))
    return Compiler.make(value, kind, null)


def agg_any(comp: Compiler, items: Items, e: L.Aggregate) -> object:
    return Compiler.make(V.or_([V.and_([gd, V.truth(v[0])]) for gd, v in items]), V.BOOL, None)


def agg_all(comp: Compiler, items: Items, e: L.Aggregate) -> object:
    return Compiler.make(V.and_([V.implies(gd, V.not_(V.falsity(v[0]))) for gd, v in items]),
                         V.BOOL, None)


def agg_avg(comp: Compiler, items: Items, e: L.Aggregate) -> object:
    vals = [v[0] for gd, v in items if v[0] is not None]
    if any(isinstance(v, SV) for v in vals) or not all(_is_true(gd) for gd, _ in items):
        raise GroundingError(
            "avg() over variable rows cannot be expressed exactly", e.span,
            hint="compare sum(x) with a multiple of count(x) instead, e.g. "
            "sum(x) <= 10 * count(x) for avg(x) <= 10")
    return sum(vals) / len(vals) if vals else None  # type: ignore[arg-type]


def _pairwise(comp: Compiler, present: list[tuple[g.Expr, g.Expr]], op: str,
              native: Callable[[tuple[g.Expr, ...]], g.Expr]) -> object:
    """A global over guarded values: the native global when every guard is constant true,
    else the pairwise decomposition `gi AND gj => xi op xj` (correct for any selection)."""
    if len(present) <= 1:
        return True
    if all(_is_true(gd) for gd, _ in present):
        return SV(native(tuple(x for _, x in present)), V.BOOL)
    parts = []
    for i in range(len(present)):
        gi, xi = present[i]
        for j in range(i + 1, len(present)):
            gj, xj = present[j]
            parts.append(V.implies(V.and_([gi, gj]), V.compare(op, xi, xj, comp.bounds)))
    return Compiler.make(V.and_(parts), V.BOOL, None)


def _present(comp: Compiler, items: Items) -> list[tuple[g.Expr, g.Expr]]:
    """Guarded values of a global. When every value is constant (a constant column of a
    symbolic view whose rows are conditionally present), strings are ranked among these
    values alone: that preserves = and <= between them without a dictionary code."""
    pairs = [(_consumed(gd, v[0]), v[0]) for gd, v in items if v[0] is not None]
    if not any(isinstance(v, SV) for _, v in pairs):
        rank = {v: i for i, v in enumerate(sorted({v for _, v in pairs}))}  # type: ignore[type-var]
        return [(gd, g.Const(rank[v])) for gd, v in pairs]
    return [(gd, V.as_int(comp.lift(v))) for gd, v in pairs]


def agg_all_different(comp: Compiler, items: Items, e: L.Aggregate) -> object:
    return _pairwise(comp, _present(comp, items), "!=", g.AllDifferent)


def agg_all_equal(comp: Compiler, items: Items, e: L.Aggregate) -> object:
    return _pairwise(comp, _present(comp, items), "=", g.AllEqual)


def agg_increasing(comp: Compiler, items: Items, e: L.Aggregate) -> object:
    return _pairwise(comp, _present(comp, items), "<=", g.Increasing)


def agg_capacity(comp: Compiler, items: Items, e: L.Aggregate) -> object:
    if len(e.args) != 4:
        raise GroundingError("capacity_constraint takes (var, domain, demand, capacity)", e.span)
    assignment: list[g.Expr] = []
    demands: list[int] = []
    seen_items: set[tuple[int, int]] = set()
    bins: dict[tuple[int, int], None] = {}
    for _, (var, dom, demand, cap) in items:
        if dom is not None and cap is not None:
            if isinstance(dom, SV) or isinstance(cap, SV):
                raise GroundingError("capacity_constraint: domain and capacity must be constant",
                                     e.span)
            code = comp.strings.code(dom) if isinstance(dom, str) else int(dom)  # type: ignore[call-overload]
            if code is not None:
                if int(cap) < 0:  # type: ignore[call-overload]
                    raise DataError(f"capacity_constraint: negative capacity {cap}", e.span)
                bins[(code, int(cap))] = None  # type: ignore[call-overload]
        if var is None:
            continue
        if not isinstance(var, SV) or isinstance(demand, SV):
            raise GroundingError("capacity_constraint: the first argument must be a variable "
                                 "and the demand a constant", e.span)
        d = 0 if demand is None else int(demand)  # type: ignore[call-overload]
        if d < 0:
            raise DataError(f"capacity_constraint: negative demand {demand}", e.span)
        key = (id(var.expr), d)
        if key in seen_items:
            continue
        seen_items.add(key)
        assignment.append(var.expr)
        demands.append(d)
    if not assignment:
        return True
    order = list(bins)
    return SV(g.BinPacking(tuple(assignment), tuple(demands), tuple(b for b, _ in order),
                           tuple(c for _, c in order)), V.BOOL)


_HANDLERS: dict[str, Callable[[Compiler, Items, L.Aggregate], object]] = {
    "sum": agg_sum,
    "count": agg_count,
    "min": agg_min_max,
    "max": agg_min_max,
    "any": agg_any,
    "bool_or": agg_any,
    "all": agg_all,
    "bool_and": agg_all,
    "avg": agg_avg,
    "all_different": agg_all_different,
    "all_equal": agg_all_equal,
    "increasing": agg_increasing,
    "capacity_constraint": agg_capacity,
}
