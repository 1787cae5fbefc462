"""The `csql` command line (architecture §7: a stable contract that tests and users rely on).

Exit codes: 0 solved (OPTIMAL/FEASIBLE), 3 INFEASIBLE, 4 UNKNOWN, 2 bad program or input
(message on stderr with file:line:column), 1 internal error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from typing import TYPE_CHECKING

from csql.cli_program import loaded, read_source
from csql.ir.errors import BackendUnavailable, CsqlError, InternalError

if TYPE_CHECKING:
    from csql.core.solution import Solution

EXIT_SOLVED, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_UNKNOWN = 0, 1, 2, 3, 4
_EXPLAIN_LEVELS = ("constraints", "rows")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="csql", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    solve = sub.add_parser("solve", help="solve a program against a database")
    solve.add_argument("program", help="the C-SQL program (.sql)")
    solve.add_argument("--data", action="append", default=[], metavar="FILE.sql",
                       help="SQL script(s) loaded before solving (repeatable)")
    solve.add_argument("--db", metavar="URL",
                       help="duckdb:///file, sqlite:///file or postgresql://...; "
                            "default: an in-memory DuckDB")
    solve.add_argument("--backend", help="solver backend (default cpsat)")
    solve.add_argument("--time-limit", type=float, metavar="SECONDS")
    solve.add_argument("--workers", type=int)
    solve.add_argument("--explain", nargs="?", const="constraints",
                       choices=_EXPLAIN_LEVELS, metavar="rows",
                       help="on INFEASIBLE, name a minimal set of constraints that cannot hold "
                            "together; --explain=rows also names their rows (slower)")
    solve.add_argument("--json", action="store_true", help="print one JSON object")
    solve.add_argument("--apply", action="store_true",
                       help="write the solution (and loaded data) to the database")
    solve.add_argument("--no-certify", action="store_true",
                       help="skip the SQL oracle check of the answer (benchmarks only)")

    check = sub.add_parser("check", help="parse and type-check a program")
    check.add_argument("program")

    from csql.cli_backends import add_parsers as add_backend_parsers

    add_backend_parsers(sub)  # backends, export, bench
    from csql.cli_k8s import add_parser as add_k8s_parser

    add_k8s_parser(sub)  # k8s simulate
    from csql.conformance_report import add_parser as add_conformance_parser

    add_conformance_parser(sub)
    return parser


def _normalise_explain(argv: list[str]) -> list[str]:
    """`--explain PROGRAM.sql` means constraint level, not a level named PROGRAM.sql: an
    optional option value must not swallow the positional argument that follows it."""
    out = list(argv)
    for i, token in enumerate(out):
        if token == "--explain" and (i + 1 == len(out) or out[i + 1] not in _EXPLAIN_LEVELS):
            out[i] = "--explain=constraints"
    return out


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(_normalise_explain(sys.argv[1:] if argv is None else argv))
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "k8s":
            from csql import cli_k8s

            return cli_k8s.run(args)
        if args.command == "conformance":
            from csql.conformance_report import run_command

            return run_command(args)
        if args.command in ("backends", "export", "bench"):
            from csql import cli_backends

            return cli_backends.run(args)
        return _solve(args)
    except InternalError as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_INTERNAL
    except BackendUnavailable as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except CsqlError as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as exc:  # noqa: BLE001 - the contract: exit 1, a message, no bare traceback
        print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("CSQL_DEBUG"):
            traceback.print_exc()
        else:
            print("(set CSQL_DEBUG=1 for the traceback; please report this bug)", file=sys.stderr)
        return EXIT_INTERNAL


def _check(args: argparse.Namespace) -> int:
    import csql

    model = csql.compile(read_source(args.program), args.program)
    program = model.program
    print(f"{args.program}: ok — {len(program.tables)} tables, {len(program.data_views)} data "
          f"views, {len(program.symbolic_views)} symbolic views, "
          f"{len(program.constraints)} constraints")
    return EXIT_SOLVED


def _solve(args: argparse.Namespace) -> int:
    solve_kwargs = dict(backend=args.backend, time_limit=args.time_limit,
                        workers=args.workers, explain=args.explain,
                        certify=False if args.no_certify else None)
    solution: Solution | None = None
    with loaded(args, commit=args.apply) as (model, db):
        solution = model.solve(db, **solve_kwargs)
        if args.apply and solution.ok:
            solution.apply(db)
    assert solution is not None
    if args.json:
        print(json.dumps(solution.to_json(), default=_json_default, indent=None))
    else:
        _print_solution(solution)
    return {
        "OPTIMAL": EXIT_SOLVED, "FEASIBLE": EXIT_SOLVED,
        "INFEASIBLE": EXIT_INFEASIBLE, "UNKNOWN": EXIT_UNKNOWN,
    }[solution.status.value]


def _json_default(value: object) -> object:
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return]
    return str(value)


def _print_solution(solution: Solution) -> None:
    line = f"status: {solution.status.value}"
    if solution.objective is not None:
        line += f"   objective: {solution.objective}"
    print(line)
    for name, rows in solution.tables.items():
        print()
        changed = len(solution.changes.get(name, []))
        print(f"{name} ({len(rows)} rows, {changed} changed)")
        if rows:
            columns = list(rows[0])
            shown = rows[:50]
            _print_table(columns, [[row[c] for c in columns] for row in shown])
            if len(rows) > len(shown):
                print(f"... {len(rows) - len(shown)} more rows (use --json for all)")
    if solution.objective_terms:
        print()
        print("objective by statement: " + ", ".join(
            f"{t.statement} ({t.kind}) = {t.value}" for t in solution.objective_terms))
    if solution.core is not None:
        from csql.core.explain_render import render_core

        explained = solution.stats.get("explain", {})
        minimal = not isinstance(explained, dict) or explained.get("minimal", True) is not False
        print()
        print(render_core(solution.core, minimal=bool(minimal)))
    seconds = solution.stats.get("seconds", {})
    if isinstance(seconds, dict) and seconds:
        print()
        print("seconds: " + ", ".join(f"{k} {v:.3f}" for k, v in seconds.items()))


def _print_table(header: list[str], rows: list) -> None:
    text_rows = [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in text_rows]) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for row in text_rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)))


if __name__ == "__main__":
    sys.exit(main())
