"""Syntax tree to logical IR: `bind(source)` is the front end's one public entry point.

Statements are bound in source order against the catalog of what came before (a statement
can only read relations defined earlier), and every dialect form is normalised here:
Weave `constraint_*` / `objective_*` views, DCM `AS select CHECK e` and intermediate views,
and VLDB'23 `AS CHECK e FROM r` all leave as `Constraint` or `SymbolicView`. Every error
carries the program text so `render()` can show the line and a caret.
"""

from __future__ import annotations

import re

from csql.ir import logical as L
from csql.ir.errors import CompileError, SqlTypeError
from csql.ir.span import Span

from . import ast as A
from .binder_domains import check_string_domains
from .binder_expr import Clause
from .binder_query import QueryBinder
from .binder_types import Scope, SourceEntry, has_variable_prefix, listing, logical_type
from .binder_views import infer_columns, read_relations, reads_variables
from .parser import parse

_ANNOTATION_LINE = re.compile(r"[ \t]*--[ \t]*@variable_columns[^\n]*\n?", re.IGNORECASE)


def bind(source: str, filename: str = "<program>") -> L.Program:
    """Parse and bind a whole C-SQL program."""
    try:
        statements = parse(source, filename)
        binder = StatementBinder()
        for stmt in statements:
            binder.add(stmt)
        program = L.Program(tuple(binder.statements), source, filename)
        check_string_domains(program)
        return program
    except CompileError as exc:
        if exc.source is None:
            exc.source = source
        raise


CHECK_CLAUSE = Clause("CHECK", aggregates=True)
OBJECTIVE_CLAUSE = Clause("MAXIMIZE/MINIMIZE", aggregates=True)
DEFAULT_CLAUSE = Clause("DEFAULT")
TABLE_CHECK_CLAUSE = Clause("a table CHECK")


