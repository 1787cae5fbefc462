"""Domain narrowing from unary hard constraints, over the ground problem.

A hard constraint that reads exactly one integer decision variable is a statement about that
variable's domain alone (`node = 'NULL_NODE' OR node IN (SELECT c.node FROM candidate c
WHERE c.pod = p.uid)` is one per pod row). Left as a constraint, every backend pays for it:
CP-SAT gets one literal per value of the full domain and probes them all, the greedy hint
ignores it and proposes values the constraint forbids. Folded into the domain it costs
nothing, and every consumer that already respects domains respects it too.

Before: any ground problem. After: no hard constraint reads exactly one non-boolean variable
whose domain had at most `MAX_DOMAIN` values; each such variable's domain is the set of values
that satisfied all of them, and those constraints are gone (on the narrowed domain they are
always true). A variable whose domain became empty keeps its domain, and its unary
constraints are replaced by one `FALSE` carrying the provenance of the constraint that emptied
it, so the problem stays infeasible and says where from. Hints outside a new domain are
dropped. Variables keep their index, name and origin, so assignments carry over unchanged.

Not applied under `relax_domains` (explanations): there every restriction must stay a
constraint that can be a member of a core; the caller lists the narrowed columns so that an
explanation re-grounds with relaxed domains.
"""

from __future__ import annotations

from dataclasses import dataclass

from csql.ir import ground as g
from csql.ir.ground_eval import Evaluator, children

from .linearize_common import rebuild

# Each unary constraint is evaluated once per value of the domain (by set operations for the
# usual forms, by the ground evaluator otherwise), so the pass costs about domain x expression
# size per constraint. 4,096 covers every domain that comes from data (node names, foreign
# keys, enumerated sets at cluster scale) while a default integer range (2^32 values), which
# no enumeration should touch, is left to the solvers' own bound propagation.
MAX_DOMAIN = 4096

_MANY = -1  # more than one variable read


@dataclass(frozen=True, slots=True)
class Narrowing:
    """What the pass did. `narrowed` are the new Var objects whose domain shrank, `emptied`
    the (unchanged) variables whose domain no value satisfied; `dropped` counts the
    constraints folded into domains."""

    problem: g.Problem
    narrowed: tuple[g.Var, ...] = ()
    emptied: tuple[g.Var, ...] = ()
    dropped: int = 0


def narrow_domains(problem: g.Problem, max_domain: int = MAX_DOMAIN) -> Narrowing:
    """Fold unary hard constraints into the domains of their variables (see module doc).

    Returns the input problem itself when no constraint is unary over a narrowable variable;
    otherwise a new problem (the input is never changed)."""
    unary: dict[int, list[int]] = {}  # variable index -> positions of its unary constraints
    for position, constraint in enumerate(problem.constraints):
        var = _sole_variable(constraint.expr)
        if var is not None and not var.is_bool and _domain_size(var) <= max_domain:
            unary.setdefault(var.index, []).append(position)
    if not unary:
        return Narrowing(problem)

    replacement: dict[int, g.Var] = {}
    emptied: list[g.Var] = []
    dropped: set[int] = set()
    emptied_by: dict[int, int] = {}  # position of the constraint -> variable it emptied
    for index, positions in unary.items():
        var = problem.variables[index]
        domain = frozenset(_domain(var))
        allowed = set(domain)
        memo: dict[int, tuple[g.Expr, frozenset[int]]] = {}
        for position in positions:
            allowed &= _values_where(problem.constraints[position].expr, var, domain, memo)
            if not allowed:
                emptied.append(var)
                emptied_by[position] = index
                break
        dropped.update(positions)
        if allowed and len(allowed) < len(domain):
            replacement[index] = _with_domain(var, sorted(allowed))

    substitute = _Substitute(replacement)
    out = g.Problem(variables=[replacement.get(v.index, v) for v in problem.variables],
                    strings=problem.strings)
    for position, constraint in enumerate(problem.constraints):
        if position in emptied_by:
            out.add(g.FALSE, constraint.provenance)
        elif position not in dropped:
            out.add(substitute(constraint.expr), constraint.provenance)
    for term in problem.objective:
        out.maximize(substitute(term.expr), term.provenance)
    out.hints = {index: value for index, value in problem.hints.items()
                 if index not in replacement or _contains(replacement[index], value)}
    narrowed = tuple(replacement[i] for i in sorted(replacement))
    return Narrowing(out, narrowed, tuple(emptied), len(dropped) - len(emptied_by))


