"""The transformer's rules for statements and queries: CREATE TABLE / VIEW / CONSTRAINT in both
dialects, SELECT with its clauses, set operations and common table expressions.

One method per named alternative of the grammar; each returns a `csql.core.ast` node, or a
tagged tuple that the enclosing rule takes apart (`("where", expr)`, `("limit", n, offset)`).
"""

from __future__ import annotations

from lark import Token, v_args

from . import ast as A
from .parser_base import AstBuilder, token_span


@v_args(meta=True)
class StatementRules(AstBuilder):
    """Statements: tables with their columns and constraints, views, C-SQL constraints."""

    def program(self, meta, children):
        return list(children)

    def create_table(self, meta, children):
        name_tok, *elements = children
        cols = tuple(e for e in elements if isinstance(e, A.ColumnDef))
        cons = tuple(e for e in elements if isinstance(e, A.TableConstraintNode))
        return A.CreateTable(self._name(name_tok), cols, cons, text=self._text(meta),
                             span=self._s(meta), name_span=token_span(name_tok, self.filename))

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
                            span=self._s(meta), name_span=token_span(name_tok, self.filename))

    def _constraint(self, meta, name_tok, query, objective, dialect):
        kind, expr = objective if objective is not None else (None, None)
        return A.CreateConstraint(self._name(name_tok), query, kind, expr, dialect,
                                  text=self._text(meta), span=self._s(meta),
                                  name_span=token_span(name_tok, self.filename))

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


@v_args(meta=True)
class QueryRules(AstBuilder):
    """Queries: SELECT cores, joins, set operations, ORDER BY and LIMIT."""

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
