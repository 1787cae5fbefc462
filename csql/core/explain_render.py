"""An unsatisfiable core for people: each statement's SQL with its rows as a small table, and
one sentence saying what contradicts what (the `csql solve --explain` text output)."""

from __future__ import annotations

from collections.abc import Sequence

from .solution import CoreMember

MAX_ROWS = 20  # rows shown per statement; the JSON output has all of them


def describe(member: CoreMember) -> str:
    """A short name for the member as the sentence uses it."""
    if member.kind == "domain" and member.constraint.startswith("fk:"):
        return f"the foreign key on {member.constraint[3:]} (the values it may take)"
    if member.kind == "key" and member.constraint.startswith("key:"):
        return f"the key {member.constraint[4:]}"
    return f"'{member.constraint}'"


def _scope(member: CoreMember) -> str:
    if not member.rows:
        return ""
    if len(member.rows) == 1:
        return " for " + ", ".join(f"{k}={v}" for k, v in member.rows[0].items())
    noun = "groups" if member.kind == "check" and _looks_grouped(member) else "rows"
    return f" for {len(member.rows)} {noun}"


def _looks_grouped(member: CoreMember) -> bool:
    return "GROUP BY" in member.sql.upper()


def sentence(core: Sequence[CoreMember], minimal: bool = True) -> str:
    """One sentence saying what contradicts what."""
    if not core:
        return "The solver found the program infeasible but named no constraint."
    parts = [describe(m) + _scope(m) for m in core]
    if len(parts) == 1:
        text = (f"{parts[0][0].upper()}{parts[0][1:]} cannot hold on its own: no values of the "
                "variable columns satisfy it.")
    elif len(parts) == 2:
        text = (f"{parts[0][0].upper()}{parts[0][1:]} contradicts {parts[1]}: either can hold "
                "without the other, but not both.")
    else:
        listed = ", ".join(parts[:-1]) + f" and {parts[-1]}"
        text = (f"{listed[0].upper()}{listed[1:]} contradict each other: they cannot all hold, "
                "but without any one of them the rest can.")
    if not minimal:
        text += (" (The time limit cut the search short, so this set may be larger than "
                 "needed.)")
    return text


def table(rows: Sequence[dict[str, object]], limit: int = MAX_ROWS) -> list[str]:
    """Rows as aligned text lines (header, rule, rows); the columns are the union of keys."""
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    shown = [["" if row.get(c) is None else str(row.get(c)) for c in columns]
             for row in rows[:limit]]
    widths = [max([len(c)] + [len(r[i]) for r in shown]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in shown]
    if len(rows) > limit:
        lines.append(f"... {len(rows) - limit} more (use --json for all)")
    return lines


def render_core(core: Sequence[CoreMember], minimal: bool = True) -> str:
    """The text block `csql solve --explain` prints for an INFEASIBLE program."""
    level = core[0].level if core else "constraints"
    lines = ["why it is infeasible: these cannot all hold together"
             + (" (rows named)" if level == "rows" else "") + ":"]
    for member in core:
        lines.append("")
        where = f"  at {member.position}" if member.position else ""
        lines.append(f"  {member.constraint} [{member.kind}]{where}")
        for text in member.sql.strip().splitlines():
            lines.append(f"    {text}")
        if member.rows:
            what = "groups" if _looks_grouped(member) else "rows"
            lines.append(f"    {what} involved:")
            lines.extend(f"      {line}" for line in table(member.rows))
    lines.append("")
    lines.append(sentence(core, minimal))
    if level != "rows" and core:
        lines.append("Run with --explain=rows to see which rows or groups conflict.")
    return "\n".join(lines)
