"""The logical IR: a bound, typed C-SQL program.

The binder produces it from the parse tree; rewrites transform it; the grounder and the SQL
oracle consume it. Dialects are gone at this level: a Weave `constraint_*` view, a DCM
`AS select CHECK e` and a VLDB'23 `AS CHECK e FROM r` all become one `Constraint`.

Statements keep the SQL shape of a SELECT (sources, qualifiers, grouping, projections) because
both consumers need exactly that shape: the grounder generates SQL for the constant part and
evaluates the symbolic part per row or group; the oracle renders the whole statement back to
SQL. The split that matters for the semantics (language §4) is made once, here: every conjunct
of WHERE and of an inner JOIN's ON is either a *constant qualifier* or a *variable qualifier*.

Every expression node carries its result type (`INT`, `BOOL`, `STRING`, `REAL`, `ARRAY`,
`NULLTYPE`, `ANY`), whether it is symbolic (reads a variable cell, directly or through a
symbolic view or a correlated subquery), and its source span.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .span import UNKNOWN_SPAN, Span

# ---------------------------------------------------------------------------------------------
# Types

INT = "int"
BOOL = "bool"
STRING = "string"
REAL = "real"
ARRAY = "array"
NULLTYPE = "null"  # the type of a bare NULL literal; unifies with anything
ANY = "any"  # a constant whose type the binder cannot know (a database function's result)
TYPES = (INT, BOOL, STRING, REAL, ARRAY, NULLTYPE, ANY)

# Which column types may be decision variables (language §2).
VARIABLE_TYPES = (INT, BOOL, STRING)

# Column kinds
CONSTANT = "constant"
VARIABLE = "variable"  # a decision-variable column of a table or data view
SYMBOLIC = "symbolic"  # a column of a symbolic view computed from variables


# ---------------------------------------------------------------------------------------------
# Expressions


@dataclass(frozen=True, slots=True)
class ColumnRef:
    """A resolved column: `source` is the alias of a FROM item of the query `depth` levels out
    (0 = the innermost query that contains this reference; >0 = a correlated reference)."""

    source: str
    column: str
    relation: str
    type: str
    symbolic: bool = False
    depth: int = 0
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Literal:
    """value is an int, bool, str, float, or None (SQL NULL)."""

    value: object
    type: str
    span: Span = UNKNOWN_SPAN
    symbolic: bool = False


@dataclass(frozen=True, slots=True)
class Arithmetic:
    """op is one of + - * / %. `/` and `%` truncate toward zero (language §3)."""

    op: str
    left: Expr
    right: Expr
    type: str
    symbolic: bool = False
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Negate:
    arg: Expr
    type: str
    symbolic: bool = False
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Comparison:
    """op is one of = != < <= > >= (`<>` is normalised to `!=`)."""

    op: str
    left: Expr
    right: Expr
    type: str = BOOL
    symbolic: bool = False
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class BoolOp:
    """op is "and" or "or", over two or more arguments (flattened)."""

    op: str
    args: tuple[Expr, ...]
    type: str = BOOL
    symbolic: bool = False
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Not:
    arg: Expr
    type: str = BOOL
    symbolic: bool = False
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class IsNull:
    """arg IS NULL (negated: IS NOT NULL). Constant arguments only (language §3)."""

    arg: Expr
    negated: bool = False
    type: str = BOOL
    symbolic: bool = False
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Between:
    arg: Expr
    low: Expr
    high: Expr
    negated: bool = False
    type: str = BOOL
    symbolic: bool = False
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class InList:
    arg: Expr
    items: tuple[Expr, ...]
    negated: bool = False
    type: str = BOOL
    symbolic: bool = False
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class InSubquery:
    """arg [NOT] IN (query); the query has exactly one select item."""

    arg: Expr
    query: Query
    negated: bool = False
    type: str = BOOL
    symbolic: bool = False
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Exists:
    query: Query
    negated: bool = False
    type: str = BOOL
    symbolic: bool = False
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class ScalarSubquery:
    """(SELECT one value ...): NULL when the query returns no row."""

    query: Query
    type: str
    symbolic: bool = False
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Case:
    """Searched CASE (the binder turns `CASE x WHEN v ...` into `WHEN x = v ...`)."""

    whens: tuple[tuple[Expr, Expr], ...]
    else_: Expr | None
    type: str
    symbolic: bool = False
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Cast:
    """CAST(arg AS sql_type); constant arguments only."""

    arg: Expr
    sql_type: str
    type: str
    symbolic: bool = False
    span: Span = UNKNOWN_SPAN


# Scalar functions csql understands in symbolic position; any other function name is allowed
# only in constant position and is passed to the database as it is.
SYMBOLIC_FUNCTIONS = ("abs", "least", "greatest", "contains")


@dataclass(frozen=True, slots=True)
class FuncCall:
    """A scalar function call (name lower case)."""

    name: str
    args: tuple[Expr, ...]
    type: str
    symbolic: bool = False
    span: Span = UNKNOWN_SPAN


AGGREGATES = ("sum", "count", "min", "max", "avg", "any", "all", "bool_or", "bool_and")
GLOBALS = ("all_different", "all_equal", "increasing", "capacity_constraint")


@dataclass(frozen=True, slots=True)
class Aggregate:
    """An aggregate or a global constraint in aggregate position (language §5).

    `name` is lower case, with `bool_or`/`bool_and` normalised to `any`/`all`; `star` marks
    COUNT(*); `order_by` is only set for `increasing` (the row order it checks)."""

    name: str
    args: tuple[Expr, ...]
    type: str
    distinct: bool = False
    star: bool = False
    symbolic: bool = False
    span: Span = UNKNOWN_SPAN


Expr = (
    ColumnRef | Literal | Arithmetic | Negate | Comparison | BoolOp | Not | IsNull | Between
    | InList | InSubquery | Exists | ScalarSubquery | Case | Cast | FuncCall | Aggregate
)

# ---------------------------------------------------------------------------------------------
# Queries


@dataclass(frozen=True, slots=True)
class Source:
    """One FROM item: a named relation (table, data view or symbolic view) under an alias."""

    alias: str
    relation: str
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class SelectItem:
    name: str
    expr: Expr
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class OrderItem:
    expr: Expr
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """A bound SELECT of a C-SQL statement (constraint, symbolic view or subquery in one).

    `constant_qualifiers` and `variable_qualifiers` are the conjuncts of WHERE and of the inner
    joins' ON conditions, split by whether they read a variable. `grouped` is true when the
    query has GROUP BY or an aggregate in its select list, HAVING, or the statement's
    CHECK/MAXIMIZE/MINIMIZE expression. `select` has `*` expanded.
    """

    sources: tuple[Source, ...]
    select: tuple[SelectItem, ...]
    constant_qualifiers: tuple[Expr, ...] = ()
    variable_qualifiers: tuple[Expr, ...] = ()
    group_by: tuple[Expr, ...] = ()
    having: Expr | None = None
    order_by: tuple[OrderItem, ...] = ()
    limit: int | None = None
    distinct: bool = False
    grouped: bool = False
    span: Span = UNKNOWN_SPAN

    @property
    def symbolic(self) -> bool:
        return bool(self.variable_qualifiers) or any(i.expr.symbolic for i in self.select)


# ---------------------------------------------------------------------------------------------
# Catalog and statements


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str
    sql_type: str = ""  # as declared (e.g. "VARCHAR(36)"), for DDL and error messages
    kind: str = CONSTANT
    not_null: bool = False
    default: Expr | None = None
    span: Span = UNKNOWN_SPAN

    @property
    def is_variable(self) -> bool:
        return self.kind == VARIABLE


@dataclass(frozen=True, slots=True)
class ForeignKey:
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Table:
    """CREATE TABLE. `sql` is the statement text without C-SQL annotations (valid DDL)."""

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    sql: str = ""
    span: Span = UNKNOWN_SPAN

    def column(self, name: str) -> Column | None:
        for c in self.columns:
            if c.name == name:
                return c
        return None

    @property
    def variable_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.kind == VARIABLE)


@dataclass(frozen=True, slots=True)
class DataView:
    """A view that reads no variable column: the database evaluates `select_sql` (its own SQL,
    passed through unchanged). It may still *declare* variable columns (DCM's
    `node_name AS controllable__node_name`): one variable cell per row the view returns.
    `depends_on` names the relations it reads (for creation order)."""

    name: str
    columns: tuple[Column, ...]
    select_sql: str
    depends_on: tuple[str, ...] = ()
    span: Span = UNKNOWN_SPAN
    # per column: (base table, base column) when the view is a plain projection of one base
    # table and the column is one of its columns; None otherwise (language §6 write-back)
    origins: tuple[tuple[str, str] | None, ...] = ()

    def column(self, name: str) -> Column | None:
        for c in self.columns:
            if c.name == name:
                return c
        return None

    @property
    def variable_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.kind == VARIABLE)


@dataclass(frozen=True, slots=True)
class SymbolicView:
    """A view computed by csql from variables (a `CREATE VIEW` reading variable columns, or a
    DCM `CREATE CONSTRAINT c AS select` without CHECK/MAXIMIZE)."""

    name: str
    query: Query
    columns: tuple[Column, ...]
    sql: str = ""
    span: Span = UNKNOWN_SPAN

    def column(self, name: str) -> Column | None:
        for c in self.columns:
            if c.name == name:
                return c
        return None


CHECK = "check"
MAXIMIZE = "maximize"
MINIMIZE = "minimize"

WEAVE = "weave"
DCM = "dcm"
VLDB = "vldb23"


@dataclass(frozen=True, slots=True)
class Constraint:
    """A hard (CHECK) or soft (MAXIMIZE/MINIMIZE) constraint over `query`'s rows or groups."""

    name: str
    kind: str
    query: Query
    expr: Expr
    dialect: str = DCM
    sql: str = ""
    span: Span = UNKNOWN_SPAN


