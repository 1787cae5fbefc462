"""Domain inference: top-level hard constraints that bound one variable column alone.

Before: a desugared program (no `Between`, no negated IN). After: the program is unchanged and
`ctx.column_domains` maps (relation, column) to the restrictions found, which the grounder
intersects into the variables' domains (language §2, precedence (b)). The constraints stay in
the program: grounding them again is harmless (the grounder folds `v >= 1` to TRUE once the
domain says so) and keeps their provenance for unsatisfiable cores.

A constraint qualifies when it is a CHECK over one source with no qualifiers and no grouping,
so it applies to every row of that relation; each of its top-level conjuncts of the forms
`v op literal` (op in = < <= > >=), `v IN (literals)`, `v IN (uncorrelated constant query)`,
or an OR of equalities / INs on the same column, restricts `v`. A NULL among the allowed
values makes the CHECK pass for every value (`v IN (1, NULL)` is never FALSE), so such a
conjunct restricts nothing; subquery results are checked for NULL by the grounder.
"""

from __future__ import annotations

from dataclasses import dataclass

from csql.ir import logical as L
from csql.ir import traverse
from csql.ir.span import UNKNOWN_SPAN, Span

from .common import conjuncts


@dataclass(frozen=True, slots=True)
class ColumnRestriction:
    """The column's value lies in [low, high] and, when `values` or `queries` is given, in
    the union of `values` and the results of `queries` (uncorrelated constant subqueries)."""

    relation: str
    column: str
    low: int | None = None
    high: int | None = None
    values: tuple[object, ...] | None = None
    queries: tuple[L.Query, ...] = ()
    statement: str = ""
    span: Span = UNKNOWN_SPAN

    @property
    def is_set(self) -> bool:
        return self.values is not None or bool(self.queries)


def is_correlated(query: L.Query, level: int = 1) -> bool:
    """Whether the query reads a column of an enclosing query (`level` = nesting depth)."""
    for expr in traverse.query_exprs(query):
        for node in traverse.walk(expr):
            if isinstance(node, L.ColumnRef) and node.depth >= level:
                return True
            sub = traverse.subquery_of(node)
            if sub is not None and is_correlated(sub, level + 1):
                return True
    return False


def _variable_ref(e: L.Expr, source: L.Source, program: L.Program) -> str | None:
    if not (isinstance(e, L.ColumnRef) and e.depth == 0 and e.source == source.alias):
        return None
    rel = program.get(source.relation)
    if not isinstance(rel, (L.Table, L.DataView)):
        return None
    col = rel.column(e.column)
    return e.column if col is not None and col.is_variable else None


def _literal(e: L.Expr) -> object:
    """The literal's value, or a sentinel when it is not a usable literal."""
    if isinstance(e, L.Literal) and not isinstance(e.value, float):
        return e.value
    if isinstance(e, L.Negate) and isinstance(e.arg, L.Literal) and isinstance(e.arg.value, int):
        return -e.arg.value
    return _NOT_LITERAL


_NOT_LITERAL = object()
_FLIP = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _one(expr: L.Expr, source: L.Source, program: L.Program
         ) -> tuple[str, dict[str, object]] | None:
    """(column, restriction fields) for one conjunct, or None."""
    if isinstance(expr, L.Comparison) and expr.op in _FLIP:
        op, left, right = expr.op, expr.left, expr.right
        col = _variable_ref(left, source, program)
        if col is None:
            col = _variable_ref(right, source, program)
            op, left, right = _FLIP[op], right, left
        value = _literal(right)
        if col is None or value is _NOT_LITERAL or value is None:
            return None
        if op == "=":
            return col, {"values": (value,)}
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        bound = {"<": ("high", value - 1), "<=": ("high", value),
                 ">": ("low", value + 1), ">=": ("low", value)}[op]
        return col, {bound[0]: bound[1]}
    if isinstance(expr, L.InList) and not expr.negated:
        col = _variable_ref(expr.arg, source, program)
        values = [_literal(i) for i in expr.items]
        if col is None or any(v is _NOT_LITERAL or v is None for v in values):
            return None
        return col, {"values": tuple(values)}
    if isinstance(expr, L.InSubquery) and not expr.negated:
        col = _variable_ref(expr.arg, source, program)
        q = expr.query
        if col is None or q.symbolic or is_correlated(q) or _reads_symbolic_view(q, program):
            return None
        return col, {"queries": (q,)}
    if isinstance(expr, L.BoolOp) and expr.op == "or":
        found = [_one(a, source, program) for a in expr.args]
        if any(f is None for f in found) or len({f[0] for f in found}) != 1:  # type: ignore[index]
            return None
        if any("values" not in f[1] and "queries" not in f[1] for f in found):  # type: ignore[index]
            return None
        values: list[object] = []
        queries: list[L.Query] = []
        for _, fields in found:  # type: ignore[misc]
            values.extend(fields.get("values", ()))
            queries.extend(fields.get("queries", ()))
        return found[0][0], {"values": tuple(values), "queries": tuple(queries)}  # type: ignore[index]
    return None


def _reads_symbolic_view(query: L.Query, program: L.Program) -> bool:
    return any(isinstance(program.get(s.relation), L.SymbolicView) for s in query.sources)


def column_restrictions(program: L.Program) -> dict[tuple[str, str], list[ColumnRestriction]]:
    """Every restriction of a variable column found in the program's CHECK constraints."""
    found: dict[tuple[str, str], list[ColumnRestriction]] = {}
    for c in program.constraints:
        q = c.query
        if (c.kind != L.CHECK or len(q.sources) != 1 or q.constant_qualifiers
                or q.variable_qualifiers or q.grouped or q.group_by or q.having is not None):
            continue
        source = q.sources[0]
        for conjunct in conjuncts(c.expr):
            one = _one(conjunct, source, program)
            if one is None:
                continue
            col, fields = one
            restriction = ColumnRestriction(source.relation, col, statement=c.name,
                                            span=conjunct.span, **fields)  # type: ignore[arg-type]
            found.setdefault((source.relation, col), []).append(restriction)
    return found


def infer_domains(program: L.Program, ctx: object = None) -> L.Program:
    """Record the restrictions in `ctx.column_domains`; the program itself is unchanged."""
    if ctx is not None:
        ctx.column_domains = column_restrictions(program)  # type: ignore[attr-defined]
    return program
