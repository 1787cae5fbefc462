"""Answering "feasible" without a solver: assignments already known to satisfy a member set.

Shrinking asks whether sets of members are satisfiable together, and most of the sets it asks
about late are nearly the whole problem. On the pinned load-balancing program at 1,000 VMs a
solver took 5 to 70 s to find a solution of such a set (a bin packing of 1,000 items), and
only 1.5 s to prove an infeasible one infeasible: the feasible answers were the cost.

An assignment answers a question for free when it satisfies every constraint of the asked
set, so each assignment is kept with the set of members it violates, and a question is
answered FEASIBLE when some assignment violates none of the asked members. Assignments come
from the solver's earlier FEASIBLE answers and from a greedy placement of the asked set (the
CP-SAT backend's worst-fit hint heuristic, with the asked set's pins `x = c` placed first),
built in milliseconds. The ground evaluator decides; nothing is assumed, so a FEASIBLE answer
from here is as sound as the evaluator that certifies every solution.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from csql.ir import ground as g
from csql.ir.ground_eval import Evaluator, in_domain

# Most recent first; an older assignment is dropped beyond this many (each costs one set
# intersection per question).
_KEPT = 48


class Witnesses:
    """Complete assignments of a problem, each with the members (groups of constraints,
    `owner[i]` for constraint `i`) that it violates."""

    def __init__(self, problem: g.Problem, owner: Mapping[int, int]) -> None:
        self.problem = problem
        self.owner = owner
        self.known: list[tuple[frozenset[int], dict[int, int]]] = []
        self.hits = 0
        self.greedy_hits = 0

    def add(self, assignment: Mapping[int, int]) -> frozenset[int] | None:
        """Keep a complete, in-domain assignment; the members it violates (None: not kept)."""
        values = {v.index: int(assignment[v.index]) for v in self.problem.variables
                  if v.index in assignment}
        if len(values) != len(self.problem.variables) or not all(
                in_domain(v, values[v.index]) for v in self.problem.variables):
            return None
        evaluate = Evaluator(values)
        violated: set[int] = set()
        for i, constraint in enumerate(self.problem.constraints):
            member = self.owner.get(i)
            if member is None or member in violated:
                continue
            try:
                holds = bool(evaluate(constraint.expr))
            except (IndexError, ZeroDivisionError, KeyError):  # an element out of range ...
                holds = False
            if not holds:
                violated.add(member)
        found = frozenset(violated)
        self.known.insert(0, (found, values))
        del self.known[_KEPT:]
        return found

    def satisfies(self, wanted: frozenset[int]) -> bool:
        """Whether a kept assignment violates none of `wanted` (it moves to the front)."""
        for k, (violated, _) in enumerate(self.known):
            if violated.isdisjoint(wanted):
                if k:
                    self.known.insert(0, self.known.pop(k))
                self.hits += 1
                return True
        return False

    def assignments(self) -> list[dict[int, int]]:
        return [values for _, values in self.known]

    def try_greedy(self, wanted: frozenset[int], indices: Sequence[int]) -> bool:
        """Build a placement for the constraints at `indices` (the members `wanted`) and keep
        it; whether it satisfies all of them. The asked set's pins `x = c` are placed first
        (as hints the greedy honours when they fit), so the rest is packed around them."""
        from csql.backends.cpsat_greedy import greedy_placement

        constraints = [self.problem.constraints[i] for i in indices]
        pins = dict(p for p in map(_pin, (c.expr for c in constraints)) if p is not None)
        sub = g.Problem(variables=self.problem.variables, constraints=constraints,
                        objective=[], strings=self.problem.strings,
                        hints={**self.problem.hints, **pins})
        values = _complete(self.problem, greedy_placement(sub))
        values.update(pins)
        violated = self.add(values)
        if violated is not None and violated.isdisjoint(wanted):
            self.greedy_hits += 1
            return True
        return False


def _complete(problem: g.Problem, placement: Mapping[int, int]) -> dict[int, int]:
    """A value for every variable: the placement, else the stored value when it is in the
    domain, else the smallest value of the domain."""
    values: dict[int, int] = {}
    for var in problem.variables:
        if var.index in placement:
            values[var.index] = int(placement[var.index])
            continue
        stored = problem.hints.get(var.index)
        if stored is not None and in_domain(var, int(stored)):
            values[var.index] = int(stored)
        elif var.values is not None:
            values[var.index] = var.values[0] if var.values else var.lb
        else:
            values[var.index] = var.lb
    return values


def _pin(e: g.Expr) -> tuple[int, int] | None:
    """`x = c` (either way round) as (variable index, value)."""
    if not (isinstance(e, g.Compare) and e.op == "="):
        return None
    left, right = e.left, e.right
    if isinstance(left, g.Const) and isinstance(right, g.Var):
        left, right = right, left
    if isinstance(left, g.Var) and isinstance(right, g.Const) and not left.is_bool:
        return left.index, int(right.value)
    return None
