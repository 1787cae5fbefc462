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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import metadata

from csql.ir import ground as g
from csql.ir.errors import BackendUnavailable, SolverError, UnsupportedError
from csql.ir.span import Span


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
        """Plain data (JSON-ready) for `csql backends`, the capability matrix and tests."""
        return {
            "native": sorted(t.__name__ for t in self.native),
            "reifiable": sorted(t.__name__ for t in self.reifiable),
            "optimisation": self.optimisation,
            "var_times_var": self.var_times_var,
            "cores": self.cores,
            "hints": self.hints,
            "parallel": self.parallel,
            "enumeration": self.enumeration,
            "max_int_bits": self.max_int_bits,  # 0: unbounded integers
        }

    def first_unsupported(self, problem: g.Problem) -> tuple[type, g.Provenance] | None:
        """The first node type of the problem this backend does not take natively, with the
        provenance of the constraint or objective term it occurs in; None when all are.

        For a backend to call on the problem it is about to emit (after its own lowering),
        so that a construct it cannot express is refused through its declared capabilities,
        never answered wrongly."""
        from csql.ir.ground_eval import unique_nodes

        seen: set[int] = set()
        seen_tuples: set[int] = set()
        roots = [(c.expr, c.provenance) for c in problem.constraints]
        roots += [(t.expr, t.provenance) for t in problem.objective]
        for root, provenance in roots:
            for e in unique_nodes(root, seen, seen_tuples):
                if type(e) not in self.native:
                    return type(e), provenance
        return None


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


class CheckSession(abc.ABC):
    """The hard constraints of one problem encoded once, in groups that each check switches
    on or off: "are these groups satisfiable together?" without building a model per
    question. Explanations ask dozens of such questions about one problem; a backend whose
    solver can re-solve one model under other assumptions offers a session
    (`Backend.open_session`), the others are asked through `Backend.solve` of sub-problems.

    A check has no objective. Its answer is a `BackendResult`: the status, on a solution the
    assignment (variable index -> value, for every variable), and on INFEASIBLE, when the
    session `gives_cores`, `core` as positions of groups that are infeasible already."""

    gives_cores: bool = False

    @abc.abstractmethod
    def check(self, enabled: Sequence[int], time_limit: float | None) -> BackendResult:
        """Solve with exactly the groups at these positions in force."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the solver's memory early (a session is also freed with its object)."""


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

    def require_available(self) -> None:
        """`BackendUnavailable` with the reason unless the solver library loads here. A
        long-running caller (the k8s scheduler) calls it at start, so that importing the
        library is not paid inside the first solve's time limit."""
        availability = self.available()
        if not availability.ok:
            raise BackendUnavailable(
                f"backend '{self.name}' is not available here: {availability.reason}",
                hint=f"install it with: pip install 'csql[{self.name}]'",
            )

    def solve(self, problem: g.Problem, options: SolveOptions | None = None) -> BackendResult:
        started = time.perf_counter()
        options = options or SolveOptions()
        self.require_available()
        result = self._solve(problem, options)
        result.timings.setdefault("total", time.perf_counter() - started)
        return result

    @abc.abstractmethod
    def _solve(self, problem: g.Problem, options: SolveOptions) -> BackendResult:
        """Encode, run the solver, and map its answer to a `BackendResult`."""

    def open_session(self, problem: g.Problem, groups: Sequence[Sequence[int]],
                     options: SolveOptions) -> CheckSession | None:
        """A `CheckSession` over `groups` (each a list of indices into problem.constraints),
        or None when this backend re-solves sub-problems instead. A subclass offers one by
        overriding this; the built-in backends' sessions are looked up in
        `_BUILTIN_SESSIONS` by their exact class, so a subclass that changes the encoding
        does not inherit a session built for its parent's."""
        import importlib

        target = _BUILTIN_SESSIONS.get(f"{type(self).__module__}:{type(self).__qualname__}")
        if target is None:
            return None
        module_name, _, function = target.partition(":")
        opener = getattr(importlib.import_module(module_name), function)
        return opener(problem, groups, options)

    def export(self, problem: g.Problem) -> tuple[str, str]:
        """The backend's encoding as text and the file suffix it is usually saved with."""
        raise SolverError(f"backend '{self.name}' cannot export its encoding")

    def refuse_unsupported(self, problem: g.Problem) -> None:
        """Raise `UnsupportedError` (with the statement's span) for the first construct of
        the problem outside `capabilities.native`."""
        found = self.capabilities.first_unsupported(problem)
        if found is None:
            return
        node_type, provenance = found
        span = provenance.span if isinstance(provenance.span, Span) else None
        where = f" (in {provenance.statement})" if provenance.statement else ""
        raise UnsupportedError(
            f"backend '{self.name}' cannot express {node_type.__name__}{where}",
            span, backend=self.name, construct=node_type.__name__,
            hint="choose a backend that declares it (`csql backends` lists them)")


