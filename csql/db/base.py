"""The database adapter protocol: the one place that knows the engine's dialect.

Every SQL text csql generates uses `?` placeholders; an adapter translates them for its driver.
Data never goes into SQL text: identifiers are quoted by `quote`, values travel as parameters.
Adapters: DuckDB (embedded, the default), SQLite (stdlib), PostgreSQL (psycopg 3).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Protocol, runtime_checkable

DUCKDB = "duckdb"
SQLITE = "sqlite"
POSTGRES = "postgres"


@runtime_checkable
class Database(Protocol):
    """What csql needs of a database. All names are lower-case identifiers."""

    dialect: str  # one of DUCKDB, SQLITE, POSTGRES
    url: str  # for messages; never contains a password

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """Run a SELECT and return all rows as tuples (Python int/str/bool/float/None)."""

    def query_columns(
        self, sql: str, params: Sequence[object] = ()
    ) -> tuple[list[str], list[tuple]]:
        """Like `query`, also returning the lower-case column names of the result."""

    def iterate(
        self, sql: str, params: Sequence[object] = (), batch: int = 10_000
    ) -> Iterator[tuple]:
        """Stream the rows of a SELECT (for large relations)."""

    def execute(self, sql: str, params: Sequence[object] = ()) -> None:
        """Run one statement that returns no rows."""

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        """Run one parameterised statement for many rows."""

    def script(self, sql_text: str) -> None:
        """Run a multi-statement SQL script (a data file), in the engine's own dialect."""

    def transaction(self) -> AbstractContextManager[None]:
        """BEGIN ... COMMIT, or ROLLBACK when the block raises."""

    def table_exists(self, name: str) -> bool:
        """A base table (not a view, not temporary) of that name exists."""

    def relation_exists(self, name: str) -> bool:
        """A table or view (temporary ones included) of that name exists."""

    def relation_columns(self, name: str) -> list[tuple[str, str]]:
        """(column name, engine type name upper case) of a table or view, in order."""

    def create_temp_table(self, name: str, columns: Sequence[tuple[str, str]],
                          rows: Sequence[Sequence[object]]) -> None:
        """Create (or replace) a temporary table with the given (name, SQL type) columns and
        bulk-load the rows; fast for 10^5 rows."""

    def drop_temp_table(self, name: str) -> None:
        """Drop a temporary table if it exists."""

    def quote(self, identifier: str) -> str:
        """The identifier quoted for this engine."""

    def close(self) -> None:
        """Close the connection if this adapter opened it."""
