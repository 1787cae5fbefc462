"""Grounding: a bound program plus the database's rows become one ground problem.

Per solve: variable relations are snapshot (one variable per variable cell, domains from
`grounding_domains`), then every symbolic view and constraint is grounded in program order.
For each statement the constant part is one SQL query per join component (`grounding_plan`),
and the symbolic part is compiled once (`grounding_exprs`) and evaluated per fetched row or
group under language §4: variable qualifiers become guards, groups come from the constant
qualifiers only, aggregates consume guarded rows. Variable equi-joins between components take
the linear paths of `grounding_joins` instead of enumerating pairs.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from csql.db.base import Database
from csql.ir import ground as g
from csql.ir import logical as L
from csql.ir.errors import GroundingError, InternalError
from csql.rewrites import RewriteContext, run_pipeline

from . import grounding_values as V
from .grounding_domains import (
    check_not_null,
    collect_strings,
    column_domains,
    create_cells,
    key_constraints,
)
from .grounding_exprs import AggregateOverride, Compiler, Env, Fn, GroupEnv
from .grounding_plan import CELLS, VIEW, QueryPlan
from .grounding_values import SV
from .relations import (
    ROW,
    SqlRenderer,
    check_foreign_keys,
    check_not_null_columns,
    read_relation,
    snapshot_name,
    sql_type_of,
    view_table_name,
    write_snapshot,
)


@dataclass
class GroundingOptions:
    default_int_range: tuple[int, int] = (-2**31 + 1, 2**31 - 1)
    # explanations: domains before data and constraints narrowed them, foreign keys as
    # explicit constraints (an equivalent problem whose every restriction can be in a core)
    relax_domains: bool = False
    # fold constraints that read one variable into its domain (`rewrites.narrow_domains`);
    # off, every backend must encode them itself (conformance checks both forms)
    narrow_domains: bool = True


@dataclass
class RelationCells:
    """The variable cells of one relation, with the rows as read at this solve."""

    name: str
    columns: list[str]
    rows: list[tuple]
    key_columns: tuple[str, ...]
    cells: dict[str, list[g.Var]] = field(default_factory=dict)

    def key_of(self, n: int) -> tuple[tuple[str, object], ...]:
        if not self.key_columns:
            return (("__row", n),)
        row = self.rows[n]
        return tuple((c, row[self.columns.index(c)]) for c in self.key_columns)


@dataclass
class ViewData:
    """A grounded symbolic view: symbolic column values and presence per materialised row."""

    values: dict[str, list[object]]
    presence: list[object] | None
    keys: list[tuple]


@dataclass
class Grounding:
    problem: g.Problem
    relations: dict[str, RelationCells]
    stats: dict[str, float | int]

    def decode(self, assignment: Mapping[int, int]) -> dict[str, list[dict]]:
        """Every relation with variable cells, as rows with every column, cells filled in."""
        strings = self.problem.strings
        out: dict[str, list[dict]] = {}
        for name, rc in self.relations.items():
            rows = []
            for n, row in enumerate(rc.rows):
                d = dict(zip(rc.columns, row))
                for col, cells in rc.cells.items():
                    var = cells[n]
                    value = int(assignment[var.index])
                    kind = self._kinds[name][col]
                    d[col] = bool(value) if kind == L.BOOL else (
                        strings[value] if kind == L.STRING else value)
                rows.append(d)
            out[name] = rows
        return out

    _kinds: dict[str, dict[str, str]] = field(default_factory=dict)
    # "relation.column" of the variable columns whose domain the data or the constraints
    # narrowed (an explanation re-grounds with relaxed domains only when there are some)
    narrowed_domains: list[str] = field(default_factory=list)


class Grounder:
    """The state of one grounding: database, problem, cells, strings, grounded views."""

    def __init__(self, program: L.Program, db: Database, options: GroundingOptions) -> None:
        self.rewrite_ctx = RewriteContext()
        self.program = run_pipeline(program, self.rewrite_ctx)
        self.db = db
        self.options = options
        self.problem = g.Problem()
        self.bounds = V.Bounds()
        self.strings = V.StringDictionary(set())
        self.relations: dict[str, RelationCells] = {}
        self.cell_values: dict[str, dict[str, list[SV]]] = {}
        self.views: dict[str, ViewData] = {}
        self.rows_fetched = 0
        self.relation_seconds = 0.0
        self._constant_sets: dict[int, list[object]] = {}
        self.narrowed_domains: list[str] = []

    # -- database access -------------------------------------------------------------------

    def run_sql(self, sql: str, params: list[object]) -> list[tuple]:
        started = time.perf_counter()
        rows = self.db.query(sql, params)
        self.relation_seconds += time.perf_counter() - started
        self.rows_fetched += len(rows)
        return rows

    def table_of(self, relation: str) -> str:
        if relation in self.views:
            return self.db.quote(view_table_name(relation))
        if relation in self.relations:
            return self.db.quote(snapshot_name(relation))
        return self.db.quote(relation)

    def constant_query_values(self, q: L.Query) -> list[object]:
        """The first column of an uncorrelated constant query, evaluated once by SQL."""
        got = self._constant_sets.get(id(q))
        if got is None:
            r = SqlRenderer(self.db, self.table_of)
            sql = r.query(q, 0)
            got = [row[0] for row in self.run_sql(sql, r.params)]
            self._constant_sets[id(q)] = got
        return got

    # -- phases ----------------------------------------------------------------------------

    def snapshot(self) -> None:
        started = time.perf_counter()
        for t in self.program.tables:
            check_not_null_columns(self.db, t)
            if t.foreign_keys:
                check_foreign_keys(self.db, t)
        for rel in self.program.variable_relations():
            columns, rows = read_relation(self.db, rel)
            self.rows_fetched += len(rows)
            key = rel.primary_key if isinstance(rel, L.Table) else ()
            rc = RelationCells(rel.name, columns, rows, tuple(key))
            check_not_null(rc, rel)
            write_snapshot(self.db, rel, columns, rows)
            self.relations[rel.name] = rc
            self.cell_values[rel.name] = {}
        self.relation_seconds += time.perf_counter() - started

    def create_variables(self) -> None:
        started = time.perf_counter()
        domains = column_domains(self)
        self.relation_seconds += time.perf_counter() - started
        self.strings = V.StringDictionary(collect_strings(self, domains))
        self.problem.strings = dict(enumerate(self.strings.sorted))
        for rel in self.program.variable_relations():
            rc = self.relations[rel.name]
            create_cells(self, rc, rel, domains)
            if isinstance(rel, L.Table):
                key_constraints(self, rc, rel)

    def ground_statements(self) -> None:
        from .grounding_joins import try_join_paths

        for s in self.program.statements:
            if isinstance(s, (L.SymbolicView, L.Constraint)):
                plan = QueryPlan(self, s.query)
                if not try_join_paths(self, s, plan):
                    StatementGrounder(self, s, plan).run()

    # -- helpers shared by statement grounding and subqueries ------------------------------

    def presence_fns(self, plan: QueryPlan) -> list[Fn]:
        """Guards of rows read from symbolic views whose rows are conditionally present."""
        fns: list[Fn] = []
        for alias, info in plan.sources.items():
            if info.kind != VIEW:
                continue
            presence = self.views[info.relation.name].presence
            if presence is None:
                continue
            k, p = plan.row_slot(alias)
            fns.append(lambda env, k=k, p=p, pr=presence: pr[env.rows[k][p]])
        return fns

    def row_key_fn(self, plan: QueryPlan) -> Fn:
        """The provenance key of a row: each base row's primary key (or constant columns)."""
        parts: list[Fn] = []
        many = len(plan.sources) > 1
        for alias, info in plan.sources.items():
            prefix = f"{alias}." if many else ""
            if info.kind in (CELLS, VIEW):
                k, p = plan.row_slot(alias)
                if info.kind == CELLS:
                    rc = self.relations[info.relation.name]
                    parts.append(lambda env, k=k, p=p, rc=rc, pre=prefix: tuple(
                        (pre + c, v) for c, v in rc.key_of(env.rows[k][p])))
                else:
                    keys = self.views[info.relation.name].keys
                    parts.append(lambda env, k=k, p=p, keys=keys, pre=prefix: tuple(
                        (pre + c, v) for c, v in keys[env.rows[k][p]]))
                continue
            rel = info.relation
            cols = list(rel.primary_key) if isinstance(rel, L.Table) and rel.primary_key \
                else [c.name for c in rel.columns if c.kind == L.CONSTANT]
            slots = [(prefix + c, plan.column_slot(alias, c)) for c in cols]
            parts.append(lambda env, slots=slots: tuple(
                (n, env.rows[k][p]) for n, (k, p) in slots))
        return lambda env: tuple(itertools.chain.from_iterable(f(env) for f in parts))


