"""The conformance harness: every case on every available backend, every answer certified.

A case is a C-SQL program with its data and its expectation, written as one `.sql` file so
that a person can add one without Python (format: `conformance/README.md`). The harness does
not trust `Model.solve`'s own certification: it solves with certification off and runs the SQL
oracle itself, in DuckDB and in every other database the case lists, so a wrong answer is
reported as a failing cell with the violations, not as an exception that hides the rest of
the matrix. A backend may refuse a construct only with `UnsupportedError`; anything else it
raises is a failure.
"""

from __future__ import annotations

import ast
import importlib
import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from csql.backends.base import Status, registered
from csql.ir import errors as E

PASS, FAIL, REFUSED, UNAVAILABLE = "pass", "fail", "refused", "unavailable"
DATABASES = ("duckdb", "sqlite", "postgres")
POSTGRES_URL_VARIABLE = "CSQL_TEST_POSTGRES_URL"
_HEADER_KEYS = ("expect", "objective", "solution", "after", "databases", "covers",
                "time_limit")
_DATA_MARKER = "-- @data"
_DATA_LINE = re.compile(r"^-- @data[ \t]*(?:\r?\n|$)", re.MULTILINE | re.IGNORECASE)
DEFAULT_TIME_LIMIT = 20.0


class CaseFormatError(E.CsqlError):
    """A case file that does not follow the format of conformance/README.md."""

    kind = "case format error"


@dataclass
class Case:
    name: str
    program: str
    data: str
    expect: str  # a Status value, or "ERROR"
    error: str | None = None  # the CsqlError subclass name when expect == "ERROR"
    objective: int | None = None
    solution: dict[tuple[str, str], dict[object, object]] = field(default_factory=dict)
    # written back with Solution.apply(), then read from the base table; or the error class
    # apply() must raise
    after: dict[tuple[str, str], dict[object, object]] = field(default_factory=dict)
    after_error: str | None = None
    databases: tuple[str, ...] = ("duckdb",)
    covers: tuple[str, ...] = ()
    time_limit: float = DEFAULT_TIME_LIMIT
    path: str = "<case>"

    def to_text(self) -> str:
        """The case in file form (used to save generated regressions)."""
        lines = [f"-- @expect {self.expect}" + (f" {self.error}" if self.error else "")]
        if self.objective is not None:
            lines.append(f"-- @objective {self.objective}")
        for (table, column), values in self.solution.items():
            lines.append(f"-- @solution {table}.{column} = {values!r}")
        for (table, column), values in self.after.items():
            lines.append(f"-- @after {table}.{column} = {values!r}")
        if self.after_error:
            lines.append(f"-- @after ERROR {self.after_error}")
        lines.append(f"-- @databases {','.join(self.databases)}")
        if self.covers:
            lines.append(f"-- @covers {' '.join(self.covers)}")
        return "\n".join(lines) + "\n" + self.program.strip() + "\n" + _DATA_MARKER + "\n" + \
            self.data.strip() + "\n"


def parse_case(text: str, name: str, path: str = "<case>") -> Case:
    """Header `-- @key value` lines anywhere before `-- @data`; the program is everything
    before that marker (header lines are SQL comments, so line numbers in errors stay right)."""
    found = _DATA_LINE.search(text)
    program, data = (text[:found.start()], text[found.end():]) if found else (text, "")
    case = Case(name=name, program=program, data=data, expect="", path=path)
    for number, line in enumerate(program.splitlines(), start=1):
        stripped = line.strip()
        if not stripped.lower().startswith("-- @"):
            continue
        key, _, value = stripped[4:].partition(" ")
        key, value = key.lower().rstrip(":"), value.strip()
        if key not in _HEADER_KEYS:
            continue  # e.g. `-- @variable_columns(...)`, which belongs to the program
        try:
            _apply_header(case, key, value)
        except (ValueError, SyntaxError) as exc:
            raise CaseFormatError(f"{path}:{number}: bad '@{key}' line: {exc}",
                                  hint="see conformance/README.md for the case format") from exc
    if not case.expect:
        raise CaseFormatError(f"{path}: no '-- @expect' line",
                              hint="add e.g. '-- @expect OPTIMAL' at the top")
    return case


def _apply_header(case: Case, key: str, value: str) -> None:
    if key == "expect":
        word, _, rest = value.partition(" ")
        word = word.upper()
        if word == "ERROR":
            case.expect, case.error = "ERROR", rest.strip() or "CsqlError"
            if not isinstance(getattr(E, case.error, None), type):
                raise ValueError(f"unknown error class '{case.error}'")
        elif word in Status.__members__:
            case.expect = word
        else:
            raise ValueError(f"'{word}' is not OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN or ERROR")
    elif key == "objective":
        case.objective = int(value)
    elif key == "after" and value.upper().startswith("ERROR"):
        case.after_error = value[5:].strip() or "CsqlError"
        if not isinstance(getattr(E, case.after_error, None), type):
            raise ValueError(f"unknown error class '{case.after_error}'")
    elif key in ("solution", "after"):
        target, _, literal = value.partition("=")
        table, _, column = target.strip().partition(".")
        values = ast.literal_eval(literal.strip())
        if not column or not isinstance(values, dict):
            raise ValueError("expected 'table.column = {key: value, ...}'")
        getattr(case, key)[(table.lower(), column.lower())] = values
    elif key == "databases":
        names = tuple(d.strip().lower() for d in value.split(",") if d.strip())
        unknown = [d for d in names if d not in DATABASES]
        if unknown:
            raise ValueError(f"unknown database(s) {unknown}; known: {', '.join(DATABASES)}")
        case.databases = ("duckdb", *[d for d in names if d != "duckdb"])
    elif key == "covers":
        case.covers = tuple(value.replace(",", " ").split())
    elif key == "time_limit":
        case.time_limit = float(value)


