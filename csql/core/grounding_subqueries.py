"""Subqueries in symbolic positions: EXISTS, IN and scalar subqueries (language §3).

An uncorrelated constant subquery under a symbolic IN is evaluated once by SQL. Any other
subquery (correlated, or reading variables) is fetched once, without its correlated
predicates, and indexed in Python by the values of its equality correlations
(`inner.col = outer.col`), so each outer row looks up its candidate rows by hash instead of
scanning. Remaining correlated predicates are evaluated per candidate; variable qualifiers
become guards: EXISTS is the OR of the guards, IN the OR of (guard AND x = value), a scalar
subquery the value of its consumed row (NULL when none), an aggregate subquery the aggregate
over its guarded rows.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from csql.ir import ground as g
from csql.ir import logical as L
from csql.ir.errors import DataError, GroundingError

from . import grounding_values as V
from .grounding_exprs import Compiler, Env, GroupEnv
from .grounding_plan import QueryPlan, level_refs
from .grounding_values import SV

if TYPE_CHECKING:
    from .grounding_exprs import Fn

_EMPTY = ()


def _uncorrelated(q: L.Query) -> bool:
    return not any(level_refs(e)[1] for e in _query_exprs(q))


def _query_exprs(q: L.Query) -> list[L.Expr]:
    from csql.ir import traverse

    return list(traverse.query_exprs(q))


def _reads_view(comp: Compiler, q: L.Query) -> bool:
    program = comp.grounder.program
    return any(isinstance(program.get(s.relation), L.SymbolicView) for s in q.sources)


def compile_subquery(comp: Compiler, e: L.InSubquery | L.Exists | L.ScalarSubquery) -> Fn:
    q = e.query
    constant = not q.symbolic and not _reads_view(comp, q)
    if isinstance(e, L.InSubquery) and constant and _uncorrelated(q):
        values = comp.grounder.constant_query_values(q)
        present = [v for v in values if v is not None]
        has_null = len(present) != len(values)
        as_set = set(present)
        arg = comp.compile(e.arg)

        def in_constant(env: Env) -> object:
            a = arg(env)
            if isinstance(a, SV):
                return comp.in_constants(a, present, has_null)
            if a is None:
                return None if values else False
            return True if a in as_set else (None if has_null else False)

        return _negate(in_constant) if e.negated else in_constant
    return _Subquery(comp, e).compile()


def _negate(fn: Fn) -> Fn:
    return lambda env: Compiler.not_(fn(env))


class _Subquery:
    def __init__(self, outer: Compiler, e: L.InSubquery | L.Exists | L.ScalarSubquery) -> None:
        self.e = e
        self.q = q = e.query
        self.outer = outer
        self.plan = QueryPlan(outer.grounder, q, outer.plan.level + 1, outer.plan)
        self.comp = Compiler(outer.grounder, self.plan)
        c = self.comp.compile
        self.inner_keys: list[Fn] = []
        self.outer_keys: list[Fn] = []
        self.filters: list[Fn] = []
        for qual in self.plan.correlated:
            pair = self._equality(qual)
            if pair is None:
                self.filters.append(c(qual))
            else:
                self.inner_keys.append(c(pair[0]))
                self.outer_keys.append(c(pair[1]))
        self.guards = [c(v) for v in q.variable_qualifiers]
        self.guards += outer.grounder.presence_fns(self.plan)
        if q.group_by:
            raise GroundingError("a subquery with GROUP BY in a symbolic position", q.span,
                                 hint="rewrite it with a correlated aggregate subquery")
        self.item = c(q.select[0].expr) if q.select else None
        self.arg = outer.compile(e.arg) if isinstance(e, L.InSubquery) else None
        self.index: dict[tuple, list[tuple]] | None = None

    def _equality(self, qual: L.Expr) -> tuple[L.Expr, L.Expr] | None:
        if not isinstance(qual, L.Comparison) or qual.op != "=" or qual.symbolic:
            return None
        for inner, outer in ((qual.left, qual.right), (qual.right, qual.left)):
            ia, io, _ = level_refs(inner)
            oa, _, _ = level_refs(outer)
            if not io and ia and not oa and len(self.plan.component_of(ia)) == 1:
                return inner, outer
        return None

    def compile(self) -> Fn:
        fn = self.evaluate
        if getattr(self.e, "negated", False):
            return _negate(fn)
        return fn

    def _rows(self) -> dict[tuple, list[tuple]]:
        if self.index is None:
            index: dict[tuple, list[tuple]] = {}
            for rows in itertools.product(*self.plan.fetch()):
                env = Env(rows)
                key = tuple(k(env) for k in self.inner_keys)
                if any(v is None for v in key):
                    continue
                index.setdefault(key, []).append(rows)
            self.index = index
        return self.index

    def candidates(self, outer_env: Env) -> tuple[list[Env], list[g.Expr]]:
        probe = Env(_EMPTY, outer_env)
        key = tuple(k(probe) for k in self.outer_keys)
        rows = self._rows().get(key, []) if None not in key else []
        envs: list[Env] = []
        guards: list[g.Expr] = []
        for r in rows:
            env = Env(r, outer_env)
            keep = True
            conds: list[g.Expr] = []
            for f in self.filters:
                v = f(env)
                if isinstance(v, SV):
                    conds.append(V.truth(v))
                elif v is not True:
                    keep = False
                    break
            if not keep:
                continue
            conds += [V.truth(gf(env)) for gf in self.guards]
            guard = V.and_(conds)
            if isinstance(guard, g.Const) and not guard.value:
                continue
            envs.append(env)
            guards.append(guard)
        return envs, guards

    def evaluate(self, outer_env: Env) -> object:
        envs, guards = self.candidates(outer_env)
        e = self.e
        if self.q.grouped:
            if isinstance(e, L.Exists):
                return True
            group = GroupEnv(envs, guards, outer_env)
            try:
                value = self.item(group)  # type: ignore[misc]
            except IndexError:  # a bare column of an empty group
                value = None
            if isinstance(e, L.ScalarSubquery):
                return value
            return self.outer.compare("=", self.arg(outer_env), value)  # type: ignore[misc]
        if isinstance(e, L.Exists):
            return Compiler.make(V.or_(guards), V.BOOL, None)
        values = [self.item(env) for env in envs]  # type: ignore[misc]
        if isinstance(e, L.InSubquery):
            a = self.arg(outer_env)  # type: ignore[misc]
            eqs = [self.outer.compare("=", a, v) for v in values]
            t = V.or_([V.and_([gd, V.truth(q)]) for gd, q in zip(guards, eqs)])
            f = V.and_([V.or_([V.not_(gd), V.falsity(q)]) for gd, q in zip(guards, eqs)])
            return V.from_truth(t, f)
        return self._scalar(values, guards)

    def _scalar(self, values: list[object], guards: list[g.Expr]) -> object:
        if all(isinstance(gd, g.Const) for gd in guards):
            if len(values) > 1:
                raise DataError("a scalar subquery returned more than one row", self.q.span,
                                hint="add a condition or an aggregate so it returns one row")
            return values[0] if values else None
        # With variable guards the consumed row is chosen by the solution; the first
        # consumed row gives the value (SQL would fail when several are consumed).
        whens = [((lambda env, gd=gd: SV(gd, V.BOOL)), (lambda env, v=v: v))
                 for gd, v in zip(guards, values)]
        return self.outer.case(whens, lambda env: None, Env(_EMPTY))
