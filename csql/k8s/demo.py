"""`python -m csql.k8s.demo`: a small replay on the bundled DCM Azure sample trace (42 pods
on 20 emulated nodes, half the deployments with anti-affinity), csql and the baseline side
by side."""

from __future__ import annotations

import argparse
from importlib import resources

from csql.cli_k8s import simulate, summary_table


def main() -> None:
    trace = resources.files("csql.k8s").joinpath("traces").joinpath("azure-dcm-sample.txt")
    for scheduler in ("csql", "baseline"):
        args = argparse.Namespace(
            nodes=20, trace=str(trace), alibaba_nodes=None, affinity=50,
            scheduler=scheduler, backend="cpsat", batch_size=50, time_limit=5.0,
            candidates=16, limit=None, deployments=0, seed=1, quiet=True)
        print(summary_table(simulate(args).summary()))
        print()


if __name__ == "__main__":
    main()
