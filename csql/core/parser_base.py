"""What every part of the parser shares: SQL's identifier folding, the reserved words, spans
from Lark's positions, and the transformer base that turns a rule's position into a span.

The transformer is split by job (`parser_statements`, `parser_expressions`); Lark finds a
rule's method by name on the combined class in `parser`, so each part only needs this base.
"""

from __future__ import annotations

from lark import Token, Transformer

from csql.ir.errors import SqlSyntaxError
from csql.ir.span import Span

# Words that are never names unless double-quoted (the contextual lexer would otherwise
# accept e.g. `SELECT FROM t` as selecting a column called "from").
RESERVED_WORDS = frozenset({
    "and", "as", "between", "by", "case", "check", "constraint", "create", "distinct", "else",
    "end", "except", "exists", "from", "group", "having", "in", "intersect", "is", "join",
    "limit", "maximize", "minimize", "not", "null", "on", "or", "order", "select", "table",
    "then", "union", "view", "when", "where", "with",
})


def identifier(text: str) -> str:
    """Case-fold an identifier as SQL does: plain names lower case, quoted names as written."""
    if text.startswith('"'):
        return text[1:-1].replace('""', '"')
    return text.lower()


def span_from_pos(source: str, filename: str, start: int, end: int) -> Span:
    line = source.count("\n", 0, start) + 1
    column = start - (source.rfind("\n", 0, start) + 1) + 1
    end_line = source.count("\n", 0, end) + 1
    end_column = end - (source.rfind("\n", 0, end) + 1) + 1
    return Span(filename, line, column, end_line, end_column, start, end)


def meta_span(meta: object, filename: str) -> Span:
    if getattr(meta, "empty", False):
        return Span(filename, 0, 0, 0, 0)
    return Span(filename, meta.line, meta.column, meta.end_line, meta.end_column,  # type: ignore[attr-defined]
                meta.start_pos, meta.end_pos)  # type: ignore[attr-defined]


def token_span(tok: Token, filename: str) -> Span:
    return Span(filename, tok.line or 0, tok.column or 0, tok.end_line or 0, tok.end_column or 0,
                tok.start_pos or 0, tok.end_pos or 0)


class AstBuilder(Transformer):
    """The source text and file name every rule method needs for spans and names."""

    def __init__(self, source: str, filename: str) -> None:
        super().__init__()
        self.source = source
        self.filename = filename

    def _s(self, meta: object) -> Span:
        return meta_span(meta, self.filename)

    def _text(self, meta: object) -> str:
        return self.source[meta.start_pos:meta.end_pos]  # type: ignore[attr-defined]

    def _name(self, tok: object) -> str:
        text = str(tok)
        if isinstance(tok, Token) and tok.type == "IDENT" and text.lower() in RESERVED_WORDS:
            raise SqlSyntaxError(
                f"unexpected keyword {text.upper()}", token_span(tok, self.filename),
                source=self.source,
                hint=f'{text.upper()} is a reserved word; write "{text.lower()}" (double-quoted) '
                     "to use it as a name, or check the clause before it")
        return identifier(text)
