"""Minimal unsatisfiable cores of a ground problem, in the problem's own provenance terms.

A member is a set of hard constraints that goes in or out of the problem together: every
instance of one statement (constraint level), or one instance, i.e. one row or group of one
statement (row level). The answer is minimal: without any one member the rest is satisfiable.

Every backend is driven the same way, by re-solving sub-problems (the chosen hard constraints,
no objective, one worker) through `Backend.solve`. A backend that declares cores (CP-SAT's
sufficient assumptions, Z3's tracked assertions) narrows a large candidate set with one
tracked solve first (time-boxed: tracking can cost far more than the plain solve); the rest is
plain deletion for a handful of members and QuickXplain beyond (`explain_shrink`), with plain
re-solves, which are the cheapest. A row-level explanation starts from the constraint-level
one: the instances of a minimal set of statements are infeasible together, so a minimal set of
instances exists among them, and it is found among far fewer candidates.

The answer is checked before it is returned (a core a backend claims is re-solved unless that
very set was already found infeasible), so a wrong solver core cannot become a wrong
explanation; and a member is kept, not dropped, when a re-solve hit the time limit, in which
case the explanation says it may not be minimal.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from csql.backends.base import Backend, SolveOptions, Status
from csql.ir import ground as g
from csql.ir.errors import CsqlError, InternalError

from .explain_shrink import Answer, Shrunk, Verdict, quickxplain, shrink_by_deletion

CONSTRAINTS = "constraints"
ROWS = "rows"
LEVELS = (CONSTRAINTS, ROWS)

# Without cores, plain deletion (one re-solve per member) is as cheap as QuickXplain for a
# handful of members and simpler to follow; beyond this QuickXplain's halving wins.
_DELETION_UP_TO = 6
# kinds that explain *why a value is allowed* rather than a policy: tried for removal first,
# so that they appear in a core only when no core without them exists among the candidates
_BACKGROUND_KINDS = ("domain", "key")


def explain_level(explain: object) -> str | None:
    """`Model.solve(explain=...)`: False/None -> None, True/"constraints" -> constraint level,
    "rows" -> row level; anything else is refused with the accepted values."""
    if explain is None or explain is False:
        return None
    if explain is True:
        return CONSTRAINTS
    if isinstance(explain, str) and explain.strip().lower() in LEVELS:
        return explain.strip().lower()
    if isinstance(explain, str) and explain.strip().lower() in ("constraint", "statements"):
        return CONSTRAINTS
    raise CsqlError(f"explain={explain!r} is not a level of explanation",
                    hint="use explain=True (which constraints) or explain='rows' "
                         "(which rows of them)")


@dataclass(slots=True)
class Member:
    """One member of a core: some hard constraints of the problem that share a provenance
    (the whole statement at constraint level, one row or group of it at row level)."""

    statement: str
    kind: str
    indices: list[int]  # into problem.constraints
    provenance: g.Provenance  # of the first instance (statement, sql and span are shared)
    keys: list[tuple[tuple[str, object], ...]] = field(default_factory=list)


@dataclass(slots=True)
class Explanation:
    level: str
    members: list[Member]
    minimal: bool
    stats: dict[str, object]


class SubproblemCheck:
    """`check(member ids) -> Verdict` by solving the sub-problem made of those members.

    Answers are remembered by member set, so the shrinkers never pay twice for one question
    and the final verification is free when the answer was checked on the way."""

    def __init__(self, problem: g.Problem, members: Sequence[Member], backend: Backend, *,
                 deadline: float | None, use_cores: bool, extra: dict[str, object]) -> None:
        self.problem = problem
        self.members = members
        self.backend = backend
        self.deadline = deadline
        self.use_cores = use_cores
        self.extra = extra
        self.owner = {i: m for m, member in enumerate(members) for i in member.indices}
        self.answers: dict[frozenset[int], Verdict] = {}
        self.solves = 0
        self.solver_seconds = 0.0
        # seconds the next solve that tracks constraints may take before cores are given up
        self.core_budget: float | None = None
        self.core_timed_out = False

    def __call__(self, member_ids: Sequence[int]) -> Verdict:
        wanted = frozenset(member_ids)
        known = self.answers.get(wanted)
        if known is not None:
            return known
        verdict = self._solve(wanted)
        self.answers[wanted] = verdict
        return verdict

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.perf_counter()

    def _solve(self, wanted: frozenset[int]) -> Verdict:
        if not wanted:
            return Verdict(Answer.FEASIBLE)
        remaining = self.remaining()
        if remaining is not None and remaining <= 0:
            return Verdict(Answer.UNKNOWN)
        if self.use_cores and self.core_budget is not None:
            budget, self.core_budget = self.core_budget, None
            limit = budget if remaining is None else min(budget, remaining)
            verdict = self._run(wanted, limit)
            if verdict.answer is not Answer.UNKNOWN or (
                    remaining is not None and remaining <= budget):
                return verdict
            self.use_cores = False
            self.core_timed_out = True
            remaining = self.remaining()
        return self._run(wanted, remaining)

    def _run(self, wanted: frozenset[int], remaining: float | None) -> Verdict:
        indices = sorted(i for m in wanted for i in self.members[m].indices)
        sub = g.Problem(variables=self.problem.variables,
                        constraints=[self.problem.constraints[i] for i in indices],
                        objective=[], strings=self.problem.strings, hints=self.problem.hints)
        options = SolveOptions(time_limit=remaining, workers=1, want_core=self.use_cores,
                               extra=dict(self.extra))
        started = time.perf_counter()
        result = self.backend.solve(sub, options)
        self.solver_seconds += time.perf_counter() - started
        self.solves += 1
        if result.status.has_solution:
            return Verdict(Answer.FEASIBLE)
        if result.status is not Status.INFEASIBLE:
            return Verdict(Answer.UNKNOWN)
        core = None
        if self.use_cores and result.core:
            core = frozenset(self.owner[indices[i]] for i in result.core
                             if 0 <= i < len(indices))
        return Verdict(Answer.INFEASIBLE, core or None)


def group_members(problem: g.Problem, level: str,
                  only: set[str] | None = None) -> list[Member]:
    """The problem's hard constraints as members of the given level, in preference order:
    policy statements in program order, then domains and keys."""
    found: dict[object, Member] = {}
    for i, constraint in enumerate(problem.constraints):
        p = constraint.provenance
        if only is not None and p.statement not in only:
            continue
        ident: object = p.statement if level == CONSTRAINTS else (p.statement, p.key)
        member = found.get(ident)
        if member is None:
            member = found[ident] = Member(p.statement, p.kind, [], p)
        member.indices.append(i)
        if level == ROWS and not member.keys and p.key:
            member.keys.append(p.key)
    members = list(found.values())
    return ([m for m in members if m.kind not in _BACKGROUND_KINDS]
            + [m for m in members if m.kind in _BACKGROUND_KINDS])


def explain_infeasible(problem: g.Problem, backend: Backend, *, level: str = CONSTRAINTS,
                       time_limit: float | None = None,
                       extra: dict[str, object] | None = None,
                       reference_seconds: float | None = None,
                       known_infeasible: bool = False) -> Explanation:
    """A minimal set of members (of `level`) that cannot hold together, for an infeasible
    `problem` (its objective is ignored). Raises `InternalError` when the problem turns out
    feasible: the caller had it solved as infeasible, so that is a bug.

    `reference_seconds` is how long the plain solve took: the first solve that tracks every
    constraint for a core gets a few times that, and when it runs out the shrinking goes on
    without cores (tracking can make a backend far slower than the plain solve).
    `known_infeasible` says the caller has just solved these hard constraints (or an
    equivalent grounding of them) as INFEASIBLE, which saves re-proving it."""
    if level not in LEVELS:
        raise CsqlError(f"unknown explanation level {level!r}", hint=f"use one of {LEVELS}")
    started = time.perf_counter()
    deadline = None if time_limit is None else started + time_limit
    use_cores = bool(backend.capabilities.cores) and _cores_are_cheap(problem, backend)
    stats: dict[str, object] = {"backend": backend.name, "cores": use_cores, "level": level}

    members = group_members(problem, CONSTRAINTS)
    check = SubproblemCheck(problem, members, backend, deadline=deadline, use_cores=use_cores,
                            extra=extra or {})
    if use_cores and reference_seconds is not None:
        check.core_budget = max(1.0, 4 * reference_seconds)
    shrunk = _shrink(members, check, known_infeasible)
    minimal = shrunk.minimal
    stats["cores_timed_out"] = check.core_timed_out
    stats["constraint_level"] = {"candidates": len(members), "solves": check.solves,
                                 "seconds": time.perf_counter() - started}
    chosen = [members[m] for m in shrunk.members]
    solves, solver_seconds = check.solves, check.solver_seconds
    if level == ROWS:
        row_started = time.perf_counter()
        statements = {m.statement for m in chosen}
        instances = group_members(problem, ROWS, statements)
        check = SubproblemCheck(problem, instances, backend, deadline=deadline,
                                use_cores=use_cores and not stats.get("cores_timed_out"),
                                extra=extra or {})
        if check.use_cores and reference_seconds is not None:
            check.core_budget = max(1.0, 4 * reference_seconds)
        shrunk = _shrink(instances, check, True)  # exactly the constraints just shown infeasible
        minimal = minimal and shrunk.minimal
        chosen = [instances[m] for m in shrunk.members]
        stats["row_level"] = {"candidates": len(instances), "solves": check.solves,
                              "seconds": time.perf_counter() - row_started}
        solves += check.solves
        solver_seconds += check.solver_seconds
    stats.update(solves=solves, solver_seconds=solver_seconds,
                 seconds=time.perf_counter() - started, minimal=minimal)
    return Explanation(level, chosen, minimal, stats)


# A global the backend cannot take under reification is decomposed when an assumption
# literal guards it (CP-SAT: all_different into pairwise disequalities): beyond this many
# arguments that costs more than the re-solves a core saves.
_DECOMPOSED_ARGS_LIMIT = 40


def _cores_are_cheap(problem: g.Problem, backend: Backend) -> bool:
    """Whether tracking every hard constraint keeps the backend's encoding small, judged from
    its declared capabilities: no big global that it could only decompose."""
    reifiable = backend.capabilities.reifiable
    for constraint in problem.constraints:
        expr = constraint.expr
        if isinstance(expr, g.GLOBAL_TYPES) and type(expr) not in reifiable:
            size = len(getattr(expr, "args", ()) or getattr(expr, "assignment", ()))
            if size > _DECOMPOSED_ARGS_LIMIT:
                return False
    return True


def _shrink(members: list[Member], check: SubproblemCheck, known_infeasible: bool) -> Shrunk:
    """A minimal infeasible subset of `members`. Cores only narrow a large start: each
    solve that tracks every constraint costs more than a plain one, and with a handful of
    members plain deletion needs no more solves than the core would save."""
    everything = list(range(len(members)))
    if known_infeasible:
        check.answers[frozenset(everything)] = Verdict(Answer.INFEASIBLE)
    start = everything
    claimed = False
    if check.use_cores and len(everything) > _DELETION_UP_TO:
        check.answers.pop(frozenset(everything), None)  # this solve is for its core
        first = check(everything)
        if first.answer is Answer.INFEASIBLE and first.core:
            start = [m for m in everything if m in first.core]
            claimed = True
        elif first.answer is Answer.FEASIBLE:
            _satisfiable()
    check.use_cores = False
    if not known_infeasible and not claimed:
        first = check(everything)
        if first.answer is Answer.FEASIBLE:
            _satisfiable()
        if first.answer is Answer.UNKNOWN:
            return Shrunk(everything, False, check.solves)  # nothing known within the time
    if len(start) <= _DELETION_UP_TO:
        shrunk = shrink_by_deletion(start, check)
    else:
        shrunk = quickxplain(start, check)
    # free when the answer was checked on the way; a claimed core may not have been
    verdict = check(shrunk.members)
    if verdict.answer is Answer.FEASIBLE and claimed:
        shrunk = quickxplain(everything, check)  # the backend's core was wrong: without it
        verdict = check(shrunk.members)
    if verdict.answer is Answer.FEASIBLE:
        raise InternalError(
            "the explanation found is satisfiable",
            hint="a re-solve contradicted an earlier one; this is a bug in a backend, "
                 "please report it with `csql export` of the program")
    return Shrunk(sorted(shrunk.members), shrunk.minimal and verdict.answer is Answer.INFEASIBLE,
                  check.solves)


def _satisfiable() -> None:
    raise InternalError(
        "the problem an explanation was asked for is satisfiable",
        hint="the solve said INFEASIBLE but a re-solve of the same hard constraints found "
             "a solution; this is a bug in a backend or the grounding, please report it")
