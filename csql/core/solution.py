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
    """One statement of a minimal unsatisfiable core, in SQL terms.

    `rows` are the instances of the statement in the core (row-level explanations): the
    primary-key values of the base rows of a row statement, or the group-key values of a
    grouped one; a constraint-level explanation names the statement alone and leaves them
    empty. `kind` is "check" for a CHECK, "domain" for the values a foreign key allows (its
    `constraint` is then `fk:table.column`), "key" for a primary key or UNIQUE over variable
    columns."""

    constraint: str
    sql: str
    rows: tuple[dict[str, object], ...] = ()
    position: str = ""
    kind: str = "check"
    level: str = "constraints"

    def to_json(self) -> dict[str, object]:
        return {"constraint": self.constraint, "sql": self.sql, "rows": list(self.rows),
                "position": self.position, "kind": self.kind, "level": self.level}


@dataclass(frozen=True, slots=True)
class ObjectiveValue:
    """The value one MAXIMIZE/MINIMIZE statement has in a solution, as the statement states
    it (a MINIMIZE statement's value is the quantity minimised, not its negation), and per
    group or row when asked for (`explain="rows"`)."""

    statement: str
    kind: str  # "maximize" or "minimize"
    value: int
    groups: tuple[tuple[dict[str, object], int], ...] | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"statement": self.statement, "kind": self.kind,
                                  "value": self.value}
        if self.groups is not None:
            out["groups"] = [{"key": key, "value": value} for key, value in self.groups]
        return out


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
    # solved programs with an objective: one entry per MAXIMIZE/MINIMIZE statement
    objective_terms: list[ObjectiveValue] | None = None

    def objective_term(self, statement: str) -> int:
        """The value of one MAXIMIZE/MINIMIZE statement in this solution."""
        for term in self.objective_terms or ():
            if term.statement == statement.lower() or term.statement == statement:
                return term.value
        known = ", ".join(t.statement for t in self.objective_terms or ()) or "none"
        raise KeyError(f"no objective statement {statement!r} (statements: {known})")

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
        if self.objective_terms is not None:
            out["objective_terms"] = [t.to_json() for t in self.objective_terms]
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
        target, mapping, key = _write_target(program, program.relation(name))
        for row in rows:
            sets = ", ".join(f"{quote(base)} = ?" for col, base in mapping.items() if col in row)
            where = " AND ".join(f"{quote(base)} = ?" for base in key.values())
            params = [row[col] for col in mapping if col in row] + [row[k] for k in key]
            out.append((f"UPDATE {quote(target)} SET {sets} WHERE {where}", params))
    return out


WriteTarget = tuple[str, dict[str, str], dict[str, str]]


def _write_target(program: L.Program, relation: L.Relation) -> WriteTarget:
    """(base table, solution column -> base column, solution key column -> base key column)."""
    if isinstance(relation, L.Table):
        if not relation.primary_key:
            raise DataError(
                f"table '{relation.name}' has no primary key, so its rows cannot be updated",
                relation.span, hint="declare a PRIMARY KEY on the table")
        mapping = {c.name: c.name for c in relation.variable_columns}
        return relation.name, mapping, {k: k for k in relation.primary_key}
    if isinstance(relation, L.DataView):
        return _view_write_target(program, relation)
    raise DataError(
        f"'{relation.name}' is a symbolic view; it has no cells to write back",
        getattr(relation, "span", None), hint="read its values from Solution.tables")


def _view_write_target(program: L.Program, view: L.DataView) -> WriteTarget:
    """A view's variable columns go to its base table when the view is a plain projection of
    that table and carries the table's primary key (language §6)."""
    origins = dict(zip((c.name for c in view.columns), view.origins or (), strict=False))
    bases = {origins[c.name][0] for c in view.variable_columns if origins.get(c.name)}
    unmapped = [c.name for c in view.variable_columns if not origins.get(c.name)]
    hint = ("select the variable column as a plain column of one base table, and include that "
            "table's primary key, e.g. SELECT t.*, col AS controllable__col FROM t WHERE ...")
    if unmapped or len(bases) != 1:
        raise DataError(f"view '{view.name}' cannot be written back: its variable column(s) "
                        f"{', '.join(unmapped) or '?'} are not plain columns of one base table",
                        view.span, hint=hint)
    base = bases.pop()
    mapping = {c.name: origins[c.name][1] for c in view.variable_columns}  # type: ignore[index]
    base_table = program.relation(base)
    assert isinstance(base_table, L.Table)
    return base, mapping, _view_key(view, base_table, origins, hint)


def _view_key(view: L.DataView, base: L.Table, origins: dict, hint: str) -> dict[str, str]:
    """view column -> base primary-key column, through the view's plain projections."""
    from_base = {o[1]: name for name, o in origins.items() if o is not None and o[0] == base.name}
    if not base.primary_key:
        raise DataError(f"view '{view.name}' cannot be written back: its base table "
                        f"'{base.name}' has no primary key", view.span, hint=hint)
    missing = [k for k in base.primary_key if k not in from_base]
    if missing:
        raise DataError(f"view '{view.name}' cannot be written back: it does not carry the "
                        f"primary key column(s) {', '.join(missing)} of '{base.name}'",
                        view.span, hint=hint)
    return {from_base[k]: k for k in base.primary_key}
