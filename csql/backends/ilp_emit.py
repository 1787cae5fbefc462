"""PuLP model building and solver plumbing for the ILP backend.

The input is a linearised ground problem (`csql.rewrites.linearize`): every constraint a row
`LinearSum op Const`, every objective term a `LinearSum`. This module turns it into a
`pulp.LpProblem`, creates the sub-solver, and maps the solver's answer to csql's status model.

PuLP's own `status` is not trusted: it reports "Optimal" after a time-out with an incumbent
(HiGHS `kTimeLimit`, CBC "Stopped on time" with an objective), so the status comes from the
solution status (`sol_status`) or, for HiGHS, from the model status and the primal solution
status read from the HiGHS object itself. PuLP 3.3's HiGHS status table also lacks
`kSolutionLimit`/`kMemoryLimit` (a KeyError), another reason to read HiGHS directly.
"""

from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from csql.ir import ground as g
from csql.ir.errors import SolverError
from csql.rewrites.linearize import linear_terms

from .base import Status

# Integer objectives: a gap below 1 proves optimality, and a relative gap (HiGHS defaults to
# 1e-4) would let "optimal" answers be off by a fraction of a large objective.
ABSOLUTE_GAP = 0.99

_SENSE = {"<=": -1, ">=": 1, "=": 0}


@dataclass(slots=True)
class Emitted:
    model: Any  # pulp.LpProblem
    variables: list[Any]  # pulp.LpVariable per linear-problem variable index
    infeasible_row: g.HardConstraint | None  # a constant row that cannot hold


def _name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)[:40]


def build(linear: g.Problem) -> Emitted:
    """The PuLP model of a linearised problem (maximising its objective)."""
    with quiet_deprecations():
        return _build(linear)


@contextmanager
def quiet_deprecations() -> Any:
    """PuLP 3.3 warns on every LpVariable (PuLP 4 builds them through the problem) and on
    its bundled CBC; the PuLP 3 API used here is one both versions take, and the warnings
    would drown a user's output."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _build(linear: g.Problem) -> Emitted:
    import pulp

    model = pulp.LpProblem("csql", pulp.LpMaximize)
    variables = []
    for v in linear.variables:
        name = f"x{v.index}_{_name(v.name)}"
        if v.is_bool:
            var = pulp.LpVariable(name, cat=pulp.LpBinary)
        else:
            lo, hi = (v.values[0], v.values[-1]) if v.values else (v.lb, v.ub)
            var = pulp.LpVariable(name, lowBound=lo, upBound=hi, cat=pulp.LpInteger)
        variables.append(var)
    model.addVariables(variables)
    infeasible = None
    for k, c in enumerate(linear.constraints):
        row = c.expr
        terms = linear_terms(row.left) if isinstance(row, g.Compare) else None
        if terms is None or not isinstance(row.right, g.Const):
            raise SolverError(f"the ILP emitter received a row that is not linear: {row!r}",
                              hint="this is a bug in csql's linearisation passes")
        if not terms:
            infeasible = infeasible or c
            continue
        expr = pulp.LpAffineExpression([(variables[v.index], coef) for coef, v in terms])
        constraint = pulp.LpConstraint(expr, _SENSE[row.op], rhs=int(row.right.value))
        model.addConstraint(constraint, name=f"c{k}_{_name(c.provenance.statement)}")
    # LpAffineExpression keeps the last coefficient of a repeated variable: sum them first
    objective: dict[int, int] = {}
    constant = 0
    for t in linear.objective:
        terms = linear_terms(t.expr)
        assert terms is not None and isinstance(t.expr, g.LinearSum)
        for coef, v in terms:
            objective[v.index] = objective.get(v.index, 0) + coef
        constant += t.expr.constant
    model.setObjective(pulp.LpAffineExpression(
        [(variables[i], c) for i, c in objective.items() if c], constant=constant))
    return Emitted(model, variables, infeasible)


def export_text(emitted: Emitted, fmt: str) -> str:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"model.{fmt}")
        if fmt == "lp":
            emitted.model.writeLP(path)
        else:
            emitted.model.writeMPS(path)
        with open(path, encoding="utf-8") as f:
            return f.read()


# ---------------------------------------------------------------------------------------------
# Sub-solvers


@contextmanager
def _quiet_stdout() -> Any:
    """HiGHS prints its banner to file descriptor 1 when a `Highs` object is created, before
    any option can turn logging off; `csql solve --json` must keep stdout clean."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def highs_solver(time_limit: float | None, options: dict[str, object]) -> Any:
    """PuLP's in-process HiGHS interface (highspy), quiet, with exact-optimality gaps.

    The in-process API is used rather than `HiGHS_CMD` because no `highs` executable is
    needed (highspy ships the solver), no model file is written, and the HiGHS object stays
    reachable after the solve for its own model and solution status."""
    import highspy
    import pulp

    class QuietHighs(pulp.HiGHS):  # type: ignore[misc, name-defined]
        def createAndConfigureSolver(self, lp: Any) -> None:  # noqa: N802 - PuLP's name
            with _quiet_stdout():
                lp.solverModel = highspy.Highs()
            lp.solverModel.setOptionValue("output_flag", False)
            for key, value in self.settings.items():
                status = lp.solverModel.setOptionValue(key, value)
                if status != highspy.HighsStatus.kOk:
                    raise SolverError(f"HiGHS rejected the option {key}={value!r}",
                                      hint="see the HiGHS documentation for option names")

        def findSolutionValues(self, lp: Any) -> tuple[int, int]:  # noqa: N802 - PuLP's
            solution = lp.solverModel.getSolution()
            values = list(solution.col_value)
            for var in lp.variables():
                var.varValue = values[var.index] if var.index < len(values) else None
            return 0, 0  # the backend reads the status from the HiGHS object itself

    settings: dict[str, object] = {"mip_rel_gap": 0.0, "mip_abs_gap": ABSOLUTE_GAP}
    if time_limit is not None:
        settings["time_limit"] = max(float(time_limit), 0.001)
    settings.update(options)
    solver = QuietHighs(msg=False)
    solver.settings = settings
    return solver


