"""The ground IR: what one solve hands a backend.

A ground problem is solver-neutral: finite-domain integer and boolean variables, an expression
DAG over them, global constraints, hard constraints and objective terms each tagged with the
provenance (constraint name + row or group key) they were grounded from, so an unsatisfiable
core or an objective breakdown maps back to SQL.

Nodes are frozen, slotted dataclasses. Expressions are shared freely (the grounder reuses a
sub-expression wherever it occurs), so consumers that translate expressions should memoise by
`id(node)` while they hold the problem; structural hashing of deep trees is avoided on hot
paths. Every expression is either integer-valued or boolean-valued (`is_bool`); booleans used
as numbers go through `BoolAsInt` so that the distinction is explicit for every backend.

Strings never appear here: the grounder encodes them with one dictionary per solve
(`Problem.strings`) and compares codes; order comparisons on strings use an order-preserving
encoding (codes are assigned in sorted order), so `<` on codes is `<` on strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

# ---------------------------------------------------------------------------------------------
# Variables


@dataclass(frozen=True, slots=True, eq=False)
class Var:
    """A decision variable. Identity is the object (and `index`, unique within a problem).

    `values`, when given, is the sorted tuple of allowed values (a sparse domain such as FK
    codes); otherwise the domain is the interval [lb, ub]. Booleans have lb=0, ub=1.
    `origin` says where the cell comes from: (relation, row key, column) for a variable cell,
    or ("", (), purpose) for an auxiliary variable a pass introduced.
    """

    index: int
    name: str
    is_bool: bool
    lb: int
    ub: int
    values: tuple[int, ...] | None = None
    origin: tuple[str, tuple, str] = ("", (), "")

    def __repr__(self) -> str:
        return f"Var({self.name})"


# ---------------------------------------------------------------------------------------------
# Expressions


@dataclass(frozen=True, slots=True)
class Const:
    """An integer or boolean constant."""

    value: int | bool

    @property
    def is_bool(self) -> bool:
        return isinstance(self.value, bool)


@dataclass(frozen=True, slots=True)
class LinearSum:
    """sum(coef * term) + constant, integer-valued; terms are integer expressions."""

    terms: tuple[tuple[int, Expr], ...]
    constant: int = 0
    is_bool = False


@dataclass(frozen=True, slots=True)
class Product:
    """left * right, both integer expressions; at least one is non-constant (var*var)."""

    left: Expr
    right: Expr
    is_bool = False


@dataclass(frozen=True, slots=True)
class Div:
    """Integer division truncating toward zero (SQL semantics) by a non-zero constant."""

    numerator: Expr
    divisor: int
    is_bool = False


@dataclass(frozen=True, slots=True)
class Mod:
    """Remainder with the sign of the dividend (SQL semantics) by a non-zero constant."""

    dividend: Expr
    divisor: int
    is_bool = False


@dataclass(frozen=True, slots=True)
class Abs:
    arg: Expr
    is_bool = False


@dataclass(frozen=True, slots=True)
class Min:
    """Minimum of one or more integer expressions."""

    args: tuple[Expr, ...]
    is_bool = False


@dataclass(frozen=True, slots=True)
class Max:
    """Maximum of one or more integer expressions."""

    args: tuple[Expr, ...]
    is_bool = False


@dataclass(frozen=True, slots=True)
class BoolAsInt:
    """A boolean expression used as a number: 1 when true, 0 when false."""

    arg: Expr
    is_bool = False


@dataclass(frozen=True, slots=True)
class IfThenElse:
    """cond ? then : else_. `then` and `else_` are both integer or both boolean."""

    cond: Expr
    then: Expr
    else_: Expr

    @property
    def is_bool(self) -> bool:
        return self.then.is_bool


@dataclass(frozen=True, slots=True)
class Element:
    """values[index] with a 0-based integer index expression (index outside the array is
    infeasible, so the grounder constrains the index domain first)."""

    index: Expr
    values: tuple[int, ...]
    is_bool = False


COMPARE_OPS = ("=", "!=", "<", "<=", ">", ">=")


@dataclass(frozen=True, slots=True)
class Compare:
    """left op right over integers (or booleans for = and !=)."""

    op: str
    left: Expr
    right: Expr
    is_bool = True

    def __post_init__(self) -> None:
        if self.op not in COMPARE_OPS:
            raise ValueError(f"unknown comparison {self.op!r}; expected one of {COMPARE_OPS}")


@dataclass(frozen=True, slots=True)
class And:
    args: tuple[Expr, ...]
    is_bool = True


@dataclass(frozen=True, slots=True)
class Or:
    args: tuple[Expr, ...]
    is_bool = True


@dataclass(frozen=True, slots=True)
class Not:
    arg: Expr
    is_bool = True


@dataclass(frozen=True, slots=True)
class Implies:
    """antecedent => consequent; at the top level a backend may half-reify it."""

    antecedent: Expr
    consequent: Expr
    is_bool = True


@dataclass(frozen=True, slots=True)
class InSet:
    """arg takes one of the constant `values` (sorted, distinct)."""

    arg: Expr
    values: tuple[int, ...]
    is_bool = True


# Global constraints: boolean-valued. A backend declares in its capabilities whether it takes
# each natively, and whether it takes it under reification (not at the top level).


@dataclass(frozen=True, slots=True)
class AllDifferent:
    args: tuple[Expr, ...]
    is_bool = True


@dataclass(frozen=True, slots=True)
class AllEqual:
    args: tuple[Expr, ...]
    is_bool = True


@dataclass(frozen=True, slots=True)
class Increasing:
    """args are non-decreasing in the given order."""

    args: tuple[Expr, ...]
    is_bool = True


@dataclass(frozen=True, slots=True)
class BinPacking:
    """Each item i is assigned to bin `assignment[i]`, which must be one of `bins`; for each bin
    j the sum of `demands[i]` over the items assigned to it is at most `capacities[j]`.
    Demands and capacities are non-negative constants (int64)."""

    assignment: tuple[Expr, ...]
    demands: tuple[int, ...]
    bins: tuple[int, ...]
    capacities: tuple[int, ...]
    is_bool = True


@dataclass(frozen=True, slots=True)
class BinLoad:
    """Integer-valued: the sum of `demands[i]` over items i with `assignment[i] == bin`.

    The grounder produces it for grouped sums over a variable equi-join
    (`JOIN pm ON vm.x = pm.name GROUP BY pm.name ... sum(vm.cpu)`) so grounding stays linear in
    the data instead of building one guard per (item, bin) pair; a backend or a lowering pass
    expands it. `demands` may be integer expressions (constants in the common case)."""

    assignment: tuple[Expr, ...]
    demands: tuple[Expr, ...]
    bin: int
    is_bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """The tuple of `args` is one of the rows of `rows` (positive table constraint)."""

    args: tuple[Expr, ...]
    rows: tuple[tuple[int, ...], ...]
    is_bool = True


Expr = Union[
    Var, Const, LinearSum, Product, Div, Mod, Abs, Min, Max, BoolAsInt, IfThenElse, Element,
    Compare, And, Or, Not, Implies, InSet, AllDifferent, AllEqual, Increasing, BinPacking,
    BinLoad, Table,
]

GLOBAL_TYPES = (AllDifferent, AllEqual, Increasing, BinPacking, BinLoad, Table)
EXPR_TYPES = (
    Var, Const, LinearSum, Product, Div, Mod, Abs, Min, Max, BoolAsInt, IfThenElse, Element,
    Compare, And, Or, Not, Implies, InSet, AllDifferent, AllEqual, Increasing, BinPacking,
    BinLoad, Table,
)

TRUE = Const(True)
FALSE = Const(False)

# ---------------------------------------------------------------------------------------------
# Constraints, objective, problem


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a constraint instance or objective term comes from.

    `statement` is the C-SQL statement name (or a synthetic name such as `fk:pods.node` for a
    data-derived domain, `key:t` for a primary key over variable columns); `kind` is one of
    "check", "maximize", "minimize", "domain", "key"; `key` names the instance: the
    primary-key values of the base rows involved (row statements) or the group-key values
    (grouped statements), as (name, value) pairs; `span` points at the SQL text.
    """

    statement: str
    kind: str
    key: tuple[tuple[str, object], ...] = ()
    span: object | None = None  # a csql.ir.span.Span; kept loose to avoid an import cycle
    sql: str = ""


