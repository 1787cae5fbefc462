"""kube-scheduler's FailedScheduling message for pods a round left unplaced.

Each node is counted once, under the first Filter plugin (in kube-scheduler's order) that
rejects it; resource fit lists every insufficient resource, as NodeResourcesFit does. Nodes
that pass every filter on their own were lost to the batch's joint constraints (capacity
taken by other pods of the batch, inter-pod rules, spread, gangs).
"""

from __future__ import annotations

from typing import Any

# (column of pod_node_filter, kube-scheduler's wording), in the order the plugins run.
FILTERS = (
    ("ok_condition", "node(s) had untolerated taint {node.kubernetes.io/not-ready: }"),
    ("ok_unschedulable", "node(s) were unschedulable"),
    ("ok_node_affinity", "node(s) didn't match Pod's node affinity/selector"),
    ("ok_taints", "node(s) had untolerated taint"),
    ("ok_ports", "node(s) didn't have free ports for the requested pod ports"),
    ("ok_fit", None),
    ("ok_anti_affinity", "node(s) didn't match pod anti-affinity rules"),
    ("ok_topology_keys", "node(s) didn't match pod affinity rules"),
)
JOINT = "node(s) were taken by the batch's joint constraints"


def unplaced_reasons(db: Any, keys: list[str], node_count: int) -> dict[str, str]:
    """pod -> "0/N nodes are available: ..." for pods whose batch is in `pod_node_filter`."""
    marks = ", ".join("?" * len(keys))
    columns = ", ".join(c for c, _ in FILTERS)
    rows = db.query(f"SELECT pod, node, {columns} FROM pod_node_filter "
                    f"WHERE pod IN ({marks})", keys)
    fit = db.query(f"SELECT pod, node, resource FROM fit_blocked WHERE pod IN ({marks})", keys)
    short: dict[tuple[str, str], list[str]] = {}
    for pod, node, resource in fit:
        short.setdefault((pod, node), []).append(resource)
    counts: dict[str, dict[str, int]] = {k: {} for k in keys}
    for row in rows:
        pod, node, verdicts = row[0], row[1], row[2:]
        reasons = _node_reasons(verdicts, short.get((pod, node), []))
        for r in reasons:
            counts[pod][r] = counts[pod].get(r, 0) + 1
    return {k: _message(counts[k], node_count) for k in keys}


def _node_reasons(verdicts: tuple, short: list[str]) -> list[str]:
    for (column, text), ok in zip(FILTERS, verdicts):
        if ok:
            continue
        if column == "ok_fit":
            return [f"Insufficient {r}" for r in sorted(short)] or ["Insufficient resources"]
        return [text or column]
    return [JOINT]


def _message(counts: dict[str, int], node_count: int) -> str:
    parts = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    detail = ", ".join(f"{n} {text}" for text, n in parts)
    return f"0/{node_count} nodes are available: {detail}." if detail else \
        f"0/{node_count} nodes are available."
