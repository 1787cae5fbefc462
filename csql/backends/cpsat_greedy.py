"""A greedy placement for problems with bin-load capacities, used as CP-SAT's solution hint.

CP-SAT's first solution on a large placement problem (thousands of items, every item allowed
on every bin, a min-over-spare objective) came only after a presolve that outlasted the time
limit. A complete, feasible hint lets it report a solution as soon as presolve ends, and when
even that is too late the backend can still answer with this placement once the ground
evaluator has confirmed it. The placement is worst-fit decreasing (each item, largest first,
goes to the bin with the most spare room, summed over the dimensions relative to their mean
capacity, so loads come out balanced, which suits spread objectives),
respecting every dimension's capacity and each item's domain. A hint is only a hint: it
changes which solution is found first, never what counts as a solution.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from csql.ir import ground as g
from csql.ir.ground_eval import Evaluator, in_domain

_UPPER = ("<=", "<")
_LOWER = (">=", ">")


@dataclass(slots=True)
class _Group:
    """The capacity constraints over one assignment tuple: per dimension demands and caps."""

    items: tuple[g.Var, ...]
    dims: dict[int, tuple[list[int], dict[int, int]]] = field(default_factory=dict)


def _conjuncts(e: g.Expr) -> list[g.Expr]:
    out, stack = [], [e]
    while stack:
        node = stack.pop()
        if isinstance(node, g.And):
            stack.extend(reversed(node.args))
        else:
            out.append(node)
    return out


def _capacity(e: g.Expr) -> tuple[g.BinLoad, int] | None:
    """`load <= cap` (or its mirror) with a constant cap, as (load, largest allowed load)."""
    if not isinstance(e, g.Compare):
        return None
    left, op, right = e.left, e.op, e.right
    if isinstance(right, g.BinLoad) and isinstance(left, g.Const):
        left, right = right, left
        op = {"<=": ">=", "<": ">", ">=": "<=", ">": "<"}.get(op, op)
    if not (isinstance(left, g.BinLoad) and isinstance(right, g.Const)):
        return None
    if op not in _UPPER:
        return None
    return left, int(right.value) - (1 if op == "<" else 0)


def _groups(problem: g.Problem) -> list[_Group]:
    groups: dict[tuple[int, ...], _Group] = {}
    by_tuple: dict[int, tuple[int, ...] | None] = {}  # id(assignment) -> key, computed once

    def group_of(assignment: tuple[g.Expr, ...]) -> _Group | None:
        key = by_tuple.get(id(assignment), ())
        if key == ():
            key = (tuple(a.index for a in assignment)
                   if all(isinstance(a, g.Var) and not a.is_bool for a in assignment) else None)
            by_tuple[id(assignment)] = key
        if key is None:
            return None
        if key not in groups:
            groups[key] = _Group(tuple(assignment))  # type: ignore[arg-type]
        return groups[key]

    constants: dict[int, tuple[tuple[int, ...], int] | None] = {}  # id(demands) -> values

    def demand_values(demands: tuple[g.Expr, ...]) -> tuple[tuple[int, ...], int] | None:
        hit = constants.get(id(demands), ())
        if hit == ():
            hit = None
            if all(isinstance(d, g.Const) for d in demands):
                values = tuple(int(d.value) for d in demands)  # type: ignore[union-attr]
                hit = (values, hash(values))
            constants[id(demands)] = hit
        return hit  # type: ignore[return-value]

    def add_dim(group: _Group, demands: tuple[tuple[int, ...], int], bin_: int,
                cap: int) -> None:
        # dimensions are identified by their demand vectors (cpu, memory, ...)
        dim = group.dims.setdefault(demands[1], (list(demands[0]), {}))
        dim[1][bin_] = min(cap, dim[1].get(bin_, cap))

    for constraint in problem.constraints:
        for conjunct in _conjuncts(constraint.expr):
            if isinstance(conjunct, g.BinPacking):
                group = group_of(conjunct.assignment)
                if group is not None:
                    values = (conjunct.demands, hash(conjunct.demands))
                    for b, cap in zip(conjunct.bins, conjunct.capacities):
                        add_dim(group, values, b, cap)
                continue
            found = _capacity(conjunct)
            if found is None:
                continue
            load, cap = found
            values = demand_values(load.demands)
            group = group_of(load.assignment) if values is not None else None
            if group is not None:
                add_dim(group, values, load.bin, cap)
    return [grp for grp in groups.values() if grp.dims]


def greedy_placement(problem: g.Problem) -> dict[int, int]:
    """Values for the assignment variables of bin-load capacity constraints (may be empty)."""
    placed: dict[int, int] = {}
    for group in _groups(problem):
        _place(group, problem.hints, placed)
    return placed


def _place(group: _Group, hints: dict[int, int], placed: dict[int, int]) -> None:
    dims = list(group.dims.values())
    bins = sorted({b for _, caps in dims for b in caps})
    free = [{b: caps.get(b) for b in bins} for _, caps in dims]  # None: no capacity there
    scale = [max(1, sum(caps.values()) // max(1, len(caps))) for _, caps in dims]

    def fits(k: int, b: int) -> bool:
        for (demands, _), room in zip(dims, free):
            left = room[b]
            if left is not None and demands[k] > left:
                return False
        return True

    def put(k: int, b: int) -> None:
        placed[group.items[k].index] = b
        for (demands, _), room in zip(dims, free):
            if room.get(b) is not None:
                room[b] -= demands[k]

    def unconstrained(item: g.Var) -> int | None:
        """A value of the item's domain that no capacity constrains (room without limit)."""
        if item.values is not None:
            return next((v for v in item.values if v not in free[0]), None)
        if item.ub - item.lb + 1 > len(bins):
            return next(v for v in range(item.lb, item.ub + 1) if v not in free[0])
        return None

    todo = []
    for k, item in enumerate(group.items):
        if item.index in placed:  # placed by an earlier group: its load counts here too
            if placed[item.index] in free[0]:
                put(k, placed[item.index])
            continue
        hinted = hints.get(item.index)
        if hinted is not None and _allowed(item, hinted) and (
                hinted not in free[0] or fits(k, hinted)):
            put(k, hinted)
        else:
            todo.append(k)
    todo.sort(key=lambda k: -sum(d[k] / s for (d, _), s in zip(dims, scale)))

    def slack(b: int) -> float:
        """Spare room of bin b summed over dimensions, each relative to its mean capacity."""
        total = 0.0
        for room, s in zip(free, scale):
            left = room[b]
            total += 1e18 if left is None else left / s
        return total

    heap = [(-slack(b), b) for b in bins]
    heapq.heapify(heap)
    for k in todo:
        item = group.items[k]
        aside = []
        chosen = None
        while heap:
            key, b = heapq.heappop(heap)
            if -key != slack(b):  # stale entry
                continue
            aside.append(b)
            if _allowed(item, b) and fits(k, b):
                chosen = b
                break
        if chosen is None:
            chosen = unconstrained(item)
        if chosen is None:  # nothing fits: any allowed bin keeps the hint complete
            chosen = next((b for b in bins if _allowed(item, b)), None)
        if chosen is not None:
            put(k, chosen)
        for b in aside:
            heapq.heappush(heap, (-slack(b), b))


