"""Lark's parse errors in the user's words: `UnexpectedInput` becomes `SqlSyntaxError` with the
position, the token found and what was expected, terminals named as a reader would say them.
"""

from __future__ import annotations

from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from csql.ir.errors import SqlSyntaxError
from csql.ir.span import Span

# Plain words for Lark's terminal names in "expected ..." messages.
_TERMINAL_WORDS = {
    "IDENT": "a name", "QUOTED_IDENT": "a quoted name", "STRING": "a string",
    "INT_NUMBER": "a number", "DECIMAL_NUMBER": "a number", "COMP_OP": "a comparison",
    "LPAR": "'('", "RPAR": "')'", "COMMA": "','", "_SEMI": "';'", "DOT": "'.'",
    "LSQB": "'['", "RSQB": "']'", "PLUS": "'+'", "MINUS": "'-'", "STAR": "'*'",
    "SLASH": "'/'", "PERCENT": "'%'", "CONCAT": "'||'", "$END": "end of input",
    "__ANON_0": "'::'",
}


def _describe_terminal(name: str) -> str:
    if name in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[name]
    if name.isalpha() and name.isupper():
        return name  # a keyword, Lark names it after its text
    return name.lower()


def _expected_words(expected: set[str]) -> str:
    words = sorted({_describe_terminal(t) for t in expected})
    keywords = [w for w in words if w.isupper()]
    others = [w for w in words if not w.isupper()]
    ordered = others + keywords
    if len(ordered) > 12:
        ordered = ordered[:12] + ["..."]
    return ", ".join(ordered)


def syntax_error(exc: UnexpectedInput, source: str, filename: str) -> SqlSyntaxError:
    line = getattr(exc, "line", 0) or 0
    column = getattr(exc, "column", 0) or 0
    pos = getattr(exc, "pos_in_stream", None) or 0
    if isinstance(exc, UnexpectedEOF) or (getattr(exc, "token", None) is not None
                                          and exc.token.type == "$END"):
        found = "end of input"
        lines = source.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
        pos = len(source)
    elif isinstance(exc, UnexpectedCharacters):
        found = repr(source[pos]) if pos < len(source) else "end of input"
    else:
        token = exc.token  # type: ignore[attr-defined]
        found = repr(str(token))
    expected = getattr(exc, "expected", None) or getattr(exc, "allowed", None) or set()
    span = Span(filename, line, column, line, column + 1, pos, pos + 1)
    message = f"unexpected {found}"
    hint = f"expected one of: {_expected_words(set(expected))}" if expected else None
    if found == "end of input":
        hint = (hint + "; " if hint else "") + "the statement is incomplete"
    return SqlSyntaxError(message, span, hint=hint, source=source)
