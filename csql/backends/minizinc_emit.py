"""Translation of a ground problem into a self-contained MiniZinc model.

The text is written for two kinds of solver configuration:

* **Gecode compiled with `-G std`** (the default, and the only FlatZinc solver Debian bookworm
  ships). Gecode's own MiniZinc library does not load with MiniZinc 2.6.4 (`include
  "globals.mzn"` fails on its `inverse.mzn`), so the model includes no library file at all and
  instead declares the Gecode FlatZinc builtins it wants as bodyless predicates
  (`all_different_int`, `gecode_table_int`, `gecode_table_int_reif`); the flattener then
  passes those calls through unchanged and Gecode posts its native propagators. Every other
  global is written out as a decomposition in plain MiniZinc.
* **any other solver** (`native_gecode=False`): `include "globals.mzn"` and the standard
  global names (`alldifferent`, `table`), which the solver's own library maps to whatever it
  supports.

Expression nodes referenced more than once are declared once as a defined variable
(`var lo..hi: e7 = ...;`) so the text stays linear in the size of the DAG; `Element` is always
declared at the top level, which makes an index outside the array fail the whole model, as
the ground IR prescribes (MiniZinc's relational semantics would otherwise only falsify the
nearest enclosing boolean context).

MiniZinc's `div` and `mod` truncate toward zero like SQL (checked with Gecode over all
dividends in -7..7 and divisors in {-3, -2, 2, 3}). MiniZinc integers are 64-bit and
overflow is a flattening error, but Gecode's integer variables live in
[-2147483646, 2147483646] and a larger literal makes `fzn-gecode` stop with a parse error,
so every variable, intermediate result and the objective is bounds-checked here and refused
with `UnsupportedError` when it exceeds the target's range.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from csql.ir import ground as g
from csql.ir.errors import InternalError, UnsupportedError
from csql.ir.span import Span

GECODE_LIMIT = 2_147_483_646  # Gecode's Int::Limits::max; min is its negation
INT64_LIMIT = 2**63 - 1

_COMPARE = {"=": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}

_GECODE_BUILTINS = """\
predicate all_different_int(array[int] of var int: x);
predicate gecode_table_int(array[int] of var int: x, array[int] of int: t);
predicate gecode_table_int_reif(array[int] of var int: x, array[int] of int: t, var bool: b);
"""

OUTPUT_NAME = "csql_values"
OBJECTIVE_NAME = "csql_objective"


def var_name(var: g.Var) -> str:
    return f"x{var.index}"


def _int(value: int) -> str:
    return f"({value})" if value < 0 else str(value)


def _set(values: tuple[int, ...] | list[int]) -> str:
    return "{" + ",".join(str(v) for v in values) + "}"


class MiniZincEmitter:
    """Builds the model text of one ground problem; `text()` is the whole `.mzn`."""

    def __init__(self, problem: g.Problem, *, native_gecode: bool = True,
                 limit: int = GECODE_LIMIT) -> None:
        self.problem = problem
        self.native_gecode = native_gecode
        self.limit = limit
        self._decls: list[str] = []  # defined variables, in dependency order
        self._constraints: list[str] = []
        self._memo: dict[int, tuple[g.Expr, str]] = {}
        self._bounds: dict[int, tuple[int, int]] = {}
        self._uses: dict[int, int] = {}
        self._fresh = 0
        self.objective_bounds: tuple[int, int] | None = None

    # ---- the whole model ------------------------------------------------------------------

    def text(self) -> str:
        self._count_uses()
        variables = [self._declare_var(v) for v in self.problem.variables]
        for constraint in self.problem.constraints:
            with _blame(constraint.provenance):
                self._post(constraint.expr)
        solve = "solve satisfy;"
        objective_line = ""
        if self.problem.objective:
            texts = []
            lo = hi = 0
            for term in self.problem.objective:
                with _blame(term.provenance):
                    t_lo, t_hi = self.bounds(term.expr)
                    texts.append(self._int_expr(term.expr))
                lo, hi = lo + t_lo, hi + t_hi
            with _blame(self.problem.objective[0].provenance):
                self._check(lo, hi, "the objective")
            self.objective_bounds = (lo, hi)
            body = " + ".join(texts)
            objective_line = f"var {_int(lo)}..{_int(hi)}: {OBJECTIVE_NAME} = {body};"
            if lo != hi:
                solve = f"solve maximize {OBJECTIVE_NAME};"
        shown = ", ".join(
            f"bool2int({var_name(v)})" if v.is_bool else var_name(v)
            for v in self.problem.variables)
        output = f'output ["{{\\"values\\": ", show([{shown}])'
        if objective_line:
            output += f', ", \\"objective\\": ", show({OBJECTIVE_NAME})'
        output += ', "}"];'
        header = ("% generated by csql from a ground problem\n"
                  + (_GECODE_BUILTINS if self.native_gecode else 'include "globals.mzn";\n'))
        parts = [header, *variables, *self._decls]
        if objective_line:
            parts.append(objective_line)
        parts += self._constraints
        parts += [solve, output]
        return "\n".join(parts) + "\n"

    def _declare_var(self, var: g.Var) -> str:
        name = var_name(var)
        if var.is_bool:
            return f"var bool: {name};"
        if var.values is not None or var.lb > var.ub:
            values = var.values or ()
            if not values:
                self._constraints.append(f"constraint false;  % {name} has an empty domain")
                return f"var 0..0: {name};"
            self._check(values[0], values[-1], f"the domain of {var.name}")
            if len(values) == values[-1] - values[0] + 1:
                return f"var {_int(values[0])}..{_int(values[-1])}: {name};"
            return f"var {_set(values)}: {name};"
        self._check(var.lb, var.ub, f"the domain of {var.name}")
        return f"var {_int(var.lb)}..{_int(var.ub)}: {name};"

    def _count_uses(self) -> None:
        from csql.ir.ground_eval import children

        stack: list[g.Expr] = [c.expr for c in self.problem.constraints]
        stack += [t.expr for t in self.problem.objective]
        uses = self._uses
        while stack:
            e = stack.pop()
            key = id(e)
            count = uses.get(key, 0)
            uses[key] = count + 1
            if count == 0:
                stack.extend(children(e))

    def _check(self, lo: int, hi: int, what: str) -> None:
        if lo < -self.limit or hi > self.limit:
            raise UnsupportedError(
                f"{what} spans {lo}..{hi}, outside the solver's integer range "
                f"-{self.limit}..{self.limit}",
                backend="minizinc", construct="int range",
                hint="Gecode's integers are 32-bit; scale the data down or use the cpsat "
                     "backend, which takes 64-bit values")

    # ---- bounds -------------------------------------------------------------------------

    def bounds(self, e: g.Expr) -> tuple[int, int]:
        """Interval bounds of an integer expression (booleans are 0..1), checked against the
        solver's range, memoised by node."""
        key = id(e)
        found = self._bounds.get(key)
        if found is None:
            found = self._compute_bounds(e)
            self._check(found[0], found[1], "an intermediate result")
            self._bounds[key] = found
        return found

    def _compute_bounds(self, e: g.Expr) -> tuple[int, int]:  # noqa: C901 - flat dispatch
        if e.is_bool:
            return 0, 1
        if isinstance(e, g.Var):
            return (e.values[0], e.values[-1]) if e.values else (e.lb, e.ub)
        if isinstance(e, g.Const):
            return int(e.value), int(e.value)
        if isinstance(e, g.BoolAsInt):
            return 0, 1
        if isinstance(e, g.LinearSum):
            lo = hi = e.constant
            for coef, term in e.terms:
                t_lo, t_hi = self.bounds(term)
                a, b = coef * t_lo, coef * t_hi
                self._check(min(a, b), max(a, b), "a term of a sum")
                lo, hi = lo + min(a, b), hi + max(a, b)
            return lo, hi
        if isinstance(e, g.Product):
            (a, b), (c, d) = self.bounds(e.left), self.bounds(e.right)
            corners = (a * c, a * d, b * c, b * d)
            return min(corners), max(corners)
        if isinstance(e, g.Div):
            lo, hi = self.bounds(e.numerator)
            ends = [_trunc_div(lo, e.divisor), _trunc_div(hi, e.divisor)]
            return min(ends), max(ends)
        if isinstance(e, g.Mod):
            lo, hi = self.bounds(e.dividend)
            m = abs(e.divisor) - 1
            return (max(lo, -m) if lo < 0 else 0), (min(hi, m) if hi > 0 else 0)
        if isinstance(e, g.Abs):
            lo, hi = self.bounds(e.arg)
            if lo >= 0:
                return lo, hi
            if hi <= 0:
                return -hi, -lo
            return 0, max(-lo, hi)
        if isinstance(e, (g.Min, g.Max)):
            pairs = [self.bounds(a) for a in e.args]
            pick = min if isinstance(e, g.Min) else max
            return pick(p[0] for p in pairs), pick(p[1] for p in pairs)
        if isinstance(e, g.IfThenElse):
            (a, b), (c, d) = self.bounds(e.then), self.bounds(e.else_)
            return min(a, c), max(b, d)
        if isinstance(e, g.Element):
            return (min(e.values), max(e.values)) if e.values else (0, 0)
        if isinstance(e, g.BinLoad):
            lo = hi = 0
            for demand in e.demands:
                d_lo, d_hi = self.bounds(demand)
                lo, hi = lo + min(0, d_lo), hi + max(0, d_hi)
            return lo, hi
        raise InternalError(f"no integer bounds for {type(e).__name__}")

    # ---- hard constraints ---------------------------------------------------------------

    def _post(self, e: g.Expr) -> None:
        """A top-level constraint: conjunctions split, globals as native Gecode calls."""
        if isinstance(e, g.And):
            for arg in e.args:
                self._post(arg)
            return
        if isinstance(e, g.Const):
            if not e.value:
                self._constraints.append("constraint false;")
            return
        if self.native_gecode and isinstance(e, g.AllDifferent) and len(e.args) > 1:
            args = ", ".join(self._int_expr(a) for a in e.args)
            self._constraints.append(f"constraint all_different_int([{args}]);")
            return
        if self.native_gecode and isinstance(e, g.Table) and e.args:
            self._constraints.append(f"constraint {self._gecode_table(e)};")
            return
        if isinstance(e, g.BinPacking):
            self._constraints.extend(f"constraint {part};" for part in self._bin_packing(e))
            return
        self._constraints.append(f"constraint {self._bool_expr(e)};")

    # ---- expressions --------------------------------------------------------------------

    def _int_expr(self, e: g.Expr) -> str:
        if e.is_bool:
            raise InternalError(f"boolean {type(e).__name__} used as an integer "
                                "(the ground IR wraps it in BoolAsInt)")
        return self._expr(e)

    def _bool_expr(self, e: g.Expr) -> str:
        if not e.is_bool:
            raise InternalError(f"integer {type(e).__name__} used as a boolean")
        return self._expr(e)

    def _expr(self, e: g.Expr) -> str:
        if isinstance(e, g.Var):
            return var_name(e)
        if isinstance(e, g.Const):
            if isinstance(e.value, bool):
                return "true" if e.value else "false"
            self._check(e.value, e.value, "a constant")
            return _int(e.value)
        key = id(e)
        found = self._memo.get(key)
        if found is not None:
            return found[1]
        lo, hi = self.bounds(e)
        text = self._translate(e)
        if self._uses.get(key, 0) > 1 or isinstance(e, g.Element):
            self._fresh += 1
            name = f"e{self._fresh}"
            kind = "bool" if e.is_bool else f"{_int(lo)}..{_int(hi)}"
            self._decls.append(f"var {kind}: {name} = {text};")
            text = name
        self._memo[key] = (e, text)
        return text

    def _translate(self, e: g.Expr) -> str:  # noqa: C901 - flat dispatch
        i, b = self._int_expr, self._bool_expr
        if isinstance(e, g.LinearSum):
            parts = [f"{_int(c)}*{i(t)}" if c != 1 else i(t) for c, t in e.terms if c != 0]
            if e.constant or not parts:
                parts.append(_int(e.constant))
            return "(" + " + ".join(parts) + ")"
        if isinstance(e, g.Product):
            return f"({i(e.left)} * {i(e.right)})"
        if isinstance(e, g.Div):
            return f"({i(e.numerator)} div {_int(e.divisor)})"
        if isinstance(e, g.Mod):
            return f"({i(e.dividend)} mod {_int(e.divisor)})"
        if isinstance(e, g.Abs):
            return f"abs({i(e.arg)})"
        if isinstance(e, (g.Min, g.Max)):
            fn = "min" if isinstance(e, g.Min) else "max"
            if len(e.args) == 1:
                return i(e.args[0])
            return f"{fn}([{', '.join(i(a) for a in e.args)}])"
        if isinstance(e, g.BoolAsInt):
            return f"bool2int({b(e.arg)})"
        if isinstance(e, g.IfThenElse):
            branch = b if e.is_bool else i
            return f"(if {b(e.cond)} then {branch(e.then)} else {branch(e.else_)} endif)"
        if isinstance(e, g.Element):
            values = ", ".join(str(v) for v in e.values)
            return f"array1d(0..{len(e.values) - 1}, [{values}])[{i(e.index)}]"
        if isinstance(e, g.Compare):
            if e.left.is_bool and e.right.is_bool:
                op = {"=": "<->", "!=": "xor"}.get(e.op)
                if op is None:
                    raise InternalError(f"order comparison {e.op} between booleans")
                return f"({b(e.left)} {op} {b(e.right)})"
            return f"({i(e.left)} {_COMPARE[e.op]} {i(e.right)})"
        if isinstance(e, g.And):
            return "(" + " /\\ ".join(b(a) for a in e.args) + ")" if e.args else "true"
        if isinstance(e, g.Or):
            return "(" + " \\/ ".join(b(a) for a in e.args) + ")" if e.args else "false"
        if isinstance(e, g.Not):
            return f"(not {b(e.arg)})"
        if isinstance(e, g.Implies):
            return f"({b(e.antecedent)} -> {b(e.consequent)})"
        if isinstance(e, g.InSet):
            return f"({i(e.arg)} in {_set(e.values)})"
        if isinstance(e, g.AllDifferent):
            return self._pairwise(e.args, "!=", all_pairs=True)
        if isinstance(e, g.AllEqual):
            return self._pairwise(e.args, "=", all_pairs=False)
        if isinstance(e, g.Increasing):
            return self._pairwise(e.args, "<=", all_pairs=False)
        if isinstance(e, g.BinPacking):
            parts = self._bin_packing(e)
            return "(" + " /\\ ".join(parts) + ")" if parts else "true"
        if isinstance(e, g.BinLoad):
            parts = [f"{i(d)} * bool2int({i(a)} = {_int(e.bin)})"
                     for a, d in zip(e.assignment, e.demands)]
            return "(" + " + ".join(parts) + ")" if parts else "0"
        if isinstance(e, g.Table):
            return self._table(e)
        raise UnsupportedError(f"the MiniZinc backend cannot express {type(e).__name__}",
                               backend="minizinc", construct=type(e).__name__)

    def _pairwise(self, args: tuple[g.Expr, ...], op: str, *, all_pairs: bool) -> str:
        """all_different (every pair), all_equal and increasing (neighbours) written out;
        the alldifferent decomposition is what MiniZinc's std library would emit as well."""
        names = [self._int_expr(a) for a in args]
        if len(names) < 2:
            return "true"
        if all_pairs and not self.native_gecode:
            return f"alldifferent([{', '.join(names)}])"
        if all_pairs:
            pairs = [(x, y) for k, x in enumerate(names) for y in names[k + 1:]]
        else:
            pairs = list(zip(names, names[1:]))
        return "(" + " /\\ ".join(f"{x} {op} {y}" for x, y in pairs) + ")"

    def _bin_packing(self, e: g.BinPacking) -> list[str]:
        """Per-bin load sums plus membership of every item in the bins: a bin may have any
        capacity (bin_packing_capa wants the bins to be an index range), and it reifies."""
        items = [self._int_expr(a) for a in e.assignment]
        bins = _set(sorted(e.bins))
        parts = [f"({item} in {bins})" for item in items]
        for bin_value, capacity in zip(e.bins, e.capacities):
            self._check(capacity, capacity, "a bin capacity")
            terms = [f"{d} * bool2int({item} = {_int(bin_value)})"
                     for item, d in zip(items, e.demands) if d]
            if terms and sum(e.demands) > capacity:
                parts.append(f"({' + '.join(terms)} <= {capacity})")
        return parts

    def _gecode_table(self, e: g.Table, reified: str | None = None) -> str:
        args = ", ".join(self._int_expr(a) for a in e.args)
        flat = ", ".join(str(v) for row in e.rows for v in row)
        if reified is None:
            return f"gecode_table_int([{args}], [{flat}])"
        return f"gecode_table_int_reif([{args}], [{flat}], {reified})"

    def _table(self, e: g.Table) -> str:
        if not e.args:
            return "true" if e.rows else "false"
        if not e.rows:
            for a in e.args:
                self._int_expr(a)
            return "false"
        if not self.native_gecode:
            rows = "|".join(", ".join(str(v) for v in row) for row in e.rows)
            args = ", ".join(self._int_expr(a) for a in e.args)
            return f"table([{args}], [|{rows}|])"
        self._fresh += 1
        name = f"e{self._fresh}"
        self._decls.append(f"var bool: {name};")
        self._constraints.append(f"constraint {self._gecode_table(e, reified=name)};")
        return name


@contextmanager
def _blame(provenance: g.Provenance) -> Iterator[None]:
    """Point a refusal (a bound outside the solver's range) at the statement it came from."""
    try:
        yield
    except UnsupportedError as exc:
        if exc.span is None and isinstance(provenance.span, Span):
            exc.span = provenance.span
        if provenance.statement and provenance.statement not in exc.message:
            exc.message = f"{exc.message} (in {provenance.statement} {dict(provenance.key)})"
            exc.args = (exc.message,)
        raise


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q