Relation = Table | DataView | SymbolicView
Statement = Table | DataView | SymbolicView | Constraint


@dataclass(frozen=True, slots=True)
class Program:
    """A whole bound program, statements in source order."""

    statements: tuple[Statement, ...]
    source: str = ""
    filename: str = "<program>"
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for s in self.statements:
            self._index[s.name] = s

    def get(self, name: str) -> Statement | None:
        return self._index.get(name)

    def relation(self, name: str) -> Relation:
        rel = self._index.get(name)
        if rel is None or isinstance(rel, Constraint):
            raise KeyError(name)
        return rel

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(s for s in self.statements if isinstance(s, Table))

    @property
    def data_views(self) -> tuple[DataView, ...]:
        return tuple(s for s in self.statements if isinstance(s, DataView))

    @property
    def symbolic_views(self) -> tuple[SymbolicView, ...]:
        return tuple(s for s in self.statements if isinstance(s, SymbolicView))

    @property
    def constraints(self) -> tuple[Constraint, ...]:
        return tuple(s for s in self.statements if isinstance(s, Constraint))

    def variable_relations(self) -> tuple[Table | DataView, ...]:
        """Tables and data views that carry variable cells."""
        return tuple(
            s for s in self.statements
            if isinstance(s, (Table, DataView)) and any(c.kind == VARIABLE for c in s.columns)
        )

    def replace(self, statements: tuple[Statement, ...]) -> Program:
        return Program(statements, self.source, self.filename)
