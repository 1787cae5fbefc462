"""The conformance suite reuses the PostgreSQL fixture of `tests/conftest.py` (a throwaway
cluster when CSQL_TEST_POSTGRES_URL is unset), loaded by path: `tests` is not a package.
It also ends a run with the generated programs' count and seed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from csql.conformance_meta import ci_campaign

_spec = importlib.util.spec_from_file_location(
    "csql_tests_conftest", Path(__file__).resolve().parent.parent / "tests" / "conftest.py")
assert _spec is not None and _spec.loader is not None
_tests_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_tests_conftest)

postgres_url = _tests_conftest.postgres_url


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Say which generated programs ran (CI's `pytest -q` shows no header and captures the
    test's own output), so that any run can be reproduced."""
    reports = [r for key in ("passed", "failed") for r in terminalreporter.stats.get(key, ())
               if getattr(r, "when", "") == "call"
               and "test_generated_programs_agree" in getattr(r, "nodeid", "")]
    if reports:
        count, seed = ci_campaign()
        terminalreporter.write_line(
            f"conformance: {count} generated programs from seed {seed} "
            f"({reports[0].outcome}; CSQL_CONFORMANCE_COUNT / CSQL_CONFORMANCE_SEED to change)")
