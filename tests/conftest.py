"""Shared fixtures: one fresh database per test on each engine, `any_db` over all three, and
`backend` over every registered solver backend.

PostgreSQL comes from `CSQL_TEST_POSTGRES_URL` (CI's `.ci/run` sets it). Without it, the
session starts its own throwaway cluster the way `.ci/run` does, so a developer can run the
suite with nothing running. If neither works the PostgreSQL tests fail and say why: they are
never skipped silently. Deselect them on purpose with `-m "not postgres"`.

A test that takes `backend` runs once per registered backend, with `CSQL_BACKEND` set so that
every `Model.solve` in it uses that backend. A backend that is not available here fails the
test with the reason, unless `CSQL_ALLOW_MISSING_BACKENDS=1` (then it is skipped, naming what
is missing). A backend that refuses a construct with `UnsupportedError` passes the test only
when the refusal is a declared capability (the construct is not among its native node types);
any other refusal fails.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator

import pytest

from csql.backends.base import availability, backend_class, registered
from csql.db import connect
from csql.db.base import Database
from csql.ir.errors import UnsupportedError

POSTGRES_URL_VARIABLE = "CSQL_TEST_POSTGRES_URL"
ALLOW_MISSING_BACKENDS_VARIABLE = "CSQL_ALLOW_MISSING_BACKENDS"
BACKENDS = tuple(registered())
ENGINES = ("duckdb", "sqlite", "postgres")


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory, on a free port, trust auth, no fsync."""

    def __init__(self) -> None:
        self.bindir = self._find_bindir()
        self.as_root = os.geteuid() == 0
        self.root = tempfile.mkdtemp(prefix="csql-test-pg.")
        self.data = os.path.join(self.root, "data")
        self.port = self._free_port()
        self.started = False

    @staticmethod
    def _find_bindir() -> str:
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                            key=lambda p: [int(x) if x.isdigit() else 0 for x in p.split("/")],
                            reverse=True)
        for directory in candidates:
            if os.access(os.path.join(directory, "initdb"), os.X_OK):
                return directory
        initdb = shutil.which("initdb")
        if initdb and shutil.which("pg_ctl"):
            return os.path.dirname(initdb)
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")

    @staticmethod
    def _free_port() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")

    def start(self) -> str:
        if self.as_root:
            shutil.chown(self.root, user="postgres")
        os.chmod(self.root, 0o700)
        self._run(os.path.join(self.bindir, "initdb"), "-D", self.data, "-U", "postgres",
                  "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
        self._run(os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-w", "-t", "60",
                  "-l", os.path.join(self.root, "server.log"),
                  "-o", f"-p {self.port} -k {self.root} -h 127.0.0.1 -F", "start")
        self.started = True
        admin = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute("CREATE DATABASE csql_test")
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        return f"postgresql://postgres@127.0.0.1:{self.port}/csql_test"

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self._run(os.path.join(self.bindir, "pg_ctl"), "-D", self.data,
                          "-m", "immediate", "-w", "stop")
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a PostgreSQL database the tests may fill with schemas."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if url:
        yield url
        return
    server: ThrowawayPostgres | None = None
    try:
        server = ThrowawayPostgres()
        url = server.start()
    except Exception as exc:  # any failure becomes one clear message
        if server is not None:
            server.stop()
        pytest.fail(
            f"no PostgreSQL server for the tests: {POSTGRES_URL_VARIABLE} is unset and starting "
            f"a throwaway cluster failed: {exc}\nSet {POSTGRES_URL_VARIABLE}=postgresql://... "
            f"or run `bash .ci/run`; to leave these tests out on purpose use -m 'not postgres'",
            pytrace=False,
        )
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture
def duckdb_db() -> Iterator[Database]:
    db = connect("duckdb://")
    yield db
    db.close()


@pytest.fixture
def sqlite_db() -> Iterator[Database]:
    db = connect("sqlite://")
    yield db
    db.close()


@pytest.fixture
def postgres_db(postgres_url: str) -> Iterator[Database]:
    """A connection whose current schema is fresh and private to this test."""
    schema = f"csql_test_{uuid.uuid4().hex[:12]}"
    db = connect(postgres_url)
    db.execute(f'CREATE SCHEMA "{schema}"')
    db.execute(f'SET search_path TO "{schema}"')
    try:
        yield db
    finally:
        db.close()
        cleanup = connect(postgres_url)
        try:
            cleanup.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        finally:
            cleanup.close()


@pytest.fixture(params=ENGINES)
def any_db(request: pytest.FixtureRequest) -> Database:
    """The same test on DuckDB, SQLite and PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_db")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that needs PostgreSQL, so `-m "not postgres"` can leave them out."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        callspec = getattr(item, "callspec", None)
        params = callspec.params if callspec is not None else {}
        if ("postgres_db" in fixtures or "postgres_url" in fixtures
                or params.get("any_db") == "postgres"):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The name of one registered backend; `Model.solve` uses it through `CSQL_BACKEND`."""
    name: str = request.param
    found = availability(name)
    if not found.ok:
        message = f"backend '{name}' is not available here: {found.reason}"
        if os.environ.get(ALLOW_MISSING_BACKENDS_VARIABLE) == "1":
            pytest.skip(f"{message} ({ALLOW_MISSING_BACKENDS_VARIABLE}=1)")
        pytest.fail(f"{message}\nInstall it, or set {ALLOW_MISSING_BACKENDS_VARIABLE}=1 to "
                    f"skip the tests of missing backends on purpose", pytrace=False)
    monkeypatch.setenv("CSQL_BACKEND", name)
    return name


def _declared_refusal(item: pytest.Item, exc: UnsupportedError) -> str | None:
    """Why a refusal is acceptable (a declared capability), or None when it is not."""
    callspec = getattr(item, "callspec", None)
    name = callspec.params.get("backend") if callspec is not None else None
    if name is None or exc.backend != name or not exc.construct:
        return None
    capabilities = backend_class(name).capabilities
    native = {t.__name__ for t in capabilities.native}
    reifiable = {t.__name__ for t in capabilities.reifiable}
    if exc.construct in ("optimisation", "var_times_var"):
        declared = getattr(capabilities, exc.construct)
        return None if declared else f"{name} declares no {exc.construct}"
    if exc.construct not in native:
        return f"{name} does not take {exc.construct} (declared: not native)"
    if exc.construct not in reifiable:
        return f"{name} takes {exc.construct} only at the top level (declared: not reifiable)"
    return None


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> object:
    """A declared refusal is the expected answer of a backend-parametrised test."""
    try:
        return (yield)
    except UnsupportedError as exc:
        reason = _declared_refusal(pyfuncitem, exc)
        if reason is None:
            raise
        pyfuncitem.user_properties.append(("declared_refusal", reason))
        return True
