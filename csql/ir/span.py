"""Source positions, kept on every logical-IR node so errors and explanations point at SQL."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A region of one source file. Lines and columns are 1-based; `end_*` is exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    start_pos: int = 0
    end_pos: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


UNKNOWN_SPAN = Span("<unknown>", 0, 0, 0, 0)
