"""`python -m csql.k8s.demo`: a small replay on the bundled DCM Azure sample trace (42 pods
on 20 emulated nodes, half the deployments with anti-affinity), csql and the baseline side
by side. The arguments go through `csql k8s simulate`'s own parser, so the demo runs exactly
what that command would."""

from __future__ import annotations

import argparse
from importlib import resources

from csql.cli_k8s import add_parser, simulate, summary_table


def demo_arguments(scheduler: str) -> argparse.Namespace:
    trace = resources.files("csql.k8s").joinpath("traces").joinpath("azure-dcm-sample.txt")
    parser = argparse.ArgumentParser(prog="csql")
    add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["k8s", "simulate", "--nodes", "20", "--trace", str(trace),
                              "--affinity", "50", "--scheduler", scheduler, "--seed", "1",
                              "--quiet"])


def main() -> None:
    for scheduler in ("csql", "baseline"):
        print(summary_table(simulate(demo_arguments(scheduler)).summary()))
        print()


if __name__ == "__main__":
    main()