def _allowed(var: g.Var, value: int) -> bool:
    if var.values is not None:
        return value in var.values if len(var.values) < 64 else _bisect_in(var.values, value)
    return var.lb <= value <= var.ub


def _bisect_in(values: tuple[int, ...], value: int) -> bool:
    from bisect import bisect_left

    i = bisect_left(values, value)
    return i < len(values) and values[i] == value


class _LoadEvaluator(Evaluator):
    """The ground evaluator, with the loads of every bin of an (assignment, demands) pair
    summed in one pass: a placement of 5,000 items on 1,000 bins is checked in a second
    instead of walking all items once per bin."""

    def __init__(self, assignment: dict[int, int]) -> None:
        super().__init__(assignment)
        self._loads: dict[tuple[int, int], tuple[dict[int, int], object]] = {}

    def _eval(self, e: g.Expr) -> int | bool:
        if not isinstance(e, g.BinLoad):
            return super()._eval(e)
        key = (id(e.assignment), id(e.demands))
        hit = self._loads.get(key)
        if hit is None:
            loads: dict[int, int] = {}
            for item, demand in zip(e.assignment, e.demands):
                b = int(self(item))
                loads[b] = loads.get(b, 0) + int(self(demand))
            hit = self._loads[key] = (loads, (e.assignment, e.demands))
        return hit[0].get(e.bin, 0)


def check_placement(problem: g.Problem, values: dict[int, int]) -> int | None:
    """The objective value of a complete assignment that satisfies every hard constraint and
    domain, or None when it does not."""
    if len(values) != len(problem.variables):
        return None
    if not all(in_domain(v, values[v.index]) for v in problem.variables):
        return None
    evaluate = _LoadEvaluator(values)
    if not all(evaluate(c.expr) for c in problem.constraints):
        return None
    return sum(int(evaluate(t.expr)) for t in problem.objective)
