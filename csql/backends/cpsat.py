"""The OR-Tools CP-SAT backend.

CP-SAT is csql's default solver: a lazy-clause-generation CP/SAT solver with a portfolio of
parallel workers, native int64 arithmetic, and assumption-based unsat cores. The encoding of
each ground-IR node lives in `cpsat_encode` (expressions) and `cpsat_post` (hard
constraints); this module owns the solver call: parameters, hints, the time limit, status
mapping, core extraction and export.
"""

from __future__ import annotations

import difflib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from csql.ir import ground as g
from csql.ir.errors import SolverError
from csql.ir.ground_eval import in_domain

from .base import (
    Availability,
    Backend,
    BackendResult,
    Capabilities,
    SolveOptions,
    Status,
    blame_statement,
)

# Globals that CP-SAT cannot put under an enforcement literal; the encoder decomposes them
# when they are not at the top level, so they are native but not reifiable.
_TOP_LEVEL_ONLY = frozenset({g.AllDifferent, g.Table, g.BinPacking})

# Above this many CP-SAT variables presolve is kept light: its symmetry detection and probing
# took the whole time limit on 50,000 assignment literals (100 machines x 500 VMs) before any
# solution was reported; a complete hint is then reported right after presolve.
_LARGE_MODEL = 20_000


# Under a time limit, presolve probing can use all of it: on a Kubernetes batch of 50 pods x
# 231 nodes (18,000 CP-SAT variables, 2-core machine) probing took 2.0 s of a 5 s limit after
# 2.3 s of other presolve, and the search never started. Two bounds keep time for the search:
# probing gets at most this share of the remaining time (as deterministic time, which CP-SAT
# calibrates to roughly seconds), and it is switched off (as DCM always does) when the
# estimated probing time, about this many seconds per variable, exceeds that share.
_PROBING_SHARE = 0.1
_PROBING_SECONDS_PER_VARIABLE = 1e-4

# CP-SAT reads and copies its model before it looks at a stop request: about a microsecond
# per variable here (7 s for 5 million assignment literals). With less time left than that
# the solve is not started at all, rather than overrunning the limit by that much.
_LOAD_SECONDS_PER_VARIABLE = 1e-6


class _OutOfTime(Exception):
    """The deadline passed before the solver could start."""


@dataclass(slots=True)
class _Encoded:
    encoder: Any  # CpSatEncoder
    objective: Any  # OR-Tools expression (or int) of the objective, None without one
    assumptions: dict[int, int]  # CP-SAT literal index -> index into problem.constraints
    seconds: float
    hinted: str = "none"  # "complete", "partial" or "none"


