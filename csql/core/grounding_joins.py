"""Linear-size grounding of variable equi-joins (`JOIN pm ON vm.controllable__pm = pm.name`).

Such a join has one row per (item, bin) pair, so enumerating it costs items x bins even though
only one pair per item holds in any solution. Two shapes are recognised and grounded in time
linear in the data; everything else takes the generic path, which is correct for any join.

* Grouped statements whose groups are formed by the bin side only and whose aggregates are
  SUM / COUNT over the item side: every aggregate becomes, per bin row of the group,
  `BinLoad(assignment cells, demands, bin)`, where the assignment and demand tuples are built
  once and shared by all bins (language §4: the aggregate consumes exactly the pairs whose
  qualifier `cell = bin` holds; groups without such pairs keep 0).
* Row CHECKs whose check is constant: a pair violates the statement exactly when its
  qualifier holds and the check is FALSE, so SQL finds the pairs where the check is FALSE
  (`NOT check`, which is TRUE only for FALSE) and each such pair posts `cell != bin`.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from csql.ir import ground as g
from csql.ir import logical as L
from csql.ir import traverse

from . import grounding_values as V
from .grounding_exprs import Compiler, Env, Fn
from .grounding_plan import CELLS, VIEW, QueryPlan, level_refs
from .grounding_values import SV

if TYPE_CHECKING:
    from .grounding import Grounder


@dataclasses.dataclass(frozen=True, slots=True)
class VariableJoin:
    cell: L.ColumnRef  # the item side: a variable cell
    bin: L.ColumnRef  # the bin side: a constant column
    item_component: int
    bin_component: int


def find_variable_join(gr: Grounder, plan: QueryPlan) -> VariableJoin | None:
    q = plan.query
    if len(plan.components) != 2 or len(q.variable_qualifiers) != 1:
        return None
    for info in plan.sources.values():
        if info.kind == VIEW and gr.views[info.relation.name].presence is not None:
            return None
    qual = q.variable_qualifiers[0]
    if not (isinstance(qual, L.Comparison) and qual.op == "="):
        return None
    for cell, other in ((qual.left, qual.right), (qual.right, qual.left)):
        if not (isinstance(cell, L.ColumnRef) and isinstance(other, L.ColumnRef)):
            return None
        if cell.depth or other.depth or other.symbolic:
            continue
        info = plan.sources[cell.source]
        col = info.relation.column(cell.column)
        if info.kind != CELLS or col is None or not col.is_variable:
            continue
        ci, cb = info.component, plan.sources[other.source].component
        if ci != cb:
            return VariableJoin(cell, other, ci, cb)
    return None


def try_join_paths(gr: Grounder, stmt: L.Constraint | L.SymbolicView, plan: QueryPlan) -> bool:
    join = find_variable_join(gr, plan)
    if join is None:
        return False
    q = stmt.query
    if q.grouped or q.group_by:
        return _bin_loads(gr, stmt, plan, join)
    if isinstance(stmt, L.Constraint) and stmt.kind == L.CHECK and not stmt.expr.symbolic:
        _failing_pairs(gr, stmt, join)
        return True
    return False


def _aliases(plan: QueryPlan, component: int) -> set[str]:
    return {s.alias for s in plan.components[component].sources}


def _outside_aggregates(e: L.Expr) -> set[str]:
    """Aliases read outside aggregates (subqueries make the shape unsupported: 'None')."""
    found: set[str] = set()
    stack = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, L.Aggregate):
            continue
        if traverse.subquery_of(node) is not None:
            found.add("\0subquery")
        if isinstance(node, L.ColumnRef):
            found.add(node.source)
        stack.extend(traverse.children(node))
    return found


def _bin_loads(gr: Grounder, stmt: L.Constraint | L.SymbolicView, plan: QueryPlan,
               join: VariableJoin) -> bool:
    from .grounding import StatementGrounder

    q = stmt.query
    items, bins = _aliases(plan, join.item_component), _aliases(plan, join.bin_component)
    bodies = [stmt.expr] if isinstance(stmt, L.Constraint) else [i.expr for i in q.select]
    if q.having is not None:
        bodies.append(q.having)
    aggregates: list[L.Aggregate] = []
    for body in bodies:
        if not _outside_aggregates(body) <= bins:
            return False
        aggregates += [a for a in traverse.find_all(body, L.Aggregate)
                       if isinstance(a, L.Aggregate)]
    for k in q.group_by:
        aliases, outer, _ = level_refs(k)
        if outer or not aliases <= bins or k.symbolic:
            return False
    for a in aggregates:
        if a.name not in ("sum", "count") or a.distinct:
            return False
        for arg in a.args:
            aliases, outer, has_agg = level_refs(arg)
            if outer or has_agg or not aliases <= items:
                return False
    loads = _BinLoads(gr, plan, join)
    sg = StatementGrounder(gr, stmt, plan, override=loads.override, collapse=join.item_component)
    loads.prepare()
    sg.run()
    return True


class _BinLoads:
    """Builds the shared assignment/demand tuples and one BinLoad per (aggregate, bin)."""

    def __init__(self, gr: Grounder, plan: QueryPlan, join: VariableJoin) -> None:
        self.gr = gr
        self.plan = plan
        self.join = join
        self.comp = Compiler(gr, plan)
        self.cell = self.comp.compile(join.cell)
        self.bin = self.comp.compile(join.bin)
        self.args: dict[int, Fn | None] = {}
        self.demands: dict[int, tuple[g.Expr, ...]] = {}
        self.assignment: tuple[g.Expr, ...] = ()
        self.memo: dict[tuple[int, int], g.Expr] = {}
        self.pending: list[L.Aggregate] = []

    def override(self, a: L.Aggregate) -> Fn:
        self.args[id(a)] = None if a.star or not a.args else self.comp.compile(a.args[0])
        self.pending.append(a)
        return lambda env: self.load(a, env)

    def _env(self, row: tuple) -> Env:
        rows: list[object] = [None, None]
        rows[self.join.item_component] = row
        return Env(tuple(rows))

    def prepare(self) -> None:
        item_rows = self.plan.fetch()[self.join.item_component]
        envs = [self._env(r) for r in item_rows]
        self.assignment = tuple(V.as_int(self.cell(env).expr) for env in envs)  # type: ignore[attr-defined]
        one = g.Const(1)
        for a in self.pending:
            fn = self.args[id(a)]
            demands: list[g.Expr] = []
            for env in envs:
                v = one if fn is None else fn(env)
                demands.append(_demand(v, a.name == "count"))
            self.demands[id(a)] = tuple(demands)

    def load(self, a: L.Aggregate, env: Env) -> object:
        counts: dict[int, int] = {}
        for member in env.members:  # type: ignore[attr-defined]
            b = self.bin(member)
            code = self.gr.strings.code(b) if isinstance(b, str) else (
                None if b is None else int(b))  # type: ignore[call-overload]
            if code is not None:
                counts[code] = counts.get(code, 0) + 1
        terms = []
        for code, mult in counts.items():
            key = (id(a), code)
            node = self.memo.get(key)
            if node is None:
                node = g.BinLoad(self.assignment, self.demands[id(a)], code)
                self.memo[key] = node
            terms.append((mult, node))
        return Compiler.make(V.linear(terms), V.INT, None)


def _demand(v: object, count: bool) -> g.Expr:
    if isinstance(v, SV):
        x = g.Const(1) if count else V.as_int(v.expr)
        return x if v.null is None else V.ite(v.null, g.Const(0), x)
    if v is None:
        return g.Const(0)
    if count:
        return g.Const(1)
    if isinstance(v, (bool, int)):
        return g.Const(int(v))
    from csql.ir.errors import GroundingError

    raise GroundingError(f"sum() of a non-integer value {v!r} over a variable join",
                         hint="sums over variables need integer values")


def _failing_pairs(gr: Grounder, stmt: L.Constraint, join: VariableJoin) -> None:
    q = stmt.query
    not_null = L.IsNull(join.bin, negated=True, span=join.bin.span)
    fails = L.Not(stmt.expr, span=stmt.expr.span)
    q2 = dataclasses.replace(q, constant_qualifiers=q.constant_qualifiers + (not_null, fails),
                             variable_qualifiers=())
    plan = QueryPlan(gr, q2)
    comp = Compiler(gr, plan)
    cell, bin_ = comp.compile(join.cell), comp.compile(join.bin)
    key = gr.row_key_fn(plan)
    import itertools

    for combo in itertools.product(*plan.fetch()):
        env = Env(combo)
        differs = V.truth(comp.compare("!=", cell(env), bin_(env)))
        if isinstance(differs, g.Const) and differs.value:
            continue
        gr.problem.add(differs, g.Provenance(stmt.name, stmt.kind, key(env), stmt.span, stmt.sql))