@dataclass(frozen=True, slots=True)
class HardConstraint:
    expr: Expr
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class ObjectiveTerm:
    """One term of the objective, already signed: the problem maximises the sum of `expr`
    (MINIMIZE statements contribute the negated expression)."""

    expr: Expr
    provenance: Provenance


@dataclass(slots=True)
class Problem:
    """One ground problem. Mutable only while the grounder builds it; read-only afterwards."""

    variables: list[Var] = field(default_factory=list)
    constraints: list[HardConstraint] = field(default_factory=list)
    objective: list[ObjectiveTerm] = field(default_factory=list)
    # string dictionary of this solve: code -> string (codes are order-preserving)
    strings: dict[int, str] = field(default_factory=dict)
    # warm-start values (variable index -> value) taken from what the database stores
    hints: dict[int, int] = field(default_factory=dict)

    def new_var(self, name: str, *, is_bool: bool = False, lb: int = 0, ub: int = 1,
                values: tuple[int, ...] | None = None,
                origin: tuple[str, tuple, str] = ("", (), "")) -> Var:
        if values is not None:
            values = tuple(sorted(set(values)))
            if values:
                lb, ub = values[0], values[-1]
        if is_bool:
            lb, ub = 0, 1
        var = Var(len(self.variables), name, is_bool, lb, ub, values, origin)
        self.variables.append(var)
        return var

    def add(self, expr: Expr, provenance: Provenance) -> None:
        self.constraints.append(HardConstraint(expr, provenance))

    def maximize(self, expr: Expr, provenance: Provenance) -> None:
        self.objective.append(ObjectiveTerm(expr, provenance))

    @property
    def has_objective(self) -> bool:
        return bool(self.objective)

    def size(self) -> dict[str, int]:
        """Problem size for statistics: variables, constraints, objective terms, DAG nodes."""
        from .ground_eval import count_nodes

        return {
            "variables": len(self.variables),
            "constraints": len(self.constraints),
            "objective_terms": len(self.objective),
            "expression_nodes": count_nodes(self),
        }