# exact backend class -> "module:function(problem, groups, options) -> CheckSession | None"
_BUILTIN_SESSIONS = {
    "csql.backends.cpsat:CpSatBackend": "csql.backends.cpsat_session:open_session",
    "csql.backends.smt:Z3Backend": "csql.backends.smt_session:open_session",
}

ENTRY_POINT_GROUP = "csql.backends"


def _entry_points() -> dict[str, metadata.EntryPoint]:
    try:
        return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}
    except Exception:  # a broken distribution's metadata must not break `import csql`
        return {}


_BUILTIN = {
    "cpsat": "csql.backends.cpsat:CpSatBackend",
    "minizinc": "csql.backends.minizinc:MiniZincBackend",
    "ilp": "csql.backends.ilp:IlpBackend",
    "smt": "csql.backends.smt:Z3Backend",
}


def registered() -> dict[str, str]:
    """Backend name -> 'module:Class', from the `csql.backends` entry points (the built-ins
    and any installed plugin), with the built-ins as a fallback for a source checkout that
    was not installed. Sorted by name."""
    found = {name.lower(): ep.value for name, ep in _entry_points().items()}
    for name, target in _BUILTIN.items():
        found.setdefault(name, target)
    return dict(sorted(found.items()))


def parse_spec(spec: str) -> tuple[str, str | None]:
    """`name` or `name:sub_solver` (e.g. `ilp:cbc`, `minizinc:gecode`) -> (name, sub)."""
    name, _, sub = spec.partition(":")
    return name.strip().lower(), (sub.strip() or None)


def backend_class(name: str) -> type[Backend]:
    """The class registered under `name`; `BackendUnavailable` (with the reason) when the
    name is unknown or its module cannot be imported."""
    import importlib

    targets = registered()
    if name not in targets:
        close = difflib.get_close_matches(name, list(targets), n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(targets)}"
        raise BackendUnavailable(f"unknown backend '{name}'", hint=hint)
    module_name, _, class_name = targets[name].partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except Exception as exc:  # ImportError, AttributeError, or any error the module raises
        raise BackendUnavailable(
            f"backend '{name}' ({targets[name]}) cannot be loaded: "
            f"{type(exc).__name__}: {exc}",
            hint="reinstall the package that provides it, or choose another backend",
        ) from exc
    if not (isinstance(cls, type) and issubclass(cls, Backend)):
        raise BackendUnavailable(
            f"backend '{name}' ({targets[name]}) is not a csql.backends.base.Backend subclass",
            hint="a plugin's entry point must name its Backend class")
    return cls


def get_backend(spec: str) -> Backend:
    """`name` or `name:sub_solver` (e.g. `ilp:cbc`) -> a backend instance."""
    name, sub = parse_spec(spec)
    return backend_class(name)(sub)


def availability(name: str) -> Availability:
    """Whether a registered backend can run here. Never raises: a module that cannot be
    imported, or an `available()` that fails, gives ok=False with the reason."""
    try:
        cls = backend_class(name)
    except BackendUnavailable as exc:
        return Availability(False, reason=exc.message)
    try:
        found = cls.available()
    except Exception as exc:  # a plugin's bug must not break `csql backends`
        return Availability(False, reason=f"available() failed: {type(exc).__name__}: {exc}")
    if not isinstance(found, Availability):
        return Availability(False, reason=f"available() returned {found!r}, not Availability")
    return found


@dataclass(frozen=True, slots=True)
class BackendInfo:
    """One row of `csql backends`: what is registered, whether it runs, what it declares."""

    name: str
    target: str
    available: bool
    version: str
    reason: str
    capabilities: dict[str, object] | None  # None when the class cannot be loaded

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "target": self.target, "available": self.available,
                "version": self.version, "reason": self.reason,
                "capabilities": self.capabilities}


def describe_backends() -> list[BackendInfo]:
    """Every registered backend, available or not, in name order; never raises."""
    out: list[BackendInfo] = []
    for name, target in registered().items():
        found = availability(name)
        try:
            capabilities: dict[str, object] | None = backend_class(name).capabilities.describe()
        except Exception:  # the reason is already in `found`
            capabilities = None
        out.append(BackendInfo(name, target, found.ok, found.version, found.reason,
                               capabilities))
    return out


@contextmanager
def blame_statement(provenance: g.Provenance) -> Iterator[None]:
    """Point a refusal raised while encoding one constraint (a bound outside the solver's
    range, an int64 overflow) at the C-SQL statement and instance it was grounded from."""
    try:
        yield
    except UnsupportedError as exc:
        if exc.span is None and isinstance(provenance.span, Span):
            exc.span = provenance.span
        if provenance.statement and provenance.statement not in exc.message:
            exc.message = f"{exc.message} (in {provenance.statement} {dict(provenance.key)})"
            exc.args = (exc.message,)
        raise
