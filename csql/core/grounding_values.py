"""Symbolic values under SQL three-valued logic, and the ground-IR builders that fold constants.

The grounder evaluates each logical expression once per row (or group). Constant results stay
plain Python values (`None` is SQL NULL), so a constant part costs nothing in the problem; a
result that depends on a variable is an `SV`: a ground expression for its value *when it is not
NULL* and a ground boolean `null` saying when it is NULL (`None` when it never is, the common
case, which keeps the fast path free of 3VL bookkeeping).

Every builder here folds constants and trivial cases (`x + 0`, `And()` of constant TRUEs, a
comparison whose bounds decide it) because the problem size — and so the solver's time — is
dominated by what the grounder leaves behind.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from csql.ir import ground as g
from csql.ir.errors import GroundingError

INT, BOOL, STRING = "int", "bool", "string"


@dataclass(slots=True, eq=False)
class SV:
    """A symbolic value: `expr` (integer, boolean, or string code) and when it is NULL."""

    expr: g.Expr
    kind: str
    null: g.Expr | None = None


Value = object  # a Python constant (int, bool, str, float, list, None) or an SV


# ---------------------------------------------------------------------------------------------
# Strings


class StringDictionary:
    """One order-preserving string encoding per solve (codes 0..n-1 in sorted order).

    Strings that no string variable can take (a constant column value never listed in any
    domain) need no code: an equality with them is decided, and an order comparison uses the
    position the string would take, which `bisect` gives exactly."""

    def __init__(self, strings: set[str]) -> None:
        self.sorted = sorted(strings)
        self.codes = {s: i for i, s in enumerate(self.sorted)}

    def code(self, s: str) -> int | None:
        return self.codes.get(s)

    def must_code(self, s: str, what: str) -> int:
        code = self.codes.get(s)
        if code is None:
            raise GroundingError(
                f"string {s!r} in {what} can never be the value of a string variable",
                hint="string values of symbolic expressions must come from a variable's domain "
                "or from a literal of the program",
            )
        return code

    def position(self, s: str) -> int:
        """Number of dictionary strings strictly smaller than s."""
        return bisect.bisect_left(self.sorted, s)


# ---------------------------------------------------------------------------------------------
# Bounds (interval analysis, memoised by node identity)


class Bounds:
    """Conservative [lo, hi] of integer ground expressions; used for folding and for
    neutral elements of guarded MIN/MAX."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[int, int]] = {}
        self._keep: list[object] = []  # keeps memoised ids alive

    def __call__(self, e: g.Expr) -> tuple[int, int]:
        key = id(e)
        got = self._memo.get(key)
        if got is None:
            got = self._compute(e)
            self._memo[key] = got
            self._keep.append(e)  # an id must not be reused by another node while memoised
        return got

    def _compute(self, e: g.Expr) -> tuple[int, int]:  # noqa: C901 - flat dispatch
        if isinstance(e, g.Var):
            return (e.lb, e.ub)
        if isinstance(e, g.Const):
            v = int(e.value)
            return (v, v)
        if e.is_bool:
            return (0, 1)
        if isinstance(e, g.BoolAsInt):
            return (0, 1)
        if isinstance(e, g.LinearSum):
            lo = hi = e.constant
            for c, t in e.terms:
                a, b = self(t)
                lo += min(c * a, c * b)
                hi += max(c * a, c * b)
            return (lo, hi)
        if isinstance(e, g.Product):
            a, b = self(e.left)
            c, d = self(e.right)
            prods = (a * c, a * d, b * c, b * d)
            return (min(prods), max(prods))
        if isinstance(e, g.Div):
            a, b = self(e.numerator)
            m = max(abs(a), abs(b)) // abs(e.divisor)
            return (-m, m)
        if isinstance(e, g.Mod):
            m = abs(e.divisor) - 1
            a, b = self(e.dividend)
            return (-m if a < 0 else 0, m if b > 0 else 0)
        if isinstance(e, g.Abs):
            a, b = self(e.arg)
            if a >= 0:
                return (a, b)
            if b <= 0:
                return (-b, -a)
            return (0, max(-a, b))
        if isinstance(e, g.Min):
            bs = [self(a) for a in e.args]
            return (min(x for x, _ in bs), min(y for _, y in bs))
        if isinstance(e, g.Max):
            bs = [self(a) for a in e.args]
            return (max(x for x, _ in bs), max(y for _, y in bs))
        if isinstance(e, g.IfThenElse):
            a, b = self(e.then)
            c, d = self(e.else_)
            return (min(a, c), max(b, d))
        if isinstance(e, g.Element):
            return (min(e.values), max(e.values)) if e.values else (0, 0)
        if isinstance(e, g.BinLoad):
            # every bin of a join shares one demand tuple: compute its bounds once
            got = self._memo.get(id(e.demands))
            if got is None:
                lo = hi = 0
                for d in e.demands:
                    a, b = self(d)
                    lo += min(a, 0)
                    hi += max(b, 0)
                got = (lo, hi)
                self._memo[id(e.demands)] = got
                self._keep.append(e.demands)
            return got
        raise TypeError(f"no bounds for {type(e).__name__}")


