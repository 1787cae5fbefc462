"""A CP-SAT model of every hard constraint, each group behind a literal, re-solved per check.

An explanation asks dozens of "are these groups satisfiable together?" questions about one
problem. Building a CP-SAT model per question costs a full encoding each time (about half a
second per check on 1,000 VMs x 200 machines); here the model is built once, with one
literal per group enforcing that group's constraints, and each check fixes the literals'
domains: 1 for the groups in force, 0 for the others. CP-SAT's presolve then drops the
switched-off constraints as if they had never been posted, so a check answers exactly the
question a fresh sub-problem would.

The literals are fixed rather than passed as assumptions on purpose: with assumptions CP-SAT
must keep every feasible solution through presolve, and on the pinned load-balancing program
at 1,000 VMs that turned a 1.5 s infeasibility proof into a time-out after 60 s, small core or
not. The session therefore gives no cores; the shrinkers get by with plain answers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

from csql.ir import ground as g

from .base import BackendResult, CheckSession, SolveOptions, Status, blame_statement

# Globals CP-SAT only takes at the top level: under a group's literal they are decomposed
# (all_different into pairwise disequalities), which beyond this many arguments costs more
# than re-encoding sub-problems saves, so no session is offered.
_TOP_LEVEL_ONLY = (g.AllDifferent, g.Table, g.BinPacking)
_DECOMPOSED_ARGS_LIMIT = 40


def open_session(problem: g.Problem, groups: Sequence[Sequence[int]],
                 options: SolveOptions) -> CheckSession | None:
    for constraint in problem.constraints:
        expr = constraint.expr
        if isinstance(expr, _TOP_LEVEL_ONLY):
            size = len(getattr(expr, "args", ()) or getattr(expr, "assignment", ()))
            if size > _DECOMPOSED_ARGS_LIMIT:
                return None
    from .cpsat_encode import OutOfTime

    try:
        return CpSatSession(problem, groups, options)
    except OutOfTime:
        return None  # the time left does not even build the model: the checks re-solve


class CpSatSession(CheckSession):
    gives_cores = False

    def __init__(self, problem: g.Problem, groups: Sequence[Sequence[int]],
                 options: SolveOptions) -> None:
        from .cpsat_encode import CpSatEncoder
        from .cpsat_post import post

        started = time.perf_counter()
        self.problem = problem
        self.options = options
        deadline = None if options.time_limit is None else started + options.time_limit
        self.encoder = CpSatEncoder(problem, deadline)
        self.switches: list[int] = []  # CP-SAT index of each group's literal
        for k, group in enumerate(groups):
            self.encoder.check_time()
            literal = self.encoder.new_bool(f"group_{k}")
            self.switches.append(literal.index)
            for i in group:
                constraint = problem.constraints[i]
                with blame_statement(constraint.provenance):
                    post(self.encoder, constraint.expr, (literal,))
        self.encode_seconds = time.perf_counter() - started

    def check(self, enabled: Sequence[int], time_limit: float | None) -> BackendResult:
        from ortools.sat.python import cp_model

        from .cpsat import _parameters_text  # the one place SatParameters are checked

        on = set(enabled)
        variables = self.encoder.model.proto.variables
        for k, index in enumerate(self.switches):
            domain = variables[index].domain
            domain.clear()
            domain.extend([1, 1] if k in on else [0, 0])
        solver = cp_model.CpSolver()
        options = SolveOptions(time_limit=time_limit, workers=1, use_hints=False,
                               seed=self.options.seed, extra=dict(self.options.extra))
        solver.parameters.merge_text_format(
            _parameters_text(options, time_limit, core_mode=False))
        watchdog = None
        if time_limit is not None:
            # CP-SAT can overrun max_time_in_seconds by seconds in presolve on big models
            watchdog = threading.Timer(max(0.0, time_limit) + 0.05, solver.stop_search)
            watchdog.daemon = True
            watchdog.start()
        started = time.perf_counter()
        try:
            code = solver.solve(self.encoder.model)
        finally:
            if watchdog is not None:
                watchdog.cancel()
        result = BackendResult(status=Status.UNKNOWN,
                               timings={"solver": time.perf_counter() - started},
                               stats={"cpsat_status": code.name})
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            result.status = Status.OPTIMAL
            result.assignment = _values(solver, self.encoder.vars, self.problem)
        elif code == cp_model.INFEASIBLE:
            result.status = Status.INFEASIBLE
        return result

    def close(self) -> None:
        self.encoder = None  # type: ignore[assignment]


def _values(solver: Any, cp_vars: list[Any], problem: g.Problem) -> dict[int, int]:
    return {v.index: int(solver.value(cp_vars[v.index])) for v in problem.variables}
