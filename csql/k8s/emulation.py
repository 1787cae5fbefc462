"""An emulated cluster (no API server, like DCM's EmulatedCluster): N nodes, a clock, pod
arrivals and departures from a trace, binding straight into the state database.

The scheduler under test is anything with a `state` (ClusterState) and
`schedule_pending() -> list[BatchResult]`: `CsqlScheduler` or `BaselineScheduler`.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .metrics import placement_quality, summarise
from .objects import Node
from .scheduler import BatchResult
from .traces import Deployment, arrivals


@dataclass(slots=True)
class Replay:
    """Everything a replay measured: per-round results, quality at the end, the summary."""

    scheduler: str
    nodes: int
    batches: list[BatchResult] = field(default_factory=list)
    never_placed: int = 0
    arrived: int = 0
    wall_seconds: float = 0.0
    quality: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        out = summarise(self.batches, self.arrived, self.never_placed, self.wall_seconds)
        out.update(self.quality)
        out["scheduler"] = self.scheduler
        out["nodes"] = self.nodes
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "batches": [{"pods": b.pods, "placed": len(b.placed), "unplaced": len(b.unplaced),
                         "evicted": len(b.evicted), "status": b.status,
                         "statuses": b.statuses, "splits": b.splits,
                         "preemption": b.preemption, "seconds": b.seconds}
                        for b in self.batches],
        }


class EmulatedCluster:
    """Replays a trace against a scheduler on an in-process cluster."""

    def __init__(self, scheduler: Any, nodes: list[Node]) -> None:
        self.scheduler = scheduler
        self.state = scheduler.state
        self.state.add_nodes(nodes)

    def replay(self, deployments: list[Deployment],
               progress: Callable[[int, int, Replay], None] | None = None) -> Replay:
        replay = Replay(getattr(self.scheduler, "name", "?"), len(self.state.nodes))
        departures: list[tuple[float, int, list[str]]] = []
        groups = list(arrivals(deployments))
        total = sum(len(d.pods) for d in deployments)
        started = time.perf_counter()
        seq = 0
        for clock, group in groups:
            self._depart(departures, clock)
            for d in group:
                pods = [_unique(p, seq, i) for i, p in enumerate(d.pods)]
                seq += 1
                self.state.add_pods(pods, created=int(clock))
                replay.arrived += len(pods)
                if d.lifetime is not None:
                    heapq.heappush(departures, (clock + d.lifetime, seq, [p.key for p in pods]))
            replay.batches += self.scheduler.schedule_pending()
            if progress is not None:
                progress(replay.arrived, total, replay)
        replay.batches += self.scheduler.schedule_pending()
        replay.wall_seconds = time.perf_counter() - started
        placed_ever = {k for b in replay.batches for k in b.placed}
        replay.never_placed = replay.arrived - len(placed_ever)
        replay.quality = placement_quality(self.state)
        return replay

    def _depart(self, departures: list[tuple[float, int, list[str]]], clock: float) -> None:
        gone: list[str] = []
        while departures and departures[0][0] <= clock:
            gone += heapq.heappop(departures)[2]
        self.state.delete_pods(gone)


def _unique(pod, seq: int, index: int):
    """Trace pods get a uid unique over the whole replay."""
    from dataclasses import replace

    return replace(pod, uid=f"{pod.namespace}/{pod.name}-{seq}")
