"""Bulk emission for the CP-SAT encoder: value encodings and bin loads written straight into
the model proto, and the completion of a solution hint over every CP-SAT variable.

Bin loads over a variable equi-join need one `x == v` literal per (item, bin): 5 million at
1,000 machines and 5,000 VMs. Creating each through `CpModel.new_bool_var` and posting two
reified constraints per literal cost minutes and gigabytes of Python objects. Here a variable's
whole domain is encoded at once: its literals are appended to the proto as one block of
variables (a literal is then just an index, `first + position`), tied to the variable by one
exactly-one and one linear channel `x == sum(value * literal)`. A bin load becomes one linear
constraint defining one integer variable, built with numpy from the blocks, so downstream
comparisons, sums and min/max see a single variable. A literal gets a Python object only when
some other constraint asks for that particular `x == v`.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING, Any

from csql.ir import ground as g
from csql.ir.ground_eval import Evaluator

from .cpsat_linear import INT_LIMIT, Lin, check_magnitude, trunc_div

if TYPE_CHECKING:
    from .cpsat_encode import CpSatEncoder

# A domain with more values than this is never encoded whole (its literals are made one by
# one when asked for); bin loads over such items take the slow path.
BULK_DOMAIN_LIMIT = 100_000


class Block:
    """The value literals of one CP-SAT variable: literal `first + k` is `x == values[k]`."""

    __slots__ = ("first", "values", "lo", "contiguous")

    def __init__(self, first: int, values: Any) -> None:
        self.first = first
        self.values = values  # a range (contiguous domain) or a sorted tuple
        self.lo = values[0]
        self.contiguous = isinstance(values, range)

    def position(self, value: int) -> int | None:
        if self.contiguous:
            k = value - self.lo
            return k if 0 <= k < len(self.values) else None
        k = bisect_left(self.values, value)
        return k if k < len(self.values) and self.values[k] == value else None


def encode_domain(enc: CpSatEncoder, v: int) -> Block | None:
    """Encode every value of CP-SAT variable `v` at once; None when it is too large or when
    the channel could overflow int64 (values of huge magnitude)."""
    block = enc.blocks.get(v)
    if block is not None or enc.is_literal(v):
        return block
    lo, hi = enc.lin.lo[v], enc.lin.hi[v]
    sparse = enc.sparse_domain(v)
    values: Any = tuple(sorted(sparse)) if sparse is not None else range(lo, hi + 1)
    if len(values) > BULK_DOMAIN_LIMIT or len(values) < 2:
        return None
    # channel x - lo == sum((value - lo) * literal): keep its magnitude within CP-SAT's range
    if (hi - lo) * len(values) > INT_LIMIT:
        return None
    proto = enc.model.proto
    first = len(proto.variables)
    proto.variables.extend([enc.bool_template()] * len(values))
    enc.register_literals(first, len(values))
    literals = range(first, first + len(values))
    proto.constraints.add().exactly_one.literals.extend(literals)
    channel = proto.constraints.add().linear
    channel.vars.extend([*literals, v])
    steps = range(len(values)) if isinstance(values, range) else [x - lo for x in values]
    channel.coeffs.extend([*steps, -1])
    channel.domain.extend([-lo, -lo])
    block = Block(first, values)
    enc.blocks[v] = block
    # literals made one by one before the block existed are the same propositions
    for value in enc.reified_values.get(v, ()):
        position = block.position(value)
        if position is not None:
            old = enc.eq_literal(enc.lin.var(v), value)
            enc.model.add(old == enc.cp_var(first + position))
    return block


def bin_load(enc: CpSatEncoder, e: g.BinLoad) -> Lin | None:
    """A bin load with constant demands over plain variables, as one defined variable; None
    when its items do not qualify (the encoder then builds it literal by literal). Loads of
    the same items, demands and bin share their variable, even when they were grounded from
    different statements (a capacity check and a view of spare capacity)."""
    group = _group_arrays(enc, e.assignment)
    if group is None:
        return None
    demands = _demand_array(enc, e.demands)
    if demands is None:
        return None
    key = ("load", group[5], demands[1], e.bin)
    hit = enc.cached(key)
    if hit is not None:
        return hit
    enc.check_time()
    cp_index, firsts, los, sizes, sparse, _, fixed = group
    weights_all = demands[0]
    b = e.bin
    offset = b - los
    mask = (offset >= 0) & (offset < sizes) & (weights_all != 0)
    if sparse:
        mask[sparse] = False
    chosen = weights_all[mask]
    literals = (firsts[mask] + offset[mask]).tolist()
    weights = chosen.tolist()
    for k in sparse:  # items with a sparse domain: look the bin up in their block
        block = enc.blocks[int(cp_index[k])]
        position = block.position(b)
        if position is not None and weights_all[k] != 0:
            literals.append(block.first + position)
            weights.append(int(weights_all[k]))
    constant = sum(int(weights_all[k]) for k, value in fixed if value == b)
    if sparse or float(abs(chosen).sum(dtype=float)) >= INT_LIMIT // 2:
        low = sum(w for w in weights if w < 0)  # exact, in Python integers
        high = sum(w for w in weights if w > 0)
    else:  # no int64 overflow possible
        low, high = int(chosen[chosen < 0].sum()), int(chosen[chosen > 0].sum())
    check_magnitude(high - low + abs(constant), "a bin load")
    if len(literals) <= 1:
        result = enc.lin.make(dict(zip(literals, weights)), constant)
    else:
        var, result = enc.aux(low + constant, high + constant, ("load", group, demands, b))
        linear = enc.model.proto.constraints.add().linear
        linear.vars.extend([*literals, var.index])
        linear.coeffs.extend([*weights, -1])
        linear.domain.extend([-constant, -constant])
    enc.cache(key, result, keep=None)
    return result


def _group_arrays(enc: CpSatEncoder, assignment: tuple[g.Expr, ...]) -> Any:
    """Per item of a bin load's assignment: its CP-SAT variable and value block, as arrays,
    plus a canonical key (equal for equal item lists grounded as different tuples). An item
    whose domain is one value (pinned, or narrowed by csql to one node) has no block: it is
    listed in `fixed` with its value and adds its demand to that bin as a constant."""
    key = ("items", id(assignment))
    hit = enc.cached(key)
    if hit is not None:
        return hit or None
    import numpy as np

    result: Any = ()
    cp_index, firsts, los, sizes, sparse, fixed = [], [], [], [], [], []
    for k, item in enumerate(assignment):
        x = enc.linear(item)
        value = _fixed_value(enc, x)
        if value is not None:
            cp_index.append(-1)
            firsts.append(0)
            los.append(0)
            sizes.append(0)  # never inside the vectorised mask
            fixed.append((k, value))
            continue
        if len(x.coefs) != 1 or x.coefs[0][1] != 1 or x.constant != 0:
            break
        block = encode_domain(enc, x.coefs[0][0])
        if block is None:
            break
        cp_index.append(x.coefs[0][0])
        firsts.append(block.first)
        los.append(block.lo)
        sizes.append(len(block.values))
        if not block.contiguous:
            sparse.append(k)
    else:
        items = np.array(cp_index, dtype=np.int64)
        canonical = _canonical(enc, "items", np.array(
            [*cp_index, *(v for _, v in fixed)], dtype=np.int64))
        result = (items, np.array(firsts, dtype=np.int64), np.array(los, dtype=np.int64),
                  np.array(sizes, dtype=np.int64), sparse, canonical, fixed)
    enc.cache(key, result, keep=assignment)
    return result or None


def _fixed_value(enc: CpSatEncoder, x: Lin) -> int | None:
    """The value of an item that can take only one: a constant, or a variable whose CP-SAT
    domain holds a single value."""
    if not x.coefs:
        return int(x.constant)
    if len(x.coefs) == 1 and x.coefs[0][1] == 1 and x.constant == 0:
        v = x.coefs[0][0]
        if not enc.is_literal(v) and enc.lin.lo[v] == enc.lin.hi[v]:
            return int(enc.lin.lo[v])
    return None


def _demand_array(enc: CpSatEncoder, demands: tuple[g.Expr, ...]) -> Any:
    """(int64 array, canonical key) of constant demands, or None."""
    key = ("demands", id(demands))
    hit = enc.cached(key)
    if hit is not None:
        return hit or None
    import numpy as np

    result: Any = ()
    if all(isinstance(d, g.Const) for d in demands):
        values = [int(d.value) for d in demands]  # type: ignore[union-attr]
        if all(abs(v) <= INT_LIMIT for v in values):
            array = np.array(values, dtype=np.int64)
            result = (array, _canonical(enc, "demands", array))
    enc.cache(key, result, keep=demands)
    return result or None


def _canonical(enc: CpSatEncoder, kind: str, array: Any) -> int:
    """A small integer naming the content of `array`, the same for equal contents."""
    key = ("canonical", kind, array.tobytes())
    hit = enc.cached(key)
    if hit is None:
        hit = id(array)  # the first array with this content, kept alive by the cache
        enc.cache(key, hit, keep=array)
    return hit


# ---- hint completion --------------------------------------------------------------------------


def complete_hint(enc: CpSatEncoder, ground: dict[int, int]) -> list[int] | None:
    """Values for every CP-SAT variable implied by values of the ground variables, or None
    when some auxiliary variable has no recorded definition (then only the ground variables
    are hinted). Definitions were recorded in creation order, so arguments come first."""
    import numpy as np

    count = len(enc.model.proto.variables)
    values = np.zeros(count, dtype=np.int64)
    known = np.zeros(count, dtype=bool)
    for var in enc.problem.variables:
        if var.index not in ground:
            return None
        index = enc.vars[var.index].index
        values[index] = int(ground[var.index])
        known[index] = True
    for v, block in enc.blocks.items():
        span = slice(block.first, block.first + len(block.values))
        values[span] = 0
        known[span] = True
        position = block.position(int(values[v]))
        if position is not None:
            values[block.first + position] = 1
    evaluator = Evaluator(ground)
    loads: dict[tuple[int, int], dict[int, int]] = {}
    for index, spec in enc.definitions.items():
        try:
            values[index] = (_load(spec, values, loads) if spec[0] == "load"
                             else _evaluate(spec, values, evaluator))
        except (ArithmeticError, IndexError, TypeError, ValueError, KeyError):
            return None
        known[index] = True
    if not known.all():
        return None
    return values.tolist()


def _load(spec: tuple, values: Any, loads: dict[tuple[int, int], dict[int, int]]) -> int:
    """The value of a bin-load variable; every bin of one (items, demands) pair at once."""
    _, group, demands, b = spec
    key = (group[5], demands[1])
    per_bin = loads.get(key)
    if per_bin is None:
        per_bin = {}
        items = values[group[0]]
        for k, value in group[6]:  # pinned items have no CP-SAT variable (index -1)
            items[k] = value
        for x, d in zip(items.tolist(), demands[0].tolist()):
            per_bin[x] = per_bin.get(x, 0) + d
        loads[key] = per_bin
    return per_bin.get(b, 0)


def _lin_value(lin: Lin, values: Any) -> int:
    return lin.constant + sum(c * int(values[v]) for v, c in lin.coefs)


def _lit_value(lit: Any, values: Any) -> int:
    if isinstance(lit, bool):
        return int(lit)
    index = lit.index
    return int(values[index]) if index >= 0 else 1 - int(values[-index - 1])


def _evaluate(spec: tuple, values: Any, evaluator: Evaluator) -> int:  # noqa: C901
    kind = spec[0]
    if kind == "ground":
        return int(evaluator(spec[1]))
    if kind == "lin":
        return _lin_value(spec[1], values)
    if kind == "eq":
        return int(_lin_value(spec[1], values) == spec[2])
    if kind == "rel":
        diff, op = _lin_value(spec[1], values), spec[2]
        return int({"=": diff == 0, "!=": diff != 0, "<": diff < 0, "<=": diff <= 0,
                    ">": diff > 0, ">=": diff >= 0}[op])
    if kind == "and":
        return int(all(_lit_value(lit, values) for lit in spec[1]))
    if kind == "in":
        return int(_lin_value(spec[1], values) in spec[2])
    if kind == "product":
        return _lin_value(spec[1], values) * _lin_value(spec[2], values)
    if kind == "div":
        return trunc_div(_lin_value(spec[1], values), spec[2])
    if kind == "mod":
        a = _lin_value(spec[1], values)
        return a - spec[2] * trunc_div(a, spec[2])
    if kind == "abs":
        return abs(_lin_value(spec[1], values))
    if kind in ("min", "max"):
        pick = min if kind == "min" else max
        return pick(_lin_value(a, values) for a in spec[1])
    if kind == "ite":
        chosen = spec[2] if _lit_value(spec[1], values) else spec[3]
        return _lin_value(chosen, values)
    if kind == "element":
        return spec[2][_lin_value(spec[1], values)]
    raise KeyError(kind)
