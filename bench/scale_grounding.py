"""How compile, relation evaluation, grounding and solving scale with the data.

DCM's load-balancing program (examples/load_balancing) at 100, 1,000 and 10,000 physical
machines with 5 VMs per machine, on an embedded DuckDB. Each size runs in its own process so
that its peak memory (max RSS) is its own. Prints one JSON object: per size the seconds of each
phase, problem size and peak memory, and the ratio of grounding time between consecutive sizes
(10x data should cost at most about 10x: a ratio above 12 is a bug to fix).

    python bench/scale_grounding.py [--sizes 100,1000,10000] [--solve-up-to 1000]
                                    [--time-limit 10] [--repeat 3] [--plot out.png]

Solving is attempted up to `--solve-up-to` machines: every VM may go to every machine, so the
CP-SAT encoding has machines x VMs assignment literals (5*10^8 at 10,000 machines), which no
solver takes in memory; larger sizes report grounding only and say so.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "examples" / "load_balancing" / "program.sql"


def generate(db, machines: int, vms_per_machine: int) -> None:
    """Deterministic data made by the database itself (fast at any size)."""
    db.execute(
        "INSERT INTO physical_machine "
        "SELECT 'pm' || i, 200 + (i % 7) * 25, 1024 + (i % 5) * 256 FROM range(?) t(i)",
        (machines,))
    db.execute(
        "INSERT INTO virtual_machine "
        "SELECT 'vm' || i, 5 + (i % 11) * 3, 32 + (i % 13) * 16, NULL FROM range(?) t(i)",
        (machines * vms_per_machine,))


def run_one(machines: int, vms_per_machine: int, solve: bool, time_limit: float) -> dict:
    import csql
    from csql.core.grounding import ground

    # Warm the process first (imports, caches, allocator arenas) on a tiny instance, as a
    # long-running controller is warm: the measured run then shows what grows with the data.
    warm = csql.compile(PROGRAM.read_text(), str(PROGRAM.name))
    warm_db = csql.connect("duckdb://")
    warm.prepare(warm_db)
    generate(warm_db, 10, vms_per_machine)
    ground(warm.program, warm_db)
    warm_db.close()

    started = time.perf_counter()
    model = csql.compile(PROGRAM.read_text(), str(PROGRAM.name))
    compiled = time.perf_counter()
    db = csql.connect("duckdb://")
    model.prepare(db)
    generate(db, machines, vms_per_machine)
    loaded = time.perf_counter()
    out: dict[str, object] = {
        "machines": machines,
        "vms": machines * vms_per_machine,
        "compile_s": compiled - started,
        "load_data_s": loaded - compiled,
    }
    if solve:
        solution = model.solve(db, time_limit=time_limit, workers=2)
        seconds = solution.stats["seconds"]
        out.update({
            "relation_s": seconds["relations"],
            "grounding_s": seconds["grounding"],
            "solve_s": seconds["backend_total"],
            "certify_s": seconds["certify"],
            "status": solution.status.value,
            "objective": solution.objective,
            "problem": solution.stats["problem"],
        })
    else:
        grounding = ground(model.program, db)
        out.update({
            "relation_s": grounding.stats.get("relation_seconds"),
            "grounding_s": grounding.stats.get("grounding_seconds"),
            "solve_s": None,
            "status": None,
            "solve_skipped": f"{machines} x {machines * vms_per_machine} assignment literals",
            "problem": grounding.problem.size(),
        })
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--vms-per-machine", type=int, default=5)
    parser.add_argument("--solve-up-to", type=int, default=1000)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (medians)")
    parser.add_argument("--plot", help="write a PNG of the phases per size")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: child process
    args = parser.parse_args()

    if args.one is not None:
        result = run_one(args.one, args.vms_per_machine, args.one <= args.solve_up_to,
                         args.time_limit)
        print(json.dumps(result))
        return 0

    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        runs = []
        for _ in range(args.repeat):
            child = subprocess.run(
                [sys.executable, __file__, "--one", str(size), "--vms-per-machine",
                 str(args.vms_per_machine), "--solve-up-to", str(args.solve_up_to),
                 "--time-limit", str(args.time_limit)],
                capture_output=True, text=True, check=False)
            if child.returncode != 0:
                print(child.stderr, file=sys.stderr)
                return 1
            runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
        results.append(median_run(runs))
    ratios = []
    for small, large in zip(results, results[1:]):
        ratio = large["grounding_s"] / max(small["grounding_s"], 1e-9)
        ratios.append({"from": small["machines"], "to": large["machines"],
                       "data_ratio": large["vms"] / small["vms"],
                       "grounding_ratio": round(ratio, 2),
                       "relation_ratio": round(
                           large["relation_s"] / max(small["relation_s"], 1e-9), 2)})
    report = {"benchmark": "scale_grounding", "program": "examples/load_balancing",
              "results": results, "ratios": ratios}
    print(json.dumps(report, indent=2))
    if args.plot:
        plot(results, args.plot)
    return 0


def median_run(runs: list[dict]) -> dict:
    """One result per size: the median of every timing over the repeats (the machines are
    noisy), the other fields from the first run, and the raw timings kept alongside."""
    out = dict(runs[0])
    for key, value in runs[0].items():
        if key.endswith("_s") and value is not None:
            out[key] = statistics.median(r[key] for r in runs)
            out[key + "_runs"] = [round(r[key], 4) for r in runs]
    out["peak_rss_mib"] = max(r["peak_rss_mib"] for r in runs)
    out["repeats"] = len(runs)
    return out


def plot(results: list[dict], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["machines"] for r in results]
    fig, ax = plt.subplots(figsize=(6, 4))
    for key, label in (("compile_s", "compile"), ("relation_s", "relations"),
                       ("grounding_s", "grounding"), ("solve_s", "solve")):
        points = [(s, r[key]) for s, r in zip(sizes, results) if r.get(key) is not None]
        if points:
            ax.plot(*zip(*points), marker="o", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("physical machines (5 VMs each)")
    ax.set_ylabel("seconds")
    ax.set_title("load balancing: time per phase")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    sys.exit(main())