class CpSatBackend(Backend):
    """Ground problems solved with OR-Tools CP-SAT, in process."""

    name = "cpsat"
    capabilities = Capabilities(
        native=frozenset(g.EXPR_TYPES),
        reifiable=frozenset(g.EXPR_TYPES) - _TOP_LEVEL_ONLY,
        optimisation=True,
        var_times_var=True,
        cores=True,
        hints=True,
        parallel=True,
        enumeration=False,
        max_int_bits=63,  # CP-SAT domains live in [-(2**63-1)/2, (2**63-1)/2]
    )

    @classmethod
    def available(cls) -> Availability:
        try:
            import ortools
            from ortools.sat.python import cp_model  # noqa: F401
        except Exception as exc:  # any import failure means "not here", never a crash
            return Availability(False, reason=f"ortools cannot be imported: {exc}")
        return Availability(True, version=f"ortools {getattr(ortools, '__version__', '?')}")

    # ---- encoding -------------------------------------------------------------------------

    def _encode(self, problem: g.Problem, options: SolveOptions, *, with_assumptions: bool,
                deadline: float | None = None, placement: dict[int, int] | None = None,
                ) -> _Encoded:
        from .cpsat_encode import CpSatEncoder, OutOfTime
        from .cpsat_post import post

        started = time.perf_counter()
        try:
            enc = CpSatEncoder(problem, deadline)
        except OutOfTime as exc:
            raise _OutOfTime from exc
        assumptions: dict[int, int] = {}
        for i, constraint in enumerate(problem.constraints):
            if deadline is not None and time.perf_counter() > deadline:
                raise _OutOfTime
            with blame_statement(constraint.provenance), _out_of_time():
                if with_assumptions:
                    lit = enc.new_bool(f"assume_{i}")
                    assumptions[lit.index] = i
                    post(enc, constraint.expr, (lit,))
                else:
                    post(enc, constraint.expr)
        objective = None
        if with_assumptions:
            enc.model.add_assumptions([enc.cp_var(i) for i in assumptions])
        elif problem.objective:
            parts = []
            for term in problem.objective:
                with blame_statement(term.provenance), _out_of_time():
                    parts.append((1, enc.linear(term.expr)))
            with blame_statement(problem.objective[0].provenance):
                total = enc.lin.combine(parts)
            objective = enc.expr(total)
            if not total.is_constant:
                enc.model.maximize(objective)
        hinted = "none"
        if options.use_hints:
            hinted = _add_hints(enc, problem, placement or {})
        return _Encoded(enc, objective, assumptions, time.perf_counter() - started, hinted)

    def export(self, problem: g.Problem) -> tuple[str, str]:
        """The CpModelProto in protobuf text format (what `CpModel.export_to_file` writes)."""
        encoded = self._encode(problem, SolveOptions(use_hints=False), with_assumptions=False)
        return str(encoded.encoder.model.proto), ".pb.txt"

    # ---- solving --------------------------------------------------------------------------

    def _solve(self, problem: g.Problem, options: SolveOptions) -> BackendResult:
        from .cpsat_greedy import greedy_placement

        started = time.perf_counter()
        deadline = None if options.time_limit is None else started + options.time_limit
        placement = _guess(problem, greedy_placement(problem)) if options.use_hints else {}
        placed = time.perf_counter() - started
        try:
            if options.want_core:
                result = self._solve_for_core(problem, options, deadline)
                # A feasible pure satisfaction problem is already answered; with an objective
                # the tracked model (which has none) only proved feasibility, so optimise too.
                if not (result.status.has_solution and problem.objective):
                    return result
            encoded = self._encode(problem, options, with_assumptions=False,
                                   deadline=deadline, placement=placement)
            result = self._run(problem, encoded, options, deadline, core_mode=False)
        except _OutOfTime:
            result = BackendResult(status=Status.UNKNOWN, timings={
                "emission": time.perf_counter() - started - placed},
                stats={"stopped": "the time limit left no time to build and solve the "
                                  "CP-SAT model"})
        result.timings["greedy"] = placed
        if not result.status.has_solution and result.status != Status.INFEASIBLE:
            _fall_back_to_placement(problem, placement, result)
        return result

    def _solve_for_core(self, problem: g.Problem, options: SolveOptions,
                        deadline: float | None) -> BackendResult:
        encoded = self._encode(problem, options, with_assumptions=True, deadline=deadline)
        return self._run(problem, encoded, options, deadline, core_mode=True)

    def _run(self, problem: g.Problem, encoded: _Encoded, options: SolveOptions,
             deadline: float | None, *, core_mode: bool) -> BackendResult:
        from ortools.sat.python import cp_model

        solver = cp_model.CpSolver()
        model = encoded.encoder.model
        remaining = None if deadline is None else deadline - time.perf_counter()
        if remaining is not None and (
                remaining <= len(model.proto.variables) * _LOAD_SECONDS_PER_VARIABLE):
            raise _OutOfTime
        solver.parameters.merge_text_format(
            _parameters_text(options, remaining, core_mode, len(model.proto.variables)))
        started = time.perf_counter()
        # CP-SAT checks max_time_in_seconds only between phases and can overrun it by
        # seconds on big models (presolve); a timer asks it to stop at the deadline too.
        watchdog = None
        if remaining is not None:
            watchdog = threading.Timer(remaining + 0.05, solver.stop_search)
            watchdog.daemon = True
            watchdog.start()
        try:
            code = solver.solve(model)
        finally:
            if watchdog is not None:
                watchdog.cancel()
        solver_seconds = time.perf_counter() - started
        result = BackendResult(
            status=Status.UNKNOWN,
            timings={"emission": encoded.seconds, "solver": solver_seconds},
            stats={
                "branches": solver.num_branches,
                "conflicts": solver.num_conflicts,
                "wall_time": solver.wall_time,
                "cpsat_variables": len(model.proto.variables),
                "cpsat_constraints": len(model.proto.constraints),
                "cpsat_status": code.name,
                "hint": encoded.hinted,
            },
        )
        if code == cp_model.MODEL_INVALID:
            raise SolverError(
                f"CP-SAT rejected the model csql built: {model.validate()}",
                hint="this is a bug in csql's CP-SAT encoding; please report it with "
                     "the output of `csql export --backend cpsat`",
            )
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            has_objective = encoded.objective is not None
            proven = code == cp_model.OPTIMAL
            result.status = Status.OPTIMAL if proven else Status.FEASIBLE
            result.assignment = {
                v.index: int(solver.value(encoded.encoder.vars[v.index]))
                for v in problem.variables
            }
            if has_objective:
                result.objective = int(solver.value(encoded.objective))
                result.bound = (float(result.objective) if proven or isinstance(
                    encoded.objective, int) else float(solver.best_objective_bound))
        elif code == cp_model.INFEASIBLE:
            result.status = Status.INFEASIBLE
            if core_mode:
                found = solver.sufficient_assumptions_for_infeasibility()
                # or-tools #5141: a returned index may not be one of our assumptions
                result.core = sorted({encoded.assumptions[i] for i in found
                                      if i in encoded.assumptions})
        return result


