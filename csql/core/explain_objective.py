"""The value of each MAXIMIZE/MINIMIZE statement in a solution, and the members of a core in
SQL terms.

Objective values come from the ground objective terms (each tagged with its statement and
group), evaluated on the assignment by `csql.ir.ground_eval`; when the SQL oracle certified
the solution, its per-statement values (computed in SQL, independently of the grounding) must
agree, else the breakdown would be a second, unchecked answer and the mismatch is a bug.
"""

from __future__ import annotations

from collections.abc import Mapping

from csql.ir import ground as g
from csql.ir import logical as L
from csql.ir.errors import InternalError
from csql.ir.ground_eval import Evaluator

from .explain import CONSTRAINTS, Explanation
from .solution import CoreMember, ObjectiveValue


def objective_values(program: L.Program, problem: g.Problem, assignment: Mapping[int, int],
                     *, groups: bool = False,
                     certified: Mapping[str, int | float] | None = None) -> list[ObjectiveValue]:
    """One `ObjectiveValue` per MAXIMIZE/MINIMIZE statement of the program, in program
    order. `certified` is the oracle's `Certificate.terms` (signed: a MINIMIZE statement
    counts negated), checked against the ground values when given."""
    statements = [c for c in program.constraints if c.kind != L.CHECK]
    signed: dict[str, int] = {c.name: 0 for c in statements}
    per_group: dict[str, dict[tuple, int]] = {c.name: {} for c in statements}
    evaluator = Evaluator(assignment)
    for term in problem.objective:
        p = term.provenance
        value = int(evaluator(term.expr))
        signed[p.statement] = signed.get(p.statement, 0) + value
        by_key = per_group.setdefault(p.statement, {})
        by_key[p.key] = by_key.get(p.key, 0) + value
    if certified is not None:
        for name, value in signed.items():
            expected = certified.get(name)
            if expected is not None and abs(float(expected) - value) > 1e-6 * max(1, abs(value)):
                raise InternalError(
                    f"objective statement '{name}' is worth {value} by the ground problem but "
                    f"{expected} by the SQL oracle",
                    hint="a bug in the grounding of that statement; please report it")
    out = []
    for c in statements:
        sign = -1 if c.kind == L.MINIMIZE else 1
        breakdown = None
        if groups:
            breakdown = tuple((dict(key), sign * value)
                              for key, value in per_group.get(c.name, {}).items())
        out.append(ObjectiveValue(c.name, c.kind, sign * signed[c.name], breakdown))
    return out


def core_members(explanation: Explanation) -> list[CoreMember]:
    """The explanation's members grouped by statement: one `CoreMember` per statement, with
    the rows (row level) of its instances that are in the core."""
    by_statement: dict[str, list] = {}
    for member in explanation.members:
        by_statement.setdefault(member.statement, []).append(member)
    out = []
    for statement, members in by_statement.items():
        first = members[0].provenance
        rows: list[dict[str, object]] = []
        if explanation.level != CONSTRAINTS:
            for member in members:
                rows.extend(dict(key) for key in member.keys)
        span = first.span
        position = str(span) if span is not None and getattr(span, "line", 0) > 0 else ""
        out.append(CoreMember(constraint=statement, sql=first.sql, rows=tuple(rows),
                              position=position, kind=first.kind, level=explanation.level))
    return out
