"""What an explanation costs next to the infeasible solve it explains.

DCM's load-balancing program (examples/load_balancing) made infeasible the way issue 5 asks:
the VMs of one size class (cpu 35, one VM in eleven) are pinned to machine pm0, which holds
200 CPU, far fewer than they need. Sizes are numbers of VMs (100, 1,000, 5,000 by default),
with one machine per `--vms-per-machine` VMs. For every available backend and size, in a
child process of its own, three solves of the same data:

* `plain`: `Model.solve` without an explanation (grounding + the INFEASIBLE answer);
* `constraints`: `explain=True`, the minimal set of statements;
* `rows`: `explain="rows"`, the minimal set of rows and groups of them;

and reports seconds of each, the explanation's own share, the core found and the ratio
explanation / plain solve. Goal (issue 5): constraint level within 2x the infeasible solve on
CP-SAT at 1,000 VMs. Prints one JSON object.

    python bench/explain_cost.py [--sizes 100,1000,5000] [--backends cpsat,smt]
                                 [--vms-per-machine 5] [--time-limit 120]

An explanation is only asked for when the plain solve says INFEASIBLE: a backend that answers
UNKNOWN within the limit has nothing to explain, and its `constraints`/`rows` entries say
UNKNOWN too.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "examples" / "load_balancing" / "program.sql"

PIN = """
-- The infeasible variant: every VM of the cpu-35 class must go to pm0 (capacity 200).
CREATE CONSTRAINT pin_large_to_pm0 AS
    SELECT * FROM virtual_machine WHERE virtual_machine.cpu = 35
    CHECK controllable__physical_machine = 'pm0';
"""


def generate(db, vms: int, vms_per_machine: int) -> None:
    """The data of bench/scale_grounding.py, made by the database itself."""
    machines = max(2, vms // vms_per_machine)
    db.execute(
        "INSERT INTO physical_machine "
        "SELECT 'pm' || i, 200 + (i % 7) * 25, 1024 + (i % 5) * 256 FROM range(?) t(i)",
        (machines,))
    db.execute(
        "INSERT INTO virtual_machine "
        "SELECT 'vm' || i, 5 + (i % 11) * 3, 32 + (i % 13) * 16, NULL FROM range(?) t(i)",
        (vms,))


def run_one(backend: str, vms: int, vms_per_machine: int, time_limit: float) -> dict:
    import csql

    model = csql.compile(PROGRAM.read_text() + PIN, "load_balancing_pinned.sql")
    db = csql.connect("duckdb://")
    model.prepare(db)
    generate(db, vms, vms_per_machine)
    out: dict[str, object] = {"backend": backend, "vms": vms,
                              "machines": max(2, vms // vms_per_machine)}
    for label, explain in (("plain", False), ("constraints", True), ("rows", "rows")):
        started = time.perf_counter()
        solution = model.solve(db, backend=backend, time_limit=time_limit, workers=1,
                               explain=explain)
        wall = time.perf_counter() - started
        entry: dict[str, object] = {"status": solution.status.value, "seconds": wall}
        explained = solution.stats.get("explain")
        if isinstance(explained, dict):
            entry["explain_seconds"] = explained.get("total_seconds")
            entry["solves"] = explained.get("solves")
            entry["minimal"] = explained.get("minimal")
            entry["cores"] = explained.get("cores")
            entry["regrounded"] = explained.get("regrounded")
            entry["answered_without_solver"] = explained.get("answered_without_solver")
            entry["sessions"] = [explained[k].get("session") for k in
                                 ("constraint_level", "row_level")
                                 if isinstance(explained.get(k), dict)]
            entry["core"] = {m.constraint: len(m.rows) for m in solution.core or ()}
        else:
            entry["problem"] = solution.stats.get("problem")
        out[label] = entry
    plain = out["plain"]["seconds"]  # type: ignore[index]
    for label in ("constraints", "rows"):
        extra = out[label].get("explain_seconds")  # type: ignore[union-attr]
        if isinstance(extra, (int, float)) and plain:
            out[label]["ratio_to_plain"] = round(extra / plain, 2)  # type: ignore[index]
    return out


def available_backends() -> list[str]:
    from csql.backends.base import get_backend, registered
    from csql.ir.errors import CsqlError

    names = []
    for name in sorted(registered()):
        try:
            if get_backend(name).available().ok:
                names.append(name)
        except CsqlError:
            continue
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="numbers of VMs")
    parser.add_argument("--backends", help="comma-separated; default: every available one")
    parser.add_argument("--vms-per-machine", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=120.0,
                        help="seconds per solve (each of the three)")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: "backend:vms"
    args = parser.parse_args()

    if args.one is not None:
        backend, _, vms = args.one.partition(":")
        print(json.dumps(run_one(backend, int(vms), args.vms_per_machine, args.time_limit)))
        return 0

    backends = args.backends.split(",") if args.backends else available_backends()
    results = []
    for backend in backends:
        for size in [int(s) for s in args.sizes.split(",")]:
            try:
                child = subprocess.run(
                    [sys.executable, __file__, "--one", f"{backend}:{size}",
                     "--vms-per-machine", str(args.vms_per_machine),
                     "--time-limit", str(args.time_limit)],
                    capture_output=True, text=True, check=False,
                    timeout=4 * args.time_limit + 120)
            except subprocess.TimeoutExpired:
                results.append({"backend": backend, "vms": size, "error": "timed out"})
                continue
            if child.returncode != 0:
                tail = child.stderr.strip().splitlines()[-3:]
                results.append({"backend": backend, "vms": size, "error": " | ".join(tail)})
                continue
            results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    goal = next((r for r in results if r.get("backend") == "cpsat" and r.get("vms") == 1000
                 and "constraints" in r), None)
    report: dict[str, object] = {"benchmark": "explain_cost", "program":
                                 "examples/load_balancing + pin_large_to_pm0",
                                 "vms_per_machine": args.vms_per_machine, "results": results}
    if goal is not None:
        ratio = goal["constraints"].get("ratio_to_plain")
        report["goal"] = {"what": "constraint level within 2x the infeasible solve, CP-SAT, "
                                  "1,000 VMs", "ratio": ratio,
                          "met": isinstance(ratio, (int, float)) and ratio <= 2.0}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
