"""Variable cells and their domains, the string dictionary, keys over variable columns.

Domains follow language §2: a FOREIGN KEY gives the referenced column's current values; the
top-level hard constraints found by `rewrites.infer_domains` give bounds and sets; otherwise
the configured default range (not applied to a FOREIGN KEY's values, which take precedence);
BOOLEAN is {0, 1}. All applicable sources are intersected —
each is a requirement every solution meets anyway, so the intersection loses no solution and
gives the solver the tightest domain. A string variable needs a finite domain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from csql.ir import ground as g
from csql.ir import logical as L
from csql.ir import traverse
from csql.ir.errors import DataError, GroundingError

from . import grounding_values as V
from .relations import distinct_values

if TYPE_CHECKING:
    from csql.rewrites import ColumnRestriction

    from .grounding import Grounder, RelationCells


class ColumnDomain:
    """The domain of one variable column (shared by all its cells), before string encoding:
    `values` a set of Python values (None: no finite set), `low`/`high` integer bounds."""

    def __init__(self) -> None:
        self.values: set[object] | None = None
        self.low: int | None = None
        self.high: int | None = None
        self.sources: list[str] = []
        # (provenance name, FK, referenced values): data-derived parts, which an explanation
        # turns into explicit constraints so that they can appear in an unsatisfiable core
        self.foreign: list[tuple[str, L.ForeignKey, set[object]]] = []

    def restrict(self, values: set[object] | None = None, low: int | None = None,
                 high: int | None = None, source: str = "") -> None:
        if values is not None:
            self.values = set(values) if self.values is None else self.values & set(values)
        if low is not None:
            self.low = low if self.low is None else max(self.low, low)
        if high is not None:
            self.high = high if self.high is None else min(self.high, high)
        if source:
            self.sources.append(source)


def column_domains(gr: Grounder) -> dict[tuple[str, str], ColumnDomain]:
    """The domain of every variable column, with FK values and subquery sets read by SQL."""
    restrictions: dict[tuple[str, str], list[ColumnRestriction]] = gr.rewrite_ctx.column_domains
    out: dict[tuple[str, str], ColumnDomain] = {}
    for rel in gr.program.variable_relations():
        for col in rel.variable_columns:
            dom = ColumnDomain()
            if col.type == L.BOOL:
                dom.restrict({False, True})
            if isinstance(rel, L.Table):
                for fk in rel.foreign_keys:
                    if col.name in fk.columns and len(fk.columns) == 1:
                        ref = gr.db.quote(fk.ref_table)
                        vals = distinct_values(gr.db, ref, fk.ref_columns[0])
                        allowed = {v for v in vals if v is not None}
                        dom.restrict(allowed, source=f"fk:{rel.name}.{col.name}")
                        dom.foreign.append((f"fk:{rel.name}.{col.name}", fk, allowed))
            for r in restrictions.get((rel.name, col.name), []):
                values: set[object] | None = None
                if r.is_set:
                    values = set(r.values or ())
                    has_null = False
                    for q in r.queries:
                        got = gr.constant_query_values(q)
                        has_null |= any(v is None for v in got)
                        values |= set(got)
                    if has_null:  # `v IN (.., NULL)` is never FALSE: no restriction
                        values = None
                dom.restrict(values, r.low, r.high, source=r.statement)
            out[(rel.name, col.name)] = dom
    return out


def collect_strings(gr: Grounder, domains: dict[tuple[str, str], ColumnDomain]) -> set[str]:
    """Every string a string variable can take or be compared with as a literal."""
    found: set[str] = set()
    for dom in domains.values():
        if dom.values is not None:
            found |= {v for v in dom.values if isinstance(v, str)}
    exprs: list[L.Expr] = []
    for s in gr.program.statements:
        if isinstance(s, L.Constraint):
            exprs.append(s.expr)
            exprs.extend(traverse.query_exprs(s.query))
        elif isinstance(s, L.SymbolicView):
            exprs.extend(traverse.query_exprs(s.query))
    for e in exprs:
        for node in traverse.walk(e, into_subqueries=True):
            if isinstance(node, L.Literal) and isinstance(node.value, str):
                found.add(node.value)
    return found


def _encoded_domain(gr: Grounder, rel: L.Relation, col: L.Column, dom: ColumnDomain
                    ) -> tuple[int, int, tuple[int, ...] | None]:
    """(lb, ub, sparse values or None) of the column's cells, strings encoded."""
    if col.type == L.STRING:
        if dom.values is None:
            raise GroundingError(
                f"string variable column {rel.name}.{col.name} has no finite domain",
                col.span,
                hint=f"declare a FOREIGN KEY on {col.name}, or add a constraint such as "
                f"CHECK {col.name} IN ('a', 'b') FROM {rel.name}",
            )
        codes = tuple(sorted(gr.strings.codes[v] for v in dom.values if isinstance(v, str)))
        return (codes[0], codes[-1], codes) if codes else (0, 0, ())
    if col.type == L.BOOL:
        vals = tuple(sorted({int(v) for v in dom.values or (0, 1)  # type: ignore[call-overload]
                             if isinstance(v, (bool, int))}))
        return (vals[0], vals[-1], vals if len(vals) < 2 else None) if vals else (0, 0, ())
    low, high = gr.options.default_int_range
    if dom.foreign:  # the referenced values are the domain (§2 precedence (a)), unclipped
        low, high = -(2**63), 2**63 - 1
    low = low if dom.low is None else dom.low
    high = high if dom.high is None else dom.high
    if dom.values is not None:
        ints = tuple(sorted({int(v) for v in dom.values  # type: ignore[call-overload]
                             if isinstance(v, int) and low <= int(v) <= high}))
        return (ints[0], ints[-1], ints) if ints else (0, 0, ())
    if low > high:
        return (0, 0, ())
    return (low, high, None)


