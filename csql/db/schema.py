"""Make a database ready for a program: its tables present, its data views defined.

The user's database is theirs: tables the program declares and the database lacks are created
from the program's DDL, tables it already has are used as they are (their columns must be
there), and data views become TEMPORARY views, so solving never leaves views behind. Data files
are loaded in one transaction, so a file with an error loads nothing.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from ..ir import logical
from ..ir.errors import CsqlError, DataError
from ..ir.span import Span
from .base import DUCKDB, POSTGRES, Database
from .dialect import sql_type_name
from .sqltext import split_statements

_TRANSACTION_WORDS = ("BEGIN", "COMMIT", "ROLLBACK", "END", "START", "ABORT", "SAVEPOINT",
                      "RELEASE")


@dataclass(frozen=True, slots=True)
class SchemaChanges:
    """What `ensure_schema` did: tables it created, tables it found, temp views it defined."""

    created_tables: tuple[str, ...]
    existing_tables: tuple[str, ...]
    views: tuple[str, ...]


def _creation_order(tables: tuple[logical.Table, ...]) -> list[logical.Table]:
    """Program order, except that a table comes after the tables its foreign keys reference
    (a cycle keeps program order; the engine then reports the missing table)."""
    by_name = {t.name: t for t in tables}
    ordered: list[logical.Table] = []
    state: dict[str, int] = {}  # 1 = visiting, 2 = done

    def visit(table: logical.Table) -> None:
        if state.get(table.name):
            return
        state[table.name] = 1
        for fk in table.foreign_keys:
            target = by_name.get(fk.ref_table)
            if target is not None and target.name != table.name:
                visit(target)
        state[table.name] = 2
        ordered.append(table)

    for table in tables:
        visit(table)
    return ordered


def table_ddl(db: Database, table: logical.Table) -> str:
    """The program's own DDL for a table, or DDL built from the declared columns when the
    program object carries none (programs built by hand)."""
    if table.sql.strip():
        return table.sql.strip().rstrip(";")
    parts = []
    for column in table.columns:
        sql_type = column.sql_type or sql_type_name(db.dialect, column.type)
        parts.append(f"{db.quote(column.name)} {sql_type}"
                     + (" NOT NULL" if column.not_null else ""))
    if table.primary_key:
        parts.append("PRIMARY KEY (" + ", ".join(db.quote(c) for c in table.primary_key) + ")")
    for unique in table.unique:
        parts.append("UNIQUE (" + ", ".join(db.quote(c) for c in unique) + ")")
    for fk in table.foreign_keys:
        parts.append("FOREIGN KEY (" + ", ".join(db.quote(c) for c in fk.columns) + ") "
                     f"REFERENCES {db.quote(fk.ref_table)} ("
                     + ", ".join(db.quote(c) for c in fk.ref_columns) + ")")
    return f"CREATE TABLE {db.quote(table.name)} (" + ", ".join(parts) + ")"


def _located(error: CsqlError, program: logical.Program, node_span: Span,
             message: str, hint: str | None) -> DataError:
    located = DataError(message, node_span, hint=hint)
    located.source = program.source or None
    located.__cause__ = error
    return located


def _check_columns(db: Database, program: logical.Program, table: logical.Table) -> None:
    present = {name for name, _ in db.relation_columns(table.name)}
    missing = [c.name for c in table.columns if c.name not in present]
    if missing:
        raise DataError(
            f"table {table.name} in {db.url} lacks column(s) {', '.join(missing)} that the "
            f"program declares; it has: {', '.join(sorted(present)) or 'no columns'}",
            table.span,
            hint=f"add the missing columns (ALTER TABLE {table.name} ADD COLUMN ...) or point "
                 "csql at a database without this table, which it then creates",
            source=program.source or None,
        )


def _view_statements(db: Database, view: logical.DataView) -> list[str]:
    name = db.quote(view.name)
    select_sql = view.select_sql.strip().rstrip(";")
    if db.dialect == DUCKDB:
        return [f"CREATE OR REPLACE TEMP VIEW {name} AS {select_sql}"]
    if db.dialect == POSTGRES:
        # Dropped first: CREATE OR REPLACE refuses a view whose columns changed.
        return [f"DROP VIEW IF EXISTS pg_temp.{name} CASCADE",
                f"CREATE TEMP VIEW {name} AS {select_sql}"]
    return [f"DROP VIEW IF EXISTS temp.{name}", f"CREATE TEMP VIEW {name} AS {select_sql}"]


def ensure_schema(db: Database, program: logical.Program) -> SchemaChanges:
    """Create the program's missing tables, check the existing ones, define its data views."""
    created: list[str] = []
    existing: list[str] = []
    with db.transaction():
        for table in _creation_order(program.tables):
            if db.table_exists(table.name):
                _check_columns(db, program, table)
                existing.append(table.name)
                continue
            ddl = table_ddl(db, table)
            try:
                db.execute(ddl)
            except DataError as exc:
                raise _located(exc, program, table.span,
                               f"cannot create table {table.name} in {db.url}: {exc.message}",
                               "the program's CREATE TABLE must be valid SQL for this "
                               "database engine") from exc
            created.append(table.name)
    views: list[str] = []
    for view in program.data_views:
        if db.table_exists(view.name):
            raise DataError(
                f"data view {view.name} has the name of a table in {db.url}",
                view.span,
                hint="rename the view in the program; csql defines data views as temporary "
                     "views and would hide the table",
                source=program.source or None,
            )
        try:
            for statement in _view_statements(db, view):
                db.execute(statement)
            # SQLite accepts a view over missing relations until it is read: read it now.
            db.query(f"SELECT * FROM {db.quote(view.name)} WHERE 1 = 0")
        except DataError as exc:
            raise _located(exc, program, view.span,
                           f"cannot create data view {view.name}: {exc.message}",
                           "a data view's SELECT is run by the database as written; it must "
                           "be valid SQL for this engine and read only existing relations"
                           ) from exc
        views.append(view.name)
    return SchemaChanges(tuple(created), tuple(existing), tuple(views))


def _controls_transactions(text: str) -> bool:
    for statement in split_statements(text):
        words = statement.text.split(None, 1)
        if words and words[0].upper().rstrip(";") in _TRANSACTION_WORDS:
            return True
    return False


def load_data(db: Database, text: str, filename: str = "<data>") -> None:
    """Run a data file (INSERTs and the like, in the engine's dialect) atomically; an error
    names the file, line and statement. A file with its own BEGIN/COMMIT runs as written."""
    def run() -> None:
        # The adapters here take the file name for error positions; the protocol does not.
        if "filename" in inspect.signature(db.script).parameters:
            db.script(text, filename)  # type: ignore[call-arg]
        else:
            db.script(text)

    if _controls_transactions(text):
        run()
        return
    with db.transaction():
        run()
