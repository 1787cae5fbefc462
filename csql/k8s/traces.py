"""Workloads to replay: DCM's Azure-derived format, the Alibaba 2023 GPU trace, and a seeded
synthetic generator with the same knobs. Each yields `Deployment`s: identical pods that
arrive together and leave after a lifetime.

The affinity fraction F (percent) of deployments gets, as in the seeds' benchmarks, required
anti-affinity among its replicas (one per node) and a required node affinity to two of the
cluster's four zones.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .objects import (
    HOSTNAME,
    ZONE,
    LabelSelector,
    Node,
    NodeAffinityTerm,
    Pod,
    PodAffinityTerm,
    Requirement,
)

ZONES = ("zone-0", "zone-1", "zone-2", "zone-3")
GPU = "nvidia.com/gpu"
GPU_MODEL = "alibaba.com/gpu-model"
QOS_PRIORITY = {"LS": 1000, "Guaranteed": 1000, "Burstable": 500, "BE": 0}


@dataclass(frozen=True, slots=True)
class Deployment:
    time: float  # arrival, seconds of the emulated clock
    pods: tuple[Pod, ...]
    lifetime: float | None  # None: the pods never leave


def emulated_nodes(count: int, cpu: int = 2000, memory: int = 2000, pods: int = 110
                   ) -> list[Node]:
    """DCM's EmulatedCluster nodes: 2 cores, 2000 MiB, 110 pods; spread over four zones."""
    return [Node(f"node-{i}", {"cpu": cpu, "memory": memory, "pods": pods},
                 {ZONE: ZONES[i % len(ZONES)]}) for i in range(count)]


def _deployment(index: int, time: float, cpu: int, memory: int, replicas: int,
                lifetime: float | None, affine: bool, rng: random.Random, nodes: int,
                priority: int = 0, extra: dict[str, int] | None = None,
                node_terms: tuple[NodeAffinityTerm, ...] = ()) -> Deployment:
    app = f"app-{index}"
    affinity: tuple[PodAffinityTerm, ...] = ()
    terms = node_terms
    if affine:
        if replicas < nodes:
            affinity = (PodAffinityTerm(LabelSelector.of({"app": app}), HOSTNAME, anti=True),)
        zones = tuple(sorted(rng.sample(ZONES, 2)))
        terms = terms or (NodeAffinityTerm((Requirement(ZONE, "In", zones),)),)
    requests = {"cpu": cpu, "memory": memory, **(extra or {})}
    pods = tuple(Pod(f"{app}-{r}", requests, owner=app, labels={"app": app},
                     priority=priority, affinity=affinity, required_node_affinity=terms)
                 for r in range(replicas))
    return Deployment(time, pods, lifetime)


def read_azure(path: str | Path, *, nodes: int, cpu_scale: float = 100, mem_scale: float = 200,
               time_scale: float = 100, lifetime: float | None = None, affinity: int = 0,
               seed: int = 0, limit: int | None = None) -> list[Deployment]:
    """DCM's trace lines `sub dep start end cores mem_gb count`: cores / cpu_scale cores,
    mem_gb / mem_scale GiB, times / time_scale. `lifetime` None takes the trace's
    (end - start) / time_scale; DCM's emulation used a fixed 5 s."""
    rng = random.Random(seed)
    out: list[Deployment] = []
    for index, line in enumerate(Path(path).read_text().splitlines()):
        fields = line.split()
        if len(fields) != 7:
            continue
        start, end = float(fields[2]), float(fields[3])
        cores, mem = float(fields[4].lstrip(">")), float(fields[5].lstrip(">"))
        count = int(fields[6])
        life = lifetime if lifetime is not None else max((end - start) / time_scale, 1.0)
        out.append(_deployment(
            index, start / time_scale, max(1, int(cores * 1000 / cpu_scale)),
            max(1, int(mem * 1024 / mem_scale)), count, life,
            rng.random() * 100 < affinity, rng, nodes))
        if limit is not None and len(out) >= limit:
            break
    return sorted(out, key=lambda d: d.time)


def synthetic(*, nodes: int, deployments: int = 100, waves: int = 3, interval: float = 30,
              max_replicas: int = 20, affinity: int = 0, seed: int = 0,
              lifetime: float | None = 60, cpu_scale: float = 100, mem_scale: float = 200
              ) -> list[Deployment]:
    """DCM's generated-data shape: waves of deployments with 1-8 cores, 1-32 GB and 1 to
    `max_replicas` replicas, scaled like the Azure lines."""
    rng = random.Random(seed)
    out = []
    for i in range(deployments):
        wave = i * waves // max(deployments, 1)
        cores, mem = rng.randint(1, 8), rng.randint(1, 32)
        out.append(_deployment(
            i, wave * interval, max(1, int(cores * 1000 / cpu_scale)),
            max(1, int(mem * 1024 / mem_scale)), rng.randint(1, max_replicas), lifetime,
            rng.random() * 100 < affinity, rng, nodes))
    return out


def read_alibaba_nodes(path: str | Path, limit: int | None = None) -> list[Node]:
    """`sn,cpu_milli,memory_mib,gpu,model`: GPUs as an extended resource, the model as a
    node label."""
    nodes = []
    with open(path, newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            if limit is not None and i >= limit:
                break
            labels = {ZONE: ZONES[i % len(ZONES)]}
            if row["model"]:
                labels[GPU_MODEL] = row["model"]
            alloc = {"cpu": int(row["cpu_milli"]), "memory": int(row["memory_mib"]),
                     "pods": 110, GPU: int(row["gpu"] or 0)}
            nodes.append(Node(row["sn"], alloc, labels))
    return nodes


def read_alibaba_pods(path: str | Path, *, time_scale: float = 1000, affinity: int = 0,
                      seed: int = 0, limit: int | None = None, nodes: int = 1000
                      ) -> list[Deployment]:
    """One deployment per pod: cpu_milli, memory_mib, num_gpu GPUs (GPU sharing is not
    modelled: a fractional GPU takes a whole one), gpu_spec as node affinity on the GPU
    model, qos as priority, lifetime from the trace."""
    rng = random.Random(seed)
    out = []
    with open(path, newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            if limit is not None and i >= limit:
                break
            created = float(row["creation_time"] or 0)
            deleted = row["deletion_time"]
            life = (float(deleted) - created) / time_scale if deleted else None
            gpus = int(row["num_gpu"] or 0)
            spec = tuple(s for s in (row["gpu_spec"] or "").split("|") if s)
            terms = (NodeAffinityTerm((Requirement(GPU_MODEL, "In", spec),)),) if spec else ()
            out.append(_deployment(
                i, created / time_scale, int(row["cpu_milli"]), int(row["memory_mib"]), 1,
                life, rng.random() * 100 < affinity, rng, nodes,
                priority=QOS_PRIORITY.get(row["qos"], 0),
                extra={GPU: gpus} if gpus else None, node_terms=terms))
    return sorted(out, key=lambda d: d.time)


def arrivals(deployments: list[Deployment]) -> Iterator[tuple[float, list[Deployment]]]:
    """Deployments grouped by arrival time."""
    group: list[Deployment] = []
    for d in sorted(deployments, key=lambda d: d.time):
        if group and d.time != group[0].time:
            yield group[0].time, group
            group = []
        group.append(d)
    if group:
        yield group[0].time, group