def _relaxed_domain(gr: Grounder, col: L.Column, dom: ColumnDomain
                    ) -> tuple[int, int, tuple[int, ...] | None]:
    """The column's domain before the data and the constraints narrowed it: the type's range
    (every string of the dictionary; the default integer range, within the referenced values'
    bounds when a foreign key gives them)."""
    if col.type == L.BOOL:
        return (0, 1, None)
    if col.type == L.STRING:
        count = len(gr.strings.sorted)
        return (0, count - 1, None) if count else (0, 0, ())
    low, high = gr.options.default_int_range
    ints = [int(v) for _, _, allowed in dom.foreign for v in allowed  # type: ignore[call-overload]
            if isinstance(v, int)]
    if dom.foreign:
        if not ints:
            return (0, 0, ())
        low, high = min(ints), max(ints)
    return (low, high, None) if low <= high else (0, 0, ())


def _same_domain(a: tuple[int, int, tuple[int, ...] | None],
                 b: tuple[int, int, tuple[int, ...] | None]) -> bool:
    def values(d: tuple[int, int, tuple[int, ...] | None]) -> object:
        lb, ub, vals = d
        if vals is not None and (not vals or len(vals) == ub - lb + 1):  # sorted, distinct
            return (lb, ub) if vals else ()
        return vals if vals is not None else (lb, ub)

    return values(a) == values(b)


def _foreign_constraints(gr: Grounder, rc: RelationCells, col: L.Column, dom: ColumnDomain,
                         cells: list[g.Var]) -> None:
    """With relaxed domains: each cell takes one of the referenced values, one constraint per
    (foreign key, row) with provenance kind "domain", so a core can name it."""
    for name, fk, allowed in dom.foreign:
        codes = set()
        for v in allowed:
            code = gr.strings.code(v) if isinstance(v, str) else (
                int(v) if isinstance(v, (bool, int)) else None)
            if code is not None:
                codes.add(code)
        sql = (f"{rc.name}.{col.name} REFERENCES {fk.ref_table}({', '.join(fk.ref_columns)})"
               f"  -- the values of {fk.ref_table}.{fk.ref_columns[0]}")
        for n, var in enumerate(cells):
            expr = V.in_set(var, codes)
            if isinstance(expr, g.Const) and expr.value:
                continue
            problem_key = rc.key_of(n)
            gr.problem.add(expr, g.Provenance(name, "domain", problem_key, fk.span, sql))


def create_cells(gr: Grounder, rc: RelationCells, rel: L.Table | L.DataView,
                 dom: dict[tuple[str, str], ColumnDomain]) -> None:
    """One variable per (row, variable column), hints from the stored values.

    With `relax_domains` the cells get the relaxed domain and the foreign keys become explicit
    constraints (explanations); either way the columns whose domain the data or the
    constraints narrowed are listed in `gr.narrowed_domains`."""
    problem = gr.problem
    for col in rel.variable_columns:
        lb, ub, values = _encoded_domain(gr, rel, col, dom[(rel.name, col.name)])
        relaxed = _relaxed_domain(gr, col, dom[(rel.name, col.name)])
        if rc.rows and not _same_domain((lb, ub, values), relaxed):
            gr.narrowed_domains.append(f"{rel.name}.{col.name}")
        if gr.options.relax_domains:
            lb, ub, values = relaxed
        is_bool = col.type == L.BOOL
        pos = rc.columns.index(col.name)
        cells: list[g.Var] = []
        svs: list[V.SV] = []
        kind = {L.BOOL: V.BOOL, L.STRING: V.STRING}.get(col.type, V.INT)
        empty = values == ()
        for n, row in enumerate(rc.rows):
            key = rc.key_of(n)
            var = g.Var(len(problem.variables), f"{rel.name}[{_key_text(key, n)}].{col.name}",
                        is_bool, lb, ub, None if empty else values, (rel.name, key, col.name))
            problem.variables.append(var)
            cells.append(var)
            svs.append(V.SV(var, kind))
            hint = _hint(gr, row[pos], col)
            if hint is not None and not empty and (
                    hint in values if values is not None else lb <= hint <= ub):
                problem.hints[var.index] = hint
        if empty and rc.rows:
            sources = ", ".join(dom[(rel.name, col.name)].sources) or "its constraints"
            problem.add(g.FALSE, g.Provenance(
                f"domain:{rel.name}.{col.name}", "domain", (), col.span,
                f"-- {rel.name}.{col.name} has an empty domain (from {sources})"))
        if gr.options.relax_domains:
            _foreign_constraints(gr, rc, col, dom[(rel.name, col.name)], cells)
        rc.cells[col.name] = cells
        gr.cell_values[rel.name][col.name] = svs


