"""The MiniZinc backend: a `.mzn` model text run by the `minizinc` binary.

What works with Debian bookworm's MiniZinc 2.6.4 and Gecode 6.2.0 (checked by experiment):

* `include "globals.mzn"` with Gecode's library fails (a type error in Gecode's
  `inverse.mzn`); compiling with `-G std` and no include works cleanly. Gecode's native
  propagators are kept by declaring its FlatZinc builtins as bodyless predicates in the model
  (`all_different_int`, `gecode_table_int`, `gecode_table_int_reif`): the flattener passes
  such calls through and `fzn-gecode` posts them (see `minizinc_emit`).
* `--json-stream --statistics` works; `--output-time` does not exist in 2.6.4. Statistics
  arrive as separate messages (`flatTime` from the compiler; `nodes`, `failures`,
  `solveTime`, `initTime`, ... from Gecode) and are merged.
* A satisfaction problem prints one solution and no status message; an optimisation with
  `--intermediate-solutions` prints every improving solution and `OPTIMAL_SOLUTION` once
  proven; an infeasible one prints `UNSATISFIABLE`; a flattening error prints an `error`
  message with the location in the generated model.
* `div` and `mod` truncate toward zero like SQL.
* MiniZinc's integers are 64-bit with overflow detection, Gecode's are within
  ±2147483646; the emitter refuses larger bounds with `UnsupportedError` instead of letting
  `fzn-gecode` fail on the literal.

Other solvers MiniZinc lists (`minizinc --solvers-json`) are selected with
`minizinc:<id>` (full id, last id component, or name); they get `include "globals.mzn"` and
their own library, and 64-bit bounds.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import tempfile
import time
from functools import lru_cache

from csql.ir import ground as g
from csql.ir.errors import BackendUnavailable, SolverError

from .base import Availability, Backend, BackendResult, Capabilities, SolveOptions, Status

DEFAULT_SOLVER = "gecode"
_GECODE_ID = "org.gecode.gecode"
_EXTRA_OPTIONS = ("flags", "free_search", "optimisation_level")


@lru_cache(maxsize=1)
def _binary() -> str | None:
    return shutil.which("minizinc")


@lru_cache(maxsize=1)
def _version() -> str:
    binary = _binary()
    if binary is None:
        return ""
    done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30)
    for word in done.stdout.split():
        if word[:1].isdigit() and word.count(".") >= 1:
            return word.rstrip(",")
    return done.stdout.strip().splitlines()[0] if done.stdout.strip() else "?"


@lru_cache(maxsize=1)
def solvers() -> tuple[dict, ...]:
    """The solver configurations MiniZinc knows (`minizinc --solvers-json`)."""
    binary = _binary()
    if binary is None:
        return ()
    try:
        done = subprocess.run([binary, "--solvers-json"], capture_output=True, text=True,
                              timeout=30)
        if done.returncode == 0:
            return tuple(json.loads(done.stdout))
        reason = done.stderr.strip()
    except (OSError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
        reason = str(exc)
    raise SolverError(f"`minizinc --solvers-json` failed: {reason}",
                      hint="check the MiniZinc installation with `minizinc --solvers`")


def find_solver(name: str) -> dict:
    """A solver configuration by full id, last id component, name, or tag (in that order)."""
    wanted = name.strip().lower()
    known = solvers()
    for match in (
        lambda s: s["id"].lower() == wanted,
        lambda s: s["id"].lower().rsplit(".", 1)[-1] == wanted,
        lambda s: str(s.get("name", "")).lower() == wanted,
        lambda s: wanted in [t.lower() for t in s.get("tags", [])],
    ):
        found = [s for s in known if match(s)]
        if found:
            found.sort(key=lambda s: not s.get("extraInfo", {}).get("isDefault", False))
            return found[0]
    ids = [s["id"] for s in known]
    short = [i.rsplit(".", 1)[-1] for i in ids]
    close = difflib.get_close_matches(wanted, short + ids, n=1)
    hint = f"did you mean 'minizinc:{close[0]}'? " if close else ""
    raise BackendUnavailable(
        f"MiniZinc has no solver '{name}'; available: {', '.join(ids) or 'none'}",
        hint=hint + "list them with `minizinc --solvers`")


class MiniZincBackend(Backend):
    """Ground problems solved through the `minizinc` command line (Gecode by default)."""

    name = "minizinc"
    # The emitter writes every ground-IR node, at the top level and below it: globals without
    # a Gecode propagator, and globals in a reified position, are written as decompositions.
    capabilities = Capabilities(
        native=frozenset(g.EXPR_TYPES),
        reifiable=frozenset(g.EXPR_TYPES),
        optimisation=True,
        var_times_var=True,
        cores=False,
        hints=False,
        parallel=True,  # Gecode accepts -p; other solvers: see their stdFlags
        enumeration=False,
        max_int_bits=32,  # Gecode: |value| <= 2147483646
    )

    def __init__(self, sub_solver: str | None = None) -> None:
        super().__init__(sub_solver or DEFAULT_SOLVER)

    @classmethod
    def available(cls) -> Availability:
        try:
            if _binary() is None:
                return Availability(False, reason="the `minizinc` binary is not on PATH")
            return Availability(True, version=f"MiniZinc {_version()}")
        except Exception as exc:  # a broken installation means "not here", never a crash
            return Availability(False, reason=f"`minizinc --version` failed: {exc}")

    # ---- encoding -------------------------------------------------------------------------

    def _solver(self) -> dict:
        return find_solver(self.sub_solver or DEFAULT_SOLVER)

    def _emit(self, problem: g.Problem, solver: dict):
        from .minizinc_emit import GECODE_LIMIT, INT64_LIMIT, MiniZincEmitter

        gecode = solver["id"] == _GECODE_ID
        emitter = MiniZincEmitter(problem, native_gecode=gecode,
                                  limit=GECODE_LIMIT if gecode else INT64_LIMIT)
        return emitter, emitter.text()

    def export(self, problem: g.Problem) -> tuple[str, str]:
        """The self-contained model; for Gecode compile it with `minizinc -G std`."""
        solver = self._solver() if _binary() is not None else {"id": _GECODE_ID}
        return self._emit(problem, solver)[1], ".mzn"

    # ---- solving --------------------------------------------------------------------------

    def _solve(self, problem: g.Problem, options: SolveOptions) -> BackendResult:
        from .minizinc_run import minizinc_time_limit_ms, run

        started = time.perf_counter()
        deadline = None if options.time_limit is None else started + options.time_limit
        solver = self._solver()
        self.refuse_unsupported(problem)
        emitter, text = self._emit(problem, solver)
        emitted = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="csql-mzn-") as folder:
            path = os.path.join(folder, "model.mzn")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            command = self._command(solver, problem, options, path,
                                    minizinc_time_limit_ms(deadline))
            outcome = run(command, deadline)
        result = BackendResult(
            status=Status.UNKNOWN,
            timings={"emission": emitted - started, "solver": outcome.seconds},
            stats=_stats(outcome, solver),
        )
        if outcome.errors or (outcome.status == "ERROR" and not outcome.killed):
            raise SolverError(_error_text(outcome), hint=(
                "this is likely a bug in csql's MiniZinc encoding; please report it with "
                "the output of `csql export --backend minizinc`"))
        if outcome.solutions:
            last = _parse_solution(outcome.solutions[-1], problem)
            result.assignment = {v.index: last["values"][v.index] for v in problem.variables}
            proven = outcome.status in ("OPTIMAL_SOLUTION", "ALL_SOLUTIONS") or (
                not problem.objective and not outcome.killed and outcome.returncode == 0)
            if problem.objective and emitter.objective_bounds is not None and (
                    emitter.objective_bounds[0] == emitter.objective_bounds[1]):
                proven = proven or not outcome.killed
            result.status = Status.OPTIMAL if proven else Status.FEASIBLE
            if problem.objective:
                result.objective = int(last.get("objective", 0))
                if proven:
                    result.bound = float(result.objective)
        elif outcome.status in ("UNSATISFIABLE", "UNSAT_OR_UNBOUNDED"):
            result.status = Status.INFEASIBLE
        elif not outcome.killed and outcome.returncode not in (0, None) and (
                outcome.status is None):
            raise SolverError(_error_text(outcome))
        return result

    def _command(self, solver: dict, problem: g.Problem, options: SolveOptions, path: str,
                 time_limit_ms: int | None) -> list[str]:
        binary = _binary()
        assert binary is not None
        flags = set(solver.get("stdFlags", []))
        command = [binary, "--solver", solver["id"], "--json-stream", "--statistics"]
        if solver["id"] == _GECODE_ID:
            command += ["-G", "std"]
        if problem.objective and ("-i" in flags or "-a" in flags):
            command.append("--intermediate-solutions")
        if time_limit_ms is not None:
            command += ["--time-limit", str(time_limit_ms)]
        if options.workers != 1 and "-p" in flags:
            workers = options.workers if options.workers > 0 else (os.cpu_count() or 1)
            command += ["-p", str(workers)]
        if options.seed and "-r" in flags:
            command += ["-r", str(options.seed)]
        for key, value in options.extra.items():
            if key not in _EXTRA_OPTIONS:
                close = difflib.get_close_matches(key, _EXTRA_OPTIONS, n=1)
                raise SolverError(
                    f"unknown MiniZinc option '{key}'",
                    hint=f"did you mean '{close[0]}'?" if close
                    else f"known options: {', '.join(_EXTRA_OPTIONS)}")
            if key == "free_search" and value and "-f" in flags:
                command.append("-f")
            elif key == "optimisation_level":
                command.append(f"-O{int(value)}")  # type: ignore[call-overload]
            elif key == "flags":
                command += [str(v) for v in (value if isinstance(value, (list, tuple))
                                             else str(value).split())]
        command.append(path)
        return command


def _parse_solution(output: dict, problem: g.Problem) -> dict:
    text = output.get("default") or output.get("raw") or ""
    try:
        parsed = json.loads(text)
        values = [int(v) for v in parsed["values"]]
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise SolverError(f"cannot read MiniZinc's solution output {text[:200]!r}: {exc}") \
            from exc
    if len(values) != len(problem.variables):
        raise SolverError(f"MiniZinc returned {len(values)} values for "
                          f"{len(problem.variables)} variables")
    parsed["values"] = values
    return parsed


def _stats(outcome, solver: dict) -> dict[str, object]:
    stats: dict[str, object] = {"solver_id": solver["id"],
                                "minizinc_status": outcome.status or "",
                                "solutions_seen": len(outcome.solutions),
                                "watchdog_killed": outcome.killed}
    for key in ("nodes", "failures", "solveTime", "flatTime", "initTime", "propagators",
                "variables", "peakDepth", "restarts", "flatIntVars", "flatIntConstraints",
                "flatBoolVars", "flatBoolConstraints"):
        if key in outcome.statistics:
            stats[key] = outcome.statistics[key]
    if outcome.warnings:
        stats["warnings"] = outcome.warnings[:10]
    return stats


def _error_text(outcome) -> str:
    parts = []
    for error in outcome.errors:
        where = error.get("location", {})
        line = f" (model line {where['firstLine']})" if "firstLine" in where else ""
        parts.append(f"{error.get('what', 'error')}: {error.get('message', '')}{line}")
    stderr = outcome.stderr.strip()
    if stderr:
        parts.append(stderr[-2000:])
    if not parts:
        parts.append(f"minizinc exited with code {outcome.returncode} and no message")
    return "MiniZinc failed: " + "; ".join(parts)
