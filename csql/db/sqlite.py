"""The SQLite adapter (standard library `sqlite3`).

SQLite has no boolean type: connections csql opens parse declared BOOLEAN/BOOL columns back
into Python bools (a converter registered with `sqlite3`), so `SELECT flag FROM t` reads True;
computed boolean expressions still come back as 0/1, which csql treats as booleans by their
declared types. Arrays have no SQLite type either: array columns of temporary tables (declared
`JSON`, or any `T[]` type) are stored as JSON text. Connections csql opens run in autocommit
mode and `transaction()` issues BEGIN itself, nesting with savepoints.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from ..ir.errors import DataError
from .base import SQLITE
from .common import BaseAdapter
from .sqltext import Statement, split_statements

_converters_registered = False


def _register_converters() -> None:
    """sqlite3's converter table is process-wide; it only applies to connections opened with
    `detect_types`, which are the ones this adapter opens."""
    global _converters_registered
    if _converters_registered:
        return
    for name in ("BOOLEAN", "BOOL"):
        sqlite3.register_converter(name, lambda raw: raw not in (b"0", b"", b"0.0"))
    _converters_registered = True


class SqliteDatabase(BaseAdapter):
    dialect = SQLITE
    engine = "SQLite"

    def __init__(self, connection: Any, url: str = "sqlite://", owns: bool = True) -> None:
        super().__init__(connection, url, owns)
        self._levels: list[str] = []  # per open transaction() level: "begin" or a savepoint

    @classmethod
    def open(cls, path: str, url: str) -> SqliteDatabase:
        _register_converters()
        try:
            connection = sqlite3.connect(
                path or ":memory:", isolation_level=None,
                detect_types=sqlite3.PARSE_DECLTYPES, check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise DataError(f"cannot open SQLite database {path!r}: {exc}",
                            hint="check the path in the sqlite:/// URL") from exc
        return cls(connection, url, owns=True)

    def _driver_errors(self) -> tuple[type[BaseException], ...]:
        # OverflowError: a Python int beyond int64 given as a parameter.
        return (sqlite3.Error, OverflowError)

    def _cursor(self, sql: str, params: Sequence[object]) -> Any:
        return self.connection.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        with self.transaction(), self._translating(sql):
            self.connection.executemany(sql, rows)

    def _script_statements(self, sql_text: str) -> list[Statement]:
        """Rejoin pieces split inside a `CREATE TRIGGER ... BEGIN ...; END` body, using
        SQLite's own notion of a complete statement."""
        merged: list[Statement] = []
        pending: Statement | None = None
        for stmt in split_statements(sql_text):
            if pending is not None:
                text = sql_text[pending.offset: stmt.offset + len(stmt.text)]
                stmt = Statement(text, pending.offset, pending.line, pending.column)
            if sqlite3.complete_statement(stmt.text + ";"):
                merged.append(stmt)
                pending = None
            else:
                pending = stmt
        if pending is not None:
            merged.append(pending)
        return merged

    # -- transactions -----------------------------------------------------------------------------

    def _begin(self, depth: int) -> None:
        if depth == 0 and not self.connection.in_transaction:
            self.connection.execute("BEGIN")
            self._levels.append("begin")
        else:
            name = f"csql_savepoint_{depth}"
            self.connection.execute(f"SAVEPOINT {name}")
            self._levels.append(name)

    def _commit(self, depth: int) -> None:
        level = self._levels.pop()
        if level == "begin":
            self.connection.execute("COMMIT")
        else:
            self.connection.execute(f"RELEASE SAVEPOINT {level}")

    def _rollback(self, depth: int) -> None:
        level = self._levels.pop()
        if level == "begin":
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
        else:
            self.connection.execute(f"ROLLBACK TO SAVEPOINT {level}")
            self.connection.execute(f"RELEASE SAVEPOINT {level}")

    # -- catalog ----------------------------------------------------------------------------------

    def table_exists(self, name: str) -> bool:
        rows = self.query(
            "SELECT count(*) FROM main.sqlite_master WHERE type = 'table' AND name = ?", (name,))
        return rows[0][0] > 0

    def relation_exists(self, name: str) -> bool:
        rows = self.query(
            "SELECT (SELECT count(*) FROM main.sqlite_master WHERE type IN ('table', 'view') "
            "AND name = ?) + (SELECT count(*) FROM temp.sqlite_master "
            "WHERE type IN ('table', 'view') AND name = ?)",
            (name, name),
        )
        return rows[0][0] > 0

    def relation_columns(self, name: str) -> list[tuple[str, str]]:
        rows = self.query("SELECT name, type FROM pragma_table_info(?)", (name,))
        return [(str(r[0]).lower(), str(r[1] or "").upper()) for r in rows]

    # -- bulk loading -----------------------------------------------------------------------------

    def create_temp_table(self, name: str, columns: Sequence[tuple[str, str]],
                          rows: Sequence[Sequence[object]]) -> None:
        array_columns = [i for i, (_, t) in enumerate(columns)
                         if t.strip().endswith("]") or t.strip().upper() == "JSON"]
        ddl_types = ["JSON" if i in array_columns else t for i, (_, t) in enumerate(columns)]
        column_ddl = ", ".join(f"{self.quote(c)} {t}" for (c, _), t in zip(columns, ddl_types))
        with self.transaction():
            self.execute(f"DROP TABLE IF EXISTS temp.{self.quote(name)}")
            self.execute(f"CREATE TEMP TABLE {self.quote(name)} ({column_ddl})")
            if not rows:
                return
            if array_columns:
                rows = [_json_arrays(row, array_columns) for row in rows]
            marks = ", ".join("?" for _ in columns)
            self.executemany(f"INSERT INTO temp.{self.quote(name)} VALUES ({marks})", rows)


def _json_arrays(row: Sequence[object], indexes: list[int]) -> tuple:
    values = list(row)
    for i in indexes:
        if values[i] is not None:
            values[i] = json.dumps(values[i])
    return tuple(values)
