"""The PostgreSQL adapter (psycopg 3, imported when first used).

csql's SQL uses `?` placeholders; psycopg wants `%s`, and reads `%` everywhere, so statements
are rewritten once (cached). Bulk loading uses COPY, which psycopg streams row by row in C.
Connections csql opens are in autocommit mode; `transaction()` uses psycopg's own transaction
blocks, which nest as savepoints. NUMERIC results (SUM over integers is NUMERIC in PostgreSQL)
come back as int when they have no fractional digits and as float otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any
from uuid import UUID

from ..ir.errors import DataError
from .base import POSTGRES
from .common import BaseAdapter
from .sqltext import first_line, qmark_to_format

_NUMERIC_OID = 1700
_UUID_OID = 2950

# Type names other engines accept that PostgreSQL spells differently.
_TYPE_SPELLING = {"DOUBLE": "DOUBLE PRECISION", "HUGEINT": "NUMERIC", "STRING": "TEXT",
                  "FLOAT8": "DOUBLE PRECISION"}

_format_sql = lru_cache(maxsize=4096)(qmark_to_format)


def _plain_numeric(value: object) -> object:
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= 0:
            return int(value)
        return float(value)
    return value


def _plain_uuid(value: object) -> object:
    return str(value) if isinstance(value, UUID) else value


def postgres_type(sql_type: str) -> str:
    """A column type as PostgreSQL spells it (`DOUBLE` -> `DOUBLE PRECISION`, arrays kept)."""
    base = sql_type.strip()
    suffix = ""
    while base.endswith("[]"):
        base, suffix = base[:-2].rstrip(), suffix + "[]"
    return _TYPE_SPELLING.get(base.upper(), base) + suffix


class PostgresDatabase(BaseAdapter):
    dialect = POSTGRES
    engine = "PostgreSQL"

    def __init__(self, connection: Any, url: str = "postgresql://", owns: bool = True) -> None:
        super().__init__(connection, url, owns)
        self._transactions: list[Any] = []

    @classmethod
    def open(cls, conninfo: str, url: str) -> PostgresDatabase:
        try:
            import psycopg
        except ImportError as exc:
            raise DataError("PostgreSQL support needs psycopg 3",
                            hint="pip install 'csql[postgres]'") from exc
        try:
            connection = psycopg.connect(conninfo, autocommit=True)
        except psycopg.Error as exc:
            raise DataError(f"cannot connect to {url}: {first_line(str(exc))}",
                            hint="check host, port, user and database name in the URL, "
                                 "and that the server accepts connections") from exc
        return cls(connection, url, owns=True)

    def _driver_errors(self) -> tuple[type[BaseException], ...]:
        import psycopg

        return (psycopg.Error,)

    def _cursor(self, sql: str, params: Sequence[object]) -> Any:
        return self.connection.execute(_format_sql(sql), tuple(params))

    def _run_script_statement(self, sql: str) -> None:
        # Scripts are in PostgreSQL's own dialect: no placeholders, `%` and `?` are literal.
        self.connection.execute(sql)

    def _row_converter(self, description: Any) -> Callable[[tuple], tuple] | None:
        fixes: list[Callable[[object], object] | None] = []
        for d in description:
            if d.type_code == _NUMERIC_OID:
                fixes.append(_plain_numeric)
            elif d.type_code == _UUID_OID:
                fixes.append(_plain_uuid)
            else:
                fixes.append(None)
        if not any(fixes):
            return None

        def convert(row: tuple) -> tuple:
            return tuple(v if f is None else f(v) for f, v in zip(fixes, row))

        return convert

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        with self.transaction(), self._translating(sql):
            self.connection.cursor().executemany(_format_sql(sql), [tuple(r) for r in rows])

    # -- transactions: psycopg's blocks nest as savepoints ------------------------------------

    def _begin(self, depth: int) -> None:
        block = self.connection.transaction()
        block.__enter__()
        self._transactions.append(block)

    def _commit(self, depth: int) -> None:
        self._transactions.pop().__exit__(None, None, None)

    def _rollback(self, depth: int) -> None:
        failure = RuntimeError("csql transaction block failed")
        self._transactions.pop().__exit__(RuntimeError, failure, None)

    # -- catalog ----------------------------------------------------------------------------------

    def table_exists(self, name: str) -> bool:
        rows = self.query(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = ? AND n.nspname = current_schema() AND c.relkind IN ('r', 'p')",
            (name,),
        )
        return rows[0][0] > 0

    def relation_exists(self, name: str) -> bool:
        rows = self.query(
            "SELECT count(*) FROM pg_class WHERE oid = to_regclass(?::text) "
            "AND relkind IN ('r', 'p', 'v', 'm', 'f')",
            (self.quote(name),),
        )
        return rows[0][0] > 0

    def relation_columns(self, name: str) -> list[tuple[str, str]]:
        rows = self.query(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
            "WHERE a.attrelid = to_regclass(?::text) AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY a.attnum",
            (self.quote(name),),
        )
        return [(str(r[0]).lower(), str(r[1]).upper()) for r in rows]

    # -- bulk loading -----------------------------------------------------------------------------

    def _temp_qualified(self, name: str) -> str:
        return f"pg_temp.{self.quote(name)}"

    def create_temp_table(self, name: str, columns: Sequence[tuple[str, str]],
                          rows: Sequence[Sequence[object]]) -> None:
        column_ddl = ", ".join(f"{self.quote(c)} {postgres_type(t)}" for c, t in columns)
        target = self._temp_qualified(name)
        with self.transaction():
            self.execute(f"DROP TABLE IF EXISTS {target}")
            self.execute(f"CREATE TEMP TABLE {self.quote(name)} ({column_ddl})")
            if not rows:
                return
            copy_sql = f"COPY {target} FROM STDIN"
            with self._translating(copy_sql), self.connection.cursor() as cursor, \
                    cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
