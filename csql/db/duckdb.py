"""The DuckDB adapter: csql's embedded default database.

DuckDB's own `executemany` costs about a millisecond per row, far too slow for the 10^5-row
relations grounding loads, so bulk loading goes column-wise: the columns become numpy object
arrays that DuckDB scans in place (when numpy is installed), or list parameters that one
`INSERT ... SELECT unnest(?), unnest(?), ...` zips back into rows. DuckDB has no savepoints,
so nested transactions share the outermost one; an inner failure dooms the whole transaction.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from ..ir.errors import DataError
from .base import DUCKDB
from .common import BaseAdapter

_load_counter = itertools.count()


def _decimal_as_int(value: object) -> object:
    """DECIMAL(p, 0) results (sums of integer-valued decimals) as int: exact, like the data."""
    return int(value) if isinstance(value, Decimal) else value


def _decimal_as_float(value: object) -> object:
    """DECIMAL(p, s>0) results (e.g. the literal `1.5`) as float, like PostgreSQL's numerics."""
    return float(value) if isinstance(value, Decimal) else value


def _plain_uuid(value: object) -> object:
    return str(value) if isinstance(value, UUID) else value


class DuckDbDatabase(BaseAdapter):
    dialect = DUCKDB
    engine = "DuckDB"

    def __init__(self, connection: Any, url: str = "duckdb://", owns: bool = True) -> None:
        super().__init__(connection, url, owns)
        self._doomed = False

    @classmethod
    def open(cls, path: str, url: str) -> DuckDbDatabase:
        import duckdb

        try:
            connection = duckdb.connect(path or ":memory:")
        except duckdb.Error as exc:
            raise DataError(f"cannot open DuckDB database {path!r}: {exc}",
                            hint="check the path in the duckdb:/// URL") from exc
        return cls(connection, url, owns=True)

    def _driver_errors(self) -> tuple[type[BaseException], ...]:
        import duckdb

        return (duckdb.Error,)

    def _cursor(self, sql: str, params: Sequence[object]) -> Any:
        if params:
            return self.connection.execute(sql, list(params))
        return self.connection.execute(sql)

    def iterate(
        self, sql: str, params: Sequence[object] = (), batch: int = 10_000
    ) -> Iterator[tuple]:
        """Fetched whole before the first row is yielded: a DuckDB connection has one pending
        result, and any statement run while a caller is still iterating (the grounder queries
        as it goes) would silently cut the stream short."""
        yield from self.query(sql, params)

    def _row_converter(self, description: Any) -> Callable[[tuple], tuple] | None:
        fixes: list[Callable[[object], object] | None] = []
        for d in description:
            type_name = str(d[1]).upper()
            if type_name.startswith("DECIMAL"):
                integral = type_name.replace(" ", "").endswith(",0)")
                fixes.append(_decimal_as_int if integral else _decimal_as_float)
            elif type_name == "UUID":
                fixes.append(_plain_uuid)
            else:
                fixes.append(None)
        if not any(fixes):
            return None
        pairs = list(enumerate(fixes))

        def convert(row: tuple) -> tuple:
            return tuple(v if f is None else f(v) for (_, f), v in zip(pairs, row))

        return convert

    # -- transactions: one real transaction, nesting by depth ----------------------------------

    def _begin(self, depth: int) -> None:
        if depth == 0:
            self._doomed = False
            self.connection.execute("BEGIN TRANSACTION")

    def _commit(self, depth: int) -> None:
        if depth > 0:
            return
        if self._doomed:
            self._doomed = False
            self.connection.execute("ROLLBACK")
            raise DataError(
                "the transaction was rolled back because a nested transaction failed",
                hint="DuckDB has no savepoints: an error inside a nested transaction() undoes "
                     "the outermost one",
            )
        self.connection.execute("COMMIT")

    def _rollback(self, depth: int) -> None:
        if depth > 0:
            self._doomed = True
            return
        self._doomed = False
        self.connection.execute("ROLLBACK")

    # -- catalog ----------------------------------------------------------------------------------

    def table_exists(self, name: str) -> bool:
        rows = self.query(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary "
            "AND database_name = current_database() AND schema_name = current_schema()",
            (name,),
        )
        return rows[0][0] > 0

    def relation_exists(self, name: str) -> bool:
        where = ("(temporary OR (database_name = current_database() "
                 "AND schema_name = current_schema()))")
        rows = self.query(
            f"SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND {where}) "
            f"+ (SELECT count(*) FROM duckdb_views() WHERE view_name = ? AND NOT internal "
            f"AND {where})",
            (name, name),
        )
        return rows[0][0] > 0

    def relation_columns(self, name: str) -> list[tuple[str, str]]:
        rows = self.query(f"DESCRIBE {self.quote(name)}")
        return [(str(r[0]).lower(), str(r[1]).upper()) for r in rows]

    # -- bulk loading ----------------------------------------------------------------------------

    def create_temp_table(self, name: str, columns: Sequence[tuple[str, str]],
                          rows: Sequence[Sequence[object]]) -> None:
        column_ddl = ", ".join(f"{self.quote(c)} {t}" for c, t in columns)
        self.execute(f"CREATE OR REPLACE TEMP TABLE {self.quote(name)} ({column_ddl})")
        if not rows or not columns:
            return
        data = [list(col) for col in zip(*rows)]
        if len(data) != len(columns):
            raise DataError(f"rows for temporary table {name!r} have {len(data)} values, "
                            f"expected {len(columns)}")
        try:
            import numpy
        except ImportError:
            numpy = None
        if numpy is not None:
            self._load_numpy(numpy, name, columns, data)
        else:
            self._load_unnest(name, columns, data)

    def _load_numpy(self, numpy: Any, name: str, columns: Sequence[tuple[str, str]],
                    data: list[list[object]]) -> None:
        arrays = {}
        for (column, _), values in zip(columns, data):
            # fromiter keeps list values (array columns) as elements instead of broadcasting
            arrays[column] = numpy.fromiter(values, dtype=object, count=len(values))
        source = f"__csql_load_{next(_load_counter)}"
        casts = ", ".join(f"CAST({self.quote(c)} AS {t})" for c, t in columns)
        with self._translating(f"INSERT INTO {name} (bulk load of {len(data[0])} rows)"):
            self.connection.register(source, arrays)
            try:
                self.connection.execute(
                    f"INSERT INTO {self.quote(name)} SELECT {casts} FROM {self.quote(source)}")
            finally:
                self.connection.unregister(source)

    def _load_unnest(self, name: str, columns: Sequence[tuple[str, str]],
                     data: list[list[object]]) -> None:
        select = ", ".join(f"unnest(?::{t}[])" for _, t in columns)
        self.execute(f"INSERT INTO {self.quote(name)} SELECT {select}", data)
