"""Database adapters and `connect`, the one way csql opens a database.

A target is a URL, an open driver connection (left open by `close()`, since the caller owns
it) or an existing Database. URLs: `duckdb://` (in memory), `duckdb:///abs/path.duckdb`,
`duckdb://relative/path.duckdb`, the same forms for `sqlite://`, and
`postgresql://user@host:port/db` (or `postgres://`, passed to libpq as written).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..ir.errors import DataError
from .base import DUCKDB, POSTGRES, SQLITE, Database
from .schema import ensure_schema, load_data

SCHEMES = ("duckdb://", "sqlite://", "postgresql://", "postgres://")

__all__ = ["DUCKDB", "POSTGRES", "SQLITE", "SCHEMES", "Database", "connect", "ensure_schema",
           "load_data", "parse_url"]


def redact(url: str) -> str:
    """The URL without its password, for messages and `Database.url`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


def parse_url(url: str) -> tuple[str, str]:
    """(dialect, location): a file path ('' = in memory) for the embedded engines, the
    libpq connection string for PostgreSQL."""
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()
    if not sep or scheme not in ("duckdb", "sqlite", "postgresql", "postgres"):
        raise DataError(
            f"unsupported database URL {redact(url)!r}",
            hint="use one of: duckdb:// (in memory), duckdb:///path/file.duckdb, sqlite://, "
                 "sqlite:///path/file.db, postgresql://user@host:port/dbname (or postgres://)",
        )
    if scheme in ("postgresql", "postgres"):
        return POSTGRES, url
    path = rest.split("?", 1)[0]
    if path in ("", "/", ":memory:", "/:memory:"):
        path = ""
    return (DUCKDB if scheme == "duckdb" else SQLITE), path


def _driver_kind(target: Any) -> str | None:
    module = type(target).__module__ or ""
    name = type(target).__name__
    if module.startswith(("duckdb", "_duckdb")) and name == "DuckDBPyConnection":
        return DUCKDB
    if module == "sqlite3" and name == "Connection":
        return SQLITE
    if module.startswith("psycopg") and name in ("Connection", "AsyncConnection"):
        return POSTGRES
    return None


def connect(target: Any = "duckdb://") -> Database:
    """Open (or wrap) a database for csql."""
    if isinstance(target, str):
        dialect, location = parse_url(target)
        if dialect == DUCKDB:
            from .duckdb import DuckDbDatabase

            return DuckDbDatabase.open(location, target)
        if dialect == SQLITE:
            from .sqlite import SqliteDatabase

            return SqliteDatabase.open(location, target)
        from .postgres import PostgresDatabase

        return PostgresDatabase.open(location, redact(target))
    kind = _driver_kind(target)
    if kind == DUCKDB:
        from .duckdb import DuckDbDatabase

        return DuckDbDatabase(target, "duckdb://<connection>", owns=False)
    if kind == SQLITE:
        from .sqlite import SqliteDatabase

        return SqliteDatabase(target, "sqlite://<connection>", owns=False)
    if kind == POSTGRES:
        from .postgres import PostgresDatabase

        return PostgresDatabase(target, "postgresql://<connection>", owns=False)
    if isinstance(target, Database):
        return target
    raise DataError(
        f"cannot use {type(target).__name__} as a database",
        hint="pass a URL (duckdb://, sqlite://, postgresql://...), a duckdb, sqlite3 or "
             "psycopg connection, or a csql Database",
    )
