"""Loading a program and its data for a command (`solve`, `export`, `bench`), in one place.

Without `--db` the program runs on an in-memory DuckDB. With `--db` everything happens in one
transaction: the tables csql creates, the `--data` files and a write-back are kept only when
the command commits (`csql solve --apply`); otherwise the database is left as it was.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from csql.ir.errors import CsqlError

if TYPE_CHECKING:
    from csql.core.model import Model
    from csql.db.base import Database


def read_source(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CsqlError(f"cannot read {path}: {exc.strerror or exc}",
                        hint="check the file name") from exc


class _Rollback(Exception):
    """Leaves the `--db` transaction without committing."""


@contextmanager
def loaded(args: argparse.Namespace, *, commit: bool = False
           ) -> Iterator[tuple[Model, Database]]:
    """The compiled program and a database holding its tables and the `--data` files."""
    import csql
    from csql.db import connect
    from csql.db.schema import load_data

    model = csql.compile(read_source(args.program), args.program)
    data = [(path, read_source(path)) for path in args.data]
    db = connect(args.db if args.db else "duckdb://")

    def load() -> None:
        model.prepare(db)
        for path, text in data:
            load_data(db, text, path)

    try:
        if not args.db:
            load()
            yield model, db
            return
        try:
            with db.transaction():
                load()
                yield model, db
                if not commit:
                    raise _Rollback
        except _Rollback:
            pass
    finally:
        db.close()
