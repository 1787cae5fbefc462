"""`csql k8s simulate`: replay a trace on an emulated cluster with the csql scheduler or the
filter-score baseline, print a summary table, write JSON results and a latency plot."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    k8s = sub.add_parser("k8s", help="the Kubernetes scheduler (emulated cluster)")
    k8s_sub = k8s.add_subparsers(dest="k8s_command", required=True)
    sim = k8s_sub.add_parser("simulate", help="replay a trace on an emulated cluster")
    sim.add_argument("--nodes", type=int, default=100)
    sim.add_argument("--trace", default="synthetic",
                     help="'synthetic', a DCM Azure-format file, or an Alibaba 2023 pod CSV")
    sim.add_argument("--alibaba-nodes", help="Alibaba node CSV (with an Alibaba pod trace)")
    sim.add_argument("--affinity", type=int, default=0,
                     help="percent of deployments with anti-affinity and node affinity")
    sim.add_argument("--scheduler", choices=("csql", "baseline"), default="csql")
    sim.add_argument("--backend", default="cpsat")
    sim.add_argument("--batch-size", type=int, default=50)
    sim.add_argument("--time-limit", type=float, default=5.0)
    sim.add_argument("--workers", type=int, default=1, help="CP-SAT search workers")
    sim.add_argument("--candidates", type=int, default=16,
                     help="candidate nodes kept per pod (top-k by score; 0 keeps all)")
    sim.add_argument("--limit", type=int, help="replay only the first N trace lines")
    sim.add_argument("--deployments", type=int, default=40, help="synthetic deployments")
    sim.add_argument("--seed", type=int, default=0)
    sim.add_argument("--out", help="write the results as JSON here")
    sim.add_argument("--plot", help="draw the latency CDF and breakdown here (PNG)")
    sim.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    replay = simulate(args)
    summary = replay.summary()
    print(summary_table(summary))
    if args.out:
        Path(args.out).write_text(json.dumps(replay.to_json(), indent=1, default=str))
    if args.plot:
        plot_latency({summary["scheduler"]: replay.to_json()}, args.plot)
    return 0


def simulate(args: argparse.Namespace):
    from csql.k8s.emulation import EmulatedCluster

    nodes, deployments = workload(args)
    scheduler = make_scheduler(args)
    cluster = EmulatedCluster(scheduler, nodes)
    progress = None if args.quiet else _progress_bar(time.perf_counter())
    replay = cluster.replay(deployments, progress)
    if progress is not None:
        print(file=sys.stderr)
    return replay


def make_scheduler(args: argparse.Namespace):
    if args.scheduler == "baseline":
        from csql.k8s.baseline import BaselineScheduler

        return BaselineScheduler(seed=args.seed)
    from csql.k8s.scheduler import CsqlScheduler

    return CsqlScheduler(backend=args.backend, batch_size=args.batch_size,
                         time_limit=args.time_limit, candidate_limit=args.candidates,
                         workers=args.workers)


def workload(args: argparse.Namespace):
    from csql.k8s import traces

    if args.trace == "synthetic":
        return (traces.emulated_nodes(args.nodes),
                traces.synthetic(nodes=args.nodes, deployments=args.deployments,
                                 affinity=args.affinity, seed=args.seed))
    path = Path(args.trace)
    if path.suffix == ".csv":
        nodes = (traces.read_alibaba_nodes(args.alibaba_nodes, limit=args.nodes)
                 if args.alibaba_nodes else traces.emulated_nodes(args.nodes, 96000, 393216))
        return nodes, traces.read_alibaba_pods(path, affinity=args.affinity, seed=args.seed,
                                               limit=args.limit, nodes=len(nodes))
    return (traces.emulated_nodes(args.nodes),
            traces.read_azure(path, nodes=args.nodes, affinity=args.affinity, seed=args.seed,
                              limit=args.limit))


def _progress_bar(started: float):
    def show(done: int, total: int, replay) -> None:
        width = 30
        filled = int(width * done / max(total, 1))
        placed = sum(len(b.placed) for b in replay.batches)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} pods "
                         f"arrived, {placed} placed, {len(replay.batches)} batches, "
                         f"{time.perf_counter() - started:.1f}s")
        sys.stderr.flush()

    return show


def summary_table(s: dict[str, Any]) -> str:
    rows = [
        ("scheduler", s["scheduler"]), ("nodes", s["nodes"]),
        ("pods arrived", s["pods_arrived"]), ("placements", s["placements"]),
        ("never placed", s["never_placed"]), ("running at end", s["running"]),
        ("evictions", s["evictions"]), ("batches", s["batches"]),
        ("batch latency p50 / p95 / p99 (s)",
         f"{s['latency_p50']:.3f} / {s['latency_p95']:.3f} / {s['latency_p99']:.3f}"),
        ("mean breakdown (s)", ", ".join(f"{k} {v:.3f}" for k, v in
                                         s["latency_mean_breakdown"].items()) or "-"),
        ("pods/s (scheduling time)", f"{s['pods_per_second']:.1f}"),
        ("soft-constraint violations", s["soft_violations"]),
        ("zone skew per owner max / mean", f"{s['zone_skew_max']} / {s['zone_skew_mean']:.2f}"),
        ("cpu fragmentation", f"{s['fragmentation']:.3f}"),
        ("solver statuses", ", ".join(f"{k} {v}" for k, v in s["statuses"].items())),
        ("all solves (splits)", ", ".join(f"{k} {v}" for k, v in
                                          s.get("solve_statuses", {}).items())
         + f" ({s.get('splits', 0)} splits)"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def plot_latency(results: dict[str, dict[str, Any]], path: str) -> None:
    """Latency CDF per scheduler and the csql breakdown (needs matplotlib)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (cdf, parts) = plt.subplots(1, 2, figsize=(11, 4))
    for name, data in results.items():
        values = sorted(b["seconds"].get("total", 0.0) for b in data["batches"])
        if values:
            cdf.plot(values, [(i + 1) / len(values) for i in range(len(values))], label=name)
        breakdown = data["summary"]["latency_mean_breakdown"]
        keys = [k for k in breakdown if breakdown[k] > 0]
        if keys:
            parts.bar([f"{name}\n{k}" for k in keys], [breakdown[k] for k in keys])
    cdf.set_xlabel("batch latency (s)")
    cdf.set_ylabel("fraction of batches")
    cdf.set_xscale("log")
    cdf.legend()
    parts.set_ylabel("mean seconds per batch")
    parts.tick_params(axis="x", labelsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