def cbc_solver(time_limit: float | None, options: dict[str, object]) -> Any:
    solver = _cbc_class()
    if solver is None:
        raise SolverError("no CBC executable found")
    extra = [f"{k} {v}" for k, v in options.items()]
    with quiet_deprecations():
        return solver(msg=False, timeLimit=time_limit, gapRel=0.0, gapAbs=ABSOLUTE_GAP,
                      options=extra)


def _cbc_class() -> Any:
    """PuLP 3 bundles a CBC binary (`PULP_CBC_CMD`); PuLP 4 dropped it, then `COIN_CMD` finds
    a `cbc` on PATH (Debian: `apt install coinor-cbc`) or the `cbcbox` wheel."""
    import pulp

    for name in ("PULP_CBC_CMD", "COIN_CMD"):
        cls = getattr(pulp, name, None)
        if cls is None:
            continue
        try:
            with quiet_deprecations():
                if cls(msg=False).available():
                    return cls
        except Exception:  # a broken bundled binary means "not here"
            continue
    return None


def cbc_available() -> bool:
    try:
        return _cbc_class() is not None
    except ImportError:
        return False


# ---------------------------------------------------------------------------------------------
# Status mapping


def status_from_highs(model_status: str, has_primal: bool) -> Status:
    """HiGHS model status name (`kOptimal`, `kTimeLimit`, ...) and whether a primal solution
    exists -> csql status. Every variable is bounded, so HiGHS's "unbounded or infeasible" is
    infeasible; a stop on a limit keeps the incumbent as FEASIBLE."""
    if model_status == "kOptimal":
        return Status.OPTIMAL if has_primal else Status.UNKNOWN
    if model_status in ("kInfeasible", "kUnboundedOrInfeasible"):
        return Status.INFEASIBLE
    if model_status in ("kTimeLimit", "kIterationLimit", "kSolutionLimit", "kInterrupt",
                        "kHighsInterrupt", "kObjectiveBound", "kObjectiveTarget",
                        "kMemoryLimit", "kUnknown", "kNotset"):
        return Status.FEASIBLE if has_primal else Status.UNKNOWN
    raise SolverError(f"HiGHS stopped with status {model_status}",
                      hint="this is a bug in csql's ILP model or in HiGHS; please report it "
                           "with the output of `csql export --backend ilp`")


def status_from_pulp(status: int, sol_status: int) -> Status:
    """PuLP's `LpProblem.status` and `sol_status` -> csql status, trusting the solution
    status: 1 optimal, 2 integer feasible (a limit was hit), -1 no solution exists."""
    if sol_status == 1 and status == 1:
        return Status.OPTIMAL
    if sol_status == 2:
        return Status.FEASIBLE
    if sol_status == -1 or status == -1:
        return Status.INFEASIBLE
    if sol_status == -2 or status == -2:
        raise SolverError("the MIP solver reported the csql model unbounded, but every "
                          "variable is bounded", hint="this is a bug; please report it")
    return Status.UNKNOWN
