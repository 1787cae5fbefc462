"""Backend plumbing: the registry (entry points, `name:sub`, availability that never raises),
a third-party backend installed as a real distribution and chosen by name, the precedence of
settings, the `backends` / `export` / `bench` commands, and the generated capability matrix.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

import csql
from csql.backends import base
from csql.backends.base import (
    Availability,
    Backend,
    BackendResult,
    Capabilities,
    Status,
    availability,
    describe_backends,
    get_backend,
    parse_spec,
    registered,
)
from csql.cli import main
from csql.core.config import Settings, resolve
from csql.ir import ground as g
from csql.ir.errors import BackendUnavailable, CompileError, UnsupportedError
from csql.ir.span import Span

ROOT = Path(__file__).resolve().parent.parent

PROGRAM = """
CREATE TABLE pm (name VARCHAR(10) PRIMARY KEY, cpu INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(10) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(10) REFERENCES pm(name));
CREATE CONSTRAINT cap AS
    SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    GROUP BY pm.name, pm.cpu CHECK sum(vm.cpu) <= pm.cpu;
CREATE CONSTRAINT prefer_b AS SELECT * FROM vm MAXIMIZE controllable__pm = 'b';
"""
DATA = """INSERT INTO pm VALUES ('a', 5), ('b', 6);
INSERT INTO vm VALUES ('v1', 4, NULL), ('v2', 3, NULL), ('v3', 2, NULL);"""
# best: b takes 4+2 (two VMs), a takes 3: objective 2


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "p.sql").write_text(PROGRAM)
    (tmp_path / "d.sql").write_text(DATA)
    return {"p": str(tmp_path / "p.sql"), "d": str(tmp_path / "d.sql"), "dir": str(tmp_path)}


# ---- registry ---------------------------------------------------------------------------------


def test_builtins_are_registered_through_entry_points() -> None:
    names = registered()
    assert {"cpsat", "minizinc", "ilp", "smt"} <= set(names)
    assert names["smt"] == "csql.backends.smt:Z3Backend"
    assert list(names) == sorted(names)


def test_sub_solver_syntax() -> None:
    assert parse_spec("ILP:cbc") == ("ilp", "cbc")
    assert parse_spec(" smt ") == ("smt", None)
    assert parse_spec("minizinc:") == ("minizinc", None)
    backend = get_backend("smt:z3")
    assert backend.name == "smt" and backend.sub_solver == "z3"


def test_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(BackendUnavailable, match="unknown backend 'smtt'") as info:
        get_backend("smtt")
    assert "smt" in (info.value.hint or "")


class _Broken(Backend):
    name = "broken"

    @classmethod
    def available(cls) -> Availability:
        raise RuntimeError("probing crashed")

    def _solve(self, problem, options) -> BackendResult:
        raise AssertionError("never called")


class _NotABackend:
    pass


def test_availability_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(base._BUILTIN, "gone", "csql_no_such_module_anywhere:Thing")
    monkeypatch.setitem(base._BUILTIN, "broken", f"{__name__}:_Broken")
    monkeypatch.setitem(base._BUILTIN, "wrong", f"{__name__}:_NotABackend")
    gone = availability("gone")
    assert not gone.ok and "No module named 'csql_no_such_module_anywhere'" in gone.reason
    broken = availability("broken")
    assert not broken.ok and "probing crashed" in broken.reason
    assert not availability("wrong").ok
    assert "not a csql.backends.base.Backend" in availability("wrong").reason
    infos = {info.name: info for info in describe_backends()}
    assert infos["gone"].capabilities is None and not infos["gone"].available
    assert infos["smt"].available and infos["smt"].capabilities is not None
    with pytest.raises(BackendUnavailable, match="cannot be loaded"):
        get_backend("gone")


def test_capabilities_describe_and_refusal_through_them() -> None:
    class LinearOnly(Backend):
        name = "linear_only"
        capabilities = Capabilities(native=frozenset({g.Var, g.Const, g.LinearSum, g.Compare}))

        @classmethod
        def available(cls) -> Availability:
            return Availability(True, "1")

        def _solve(self, problem, options) -> BackendResult:
            self.refuse_unsupported(problem)
            return BackendResult(Status.UNKNOWN)

    described = LinearOnly.capabilities.describe()
    assert described["native"] == ["Compare", "Const", "LinearSum", "Var"]
    assert described["max_int_bits"] == 64 and described["cores"] is False
    json.dumps(described)  # plain data
    p = g.Problem()
    x = p.new_var("x", lb=0, ub=3)
    p.add(g.Compare("<=", g.LinearSum(((1, x),)), g.Const(2)), g.Provenance("ok", "check"))
    assert LinearOnly().solve(p).status is Status.UNKNOWN
    span = Span("policy.sql", 4, 3, 4, 9)
    p.add(g.Compare("=", g.Abs(x), g.Const(1)), g.Provenance("uses_abs", "check", span=span))
    with pytest.raises(UnsupportedError, match="cannot express Abs") as info:
        LinearOnly().solve(p)
    assert info.value.construct == "Abs" and info.value.backend == "linear_only"
    assert info.value.span == span and "uses_abs" in info.value.message


# ---- a third-party backend, installed as a distribution ----------------------------------------

PLUGIN = '''
"""A brute-force backend: enumerates every assignment (tiny problems only)."""
import itertools

from csql.backends.base import Availability, Backend, BackendResult, Capabilities, Status
from csql.ir import ground as g
from csql.ir.ground_eval import objective_value, violations


class BruteForceBackend(Backend):
    name = "{name}"
    capabilities = Capabilities(native=frozenset(g.EXPR_TYPES),
                                reifiable=frozenset(g.EXPR_TYPES))

    @classmethod
    def available(cls):
        return Availability(True, version="brute 0.0.1")

    def _solve(self, problem, options):
        domains = [v.values if v.values is not None else range(v.lb, v.ub + 1)
                   for v in problem.variables]
        best = None
        for values in itertools.product(*domains):
            assignment = dict(enumerate(values))
            try:
                if violations(problem, assignment):
                    continue
            except IndexError:
                continue
            value = objective_value(problem, assignment)
            if best is None or value > best[0]:
                best = (value, assignment)
        if best is None:
            return BackendResult(Status.INFEASIBLE)
        objective = best[0] if problem.objective else None
        return BackendResult(Status.OPTIMAL, best[1], objective)
'''


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True,
                          timeout=300)


def _build_wheel(directory: Path, distribution: str, module: str, source: str,
                 entry_points: str) -> Path:
    """A pure-Python wheel written directly (PEP 427), so the test needs no build backend:
    the setuptools in a venv may lack `bdist_wheel` without the `wheel` package."""
    import base64
    import hashlib
    import zipfile

    stem = distribution.replace("-", "_")
    info = f"{stem}-0.0.1.dist-info"
    files = {
        f"{module}.py": source,
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {distribution}\nVersion: 0.0.1\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: csql-tests\nRoot-Is-Purelib: true\n"
                         "Tag: py3-none-any\n",
        f"{info}/entry_points.txt": entry_points,
    }
    record = []
    for name, text in files.items():
        digest = hashlib.sha256(text.encode()).digest()
        encoded = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        record.append(f"{name},sha256={encoded},{len(text.encode())}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = "\n".join(record) + "\n"
    wheel = directory / f"{stem}-0.0.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return wheel


def test_third_party_backend_installed_by_entry_point(tmp_path: Path, files) -> None:
    suffix = uuid.uuid4().hex[:8]
    backend_name = f"brute_{suffix}"
    module = f"csql_plugin_{suffix}"
    distribution = f"csql-plugin-{suffix}"
    wheel = _build_wheel(
        tmp_path, distribution, module, PLUGIN.replace("{name}", backend_name),
        f"[csql.backends]\n{backend_name} = {module}:BruteForceBackend\n")
    assert backend_name not in registered()
    installed = _pip("install", "--no-deps", "--no-build-isolation", "--quiet", str(wheel))
    assert installed.returncode == 0, installed.stdout + installed.stderr
    try:
        importlib.invalidate_caches()
        assert registered()[backend_name] == f"{module}:BruteForceBackend"
        model = csql.compile(PROGRAM, "p.sql")
        db = model.prepare("duckdb://")
        db.script(DATA)
        solution = model.solve(db, backend=backend_name)
        assert solution.backend == backend_name
        assert solution.status is Status.OPTIMAL and solution.objective == 2
        # the command line (a fresh process) lists it with its version
        listed = subprocess.run([sys.executable, "-m", "csql.cli", "backends", "--json"],
                                capture_output=True, text=True, timeout=120)
        assert listed.returncode == 0, listed.stderr
        rows = {row["name"]: row for row in json.loads(listed.stdout)}
        assert rows[backend_name]["available"] is True
        assert rows[backend_name]["version"] == "brute 0.0.1"
        assert main(["solve", files["p"], "--data", files["d"], "--backend", backend_name]) == 0
    finally:
        removed = _pip("uninstall", "--yes", "--quiet", distribution)
        importlib.invalidate_caches()
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert backend_name not in registered()


# ---- settings precedence ----------------------------------------------------------------------


def test_settings_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("CSQL_BACKEND", "CSQL_TIME_LIMIT", "CSQL_WORKERS"):
        monkeypatch.delenv(variable, raising=False)
    assert resolve(tmp_path) == Settings()  # defaults: cpsat, no limit, one worker
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.csql]\nbackend = "ilp:highs"\ntime_limit = 7\n')
    assert resolve(tmp_path).backend == "ilp:highs"
    assert resolve(tmp_path).time_limit == 7.0
    (tmp_path / "csql.toml").write_text('[csql]\nbackend = "minizinc"\nworkers = 3\n')
    from_file = resolve(tmp_path)
    assert (from_file.backend, from_file.workers, from_file.time_limit) == ("minizinc", 3, None)
    monkeypatch.setenv("CSQL_BACKEND", "smt")
    monkeypatch.setenv("CSQL_TIME_LIMIT", "2.5")
    from_env = resolve(tmp_path)
    assert (from_env.backend, from_env.time_limit, from_env.workers) == ("smt", 2.5, 3)
    from_call = resolve(tmp_path, backend="cpsat", time_limit=None, workers=8)
    assert (from_call.backend, from_call.time_limit, from_call.workers) == ("cpsat", 2.5, 8)


def test_bad_settings_are_refused_with_their_origin(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CSQL_TIME_LIMIT", raising=False)
    (tmp_path / "csql.toml").write_text('backnd = "smt"\n')
    with pytest.raises(CompileError, match="backnd") as info:
        resolve(tmp_path)
    assert "backend" in (info.value.hint or "")
    (tmp_path / "csql.toml").write_text("")
    monkeypatch.setenv("CSQL_TIME_LIMIT", "soon")
    with pytest.raises(CompileError, match="CSQL_TIME_LIMIT"):
        resolve(tmp_path)
    monkeypatch.setenv("CSQL_TIME_LIMIT", "-1")
    with pytest.raises(CompileError, match="positive"):
        resolve(tmp_path)


def test_model_solve_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    model = csql.compile(PROGRAM, "p.sql")
    db = model.prepare("duckdb://")
    db.script(DATA)
    monkeypatch.setenv("CSQL_BACKEND", "smt")
    assert model.solve(db).backend == "smt"
    assert model.solve(db, backend="cpsat").backend == "cpsat"


# ---- commands ---------------------------------------------------------------------------------


def test_backends_command_table_and_json(capsys) -> None:
    assert main(["backends"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:2] == ["backend", "available"]
    assert any(line.startswith("smt ") and " yes " in line and "z3 " in line
               for line in out.splitlines())
    assert main(["backends", "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert set(registered()) == set(rows)
    assert rows["smt"]["capabilities"]["cores"] is True
    assert rows["smt"]["capabilities"]["max_int_bits"] == 0


def test_export_writes_each_backends_encoding(files, capsys) -> None:
    import z3

    out = Path(files["dir"]) / "model.smt2"
    assert main(["export", files["p"], "--data", files["d"], "--backend", "smt",
                 "-o", str(out)]) == 0
    text = out.read_text()
    assert "(maximize" in text and len(z3.parse_smt2_string(text)) > 0
    proto = Path(files["dir"]) / "model.pb.txt"
    assert main(["export", files["p"], "--data", files["d"], "--backend", "cpsat",
                 "-o", str(proto)]) == 0
    assert "variables" in proto.read_text()
    assert main(["export", files["p"], "--data", files["d"], "--backend", "smt", "-o", "-"]) == 0
    assert "(check-sat)" in capsys.readouterr().out
    assert main(["export", files["p"] + ".missing", "--backend", "smt", "-o", str(out)]) == 2


def test_export_with_a_database_leaves_it_unchanged(files, tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'cluster.duckdb'}"
    out = tmp_path / "model.smt2"
    assert main(["export", files["p"], "--data", files["d"], "--db", url, "--backend", "smt",
                 "-o", str(out)]) == 0
    from csql.db import connect

    db = connect(url)
    try:
        assert not db.table_exists("vm")  # the created tables and the data were rolled back
    finally:
        db.close()


def test_bench_compares_backends_and_plots(files, capsys) -> None:
    plot = Path(files["dir"]) / "bench.png"
    assert main(["bench", files["p"], "--data", files["d"], "--backends", "cpsat,smt",
                 "--repeat", "2", "--time-limit", "20", "--json", "--plot", str(plot)]) == 0
    report = json.loads(capsys.readouterr().out)
    results = {r["backend"]: r for r in report["results"]}
    assert set(results) == {"cpsat", "smt"} and report["repeat"] == 2
    for r in results.values():
        assert r["status"] == "OPTIMAL" and r["objective"] == 2
        assert len(r["times"]) == 2 and r["min"] <= r["median"] <= r["max"]
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["bench", files["p"], "--data", files["d"], "--backends", "smt",
                 "--repeat", "1"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["backend", "status", "objective"]
    assert table[2].split()[:3] == ["smt", "OPTIMAL", "2"]
    assert main(["bench", files["p"], "--backends", "nope", "--repeat", "1"]) == 2


def test_bench_reports_an_unavailable_backend_as_a_row(files, capsys,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(base._BUILTIN, "broken", f"{__name__}:_Broken")
    assert main(["bench", files["p"], "--data", files["d"], "--backends", "smt,broken",
                 "--repeat", "1", "--json"]) == 0
    results = {r["backend"]: r for r in json.loads(capsys.readouterr().out)["results"]}
    assert results["broken"]["status"] == "unavailable"
    assert "probing crashed" in results["broken"]["error"]
    assert results["smt"]["status"] == "OPTIMAL"


def test_docs_hold_the_current_capability_matrix() -> None:
    from csql.cli_backends import MATRIX_COMMAND, capability_matrix

    doc = (ROOT / "docs" / "backends.md").read_text()
    matrix = capability_matrix()
    assert MATRIX_COMMAND in doc
    assert matrix in doc, ("docs/backends.md is out of date: regenerate its matrix with "
                           f"`{MATRIX_COMMAND}` (or `python -m csql.cli_backends --matrix`)")