# ---------------------------------------------------------------------------------------------
# Builders with folding


def const_of(e: g.Expr) -> int | bool | None:
    return e.value if isinstance(e, g.Const) else None


def as_int(e: g.Expr) -> g.Expr:
    """Booleans used as numbers go through BoolAsInt (language §4)."""
    if isinstance(e, g.Const):
        return g.Const(int(e.value))
    return g.BoolAsInt(e) if e.is_bool else e


def linear(terms: list[tuple[int, g.Expr]], constant: int = 0) -> g.Expr:
    """A linear sum, flattened and folded; a single unit term is returned as it is."""
    flat: list[tuple[int, g.Expr]] = []
    for c, t in terms:
        if c == 0:
            continue
        if isinstance(t, g.Const):
            constant += c * int(t.value)
        elif isinstance(t, g.LinearSum):
            constant += c * t.constant
            flat.extend((c * c2, t2) for c2, t2 in t.terms)
        else:
            flat.append((c, as_int(t)))
    if not flat:
        return g.Const(constant)
    if constant == 0 and len(flat) == 1 and flat[0][0] == 1:
        return flat[0][1]
    return g.LinearSum(tuple(flat), constant)


def add(a: g.Expr, b: g.Expr) -> g.Expr:
    return linear([(1, a), (1, b)])


def sub(a: g.Expr, b: g.Expr) -> g.Expr:
    return linear([(1, a), (-1, b)])


def neg(a: g.Expr) -> g.Expr:
    return linear([(-1, a)])


def mul(a: g.Expr, b: g.Expr) -> g.Expr:
    ca, cb = const_of(a), const_of(b)
    if ca is not None and cb is not None:
        return g.Const(int(ca) * int(cb))
    if ca is not None:
        return linear([(int(ca), b)])
    if cb is not None:
        return linear([(int(cb), a)])
    return g.Product(as_int(a), as_int(b))


def and_(args: list[g.Expr]) -> g.Expr:
    out: list[g.Expr] = []
    for a in args:
        if isinstance(a, g.Const):
            if not a.value:
                return g.FALSE
            continue
        if isinstance(a, g.And):
            out.extend(a.args)
        else:
            out.append(a)
    if not out:
        return g.TRUE
    if len(out) == 1:
        return out[0]
    return g.And(tuple(out))


def or_(args: list[g.Expr]) -> g.Expr:
    out: list[g.Expr] = []
    for a in args:
        if isinstance(a, g.Const):
            if a.value:
                return g.TRUE
            continue
        if isinstance(a, g.Or):
            out.extend(a.args)
        else:
            out.append(a)
    if not out:
        return g.FALSE
    if len(out) == 1:
        return out[0]
    return g.Or(tuple(out))


def not_(a: g.Expr) -> g.Expr:
    if isinstance(a, g.Const):
        return g.Const(not a.value)
    if isinstance(a, g.Not):
        return a.arg
    return g.Not(a)


def implies(a: g.Expr, b: g.Expr) -> g.Expr:
    if isinstance(a, g.Const):
        return b if a.value else g.TRUE
    if isinstance(b, g.Const):
        return g.TRUE if b.value else not_(a)
    return g.Implies(a, b)


def ite(cond: g.Expr, then: g.Expr, else_: g.Expr) -> g.Expr:
    if isinstance(cond, g.Const):
        return then if cond.value else else_
    if then is else_:
        return then
    if then.is_bool != else_.is_bool:
        then, else_ = as_int(then), as_int(else_)
    return g.IfThenElse(cond, then, else_)


_FLIP = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def compare(op: str, a: g.Expr, b: g.Expr, bounds: Bounds) -> g.Expr:
    """A comparison, decided when the operands' bounds already decide it."""
    if a.is_bool != b.is_bool or (a.is_bool and op not in ("=", "!=")):
        a, b = as_int(a), as_int(b)
    if a.is_bool:
        if isinstance(a, g.Const) and isinstance(b, g.Const):
            return g.Const((a.value == b.value) == (op == "="))
        if isinstance(a, g.Const):
            a, b = b, a
        if isinstance(b, g.Const):
            return a if bool(b.value) == (op == "=") else not_(a)
        return g.Compare(op, a, b)
    la, ha = bounds(a)
    lb, hb = bounds(b)
    decided = _decide(op, la, ha, lb, hb)
    if decided is not None:
        return g.Const(decided)
    if isinstance(a, g.Const):
        a, b, op = b, a, _FLIP[op]
    if op in ("=", "!=") and isinstance(b, g.Const) and isinstance(a, g.Var) \
            and a.values is not None and b.value not in a.values:
        return g.Const(op == "!=")
    return g.Compare(op, a, b)


