"""Where solve settings come from.

Order of precedence: call arguments, then `CSQL_*` environment variables, then `[tool.csql]` in
`pyproject.toml` or a `csql.toml` in the working directory (a `csql.toml` wins over
`pyproject.toml`; it may hold the keys at its top level or under `[csql]`), then the defaults
below. Kept in one place so the API, the command line and the scheduler resolve settings the
same way.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from csql.ir.errors import CompileError


@dataclass(frozen=True, slots=True)
class Settings:
    backend: str = "cpsat"
    time_limit: float | None = None
    workers: int = 1
    database: str = "duckdb://"
    certify: bool = True
    fp_pushdown_k: int | None = None


_ENV = {
    "backend": "CSQL_BACKEND",
    "time_limit": "CSQL_TIME_LIMIT",
    "workers": "CSQL_WORKERS",
    "database": "CSQL_DATABASE",
    "certify": "CSQL_CERTIFY",
    "fp_pushdown_k": "CSQL_FP_PUSHDOWN_K",
}


def _coerce(name: str, raw: object, origin: str) -> object:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if raw is None:
            return None
        if "bool" in str(kind):
            if isinstance(raw, bool):
                return raw
            return str(raw).strip().lower() in ("1", "true", "yes", "on")
        if "float" in str(kind):
            return float(raw)  # type: ignore[arg-type]
        if "int" in str(kind):
            return int(raw)  # type: ignore[arg-type]
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise CompileError(f"setting '{name}' from {origin} has an invalid value {raw!r}",
                           hint=f"expected a value of type {kind}") from exc


def _file_settings(directory: Path) -> tuple[dict[str, object], str]:
    csql_toml = directory / "csql.toml"
    if csql_toml.is_file():
        with csql_toml.open("rb") as fh:
            data = tomllib.load(fh)
        return data.get("csql", data), str(csql_toml.name)
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        with pyproject.open("rb") as fh:
            data = tomllib.load(fh)
        return data.get("tool", {}).get("csql", {}), "pyproject.toml [tool.csql]"
    return {}, ""


def resolve(directory: Path | None = None, **arguments: object) -> Settings:
    """Settings from call arguments (None means 'not given'), environment, files, defaults."""
    directory = directory or Path.cwd()
    from_file, file_origin = _file_settings(directory)
    known = {f.name for f in fields(Settings)}
    unknown = set(from_file) - known
    if unknown:
        raise CompileError(f"unknown setting(s) {sorted(unknown)} in {file_origin}",
                           hint=f"known settings: {', '.join(sorted(known))}")
    values: dict[str, object] = {}
    for name in known:
        if arguments.get(name) is not None:
            values[name] = _coerce(name, arguments[name], "the call")
        elif os.environ.get(_ENV[name]):
            values[name] = _coerce(name, os.environ[_ENV[name]], _ENV[name])
        elif name in from_file:
            values[name] = _coerce(name, from_file[name], file_origin)
    settings = Settings(**values)  # type: ignore[arg-type]
    if settings.time_limit is not None and settings.time_limit <= 0:
        raise CompileError(f"the time limit must be positive, not {settings.time_limit}",
                           hint="give it in seconds, e.g. CSQL_TIME_LIMIT=10")
    if settings.workers < 0:
        raise CompileError(f"workers must be 0 (all cores) or more, not {settings.workers}")
    if not settings.backend.strip():
        raise CompileError("the backend setting is empty", hint="e.g. cpsat, smt, ilp:highs")
    return settings
