"""CP-SAT under a time limit: how much presolve probing a solve may spend (`_parameters_text`),
and that the `workers` setting and explicit parameters still win. The figures the bounds come
from are measured in bench/ (see bench/README.md), never here."""

from __future__ import annotations

import pytest

pytest.importorskip("ortools")

from google.protobuf import text_format  # noqa: E402
from ortools.sat import sat_parameters_pb2  # noqa: E402

from csql.backends.base import SolveOptions  # noqa: E402
from csql.backends.cpsat import (  # noqa: E402
    _PROBING_SECONDS_PER_VARIABLE,
    _PROBING_SHARE,
    _parameters_text,
)

DEFAULTS = sat_parameters_pb2.SatParameters()


def params(options: SolveOptions, remaining: float | None, variables: int,
           core_mode: bool = False) -> sat_parameters_pb2.SatParameters:
    out = sat_parameters_pb2.SatParameters()
    text_format.Parse(_parameters_text(options, remaining, core_mode, variables), out)
    return out


def test_without_a_limit_presolve_keeps_its_defaults() -> None:
    p = params(SolveOptions(workers=3), None, 18_000)
    assert p.cp_model_probing_level == DEFAULTS.cp_model_probing_level == 2
    assert p.presolve_probing_deterministic_time_limit == 30.0  # CP-SAT's default
    assert p.num_workers == 3


def test_probing_gets_a_tenth_of_the_remaining_time() -> None:
    # 1,000 variables: about 0.1 s of probing, well inside a tenth of 10 s, so it stays on
    p = params(SolveOptions(workers=2), 10.0, 1_000)
    assert p.presolve_probing_deterministic_time_limit == pytest.approx(1.0)
    assert p.cp_model_probing_level == 2
    assert p.max_time_in_seconds == pytest.approx(10.0) and p.num_workers == 2


def test_probing_is_off_when_the_limit_is_short_for_the_model() -> None:
    # the Kubernetes batch: 18,000 variables (about 1.8 s of probing) with 4 s left
    p = params(SolveOptions(workers=1), 4.0, 18_000)
    assert p.cp_model_probing_level == 0
    assert p.presolve_probing_deterministic_time_limit == pytest.approx(0.4)
    assert p.num_workers == 1  # the workers setting is the caller's, untouched
    # the threshold: probing stays on exactly while its estimate fits the share
    fits = int(_PROBING_SHARE * 4.0 / _PROBING_SECONDS_PER_VARIABLE)
    assert params(SolveOptions(), 4.0, fits).cp_model_probing_level == 2
    assert params(SolveOptions(), 4.0, fits + 10).cp_model_probing_level == 0


def test_a_tiny_remaining_time_still_gives_a_positive_probing_budget() -> None:
    p = params(SolveOptions(), 0.01, 10)
    assert p.presolve_probing_deterministic_time_limit == pytest.approx(0.01)


def test_core_extraction_and_explicit_parameters_are_left_alone() -> None:
    core = params(SolveOptions(workers=4), 4.0, 18_000, core_mode=True)
    assert core.cp_model_probing_level == 2 and core.num_workers == 1
    assert core.presolve_probing_deterministic_time_limit == 30.0
    # a parameter given by the caller wins over the rule
    mine = params(SolveOptions(extra={"cp_model_probing_level": 1,
                                      "presolve_probing_deterministic_time_limit": 5.0}),
                  4.0, 18_000)
    assert mine.cp_model_probing_level == 1
    assert mine.presolve_probing_deterministic_time_limit == 5.0