def _decide(op: str, la: int, ha: int, lb: int, hb: int) -> bool | None:
    if op == "<":
        return True if ha < lb else False if la >= hb else None
    if op == "<=":
        return True if ha <= lb else False if la > hb else None
    if op == ">":
        return True if la > hb else False if ha <= lb else None
    if op == ">=":
        return True if la >= hb else False if ha < lb else None
    if op == "=":
        if la == ha == lb == hb:
            return True
        return False if ha < lb or hb < la else None
    if la == ha == lb == hb:
        return False
    return True if ha < lb or hb < la else None


def in_set(arg: g.Expr, values: set[int]) -> g.Expr:
    """arg IN values, decided from the argument's domain when possible."""
    vals = tuple(sorted(values))
    if isinstance(arg, g.Const):
        return g.Const(int(arg.value) in values)
    if not vals:
        return g.FALSE
    if isinstance(arg, g.Var):
        dom = arg.values if arg.values is not None else None
        if dom is not None:
            if all(v in values for v in dom):
                return g.TRUE
            inter = tuple(v for v in dom if v in values)
            if not inter:
                return g.FALSE
            vals = inter
        elif arg.ub - arg.lb < 1_000 and all(v in values for v in range(arg.lb, arg.ub + 1)):
            return g.TRUE
    if len(vals) == 1:
        return g.Compare("=", as_int(arg), g.Const(vals[0]))
    return g.InSet(as_int(arg), vals)


# ---------------------------------------------------------------------------------------------
# Three-valued truth of a boolean value


def truth(v: Value) -> g.Expr:
    """The ground condition under which a boolean value is TRUE (NULL is not TRUE)."""
    if isinstance(v, SV):
        if v.null is None:
            return v.expr
        return and_([not_(v.null), v.expr])
    return g.Const(v is True or (v is not None and not isinstance(v, str) and bool(v)))


def falsity(v: Value) -> g.Expr:
    """The ground condition under which a boolean value is FALSE (NULL is not FALSE)."""
    if isinstance(v, SV):
        if v.null is None:
            return not_(v.expr)
        return and_([not_(v.null), not_(v.expr)])
    return g.Const(v is not None and not v)


def passes(v: Value) -> g.Expr:
    """A CHECK instance holds when the value is TRUE or NULL: Or(null, value)."""
    return not_(falsity(v))


def null_of(v: Value) -> g.Expr:
    if isinstance(v, SV):
        return v.null if v.null is not None else g.FALSE
    return g.Const(v is None)


def join_null(*vals: Value) -> g.Expr | None:
    """The NULL condition of an operation strict in all its operands (None: never NULL)."""
    parts = [v.null for v in vals if isinstance(v, SV) and v.null is not None]
    if not parts:
        return None
    folded = or_(parts)
    return None if folded == g.FALSE else folded


def from_truth(t: g.Expr, f: g.Expr) -> Value:
    """A boolean value from its TRUE and FALSE conditions (NULL when neither)."""
    if isinstance(t, g.Const) and t.value:
        return True
    if isinstance(f, g.Const) and f.value:
        return False
    if isinstance(t, g.Const) and isinstance(f, g.Const):
        return None
    if isinstance(f, g.Not) and f.arg is t:
        return SV(t, BOOL)
    return SV(t, BOOL, and_([not_(t), not_(f)]))


def lift(v: Value, kind: str, strings: StringDictionary) -> g.Expr:
    """A non-NULL constant or an SV's expression as a ground expression."""
    if isinstance(v, SV):
        return v.expr
    if isinstance(v, bool):
        return g.Const(v)
    if isinstance(v, int):
        return g.Const(v)
    if isinstance(v, str):
        return g.Const(strings.must_code(v, "a symbolic expression"))
    raise GroundingError(
        f"value {v!r} of type {type(v).__name__} cannot take part in a symbolic expression",
        hint="symbolic expressions compute with integers, booleans and strings only",
    )


def kind_of(v: Value) -> str:
    if isinstance(v, SV):
        return v.kind
    if isinstance(v, bool):
        return BOOL
    if isinstance(v, str):
        return STRING
    return INT
