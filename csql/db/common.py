"""What the three adapters share: error translation, scripts, transactions, result shaping.

Each engine subclass supplies a handful of primitives (`_cursor`, `_begin`/`_commit`/
`_rollback`, catalog queries, the bulk loader); everything a caller sees is written once here,
so the engines behave alike where the protocol promises they do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from ..ir.errors import DataError
from ..ir.span import Span
from .sqltext import Statement, abbreviate, first_line, split_statements


def quote_identifier(name: str) -> str:
    """ANSI double-quoted identifier; all three engines accept this form."""
    return '"' + name.replace('"', '""') + '"'


class BaseAdapter:
    """Shared behaviour of the adapters. Not a Database by itself (no engine)."""

    dialect: str = ""
    engine: str = ""  # human name for messages

    def __init__(self, connection: Any, url: str, owns: bool) -> None:
        self.connection = connection
        self.url = url
        self._owns = owns
        self._depth = 0
        self._closed = False

    # -- primitives an engine provides ---------------------------------------------------------

    def _driver_errors(self) -> tuple[type[BaseException], ...]:
        raise AssertionError("engine adapter must override _driver_errors")

    def _cursor(self, sql: str, params: Sequence[object]) -> Any:
        """Execute and return an object with `description`, `fetchall`, `fetchmany`."""
        raise AssertionError("engine adapter must override _cursor")

    def _run_script_statement(self, sql: str) -> None:
        self._cursor(sql, ())

    def _script_statements(self, sql_text: str) -> list[Statement]:
        return split_statements(sql_text)

    def _row_converter(self, description: Any) -> Callable[[tuple], tuple] | None:
        """A per-row fix-up turning driver values into plain Python ones, or None if none."""
        return None

    def _begin(self, depth: int) -> None:
        raise AssertionError

    def _commit(self, depth: int) -> None:
        raise AssertionError

    def _rollback(self, depth: int) -> None:
        raise AssertionError

    # -- error translation ---------------------------------------------------------------------

    def _data_error(self, exc: BaseException, sql: str | None, span: Span | None = None,
                    what: str = "statement") -> DataError:
        message = f"{self.engine} rejected the {what}: {first_line(str(exc))}"
        hint = f"the {what} was: {abbreviate(sql)}" if sql else None
        return DataError(message, span, hint=hint)

    @contextmanager
    def _translating(self, sql: str | None) -> Iterator[None]:
        try:
            yield
        except self._driver_errors() as exc:
            raise self._data_error(exc, sql) from exc

    # -- the protocol --------------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self.query_columns(sql, params)[1]

    def query_columns(
        self, sql: str, params: Sequence[object] = ()
    ) -> tuple[list[str], list[tuple]]:
        with self._translating(sql):
            cur = self._cursor(sql, params)
            description = cur.description
            rows = cur.fetchall() if description else []
        names = [str(d[0]).lower() for d in description or ()]
        convert = self._row_converter(description) if description else None
        if convert is not None:
            rows = [convert(r) for r in rows]
        else:
            rows = [r if type(r) is tuple else tuple(r) for r in rows]
        return names, rows

    def iterate(
        self, sql: str, params: Sequence[object] = (), batch: int = 10_000
    ) -> Iterator[tuple]:
        with self._translating(sql):
            cur = self._cursor(sql, params)
            description = cur.description
        if not description:
            return
        convert = self._row_converter(description)
        while True:
            with self._translating(sql):
                chunk = cur.fetchmany(batch)
            if not chunk:
                return
            for r in chunk:
                yield convert(r) if convert is not None else tuple(r)

    def execute(self, sql: str, params: Sequence[object] = ()) -> None:
        with self._translating(sql):
            self._cursor(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        with self.transaction():
            for row in rows:
                self.execute(sql, row)

    def script(self, sql_text: str, filename: str = "<script>") -> None:
        """Run the statements one by one so a failure names its statement and line."""
        for stmt in self._script_statements(sql_text):
            try:
                self._run_script_statement(stmt.text)
            except self._driver_errors() as exc:
                end_line = stmt.line + stmt.text.count("\n")
                span = Span(filename, stmt.line, stmt.column, end_line, stmt.column + 1,
                            stmt.offset, stmt.offset + len(stmt.text))
                error = self._data_error(exc, stmt.text, span)
                error.source = sql_text
                raise error from exc

    def transaction(self) -> AbstractContextManager[None]:
        return self._transaction()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        depth = self._depth
        with self._translating("BEGIN"):
            self._begin(depth)
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            with self._translating("ROLLBACK"):
                self._rollback(depth)
            raise
        self._depth -= 1
        with self._translating("COMMIT"):
            self._commit(depth)

    def quote(self, identifier: str) -> str:
        return quote_identifier(identifier)

    def drop_temp_table(self, name: str) -> None:
        self.execute(f"DROP TABLE IF EXISTS {self._temp_qualified(name)}")

    def _temp_qualified(self, name: str) -> str:
        return f"temp.{self.quote(name)}"

    def close(self) -> None:
        if self._owns and not self._closed:
            self._closed = True
            self.connection.close()

    def __enter__(self) -> BaseAdapter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"
