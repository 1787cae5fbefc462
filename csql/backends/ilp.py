"""The integer-programming backend: linearise the ground problem, solve it with a MIP solver
through PuLP.

`ilp` and `ilp:highs` use HiGHS in process (highspy, PuLP's `HiGHS` API class); `ilp:cbc`
uses CBC when PuLP finds a binary (bundled with PuLP 3, `cbc` on PATH or the `cbcbox` wheel
with PuLP 4). The lowering chain is `csql.rewrites.linearize.LINEARIZE`; this module owns the
solver call, the status mapping and the decoding of float answers back to integers.

A MIP solver works in floating point, so the answer is rounded and then checked against
every row of the linear model in exact integer arithmetic; an answer that does not survive
rounding is reported as a solver error rather than passed on (the numeric limits of the
linearisation, `Limits.max_magnitude`, exist to make that rare).
"""

from __future__ import annotations

import difflib
import time

from csql.ir import ground as g
from csql.ir.errors import BackendUnavailable, SolverError
from csql.ir.ground_eval import objective_value

from .base import Availability, Backend, BackendResult, Capabilities, SolveOptions, Status

# Option names of SolveOptions.extra that the backend reads itself (the rest go to the solver)
_OWN_OPTIONS = ("max_magnitude", "one_hot_max", "product_expand_max")

SUB_SOLVERS = ("highs", "cbc")


