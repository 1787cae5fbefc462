"""Lexical handling of SQL text that the adapters need without parsing SQL.

Three jobs share one scanner: splitting a data file into statements (so an error can name the
statement and its line), rewriting csql's `?` placeholders for drivers that use `%s`, and
locating a statement in its file. The scanner only has to know where string literals, quoted
identifiers, comments and dollar-quoted bodies start and end; everything else is opaque.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

CODE = "code"
STRING = "string"  # '...' (and E'...' with backslash escapes)
IDENT = "ident"  # "..."
COMMENT = "comment"  # -- ... and /* ... */
DOLLAR = "dollar"  # $tag$ ... $tag$


def _dollar_tag(text: str, i: int) -> str | None:
    """The `$tag$` opening at i, if any (PostgreSQL and DuckDB dollar quoting)."""
    j = i + 1
    while j < len(text) and (text[j].isalnum() or text[j] == "_"):
        j += 1
    if j < len(text) and text[j] == "$":
        tag = text[i : j + 1]
        if len(tag) > 2 and tag[1].isdigit():
            return None  # $1 is a positional parameter, not a tag
        return tag
    return None


def scan(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (kind, start, end) segments covering `text` in order."""
    n = len(text)
    i = 0
    start = 0
    while i < n:
        c = text[i]
        seg_end: int | None = None
        kind = CODE
        if c == "'":
            backslash = i > 0 and text[i - 1] in "eE" and (i < 2 or not text[i - 2].isalnum())
            j = i + 1
            while j < n:
                if backslash and text[j] == "\\":
                    j += 2
                    continue
                if text[j] == "'":
                    if j + 1 < n and text[j + 1] == "'":
                        j += 2
                        continue
                    break
                j += 1
            kind, seg_end = STRING, min(j + 1, n)
        elif c == '"':
            j = text.find('"', i + 1)
            while j != -1 and j + 1 < n and text[j + 1] == '"':
                j = text.find('"', j + 2)
            kind, seg_end = IDENT, (n if j == -1 else j + 1)
        elif c == "-" and text.startswith("--", i):
            j = text.find("\n", i)
            kind, seg_end = COMMENT, (n if j == -1 else j)
        elif c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            kind, seg_end = COMMENT, (n if j == -1 else j + 2)
        elif c == "$":
            tag = _dollar_tag(text, i)
            if tag is not None:
                j = text.find(tag, i + len(tag))
                kind, seg_end = DOLLAR, (n if j == -1 else j + len(tag))
        if seg_end is None:
            i += 1
            continue
        if start < i:
            yield CODE, start, i
        yield kind, i, seg_end
        i = start = seg_end
    if start < n:
        yield CODE, start, n


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of a script: its text (without the `;`) and where it starts."""

    text: str
    offset: int
    line: int
    column: int


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def split_statements(text: str) -> list[Statement]:
    """Split a script at top-level semicolons; statements that are only comments are dropped."""
    statements: list[Statement] = []
    first: int | None = None  # offset of the first non-comment character of the statement

    def close(end: int) -> None:
        if first is not None:
            body = text[first:end].rstrip()
            line, column = line_column(text, first)
            statements.append(Statement(body, first, line, column))

    for kind, s, e in scan(text):
        if kind == COMMENT:
            continue
        if kind != CODE:
            if first is None:
                first = s
            continue
        pos = s
        while True:
            semi = text.find(";", pos, e)
            chunk_end = e if semi == -1 else semi
            if first is None:
                lead = len(text[pos:chunk_end]) - len(text[pos:chunk_end].lstrip())
                if pos + lead < chunk_end:
                    first = pos + lead
            if semi == -1:
                break
            close(semi)
            first, pos = None, semi + 1
    close(len(text))
    return statements


def qmark_to_format(sql: str) -> str:
    """Rewrite `?` placeholders to `%s` and escape literal `%` as `%%` (psycopg's format).

    psycopg reads `%` anywhere in the text, literals included, so every `%` is doubled; `?` is a
    placeholder only in code, never inside a literal, identifier or comment."""
    out: list[str] = []
    for kind, s, e in scan(sql):
        piece = sql[s:e].replace("%", "%%")
        if kind == CODE:
            piece = piece.replace("?", "%s")
        out.append(piece)
    return "".join(out)


def first_line(message: str, limit: int = 300) -> str:
    """The driver's message without its multi-line context, bounded for error texts."""
    text = message.strip().splitlines()[0] if message.strip() else message
    return text if len(text) <= limit else text[: limit - 3] + "..."


def abbreviate(sql: str, limit: int = 200) -> str:
    """A statement on one line, shortened for an error message."""
    flat = " ".join(sql.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
