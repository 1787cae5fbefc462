"""`Model`: compile a C-SQL program once, solve it against a database many times.

A solve runs the stages of architecture §1 in order, timing each: schema check, relation
evaluation and grounding, the backend, decoding, and certification. Every answer a backend
returns is checked twice before the caller sees it: against the ground problem (the pure-Python
evaluator, catching encoding bugs in a backend) and against the program itself (the SQL oracle,
catching grounding bugs). A failed check is an `InternalError`, never a silently wrong answer.
"""

from __future__ import annotations

import time
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from csql.backends.base import BackendResult, SolveOptions, Status, get_backend
from csql.core.config import resolve
from csql.core.solution import CoreMember, Solution
from csql.ir import ground_eval
from csql.ir import logical as L
from csql.ir.errors import InternalError

if TYPE_CHECKING:
    from csql.core.grounding import Grounding
    from csql.db.base import Database


def compile(source: str, filename: str = "<program>") -> Model:  # noqa: A001 - the public verb
    """Parse, bind and rewrite a C-SQL program; raises `CompileError` with file:line:column."""
    from csql.core.binder import bind

    started = time.perf_counter()
    program = bind(source, filename)
    return Model(program, compile_seconds=time.perf_counter() - started)


def compile_file(path: str | Path) -> Model:
    path = Path(path)
    return compile(path.read_text(encoding="utf-8"), str(path))


