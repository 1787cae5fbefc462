"""Logical-IR passes, one module per pass, run in the order of `PIPELINE`.

Each pass is `pass_name(program, ctx) -> program`, pure and copy-on-write; what a pass learns
about the program without changing it (inferred domains) goes into the context object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from csql.ir import logical as L

from .desugar import desugar
from .infer_domains import ColumnRestriction, infer_domains


@dataclass(slots=True)
class RewriteContext:
    """Options of the passes and what they found."""

    column_domains: dict[tuple[str, str], list[ColumnRestriction]] = field(default_factory=dict)


Pass = Callable[[L.Program, RewriteContext], L.Program]

PIPELINE: tuple[Pass, ...] = (
    desugar,  # BETWEEN and negated IN / EXISTS disappear; later passes see fewer forms
    infer_domains,  # needs desugared BETWEEN to see both bounds as conjuncts
)


def run_pipeline(program: L.Program, ctx: RewriteContext | None = None) -> L.Program:
    ctx = ctx if ctx is not None else RewriteContext()
    for step in PIPELINE:
        program = step(program, ctx)
    return program


__all__ = ["PIPELINE", "ColumnRestriction", "RewriteContext", "desugar", "infer_domains",
           "run_pipeline"]
