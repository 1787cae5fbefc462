"""What a solve returns, and writing it back.

A `Solution` holds the filled tables and the *changes* (rows whose variable columns differ from
what the database stores: the deltas a controller applies). It never touches the database
until `apply()` is called, which writes every change in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from csql.backends.base import Status
from csql.ir import logical as L
from csql.ir.errors import DataError

if TYPE_CHECKING:
    from csql.db.base import Database


@dataclass(frozen=True, slots=True)
class CoreMember:
    """One member of an unsatisfiable core: a constraint instance in SQL terms."""

    constraint: str
    sql: str
    rows: tuple[dict[str, object], ...] = ()
    position: str = ""

    def to_json(self) -> dict[str, object]:
        return {"constraint": self.constraint, "sql": self.sql, "rows": list(self.rows),
                "position": self.position}


@dataclass(slots=True)
class Solution:
    status: Status
    objective: int | None
    tables: dict[str, list[dict[str, object]]]
    changes: dict[str, list[dict[str, object]]]
    stats: dict[str, object]
    backend: str
    core: list[CoreMember] | None = None
    program: L.Program | None = field(default=None, repr=False)
    database: Database | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.status.has_solution

    def table(self, name: str) -> list[dict[str, object]]:
        return self.tables[name.lower()]

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "status": self.status.value,
            "objective": self.objective,
            "tables": self.tables,
            "changes": self.changes,
            "stats": self.stats,
            "backend": self.backend,
        }
        if self.core is not None:
            out["core"] = [m.to_json() for m in self.core]
        return out

    def apply(self, database: Database | None = None) -> int:
        """Write every change back in one transaction; return the number of rows updated.

        Base tables are updated by primary key. A data view's variable column is written to its
        base table when the view is a plain projection of that column and carries the base
        table's primary key (language §6); otherwise a `DataError` says why, before any write.
        """
        if not self.ok:
            raise DataError(f"cannot apply a solution with status {self.status.value}")
        db = database or self.database
        if db is None or self.program is None:
            raise DataError("this solution is not attached to a database; pass one to apply()")
        statements = _plan_updates(self.program, self.changes, db.quote)
        with db.transaction():
            for sql, params in statements:
                db.execute(sql, params)
        return len(statements)


def _plan_updates(program: L.Program, changes: dict[str, list[dict[str, object]]],
                  quote: Callable[[str], str]) -> list[tuple[str, list[object]]]:
    """One parameterised UPDATE per changed row; every target is checked before any write."""
    out: list[tuple[str, list[object]]] = []
    for name, rows in changes.items():
        if not rows:
            continue
        target, mapping, key = _write_target(program.relation(name))
        for row in rows:
            sets = ", ".join(f"{quote(base)} = ?" for col, base in mapping.items() if col in row)
            where = " AND ".join(f"{quote(base)} = ?" for base in key.values())
            params = [row[col] for col in mapping if col in row] + [row[k] for k in key]
            out.append((f"UPDATE {quote(target)} SET {sets} WHERE {where}", params))
    return out


def _write_target(relation: L.Relation) -> tuple[str, dict[str, str], dict[str, str]]:
    """(base table, solution column -> base column, solution key column -> base key column)."""
    if isinstance(relation, L.Table):
        if not relation.primary_key:
            raise DataError(
                f"table '{relation.name}' has no primary key, so its rows cannot be updated",
                relation.span, hint="declare a PRIMARY KEY on the table")
        mapping = {c.name: c.name for c in relation.variable_columns}
        return relation.name, mapping, {k: k for k in relation.primary_key}
    raise DataError(
        f"'{relation.name}' is a view; its variable columns cannot be written back",
        getattr(relation, "span", None),
        hint="write back through a base table, or read the values from Solution.tables")