# ---------------------------------------------------------------------------------------------
# Finding unary constraints


def _sole_variable(expr: g.Expr) -> g.Var | None:
    """The one variable `expr` reads, or None when it reads none or several.

    Stops at the second distinct variable, so a constraint over many variables (a bin load
    over thousands of items) costs a few steps: the items of a bin load are looked at before
    its demands are queued. This scan runs over every constraint of every solve, so the
    common node types are unrolled."""
    found: g.Var | None = None
    seen: set[int] = set()
    stack: list[g.Expr] = [expr]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is g.Const:
            continue
        if kind is g.Var:
            if found is None:
                found = node  # type: ignore[assignment]
            elif found.index != node.index:  # type: ignore[union-attr]
                return None
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        if kind is g.Compare:
            stack.append(node.right)  # type: ignore[union-attr]
            stack.append(node.left)  # type: ignore[union-attr]
        elif kind is g.Or or kind is g.And:
            stack.extend(node.args)  # type: ignore[union-attr]
        elif kind is g.BinLoad or kind is g.BinPacking:
            for item in node.assignment:  # type: ignore[union-attr]
                if type(item) is g.Var:
                    if found is None:
                        found = item
                    elif found.index != item.index:
                        return None
                else:
                    stack.append(item)
            if kind is g.BinLoad:
                stack.extend(node.demands)  # type: ignore[union-attr]
        else:
            stack.extend(children(node))
    return found


def _domain_size(var: g.Var) -> int:
    return len(var.values) if var.values is not None else max(var.ub - var.lb + 1, 0)


def _domain(var: g.Var) -> tuple[int, ...]:
    return var.values if var.values is not None else tuple(range(var.lb, var.ub + 1))


def _contains(var: g.Var, value: int) -> bool:
    return value in var.values if var.values is not None else var.lb <= value <= var.ub


def _with_domain(var: g.Var, values: list[int]) -> g.Var:
    contiguous = values[-1] - values[0] + 1 == len(values)
    return g.Var(var.index, var.name, var.is_bool, values[0], values[-1],
                 None if contiguous else tuple(values), var.origin)


# ---------------------------------------------------------------------------------------------
# The values of the domain where a unary expression holds


_FLIP = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _values_where(e: g.Expr, var: g.Var, domain: frozenset[int],
                  memo: dict[int, tuple[g.Expr, frozenset[int]]]) -> frozenset[int]:
    """The values of `domain` for which the boolean expression `e` (reading only `var`) is
    true: set algebra over comparisons of the variable with constants and the connectives,
    the ground evaluator value by value for anything else."""
    hit = memo.get(id(e))
    if hit is not None:
        return hit[1]
    result: frozenset[int]
    if isinstance(e, g.Const):
        result = domain if e.value else frozenset()
    elif isinstance(e, g.Compare) and _is_var_const(e.left, e.right, var):
        result = _compare(e.op, int(e.right.value), domain)  # type: ignore[union-attr]
    elif isinstance(e, g.Compare) and _is_var_const(e.right, e.left, var):
        result = _compare(_FLIP[e.op], int(e.left.value), domain)  # type: ignore[union-attr]
    elif isinstance(e, g.InSet) and e.arg is var:
        result = domain.intersection(e.values)
    elif isinstance(e, g.And):
        result = domain
        for arg in e.args:
            result &= _values_where(arg, var, domain, memo)
            if not result:
                break
    elif isinstance(e, g.Or):
        result = frozenset()
        for arg in e.args:
            result |= _values_where(arg, var, domain, memo)
    elif isinstance(e, g.Not):
        result = domain - _values_where(e.arg, var, domain, memo)
    elif isinstance(e, g.Implies):
        result = (domain - _values_where(e.antecedent, var, domain, memo)) \
            | _values_where(e.consequent, var, domain, memo)
    else:
        result = frozenset(v for v in domain if _holds(e, var.index, v))
    memo[id(e)] = (e, result)
    return result


