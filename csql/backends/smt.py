"""The Z3 (SMT) backend.

Z3 is useful next to CP-SAT where a problem is small but logic-heavy or non-linear, and for
unsatisfiable cores: it takes arbitrarily nested terms, unbounded integers and var*var
products directly. It has no propagators for the finite-domain globals beyond `Distinct`, so
bin packing, loads, tables and elements become sums and disjunctions of `If` terms (see
`smt_encode`); on large assignment problems it is far slower than CP-SAT.

This module owns the solver call: `Solver` for satisfaction (and core extraction through
tracked assertions), `Optimize` when there is an objective, the time limit (Z3's `timeout`
parameter plus a watchdog that interrupts the private context, because a `timeout` alone is
not always honoured by `Optimize`), the incumbent kept after an interrupt, and export as
SMT-LIB 2.
"""

from __future__ import annotations

import difflib
import threading
import time
from dataclasses import dataclass
from typing import Any

from csql.ir import ground as g
from csql.ir.errors import SolverError
from csql.ir.ground_eval import in_domain, objective_value, violations

from .base import Availability, Backend, BackendResult, Capabilities, SolveOptions, Status

# Z3_param_kind values (z3consts: Z3_PK_UINT, _BOOL, _DOUBLE, _SYMBOL, _STRING)
_PARAMETER_KINDS = {0: "non-negative integer", 1: "boolean", 2: "number", 3: "name",
                    4: "string"}


def _is_kind(value: object, kind: str) -> bool:
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "non-negative integer":
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, str)


class _OutOfTime(Exception):
    """The deadline passed while the Z3 terms were being built."""


@dataclass(slots=True)
class _Encoded:
    encoder: Any  # Z3Encoder
    background: list[Any]  # domains and side conditions, never part of a core
    constraints: list[Any]  # one term per problem.constraints entry
    objective: Any  # the Z3 term maximised, None without an objective
    seconds: float