@contextmanager
def _out_of_time() -> Iterator[None]:
    from .cpsat_encode import OutOfTime

    try:
        yield
    except OutOfTime as exc:
        raise _OutOfTime from exc


def _add_hints(enc: Any, problem: g.Problem, placement: dict[int, int]) -> str:
    """Hint the database's values and the greedy placement; when every CP-SAT variable's
    value follows from them, hint all of them, so CP-SAT can take the hint as a first
    solution (it only does so for a complete hint)."""
    from .cpsat_bulk import complete_hint

    values = placement or _database_hints(problem)
    if not values:
        return "none"
    if len(values) == len(problem.variables):
        full = complete_hint(enc, values)
        if full is not None:
            hint = enc.model.proto.solution_hint
            hint.vars.extend(range(len(full)))
            hint.values.extend(full)
            return "complete"
    for index, value in values.items():
        enc.model.add_hint(enc.vars[index], value)
    return "partial"


def _database_hints(problem: g.Problem) -> dict[int, int]:
    values: dict[int, int] = {}
    for index, value in problem.hints.items():
        if 0 <= index < len(problem.variables) and in_domain(problem.variables[index],
                                                                  int(value)):
            values[index] = int(value)
    return values


def _guess(problem: g.Problem, placement: dict[int, int]) -> dict[int, int]:
    """A value for every variable: the greedy placement, else what the database stores, else
    the smallest value of the domain. Empty when there is no placement to build on."""
    if not placement:
        return {}
    guess = _database_hints(problem)
    guess.update(placement)
    for var in problem.variables:
        if var.index not in guess:
            if var.values is not None:
                if not var.values:
                    return {}
                guess[var.index] = var.values[0]
            else:
                guess[var.index] = var.lb
    return guess


def _fall_back_to_placement(problem: g.Problem, placement: dict[int, int],
                            result: BackendResult) -> None:
    """When CP-SAT found nothing in time, answer with the greedy placement if the ground
    evaluator confirms it satisfies every hard constraint (a FEASIBLE answer, found by csql's
    heuristic rather than by the solver; `stats["solution_source"]` says which)."""
    from .cpsat_greedy import check_placement

    if not placement:
        return
    objective = check_placement(problem, placement)
    if objective is None:
        return
    result.status = Status.FEASIBLE
    result.assignment = dict(placement)
    if problem.objective:
        result.objective = objective
    result.stats["solution_source"] = "greedy placement"


def _parameters_text(options: SolveOptions, remaining: float | None, core_mode: bool,
                     variables: int = 0) -> str:
    """SatParameters in text format, built through the protobuf class so that every name and
    value is checked against the real schema (unknown names get a suggestion). `variables`
    is the size of the CP-SAT model, which decides how much presolve it can afford."""
    from google.protobuf import text_format
    from ortools.sat import sat_parameters_pb2

    params = sat_parameters_pb2.SatParameters()
    if remaining is not None:
        params.max_time_in_seconds = remaining
    if options.workers < 0:
        raise SolverError(f"workers must be 0 (all cores) or more, not {options.workers}")
    # assumptions (and so cores) need a single worker
    params.num_workers = 1 if core_mode else options.workers
    params.random_seed = options.seed
    if core_mode:
        # or-tools #2649: presolve may drop assumption literals unless told to keep them
        params.keep_all_feasible_solutions_in_presolve = True
    if remaining is not None and not core_mode:
        share = _PROBING_SHARE * remaining
        params.presolve_probing_deterministic_time_limit = max(share, 0.01)
        if variables * _PROBING_SECONDS_PER_VARIABLE > share:
            params.cp_model_probing_level = 0
    if variables > _LARGE_MODEL:
        params.symmetry_level = 0
        params.cp_model_probing_level = 0
        params.max_presolve_iterations = 1
        params.find_big_linear_overlap = False  # 1.4 s of 4 on 100 machines x 500 VMs
    fields = params.DESCRIPTOR.fields_by_name
    for name, value in options.extra.items():
        if name not in fields:
            close = difflib.get_close_matches(name, list(fields), n=1)
            raise SolverError(
                f"unknown CP-SAT parameter '{name}'",
                hint=f"did you mean '{close[0]}'?" if close
                else "see ortools/sat/sat_parameters.proto for the parameter names",
            )
        try:
            if isinstance(value, (list, tuple)):
                getattr(params, name).extend(value)
            else:
                setattr(params, name, value)
        except (TypeError, ValueError, AttributeError) as exc:
            raise SolverError(
                f"CP-SAT parameter '{name}' cannot take the value {value!r}: {exc}") from exc
    return text_format.MessageToString(params)
