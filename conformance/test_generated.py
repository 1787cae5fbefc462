"""200 generated programs with a fixed seed (printed), on every available backend, each with
its metamorphic variants (csql.conformance_meta). A failure is shrunk and saved under
cases/regressions/ so that it becomes a case; the assertion message names the seed."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import seed as hypothesis_seed

from csql.conformance import Databases, backend_availability
from csql.conformance_gen import GenProgram, programs, variants
from csql.conformance_meta import campaign_parallel, check_program, ci_campaign

COUNT, SEED = ci_campaign()


@pytest.mark.parametrize("seed", [SEED])  # the seed shows in the test id
def test_generated_programs_agree_across_backends_and_variants(seed: int) -> None:
    jobs = max(2, os.cpu_count() or 1)
    print(f"generated programs: {COUNT}, seeds {seed}..{seed + jobs - 1}")
    results = campaign_parallel(COUNT, seed, jobs)
    failures = [f"seed {r.seed}: {r.failure} (saved as {r.saved})" for r in results if r.failure]
    assert not failures, "\n".join(failures)
    assert sum(r.count for r in results) == COUNT
    statuses = {}
    for r in results:
        for status, n in r.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    print("statuses:", statuses)
    # The generator must produce both kinds, or it tests nothing interesting.
    assert statuses.get("OPTIMAL", 0) >= COUNT // 10 and statuses.get("INFEASIBLE", 0) >= 1


@hypothesis_seed(SEED)
@settings(max_examples=25, deadline=None, database=None)
@given(programs())
def test_variants_render_the_same_structure(program: GenProgram) -> None:
    # Each variant keeps the rows and the number of statements (the redundant one adds two).
    base_program, base_data = program.render()
    for label, variant in variants(program, SEED).items():
        text, data = variant.render()
        assert sorted(data.splitlines()) == sorted(base_data.splitlines()) or \
            label in ("renamed", "permuted_rows"), label
        assert len(variant.items) == len(program.items), label
        statements = text.count(";")
        if label == "redundant_constraint":
            assert statements == base_program.count(";") + 1 + min(1, len(program.checks))
        elif label != "split_conjunctions":
            assert statements == base_program.count(";"), label


def test_a_metamorphic_difference_is_reported(monkeypatch) -> None:
    # Break one metamorphic relation on purpose: a "renamed" variant that loses a constraint.
    import csql.conformance_meta as meta
    from csql.conformance_gen import Check, Objective

    program = GenProgram([("n0", 3)], [(1, 2, 0)], 0, 4, [],
                         [Objective("row", "MAXIMIZE", "{item}.{x}")])
    original = meta.variants

    def broken(p, seed):
        out = original(p, seed)
        out["renamed"].checks = [Check("row", ["{item}.{x} <= 1"])]
        return out

    monkeypatch.setattr(meta, "variants", broken)
    status, problems = check_program(program, backend_availability(["cpsat"]), True, 0,
                                     Databases())
    assert status == "OPTIMAL"
    assert problems == ["variant renamed on cpsat: OPTIMAL 1, original: OPTIMAL 4"]


def test_a_saved_regression_is_a_case_file(tmp_path) -> None:
    from csql.conformance import load_cases
    from csql.conformance_gen import Check, Objective
    from csql.conformance_meta import save_regression

    program = GenProgram([("n0", 3)], [(1, None, 0), (2, 4, 1)], 0, 2,
                         [Check("join", ["{item}.{w} <= {node}.{cap}"], "{node}.{cap} > 1", True)],
                         [Objective("group_node", "MINIMIZE", "count({item}.{id})")],
                         dialect="weave")
    path = save_regression(program, ["cpsat: objective 1, expected 2"], tmp_path, 5)
    [case] = load_cases([path])
    assert path.name == "generated_5_1.sql" and case.expect == "OPTIMAL"
    assert "-- cpsat: objective 1, expected 2" in case.program
    assert "INSERT INTO item VALUES (1, NULL, 0, NULL, NULL), (2, 4, 1, NULL, NULL);" in case.data
    import csql

    csql.compile(case.program, case.path)  # the saved program is valid C-SQL
