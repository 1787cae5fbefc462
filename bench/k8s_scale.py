"""Scheduler scale benchmark: csql vs the filter-score baseline on the same synthetic trace.

    .venv/bin/python bench/k8s_scale.py --nodes 500 5000 --affinity 0 50 100 \
        --deployments 20 --max-replicas 10 --out bench/out/k8s_scale.json \
        --plot bench/out/k8s_scale.png

Prints one JSON object (summary per run) and optionally draws the latency CDFs, the csql
latency breakdown and the placed pods per run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from csql.k8s.baseline import BaselineScheduler
from csql.k8s.emulation import EmulatedCluster
from csql.k8s.scheduler import CsqlScheduler
from csql.k8s.traces import emulated_nodes, synthetic


def run_one(scheduler: str, nodes: int, affinity: int, args) -> dict:
    if scheduler == "csql":
        s = CsqlScheduler(backend=args.backend, time_limit=args.time_limit,
                          candidate_limit=args.candidates, batch_size=args.batch_size,
                          workers=args.workers)
    else:
        s = BaselineScheduler(seed=args.seed)
    trace = synthetic(nodes=nodes, deployments=args.deployments, affinity=affinity,
                      seed=args.seed, max_replicas=args.max_replicas)
    replay = EmulatedCluster(s, emulated_nodes(nodes)).replay(trace)
    out = replay.to_json()
    out["summary"]["affinity"] = affinity
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nodes", type=int, nargs="+", default=[500, 5000])
    p.add_argument("--affinity", type=int, nargs="+", default=[0, 50, 100])
    p.add_argument("--schedulers", nargs="+", default=["csql", "baseline"])
    p.add_argument("--deployments", type=int, default=40)
    p.add_argument("--max-replicas", type=int, default=20)
    p.add_argument("--backend", default="cpsat")
    p.add_argument("--time-limit", type=float, default=5.0)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--candidates", type=int, default=16)
    p.add_argument("--batch-size", type=int, default=50)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out")
    p.add_argument("--plot")
    args = p.parse_args(argv)
    for path in (args.out, args.plot):
        if path:
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    runs = {}
    for n in args.nodes:
        for f in args.affinity:
            for name in args.schedulers:
                key = f"{name} N={n} F={f}"
                print(f"running {key}", file=sys.stderr)
                runs[key] = run_one(name, n, f, args)
    summaries = {k: v["summary"] for k, v in runs.items()}
    print(json.dumps(summaries, indent=1, default=str))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(runs, f, indent=1, default=str)
    if args.plot:
        plot(runs, args.plot)
    return 0


def plot(runs: dict, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (cdf, parts, placed) = plt.subplots(1, 3, figsize=(16, 4.5))
    for key, data in runs.items():
        values = sorted(b["seconds"].get("total", 0.0) for b in data["batches"])
        if values:
            cdf.plot(values, [(i + 1) / len(values) for i in range(len(values))], label=key)
    cdf.set_xscale("log")
    cdf.set_xlabel("latency per batch (csql) or pod (baseline), s")
    cdf.legend(fontsize=6)
    csql_runs = {k: v for k, v in runs.items() if k.startswith("csql")}
    bottom = [0.0] * len(csql_runs)
    for part in ("database", "model", "solve", "reasons"):
        heights = [v["summary"]["latency_mean_breakdown"].get(part, 0.0)
                   for v in csql_runs.values()]
        parts.bar(list(csql_runs), heights, bottom=bottom, label=part)
        bottom = [b + h for b, h in zip(bottom, heights)]
    parts.set_ylabel("mean seconds per batch")
    parts.tick_params(axis="x", labelsize=6, rotation=30)
    parts.legend(fontsize=7)
    placed.bar(list(runs), [v["summary"]["running"] for v in runs.values()])
    placed.set_ylabel("pods running at the end")
    placed.tick_params(axis="x", labelsize=6, rotation=30)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


if __name__ == "__main__":
    raise SystemExit(main())
