"""The semantic oracle: certifies a solution against the program itself, in SQL (language §4).

Backends and grounding are checked against this module, so it shares no code with grounding:
it renders every statement back to SQL with its own renderer (`oracle_sql`) and lets the
database evaluate it, with the solution loaded into temporary tables that stand in for the
relations with variable cells. Rows, domains and keys are checked in Python, where the
comparison is exact and the report can name each offending row. Nothing in the database
changes: the temporary tables are dropped before `certify` returns.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..db.base import Database
from ..ir import logical as L
from ..ir.errors import CsqlError, InternalError
from .oracle_sql import ROW_ID, RelationSql, RenderedQuery, StatementRenderer

ROWS = "rows"
DOMAIN = "domain"
KEY = "key"
CHECK = "check"
OBJECTIVE = "objective"

INT_MIN, INT_MAX = -(2**31) + 1, 2**31 - 1  # the default integer domain (language §2)
_NARROW_INTS = {"TINYINT": (-128, 127), "SMALLINT": (-32768, 32767)}
_SQL_TYPES = {L.INT: "BIGINT", L.BOOL: "BOOLEAN", L.STRING: "VARCHAR", L.REAL: "DOUBLE"}
_temp_counter = itertools.count()


@dataclass
class Violation:
    statement: str  # constraint or relation name
    kind: str  # "check" | "domain" | "key" | "rows" | "objective"
    message: str
    rows: list[dict] = field(default_factory=list)  # the offending rows / group keys

    def __str__(self) -> str:
        shown = ", ".join(str(r) for r in self.rows[:5])
        more = f" (and {len(self.rows) - 5} more)" if len(self.rows) > 5 else ""
        return f"{self.statement} [{self.kind}]: {self.message}" + (
            f": {shown}{more}" if shown else "")


@dataclass
class Certificate:
    ok: bool
    violations: list[Violation]
    objective: int | None  # computed in SQL; None when the program has no objective terms
    terms: dict[str, int | float] = field(default_factory=dict)  # per MAXIMIZE/MINIMIZE statement

    def raise_if_invalid(self) -> None:
        if self.ok:
            return
        listed = "\n".join(f"  {v}" for v in self.violations[:20])
        more = f"\n  ... {len(self.violations) - 20} more" if len(self.violations) > 20 else ""
        raise InternalError(
            f"the solution does not satisfy the program ({len(self.violations)} "
            f"violation(s)):\n{listed}{more}",
            hint="a backend or the grounding returned a wrong answer; please report it with "
                 "the program and the data")


def certify(program: L.Program, db: Database,
            tables: Mapping[str, Sequence[Mapping[str, object]]],
            objective: int | None = None) -> Certificate:
    """Check `tables` (the solution rows of every relation with variable cells) against the
    program as SQL in `db`, and `objective` (when given) against the objective computed there."""
    session = _Session(program, db, tables)
    try:
        session.load()
        session.check_keys()
        terms = session.run_statements()
    finally:
        session.drop()
    has_objective = any(c.kind != L.CHECK for c in program.constraints)
    total = sum(terms.values())
    if isinstance(total, float) and total.is_integer():
        total = int(total)
    if objective is not None and objective != total:
        session.violations.append(Violation(
            "objective", OBJECTIVE,
            f"reported objective {objective} differs from {total} computed in SQL "
            f"(terms: {terms})", [{"reported": objective, "computed": total}]))
    return Certificate(not session.violations, session.violations,
                       total if has_objective else None, terms)


class _Session:
    """One certification: temp tables, the relation map for the renderer, violations."""

    def __init__(self, program: L.Program, db: Database,
                 tables: Mapping[str, Sequence[Mapping[str, object]]]) -> None:
        self.program = program
        self.db = db
        self.tables = tables
        self.violations: list[Violation] = []
        self.temp_tables: list[str] = []
        self.solution: dict[str, list[dict[str, object]]] = {}  # validated rows per relation
        self.relations: dict[str, RelationSql] = {}

    # -- loading: rows and domains -----------------------------------------------------------

    def load(self) -> None:
        variable = {r.name for r in self.program.variable_relations()}
        for name in self.tables:
            if name not in variable:
                self.violations.append(Violation(
                    name, ROWS, "the solution has rows for a relation without variable "
                    "columns (or not in the program)"))
        for relation in self.program.statements:
            if isinstance(relation, (L.Table, L.DataView)):
                if relation.name in variable:
                    self._load_relation(relation)
                else:
                    self.relations[relation.name] = self._database_relation(relation)

    def _database_relation(self, relation: L.Table | L.DataView) -> RelationSql:
        names = tuple(c.name for c in relation.columns)
        key = _key_columns(relation)
        return RelationSql(self._read_sql(relation), names, key, key)

    def _read_sql(self, relation: L.Table | L.DataView) -> str:
        if isinstance(relation, L.DataView) and not self.db.relation_exists(relation.name):
            return f"({relation.select_sql})"
        return self.db.quote(relation.name)

    def _load_relation(self, relation: L.Table | L.DataView) -> None:
        given = self.tables.get(relation.name)
        if given is None:
            self.violations.append(Violation(relation.name, ROWS,
                                             "the solution has no rows for this relation"))
            given = []
        names = [c.name for c in relation.columns]
        rows = [self._validated_row(relation, i, dict(r)) for i, r in enumerate(given)]
        self.solution[relation.name] = rows
        self._compare_rows(relation, rows)
        self._check_foreign_keys(relation, rows)
        temp = f"csql_oracle_{next(_temp_counter)}"
        types = self._column_types(relation)
        self.db.create_temp_table(
            temp, [(n, types[n]) for n in names] + [(ROW_ID, "BIGINT")],
            [tuple(r[n] for n in names) + (i,) for i, r in enumerate(rows)])
        self.temp_tables.append(temp)
        key = _key_columns(relation)
        order = tuple(_primary_key(relation)) or (ROW_ID,)
        self.relations[relation.name] = RelationSql(self.db.quote(temp), tuple(names), key,
                                                    order, has_row_id=True)

    def _validated_row(self, relation: L.Table | L.DataView, index: int,
                       row: dict[str, object]) -> dict[str, object]:
        """The row with every column, variable cells checked against their type's domain;
        a value the column cannot hold is reported and replaced by NULL so loading works."""
        names = {c.name for c in relation.columns}
        unknown = sorted(set(row) - names)
        if unknown:
            self.violations.append(Violation(relation.name, ROWS,
                                             f"solution row {index} has unknown columns "
                                             f"{unknown}", [row]))
        out = {c.name: row.get(c.name) for c in relation.columns}
        for column in relation.columns:
            if not column.is_variable:
                continue
            value = out[column.name]
            if value is None:
                self.violations.append(Violation(
                    relation.name, ROWS, f"variable cell {column.name} of solution row "
                    f"{index} is NULL", [dict(out)]))
                continue
            referenced = isinstance(relation, L.Table) and any(
                fk.columns == (column.name,) for fk in relation.foreign_keys)
            normal, problem = _in_type_domain(column, value, referenced)
            if problem is not None:
                self.violations.append(Violation(
                    relation.name, DOMAIN, f"{column.name} = {value!r}: {problem}", [dict(out)]))
            out[column.name] = normal
        return out

    def _compare_rows(self, relation: L.Table | L.DataView, rows: list[dict[str, object]]) -> None:
        constant = [c.name for c in relation.columns if not c.is_variable]
        select = ", ".join(self.db.quote(c) for c in constant) or "1"
        current = self._query(relation.name, f"SELECT {select} FROM {self._read_sql(relation)} "
                                             f"AS {self.db.quote('r')}", ())
        database = Counter(_hashable(r[:len(constant)]) for r in current)
        solution = Counter(_hashable(tuple(r[c] for c in constant)) for r in rows)
        missing, extra = database - solution, solution - database
        if missing:
            self.violations.append(Violation(
                relation.name, ROWS, f"{sum(missing.values())} database row(s) missing from "
                "the solution or altered", _as_dicts(constant, missing)))
        if extra:
            self.violations.append(Violation(
                relation.name, ROWS, f"{sum(extra.values())} solution row(s) not in the "
                "database", _as_dicts(constant, extra)))

    def _check_foreign_keys(self, relation: L.Table | L.DataView,
                            rows: list[dict[str, object]]) -> None:
        if not isinstance(relation, L.Table):
            return
        variable = {c.name for c in relation.variable_columns}
        for fk in relation.foreign_keys:
            if not variable.intersection(fk.columns):
                continue
            target = self.program.get(fk.ref_table)
            ref_columns = fk.ref_columns or (
                _primary_key(target) if isinstance(target, L.Table) else ())
            allowed = self._referenced_values(fk.ref_table, ref_columns)
            for row in rows:
                value = tuple(row[c] for c in fk.columns)
                if any(v is None for v in value) or _hashable(value) in allowed:
                    continue
                shown = ", ".join(f"{c} = {row[c]!r}" for c in fk.columns)
                self.violations.append(Violation(
                    relation.name, DOMAIN, f"{shown} is not a value of {fk.ref_table}"
                    f"({', '.join(ref_columns)})", [row]))

    def _referenced_values(self, table: str, columns: Sequence[str]) -> set[tuple]:
        if table in self.solution:
            return {_hashable(tuple(r[c] for c in columns)) for r in self.solution[table]}
        select = ", ".join(self.db.quote(c) for c in columns)
        rows = self._query(table, f"SELECT DISTINCT {select} FROM {self.db.quote(table)}", ())
        return {_hashable(r) for r in rows}

    def _column_types(self, relation: L.Table | L.DataView) -> dict[str, str]:
        engine: dict[str, str] = {}
        if self.db.relation_exists(relation.name):
            engine = {n: t for n, t in self.db.relation_columns(relation.name) if t}
        types = {}
        for c in relation.columns:
            declared = engine.get(c.name) or c.sql_type or _SQL_TYPES.get(c.type, "VARCHAR")
            types[c.name] = _SQL_TYPES[c.type] if c.is_variable else declared
        return types

    # -- keys ---------------------------------------------------------------------------------

    def check_keys(self) -> None:
        for relation in self.program.tables:
            if relation.name not in self.solution:
                continue
            variable = {c.name for c in relation.variable_columns}
            keys = ([relation.primary_key] if relation.primary_key else []) + list(relation.unique)
            for key in keys:
                if not variable.intersection(key):
                    continue
                counts = Counter(_hashable(tuple(r[c] for c in key))
                                 for r in self.solution[relation.name])
                duplicates = [k for k, n in counts.items() if n > 1 and None not in k]
                if duplicates:
                    self.violations.append(Violation(
                        relation.name, KEY, f"key ({', '.join(key)}) is not unique",
                        [dict(zip(key, k)) for k in duplicates]))

    # -- statements ---------------------------------------------------------------------------

    def run_statements(self) -> dict[str, int | float]:
        renderer = StatementRenderer(self.program, self.db.dialect, self.db.quote,
                                     self.relations)
        terms: dict[str, int | float] = {}
        for c in self.program.constraints:
            if c.kind == L.CHECK:
                rendered = renderer.check(c)
                found = self._run(c.name, rendered)
                if found:
                    what = "group(s)" if c.query.grouped else "row(s)"
                    rows = [dict(zip(rendered.key_names, r)) for r in found]
                    self.violations.append(Violation(
                        c.name, CHECK, f"the CHECK is false for {len(found)} {what}", rows))
                continue
            value = self._run(c.name, renderer.objective(c))[0][0]
            value = _number(value)
            terms[c.name] = value if c.kind == L.MAXIMIZE else -value
        return terms

    def _run(self, name: str, rendered: RenderedQuery) -> list[tuple]:
        return self._query(name, rendered.sql, rendered.params)

    def _query(self, name: str, sql: str, params: Sequence[object]) -> list[tuple]:
        try:
            return self.db.query(sql, params)
        except CsqlError as exc:
            raise InternalError(
                f"the SQL oracle's query for {name!r} failed: {exc.message}",
                hint=f"the query was: {sql}") from exc

    def drop(self) -> None:
        for temp in self.temp_tables:
            try:
                self.db.drop_temp_table(temp)
            except CsqlError:
                continue  # the connection may be gone; the session's temp tables go with it
        self.temp_tables.clear()


# -- helpers ----------------------------------------------------------------------------------


def _primary_key(relation: object) -> tuple[str, ...]:
    return relation.primary_key if isinstance(relation, L.Table) else ()


def _key_columns(relation: L.Table | L.DataView) -> tuple[str, ...]:
    """Columns that name a row in reports: the primary key, else every column."""
    return _primary_key(relation) or tuple(c.name for c in relation.columns)


def _in_type_domain(column: L.Column, value: object, referenced: bool = False
                    ) -> tuple[object, str | None]:
    """(value normalised for loading, a problem or None). Booleans may come as 0/1. A column
    with a single-column FOREIGN KEY takes the referenced values (language §2, precedence (a)),
    so the default integer range does not apply to it; the FK check covers it."""
    declared = column.sql_type.upper()
    if column.type == L.BOOL:
        if isinstance(value, bool):
            return value, None
        if isinstance(value, int) and value in (0, 1):
            return bool(value), None
        return None, "not a boolean"
    if column.type == L.INT:
        if not isinstance(value, int) or isinstance(value, bool):
            return None, "not an integer"
        low, high = INT_MIN, INT_MAX
        for name, bounds in _NARROW_INTS.items():
            if declared.startswith(name):
                low, high = bounds
        if not low <= value <= high and not (referenced and (low, high) == (INT_MIN, INT_MAX)):
            return value, f"outside the integer domain [{low}, {high}]"
        return value, None
    if column.type == L.STRING:
        if not isinstance(value, str):
            return None, "not a string"
        match = re.search(r"\(\s*(\d+)\s*\)", declared)
        if match and len(value) > int(match.group(1)):
            return value, f"longer than {column.sql_type} can hold"
        return value, None
    return None, f"type {column.type} cannot be a variable"


def _hashable(values: Sequence[object]) -> tuple:
    return tuple(tuple(v) if isinstance(v, list) else v for v in values)


def _as_dicts(columns: list[str], counts: Counter) -> list[dict]:
    out = []
    for values, n in counts.items():
        out.extend(dict(zip(columns, values)) for _ in range(n))
    return out


def _number(value: object) -> int | float:
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):  # PostgreSQL's SUM(bigint) and DIV are numeric
        return int(value) if value == value.to_integral_value() else float(value)
    number = float(value)  # AVG
    return int(number) if number.is_integer() else number
