"""Shrinking an unsatisfiable set of members to a minimal one, for any solver.

Both algorithms see the problem only through a `check(members) -> Verdict` function (a
re-solve of the sub-problem made of those members), so they serve every backend alike. The
check must be monotone, which feasibility is: a subset of a feasible set is feasible.

* `shrink_by_deletion` drops one member at a time and keeps the drop when the rest is still
  infeasible. When the check also returns a core (CP-SAT assumptions, Z3 tracked assertions),
  the set jumps to that core at once ("clause-set refinement"), so the number of re-solves
  stays near the size of the answer instead of the size of the start.
* `quickxplain` (Junker, AAAI 2004) splits the candidates in halves and needs
  O(k log(n/k)) checks for an answer of k members out of n, which suits backends without cores
  and large candidate sets (row-level explanations).

A check that cannot decide (time limit) is taken as "feasible" for the member under test: it is
kept. The answer is then still infeasible, but possibly not minimal, and `minimal` says so.
Members are plain integers; their order is a preference: `quickxplain` keeps earlier members
rather than later ones, and deletion tries the later ones first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Answer(StrEnum):
    INFEASIBLE = "INFEASIBLE"
    FEASIBLE = "FEASIBLE"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True, slots=True)
class Verdict:
    answer: Answer
    # on INFEASIBLE, optionally: a subset of the checked members that is infeasible already
    core: frozenset[int] | None = None


Check = Callable[[Sequence[int]], Verdict]


@dataclass(slots=True)
class Shrunk:
    members: list[int]
    minimal: bool  # False when a check could not decide and a member was kept to be safe
    checks: int


class _Counted:
    """The check with a count of the calls and a note of undecided answers."""

    def __init__(self, check: Check) -> None:
        self.check = check
        self.calls = 0
        self.undecided = False

    def __call__(self, members: Sequence[int]) -> Verdict:
        self.calls += 1
        verdict = self.check(members)
        if verdict.answer is Answer.UNKNOWN:
            self.undecided = True
        return verdict


def shrink_by_deletion(members: Sequence[int], check: Check, *,
                       known_infeasible: bool = True) -> Shrunk:
    """A minimal infeasible subset of `members`, which must be infeasible together."""
    counted = _Counted(check)
    current = list(members)
    if not known_infeasible:
        verdict = counted(current)
        if verdict.answer is not Answer.INFEASIBLE:
            return Shrunk([], False, counted.calls)
        current = _refine(current, verdict)
    # members proven necessary: dropping them alone made the rest feasible
    necessary: set[int] = set()
    while True:
        candidates = [m for m in reversed(current) if m not in necessary]
        if not candidates:
            break
        member = candidates[0]
        rest = [m for m in current if m != member]
        verdict = counted(rest) if rest else Verdict(Answer.FEASIBLE)
        if verdict.answer is Answer.INFEASIBLE:
            current = _refine(rest, verdict)
        else:
            necessary.add(member)
    return Shrunk(current, not counted.undecided, counted.calls)


def _refine(members: list[int], verdict: Verdict) -> list[int]:
    """The members that are also in the verdict's core, in their order."""
    if verdict.core is None:
        return members
    return [m for m in members if m in verdict.core]


def quickxplain(members: Sequence[int], check: Check, *, background: Sequence[int] = (),
                known_infeasible: bool = True) -> Shrunk:
    """A minimal subset of `members` that is infeasible together with `background` (which
    is kept as it is and not part of the answer)."""
    counted = _Counted(check)
    base = list(background)
    if not known_infeasible and counted(base + list(members)).answer is not Answer.INFEASIBLE:
        return Shrunk([], False, counted.calls)
    if not members:
        return Shrunk([], True, counted.calls)
    found = _quickxplain(base, False, list(members), counted)
    return Shrunk(found, not counted.undecided, counted.calls)


def _quickxplain(background: list[int], added: bool, candidates: list[int],
                 check: _Counted) -> list[int]:
    """Junker's QX': `added` says the last call put something new into `background`."""
    if added and check(background).answer is Answer.INFEASIBLE:
        return []
    if len(candidates) == 1:
        return candidates
    half = len(candidates) // 2
    first, second = candidates[:half], candidates[half:]
    from_second = _quickxplain(background + first, bool(first), second, check)
    from_first = _quickxplain(background + from_second, bool(from_second), first, check)
    return from_first + from_second
