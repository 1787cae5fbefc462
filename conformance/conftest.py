"""The conformance suite reuses the PostgreSQL fixture of `tests/conftest.py` (a throwaway
cluster when CSQL_TEST_POSTGRES_URL is unset), loaded by path: `tests` is not a package."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "csql_tests_conftest", Path(__file__).resolve().parent.parent / "tests" / "conftest.py")
assert _spec is not None and _spec.loader is not None
_tests_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_tests_conftest)

postgres_url = _tests_conftest.postgres_url
