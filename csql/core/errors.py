"""Re-export of the error hierarchy, which lives in `csql.ir.errors` so backends can raise it."""

from csql.ir.errors import (  # noqa: F401
    BackendUnavailable,
    CompileError,
    CsqlError,
    DataError,
    GroundingError,
    InternalError,
    SolverError,
    SqlSyntaxError,
    SqlTypeError,
    UnsupportedError,
)