class Z3Backend(Backend):
    """Ground problems solved with Z3's SMT solver and its optimiser (νZ), in process."""

    name = "smt"
    capabilities = Capabilities(
        native=frozenset(g.EXPR_TYPES),
        reifiable=frozenset(g.EXPR_TYPES),  # SMT terms nest freely
        optimisation=True,
        var_times_var=True,
        cores=True,
        # set_initial_value works on Solver only, not on Optimize, so the warm start that
        # matters (an objective) is not available: hints are passed where Z3 takes them
        hints=False,
        parallel=False,  # one thread: Z3's parallel mode does not apply to Optimize
        enumeration=False,
        max_int_bits=0,  # unbounded integers
    )

    @classmethod
    def available(cls) -> Availability:
        try:
            import z3
        except Exception as exc:  # any import failure means "not here", never a crash
            return Availability(False, reason=f"z3-solver cannot be imported: {exc}")
        return Availability(True, version=f"z3 {z3.get_version_string()}")

    # ---- encoding -------------------------------------------------------------------------

    def _encode(self, problem: g.Problem, deadline: float | None = None) -> _Encoded:
        """The Z3 terms of the problem; raises `_OutOfTime` when the deadline passes first
        (building the terms of a large problem through Z3's Python API can take longer than
        the limit)."""
        from .smt_encode import Z3Encoder

        started = time.perf_counter()
        enc = Z3Encoder(problem)
        constraints = []
        for c in problem.constraints:
            if deadline is not None and time.perf_counter() > deadline:
                raise _OutOfTime
            constraints.append(enc.bool_term(c.expr))
        objective = None
        if problem.objective:
            if deadline is not None and time.perf_counter() > deadline:
                raise _OutOfTime
            terms = [enc.int_term(t.expr) for t in problem.objective]
            objective = terms[0] if len(terms) == 1 else enc.z3.Sum(terms)
        # side conditions are collected while translating, so they come last
        background = enc.domain_constraints() + enc.side_conditions
        return _Encoded(enc, background, constraints, objective, time.perf_counter() - started)

    def export(self, problem: g.Problem) -> tuple[str, str]:
        """SMT-LIB 2: declarations, domains, constraints, `(maximize ...)`, `(check-sat)`."""
        import z3

        encoded = self._encode(problem)
        ctx = encoded.encoder.ctx
        target: Any = z3.Optimize(ctx=ctx) if encoded.objective is not None else \
            z3.Solver(ctx=ctx)
        target.add(*encoded.background, *encoded.constraints)
        if encoded.objective is not None:
            target.maximize(encoded.objective)
        text = target.sexpr()
        if "(check-sat)" not in text:
            text += "(check-sat)\n"
        header = (f"; csql ground problem: {len(problem.variables)} variables, "
                  f"{len(problem.constraints)} constraints, "
                  f"{len(problem.objective)} objective terms (maximised)\n")
        return header + text, ".smt2"

    # ---- solving --------------------------------------------------------------------------

    def _solve(self, problem: g.Problem, options: SolveOptions) -> BackendResult:
        started = time.perf_counter()
        deadline = None if options.time_limit is None else started + options.time_limit
        try:
            encoded = self._encode(problem, deadline)
        except _OutOfTime:
            return BackendResult(
                status=Status.UNKNOWN, timings={"emission": time.perf_counter() - started},
                stats={"stopped": "the time limit passed while building the Z3 terms"})
        if options.want_core:
            result = self._run_tracked(problem, encoded, options, deadline)
            # With an objective the tracked run only proved feasibility: optimise as well.
            if not (result.status.has_solution and encoded.objective is not None):
                return result
        return self._run(problem, encoded, options, deadline)

    def _configure(self, solver: Any, options: SolveOptions, deadline: float | None) -> None:
        if deadline is not None:
            remaining = max(0.0, deadline - time.perf_counter())
            solver.set("timeout", max(1, int(remaining * 1000)))
        descriptions = solver.param_descrs()
        known = {descriptions.get_name(i) for i in range(descriptions.size())}
        if "random_seed" in known:
            solver.set("random_seed", int(options.seed))
        for name, value in options.extra.items():
            # Z3 checks names only when it solves, with a message listing all 300 of them
            if name not in known and name.partition(".")[2] not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                raise SolverError(
                    f"unknown Z3 parameter '{name}'",
                    hint=f"did you mean '{close[0]}'?" if close
                    else "z3.Solver().help() lists the parameter names")
            key = name if name in known else name.partition(".")[2]
            expected = _PARAMETER_KINDS.get(descriptions.get_kind(key))
            if expected is not None and not _is_kind(value, expected):
                raise SolverError(
                    f"Z3 parameter '{name}' cannot take the value {value!r}",
                    hint=f"it takes a {expected}")
            solver.set(name, value)

    @staticmethod
    def _new_solver(ctx: Any) -> Any:
        """The plain SMT solver, not the default tactic-combining one: the default's
        preprocessing turns the 0/1 load indicators of a capacity check into pseudo-Boolean
        constraints that it could not refute in 20 s on 100 VMs, where the plain solver
        answers INFEASIBLE in half a second; the plain solver also takes initial values."""
        import z3

        return z3.SimpleSolver(ctx=ctx)

    @staticmethod
    def _new_optimizer(ctx: Any) -> Any:
        """`Optimize` without its 0/1-variable elimination (`elim_01`), for the same reason
        (unknown after 60 s on the 100-VM capacity program with it, 0.6 s without); a
        caller's own `elim_01` still wins, as `_configure` applies extras afterwards."""
        import z3

        optimizer = z3.Optimize(ctx=ctx)
        optimizer.set("elim_01", False)
        return optimizer

    def _hint(self, solver: Any, problem: g.Problem, encoded: _Encoded,
              options: SolveOptions) -> None:
        if not options.use_hints or isinstance(solver, encoded.encoder.z3.Optimize):
            return
        z3 = encoded.encoder.z3
        ctx = encoded.encoder.ctx
        for index, value in problem.hints.items():
            if not 0 <= index < len(problem.variables):
                continue
            var = problem.variables[index]
            if not in_domain(var, int(value)):
                continue
            literal = z3.BoolVal(bool(value), ctx) if var.is_bool else z3.IntVal(int(value), ctx)
            solver.set_initial_value(encoded.encoder.vars[index], literal)

    def _check(self, solver: Any, encoded: _Encoded, deadline: float | None) -> tuple[Any, float]:
        """check() under a watchdog that interrupts the private context at the deadline."""
        watchdog = None
        if deadline is not None:
            remaining = max(0.0, deadline - time.perf_counter())
            watchdog = threading.Timer(remaining + 0.1, encoded.encoder.ctx.interrupt)
            watchdog.daemon = True
            watchdog.start()
        started = time.perf_counter()
        try:
            answer = solver.check()
        finally:
            if watchdog is not None:
                watchdog.cancel()
        return answer, time.perf_counter() - started

    def _run_tracked(self, problem: g.Problem, encoded: _Encoded, options: SolveOptions,
                     deadline: float | None) -> BackendResult:
        """A satisfaction run with one tracking literal per hard constraint."""
        import z3

        ctx = encoded.encoder.ctx
        solver = self._new_solver(ctx)
        self._configure(solver, options, deadline)
        solver.set("core.minimize", True)
        solver.add(*encoded.background)
        tracked: dict[str, int] = {}
        for i, term in enumerate(encoded.constraints):
            name = f"csql_constraint_{i}"
            tracked[name] = i
            solver.assert_and_track(term, z3.Bool(name, ctx))
        self._hint(solver, problem, encoded, options)
        answer, seconds = self._check(solver, encoded, deadline)
        result = self._result(encoded, seconds, solver)
        if answer == z3.sat:
            self._take_model(problem, encoded, solver.model(), result, proven=True)
        elif answer == z3.unsat:
            result.status = Status.INFEASIBLE
            result.core = sorted(tracked[str(lit)] for lit in solver.unsat_core())
        else:
            result.stats["z3_reason_unknown"] = solver.reason_unknown()
        return result

    def _run(self, problem: g.Problem, encoded: _Encoded, options: SolveOptions,
             deadline: float | None) -> BackendResult:
        import z3

        ctx = encoded.encoder.ctx
        optimising = encoded.objective is not None
        solver: Any = self._new_optimizer(ctx) if optimising else \
            self._new_solver(ctx)
        self._configure(solver, options, deadline)
        solver.add(*encoded.background, *encoded.constraints)
        handle = solver.maximize(encoded.objective) if optimising else None
        self._hint(solver, problem, encoded, options)
        answer, seconds = self._check(solver, encoded, deadline)
        result = self._result(encoded, seconds, solver)
        if answer == z3.sat:
            self._take_model(problem, encoded, solver.model(), result, proven=True)
            if handle is not None and result.objective is not None:
                result.bound = float(result.objective)
        elif answer == z3.unsat:
            result.status = Status.INFEASIBLE
        else:
            result.stats["z3_reason_unknown"] = solver.reason_unknown()
            if optimising:
                self._take_incumbent(problem, encoded, solver, handle, result)
        return result

    def _result(self, encoded: _Encoded, seconds: float, solver: Any) -> BackendResult:
        stats: dict[str, object] = {"z3_constraints": len(encoded.constraints)}
        try:
            for key, value in solver.statistics():
                if key in ("conflicts", "decisions", "max memory", "rlimit count"):
                    stats[f"z3_{key.replace(' ', '_')}"] = value
        except Exception:  # statistics are a courtesy; an interrupted solver may lack them
            pass
        return BackendResult(status=Status.UNKNOWN, stats=stats,
                             timings={"emission": encoded.seconds, "solver": seconds})

    def _take_model(self, problem: g.Problem, encoded: _Encoded, model: Any,
                    result: BackendResult, *, proven: bool) -> None:
        z3 = encoded.encoder.z3
        assignment: dict[int, int] = {}
        for var, term in zip(problem.variables, encoded.encoder.vars):
            value = model.eval(term, model_completion=True)
            assignment[var.index] = (1 if z3.is_true(value) else 0) if var.is_bool \
                else value.as_long()
        result.status = Status.OPTIMAL if proven else Status.FEASIBLE
        result.assignment = assignment
        if encoded.objective is not None:
            result.objective = model.eval(encoded.objective, model_completion=True).as_long()

    def _take_incumbent(self, problem: g.Problem, encoded: _Encoded, solver: Any,
                        handle: Any, result: BackendResult) -> None:
        """After an interrupted `Optimize`, its last model may be the best found so far
        (Z3 #2087). It is kept only when the ground evaluator confirms it is a solution."""
        try:
            model = solver.model()
        except Exception:  # Z3Exception: no model at all
            return
        candidate = BackendResult(status=Status.UNKNOWN)
        try:
            self._take_model(problem, encoded, model, candidate, proven=False)
            feasible = not violations(problem, candidate.assignment or {})
            value = objective_value(problem, candidate.assignment or {}) if feasible else None
        except (IndexError, AttributeError, ValueError):  # an element index out of range ...
            return
        if not feasible:
            return
        result.status = Status.FEASIBLE
        result.assignment = candidate.assignment
        result.objective = value
        try:
            upper = handle.upper()
            if encoded.encoder.z3.is_int_value(upper):
                result.bound = float(upper.as_long())
        except Exception:  # the bound is optional information (it may be "oo")
            pass