class StatementGrounder:
    """Grounds one constraint or symbolic view over the rows of its generic plan."""

    def __init__(self, gr: Grounder, stmt: L.Constraint | L.SymbolicView, plan: QueryPlan,
                 override: AggregateOverride | None = None, collapse: int | None = None
                 ) -> None:
        """`override` replaces the grounding of some aggregates and `collapse` names a join
        component whose rows those aggregates consume themselves (the bin-load path): its
        rows are then not enumerated and the variable qualifiers are not evaluated here."""
        self.gr = gr
        self.stmt = stmt
        self.q = stmt.query
        self.plan = plan
        self.collapse = collapse
        self.comp = Compiler(gr, plan, override)
        c = self.comp.compile
        self.guards: list[Fn] = []
        if collapse is None:
            self.guards = [c(v) for v in self.q.variable_qualifiers] + gr.presence_fns(plan)
        self.grouped = self.q.grouped or bool(self.q.group_by)
        self.group_fns = [c(k) for k in self.q.group_by]
        self.having = c(self.q.having) if self.q.having is not None else None
        if isinstance(stmt, L.Constraint):
            self.body = [c(stmt.expr)]
        else:
            self.body = [c(item.expr) for item in self.q.select]
        self.row_key = gr.row_key_fn(plan) if not self.grouped else None
        self.constant_objective = 0

    def guard(self, env: Env) -> g.Expr:
        return V.and_([V.truth(f(env)) for f in self.guards])

    def run(self) -> None:
        rows = self.plan.fetch()
        if self.collapse is not None:
            rows = list(rows)
            rows[self.collapse] = [None] if rows[self.collapse] else []
        envs = (Env(combo) for combo in itertools.product(*rows))
        view = self._view_start() if isinstance(self.stmt, L.SymbolicView) else None
        if not self.grouped:
            for env in envs:
                guard = self.guard(env)
                if isinstance(guard, g.Const) and not guard.value:
                    continue
                self.emit(env, guard, lambda env=env: self.row_key(env), view)  # type: ignore[misc]
        else:
            groups: dict[tuple, list[Env]] = {}
            for env in envs:
                key = tuple(_hashable(f(env)) for f in self.group_fns)
                groups.setdefault(key, []).append(env)
            names = [_group_name(k, i) for i, k in enumerate(self.q.group_by)]
            for key, members in groups.items():
                genv = GroupEnv(members, [self.guard(m) for m in members])
                if self.having is not None:
                    h = self.having(genv)
                    if isinstance(h, SV):
                        raise GroundingError("HAVING reads variables", self.q.having.span,
                                             hint="move the condition into the CHECK")
                    if h is not True:
                        continue
                self.emit(genv, g.TRUE, lambda key=key: tuple(zip(names, key)), view)
        if view is not None:
            self._view_finish(view)
        elif self.constant_objective:
            self._objective(g.Const(self.constant_objective), ())

    # -- constraints and objective ---------------------------------------------------------

    def provenance(self, key: tuple) -> g.Provenance:
        s = self.stmt
        kind = s.kind if isinstance(s, L.Constraint) else "view"
        return g.Provenance(s.name, kind, key, s.span, s.sql)

    def emit(self, env: Env, guard: g.Expr, key: object, view: dict | None) -> None:
        if view is not None:
            self._view_row(view, env, guard, key)
            return
        stmt = self.stmt
        assert isinstance(stmt, L.Constraint)
        value = self.body[0](env)
        if stmt.kind == L.CHECK:
            expr = V.implies(guard, V.passes(value))
            if isinstance(expr, g.Const) and expr.value:
                return
            self.gr.problem.add(expr, self.provenance(key()))  # type: ignore[operator]
            return
        if value is None:
            return
        sign = -1 if stmt.kind == L.MINIMIZE else 1
        if not isinstance(value, SV):
            if not isinstance(value, (int, bool)):
                raise GroundingError(f"objective term {value!r} is not an integer",
                                     stmt.expr.span, hint="objectives are integer-valued")
            if isinstance(guard, g.Const):
                self.constant_objective += sign * int(value) if guard.value else 0
                return
            term = V.mul(g.Const(sign * int(value)), V.as_int(guard))
        else:
            term = V.as_int(value.expr)
            if value.null is not None:
                term = V.ite(value.null, g.Const(0), term)
            term = V.ite(guard, term, g.Const(0))
            if sign < 0:
                term = V.neg(term)
        if isinstance(term, g.Const):
            self.constant_objective += int(term.value)
            return
        self._objective(term, key())  # type: ignore[operator]

    def _objective(self, term: g.Expr, key: tuple) -> None:
        self.gr.problem.maximize(term, self.provenance(key))

    # -- symbolic views --------------------------------------------------------------------

    def _view_start(self) -> dict:
        view = self.stmt
        assert isinstance(view, L.SymbolicView)
        return {"rows": [], "values": {c.name: [] for c in view.columns if c.kind == L.SYMBOLIC},
                "presence": [], "keys": []}

    def _view_row(self, data: dict, env: Env, guard: g.Expr, key: object) -> None:
        view = self.stmt
        assert isinstance(view, L.SymbolicView)
        row = []
        for item, fn, col in zip(self.q.select, self.body, view.columns):
            value = fn(env)
            if col.kind == L.SYMBOLIC:
                data["values"][col.name].append(value)
            elif isinstance(value, SV):
                raise InternalError(f"view {view.name}: constant column {col.name} evaluated "
                                    "to a symbolic value", item.span)
            else:
                row.append(_sql_value(value))
        row.append(len(data["rows"]))
        data["rows"].append(tuple(row))
        data["presence"].append(True if isinstance(guard, g.Const) else SV(guard, V.BOOL))
        data["keys"].append(key())  # type: ignore[operator]

    def _view_finish(self, data: dict) -> None:
        view = self.stmt
        assert isinstance(view, L.SymbolicView)
        consts = [c for c in view.columns if c.kind != L.SYMBOLIC]
        spec = [(c.name, sql_type_of(c.type, [r[i] for r in data["rows"]]))
                for i, c in enumerate(consts)]
        spec.append((ROW, "BIGINT"))
        self.gr.db.create_temp_table(view_table_name(view.name), spec, data["rows"])
        presence = data["presence"]
        if all(p is True for p in presence):
            presence = None
        self.gr.views[view.name] = ViewData(data["values"], presence, data["keys"])


