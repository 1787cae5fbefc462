"""The syntax tree of a C-SQL program, as parsed and before any name is resolved.

It is deliberately close to the text (dialects still differ here, names are unresolved
strings, `*` is unexpanded) so the binder can report errors in the user's own terms. Every
node carries the `Span` of the text it came from; statements also keep their exact text so
data views and DDL can be handed to the database unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from csql.ir.span import UNKNOWN_SPAN, Span

# ---------------------------------------------------------------------------------------------
# Expressions


@dataclass(frozen=True, slots=True)
class ColumnName:
    """`a`, `t.a` or `schema.t.a` (parts lower case unless double-quoted)."""

    parts: tuple[str, ...]
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Constant:
    """kind is one of int, real, string, bool, null (the logical type names)."""

    value: object
    kind: str
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class BinaryOp:
    """Arithmetic (+ - * / %), concatenation (||), comparison (= != < <= > >=) or LIKE."""

    op: str
    left: Node
    right: Node
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Negation:
    arg: Node
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Logical:
    """op is "and" or "or"; binary as parsed (the binder flattens)."""

    op: str
    left: Node
    right: Node
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class NotOp:
    arg: Node
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class IsNullTest:
    arg: Node
    negated: bool
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class BetweenTest:
    arg: Node
    low: Node
    high: Node
    negated: bool
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class InListTest:
    arg: Node
    items: tuple[Node, ...]
    negated: bool
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class InQueryTest:
    arg: Node
    query: QueryNode
    negated: bool
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class ExistsTest:
    query: QueryNode
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Subquery:
    """A scalar subquery `(SELECT ...)` in expression position."""

    query: QueryNode
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class CaseExpr:
    """`operand` is set for the simple form `CASE x WHEN v THEN ...`."""

    operand: Node | None
    whens: tuple[tuple[Node, Node], ...]
    else_: Node | None
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class TypeName:
    """A declared SQL type: words (lower case), parameters and `[]` dimensions."""

    words: tuple[str, ...]
    params: tuple[int, ...] = ()
    array_dims: int = 0
    text: str = ""
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class CastExpr:
    arg: Node
    type_name: TypeName
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class WindowSpec:
    partition_by: tuple[Node, ...]
    order_by: tuple[OrderItemNode, ...]
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class FunctionCall:
    """`name(args)`, `name(*)`, `name(DISTINCT args)`, optionally with FILTER / OVER."""

    name: str
    args: tuple[Node, ...]
    star: bool = False
    distinct: bool = False
    filter: Node | None = None
    over: WindowSpec | None = None
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class ArrayLiteral:
    items: tuple[Node, ...]
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Subscript:
    arg: Node
    index: Node
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class StarItem:
    """`*` or `t.*` in a select list."""

    qualifier: str | None
    span: Span = UNKNOWN_SPAN


Node = (
    ColumnName | Constant | BinaryOp | Negation | Logical | NotOp | IsNullTest | BetweenTest
    | InListTest | InQueryTest | ExistsTest | Subquery | CaseExpr | CastExpr | FunctionCall
    | ArrayLiteral | Subscript
)

# ---------------------------------------------------------------------------------------------
# Queries


@dataclass(frozen=True, slots=True)
class SelectItemNode:
    expr: Node | StarItem
    alias: str | None = None
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class OrderItemNode:
    expr: Node
    descending: bool = False
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class TableRef:
    name: str
    alias: str | None = None
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class SubqueryRef:
    """`(SELECT ...) AS alias` in FROM: allowed in data views only."""

    query: QueryNode
    alias: str
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Join:
    """kind is inner, left, right, full or cross."""

    kind: str
    left: FromNode
    right: FromNode
    on: Node | None
    span: Span = UNKNOWN_SPAN


FromNode = TableRef | SubqueryRef | Join


@dataclass(frozen=True, slots=True)
class SelectCore:
    """One SELECT block without ORDER BY / LIMIT (those belong to the enclosing QueryNode)."""

    items: tuple[SelectItemNode, ...]
    from_: tuple[FromNode, ...] = ()
    where: Node | None = None
    group_by: tuple[Node, ...] = ()
    having: Node | None = None
    distinct: bool = False
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class SetOperation:
    """op is union, union all, intersect or except."""

    op: str
    left: SelectCore | SetOperation
    right: SelectCore
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class CommonTable:
    name: str
    query: QueryNode
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class QueryNode:
    body: SelectCore | SetOperation
    ctes: tuple[CommonTable, ...] = ()
    order_by: tuple[OrderItemNode, ...] = ()
    limit: Node | None = None
    offset: Node | None = None
    span: Span = UNKNOWN_SPAN

    @property
    def is_simple(self) -> bool:
        """A single SELECT block without WITH: the shape C-SQL statements accept."""
        return isinstance(self.body, SelectCore) and not self.ctes and self.offset is None


# ---------------------------------------------------------------------------------------------
# Statements


@dataclass(frozen=True, slots=True)
class ColumnDef:
    name: str
    type_name: TypeName
    not_null: bool = False
    primary_key: bool = False
    unique: bool = False
    references: tuple[str, tuple[str, ...]] | None = None
    default: Node | None = None
    check: Node | None = None
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class TableConstraintNode:
    """kind is primary key, unique, foreign key or check."""

    kind: str
    columns: tuple[str, ...] = ()
    ref_table: str | None = None
    ref_columns: tuple[str, ...] = ()
    check: Node | None = None
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class Annotation:
    """A `-- @variable_columns(a, b)` comment, attached to the statement that follows it."""

    columns: tuple[str, ...]
    span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class CreateTable:
    name: str
    columns: tuple[ColumnDef, ...]
    constraints: tuple[TableConstraintNode, ...] = ()
    annotation: Annotation | None = None
    text: str = ""
    span: Span = UNKNOWN_SPAN
    name_span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class CreateView:
    name: str
    query: QueryNode
    annotation: Annotation | None = None
    text: str = ""
    query_text: str = ""
    span: Span = UNKNOWN_SPAN
    name_span: Span = UNKNOWN_SPAN


@dataclass(frozen=True, slots=True)
class CreateConstraint:
    """dialect is dcm or vldb23; kind is check, maximize, minimize, or None for a DCM
    intermediate view. VLDB'23 forms arrive with their FROM part already wrapped in a
    `SELECT *` query, so both dialects look the same from here on."""

    name: str
    query: QueryNode
    kind: str | None
    expr: Node | None
    dialect: str
    annotation: Annotation | None = None
    text: str = ""
    span: Span = UNKNOWN_SPAN
    name_span: Span = UNKNOWN_SPAN


Statement = CreateTable | CreateView | CreateConstraint
