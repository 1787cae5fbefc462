"""The linearisation chain for integer-programming backends, in the order it must run.

Each step is a pure pass `problem -> problem` over the ground IR (its module docstring states
what holds before and after); auxiliary variables are appended after the original ones, so an
assignment of the result, restricted to the original variable indices, is an assignment of
the input with the same objective value, and every assignment of the input extends to one of
the result. After the last step every constraint is a linear row and every objective term a
linear sum (`linearize_common.is_linear_row`, `linear_terms`).
"""

from __future__ import annotations

from collections.abc import Callable

from csql.ir import ground as g

from .linearize_arith import define_arithmetic
from .linearize_bounds import require_bounds
from .linearize_common import DEFAULT_LIMITS, Limits, is_linear_row, linear_terms
from .linearize_globals import decompose_globals
from .linearize_logic import linearize_logic

LinearizePass = Callable[[g.Problem, Limits], g.Problem]

LINEARIZE: tuple[LinearizePass, ...] = (
    require_bounds,  # every big-M below is derived from variable bounds: refuse early without
    decompose_globals,  # globals become x == v indicators, sums and connectives
    define_arithmetic,  # products, division, abs, min, max, if-then-else become auxiliaries
    linearize_logic,  # booleans become binaries, every constraint a linear row
)


def linearize(problem: g.Problem, limits: Limits = DEFAULT_LIMITS) -> g.Problem:
    for step in LINEARIZE:
        problem = step(problem, limits)
    return problem


__all__ = ["DEFAULT_LIMITS", "LINEARIZE", "Limits", "define_arithmetic", "decompose_globals",
           "is_linear_row", "linear_terms", "linearize", "linearize_logic", "require_bounds"]
