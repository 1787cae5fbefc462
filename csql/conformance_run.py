"""One case on every backend: solve, compare with the expectation, certify in each database.

The verdict of a cell is decided here. The order of the checks matters for the message a
failing cell shows: first what the backend did (status, refusal, crash), then whether the
answer is right (the oracle in each database, the objective against the hand-worked value
and against the other backends, the exact solution when the case gives one).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from csql.backends.base import Status
from csql.conformance import FAIL, PASS, REFUSED, UNAVAILABLE, Case, Databases, Outcome
from csql.ir import errors as E


def run_case(case: Case, availability: Mapping[str, str], engines: Sequence[str],
             pool: Databases) -> list[Outcome]:
    import csql

    engines_here = tuple(e for e in case.databases if e in engines and pool.available(e))
    try:
        model = csql.compile(case.program, case.path)
    except E.CsqlError as exc:
        verdict, detail = _expected_error(case, exc)
        return [Outcome(case.name, b, verdict if not reason else UNAVAILABLE,
                        reason or detail)
                for b, reason in availability.items()]
    outcomes: list[Outcome] = []
    for backend, reason in availability.items():
        if reason:
            outcomes.append(Outcome(case.name, backend, UNAVAILABLE, reason))
            continue
        outcomes.append(_run_backend(case, model, backend, engines_here, pool))
    _cross_check(case, outcomes)
    return outcomes


def _expected_error(case: Case, exc: E.CsqlError) -> tuple[str, str]:
    if case.expect == "ERROR":
        wanted = getattr(E, case.error or "CsqlError")
        if isinstance(exc, wanted):
            return PASS, f"{type(exc).__name__}: {exc.message if hasattr(exc, 'message') else exc}"
        return FAIL, f"expected {case.error}, got {type(exc).__name__}: {exc}"
    return FAIL, f"{type(exc).__name__}: {exc}"


def _solve(model, case: Case, backend: str, engine: str, pool: Databases,
           narrow: bool = True):
    db, schema = pool.open(engine)
    try:
        database = model.prepare(db)
        if case.data.strip():
            database.script(case.data)
        return model.solve(database, backend=backend, time_limit=case.time_limit, workers=1,
                           certify=False, narrow_domains=narrow), (db, schema)
    except BaseException:
        pool.close(db, schema)
        raise


def _run_backend(case: Case, model, backend: str, engines: Sequence[str],
                 pool: Databases) -> Outcome:
    started = time.perf_counter()
    outcome = Outcome(case.name, backend, PASS, databases=tuple(engines))
    try:
        problems = _check_backend(case, model, backend, engines, pool, outcome)
    except E.UnsupportedError as exc:
        outcome.verdict = REFUSED
        outcome.detail = f"refused: {exc.construct or exc.message}"
        problems = []
    except E.CsqlError as exc:
        verdict, detail = _expected_error(case, exc)
        problems = [] if verdict == PASS else [detail]
        outcome.detail = detail if verdict == PASS else ""
    except Exception as exc:  # a crash is a failing cell, not a crashed suite
        problems = [f"crashed: {type(exc).__name__}: {exc}"]
    if problems:
        outcome.verdict = FAIL
        outcome.detail = "; ".join(problems)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _check_backend(case: Case, model, backend: str, engines: Sequence[str], pool: Databases,
                   outcome: Outcome) -> list[str]:
    """The case as csql solves it by default; then, when csql folded constraints of a single
    variable into its domain (so the backend never saw them), once more with them left as
    constraints, so that the backend's own encoding of those operators is checked too."""
    problems, narrowed = _check_form(case, model, backend, engines, pool, outcome, True)
    if narrowed and case.expect and not problems:  # hand-worked cases: both forms must pass
        try:
            unfolded, _ = _check_form(case, model, backend, ("duckdb",), pool,
                                      Outcome(case.name, backend, PASS), False)
        except E.UnsupportedError:
            unfolded = []  # the backend refuses that form by a declared capability
        problems = [f"{p} (single-variable constraints left to the backend)" for p in unfolded]
    return problems


