"""csql: cluster state as SQL tables, policies as C-SQL constraints, answers from solvers.

    import csql
    model = csql.compile(open("policy.sql").read(), "policy.sql")
    solution = model.solve("duckdb:///cluster.duckdb", backend="cpsat", time_limit=10)
    print(solution.status, solution.objective, solution.changes)
    solution.apply()          # one transaction; nothing is written before this

Solver libraries are imported only when a backend is used, so `import csql` needs only DuckDB
and Lark.
"""

from csql.backends.base import Backend, BackendResult, Capabilities, SolveOptions, Status
from csql.backends.base import get_backend as backend
from csql.core.model import Model, compile, compile_file
from csql.core.solution import CoreMember, Solution
from csql.ir.errors import (
    BackendUnavailable,
    CompileError,
    CsqlError,
    DataError,
    GroundingError,
    InternalError,
    SolverError,
    UnsupportedError,
)

__version__ = "0.1.0"

__all__ = [
    "Backend",
    "BackendResult",
    "BackendUnavailable",
    "Capabilities",
    "CompileError",
    "CoreMember",
    "CsqlError",
    "DataError",
    "GroundingError",
    "InternalError",
    "Model",
    "Solution",
    "SolveOptions",
    "SolverError",
    "Status",
    "UnsupportedError",
    "backend",
    "compile",
    "compile_file",
]


def connect(target: object = None):
    """A database adapter for a URL (`duckdb://`, `sqlite:///f.db`, `postgresql://...`) or an
    open DuckDB / sqlite3 / psycopg connection; None gives an in-memory DuckDB."""
    from csql.db import connect as _connect

    return _connect(target if target is not None else "duckdb://")
