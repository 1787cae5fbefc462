"""The backend commands of `csql`: `backends`, `export` and `bench`.

They exist for the people who compare solvers on one program (the multi-backend promise of
architecture §5): which backends run here and what each declares, what exactly each one is
handed (its encoding as a file), and how they compare on the same data. `python -m
csql.cli_backends --matrix` prints the capability matrix of `docs/backends.md`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from csql.backends.base import BackendInfo, describe_backends, get_backend
from csql.ir import ground as g
from csql.ir.errors import CsqlError, InternalError

if TYPE_CHECKING:
    from csql.core.model import Model
    from csql.db.base import Database

EXIT_SOLVED, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2
MATRIX_COMMAND = "csql backends --markdown"


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The three subcommands, added to `csql`'s parser."""
    backends = sub.add_parser("backends", help="list solver backends, whether they run here, "
                                               "versions and capabilities")
    backends.add_argument("--json", action="store_true", help="print one JSON array")
    backends.add_argument("--markdown", action="store_true",
                          help="print the capability matrix as a Markdown table")

    export = sub.add_parser("export", help="write a backend's encoding of a program + data")
    _program_arguments(export)
    export.add_argument("--backend", default=None, help="backend name (default: configured)")
    export.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="where to write it ('-' for standard output)")

    bench = sub.add_parser("bench", help="solve one program on several backends and compare")
    _program_arguments(bench)
    bench.add_argument("--backends", default="cpsat,minizinc,ilp,smt",
                       help="comma-separated backend names (default: %(default)s)")
    bench.add_argument("--repeat", type=int, default=5, help="solves per backend")
    bench.add_argument("--time-limit", type=float, metavar="SECONDS")
    bench.add_argument("--plot", metavar="FILE.png", help="draw a bar chart of the times")
    bench.add_argument("--json", action="store_true", help="print one JSON object")


def _program_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("program", help="the C-SQL program (.sql)")
    parser.add_argument("--data", action="append", default=[], metavar="FILE.sql",
                        help="SQL script(s) loaded first (repeatable)")
    parser.add_argument("--db", metavar="URL",
                        help="a database URL; default: an in-memory DuckDB. Nothing in it "
                             "changes: the loaded data are rolled back")


def run(args: argparse.Namespace) -> int:
    if args.command == "backends":
        return backends_command(json_output=args.json, markdown=args.markdown)
    if args.command == "export":
        return export_command(args)
    return bench_command(args)


# ---- csql backends ----------------------------------------------------------------------------


def backends_command(*, json_output: bool = False, markdown: bool = False) -> int:
    infos = describe_backends()
    if json_output:
        print(json.dumps([info.to_json() for info in infos], indent=2))
    elif markdown:
        print(capability_matrix(infos))
    else:
        rows = []
        for info in infos:
            caps = info.capabilities or {}
            flags = [name for name in ("optimisation", "cores", "hints", "parallel",
                                       "enumeration", "var_times_var") if caps.get(name)]
            native = caps.get("native") or []
            rows.append([info.name, "yes" if info.available else "no",
                         info.version if info.available else info.reason,
                         ", ".join(flags), f"{len(native)} node types" if caps else ""])
        print_table(["backend", "available", "version / why not", "features", "native"], rows)
    return EXIT_SOLVED


