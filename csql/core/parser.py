"""Program text to syntax tree (`csql.core.ast`), with a span on every node.

The Lark parser is built once per process. Lark's own exceptions never reach the user:
`UnexpectedInput` becomes `SqlSyntaxError` with the position, the token found and what was
expected in plain words; `VisitError` is unwrapped. Annotation comments are invisible to the
lexer, so they are found by a pre-scan of the text and attached to the statement after them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, VisitError

from csql.ir.errors import CsqlError, SqlSyntaxError
from csql.ir.span import Span

from . import ast as A


@lru_cache(maxsize=1)
def _lark() -> Lark:
    text = resources.files("csql.core").joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(text, start="program", parser="lalr", lexer="contextual",
                propagate_positions=True, maybe_placeholders=False)


_ANNOTATION = re.compile(r"--[ \t]*@variable_columns[ \t]*\(([^)\n]*)\)", re.IGNORECASE)
_ANNOTATION_LOOSE = re.compile(r"--[ \t]*@variable_columns\b", re.IGNORECASE)
# Words that are never names unless double-quoted (the contextual lexer would otherwise
# accept e.g. `SELECT FROM t` as selecting a column called "from").
RESERVED_WORDS = frozenset({
    "and", "as", "between", "by", "case", "check", "constraint", "create", "distinct", "else",
    "end", "except", "exists", "from", "group", "having", "in", "intersect", "is", "join",
    "limit", "maximize", "minimize", "not", "null", "on", "or", "order", "select", "table",
    "then", "union", "view", "when", "where", "with",
})
_IDENTIFIER = re.compile(r'^(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")$')


def identifier(text: str) -> str:
    """Case-fold an identifier as SQL does: plain names lower case, quoted names as written."""
    if text.startswith('"'):
        return text[1:-1].replace('""', '"')
    return text.lower()


def _span_from_pos(source: str, filename: str, start: int, end: int) -> Span:
    line = source.count("\n", 0, start) + 1
    column = start - (source.rfind("\n", 0, start) + 1) + 1
    end_line = source.count("\n", 0, end) + 1
    end_column = end - (source.rfind("\n", 0, end) + 1) + 1
    return Span(filename, line, column, end_line, end_column, start, end)


def _span(meta: object, filename: str) -> Span:
    if getattr(meta, "empty", False):
        return Span(filename, 0, 0, 0, 0)
    return Span(filename, meta.line, meta.column, meta.end_line, meta.end_column,  # type: ignore[attr-defined]
                meta.start_pos, meta.end_pos)  # type: ignore[attr-defined]


def _token_span(tok: Token, filename: str) -> Span:
    return Span(filename, tok.line or 0, tok.column or 0, tok.end_line or 0, tok.end_column or 0,
                tok.start_pos or 0, tok.end_pos or 0)


def scan_annotations(source: str, filename: str) -> list[A.Annotation]:
    """Every `-- @variable_columns(...)` comment of the program, in order."""
    found = []
    for m in _ANNOTATION_LOOSE.finditer(source):
        strict = _ANNOTATION.match(source, m.start())
        span = _span_from_pos(source, filename, m.start(), m.end())
        if strict is None:
            raise SqlSyntaxError(
                "malformed @variable_columns annotation", span, source=source,
                hint="write it as `-- @variable_columns(col1, col2)` on its own line "
                     "directly before the CREATE TABLE or CREATE VIEW")
        names = [p.strip() for p in strict.group(1).split(",")]
        if not names or any(not _IDENTIFIER.match(n) for n in names):
            raise SqlSyntaxError(
                f"bad column list in annotation: ({strict.group(1)})", span, source=source,
                hint="list column names separated by commas, e.g. "
                     "`-- @variable_columns(node_name)`")
        found.append(A.Annotation(tuple(identifier(n) for n in names), span))
    return found


@v_args(meta=True)
class _ToAst(Transformer):
    """Builds `csql.core.ast` nodes from the Lark tree (one method per named alternative)."""

    def __init__(self, source: str, filename: str) -> None:
        super().__init__()
        self.source = source
        self.filename = filename

    def _s(self, meta: object) -> Span:
        return _span(meta, self.filename)

    def _text(self, meta: object) -> str:
        return self.source[meta.start_pos:meta.end_pos]  # type: ignore[attr-defined]

    def _name(self, tok: object) -> str:
        text = str(tok)
        if isinstance(tok, Token) and tok.type == "IDENT" and text.lower() in RESERVED_WORDS:
            raise SqlSyntaxError(
                f"unexpected keyword {text.upper()}", _token_span(tok, self.filename),
                source=self.source,
                hint=f'{text.upper()} is a reserved word; write "{text.lower()}" (double-quoted) '
                     "to use it as a name, or check the clause before it")
        return identifier(text)

    # ----------------------------------------------------------------- statements
    def program(self, meta, children):
        return list(children)

    def create_table(self, meta, children):
        name_tok, *elements = children
        cols = tuple(e for e in elements if isinstance(e, A.ColumnDef))
        cons = tuple(e for e in elements if isinstance(e, A.TableConstraintNode))
        return A.CreateTable(self._name(name_tok), cols, cons, text=self._text(meta),
                             span=self._s(meta), name_span=_token_span(name_tok, self.filename))

    def column_def(self, meta, children):
        name_tok, type_name, *options = children
        fields: dict[str, object] = {}
        for kind, value in options:
            if kind != "constraint_name":
                fields[kind] = value
        return A.ColumnDef(self._name(name_tok), type_name, span=self._s(meta), **fields)

    def type_name(self, meta, children):
        words = tuple(self._name(c) for c in children if isinstance(c, Token))
        params: tuple[int, ...] = ()
        dims = 0
        for c in children:
            if isinstance(c, tuple):
                params = c
            elif c == "[]":
                dims += 1
        return A.TypeName(words, params, dims, self._text(meta), self._s(meta))

    pg_type = type_name

    def type_params(self, meta, children):
        return tuple(int(c) for c in children)

    def array_suffix(self, meta, children):
        return "[]"

    def opt_not_null(self, meta, children):
        return ("not_null", True)

    def opt_null(self, meta, children):
        return ("not_null", False)

    def opt_primary_key(self, meta, children):
        return ("primary_key", True)

    def opt_unique(self, meta, children):
        return ("unique", True)

    def opt_references(self, meta, children):
        table = self._name(children[0])
        cols = children[1] if len(children) > 1 else ()
        return ("references", (table, cols))

    def opt_default(self, meta, children):
        return ("default", children[0])

    def opt_check(self, meta, children):
        return ("check", children[0])

    def opt_constraint_name(self, meta, children):
        return ("constraint_name", None)

    def negative_int(self, meta, children):
        return A.Constant(-int(children[1]), "int", self._s(meta))

    def negative_real(self, meta, children):
        return A.Constant(-float(children[1]), "real", self._s(meta))

    def ref_columns(self, meta, children):
        return children[0]

    def name_list(self, meta, children):
        return tuple(self._name(c) for c in children)

    def table_constraint(self, meta, children):
        return children[-1]

    def constraint_name(self, meta, children):
        return None

    def tc_primary_key(self, meta, children):
        return A.TableConstraintNode("primary key", children[0], span=self._s(meta))

    def tc_unique(self, meta, children):
        return A.TableConstraintNode("unique", children[0], span=self._s(meta))

    def tc_foreign_key(self, meta, children):
        cols, table = children[0], self._name(children[1])
        ref_cols = children[2] if len(children) > 2 else ()
        return A.TableConstraintNode("foreign key", cols, table, ref_cols, span=self._s(meta))

    def tc_check(self, meta, children):
        return A.TableConstraintNode("check", check=children[0], span=self._s(meta))

    def create_view(self, meta, children):
        name_tok, query = children
        return A.CreateView(self._name(name_tok), query, text=self._text(meta),
                            query_text=self.source[query.span.start_pos:query.span.end_pos],
                            span=self._s(meta), name_span=_token_span(name_tok, self.filename))

    def _constraint(self, meta, name_tok, query, objective, dialect):
        kind, expr = objective if objective is not None else (None, None)
        return A.CreateConstraint(self._name(name_tok), query, kind, expr, dialect,
                                  text=self._text(meta), span=self._s(meta),
                                  name_span=_token_span(name_tok, self.filename))

    def dcm_view(self, meta, children):
        return self._constraint(meta, children[0], children[1], None, "dcm")

    def dcm_constraint(self, meta, children):
        return self._constraint(meta, children[0], children[1], children[2], "dcm")

    def vldb_constraint(self, meta, children):
        name_tok, objective, query = children
        return self._constraint(meta, name_tok, query, objective, "vldb23")

    def check_clause(self, meta, children):
        return ("check", children[0])

    def maximize_clause(self, meta, children):
        return ("maximize", children[0])

    def minimize_clause(self, meta, children):
        return ("minimize", children[0])

    def vldb_from(self, meta, children):
        parts = dict(children)
        span = self._s(meta)
        core = A.SelectCore((A.SelectItemNode(A.StarItem(None, span), None, span),),
                            parts["from"], parts.get("where"), parts.get("group_by", ()),
                            parts.get("having"), False, span)
        return A.QueryNode(core, span=span)

    # ----------------------------------------------------------------- queries
    def query(self, meta, children):
        ctes: tuple = ()
        body = None
        order: tuple = ()
        limit = offset = None
        for c in children:
            if isinstance(c, tuple) and c and c[0] == "with":
                ctes = c[1]
            elif isinstance(c, (A.SelectCore, A.SetOperation)):
                body = c
            elif isinstance(c, tuple) and c and c[0] == "order":
                order = c[1]
            elif isinstance(c, tuple) and c and c[0] == "limit":
                limit, offset = c[1], c[2]
        return A.QueryNode(body, ctes, order, limit, offset, self._s(meta))  # type: ignore[arg-type]

    def with_clause(self, meta, children):
        return ("with", tuple(c for c in children if isinstance(c, A.CommonTable)))

    def cte(self, meta, children):
        return A.CommonTable(self._name(children[0]), children[-1], self._s(meta))

    def _set(self, op, meta, children):
        return A.SetOperation(op, children[0], children[1], self._s(meta))

    def union(self, meta, children):
        return self._set("union", meta, children)

    def union_all(self, meta, children):
        return self._set("union all", meta, children)

    def intersect(self, meta, children):
        return self._set("intersect", meta, children)

    def except_(self, meta, children):
        return self._set("except", meta, children)

    def select_core(self, meta, children):
        distinct = False
        items: tuple = ()
        parts: dict[str, object] = {}
        for c in children:
            if c == "distinct":
                distinct = True
            elif isinstance(c, list):
                items = tuple(c)
            else:
                parts[c[0]] = c[1]
        return A.SelectCore(items, parts.get("from", ()), parts.get("where"),  # type: ignore[arg-type]
                            parts.get("group_by", ()), parts.get("having"), distinct,  # type: ignore[arg-type]
                            self._s(meta))

    def distinct(self, meta, children):
        return "distinct"

    def select_list(self, meta, children):
        return list(children)

    def select_expr(self, meta, children):
        return A.SelectItemNode(children[0], None, self._s(meta))

    def select_alias(self, meta, children):
        return A.SelectItemNode(children[0], self._name(children[1]), self._s(meta))

    def select_star(self, meta, children):
        return A.SelectItemNode(A.StarItem(None, self._s(meta)), None, self._s(meta))

    def select_qualified_star(self, meta, children):
        star = A.StarItem(self._name(children[0]), self._s(meta))
        return A.SelectItemNode(star, None, self._s(meta))

    def from_clause(self, meta, children):
        return ("from", tuple(children))

    def _join(self, kind, meta, children):
        on = children[2] if len(children) > 2 else None
        return A.Join(kind, children[0], children[1], on, self._s(meta))

    def inner_join(self, meta, children):
        return self._join("inner", meta, children)

    def left_join(self, meta, children):
        return self._join("left", meta, children)

    def right_join(self, meta, children):
        return self._join("right", meta, children)

    def full_join(self, meta, children):
        return self._join("full", meta, children)

    def cross_join(self, meta, children):
        return self._join("cross", meta, children)

    def table_ref(self, meta, children):
        alias = children[1] if len(children) > 1 else None
        return A.TableRef(self._name(children[0]), alias, self._s(meta))

    def subquery_ref(self, meta, children):
        return A.SubqueryRef(children[0], children[1], self._s(meta))

    def alias(self, meta, children):
        return self._name(children[0])

    def where_clause(self, meta, children):
        return ("where", children[0])

    def group_clause(self, meta, children):
        return ("group_by", children[0])

    def having_clause(self, meta, children):
        return ("having", children[0])

    def order_clause(self, meta, children):
        return ("order", tuple(children))

    def order_asc(self, meta, children):
        return A.OrderItemNode(children[0], False, self._s(meta))

    def order_desc(self, meta, children):
        return A.OrderItemNode(children[0], True, self._s(meta))

    def nulls_order(self, meta, children):
        return None

    def limit_clause(self, meta, children):
        limit = offset = None
        for c in children:
            if isinstance(c, tuple) and c[0] == "offset":
                offset = c[1]
            else:
                limit = c
        return ("limit", limit, offset)

    def offset_clause(self, meta, children):
        return ("offset", children[0])

    def expr_list(self, meta, children):
        return tuple(children)

    # ----------------------------------------------------------------- expressions
    def or_op(self, meta, children):
        return A.Logical("or", children[0], children[1], self._s(meta))

    def and_op(self, meta, children):
        return A.Logical("and", children[0], children[1], self._s(meta))

    def not_op(self, meta, children):
        return A.NotOp(children[0], self._s(meta))

    def comparison(self, meta, children):
        op = str(children[1])
        return A.BinaryOp("!=" if op == "<>" else op, children[0], children[2], self._s(meta))

    def is_null(self, meta, children):
        return A.IsNullTest(children[0], False, self._s(meta))

    def is_not_null(self, meta, children):
        return A.IsNullTest(children[0], True, self._s(meta))

    def between(self, meta, children):
        return A.BetweenTest(*children, negated=False, span=self._s(meta))

    def not_between(self, meta, children):
        return A.BetweenTest(*children, negated=True, span=self._s(meta))

    def in_list(self, meta, children):
        return A.InListTest(children[0], children[1], False, self._s(meta))

    def not_in_list(self, meta, children):
        return A.InListTest(children[0], children[1], True, self._s(meta))

    def in_query(self, meta, children):
        return A.InQueryTest(children[0], children[1], False, self._s(meta))

    def not_in_query(self, meta, children):
        return A.InQueryTest(children[0], children[1], True, self._s(meta))

    def like(self, meta, children):
        return A.BinaryOp("like", children[0], children[1], self._s(meta))

    def not_like(self, meta, children):
        return A.NotOp(A.BinaryOp("like", children[0], children[1], self._s(meta)),
                       self._s(meta))

    def exists(self, meta, children):
        return A.ExistsTest(children[0], self._s(meta))

    def binary(self, meta, children):
        return A.BinaryOp(str(children[1]), children[0], children[2], self._s(meta))

    def negate(self, meta, children):
        return A.Negation(children[1], self._s(meta))

    def unary_plus(self, meta, children):
        return children[1]

    def pg_cast(self, meta, children):
        return A.CastExpr(children[0], children[1], self._s(meta))

    def subscript(self, meta, children):
        return A.Subscript(children[0], children[1], self._s(meta))

    def scalar_subquery(self, meta, children):
        return A.Subquery(children[0], self._s(meta))

    def case_searched(self, meta, children):
        whens = tuple(c for c in children if isinstance(c, tuple))
        else_ = next((c[1] for c in children if isinstance(c, list)), None)
        return A.CaseExpr(None, whens, else_, self._s(meta))

    def case_simple(self, meta, children):
        operand, *rest = children
        whens = tuple(c for c in rest if isinstance(c, tuple))
        else_ = next((c[1] for c in rest if isinstance(c, list)), None)
        return A.CaseExpr(operand, whens, else_, self._s(meta))

    def when_clause(self, meta, children):
        return (children[0], children[1])

    def else_clause(self, meta, children):
        return ["else", children[0]]

    def cast(self, meta, children):
        return A.CastExpr(children[0], children[1], self._s(meta))

    def array_literal(self, meta, children):
        return A.ArrayLiteral(children[0] if children else (), self._s(meta))

    def column_ref(self, meta, children):
        return A.ColumnName(tuple(self._name(c) for c in children), self._s(meta))

    def func_call(self, meta, children):
        name = self._name(children[0])
        args: tuple = ()
        star = distinct = False
        filt = over = None
        for c in children[1:]:
            if c == "*":
                star = True
            elif isinstance(c, tuple) and c[0] == "args":
                distinct, args = c[1], c[2]
            elif isinstance(c, tuple) and c[0] == "filter":
                filt = c[1]
            elif isinstance(c, A.WindowSpec):
                over = c
        return A.FunctionCall(name, args, star, distinct, filt, over, self._s(meta))

    def args_star(self, meta, children):
        return "*"

    def args(self, meta, children):
        return ("args", len(children) == 2, children[-1])

    def filter_clause(self, meta, children):
        return ("filter", children[0])

    def over_clause(self, meta, children):
        partition: tuple = ()
        order: tuple = ()
        for c in children:
            if isinstance(c, tuple) and c and c[0] == "order":
                order = c[1]
            elif isinstance(c, tuple):
                partition = c
        return A.WindowSpec(partition, order, self._s(meta))

    def partition_clause(self, meta, children):
        return children[0]

    def int_literal(self, meta, children):
        return A.Constant(int(children[0]), "int", self._s(meta))

    def real_literal(self, meta, children):
        return A.Constant(float(children[0]), "real", self._s(meta))

    def string_literal(self, meta, children):
        return A.Constant(str(children[0])[1:-1].replace("''", "'"), "string", self._s(meta))

    def true_literal(self, meta, children):
        return A.Constant(True, "bool", self._s(meta))

    def false_literal(self, meta, children):
        return A.Constant(False, "bool", self._s(meta))

    def null_literal(self, meta, children):
        return A.Constant(None, "null", self._s(meta))


# Plain words for Lark's terminal names in "expected ..." messages.
_TERMINAL_WORDS = {
    "IDENT": "a name", "QUOTED_IDENT": "a quoted name", "STRING": "a string",
    "INT_NUMBER": "a number", "DECIMAL_NUMBER": "a number", "COMP_OP": "a comparison",
    "LPAR": "'('", "RPAR": "')'", "COMMA": "','", "_SEMI": "';'", "DOT": "'.'",
    "LSQB": "'['", "RSQB": "']'", "PLUS": "'+'", "MINUS": "'-'", "STAR": "'*'",
    "SLASH": "'/'", "PERCENT": "'%'", "CONCAT": "'||'", "$END": "end of input",
    "__ANON_0": "'::'",
}


def _describe_terminal(name: str) -> str:
    if name in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[name]
    if name.isalpha() and name.isupper():
        return name  # a keyword, Lark names it after its text
    return name.lower()


def _expected_words(expected: set[str]) -> str:
    words = sorted({_describe_terminal(t) for t in expected})
    keywords = [w for w in words if w.isupper()]
    others = [w for w in words if not w.isupper()]
    ordered = others + keywords
    if len(ordered) > 12:
        ordered = ordered[:12] + ["..."]
    return ", ".join(ordered)


def _syntax_error(exc: UnexpectedInput, source: str, filename: str) -> SqlSyntaxError:
    line = getattr(exc, "line", 0) or 0
    column = getattr(exc, "column", 0) or 0
    pos = getattr(exc, "pos_in_stream", None) or 0
    if isinstance(exc, UnexpectedEOF) or (getattr(exc, "token", None) is not None
                                          and exc.token.type == "$END"):
        found = "end of input"
        lines = source.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
        pos = len(source)
    elif isinstance(exc, UnexpectedCharacters):
        found = repr(source[pos]) if pos < len(source) else "end of input"
    else:
        token = exc.token  # type: ignore[attr-defined]
        found = repr(str(token))
    expected = getattr(exc, "expected", None) or getattr(exc, "allowed", None) or set()
    span = Span(filename, line, column, line, column + 1, pos, pos + 1)
    message = f"unexpected {found}"
    hint = f"expected one of: {_expected_words(set(expected))}" if expected else None
    if found == "end of input":
        hint = (hint + "; " if hint else "") + "the statement is incomplete"
    return SqlSyntaxError(message, span, hint=hint, source=source)


def parse(source: str, filename: str = "<program>") -> list[A.Statement]:
    """Parse a whole program into statements, annotations attached."""
    try:
        tree: Tree = _lark().parse(source)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, source, filename) from None
    try:
        statements: list[A.Statement] = _ToAst(source, filename).transform(tree)
    except VisitError as exc:
        inner = exc.orig_exc
        if isinstance(inner, CsqlError):
            raise inner from None
        raise
    return _attach_annotations(statements, scan_annotations(source, filename), source)


def _attach_annotations(statements: list[A.Statement], annotations: list[A.Annotation],
                        source: str) -> list[A.Statement]:
    import dataclasses

    result = list(statements)
    for ann in annotations:
        following = [i for i, s in enumerate(result) if s.span.start_pos > ann.span.start_pos]
        inside = [s for s in result if s.span.start_pos < ann.span.start_pos < s.span.end_pos]
        if inside or not following:
            raise SqlSyntaxError(
                "@variable_columns annotation is not followed by a statement", ann.span,
                source=source,
                hint="put the annotation on the line directly before CREATE TABLE / CREATE VIEW")
        index = following[0]
        target = result[index]
        if not isinstance(target, (A.CreateTable, A.CreateView)):
            raise SqlSyntaxError(
                "@variable_columns annotation must precede CREATE TABLE or CREATE VIEW",
                ann.span, source=source,
                hint="variable columns belong to tables and views, not constraints")
        if target.annotation is not None:
            merged = A.Annotation(target.annotation.columns + ann.columns, target.annotation.span)
        else:
            merged = ann
        result[index] = dataclasses.replace(target, annotation=merged)
    return result
