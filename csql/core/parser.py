"""Program text to syntax tree (`csql.core.ast`), with a span on every node.

The Lark parser is built once per process. Lark's own exceptions never reach the user:
`UnexpectedInput` becomes `SqlSyntaxError` (`parser_errors`); `VisitError` is unwrapped.
Annotation comments are invisible to the lexer, so they are found by a pre-scan of the text
and attached to the statement after them. The transformer's rules live in
`parser_statements` and `parser_expressions`, combined here into one class.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from importlib import resources

from lark import Lark, Tree
from lark.exceptions import UnexpectedInput, VisitError

from csql.ir.errors import CsqlError, SqlSyntaxError

from . import ast as A
from .parser_base import identifier, span_from_pos
from .parser_errors import syntax_error
from .parser_expressions import ExpressionRules
from .parser_statements import QueryRules, StatementRules


@lru_cache(maxsize=1)
def _lark() -> Lark:
    text = resources.files("csql.core").joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(text, start="program", parser="lalr", lexer="contextual",
                propagate_positions=True, maybe_placeholders=False)


class _ToAst(StatementRules, QueryRules, ExpressionRules):
    """Builds `csql.core.ast` nodes from the Lark tree (one method per named alternative)."""


_ANNOTATION = re.compile(r"--[ \t]*@variable_columns[ \t]*\(([^)\n]*)\)", re.IGNORECASE)
_ANNOTATION_LOOSE = re.compile(r"--[ \t]*@variable_columns\b", re.IGNORECASE)
_IDENTIFIER = re.compile(r'^(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")$')


def scan_annotations(source: str, filename: str) -> list[A.Annotation]:
    """Every `-- @variable_columns(...)` comment of the program, in order."""
    found = []
    for m in _ANNOTATION_LOOSE.finditer(source):
        strict = _ANNOTATION.match(source, m.start())
        span = span_from_pos(source, filename, m.start(), m.end())
        if strict is None:
            raise SqlSyntaxError(
                "malformed @variable_columns annotation", span, source=source,
                hint="write it as `-- @variable_columns(col1, col2)` on its own line "
                     "directly before the CREATE TABLE or CREATE VIEW")
        names = [p.strip() for p in strict.group(1).split(",")]
        if not names or any(not _IDENTIFIER.match(n) for n in names):
            raise SqlSyntaxError(
                f"bad column list in annotation: ({strict.group(1)})", span, source=source,
                hint="list column names separated by commas, e.g. "
                     "`-- @variable_columns(node_name)`")
        found.append(A.Annotation(tuple(identifier(n) for n in names), span))
    return found


def parse(source: str, filename: str = "<program>") -> list[A.Statement]:
    """Parse a whole program into statements, annotations attached."""
    try:
        tree: Tree = _lark().parse(source)
    except UnexpectedInput as exc:
        raise syntax_error(exc, source, filename) from None
    try:
        statements: list[A.Statement] = _ToAst(source, filename).transform(tree)
    except VisitError as exc:
        inner = exc.orig_exc
        if isinstance(inner, CsqlError):
            raise inner from None
        raise
    return _attach_annotations(statements, scan_annotations(source, filename), source)


def _attach_annotations(statements: list[A.Statement], annotations: list[A.Annotation],
                        source: str) -> list[A.Statement]:
    result = list(statements)
    for ann in annotations:
        following = [i for i, s in enumerate(result) if s.span.start_pos > ann.span.start_pos]
        inside = [s for s in result if s.span.start_pos < ann.span.start_pos < s.span.end_pos]
        if inside or not following:
            raise SqlSyntaxError(
                "@variable_columns annotation is not followed by a statement", ann.span,
                source=source,
                hint="put the annotation on the line directly before CREATE TABLE / CREATE VIEW")
        index = following[0]
        target = result[index]
        if not isinstance(target, (A.CreateTable, A.CreateView)):
            raise SqlSyntaxError(
                "@variable_columns annotation must precede CREATE TABLE or CREATE VIEW",
                ann.span, source=source,
                hint="variable columns belong to tables and views, not constraints")
        if target.annotation is not None:
            merged = A.Annotation(target.annotation.columns + ann.columns, target.annotation.span)
        else:
            merged = ann
        result[index] = dataclasses.replace(target, annotation=merged)
    return result
