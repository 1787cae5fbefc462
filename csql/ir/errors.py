"""The one error hierarchy of csql.

It lives in `ir/` (which depends on nothing) so that backends and passes, which may import
only `ir/`, raise the same classes the front end does; `csql.core.errors` re-exports it.
Every user-facing error can carry a span and renders as `file:line:column: message`, the
source line and a caret, then a hint saying what to do instead.
"""

from __future__ import annotations

from .span import Span


class CsqlError(Exception):
    """Base class of every error csql raises on purpose."""

    kind = "error"

    def __init__(
        self,
        message: str,
        span: Span | None = None,
        *,
        hint: str | None = None,
        source: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint
        self.source = source

    def render(self) -> str:
        """`file:line:column: kind: message`, the source line with a caret, and the hint."""
        head = f"{self.kind}: {self.message}"
        if self.span is not None and self.span.line > 0:
            head = f"{self.span}: {head}"
        lines = [head]
        if self.source is not None and self.span is not None and self.span.line > 0:
            src_lines = self.source.splitlines()
            if 0 < self.span.line <= len(src_lines):
                text = src_lines[self.span.line - 1]
                lines.append("    " + text)
                width = 1
                if self.span.end_line == self.span.line and self.span.end_column > self.span.column:
                    width = self.span.end_column - self.span.column
                lines.append("    " + " " * (self.span.column - 1) + "^" * width)
        if self.hint:
            lines.append(f"hint: {self.hint}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


class CompileError(CsqlError):
    """The program is not valid C-SQL (syntax, names, types, placement rules)."""

    kind = "error"


class SqlSyntaxError(CompileError):
    kind = "syntax error"


class SqlTypeError(CompileError):
    kind = "type error"


class DataError(CsqlError):
    """The database content cannot be used (missing FK target, NULL where forbidden, ...)."""

    kind = "data error"


class GroundingError(CsqlError):
    """The program and data together cannot be turned into a finite problem."""

    kind = "grounding error"


class UnsupportedError(CsqlError):
    """A backend cannot express a construct (a declared capability, not a bug)."""

    kind = "unsupported"

    def __init__(self, message: str, span: Span | None = None, *, backend: str | None = None,
                 construct: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, span, hint=hint)
        self.backend = backend
        self.construct = construct


class SolverError(CsqlError):
    """A solver failed or is missing (not an INFEASIBLE or UNKNOWN answer, which are statuses)."""

    kind = "solver error"


class BackendUnavailable(SolverError):
    kind = "backend unavailable"


class InternalError(CsqlError):
    """A bug in csql: an invariant a pass should have established does not hold."""

    kind = "internal error"
