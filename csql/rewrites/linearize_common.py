"""Shared machinery of the linearisation passes (`linearize_*`): copying a problem, rebuilding a
node with new children, bottom-up rewriting of a whole problem, the numeric limits, and the
normal form the last pass produces.

Ground expressions are shared DAGs, so every rewrite here is memoised by `id(node)`; the memo
keeps the node alive with its result so that an id is never reused while a pass runs.
Auxiliary variables are appended after the original ones, so an assignment of a linearised
problem restricted to the first `len(original.variables)` indices is an assignment of the
original problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from csql.ir import ground as g
from csql.ir.errors import UnsupportedError
from csql.ir.ground_eval import children
from csql.ir.span import Span


@dataclass(frozen=True, slots=True)
class Limits:
    """Numeric safety of the linear model.

    MIP solvers work in double precision with absolute feasibility and integrality tolerances
    around 1e-6..1e-9, so a big-M or a coefficient of 1e10 lets a "binary" of 1e-7 move a row
    by 1000 units and an answer can violate the integer model after rounding. Beyond
    `max_magnitude` the passes refuse instead of returning such an answer."""

    max_magnitude: int = 10**9
    # finite-domain variables with at most this many values get a one-hot encoding when one of
    # their `x == v` literals is needed; wider ones use two indicator binaries per literal
    one_hot_max: int = 1024
    # int * int is expanded over the values of the factor with the smaller domain, up to this
    product_expand_max: int = 64


DEFAULT_LIMITS = Limits()

# The grounder's default range for an integer column without any bound (language §2).
DEFAULT_RANGE = 2**31 - 1


def copy_problem(problem: g.Problem) -> g.Problem:
    """A new problem with the same variables (same objects, same indices) and no constraints."""
    return g.Problem(variables=list(problem.variables), constraints=[], objective=[],
                     strings=problem.strings, hints=dict(problem.hints))


def rebuild(e: g.Expr, kids: tuple[g.Expr, ...]) -> g.Expr:
    """The node `e` with its children (in `children` order) replaced by `kids`."""
    if isinstance(e, (g.Var, g.Const)):
        return e
    if isinstance(e, g.LinearSum):
        return g.LinearSum(tuple((c, k) for (c, _), k in zip(e.terms, kids)), e.constant)
    if isinstance(e, g.Product):
        return g.Product(kids[0], kids[1])
    if isinstance(e, g.Div):
        return g.Div(kids[0], e.divisor)
    if isinstance(e, g.Mod):
        return g.Mod(kids[0], e.divisor)
    if isinstance(e, g.Element):
        return g.Element(kids[0], e.values)
    if isinstance(e, g.InSet):
        return g.InSet(kids[0], e.values)
    if isinstance(e, (g.Abs, g.BoolAsInt, g.Not)):
        return type(e)(kids[0])
    if isinstance(e, g.IfThenElse):
        return g.IfThenElse(*kids)
    if isinstance(e, g.Compare):
        return g.Compare(e.op, kids[0], kids[1])
    if isinstance(e, g.Implies):
        return g.Implies(kids[0], kids[1])
    if isinstance(e, (g.Min, g.Max, g.And, g.Or, g.AllDifferent, g.AllEqual, g.Increasing)):
        return type(e)(tuple(kids))
    if isinstance(e, g.Table):
        return g.Table(tuple(kids), e.rows)
    if isinstance(e, g.BinPacking):
        return g.BinPacking(tuple(kids), e.demands, e.bins, e.capacities)
    if isinstance(e, g.BinLoad):
        n = len(e.assignment)
        return g.BinLoad(tuple(kids[:n]), tuple(kids[n:]), e.bin)
    raise TypeError(f"not a ground-IR expression: {type(e).__name__}")


class BottomUp:
    """Applies `fn` bottom-up (children first), memoised by node identity; unchanged subtrees
    are returned as the same objects."""

    def __init__(self, fn: Callable[[g.Expr], g.Expr]) -> None:
        self.fn = fn
        self._memo: dict[int, tuple[g.Expr, g.Expr]] = {}

    def __call__(self, e: g.Expr) -> g.Expr:
        hit = self._memo.get(id(e))
        if hit is not None:
            return hit[1]
        kids = children(e)
        new_kids = tuple(self(k) for k in kids)
        node = e if all(a is b for a, b in zip(kids, new_kids)) else rebuild(e, new_kids)
        result = self.fn(node)
        self._memo[id(e)] = (e, result)
        return result


class ProblemRewrite:
    """A pass that rewrites every expression bottom-up and may add variables and defining
    constraints to the output problem while doing so. Subclasses implement `visit`; the
    provenance of the constraint being rewritten is `self.provenance` (defining constraints
    inherit it, so an error or a core still points at the SQL that needed them)."""

    def __init__(self, problem: g.Problem, limits: Limits = DEFAULT_LIMITS) -> None:
        self.source = problem
        self.limits = limits
        self.out = copy_problem(problem)
        self.provenance = g.Provenance("linearize", "check")
        self._rewrite = BottomUp(self.visit)

    def visit(self, e: g.Expr) -> g.Expr:
        return e

    def define(self, expr: g.Expr) -> None:
        """Add a top-level constraint defining an auxiliary variable."""
        self.out.add(expr, self.provenance)

    def aux(self, purpose: str, lo: int, hi: int, *, source: g.Expr | None = None) -> g.Var:
        """A fresh integer variable on [lo, hi]; `source` is the expression it stands for."""
        check_magnitude(max(abs(lo), abs(hi)), f"the auxiliary variable for {purpose}",
                        self.provenance, self.limits,
                        culprits=variables_in(source) if source is not None else ())
        index = len(self.out.variables)
        return self.out.new_var(f"_{purpose}{index}", lb=lo, ub=hi,
                                origin=("", (), purpose))

    def run(self) -> g.Problem:
        for c in self.source.constraints:
            self.provenance = c.provenance
            self.out.add(self._rewrite(c.expr), c.provenance)
        for t in self.source.objective:
            self.provenance = t.provenance
            self.out.maximize(self._rewrite(t.expr), t.provenance)
        return self.out


def span_of(provenance: g.Provenance | None) -> Span | None:
    if provenance is not None and isinstance(provenance.span, Span):
        return provenance.span
    return None


def where(provenance: g.Provenance | None) -> str:
    if provenance is None or not provenance.statement:
        return ""
    key = f" {dict(provenance.key)}" if provenance.key else ""
    return f" (in {provenance.statement}{key})"


def check_magnitude(value: int, what: str, provenance: g.Provenance | None,
                    limits: Limits, *, construct: str = "numeric range",
                    culprits: tuple[g.Var, ...] = ()) -> None:
    """Refuse a number the MIP solver cannot be trusted with (see `Limits`). When it comes
    from a variable that only has the grounder's default range (`culprits`), say so: the fix
    is a bound on that column."""
    if abs(value) <= limits.max_magnitude:
        return
    for var in culprits:
        if not var.is_bool and var.values is None and (
                var.lb <= -DEFAULT_RANGE or var.ub >= DEFAULT_RANGE):
            raise UnsupportedError(
                f"variable {var.name} has no bound of its own (its domain is the default "
                f"range [{var.lb}, {var.ub}]), and the ILP backend needs one here: {what} "
                f"would reach {value}, beyond {limits.max_magnitude:.0e}{where(provenance)}",
                span_of(provenance), backend="ilp", construct="unbounded variable",
                hint=f"bound the column with a constraint such as `CHECK ({column_of(var)} "
                     f"BETWEEN 0 AND 1000)` or a FOREIGN KEY, or use the cpsat backend")
    raise UnsupportedError(
        f"{what} reaches {value}, beyond the {limits.max_magnitude:.0e} the ILP backend "
        f"accepts for numerical safety{where(provenance)}",
        span_of(provenance), backend="ilp", construct=construct,
        hint="a MIP solver rounds in double precision with tolerances near 1e-6, so big "
             "coefficients make its answers unreliable: bound the variables more tightly, "
             "scale the data (e.g. MiB instead of bytes), or use the cpsat backend "
             "(exact int64 arithmetic)")


def column_of(var: g.Var) -> str:
    relation, _, column = var.origin
    return column or var.name or relation or "the column"


def variables_in(e: g.Expr) -> tuple[g.Var, ...]:
    """The distinct variables an expression reads (for error messages)."""
    found: dict[int, g.Var] = {}
    seen: set[int] = set()
    stack = [e]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, g.Var):
            found[node.index] = node
        else:
            stack.extend(children(node))
    return tuple(found.values())


# ---------------------------------------------------------------------------------------------
# The normal form after `LINEARIZE`


def linear_terms(expr: g.Expr) -> tuple[tuple[int, g.Var], ...] | None:
    """The (coefficient, variable) terms of a normal-form linear sum, or None if `expr` is not
    one: `LinearSum` whose terms are integer `Var`s or `BoolAsInt(Var)` of boolean ones."""
    if not isinstance(expr, g.LinearSum):
        return None
    out: list[tuple[int, g.Var]] = []
    for coef, term in expr.terms:
        if isinstance(term, g.BoolAsInt) and isinstance(term.arg, g.Var) and term.arg.is_bool:
            out.append((coef, term.arg))
        elif isinstance(term, g.Var) and not term.is_bool:
            out.append((coef, term))
        else:
            return None
    return tuple(out)


def is_linear_row(expr: g.Expr) -> bool:
    """`Compare(op, normal-form LinearSum, Const)` with op in <=, >=, =."""
    return (isinstance(expr, g.Compare) and expr.op in ("<=", ">=", "=")
            and linear_terms(expr.left) is not None
            and isinstance(expr.right, g.Const) and not expr.right.is_bool)