def case_files(paths: Iterable[str | Path]) -> list[tuple[Path, Path]]:
    """(file, the directory its case name is relative to) for each case file."""
    files: list[tuple[Path, Path]] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files.extend((f, p) for f in sorted(p.rglob("*.sql")))
        else:
            files.append((p, p.parent))
    return files


def load_cases(paths: Iterable[str | Path]) -> list[Case]:
    """Cases are named by their path below the directory given (`dcm/row_check_fk`)."""
    cases = []
    for file, base in case_files(paths):
        name = file.relative_to(base).with_suffix("").as_posix()
        cases.append(parse_case(file.read_text(encoding="utf-8"), name, str(file)))
    return cases


@dataclass
class Outcome:
    case: str
    backend: str
    verdict: str  # pass | fail | refused | unavailable
    detail: str = ""
    status: str | None = None
    objective: int | None = None
    seconds: float = 0.0
    databases: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"case": self.case, "backend": self.backend, "verdict": self.verdict,
                "detail": self.detail, "status": self.status, "objective": self.objective,
                "seconds": round(self.seconds, 3), "databases": list(self.databases)}


@dataclass
class Report:
    backends: list[str]
    availability: dict[str, str]  # backend -> "" when available, else the reason
    outcomes: list[Outcome] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    engines: list[str] = field(default_factory=list)  # databases used where cases list them

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.verdict == FAIL]

    @property
    def ok(self) -> bool:
        return not self.failures

    def cell(self, case: str, backend: str) -> Outcome | None:
        for o in self.outcomes:
            if o.case == case and o.backend == backend:
                return o
        return None

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {b: {} for b in self.backends}
        for o in self.outcomes:
            out[o.backend][o.verdict] = out[o.backend].get(o.verdict, 0) + 1
        return out


def backend_availability(names: Sequence[str] | None = None) -> dict[str, str]:
    """Backend name -> '' when it can solve here, else why not (never raises)."""
    targets = registered()
    out: dict[str, str] = {}
    for name in names or sorted(targets, key=_backend_order):
        if name not in targets:
            out[name] = "not registered"
            continue
        module_name, _, class_name = targets[name].partition(":")
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
            availability = cls.available()
        except Exception as exc:  # a backend still being written must not stop the suite
            out[name] = f"cannot load {targets[name]}: {type(exc).__name__}: {exc}"
            continue
        out[name] = "" if availability.ok else (availability.reason or "not available")
    return out


def _backend_order(name: str) -> tuple[int, str]:
    order = ("cpsat", "minizinc", "ilp", "smt")
    return (order.index(name) if name in order else len(order), name)


class Databases:
    """Opens a fresh, private database of each engine for one solve or one certification."""

    def __init__(self, postgres_url: str | None = None) -> None:
        self.postgres_url = postgres_url or os.environ.get(POSTGRES_URL_VARIABLE)

    def available(self, engine: str) -> bool:
        return engine != "postgres" or bool(self.postgres_url)

    def open(self, engine: str):
        from csql.db import connect

        if engine == "duckdb":
            return connect("duckdb://"), None
        if engine == "sqlite":
            return connect("sqlite://"), None
        import uuid

        schema = f"csql_conf_{uuid.uuid4().hex[:12]}"
        db = connect(self.postgres_url)
        db.execute(f'CREATE SCHEMA "{schema}"')
        db.execute(f'SET search_path TO "{schema}"')
        return db, schema

    def close(self, db, schema: str | None) -> None:
        db.close()
        if schema is not None:
            from csql.db import connect

            cleanup = connect(self.postgres_url)
            try:
                cleanup.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            finally:
                cleanup.close()


def run_cases(cases_or_paths: Iterable[Case | str | Path], backends: Sequence[str] | None = None,
              databases: Sequence[str] | None = None, *, postgres_url: str | None = None,
              progress=None, jobs: int | None = None) -> Report:
    """Run each case on each backend; `databases` limits the engines used beyond DuckDB
    (default: whatever each case lists and this machine has). `jobs` worker processes run
    cases side by side (default: one per CPU); the report keeps the cases' order."""
    items = list(cases_or_paths)
    cases = [c for c in items if isinstance(c, Case)]
    paths = [p for p in items if not isinstance(p, Case)]
    cases += load_cases(paths) if paths else []
    availability = backend_availability(backends)
    report = Report(backends=list(availability), availability=availability)
    pool = Databases(postgres_url)
    engines = tuple(databases) if databases else DATABASES
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    report.cases = [c.name for c in cases]
    report.engines = [e for e in engines if pool.available(e)]
    args = [(case, availability, engines, pool) for case in cases]
    if jobs <= 1 or len(cases) <= 1:
        results = map(_timed_case, args)
        for case, (outcomes, seconds) in zip(cases, results):
            report.outcomes.extend(outcomes)
            if progress is not None:
                progress(case, outcomes, seconds)
        return report
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")  # no forked solver threads or connections
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as executor:
        for case, (outcomes, seconds) in zip(cases, executor.map(_timed_case, args)):
            report.outcomes.extend(outcomes)
            if progress is not None:
                progress(case, outcomes, seconds)
    return report


def _timed_case(arguments: tuple) -> tuple[list[Outcome], float]:
    from csql.conformance_run import run_case

    started = time.perf_counter()
    outcomes = run_case(*arguments)
    return outcomes, time.perf_counter() - started
