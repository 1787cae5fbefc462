"""Minimal unsatisfiable cores of a ground problem, in the problem's own provenance terms.

A member is a set of hard constraints that goes in or out of the problem together: every
instance of one statement (constraint level), or one instance, i.e. one row or group of one
statement (row level). The answer is minimal: without any one member the rest is satisfiable.

Every backend answers the same questions ("are these members satisfiable together?"),
cheapest first: a known answer (also by monotonicity), an assignment already known or built
greedily that the ground evaluator finds satisfies the asked members (`explain_witness`:
feasible sub-problems were the slow ones to solve), then the solver. The solver is asked
through the backend's session when it offers one (`Backend.open_session`: the problem encoded
once per level with a switch per member, CP-SAT and Z3), else by re-solving the sub-problem
made of those members (the chosen hard constraints, no objective, one worker; MiniZinc, ILP).
On the re-solve path a backend that declares cores narrows a large candidate set with one
tracked solve first (time-boxed: tracking can cost far more than the plain solve); Z3's
session names a core with every answer. The rest is plain deletion for a handful of members
and QuickXplain beyond (`explain_shrink`). A row-level explanation starts from the
constraint-level one: the instances of a minimal set of statements are infeasible together,
so a minimal set of instances exists among them, and it is found among far fewer candidates.

The answer is checked before it is returned (a core a backend claims is re-solved unless that
very set was already found infeasible), so a wrong solver core cannot become a wrong
explanation; and a member is kept, not dropped, when a re-solve hit the time limit, in which
case the explanation says it may not be minimal.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from csql.backends.base import Backend, CheckSession, SolveOptions, Status
from csql.ir import ground as g
from csql.ir.errors import CsqlError, InternalError

from .explain_shrink import Answer, Shrunk, Verdict, quickxplain, shrink_by_deletion
from .explain_witness import Witnesses

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
    """`check(member ids) -> Verdict`: whether those members are satisfiable together.

    Answered, cheapest first, from: answers already known (by member set, and by
    monotonicity: a subset of a feasible set is feasible, a superset of an infeasible one
    infeasible); an assignment already known or built greedily that satisfies every asked
    member (`explain_witness`); and only then the solver, through the backend's session
    (one model, members switched on and off) when it offers one, else a re-solve of the
    sub-problem made of those members. Every solution the solver finds is kept as a witness
    for later questions."""

    def __init__(self, problem: g.Problem, members: Sequence[Member], backend: Backend, *,
                 deadline: float | None, use_cores: bool, extra: dict[str, object],
                 incremental: bool = True,
                 witnesses: Sequence[dict[int, int]] = ()) -> None:
        self.problem = problem
        self.members = members
        self.backend = backend
        self.deadline = deadline
        self.use_cores = use_cores
        self.extra = extra
        self.owner = {i: m for m, member in enumerate(members) for i in member.indices}
        self.answers: dict[frozenset[int], Verdict] = {}
        self.feasible: list[frozenset[int]] = []
        self.infeasible: list[frozenset[int]] = []
        self.witnesses = Witnesses(problem, self.owner)
        for assignment in witnesses:
            self.witnesses.add(assignment)
        self.solves = 0
        self.solver_seconds = 0.0
        self.free = 0  # questions answered without the solver
        # seconds the next solve that tracks constraints may take before cores are given up
        self.core_budget: float | None = None
        self.core_timed_out = False
        self.incremental = incremental
        self.session: CheckSession | None = None
        self.session_seconds = 0.0
        self._session_tried = False

    def __call__(self, member_ids: Sequence[int]) -> Verdict:
        wanted = frozenset(member_ids)
        known = self._known(wanted)
        if known is not None:
            return known
        verdict = self._solve(wanted)
        self.answers[wanted] = verdict
        if verdict.answer is Answer.FEASIBLE:
            self.feasible.append(wanted)
        elif verdict.answer is Answer.INFEASIBLE:
            self.infeasible.append(wanted)  # a solver's core is not taken as proven
        return verdict

    def know_infeasible(self, members: Sequence[int]) -> None:
        """The caller has proven these members infeasible together."""
        wanted = frozenset(members)
        self.answers[wanted] = Verdict(Answer.INFEASIBLE)
        self.infeasible.append(wanted)

    def forget(self, members: Sequence[int]) -> None:
        """Ask the solver about this set again (for its core)."""
        wanted = frozenset(members)
        self.answers.pop(wanted, None)
        self.infeasible = [s for s in self.infeasible if s != wanted]

    def _known(self, wanted: frozenset[int]) -> Verdict | None:
        known = self.answers.get(wanted)
        if known is not None:
            return known
        if not wanted or any(wanted <= f for f in self.feasible):
            return Verdict(Answer.FEASIBLE)
        for infeasible in self.infeasible:
            if infeasible <= wanted:  # a proven infeasible subset is a core
                return Verdict(Answer.INFEASIBLE, infeasible if infeasible != wanted else None)
        return None

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.perf_counter()

    def _solve(self, wanted: frozenset[int]) -> Verdict:
        # the deadline bounds the witnesses too: a greedy placement of 5,000 VMs takes
        # seconds, and a shrinking asks dozens of questions
        if (remaining := self.remaining()) is not None and remaining <= 0:
            return Verdict(Answer.UNKNOWN)
        if self.witnesses.satisfies(wanted) or self.witnesses.try_greedy(
                wanted, self._indices(wanted)):
            self.free += 1
            return Verdict(Answer.FEASIBLE)
        remaining = self.remaining()
        if remaining is not None and remaining <= 0:
            return Verdict(Answer.UNKNOWN)
        session = self._session()
        if session is not None:
            return self._ask_session(session, wanted, remaining)
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

    def _indices(self, wanted: frozenset[int]) -> list[int]:
        return sorted(i for m in wanted for i in self.members[m].indices)

    def start(self) -> None:
        """Open the backend's session now rather than on the first question the witnesses
        cannot answer (which may never come: encoding a session is not free)."""
        self._session()

    def _session(self) -> CheckSession | None:
        """The backend's session over these members, opened on first need (None: the
        backend has none, or it could not encode the problem, and re-solves answer)."""
        if not self._session_tried and self.incremental:
            self._session_tried = True
            started = time.perf_counter()
            try:
                self.session = self.backend.open_session(
                    self.problem, [m.indices for m in self.members],
                    SolveOptions(time_limit=self.remaining(), workers=1,
                                 extra=dict(self.extra)))
            except CsqlError:
                self.session = None  # a re-solve reports the same problem in its own words
            self.session_seconds += time.perf_counter() - started
            if self.session is not None:
                self.use_cores = self.session.gives_cores
        return self.session

    def _ask_session(self, session: CheckSession, wanted: frozenset[int],
                     remaining: float | None) -> Verdict:
        started = time.perf_counter()
        result = session.check(sorted(wanted), remaining)
        self.solver_seconds += time.perf_counter() - started
        self.solves += 1
        if result.status.has_solution and result.assignment is not None:
            violated = self.witnesses.add(result.assignment)
            if violated is not None and violated.isdisjoint(wanted):
                return Verdict(Answer.FEASIBLE)
            # the evaluator disagrees with the session: ask the plain way instead
            return self._run(wanted, self.remaining())
        if result.status is not Status.INFEASIBLE:
            return Verdict(Answer.UNKNOWN)
        core = None
        if session.gives_cores and result.core:
            core = frozenset(m for m in result.core if m in wanted) or None
        return Verdict(Answer.INFEASIBLE, core)

    def _run(self, wanted: frozenset[int], remaining: float | None) -> Verdict:
        indices = self._indices(wanted)
        sub = g.Problem(variables=self.problem.variables,
                        constraints=[self.problem.constraints[i] for i in indices],
                        objective=[], strings=self.problem.strings, hints=self.problem.hints)
        core_mode = self.use_cores and self.session is None
        options = SolveOptions(time_limit=remaining, workers=1, want_core=core_mode,
                               extra=dict(self.extra))
        started = time.perf_counter()
        result = self.backend.solve(sub, options)
        self.solver_seconds += time.perf_counter() - started
        self.solves += 1
        if result.status.has_solution:
            if result.assignment is not None:
                self.witnesses.add(result.assignment)
            return Verdict(Answer.FEASIBLE)
        if result.status is not Status.INFEASIBLE:
            return Verdict(Answer.UNKNOWN)
        core = None
        if core_mode and result.core:
            core = frozenset(self.owner[indices[i]] for i in result.core
                             if 0 <= i < len(indices))
        return Verdict(Answer.INFEASIBLE, core or None)

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


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
                       known_infeasible: bool = False,
                       incremental: bool = True) -> Explanation:
    """A minimal set of members (of `level`) that cannot hold together, for an infeasible
    `problem` (its objective is ignored). Raises `InternalError` when the problem turns out
    feasible: the caller had it solved as infeasible, so that is a bug.

    `reference_seconds` is how long the plain solve took: on the re-solve path the first
    solve that tracks every constraint for a core gets a few times that, and when it runs
    out the shrinking goes on without cores (tracking can make a backend far slower than
    the plain solve). `known_infeasible` says the caller has just solved these hard
    constraints (or an equivalent grounding of them) as INFEASIBLE, which saves re-proving
    it. `incremental=False` re-solves sub-problems even where the backend offers a session
    (to compare the two)."""
    if level not in LEVELS:
        raise CsqlError(f"unknown explanation level {level!r}", hint=f"use one of {LEVELS}")
    started = time.perf_counter()
    deadline = None if time_limit is None else started + time_limit
    use_cores = bool(backend.capabilities.cores) and _cores_are_cheap(problem, backend)
    stats: dict[str, object] = {"backend": backend.name, "cores": use_cores, "level": level}

    members = group_members(problem, CONSTRAINTS)
    check = SubproblemCheck(problem, members, backend, deadline=deadline, use_cores=use_cores,
                            extra=extra or {}, incremental=incremental)
    shrunk = _run_level(check, reference_seconds, known_infeasible, stats, "constraint_level")
    stats["cores_timed_out"] = check.core_timed_out
    minimal = shrunk.minimal
    chosen = [members[m] for m in shrunk.members]
    totals = [check]
    if level == ROWS:
        statements = {m.statement for m in chosen}
        instances = group_members(problem, ROWS, statements)
        check = SubproblemCheck(problem, instances, backend, deadline=deadline,
                                use_cores=use_cores and not check.core_timed_out,
                                extra=extra or {}, incremental=incremental,
                                witnesses=check.witnesses.assignments())
        # exactly the constraints just shown infeasible
        shrunk = _run_level(check, reference_seconds, True, stats, "row_level")
        minimal = minimal and shrunk.minimal
        chosen = [instances[m] for m in shrunk.members]
        totals.append(check)
    stats.update(solves=sum(c.solves for c in totals),
                 solver_seconds=sum(c.solver_seconds for c in totals),
                 answered_without_solver=sum(c.free for c in totals),
                 seconds=time.perf_counter() - started, minimal=minimal)
    return Explanation(level, chosen, minimal, stats)


def _run_level(check: SubproblemCheck, reference_seconds: float | None,
               known_infeasible: bool, stats: dict[str, object], key: str) -> Shrunk:
    started = time.perf_counter()
    try:
        if check.use_cores and len(check.members) > _DELETION_UP_TO:
            check.start()  # whether the session names cores decides how shrinking starts
        if check.session is None and check.use_cores and reference_seconds is not None:
            check.core_budget = max(1.0, 4 * reference_seconds)
        shrunk = _shrink(list(range(len(check.members))), check, known_infeasible)
    finally:
        session = type(check.session).__name__ if check.session else None
        check.close()
    stats[key] = {"candidates": len(check.members), "solves": check.solves,
                  "answered_without_solver": check.free,
                  "session": session,
                  "session_seconds": check.session_seconds,
                  "seconds": time.perf_counter() - started}
    return shrunk


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


def _shrink(members: Sequence[object], check: SubproblemCheck,
            known_infeasible: bool) -> Shrunk:
    """A minimal infeasible subset of `members`. On the re-solve path cores only narrow a
    large start: each solve that tracks every constraint costs more than a plain one, and
    with a handful of members plain deletion needs no more solves than the core would save.
    A session that names cores with every answer (Z3's) keeps them for the deletion."""
    everything = list(range(len(members)))
    if known_infeasible:
        check.know_infeasible(everything)
    start = everything
    claimed = False
    if check.use_cores and len(everything) > _DELETION_UP_TO:
        check.forget(everything)  # this solve is for its core
        first = check(everything)
        if first.answer is Answer.INFEASIBLE and first.core:
            start = [m for m in everything if m in first.core]
            claimed = True
        elif first.answer is Answer.FEASIBLE:
            _satisfiable()
    if check.session is None or not check.session.gives_cores:
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