def _check_form(case: Case, model, backend: str, engines: Sequence[str], pool: Databases,
                outcome: Outcome, narrow: bool) -> tuple[list[str], bool]:
    """(problems, whether csql narrowed some variable's domain) for one form of the solve."""
    from csql.core.oracle import certify

    solution, (db, schema) = _solve(model, case, backend, "duckdb", pool, narrow)
    narrowed = bool(solution.stats.get("narrowed_variables"))
    try:
        outcome.status, outcome.objective = solution.status.value, solution.objective
        problems = _status_problems(case, solution.status)
        if problems or not solution.status.has_solution:
            return problems, narrowed
        problems += _certify_problems("duckdb", certify(model.program, db, solution.tables,
                                                        solution.objective))
        problems += _write_back_problems(case, solution, db)
    finally:
        pool.close(db, schema)
    if case.objective is not None and solution.status is Status.OPTIMAL \
            and solution.objective != case.objective:
        problems.append(f"objective {solution.objective}, expected {case.objective}")
    problems += _solution_problems(case, solution.tables)
    for engine in engines:
        if engine == "duckdb":
            continue
        problems += _other_engine(case, model, backend, engine, pool, solution)
    return problems, narrowed


def _status_problems(case: Case, status: Status) -> list[str]:
    if case.expect == "ERROR":
        return [f"expected {case.error}, got status {status.value}"]
    if not case.expect:  # a generated program: only the backends' agreement counts
        return []
    if status.value == case.expect:
        return []
    # A satisfaction problem has no optimality to prove: FEASIBLE is as good as OPTIMAL.
    if case.expect == "OPTIMAL" and status is Status.FEASIBLE and case.objective is None:
        return []
    return [f"status {status.value}, expected {case.expect}"]


def _certify_problems(engine: str, certificate) -> list[str]:
    if certificate.ok:
        return []
    shown = "; ".join(str(v) for v in certificate.violations[:3])
    return [f"oracle ({engine}) rejects the solution: {shown}"]


def _solution_problems(case: Case, tables: Mapping[str, list[dict]]) -> list[str]:
    problems = []
    for (table, column), expected in case.solution.items():
        rows = tables.get(table)
        if rows is None:
            problems.append(f"no relation '{table}' in the solution")
            continue
        got = {next(iter(row.values())): row.get(column) for row in rows}
        if got != expected:
            problems.append(f"{table}.{column} = {got!r}, expected {expected!r}")
    return problems


def _write_back_problems(case: Case, solution, db) -> list[str]:
    """Apply the solution and read the base tables back (language §6 write-back)."""
    if not case.after and not case.after_error:
        return []
    try:
        solution.apply(db)
    except E.CsqlError as exc:
        if case.after_error and isinstance(exc, getattr(E, case.after_error)):
            return []
        return [f"write-back failed: {type(exc).__name__}: {exc}"]
    if case.after_error:
        return [f"write-back succeeded, expected {case.after_error}"]
    problems = []
    for (table, column), expected in case.after.items():
        names = [c for c, _ in db.relation_columns(table)]
        rows = db.query(f"SELECT * FROM {db.quote(table)}")
        got = {row[0]: row[names.index(column)] for row in rows}
        if got != expected:
            problems.append(f"after write-back {table}.{column} = {got!r}, expected {expected!r}")
    return problems


def _other_engine(case: Case, model, backend: str, engine: str, pool: Databases,
                  solution) -> list[str]:
    """Certify the DuckDB answer in another engine, and solve there too: the grounding reads
    the data through that engine's SQL, so its status and objective must be the same."""
    from csql.core.oracle import certify

    problems: list[str] = []
    db, schema = pool.open(engine)
    try:
        database = model.prepare(db)
        if case.data.strip():
            database.script(case.data)
        problems += _certify_problems(engine, certify(model.program, database, solution.tables,
                                                      solution.objective))
    finally:
        pool.close(db, schema)
    there, (db, schema) = _solve(model, case, backend, engine, pool)
    try:
        if there.status is not solution.status or there.objective != solution.objective:
            problems.append(f"on {engine}: {there.status.value} {there.objective}, on duckdb: "
                            f"{solution.status.value} {solution.objective}")
        elif there.status.has_solution:
            problems += _certify_problems(engine, certify(model.program, db, there.tables,
                                                          there.objective))
    finally:
        pool.close(db, schema)
    return problems


def _cross_check(case: Case, outcomes: list[Outcome]) -> None:
    """Optimal objectives must agree across backends; without a hand-worked value nobody can
    say which is right, so every backend in the disagreement fails."""
    optimal = [o for o in outcomes if o.verdict == PASS and o.status == Status.OPTIMAL.value]
    values = {o.objective for o in optimal}
    statuses = {o.status for o in outcomes if o.verdict == PASS and o.status in
                (Status.OPTIMAL.value, Status.INFEASIBLE.value)}
    if len(values) > 1 or len(statuses) > 1:
        summary = ", ".join(f"{o.backend}={o.status}/{o.objective}" for o in outcomes
                            if o.status is not None)
        for o in outcomes:
            if o.verdict == PASS and o.status is not None:
                o.verdict = FAIL
                o.detail = f"backends disagree: {summary}"
