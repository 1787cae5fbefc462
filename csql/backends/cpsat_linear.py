"""Linear expressions over CP-SAT variables, with exact bounds, for the CP-SAT encoder.

The encoder keeps its own small linear form (coefficient per CP-SAT variable index plus a
constant) instead of OR-Tools' expression objects, because it must know, for every
intermediate expression, (a) its bounds, to size auxiliary variables and to fold comparisons
that are decided by bounds alone, and (b) whether those bounds stay inside what CP-SAT can
represent. CP-SAT refuses variable domains outside [-(2**63-1)//2, (2**63-1)//2] and linear
constraints whose sum of |coefficient * bound| could overflow int64 (its model checker reports
MODEL_INVALID "Possible integer overflow"), so every expression built here keeps its
magnitude, sum(|c| * max(|lb|, |ub|)) + |constant|, within `INT_LIMIT`; anything larger is
refused with `UnsupportedError` instead of being wrapped or silently truncated.
"""

from __future__ import annotations

from dataclasses import dataclass

from csql.ir.errors import UnsupportedError

# CP-SAT's own bound on variable domains (kint64max / 2); a sum within it cannot overflow.
INT_LIMIT = (2**63 - 1) // 2


@dataclass(frozen=True, slots=True)
class Lin:
    """sum(coefs[v] * var_v) + constant, with bounds [lo, hi] implied by the variables'."""

    coefs: tuple[tuple[int, int], ...]  # (CP-SAT variable index, non-zero coefficient), sorted
    constant: int
    lo: int
    hi: int

    @property
    def is_constant(self) -> bool:
        return not self.coefs

    @property
    def single_var(self) -> tuple[int, int] | None:
        """(variable index, coefficient) when the expression is `c * x + constant`."""
        return self.coefs[0] if len(self.coefs) == 1 else None


def check_magnitude(value: int, what: str) -> None:
    if abs(value) > INT_LIMIT:
        raise UnsupportedError(
            f"{what} can reach {value}, beyond the 62-bit range CP-SAT accepts",
            backend="cpsat",
            construct="int64 overflow",
            hint="scale the data down (e.g. MiB instead of bytes) or bound the variables",
        )


class LinearBuilder:
    """Bounds of CP-SAT variables, and the arithmetic of `Lin` over them."""

    def __init__(self) -> None:
        self.lo: list[int] = []
        self.hi: list[int] = []

    def register(self, index: int, lo: int, hi: int) -> None:
        """Record the bounds of a freshly created CP-SAT variable (indices are dense)."""
        check_magnitude(lo, "a variable's lower bound")
        check_magnitude(hi, "a variable's upper bound")
        while len(self.lo) <= index:
            self.lo.append(0)
            self.hi.append(0)
        self.lo[index] = lo
        self.hi[index] = hi

    def constant(self, value: int) -> Lin:
        check_magnitude(value, "a constant")
        return Lin((), value, value, value)

    def make(self, coefs: dict[int, int], constant: int) -> Lin:
        """Normalise and bound a linear form; refuses forms that could overflow in CP-SAT."""
        items = tuple(sorted((v, c) for v, c in coefs.items() if c != 0))
        lo = hi = constant
        magnitude = abs(constant)
        for v, c in items:
            a, b = c * self.lo[v], c * self.hi[v]
            if a > b:
                a, b = b, a
            lo += a
            hi += b
            magnitude += abs(c) * max(abs(self.lo[v]), abs(self.hi[v]))
        check_magnitude(magnitude, "a linear expression")
        return Lin(items, constant, lo, hi)

    def var(self, index: int) -> Lin:
        return self.make({index: 1}, 0)

    def combine(self, parts: list[tuple[int, Lin]], constant: int = 0) -> Lin:
        """sum(k * part) + constant."""
        coefs: dict[int, int] = {}
        total = constant
        for k, part in parts:
            if k == 0:
                continue
            total += k * part.constant
            for v, c in part.coefs:
                coefs[v] = coefs.get(v, 0) + k * c
        return self.make(coefs, total)

    def scale(self, lin: Lin, k: int) -> Lin:
        return self.combine([(k, lin)])

    def difference(self, left: Lin, right: Lin) -> Lin:
        return self.combine([(1, left), (-1, right)])


def decide(op: str, lo: int, hi: int) -> bool | None:
    """Whether `x op 0` holds for every x in [lo, hi] (True), for none (False), or depends."""
    if op == "=":
        return True if lo == hi == 0 else (False if lo > 0 or hi < 0 else None)
    if op == "!=":
        return False if lo == hi == 0 else (True if lo > 0 or hi < 0 else None)
    if op == "<":
        return True if hi < 0 else (False if lo >= 0 else None)
    if op == "<=":
        return True if hi <= 0 else (False if lo > 0 else None)
    if op == ">":
        return True if lo > 0 else (False if hi <= 0 else None)
    if op == ">=":
        return True if lo >= 0 else (False if hi < 0 else None)
    raise ValueError(f"unknown comparison {op!r}")


NEGATED_OP = {"=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def trunc_div(a: int, b: int) -> int:
    """Integer division truncating toward zero (SQL and CP-SAT semantics)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q
