"""The compile-time check that every string variable column has a finite domain.

Integers and booleans always have one (a configured default range, or {false, true}); a
string variable does not, so language §2 requires either a foreign key on it or a top-level
hard constraint that lists its values (`v = 'a'`, `v IN ('a', 'b')`, `v IN (SELECT ...)`, or
a disjunction of such tests). Finding none is a compile error naming the column, not a
surprise at solve time.
"""

from __future__ import annotations

from csql.ir import logical as L
from csql.ir.errors import CompileError


def check_string_domains(program: L.Program) -> None:
    pending = {
        (rel.name, col.name): col
        for rel in program.variable_relations()
        for col in rel.variable_columns
        if col.type == L.STRING
    }
    for table in program.tables:
        for fk in table.foreign_keys:
            for name in fk.columns:
                pending.pop((table.name, name), None)
    if not pending:
        return
    aliases = _view_aliases(program)
    for constraint in program.constraints:
        if constraint.kind != L.CHECK:
            continue
        for conjunct in _conjuncts(constraint.expr):
            target = _domain_target(conjunct, aliases)
            if target is not None:
                pending.pop(target, None)
    if pending:
        (relation, name), column = next(iter(pending.items()))
        raise CompileError(
            f"string variable column '{relation}.{name}' has no finite domain", column.span,
            hint=f"add REFERENCES other_table(column) to '{name}', or a constraint such as "
                 f"CREATE CONSTRAINT {name}_domain AS SELECT * FROM {relation} "
                 f"CHECK {name} IN ('a', 'b')")


def _view_aliases(program: L.Program) -> dict[tuple[str, str], tuple[str, str]]:
    """Columns of symbolic views that are plain copies of another relation's column."""
    aliases: dict[tuple[str, str], tuple[str, str]] = {}
    for view in program.symbolic_views:
        for item in view.query.select:
            if isinstance(item.expr, L.ColumnRef) and item.expr.depth == 0:
                aliases[(view.name, item.name)] = (item.expr.relation, item.expr.column)
    return aliases


def _resolve(ref: L.ColumnRef, aliases: dict) -> tuple[str, str]:
    key = (ref.relation, ref.column)
    seen = set()
    while key in aliases and key not in seen:
        seen.add(key)
        key = aliases[key]
    return key


def _conjuncts(expr: L.Expr) -> list[L.Expr]:
    if isinstance(expr, L.BoolOp) and expr.op == "and":
        return [c for a in expr.args for c in _conjuncts(a)]
    return [expr]


def _domain_target(expr: L.Expr, aliases: dict) -> tuple[str, str] | None:
    """The (relation, column) whose values `expr` lists, if it is a domain-giving test."""
    if isinstance(expr, L.Comparison) and expr.op == "=":
        for var, other in ((expr.left, expr.right), (expr.right, expr.left)):
            if isinstance(var, L.ColumnRef) and var.symbolic and var.depth == 0 \
                    and not other.symbolic:
                return _resolve(var, aliases)
        return None
    if isinstance(expr, L.InList) and not expr.negated:
        if _is_var(expr.arg) and not any(i.symbolic for i in expr.items):
            return _resolve(expr.arg, aliases)  # type: ignore[arg-type]
        return None
    if isinstance(expr, L.InSubquery) and not expr.negated:
        if _is_var(expr.arg) and not expr.query.symbolic:
            return _resolve(expr.arg, aliases)  # type: ignore[arg-type]
        return None
    if isinstance(expr, L.BoolOp) and expr.op == "or":
        targets = {_domain_target(a, aliases) for a in expr.args}
        if len(targets) == 1 and None not in targets:
            return targets.pop()
    return None


def _is_var(e: L.Expr) -> bool:
    return isinstance(e, L.ColumnRef) and e.symbolic and e.depth == 0
