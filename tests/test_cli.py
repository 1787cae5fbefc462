"""The command-line contract of architecture §7: JSON shape, exit codes, errors on stderr with
file:line:column, and that `--db` leaves the database untouched unless `--apply`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from csql.backends import base
from csql.backends.base import Availability, Backend, BackendResult, Status
from csql.cli import main

PROGRAM = """
CREATE TABLE pm (name VARCHAR(10) PRIMARY KEY, cpu INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(10) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(10) REFERENCES pm(name));
CREATE CONSTRAINT cap AS
    SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    GROUP BY pm.name, pm.cpu CHECK sum(vm.cpu) <= pm.cpu;
CREATE CONSTRAINT spread AS
    SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    GROUP BY pm.name MAXIMIZE -count(vm.name) * count(vm.name);
"""
DATA = """INSERT INTO pm VALUES ('a', 10), ('b', 10);
INSERT INTO vm VALUES ('v1', 5, NULL), ('v2', 5, NULL), ('v3', 4, NULL);
"""
OVERLOAD = "INSERT INTO vm VALUES ('v4', 9, NULL), ('v5', 9, NULL);\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "p.sql").write_text(PROGRAM)
    (tmp_path / "d.sql").write_text(DATA)
    (tmp_path / "over.sql").write_text(OVERLOAD)
    (tmp_path / "bad.sql").write_text("CREATE TABLE t (a INTEGER);\nSELEC * FROM t;\n")
    return {name: str(tmp_path / f"{name}.sql") for name in ("p", "d", "over", "bad")}


def test_json_object_has_the_documented_shape(files, capsys) -> None:
    code = main(["solve", files["p"], "--data", files["d"], "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(out) >= {"status", "objective", "tables", "changes", "stats"}
    assert out["status"] == "OPTIMAL"
    # 3 VMs on 2 machines: loads 2 and 1 give -(4 + 1) = -5, the best possible.
    assert out["objective"] == -5
    assert {row["name"] for row in out["tables"]["vm"]} == {"v1", "v2", "v3"}
    assert set(out["tables"]["vm"][0]) == {"name", "cpu", "controllable__pm"}
    assert len(out["changes"]["vm"]) == 3  # every VM had NULL stored
    assert out["stats"]["seconds"]["total"] > 0


def test_infeasible_exits_3_with_a_core(files, capsys) -> None:
    code = main(["solve", files["p"], "--data", files["d"], "--data", files["over"],
                 "--json", "--explain"])
    out = json.loads(capsys.readouterr().out)
    assert code == 3
    assert out["status"] == "INFEASIBLE"
    assert {member["constraint"] for member in out["core"]} == {"cap"}
    assert "sum(vm.cpu)" in out["core"][0]["sql"]


def test_bad_program_exits_2_with_position_on_stderr(files, capsys) -> None:
    code = main(["solve", files["bad"]])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{files['bad']}:2:1" in err
    assert "^" in err


def test_check_reports_ok_and_errors(files, capsys) -> None:
    assert main(["check", files["p"]]) == 0
    assert "2 constraints" in capsys.readouterr().out
    assert main(["check", files["bad"]]) == 2


def test_missing_file_and_unknown_backend_exit_2(files, capsys) -> None:
    assert main(["solve", files["p"] + ".missing"]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["solve", files["p"], "--data", files["d"], "--backend", "cpsta"]) == 2
    assert "did you mean 'cpsat'" in capsys.readouterr().err


class _GivesUp(Backend):
    """Stands in for a solver that hits its time limit before finding anything."""

    name = "gives_up"

    @classmethod
    def available(cls) -> Availability:
        return Availability(True, "test")

    def _solve(self, problem, options) -> BackendResult:
        return BackendResult(Status.UNKNOWN)


class _Crashes(_GivesUp):
    name = "crashes"

    def _solve(self, problem, options) -> BackendResult:
        raise RuntimeError("boom")


def test_unknown_exits_4_and_internal_error_exits_1(files, capsys, monkeypatch) -> None:
    monkeypatch.setitem(base._BUILTIN, "gives_up", f"{__name__}:_GivesUp")
    monkeypatch.setitem(base._BUILTIN, "crashes", f"{__name__}:_Crashes")
    assert main(["solve", files["p"], "--data", files["d"], "--backend", "gives_up"]) == 4
    assert "UNKNOWN" in capsys.readouterr().out
    assert main(["solve", files["p"], "--data", files["d"], "--backend", "crashes"]) == 1
    err = capsys.readouterr().err
    assert "internal error" in err and "boom" in err and "Traceback" not in err


def test_db_is_untouched_without_apply_and_updated_with_it(files, tmp_path, capsys) -> None:
    import duckdb

    path = tmp_path / "cluster.duckdb"
    url = f"duckdb:///{path}"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE pm (name VARCHAR(10) PRIMARY KEY, cpu INTEGER NOT NULL)")
        con.execute("CREATE TABLE vm (name VARCHAR(10) PRIMARY KEY, cpu INTEGER NOT NULL, "
                    "controllable__pm VARCHAR(10) REFERENCES pm(name))")
        con.execute("INSERT INTO pm VALUES ('a', 10), ('b', 10)")
        con.execute("INSERT INTO vm VALUES ('v1', 5, NULL), ('v2', 5, NULL), ('v3', 4, NULL)")
    assert main(["solve", files["p"], "--db", url]) == 0
    with duckdb.connect(str(path)) as con:
        assert con.execute("SELECT count(*) FROM vm WHERE controllable__pm IS NULL"
                           ).fetchone() == (3,)
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables"
                                            ).fetchall()}
    assert tables == {"pm", "vm"}
    assert main(["solve", files["p"], "--db", url, "--apply"]) == 0
    with duckdb.connect(str(path)) as con:
        placed = dict(con.execute("SELECT name, controllable__pm FROM vm").fetchall())
    assert set(placed.values()) == {"a", "b"}
    capsys.readouterr()


def test_installed_entry_point_runs() -> None:
    script = Path(sys.executable).parent / "csql"
    result = subprocess.run([str(script), "backends"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "cpsat" in result.stdout


def test_bad_data_is_a_clear_error_naming_the_data_file(files, tmp_path, capsys) -> None:
    bad = tmp_path / "bad_data.sql"
    bad.write_text("INSERT INTO pm VALUES ('a', 10);\n"
                   "INSERT INTO vm VALUES ('v1', 5, 'nowhere');\n")
    code = main(["solve", files["p"], "--data", str(bad)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{bad}:2:1" in err
    assert "nowhere" in err or "foreign key" in err.lower()


def test_existing_tables_without_constraints_get_data_checked(files, tmp_path, capsys) -> None:
    # A database whose tables lack the FK: csql checks the data itself before solving.
    import duckdb

    path = tmp_path / "loose.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE pm (name VARCHAR(10), cpu INTEGER)")
        con.execute("CREATE TABLE vm (name VARCHAR(10), cpu INTEGER, "
                    "controllable__pm VARCHAR(10))")
        con.execute("INSERT INTO pm VALUES ('a', NULL)")
        con.execute("INSERT INTO vm VALUES ('v1', 5, NULL)")
    code = main(["solve", files["p"], "--db", f"duckdb:///{path}"])
    err = capsys.readouterr().err
    assert code == 2
    assert "pm.cpu" in err and "NULL" in err


def test_explain_may_stand_before_the_program(files, capsys) -> None:
    code = main(["solve", "--explain", files["p"], "--data", files["d"], "--data",
                 files["over"], "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 3
    assert {member["constraint"] for member in out["core"]} == {"cap"}
    assert main(["solve", "--explain=rows", files["p"], "--data", files["d"], "--data",
                 files["over"], "--json"]) == 3
    rows = json.loads(capsys.readouterr().out)["core"][0]["rows"]
    assert rows and all("name" in row or "pm.name" in row for row in rows)