def _hashable(v: object) -> object:
    if isinstance(v, SV):
        raise GroundingError("GROUP BY reads a variable",
                             hint="group by constant columns only (language §3)")
    return tuple(v) if isinstance(v, list) else v


def _sql_value(v: object) -> object:
    return list(v) if isinstance(v, tuple) else v


def _group_name(e: L.Expr, i: int) -> str:
    return e.column if isinstance(e, L.ColumnRef) else f"group_{i + 1}"


def ground(program: L.Program, db: Database, options: GroundingOptions | None = None
           ) -> Grounding:
    """Ground the program against the database's current content (see the module doc)."""
    started = time.perf_counter()
    gr = Grounder(program, db, options or GroundingOptions())
    gr.snapshot()
    gr.create_variables()
    gr.ground_statements()
    narrowed = 0
    # explanations need every restriction as a constraint
    if gr.options.narrow_domains and not gr.options.relax_domains:
        narrowed = _narrow_domains(gr)
    total = time.perf_counter() - started
    kinds = {rel.name: {c.name: c.type for c in rel.variable_columns}
             for rel in gr.program.variable_relations()}
    stats: dict[str, float | int] = {
        "relation_seconds": gr.relation_seconds,
        "grounding_seconds": max(total - gr.relation_seconds, 0.0),
        "rows_fetched": gr.rows_fetched,
        "variables": len(gr.problem.variables),
        "constraints": len(gr.problem.constraints),
        "objective_terms": len(gr.problem.objective),
        "narrowed_variables": narrowed,
    }
    result = Grounding(gr.problem, gr.relations, stats)
    result._kinds = kinds
    result.narrowed_domains = gr.narrowed_domains
    return result


def _narrow_domains(gr: Grounder) -> int:
    """Fold unary constraints into domains (`csql.rewrites.narrow_domains`), point the
    relations' cells at the new variables and list the narrowed columns, so that an
    explanation re-grounds with relaxed domains. Returns how many variables changed."""
    from csql.rewrites.narrow_domains import narrow_domains

    narrowing = narrow_domains(gr.problem)
    if narrowing.problem is gr.problem:
        return 0
    gr.problem = narrowing.problem
    changed = narrowing.narrowed + narrowing.emptied
    for var in changed:
        column = f"{var.origin[0]}.{var.origin[2]}" if var.origin[0] else var.name
        if column not in gr.narrowed_domains:
            gr.narrowed_domains.append(column)
    replaced = {var.index: var for var in narrowing.narrowed}
    for rc in gr.relations.values():
        for column, cells in rc.cells.items():
            if any(var.index in replaced for var in cells):
                rc.cells[column] = [replaced.get(var.index, var) for var in cells]
    return len(changed)


__all__ = ["Grounding", "GroundingOptions", "RelationCells", "ground"]
