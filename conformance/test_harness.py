"""The harness can fail: wrong encodings, wrong answers and wrong expectations are caught.

Each test breaks one thing on purpose (through monkeypatching, in this process: `jobs=1`) and
checks that the matrix cell turns into a failure, or a refusal where the backend declares one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import csql
from csql.conformance import FAIL, PASS, REFUSED, CaseFormatError, load_cases, parse_case
from csql.conformance import run_cases as run
from csql.conformance_report import to_json, to_markdown

CASES = Path(__file__).parent / "cases"
# Comparisons that reach the CP-SAT encoder (a bound on one variable alone becomes its domain
# instead): against a variable, under a constant offset, and in a constant expression.
OPERATORS = [CASES / "operators" / f"{n}.sql"
             for n in ("sym_less_vars", "sym_plus", "sym_minus", "const_plus")]


def cells(report, backend: str = "cpsat") -> dict[str, str]:
    return {o.case: o.verdict for o in report.outcomes if o.backend == backend}


def test_the_operator_cases_pass_unpatched() -> None:
    report = run(OPERATORS, ["cpsat"], jobs=1)
    assert set(cells(report).values()) == {PASS}


def test_swapping_less_and_less_equal_in_cpsat_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    from csql.backends.cpsat_encode import CpSatEncoder

    original = CpSatEncoder.relation
    swap = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
    monkeypatch.setattr(CpSatEncoder, "relation",
                        lambda self, diff, op: original(self, diff, swap.get(op, op)))
    report = run(OPERATORS, ["cpsat"], jobs=1)
    assert set(cells(report).values()) == {FAIL}
    assert not report.ok


def test_a_wrong_answer_is_rejected_by_the_oracle(monkeypatch: pytest.MonkeyPatch) -> None:
    # Corrupt the decoded tables after the ground check: only the SQL oracle can notice.
    from csql.core.grounding import Grounding

    original = Grounding.decode

    def off_by_one(self, assignment):
        tables = original(self, assignment)
        for rows in tables.values():
            for row in rows:
                if isinstance(row.get("controllable__x"), int):
                    row["controllable__x"] += 1
        return tables

    monkeypatch.setattr(Grounding, "decode", off_by_one)
    report = run([CASES / "operators" / "sym_less.sql"], ["cpsat"], jobs=1)
    [outcome] = [o for o in report.outcomes if o.backend == "cpsat"]
    assert outcome.verdict == FAIL and "oracle (duckdb) rejects" in outcome.detail


def test_a_wrong_expectation_fails() -> None:
    text = (CASES / "dcm" / "check_maximize_row.sql").read_text(encoding="utf-8")
    wrong_objective = parse_case(text.replace("@objective 15", "@objective 14"), "w1")
    wrong_solution = parse_case(text.replace("3: 5}", "3: 4}"), "w2")
    wrong_status = parse_case(text.replace("@expect OPTIMAL", "@expect INFEASIBLE"), "w3")
    report = run([wrong_objective, wrong_solution, wrong_status], ["cpsat"], jobs=1)
    details = {o.case: o.detail for o in report.outcomes if o.backend == "cpsat"}
    assert "objective 15, expected 14" in details["w1"]
    assert "expected {1: 5, 2: 5, 3: 4}" in details["w2"]
    assert "status OPTIMAL, expected INFEASIBLE" in details["w3"]


def test_refusal_needs_unsupported_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from csql.backends.cpsat import CpSatBackend

    def refuse(self, problem, options):
        raise csql.UnsupportedError("no", backend="cpsat", construct="var*var")

    monkeypatch.setattr(CpSatBackend, "_solve", refuse)
    case = CASES / "operators" / "sym_var_times_var.sql"
    [outcome] = [o for o in run([case], ["cpsat"], jobs=1).outcomes]
    assert (outcome.verdict, outcome.detail) == (REFUSED, "refused: var*var")

    def crash(self, problem, options):
        raise ValueError("boom")

    monkeypatch.setattr(CpSatBackend, "_solve", crash)
    [outcome] = [o for o in run([case], ["cpsat"], jobs=1).outcomes]
    assert outcome.verdict == FAIL and "ValueError: boom" in outcome.detail


def test_backends_that_disagree_fail_without_an_expectation(monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    # No @objective: only the comparison across backends can notice one lying about the optimum.
    from csql.conformance import Outcome
    from csql.conformance_run import _cross_check

    a = Outcome("c", "cpsat", PASS, status="OPTIMAL", objective=3)
    b = Outcome("c", "smt", PASS, status="OPTIMAL", objective=4)
    c = Outcome("c", "ilp", REFUSED, detail="refused: x")
    _cross_check(parse_case("-- @expect OPTIMAL\n", "c"), [a, b, c])
    assert (a.verdict, b.verdict, c.verdict) == (FAIL, FAIL, REFUSED)
    assert "backends disagree" in a.detail


def test_case_format_errors_are_clear() -> None:
    with pytest.raises(CaseFormatError, match="no '-- @expect' line"):
        parse_case("CREATE TABLE t (id INTEGER);", "x")
    with pytest.raises(CaseFormatError, match=r"x.sql:2: bad '@objective' line"):
        parse_case("-- @expect OPTIMAL\n-- @objective lots\n", "x", "x.sql")
    with pytest.raises(CaseFormatError, match="unknown database"):
        parse_case("-- @expect OPTIMAL\n-- @databases oracle\n", "x")


def test_case_text_round_trip() -> None:
    [case] = load_cases([CASES / "dcm" / "data_view_writeback.sql"])
    again = parse_case(case.to_text(), case.name)
    for field in ("expect", "objective", "solution", "after", "databases", "covers"):
        assert getattr(again, field) == getattr(case, field), field
    assert "@variable_columns" in (CASES / "vldb" / "check_from.sql").read_text()
    [annotated] = load_cases([CASES / "vldb" / "check_from.sql"])
    assert "@variable_columns(x)" in annotated.program  # annotations stay in the program


def test_report_renders_markdown_and_json() -> None:
    report = run([CASES / "dcm" / "minimize_row.sql"], ["cpsat", "nonexistent"], jobs=1)
    markdown = to_markdown(report, "csql conformance")
    assert "| `minimize_row` | pass | n/a |" in markdown
    data = to_json(report)
    assert data["backends"]["nonexistent"] == {"available": False, "reason": "not registered"}
    assert data["ok"] is True


def test_the_command_writes_both_reports(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    import json

    from csql.cli import main

    case = CASES / "dcm" / "minimize_row.sql"
    code = main(["conformance", str(case), "--backend", "cpsat", "--report",
                 str(tmp_path / "m.json"), "--markdown", str(tmp_path / "m.md")])
    assert code == 0
    data = json.loads((tmp_path / "m.json").read_text())
    assert [(o["case"], o["verdict"], o["objective"]) for o in data["outcomes"]] == [
        ("minimize_row", "pass", -4)]
    assert "Generated by `csql conformance --backend cpsat --markdown" in \
        (tmp_path / "m.md").read_text()
    assert "cpsat=pass" in capsys.readouterr().out

    broken = tmp_path / "broken.sql"
    broken.write_text(case.read_text().replace("@objective -4", "@objective -5"))
    assert main(["conformance", str(broken), "--backend", "cpsat", "--quiet"]) == 1
