"""The conformance matrix as tests: one test per case and available backend.

The whole matrix is computed once per session (cases run side by side in worker processes,
every backend of a case together so that their optima can be compared), then each test
asserts its own cell: pass, or refused with a named capability. PostgreSQL takes part for the
cases that list it through the shared fixture. Backends that are not available here are not
silently dropped: `test_unavailable_backends_are_reported` lists them with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from csql.conformance import FAIL, PASS, REFUSED, UNAVAILABLE, backend_availability, load_cases
from csql.conformance import run_cases as run

CASES_DIR = Path(__file__).parent / "cases"
CASES = load_cases([CASES_DIR])
AVAILABILITY = backend_availability()
AVAILABLE = [b for b, reason in AVAILABILITY.items() if not reason]


@pytest.fixture(scope="session")
def matrix(postgres_url: str):
    return run(CASES, databases=("duckdb", "sqlite", "postgres"), postgres_url=postgres_url)


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 120
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("backend", AVAILABLE)
@pytest.mark.parametrize("case", [c.name for c in CASES])
def test_case(matrix, case: str, backend: str) -> None:
    outcome = matrix.cell(case, backend)
    assert outcome is not None
    assert outcome.verdict in (PASS, REFUSED), outcome.detail
    if outcome.verdict == REFUSED:
        assert outcome.detail.startswith("refused: ") and len(outcome.detail) > len("refused: ")


def test_unavailable_backends_are_reported(matrix) -> None:
    for backend, reason in AVAILABILITY.items():
        verdicts = {o.verdict for o in matrix.outcomes if o.backend == backend}
        if reason:
            assert verdicts == {UNAVAILABLE}, (backend, verdicts)
        else:
            assert UNAVAILABLE not in verdicts and FAIL not in verdicts
    print("backends:", {b: r or "available" for b, r in AVAILABILITY.items()})
