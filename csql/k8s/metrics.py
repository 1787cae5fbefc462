"""What a replay reports: latency percentiles with their breakdown, throughput, and the
quality of the final placement (soft-constraint violations, spread skew, fragmentation)."""

from __future__ import annotations

from typing import Any

from .objects import ZONE, node_requirement_holds
from .state import ClusterState


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def summarise(batches: list, arrived: int, never_placed: int, wall: float) -> dict[str, Any]:
    latencies = [b.latency for b in batches]
    placed = sum(len(b.placed) for b in batches)
    busy = sum(latencies)
    parts = sorted({k for b in batches for k in b.seconds if k != "total"})
    breakdown = {k: sum(b.seconds.get(k, 0.0) for b in batches) / max(len(batches), 1)
                 for k in parts}
    return {
        "pods_arrived": arrived,
        "placements": placed,
        "never_placed": never_placed,
        "unplaced_attempts": sum(len(b.unplaced) for b in batches),
        "evictions": sum(len(b.evicted) for b in batches),
        "batches": len(batches),
        "latency_p50": percentile(latencies, 50),
        "latency_p95": percentile(latencies, 95),
        "latency_p99": percentile(latencies, 99),
        "latency_mean_breakdown": breakdown,
        "pods_per_second": placed / busy if busy > 0 else 0.0,
        "wall_seconds": wall,
        "statuses": _count(b.status for b in batches),
        "solve_statuses": _count(s for b in batches for s in getattr(b, "statuses", ())),
        "splits": sum(getattr(b, "splits", 0) for b in batches),
    }


def _count(items) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in items:
        out[i] = out.get(i, 0) + 1
    return out


def placement_quality(state: ClusterState) -> dict[str, Any]:
    """Soft violations (PreferNoSchedule taints not tolerated, preferred node affinity
    missed), zone skew per owner, and CPU fragmentation of the running placement."""
    nodes, pods = state.nodes, state.pods
    violations = 0
    per_owner: dict[str, dict[str, int]] = {}
    used: dict[str, int] = {n: 0 for n in nodes}
    requests: list[int] = []
    for key, node_name in state.binding.items():
        pod, node = pods.get(key), nodes.get(node_name)
        if pod is None or node is None:
            continue
        cpu = pod.all_requests().get("cpu", 0)
        used[node_name] += cpu
        requests.append(cpu)
        violations += sum(1 for t in node.taints if t.effect == "PreferNoSchedule"
                          and not any(tol.tolerates(t) for tol in pod.tolerations))
        if pod.preferred_node_affinity and not any(
                _term_holds(term, node.all_labels()) for term in pod.preferred_node_affinity):
            violations += 1
        if pod.owner is not None:
            zone = node.all_labels().get(ZONE, "")
            per_owner.setdefault(pod.owner, {})
            per_owner[pod.owner][zone] = per_owner[pod.owner].get(zone, 0) + 1
    zones = sorted({n.all_labels().get(ZONE, "") for n in nodes.values()})
    skews = [max(c.get(z, 0) for z in zones) - min(c.get(z, 0) for z in zones)
             for c in per_owner.values() if sum(c.values()) > 1]
    mean_request = sum(requests) / len(requests) if requests else 0
    free = {n: nodes[n].allocatable.get("cpu", 0) - used[n] for n in nodes}
    total_free = sum(max(v, 0) for v in free.values())
    stranded = sum(v for v in free.values() if 0 < v < mean_request)
    return {
        "running": len(state.binding),
        "soft_violations": violations,
        "zone_skew_max": max(skews, default=0),
        "zone_skew_mean": sum(skews) / len(skews) if skews else 0.0,
        "fragmentation": stranded / total_free if total_free else 0.0,
    }


def _term_holds(term, labels: dict[str, str]) -> bool:
    return all(node_requirement_holds(r, labels) for r in term.expressions)