class StatementBinder:
    """Holds the catalog while statements are bound one after another."""

    def __init__(self) -> None:
        self.catalog: dict[str, L.Statement] = {}
        self.statements: list[L.Statement] = []
        self.queries = QueryBinder(self.catalog)

    def add(self, stmt: A.Statement) -> None:
        if stmt.name in self.catalog:
            previous = self.catalog[stmt.name]
            raise CompileError(
                f"'{stmt.name}' is already defined (at {previous.span})", stmt.name_span,
                hint="tables, views and constraints share one namespace; pick another name")
        if isinstance(stmt, A.CreateTable):
            bound: L.Statement = self.table(stmt)
        elif isinstance(stmt, A.CreateView):
            bound = self.view(stmt)
        else:
            bound = self.constraint(stmt)
        self.catalog[bound.name] = bound
        self.statements.append(bound)

    # ------------------------------------------------------------------ tables
    def table(self, stmt: A.CreateTable) -> L.Table:
        annotated = set(stmt.annotation.columns) if stmt.annotation else set()
        names = [c.name for c in stmt.columns]
        self._check_annotation(stmt.annotation, names, stmt.name)
        columns: list[L.Column] = []
        primary: tuple[str, ...] = ()
        unique: list[tuple[str, ...]] = []
        fks: list[L.ForeignKey] = []
        for col in stmt.columns:
            if col.name in [c.name for c in columns]:
                raise CompileError(f"column '{col.name}' appears twice in {stmt.name}",
                                   col.span, hint="rename one of them")
            variable = col.name in annotated or has_variable_prefix(col.name)
            ltype = logical_type(col.type_name)
            if variable:
                self._check_variable_type(col.name, ltype, col.type_name.text, col.type_name.span)
            default = None
            if col.default is not None:
                default = self.queries.expr(col.default, Scope(), DEFAULT_CLAUSE)
            columns.append(L.Column(col.name, ltype, col.type_name.text.upper(),
                                    L.VARIABLE if variable else L.CONSTANT,
                                    col.not_null or col.primary_key, default, col.span))
            if col.primary_key:
                if primary:
                    raise CompileError(f"{stmt.name} has two primary keys", col.span,
                                       hint="declare a composite key as PRIMARY KEY (a, b)")
                primary = (col.name,)
            if col.unique:
                unique.append((col.name,))
            if col.references is not None:
                fks.append(self._foreign_key(stmt, (col.name,), col.references[0],
                                             col.references[1], col.span))
        for cons in stmt.constraints:
            for name in cons.columns:
                if name not in names:
                    raise CompileError(f"column '{name}' not in {stmt.name}", cons.span,
                                       hint=f"columns of {stmt.name}: {listing(names)}")
            if cons.kind == "primary key":
                if primary:
                    raise CompileError(f"{stmt.name} has two primary keys", cons.span,
                                       hint="declare one PRIMARY KEY (a, b)")
                primary = cons.columns
            elif cons.kind == "unique":
                unique.append(cons.columns)
            elif cons.kind == "foreign key":
                fks.append(self._foreign_key(stmt, cons.columns, cons.ref_table or "",
                                             cons.ref_columns, cons.span))
        if primary:
            columns = [L.Column(c.name, c.type, c.sql_type, c.kind, True, c.default, c.span)
                       if c.name in primary else c for c in columns]
        table = L.Table(stmt.name, tuple(columns), primary, tuple(unique), tuple(fks),
                        _ANNOTATION_LINE.sub("", stmt.text), stmt.span)
        self._table_checks(stmt, table)
        return table

    def _table_checks(self, stmt: A.CreateTable, table: L.Table) -> None:
        """CHECK in a table is DDL the database enforces on stored data; on a variable column
        it would pretend to constrain the solution, so it is refused there."""
        checks = [(c.check, c.span) for c in stmt.columns if c.check is not None]
        checks += [(c.check, c.span) for c in stmt.constraints if c.kind == "check"]
        scope = Scope([SourceEntry(table.name, table.name, table.columns, table.span)])
        for node, span in checks:
            bound = self.queries.expr(node, scope, TABLE_CHECK_CLAUSE)
            if bound.symbolic:
                raise CompileError(
                    "CHECK in CREATE TABLE reads a variable column", span,
                    hint=f"state it as a constraint: CREATE CONSTRAINT c AS SELECT * FROM "
                         f"{table.name} CHECK <condition>")

    def _foreign_key(self, stmt: A.CreateTable, columns: tuple[str, ...], ref_table: str,
                     ref_columns: tuple[str, ...], span: Span) -> L.ForeignKey:
        if ref_table == stmt.name:
            ref_names = [c.name for c in stmt.columns]
            ref_pk = tuple(c.name for c in stmt.columns if c.primary_key)
            ref_pk = ref_pk or next((c.columns for c in stmt.constraints
                                     if c.kind == "primary key"), ())
        else:
            rel = self.queries.relation(ref_table, span)
            if not isinstance(rel, L.Table):
                raise CompileError(f"REFERENCES {ref_table}: only tables can be referenced",
                                   span, hint="reference the base table the view reads")
            ref_names = [c.name for c in rel.columns]
            ref_pk = rel.primary_key
        targets = ref_columns or ref_pk
        if not targets:
            raise CompileError(f"REFERENCES {ref_table} names no column and {ref_table} has "
                               "no primary key", span, hint=f"write REFERENCES {ref_table}(col)")
        for name in targets:
            if name not in ref_names:
                raise CompileError(f"column '{name}' not in {ref_table}", span,
                                   hint=f"columns of {ref_table}: {listing(ref_names)}")
        if len(targets) != len(columns):
            raise CompileError(f"foreign key has {len(columns)} column(s) but references "
                               f"{len(targets)}", span)
        return L.ForeignKey(columns, ref_table, tuple(targets), span)

    @staticmethod
    def _check_annotation(annotation: A.Annotation | None, names: list[str], what: str) -> None:
        if annotation is None:
            return
        for name in annotation.columns:
            if name not in names:
                raise CompileError(f"@variable_columns names '{name}', which is not a column "
                                   f"of {what}", annotation.span,
                                   hint=f"columns of {what}: {listing(names)}")

    @staticmethod
    def _check_variable_type(name: str, ltype: str, sql_type: str, span: Span) -> None:
        if ltype not in L.VARIABLE_TYPES:
            shown = sql_type.upper() or "an unknown type"
            raise SqlTypeError(
                f"variable column '{name}' has type {shown}", span,
                hint="decision variables must be INTEGER, BOOLEAN or VARCHAR/TEXT; scale a "
                     "REAL quantity to an integer unit (e.g. millicores)")

    # ------------------------------------------------------------------ views
    def view(self, stmt: A.CreateView) -> L.Statement:
        if stmt.name.startswith("constraint_"):
            return self._weave_constraint(stmt)
        if stmt.name.startswith("objective_"):
            return self._weave_objective(stmt)
        if reads_variables(stmt.query, self.queries):
            return self._symbolic_view(stmt.name, stmt.query, stmt.annotation,
                                       _ANNOTATION_LINE.sub("", stmt.text), stmt.span)
        return self._data_view(stmt)

    def _data_view(self, stmt: A.CreateView) -> L.DataView:
        inferred = infer_columns(stmt, self.queries)
        names = [n for n, _, _, _ in inferred]
        self._check_annotation(stmt.annotation, names, stmt.name)
        annotated = set(stmt.annotation.columns) if stmt.annotation else set()
        columns = []
        for name, ltype, span, _ in inferred:
            variable = name in annotated or has_variable_prefix(name)
            if variable:
                self._check_variable_type(name, ltype, "", span)  # type: ignore[arg-type]
            columns.append(L.Column(name, ltype, "", L.VARIABLE if variable else L.CONSTANT,
                                    span=span))  # type: ignore[arg-type]
        depends = []
        for ref in read_relations(stmt.query):
            if ref.name not in depends:
                depends.append(ref.name)
        return L.DataView(stmt.name, tuple(columns), stmt.query_text, tuple(depends), stmt.span,
                          tuple(origin for _, _, _, origin in inferred))

    def _symbolic_view(self, name: str, query_node: A.QueryNode,
                       annotation: A.Annotation | None, text: str, span: Span) -> L.SymbolicView:
        query, _ = self.queries.bind_query(query_node, None, symbolic_view=True)
        names = [i.name for i in query.select]
        self._check_annotation(annotation, names, name)
        annotated = set(annotation.columns) if annotation else set()
        columns = []
        for item in query.select:
            declared = item.name in annotated or has_variable_prefix(item.name)
            if declared and not item.expr.symbolic:
                raise CompileError(
                    f"view '{name}' reads variable columns, so it cannot also declare the new "
                    f"variable column '{item.name}'", item.span,
                    hint="declare new variable columns in a view over constant columns only")
            kind = L.SYMBOLIC if item.expr.symbolic else L.CONSTANT
            columns.append(L.Column(item.name, item.expr.type, "", kind, span=item.span))
        return L.SymbolicView(name, query, tuple(columns), text, span)

    def _weave_constraint(self, stmt: A.CreateView) -> L.Constraint:
        core = stmt.query.body
        if not isinstance(core, A.SelectCore) or core.where is None:
            raise CompileError(
                f"Weave constraint view '{stmt.name}' has no WHERE predicate", stmt.name_span,
                hint="a view named constraint_* states its predicate in WHERE; rename the view "
                     "if it is not meant as a constraint")
        query, scope = self.queries.bind_query(stmt.query, None, where_is_predicate=True)
        expr = self._statement_expr(core.where, scope, L.CHECK)
        query = _regroup(query, scope)
        return L.Constraint(stmt.name, L.CHECK, query, expr, L.WEAVE, stmt.text, stmt.span)

    def _weave_objective(self, stmt: A.CreateView) -> L.Constraint:
        query, scope = self.queries.bind_query(stmt.query, None)
        if len(query.select) != 1:
            raise CompileError(
                f"Weave objective view '{stmt.name}' must select one value, it selects "
                f"{len(query.select)}", stmt.name_span,
                hint="select a single scalar aggregate, e.g. SELECT min(spare) FROM ...")
        expr = query.select[0].expr
        self._check_objective_type(expr)
        return L.Constraint(stmt.name, L.MAXIMIZE, query, expr, L.WEAVE, stmt.text, stmt.span)

    # ------------------------------------------------------------------ constraints
    def constraint(self, stmt: A.CreateConstraint) -> L.Statement:
        if stmt.kind is None:
            return self._symbolic_view(stmt.name, stmt.query, None, stmt.text, stmt.span)
        query, scope = self.queries.bind_query(stmt.query, None)
        assert stmt.expr is not None
        expr = self._statement_expr(stmt.expr, scope, stmt.kind)
        return L.Constraint(stmt.name, stmt.kind, _regroup(query, scope), expr, stmt.dialect,
                            stmt.text, stmt.span)

    def _statement_expr(self, node: A.Node, scope: Scope, kind: str) -> L.Expr:
        clause = CHECK_CLAUSE if kind == L.CHECK else OBJECTIVE_CLAUSE
        expr = self.queries.expr(node, scope, clause)
        if kind == L.CHECK:
            if expr.type not in (L.BOOL, L.NULLTYPE, L.ANY):
                raise SqlTypeError(f"CHECK needs a boolean expression, got {expr.type}",
                                   expr.span, hint="write a condition, e.g. `x <= capacity`")
        else:
            self._check_objective_type(expr)
        return expr

    @staticmethod
    def _check_objective_type(expr: L.Expr) -> None:
        if expr.type not in (L.INT, L.BOOL, L.REAL, L.NULLTYPE, L.ANY):
            raise SqlTypeError(f"an objective must be a number or boolean, got {expr.type}",
                               expr.span, hint="maximize a count, a sum or a comparison")


def _regroup(query: L.Query, scope: Scope) -> L.Query:
    """Aggregates in the CHECK/MAXIMIZE expression make the statement grouped too."""
    if scope.found_aggregate and not query.grouped:
        import dataclasses
        return dataclasses.replace(query, grouped=True)
    return query