class IlpBackend(Backend):
    """Ground problems as mixed-integer linear programs, through PuLP."""

    name = "ilp"
    capabilities = Capabilities(
        # the node types the linearisation passes take, at the top level and reified
        native=frozenset(g.EXPR_TYPES),
        reifiable=frozenset(g.EXPR_TYPES),
        optimisation=True,
        # int * int only when one factor has at most 64 values (expanded); refused otherwise
        var_times_var=False,
        cores=False,
        hints=False,
        parallel=False,
        enumeration=False,
        max_int_bits=30,  # coefficients and bounds up to 1e9, see Limits.max_magnitude
    )

    @classmethod
    def available(cls) -> Availability:
        """Whether the default sub-solver (HiGHS through PuLP) can run here."""
        return cls.solver_available("highs")

    @classmethod
    def solver_available(cls, sub_solver: str) -> Availability:
        try:
            import pulp
        except Exception as exc:
            return Availability(False, reason=f"pulp cannot be imported: {exc}")
        if sub_solver == "highs":
            try:
                import highspy
            except Exception as exc:
                return Availability(False, reason=f"highspy cannot be imported: {exc}")
            from importlib import metadata

            try:
                version = metadata.version("highspy")
            except metadata.PackageNotFoundError:
                version = getattr(highspy, "__version__", "?")
            return Availability(True, version=f"pulp {pulp.__version__}, highspy {version}")
        if sub_solver == "cbc":
            from .ilp_emit import cbc_available

            if cbc_available():
                return Availability(True, version=f"pulp {pulp.__version__}, cbc")
            return Availability(False, reason="PuLP finds no CBC binary (PuLP 4 no longer "
                                              "bundles one)")
        return Availability(False, reason=f"unknown sub-solver '{sub_solver}'")

    def _sub_solver(self) -> str:
        sub = (self.sub_solver or "highs").strip().lower()
        if sub not in SUB_SOLVERS:
            close = difflib.get_close_matches(sub, SUB_SOLVERS, n=1)
            raise BackendUnavailable(
                f"unknown ILP sub-solver '{sub}'",
                hint=f"did you mean 'ilp:{close[0]}'?" if close
                else f"known: {', '.join('ilp:' + s for s in SUB_SOLVERS)}")
        availability = self.solver_available(sub)
        if not availability.ok:
            hint = ("install CBC: `apt install coinor-cbc` or `pip install 'pulp[cbc]'`"
                    if sub == "cbc" else "install it with: pip install 'csql[ilp]'")
            raise BackendUnavailable(f"backend 'ilp:{sub}' is not available here: "
                                     f"{availability.reason}", hint=hint)
        return sub

    # ---- lowering -------------------------------------------------------------------------

    @staticmethod
    def lower(problem: g.Problem, options: SolveOptions | None = None) -> g.Problem:
        """The linearised problem (`LINEARIZE`, with limits from `options.extra`)."""
        from csql.rewrites.linearize import DEFAULT_LIMITS, Limits, linearize

        extra = options.extra if options is not None else {}
        limits = Limits(**{k: int(extra[k]) for k in _OWN_OPTIONS if k in extra}) \
            if any(k in extra for k in _OWN_OPTIONS) else DEFAULT_LIMITS
        return linearize(problem, limits)

    def export(self, problem: g.Problem, fmt: str = "lp") -> tuple[str, str]:
        """The linear model as CPLEX LP text (`fmt="lp"`) or free MPS (`fmt="mps"`)."""
        from .ilp_emit import build, export_text

        if fmt not in ("lp", "mps"):
            raise SolverError(f"the ILP backend exports 'lp' or 'mps', not {fmt!r}")
        return export_text(build(self.lower(problem)), fmt), f".{fmt}"

    # ---- solving --------------------------------------------------------------------------

    def _solve(self, problem: g.Problem, options: SolveOptions) -> BackendResult:
        from .ilp_emit import build, cbc_solver, highs_solver, quiet_deprecations

        sub = self._sub_solver()
        started = time.perf_counter()
        linear = self.lower(problem, options)
        lowered = time.perf_counter()
        emitted = build(linear)
        emitted_at = time.perf_counter()
        result = BackendResult(
            status=Status.UNKNOWN,
            timings={"lowering": lowered - started, "emission": emitted_at - lowered},
            stats={"sub_solver": sub, "mip_variables": len(linear.variables),
                   "mip_rows": len(linear.constraints)},
        )
        if emitted.infeasible_row is not None:
            result.status = Status.INFEASIBLE
            result.timings["solver"] = 0.0
            return result
        remaining = None
        if options.time_limit is not None:
            remaining = max(0.0, options.time_limit - (emitted_at - started))
        solver_options = {k: v for k, v in options.extra.items() if k not in _OWN_OPTIONS}
        if sub == "highs":
            solver_options.setdefault("random_seed", options.seed)
            solver = highs_solver(remaining, solver_options)
        else:
            solver = cbc_solver(remaining, solver_options)
        model = emitted.model
        try:
            with quiet_deprecations():
                model.solve(solver)
        except SolverError:
            raise
        except Exception as exc:  # PuLP raises PulpSolverError and friends
            raise SolverError(f"the MIP solver failed: {exc}",
                              hint="run `csql export --backend ilp` to inspect the model") from exc
        result.timings["solver"] = time.perf_counter() - emitted_at
        result.status, bound = self._status(sub, model, result.stats)
        if result.status.has_solution:
            values = [v.varValue for v in emitted.variables]
            if any(x is None for x in values):
                raise SolverError("the MIP solver reported a solution without values")
            rounded = [round(x) for x in values]
            result.stats["max_rounding"] = max((abs(x - r) for x, r in zip(values, rounded)),
                                               default=0.0)
            _check_rows(linear, rounded)
            result.assignment = {v.index: rounded[v.index] for v in problem.variables}
            if problem.objective:
                result.objective = objective_value(problem, result.assignment)
                result.bound = (float(result.objective) if result.status is Status.OPTIMAL
                                else bound)
        return result

    @staticmethod
    def _status(sub: str, model: object, stats: dict[str, object]
                ) -> tuple[Status, float | None]:
        from .ilp_emit import status_from_highs, status_from_pulp

        if sub == "highs":
            highs = model.solverModel  # type: ignore[attr-defined]
            info = highs.getInfo()
            name = highs.getModelStatus().name
            has_primal = int(info.primal_solution_status) == 2  # kSolutionStatusFeasible
            stats.update({"highs_status": name, "mip_gap": info.mip_gap,
                          "mip_nodes": info.mip_node_count})
            # HiGHS minimises the negated objective (PuLP's maximise), without the constant
            bound = -float(info.mip_dual_bound) + float(
                model.objective.constant)  # type: ignore[attr-defined]
            return status_from_highs(name, has_primal), bound
        status, sol_status = model.status, model.sol_status  # type: ignore[attr-defined]
        stats.update({"pulp_status": status, "pulp_sol_status": sol_status})
        return status_from_pulp(status, sol_status), None


def _check_rows(linear: g.Problem, values: list[int]) -> None:
    """Every row of the linear model holds for the rounded values, in exact arithmetic."""
    from csql.rewrites.linearize import linear_terms

    for c in linear.constraints:
        row = c.expr
        assert isinstance(row, g.Compare) and isinstance(row.right, g.Const)
        terms = linear_terms(row.left) or ()
        lhs = sum(coef * values[v.index] for coef, v in terms)
        rhs = int(row.right.value)
        if not {"<=": lhs <= rhs, ">=": lhs >= rhs, "=": lhs == rhs}[row.op]:
            raise SolverError(
                f"the MIP solver's answer violates a row of the linear model after rounding "
                f"to integers (from {c.provenance.statement}): numerical trouble",
                hint="lower the magnitudes of the data (scale it) or use the cpsat backend")