def _is_var_const(side: g.Expr, other: g.Expr, var: g.Var) -> bool:
    return side is var and isinstance(other, g.Const) and not other.is_bool


def _compare(op: str, constant: int, domain: frozenset[int]) -> frozenset[int]:
    if op == "=":
        return frozenset((constant,)) if constant in domain else frozenset()
    if op == "!=":
        return domain - {constant}
    test = {"<": constant.__gt__, "<=": constant.__ge__, ">": constant.__lt__,
            ">=": constant.__le__}[op]
    return frozenset(v for v in domain if test(v))


def _holds(e: g.Expr, index: int, value: int) -> bool:
    try:
        return bool(Evaluator({index: value})(e))
    except IndexError:  # an element index outside its array: false for this value (ground IR)
        return False


# ---------------------------------------------------------------------------------------------
# Substituting the narrowed variables


class _Substitute:
    """Rebuilds expressions with the new Var objects, memoised by node identity, keeping
    unchanged subtrees and sharing: the item and demand tuples a group's bin loads share are
    rewritten once and stay one shared tuple. Runs over every expression of a problem that
    narrowed, so the common node types are unrolled."""

    def __init__(self, replacement: dict[int, g.Var]) -> None:
        self.replacement = replacement
        self._memo: dict[int, tuple[object, object]] = {}

    def __call__(self, e: g.Expr) -> g.Expr:
        kind = type(e)
        if kind is g.Const:
            return e
        if kind is g.Var:
            return self.replacement.get(e.index, e)  # type: ignore[union-attr]
        hit = self._memo.get(id(e))
        if hit is not None:
            return hit[1]  # type: ignore[return-value]
        out: g.Expr
        if kind is g.Compare:
            left, right = self(e.left), self(e.right)  # type: ignore[union-attr]
            out = e if left is e.left and right is e.right \
                else g.Compare(e.op, left, right)  # type: ignore[union-attr]
        elif kind is g.IfThenElse:
            parts = (self(e.cond), self(e.then), self(e.else_))  # type: ignore[union-attr]
            out = e if parts[0] is e.cond and parts[1] is e.then and \
                parts[2] is e.else_ else g.IfThenElse(*parts)  # type: ignore[union-attr]
        elif kind is g.BoolAsInt or kind is g.Not:
            arg = self(e.arg)  # type: ignore[union-attr]
            out = e if arg is e.arg else kind(arg)  # type: ignore[union-attr,call-arg]
        elif kind is g.LinearSum:
            terms = tuple((c, self(t)) for c, t in e.terms)  # type: ignore[union-attr]
            out = e if all(a[1] is b[1] for a, b in zip(terms, e.terms)) \
                else g.LinearSum(terms, e.constant)  # type: ignore[union-attr]
        elif kind is g.And or kind is g.Or:
            args = tuple(self(a) for a in e.args)  # type: ignore[union-attr]
            out = e if all(a is b for a, b in zip(args, e.args)) \
                else kind(args)  # type: ignore[union-attr,call-arg]
        elif kind is g.BinLoad:
            items, demands = self._tuple(e.assignment), self._tuple(e.demands)
            out = e if items is e.assignment and demands is e.demands \
                else g.BinLoad(items, demands, e.bin)
        elif kind is g.BinPacking:
            items = self._tuple(e.assignment)
            out = e if items is e.assignment \
                else g.BinPacking(items, e.demands, e.bins, e.capacities)
        else:
            kids = children(e)
            new = tuple(self(k) for k in kids)
            out = e if all(a is b for a, b in zip(kids, new)) else rebuild(e, new)
        self._memo[id(e)] = (e, out)
        return out

    def _tuple(self, items: tuple[g.Expr, ...]) -> tuple[g.Expr, ...]:
        hit = self._memo.get(id(items))
        if hit is not None:
            return hit[1]  # type: ignore[return-value]
        new = tuple(self(item) for item in items)
        out = items if all(a is b for a, b in zip(items, new)) else new
        self._memo[id(items)] = (items, out)
        return out
