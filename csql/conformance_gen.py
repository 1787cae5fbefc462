"""Random C-SQL programs (hypothesis strategies) on which every backend must agree.

A generated program is kept as structure (`GenProgram`), not text, so that the metamorphic
checks (`conformance_meta`) can render the same program under renamed tables, permuted rows,
another dialect, and so on. The shape is a small placement problem that reaches every part of
the language cheaply: `node(name, cap)` rows, `item(id, w, g, x, n)` rows with an integer
variable `x` and a string variable `n` whose domain is the FK to `node`; row checks with
conjunctions and constant filters, checks over the variable join `item.n = node.name`,
grouped checks per node (empty groups included) and per `g`, globals, and objectives in
both directions. Many programs are infeasible; that is intended.

The expectation of a generated case is not known in advance: the backends must agree on the
status and the optimum, and the SQL oracle must certify every answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from hypothesis import strategies as st

from csql.conformance import Case

OPS = ("<", "<=", ">", ">=", "=", "<>")
BASE_NAMES = {"node": "node", "item": "item", "name": "name", "cap": "cap", "id": "id",
              "w": "w", "g": "g", "x": "controllable__x", "n": "controllable__n",
              "placed": "placed"}


@dataclass
class Check:
    kind: str  # row | join | group_node | group_g | global | view (over a symbolic view)
    parts: list[str]  # conjuncts with {placeholders}; grouped kinds have exactly one
    filter: str | None = None  # a constant condition
    filter_in_on: bool = False  # join kinds: in JOIN .. ON rather than WHERE


@dataclass
class Objective:
    kind: str  # row | group_node
    sense: str  # MAXIMIZE | MINIMIZE
    expr: str


@dataclass
class GenProgram:
    nodes: list[tuple[str, int]]
    items: list[tuple[int, int | None, int]]  # id, w (NULL sometimes), g
    lo: int
    hi: int
    checks: list[Check]
    objectives: list[Objective]
    dialect: str = "dcm"  # dcm | vldb | weave (row and join statements; others stay DCM)
    names: dict[str, str] = field(default_factory=lambda: dict(BASE_NAMES))
    redundant: bool = False  # the domain bound stated a second time

    def render(self) -> tuple[str, str]:
        """(program, data) as SQL text."""
        f = self.names
        lines = [
            f"CREATE TABLE {f['node']} ({f['name']} VARCHAR(8) PRIMARY KEY, "
            f"{f['cap']} INTEGER NOT NULL);",
            f"CREATE TABLE {f['item']} ({f['id']} INTEGER PRIMARY KEY, {f['w']} INTEGER, "
            f"{f['g']} INTEGER NOT NULL, {f['x']} INTEGER, "
            f"{f['n']} VARCHAR(8) REFERENCES {f['node']}({f['name']}));",
            self._statement("dom", Check("row", [f"{{item}}.{{x}} BETWEEN {self.lo} AND "
                                                 f"{self.hi}"]), "CHECK"),
        ]
        if any(c.kind == "view" for c in self.checks):
            lines.append(self.fill(
                "CREATE VIEW {placed} AS SELECT {item}.{id} AS pid, {item}.{w} AS pw, "
                "{item}.{x} AS px, {node}.{cap} AS ncap FROM {item} JOIN {node} "
                "ON {item}.{n} = {node}.{name};"))
        if self.redundant:
            lines.append(self._statement("dom_again", Check(
                "row", [f"{{item}}.{{x}} >= {self.lo}"]), "CHECK"))
        for i, check in enumerate(self.checks):
            lines.append(self._statement(f"c{i}", check, "CHECK"))
        for i, objective in enumerate(self.objectives):
            lines.append(self._objective(f"o{i}", objective))
        data = []
        if self.nodes:
            data.append(f"INSERT INTO {f['node']} VALUES " + ", ".join(
                f"('{n}', {c})" for n, c in self.nodes) + ";")
        if self.items:
            data.append(f"INSERT INTO {f['item']} VALUES " + ", ".join(
                f"({i}, {'NULL' if w is None else w}, {g}, NULL, NULL)"
                for i, w, g in self.items) + ";")
        return "\n".join(lines) + "\n", "\n".join(data) + "\n"

    def fill(self, text: str) -> str:
        return text.format(**self.names)

    def _source(self, check: Check) -> tuple[str, str | None]:
        """(FROM clause, constant WHERE condition or None)."""
        n = self.names
        if check.kind in ("row", "group_g", "global"):
            return n["item"], check.filter
        if check.kind == "view":
            return n["placed"], check.filter
        join = "{item}.{n} = {node}.{name}"
        on = join + (f" AND {check.filter}" if check.filter and check.filter_in_on else "")
        first, second = ("item", "node") if check.kind == "join" else ("node", "item")
        where = check.filter if check.filter and not check.filter_in_on else None
        return f"{n[first]} JOIN {n[second]} ON {self.fill(on)}", where

    def _group(self, check: Check) -> str:
        if check.kind == "group_node":
            return self.fill(" GROUP BY {node}.{name}, {node}.{cap}")
        if check.kind == "group_g":
            return self.fill(" GROUP BY {item}.{g}")
        return ""

    def _statement(self, name: str, check: Check, verb: str) -> str:
        source, where = self._source(check)
        where_sql = f" WHERE {self.fill(where)}" if where else ""
        expr = " AND ".join(f"({self.fill(p)})" for p in check.parts)
        row_like = check.kind in ("row", "join") or (
            check.kind == "view" and not any("(" in p for p in check.parts))
        if self.dialect == "weave" and row_like:
            predicate = expr if not where else f"NOT ({self.fill(where)}) OR ({expr})"
            return f"CREATE VIEW constraint_{name} AS SELECT * FROM {source} WHERE {predicate};"
        if self.dialect == "vldb":
            return (f"CREATE CONSTRAINT {name} AS {verb} {expr} FROM {source}{where_sql}"
                    f"{self._group(check)};")
        return (f"CREATE CONSTRAINT {name} AS SELECT * FROM {source}{where_sql}"
                f"{self._group(check)} {verb} {expr};")

    def _objective(self, name: str, objective: Objective) -> str:
        expr = self.fill(objective.expr)
        if objective.kind == "row" and self.dialect == "weave":
            sign = "" if objective.sense == "MAXIMIZE" else "-"
            return (f"CREATE VIEW objective_{name} AS SELECT {sign}sum({expr}) "
                    f"FROM {self.names['item']};")
        check = Check(objective.kind if objective.kind != "row" else "row", [objective.expr])
        source, _ = self._source(check)
        if self.dialect == "vldb":
            return (f"CREATE CONSTRAINT {name} AS {objective.sense} {expr} FROM {source}"
                    f"{self._group(check)};")
        return (f"CREATE CONSTRAINT {name} AS SELECT * FROM {source}{self._group(check)} "
                f"{objective.sense} {expr};")

    def case(self, name: str) -> Case:
        program, data = self.render()
        return Case(name=name, program=program, data=data, expect="", time_limit=20.0,
                    covers=("generated", self.dialect), path=f"<generated {name}>")


# -- strategies ------------------------------------------------------------------------------

small = st.integers(min_value=-3, max_value=6)


@st.composite
def _x_term(draw) -> str:
    k = draw(st.integers(min_value=-2, max_value=3))
    return draw(st.sampled_from([
        "{item}.{x}", f"{{item}}.{{x}} + {k}", f"{k} * {{item}}.{{x}}", "{item}.{x} - {item}.{w}",
        "{item}.{x} / 2", "{item}.{x} % 3", f"ABS({{item}}.{{x}} - {k})",
        f"LEAST({{item}}.{{x}}, {k})", "{item}.{x} * {item}.{x}",
        f"CASE WHEN {{item}}.{{x}} > {k} THEN {{item}}.{{w}} ELSE {k} END"]))


@st.composite
def _row_part(draw) -> str:
    left = draw(_x_term())
    right = draw(st.sampled_from(["{item}.{w}", str(draw(small)), "{item}.{g}"]))
    op = draw(st.sampled_from(OPS))
    part = f"{left} {op} {right}"
    if draw(st.booleans()) and draw(st.booleans()):
        part = f"{part} OR {{item}}.{{n}} = 'n{draw(st.integers(0, 2))}'"
    return part


@st.composite
def checks(draw) -> Check:
    kind = draw(st.sampled_from(["row", "row", "join", "group_node", "group_g", "global",
                                 "view"]))
    k = draw(small)
    op = draw(st.sampled_from(OPS))
    if kind == "view":  # rows present only where the variable join holds
        part = draw(st.sampled_from([
            f"px + pw {op} ncap + {k}", f"px {op} ncap", f"sum(pw) {op} {abs(k)}",
            f"count(pid) {op} {abs(k) % 3}", "all_different(ncap)"]))
        flt = draw(st.sampled_from([None, f"pw > {k}"]))
        return Check("view", [part], None if "(" in part else flt)
    if kind == "row":
        parts = draw(st.lists(_row_part(), min_size=1, max_size=3))
        flt = draw(st.sampled_from([None, f"{{item}}.{{w}} > {k}", f"{{item}}.{{g}} <> {k}"]))
        return Check("row", parts, flt)
    if kind == "join":
        parts = draw(st.lists(st.sampled_from([
            f"{{item}}.{{w}} {op} {{node}}.{{cap}}", f"{{item}}.{{x}} {op} {{node}}.{{cap}}",
            f"{{item}}.{{x}} + {{item}}.{{w}} <= {{node}}.{{cap}} + {k}"]), min_size=1,
            max_size=2))
        flt = draw(st.sampled_from([None, f"{{node}}.{{cap}} > {k}", "{node}.{name} <> 'n0'"]))
        return Check("join", parts, flt, draw(st.booleans()))
    if kind == "group_node":
        part = draw(st.sampled_from([
            "sum({item}.{w}) <= {node}.{cap}", f"count({{item}}.{{id}}) {op} {abs(k) % 3}",
            f"sum({{item}}.{{x}}) {op} {k}", "max({item}.{w}) <= {node}.{cap}",
            f"min({{item}}.{{x}}) {op} {k}", "all_different({item}.{x})"]))
        flt = draw(st.sampled_from([None, f"{{node}}.{{cap}} > {k}"]))
        return Check("group_node", [part], flt, draw(st.booleans()))
    if kind == "group_g":
        part = draw(st.sampled_from([
            f"sum({{item}}.{{x}}) {op} {k}", "all_different({item}.{x})",
            "all_equal({item}.{n})", f"count({{item}}.{{id}}) {op} 1",
            f"any({{item}}.{{x}} > {k})", f"all({{item}}.{{x}} {op} {k})"]))
        return Check("group_g", [part])
    part = draw(st.sampled_from(["all_different({item}.{x})", "all_different({item}.{n})",
                                 "increasing({item}.{x})", "all_equal({item}.{x})"]))
    return Check("global", [part])


@st.composite
def objectives(draw) -> Objective:
    sense = draw(st.sampled_from(["MAXIMIZE", "MINIMIZE"]))
    if draw(st.booleans()):
        k = draw(small)
        expr = draw(st.sampled_from([
            "{item}.{x}", "{item}.{x} * {item}.{w}", f"ABS({{item}}.{{x}} - {k})",
            f"{{item}}.{{n}} = 'n{abs(k) % 3}'", "{item}.{x} > {item}.{g}"]))
        return Objective("row", sense, expr)
    expr = draw(st.sampled_from(["count({item}.{id})", "sum({item}.{w})",
                                 "{node}.{cap} - sum({item}.{w})", "max({item}.{x})"]))
    return Objective("group_node", sense, expr)


@st.composite
def programs(draw) -> GenProgram:
    node_count = draw(st.integers(min_value=0, max_value=3))
    nodes = [(f"n{i}", draw(st.integers(min_value=0, max_value=8))) for i in range(node_count)]
    item_count = draw(st.integers(min_value=0, max_value=4))
    items = [(i + 1, draw(st.one_of(st.integers(min_value=0, max_value=5), st.none())),
              draw(st.integers(min_value=0, max_value=1))) for i in range(item_count)]
    lo = draw(st.integers(min_value=-3, max_value=2))
    hi = lo + draw(st.integers(min_value=0, max_value=5))
    return GenProgram(nodes, items, lo, hi,
                      draw(st.lists(checks(), min_size=0, max_size=3)),
                      draw(st.lists(objectives(), min_size=0, max_size=2)),
                      dialect=draw(st.sampled_from(["dcm", "vldb", "weave"])))


# -- variants for the metamorphic checks --------------------------------------------------

def variants(program: GenProgram, seed: int) -> dict[str, GenProgram]:
    """Programs that must have the same status and optimum as `program`."""
    rng = random.Random(seed)
    renamed = dict(program.names)
    renamed.update(node="machine_r", item="task_r", name="label", cap="room", w="weight",
                   x="controllable__val", n="controllable__host")
    items = list(program.items)
    rng.shuffle(items)
    nodes = list(program.nodes)
    rng.shuffle(nodes)
    split = [Check(c.kind, [p], c.filter, c.filter_in_on) if c.kind in ("row", "join") else c
             for c in program.checks for p in (c.parts if c.kind in ("row", "join")
                                               else c.parts[:1])]
    moved = [replace(c, filter_in_on=not c.filter_in_on) if c.kind in ("join", "group_node")
             else c for c in program.checks]
    out = {
        "renamed": replace(program, names=renamed),
        "permuted_rows": replace(program, items=items, nodes=nodes),
        "split_conjunctions": replace(program, checks=split),
        "moved_filters": replace(program, checks=moved),
        "redundant_constraint": replace(program, redundant=True,
                                        checks=program.checks + program.checks[:1]),
    }
    for dialect in ("dcm", "vldb", "weave"):
        if dialect != program.dialect:
            out[f"dialect_{dialect}"] = replace(program, dialect=dialect)
    return out
