"""The backend protocol: capabilities as data, a status model, and the registry.

A backend turns a ground problem (`csql.ir.ground`) into a solver call and an assignment.
What it can express natively is declared as class-level data so that the lowering passes
(`csql.rewrites`) can decompose the rest before emission and so that a construct it cannot
take is refused with a clear `UnsupportedError`, never answered wrongly. Built-in backends are
registered through the `csql.backends` entry-point group exactly like third-party ones.
"""

from __future__ import annotations

import abc
import difflib
import time
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import metadata

from csql.ir import ground as g
from csql.ir.errors import BackendUnavailable, SolverError


class Status(StrEnum):
    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"  # a solution; optimality not proven (e.g. the time limit was hit)
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"  # no solution found within the limits

    @property
    def has_solution(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE)


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a backend takes natively. Node types are ground-IR classes."""

    native: frozenset[type] = frozenset()  # node types it emits directly
    reifiable: frozenset[type] = frozenset()  # of those, the ones it takes below the top level
    optimisation: bool = True
    var_times_var: bool = True
    cores: bool = False  # unsat cores through assumptions / tracked assertions
    hints: bool = False  # warm-start values
    parallel: bool = False  # several worker threads
    enumeration: bool = False  # all solutions
    max_int_bits: int = 64

    def describe(self) -> dict[str, object]:
        return {
            "native": sorted(t.__name__ for t in self.native),
            "reifiable": sorted(t.__name__ for t in self.reifiable),
            "optimisation": self.optimisation,
            "var_times_var": self.var_times_var,
            "cores": self.cores,
            "hints": self.hints,
            "parallel": self.parallel,
            "enumeration": self.enumeration,
        }


@dataclass(slots=True)
class SolveOptions:
    time_limit: float | None = None  # seconds, end to end
    workers: int = 1
    use_hints: bool = True
    want_core: bool = False  # track hard constraints so an INFEASIBLE answer names a core
    seed: int = 0
    extra: dict[str, object] = field(default_factory=dict)  # backend-specific parameters


@dataclass(slots=True)
class BackendResult:
    status: Status
    assignment: dict[int, int] | None = None  # variable index -> value
    objective: int | None = None
    bound: float | None = None
    # on INFEASIBLE with want_core: indices into problem.constraints of an unsatisfiable subset
    core: list[int] | None = None
    timings: dict[str, float] = field(default_factory=dict)  # lowering, emission, solver, ...
    stats: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Availability:
    ok: bool
    version: str = ""
    reason: str = ""


class Backend(abc.ABC):
    """Base class. Subclasses set `name`, `capabilities`, and implement `available` and
    `_solve`; `solve` adds timing and checks common preconditions."""

    name: str = ""
    capabilities: Capabilities = Capabilities()
    sub_solver: str | None = None

    def __init__(self, sub_solver: str | None = None) -> None:
        self.sub_solver = sub_solver

    @classmethod
    @abc.abstractmethod
    def available(cls) -> Availability:
        """Whether the solver library can be imported here; never raises."""

    def solve(self, problem: g.Problem, options: SolveOptions | None = None) -> BackendResult:
        options = options or SolveOptions()
        availability = self.available()
        if not availability.ok:
            raise BackendUnavailable(
                f"backend '{self.name}' is not available here: {availability.reason}",
                hint=f"install it with: pip install 'csql[{self.name}]'",
            )
        started = time.perf_counter()
        result = self._solve(problem, options)
        result.timings.setdefault("total", time.perf_counter() - started)
        return result

    @abc.abstractmethod
    def _solve(self, problem: g.Problem, options: SolveOptions) -> BackendResult:
        """Encode, run the solver, and map its answer to a `BackendResult`."""

    def export(self, problem: g.Problem) -> tuple[str, str]:
        """The backend's encoding as text and the file suffix it is usually saved with."""
        raise SolverError(f"backend '{self.name}' cannot export its encoding")


ENTRY_POINT_GROUP = "csql.backends"


def _entry_points() -> dict[str, metadata.EntryPoint]:
    return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}


_BUILTIN = {
    "cpsat": "csql.backends.cpsat:CpSatBackend",
    "minizinc": "csql.backends.minizinc:MiniZincBackend",
    "ilp": "csql.backends.ilp:IlpBackend",
    "smt": "csql.backends.smt:Z3Backend",
}


def registered() -> dict[str, str]:
    """Backend name -> 'module:Class', from entry points, with the built-ins as a fallback for
    a source checkout that was not installed."""
    found = {name: ep.value for name, ep in _entry_points().items()}
    for name, target in _BUILTIN.items():
        found.setdefault(name, target)
    return found


def get_backend(spec: str) -> Backend:
    """`name` or `name:sub_solver` (e.g. `ilp:cbc`) -> a backend instance."""
    name, _, sub = spec.partition(":")
    name = name.strip().lower()
    targets = registered()
    if name not in targets:
        close = difflib.get_close_matches(name, list(targets), n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(sorted(targets))}"
        raise BackendUnavailable(f"unknown backend '{name}'", hint=hint)
    module_name, _, class_name = targets[name].partition(":")
    import importlib

    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise BackendUnavailable(
            f"backend '{name}' is registered as {targets[name]} but cannot be loaded: {exc}",
            hint="reinstall the package that provides it") from exc
    return cls(sub or None)