class Model:
    """A compiled program. Thread-compatible: one solve at a time per database connection."""

    def __init__(self, program: L.Program, *, compile_seconds: float = 0.0) -> None:
        self.program = program
        self.compile_seconds = compile_seconds
        # databases this model already prepared: a scheduler solving every few seconds must
        # not re-create every data view per solve
        self._prepared: weakref.WeakSet = weakref.WeakSet()

    @property
    def variable_relations(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.program.variable_relations())

    def prepare(self, db: Database | str | None = None) -> Database:
        """Connect (a URL, a connection, or None for an in-memory DuckDB) and make sure the
        program's tables exist and its data views are defined (as temporary views)."""
        from csql.db import connect
        from csql.db.schema import ensure_schema

        database = connect(db if db is not None else resolve().database)
        if database not in self._prepared:
            ensure_schema(database, self.program)
            self._prepared.add(database)
        return database

    def solve(
        self,
        db: Database | str | None = None,
        *,
        backend: str | None = None,
        time_limit: float | None = None,
        workers: int | None = None,
        explain: bool | str = False,
        certify: bool | None = None,
        narrow_domains: bool = True,
        **options: object,
    ) -> Solution:
        """Solve against the database's current content. Nothing is written to the database
        (only temporary tables and views); call `Solution.apply()` to write the changes.

        `explain=True` names, for an INFEASIBLE program, a minimal set of constraints that
        cannot hold together (`Solution.core`); `explain="rows"` also names their rows or
        groups, and for a solved program breaks each objective statement down per group.

        `narrow_domains=False` leaves constraints that read a single variable as constraints
        instead of folding them into its domain, so the backend must encode them itself:
        the same solutions, a bigger model; for checking a backend's encodings."""
        from csql.core.explain import explain_level
        from csql.core.grounding import GroundingOptions, ground

        explain_as = explain_level(explain)

        settings = resolve(backend=backend, time_limit=time_limit, workers=workers,
                           certify=certify)
        started = time.perf_counter()
        database = self.prepare(db)
        prepared = time.perf_counter()
        grounding = ground(self.program, database,
                           GroundingOptions(narrow_domains=narrow_domains))
        grounded = time.perf_counter()
        solver = get_backend(settings.backend)
        # the limit is end to end: what relation evaluation and grounding used is gone
        limit = settings.time_limit
        if limit is not None:
            limit = max(0.05, limit - (grounded - started))
        solve_options = SolveOptions(time_limit=limit, workers=settings.workers,
                                     extra=dict(options))
        result = solver.solve(grounding.problem, solve_options)
        solved = time.perf_counter()

        tables: dict[str, list[dict[str, object]]] = {}
        changes: dict[str, list[dict[str, object]]] = {}
        objective = None
        if result.status.has_solution:
            assert result.assignment is not None
            _check_ground(grounding, result, solver.name)
            tables = grounding.decode(result.assignment)
            changes = _changes(grounding, tables)
            objective = result.objective if grounding.problem.has_objective else None
        decoded = time.perf_counter()
        certify_seconds = 0.0
        certified_terms = None
        if result.status.has_solution and settings.certify:
            from csql.core.oracle import certify as run_oracle

            certificate = run_oracle(self.program, database, tables, objective)
            certificate.raise_if_invalid()
            certify_seconds = time.perf_counter() - decoded
            certified_terms = certificate.terms
        objective_terms = None
        if result.status.has_solution and grounding.problem.has_objective:
            from csql.core.explain_objective import objective_values

            assert result.assignment is not None
            objective_terms = objective_values(self.program, grounding.problem,
                                               result.assignment, groups=explain_as == "rows",
                                               certified=certified_terms)

        core = None
        explain_stats: dict[str, object] | None = None
        if explain_as is not None and result.status is Status.INFEASIBLE:
            core, explain_stats = self._explain(grounding, solver, solve_options, database,
                                                explain_as, solved - grounded)

        stats: dict[str, object] = {
            "seconds": {
                "compile": self.compile_seconds,
                "schema": prepared - started,
                "relations": grounding.stats.get("relation_seconds", 0.0),
                "grounding": grounding.stats.get("grounding_seconds", grounded - prepared),
                "solver": result.timings.get("solver", solved - grounded),
                "backend_total": solved - grounded,
                "decode": decoded - solved,
                "certify": certify_seconds,
                "total": time.perf_counter() - started,
            },
            "backend_timings": result.timings,
            "problem": grounding.problem.size(),
            # variables whose domain a single-variable constraint narrowed
            "narrowed_variables": grounding.stats.get("narrowed_variables", 0),
            "rows_fetched": grounding.stats.get("rows_fetched", 0),
            "solver": result.stats,
        }
        if result.bound is not None:
            stats["bound"] = result.bound
        if explain_stats is not None:
            stats["explain"] = explain_stats
        return Solution(result.status, objective, tables, changes, stats, solver.name, core,
                        self.program, database, objective_terms)

    def _explain(self, grounding: Grounding, solver, options: SolveOptions,
                 database: Database, level: str, reference: float | None = None
                 ) -> tuple[list[CoreMember], dict[str, object]]:
        """A minimal unsatisfiable core in SQL terms (`csql.core.explain`).

        When the data or the constraints narrowed some variable's domain, the program is
        grounded again with the domains relaxed and the foreign keys as explicit constraints:
        the same solutions, but a restriction folded into a domain can now be a member (the
        CHECK that narrowed it, or the foreign key), so the core is minimal in SQL terms."""
        from csql.core.explain import explain_infeasible
        from csql.core.explain_objective import core_members
        from csql.core.grounding import GroundingOptions, ground

        started = time.perf_counter()
        problem = grounding.problem
        regrounded = bool(grounding.narrowed_domains)
        if regrounded:
            problem = ground(self.program, database, GroundingOptions(relax_domains=True)).problem
        grounded = time.perf_counter()
        budget = None if options.time_limit is None else max(
            0.0, options.time_limit - (grounded - started))
        explanation = explain_infeasible(problem, solver, level=level, time_limit=budget,
                                         extra=options.extra, reference_seconds=reference,
                                         known_infeasible=True)
        stats = dict(explanation.stats)
        stats["regrounded"] = regrounded
        stats["narrowed_domains"] = list(grounding.narrowed_domains)
        stats["grounding_seconds"] = grounded - started
        stats["total_seconds"] = time.perf_counter() - started
        return core_members(explanation), stats


def _check_ground(grounding: Grounding, result: BackendResult, backend: str) -> None:
    assert result.assignment is not None
    problems = ground_eval.violations(grounding.problem, result.assignment)
    if problems:
        raise InternalError(
            f"backend '{backend}' returned an assignment that violates the ground problem: "
            + "; ".join(problems[:5]),
            hint="this is a bug in the backend's encoding; please report it")
    if grounding.problem.has_objective and result.objective is not None:
        value = ground_eval.objective_value(grounding.problem, result.assignment)
        if value != result.objective:
            raise InternalError(
                f"backend '{backend}' reported objective {result.objective}, "
                f"but the assignment's objective is {value}",
                hint="this is a bug in the backend's encoding; please report it")


def _changes(grounding: Grounding, tables: dict[str, list[dict[str, object]]]
             ) -> dict[str, list[dict[str, object]]]:
    """Rows whose variable columns differ from what the database stored at solve time."""
    out: dict[str, list[dict[str, object]]] = {}
    for name, relation in grounding.relations.items():
        variable_columns = list(relation.cells)
        positions = {c: relation.columns.index(c) for c in variable_columns}
        changed = []
        for stored, new in zip(relation.rows, tables.get(name, []), strict=True):
            if any(stored[positions[c]] != new[c] for c in variable_columns):
                changed.append(new)
        out[name] = changed
    return out
