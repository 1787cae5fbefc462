"""Generated programs and metamorphic checks as a campaign (CI: 200 programs; soak: more).

Every generated program runs on every available backend through the same harness as the case
files (status and optimum must agree, every answer certified by the SQL oracle); then its
variants (renamed, rows permuted, conjunctions split, constant filters moved between WHERE
and JOIN ON, translated to the other dialects, a redundant constraint added) run on one
backend and must keep the status and the optimum. A failure is shrunk by hypothesis and the
smallest failing program is saved as a case file under `conformance/cases/regressions/`.

    python -m csql.conformance_meta --count 10000 --seed 7
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from csql.conformance import FAIL, Case, Databases, backend_availability
from csql.conformance_gen import GenProgram, programs, variants

# next to the case files of the checkout this module belongs to, whatever the working directory
REGRESSIONS = Path(__file__).resolve().parent.parent / "conformance" / "cases" / "regressions"


def ci_campaign() -> tuple[int, int]:
    """(count, seed) of the generated programs the test suite runs: 200 from seed 20240611,
    or CSQL_CONFORMANCE_COUNT / CSQL_CONFORMANCE_SEED to reproduce or widen a run."""
    return (int(os.environ.get("CSQL_CONFORMANCE_COUNT", "200")),
            int(os.environ.get("CSQL_CONFORMANCE_SEED", "20240611")))


@dataclass
class CampaignResult:
    seed: int
    count: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    failure: str | None = None
    saved: Path | None = None
    seconds: float = 0.0


def check_program(program: GenProgram, availability: dict[str, str], metamorphic: bool = True,
                  seed: int = 0, pool: Databases | None = None) -> tuple[str | None, list[str]]:
    """(the agreed status, problems). Problems name the backend or the variant."""
    from csql.conformance_run import run_case

    pool = pool or Databases()
    case = program.case("generated")
    outcomes = run_case(case, availability, ("duckdb",), pool)
    problems = [f"{o.backend}: {o.detail}" for o in outcomes if o.verdict == FAIL]
    solved = [o for o in outcomes if o.status is not None]
    if problems or not solved:
        return None, problems or ["no backend answered"]
    status, objective = solved[0].status, solved[0].objective
    if not metamorphic:
        return status, []
    reference = {b: r for b, r in availability.items() if not r}
    first = next(iter(reference), None)
    for label, variant in variants(program, seed).items():
        [got] = run_case(variant.case(label), {first: ""}, ("duckdb",), pool) if first else [None]
        if got is None:
            continue
        if got.verdict == FAIL:
            problems.append(f"variant {label} on {first}: {got.detail}")
        elif got.status is not None and (got.status, got.objective) != (status, objective):
            problems.append(f"variant {label} on {first}: {got.status} {got.objective}, "
                            f"original: {status} {objective}")
    return status, problems


def campaign(count: int, seed: int, *, backends: list[str] | None = None,
             metamorphic: bool = True, save_dir: Path | None = REGRESSIONS,
             progress: bool = False) -> CampaignResult:
    """Run `count` generated programs from `seed`; stops at the first failure, shrinks it,
    saves it (when `save_dir`), and reports it in the result."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hypothesis_seed

    availability = backend_availability(backends)
    pool = Databases()
    result = CampaignResult(seed=seed)
    last_failure: list[tuple[GenProgram, list[str]]] = []
    started = time.perf_counter()

    @hypothesis_seed(seed)
    @settings(max_examples=count, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(programs())
    def one(program: GenProgram) -> None:
        status, problems = check_program(program, availability, metamorphic, seed, pool)
        if problems:
            last_failure.append((program, problems))
            raise AssertionError("; ".join(problems))
        result.count += 1
        result.statuses[status or "?"] = result.statuses.get(status or "?", 0) + 1
        if progress and result.count % 50 == 0:
            print(f"  {result.count} programs, {result.statuses}, "
                  f"{time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)

    try:
        one()
    except AssertionError:
        program, problems = last_failure[-1]  # hypothesis replays the shrunk example last
        result.failure = "; ".join(problems)
        if save_dir is not None:
            result.saved = save_regression(program, problems, save_dir, seed)
    result.seconds = time.perf_counter() - started
    return result


def campaign_parallel(count: int, seed: int, jobs: int, **options) -> list[CampaignResult]:
    """`jobs` campaigns side by side in worker processes, seeds seed, seed + 1, ...; the
    counts add up to `count`."""
    if jobs <= 1:
        return [campaign(count, seed, **options)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    shares = [count // jobs + (1 if i < count % jobs else 0) for i in range(jobs)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as executor:
        futures = [executor.submit(campaign, n, seed + i, **options)
                   for i, n in enumerate(shares) if n]
        return [f.result() for f in futures]


def save_regression(program: GenProgram, problems: list[str], directory: Path, seed: int
                    ) -> Path:
    """The failing program as a case file. Its expectation is left for a person to work out
    by hand (`@expect` is what the first backend said; check it before trusting it)."""
    directory.mkdir(parents=True, exist_ok=True)
    case: Case = program.case("regression")
    number = 1 + len(list(directory.glob("generated_*.sql")))
    path = directory / f"generated_{seed}_{number}.sql"
    comment = "\n".join(f"-- {line}" for line in problems[:5])
    text = ("-- @expect OPTIMAL\n-- @covers generated regression\n"
            f"-- Found by the generator (seed {seed}); the problem it showed:\n{comment}\n"
            "-- Work out the expected status and objective by hand before committing.\n"
            + case.program + "-- @data\n" + case.data)
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="generated-program and metamorphic campaign")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--backend", action="append", default=[])
    parser.add_argument("--no-metamorphic", action="store_true")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes, each with its own seed (default: one per CPU)")
    args = parser.parse_args(argv)
    print(f"campaign: {args.count} programs, seed {args.seed}, {args.jobs} job(s) "
          f"(seeds {args.seed}..{args.seed + max(args.jobs, 1) - 1})", flush=True)
    results = campaign_parallel(args.count, args.seed, args.jobs,
                                backends=args.backend or None,
                                metamorphic=not args.no_metamorphic,
                                save_dir=None if args.no_save else REGRESSIONS, progress=True)
    failed = 0
    for result in results:
        print(f"seed {result.seed}: {result.count} programs passed in {result.seconds:.0f}s; "
              f"statuses {result.statuses}", flush=True)
        if result.failure:
            failed += 1
            print(f"FAILED (seed {result.seed}): {result.failure}"
                  + (f"\nsaved as {result.saved}" if result.saved else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