def capability_matrix(infos: list[BackendInfo] | None = None) -> str:
    """Markdown: one row per ground-IR node type or feature, one column per backend.
    `yes` = taken natively anywhere, `top level` = natively only as a top-level constraint
    (decomposed below it), `-` = lowered or refused (the backend's lowering chain decides)."""
    infos = describe_backends() if infos is None else infos
    loaded = [info for info in infos if info.capabilities is not None]
    header = ["construct", *(info.name for info in loaded)]
    rows: list[list[str]] = []
    for node_type in g.EXPR_TYPES:
        row = [f"`{node_type.__name__}`"]
        for info in loaded:
            caps = info.capabilities or {}
            name = node_type.__name__
            row.append("yes" if name in caps["reifiable"]  # type: ignore[operator]
                       else "top level" if name in caps["native"]  # type: ignore[operator]
                       else "-")
        rows.append(row)
    for feature in ("optimisation", "var_times_var", "cores", "hints", "parallel",
                    "enumeration", "max_int_bits"):
        row = [feature]
        for info in loaded:
            value = (info.capabilities or {}).get(feature)
            if feature == "max_int_bits":
                row.append("unbounded" if value == 0 else str(value))
            else:
                row.append("yes" if value else "no")
        rows.append(row)
    lines = [f"<!-- generated by `{MATRIX_COMMAND}`; do not edit by hand -->",
             "| " + " | ".join(header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    missing = [info for info in infos if info.capabilities is None]
    for info in missing:
        lines.append(f"\n`{info.name}` could not be loaded here: {info.reason}")
    return "\n".join(lines)


# ---- shared: a program with its data in a database that is left unchanged --------------------


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CsqlError(f"cannot read {path}: {exc.strerror or exc}",
                        hint="check the file name") from exc


class _Rollback(Exception):
    """Leaves the database transaction without committing."""


@contextmanager
def loaded(args: argparse.Namespace) -> Iterator[tuple[Model, Database]]:
    """The compiled program and a database holding its tables and the `--data` files; with
    `--db`, everything happens inside one transaction that is rolled back."""
    import csql
    from csql.db import connect
    from csql.db.schema import load_data

    model = csql.compile(_read(args.program), args.program)
    data = [(path, _read(path)) for path in args.data]
    db = connect(args.db if args.db else "duckdb://")
    try:
        if args.db:
            try:
                with db.transaction():
                    model.prepare(db)
                    for path, text in data:
                        load_data(db, text, path)
                    yield model, db
                    raise _Rollback
            except _Rollback:
                pass
        else:
            model.prepare(db)
            for path, text in data:
                load_data(db, text, path)
            yield model, db
    finally:
        db.close()


# ---- csql export ------------------------------------------------------------------------------


def export_command(args: argparse.Namespace) -> int:
    from csql.core.config import resolve
    from csql.core.grounding import ground

    spec = resolve(backend=args.backend).backend
    backend = get_backend(spec)
    with loaded(args) as (model, db):
        problem = ground(model.program, db).problem
        text, suffix = backend.export(problem)
    if args.output == "-":
        sys.stdout.write(text)
        return EXIT_SOLVED
    Path(args.output).write_text(text, encoding="utf-8")
    note = ""
    if not args.output.endswith(suffix):
        note = f" (backend '{backend.name}' usually saves it as *{suffix})"
    print(f"wrote {args.output}: {backend.name} encoding, {len(text)} characters{note}",
          file=sys.stderr)
    return EXIT_SOLVED


# ---- csql bench -------------------------------------------------------------------------------


def bench_command(args: argparse.Namespace) -> int:
    if args.repeat < 1:
        raise CsqlError(f"--repeat must be at least 1, not {args.repeat}")
    specs = [s.strip() for s in args.backends.split(",") if s.strip()]
    if not specs:
        raise CsqlError("--backends names no backend", hint="e.g. --backends cpsat,smt")
    for spec in specs:
        get_backend(spec)  # an unknown name is a usage error before any solving
    results = []
    with loaded(args) as (model, db):
        for spec in specs:
            results.append(bench_backend(model, db, spec, args.repeat, args.time_limit))
    if args.json:
        print(json.dumps({"program": args.program, "repeat": args.repeat,
                          "time_limit": args.time_limit, "results": results}, indent=2))
    else:
        print_table(
            ["backend", "status", "objective", "median s", "min s", "max s", "solver median s"],
            [[r["backend"], r["status"], _text(r["objective"]), _seconds(r["median"]),
              _seconds(r["min"]), _seconds(r["max"]), _seconds(r["solver_median"])]
             for r in results])
        for r in results:
            if r["error"]:
                print(f"{r['backend']}: {r['error']}", file=sys.stderr)
    if args.plot:
        plot(results, args.plot, title=Path(args.program).name)
    optimal = {r["backend"]: r["objective"] for r in results if r["status"] == "OPTIMAL"}
    if len(set(optimal.values())) > 1:
        raise InternalError(f"backends disagree on the optimal objective: {optimal}",
                            hint="one of the backends' encodings is wrong; please report it "
                                 "with the output of `csql export` for each")
    return EXIT_SOLVED


def bench_backend(model: Model, db: Database, spec: str, repeat: int,
                  time_limit: float | None) -> dict[str, object]:
    """`repeat` solves of the program on one backend (each grounds afresh, as a controller's
    solve would). An unavailable backend or a refused construct is a row, not a crash."""
    from csql.backends.base import availability, parse_spec

    row: dict[str, object] = {"backend": spec, "status": "", "objective": None, "times": [],
                              "solver_times": [], "median": None, "min": None, "max": None,
                              "solver_median": None, "error": ""}
    found = availability(parse_spec(spec)[0])
    if not found.ok:
        row.update(status="unavailable", error=found.reason)
        return row
    statuses, times, solver_times = [], [], []
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            solution = model.solve(db, backend=spec, time_limit=time_limit)
        except InternalError:
            raise
        except CsqlError as exc:
            row.update(status=type(exc).__name__.replace("Error", "").lower() or "error",
                       error=exc.message)
            return row
        times.append(time.perf_counter() - started)
        seconds = solution.stats.get("seconds", {})
        solver_times.append(float(seconds.get("backend_total", 0.0))  # type: ignore[union-attr]
                            if isinstance(seconds, dict) else 0.0)
        statuses.append(solution.status.value)
        row["objective"] = solution.objective
    # the weakest status over the repeats: one time-out makes the row FEASIBLE/UNKNOWN
    order = ["UNKNOWN", "INFEASIBLE", "FEASIBLE", "OPTIMAL"]
    row.update(status=min(statuses, key=order.index) if len(set(statuses)) > 1 else statuses[0],
               times=times, solver_times=solver_times, median=statistics.median(times),
               min=min(times), max=max(times), solver_median=statistics.median(solver_times))
    return row


def plot(results: list[dict[str, object]], path: str, *, title: str = "") -> None:
    """A bar per backend: median solve time, whiskers from min to max (matplotlib, Agg)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except Exception as exc:
        raise CsqlError(f"--plot needs matplotlib: {exc}",
                        hint="pip install 'csql[plots]'") from exc
    timed = [r for r in results if r["median"] is not None]
    names = [f"{r['backend']}\n{r['status']}" for r in timed]
    medians = [float(r["median"]) for r in timed]  # type: ignore[arg-type]
    low = [m - float(r["min"]) for m, r in zip(medians, timed)]  # type: ignore[arg-type]
    high = [float(r["max"]) - m for m, r in zip(medians, timed)]  # type: ignore[arg-type]
    fig, ax = plt.subplots(figsize=(max(4.0, 1.4 * len(timed) + 2), 4))
    ax.bar(names, medians, yerr=[low, high], capsize=6, color="#4878a8")
    ax.set_ylabel("seconds per solve (median, min-max)")
    ax.set_title(f"csql bench {title}".strip())
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


# ---- helpers ----------------------------------------------------------------------------------


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _seconds(value: object) -> str:
    return "" if value is None else f"{float(value):.3f}"  # type: ignore[arg-type]


def print_table(header: list[str], rows: list) -> None:
    text_rows = [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in text_rows]) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in text_rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())


def main(argv: list[str] | None = None) -> int:
    """`python -m csql.cli_backends --matrix [-o FILE]`: the capability matrix."""
    parser = argparse.ArgumentParser(prog="python -m csql.cli_backends")
    parser.add_argument("--matrix", action="store_true", required=True)
    parser.add_argument("-o", "--output", metavar="FILE")
    args = parser.parse_args(argv)
    text = capability_matrix() + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_SOLVED


if __name__ == "__main__":
    sys.exit(main())
