"""Types, name scopes and error helpers shared by the binder modules.

SQL's declared types map onto the few logical types csql reasons about; the helpers decide
which operands are compatible (numbers, including booleans as 0/1, with numbers; strings with
strings) so every operator is checked in one way.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from csql.ir import logical as L
from csql.ir.errors import CompileError, SqlTypeError
from csql.ir.span import Span

from . import ast as A

INT_TYPES = {"integer", "int", "bigint", "smallint", "tinyint", "int2", "int4", "int8",
             "hugeint", "ubigint", "uinteger", "usmallint", "utinyint", "serial",
             "bigserial", "smallserial", "long", "short"}
STRING_TYPES = {"varchar", "text", "char", "character", "string", "nvarchar", "nchar",
                "bpchar", "uuid", "name"}
BOOL_TYPES = {"boolean", "bool", "logical"}
REAL_TYPES = {"real", "double", "float", "decimal", "numeric", "float4", "float8", "dec"}

VARIABLE_PREFIXES = ("controllable__", "variable__")


def logical_type(type_name: A.TypeName) -> str:
    """The logical type of a declared SQL type; unknown names (TIMESTAMP, JSON, ...) are ANY."""
    if type_name.array_dims:
        return L.ARRAY
    first = type_name.words[0] if type_name.words else ""
    if first in INT_TYPES:
        return L.INT
    if first in STRING_TYPES:
        return L.STRING
    if first in BOOL_TYPES:
        return L.BOOL
    if first in REAL_TYPES:
        return L.REAL
    return L.ANY


def has_variable_prefix(name: str) -> bool:
    return name.startswith(VARIABLE_PREFIXES)


NUMERIC = (L.INT, L.REAL, L.BOOL, L.NULLTYPE, L.ANY)


def is_numeric(t: str) -> bool:
    return t in NUMERIC


def is_boolean(t: str) -> bool:
    return t in (L.BOOL, L.NULLTYPE, L.ANY)


def _family(t: str) -> str:
    return "number" if t in (L.INT, L.REAL, L.BOOL) else t


def comparable(a: str, b: str) -> bool:
    if a in (L.NULLTYPE, L.ANY) or b in (L.NULLTYPE, L.ANY):
        return True
    return _family(a) == _family(b)


def arithmetic_result(a: str, b: str) -> str:
    if L.ANY in (a, b):
        return L.ANY
    if L.REAL in (a, b):
        return L.REAL
    return L.INT


def unify(types: list[str], span: Span, what: str) -> str:
    """The common type of CASE branches, LEAST/GREATEST arguments and the like."""
    known = [t for t in types if t != L.NULLTYPE]
    if not known:
        return L.NULLTYPE
    if L.ANY in known:
        return L.ANY
    if all(t == known[0] for t in known):
        return known[0]
    if all(t in (L.INT, L.REAL, L.BOOL) for t in known):
        return L.REAL if L.REAL in known else L.INT
    raise SqlTypeError(f"{what} mixes incompatible types: {', '.join(sorted(set(known)))}",
                       span, hint="make every branch the same type (CAST the constants)")


def did_you_mean(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def listing(candidates: list[str], limit: int = 20) -> str:
    shown = candidates[:limit]
    more = f", ... ({len(candidates) - limit} more)" if len(candidates) > limit else ""
    return ", ".join(shown) + more if shown else "(none)"


@dataclass
class SourceEntry:
    alias: str
    relation: str
    columns: tuple[L.Column, ...]
    span: Span

    def column(self, name: str) -> L.Column | None:
        for c in self.columns:
            if c.name == name:
                return c
        return None


@dataclass
class Scope:
    """The FROM items of one query level; `parent` is the enclosing query (correlation)."""

    sources: list[SourceEntry] = field(default_factory=list)
    parent: Scope | None = None
    found_aggregate: bool = False
    # Set once the query has a variable qualifier: which rows an aggregate consumes then
    # depends on the variables, so every aggregate of the query is symbolic.
    variable_rows: bool = False

    def resolve(self, ref: A.ColumnName) -> L.ColumnRef:
        parts = ref.parts[-2:]
        if len(parts) == 2:
            return self._resolve_qualified(parts[0], parts[1], ref.span)
        return self._resolve_plain(parts[0], ref.span)

    def _resolve_qualified(self, alias: str, column: str, span: Span) -> L.ColumnRef:
        scope: Scope | None = self
        depth = 0
        while scope is not None:
            for src in scope.sources:
                if src.alias == alias:
                    col = src.column(column)
                    if col is None:
                        names = [c.name for c in src.columns]
                        raise CompileError(
                            f"column '{column}' not in {src.relation}"
                            + (f" (alias {alias})" if alias != src.relation else ""), span,
                            hint=f"{did_you_mean(column, names)}columns of {src.relation}: "
                                 f"{listing(names)}")
                    return _column_ref(src, col, depth, span)
            scope = scope.parent
            depth += 1
        aliases = self.visible_aliases()
        raise CompileError(f"unknown table or alias '{alias}'", span,
                           hint=f"{did_you_mean(alias, aliases)}tables in scope: "
                                f"{listing(aliases)}")

    def _resolve_plain(self, column: str, span: Span) -> L.ColumnRef:
        scope: Scope | None = self
        depth = 0
        while scope is not None:
            hits = [(s, c) for s in scope.sources if (c := s.column(column)) is not None]
            if len(hits) > 1:
                names = ", ".join(f"{s.alias}.{column}" for s, _ in hits)
                raise CompileError(f"column '{column}' is ambiguous", span,
                                   hint=f"qualify it: one of {names}")
            if hits:
                return _column_ref(hits[0][0], hits[0][1], depth, span)
            scope = scope.parent
            depth += 1
        known = sorted({c.name for s in self.sources for c in s.columns})
        everywhere = sorted({c.name for sc in self.chain() for s in sc.sources
                             for c in s.columns})
        where = ", ".join(s.relation for s in self.sources) or "no table (the query has no FROM)"
        raise CompileError(f"unknown column '{column}' in {where}", span,
                           hint=f"{did_you_mean(column, everywhere)}known columns: "
                                f"{listing(known)}")

    def chain(self) -> list[Scope]:
        out = []
        scope: Scope | None = self
        while scope is not None:
            out.append(scope)
            scope = scope.parent
        return out

    def visible_aliases(self) -> list[str]:
        return [s.alias for sc in self.chain() for s in sc.sources]


def _column_ref(src: SourceEntry, col: L.Column, depth: int, span: Span) -> L.ColumnRef:
    symbolic = col.kind in (L.VARIABLE, L.SYMBOLIC)
    return L.ColumnRef(src.alias, col.name, src.relation, col.type, symbolic, depth, span)