def _hint(gr: Grounder, stored: object, col: L.Column) -> int | None:
    if stored is None:
        return None
    if isinstance(stored, str):
        return gr.strings.code(stored) if col.type == L.STRING else None
    if isinstance(stored, (bool, int)):
        return int(stored)
    return None


def _key_text(key: tuple, n: int) -> str:
    if not key:
        return str(n)
    return ",".join(str(v) for _, v in key)


def check_not_null(rc: RelationCells, rel: L.Table | L.DataView) -> None:
    for col in rel.columns:
        if col.not_null and not col.is_variable and col.name in rc.columns:
            pos = rc.columns.index(col.name)
            for n, row in enumerate(rc.rows):
                if row[pos] is None:
                    raise DataError(
                        f"{rel.name}.{col.name} is NULL in row {_key_text(rc.key_of(n), n)} "
                        "but the column is declared NOT NULL", col.span,
                        hint=f"fill in {rel.name}.{col.name} for every row")


def key_constraints(gr: Grounder, rc: RelationCells, rel: L.Table) -> None:
    """PRIMARY KEY / UNIQUE over variable columns: the key tuples are pairwise distinct.

    Rows are grouped by the key's constant columns (rows whose constant parts differ can
    never collide; a NULL constant part never collides under UNIQUE). Within a group, one
    variable column gives AllDifferent over the cells; several give AllDifferent over a
    mixed-radix encoding `sum((x_i - lb_i) * radix_i)` — injective on the domains, so equal
    codes mean equal tuples — or, when the radix product would not fit in 62 bits, the
    pairwise disjunction `OR_i x_i != y_i`."""
    keys = ([rel.primary_key] if rel.primary_key else []) + list(rel.unique)
    for key in keys:
        var_cols = [c for c in key if (col := rel.column(c)) is not None and col.is_variable]
        if not var_cols:
            continue
        const_pos = [rc.columns.index(c) for c in key if c not in var_cols]
        groups: dict[tuple, list[int]] = {}
        for n, row in enumerate(rc.rows):
            part = tuple(row[p] for p in const_pos)
            if any(v is None for v in part):
                continue
            groups.setdefault(part, []).append(n)
        name = f"key:{rel.name}({', '.join(key)})"
        for part, members in groups.items():
            if len(members) < 2:
                continue
            tuples = [[rc.cells[c][n] for c in var_cols] for n in members]
            prov = g.Provenance(name, "key", tuple(zip([c for c in key if c not in var_cols],
                                                        part)), rel.span, rel.sql)
            gr.problem.add(_distinct_tuples(gr, tuples), prov)


def _distinct_tuples(gr: Grounder, tuples: list[list[g.Var]]) -> g.Expr:
    if len(tuples[0]) == 1:
        return g.AllDifferent(tuple(t[0] for t in tuples))
    width = len(tuples[0])
    lows = [min(t[i].lb for t in tuples) for i in range(width)]
    highs = [max(t[i].ub for t in tuples) for i in range(width)]
    radix = 1
    weights = []
    for i in range(width):
        weights.append(radix)
        radix *= highs[i] - lows[i] + 1
    if radix < 2**62:
        return g.AllDifferent(tuple(
            V.linear([(w, x) for w, x in zip(weights, t)], -sum(w * lo for w, lo in
                                                                zip(weights, lows)))
            for t in tuples))
    parts = []
    for i in range(len(tuples)):
        for j in range(i + 1, len(tuples)):
            parts.append(V.or_([V.compare("!=", a, b, gr.bounds)
                                for a, b in zip(tuples[i], tuples[j])]))
    return V.and_(parts)
