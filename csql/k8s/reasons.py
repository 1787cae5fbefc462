"""kube-scheduler's FailedScheduling message for pods a round left unplaced.

Each node is counted once, under the first Filter plugin (in kube-scheduler's order) that
rejects it; resource fit lists every insufficient resource, as NodeResourcesFit does. Nodes
that pass every filter on their own were lost to the batch's joint constraints (capacity
taken by other pods of the batch, inter-pod rules, spread, gangs).
"""

from __future__ import annotations

from typing import Any

# (column of class_node_filter, kube-scheduler's wording), in the order the plugins run.
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
    """pod -> "0/N nodes are available: ..." for the pods now in `batch` (reasons.sql run).
    Pods of one equivalence class share every verdict, so each class is counted once."""
    marks = ", ".join("?" * len(keys))
    classes = dict(db.query(f"SELECT uid, equivalence_class FROM pod WHERE uid IN ({marks})",
                            keys))
    columns = ", ".join(c for c, _ in FILTERS)
    rows = db.query(f"SELECT class, node, {columns} FROM class_node_filter")
    fit = db.query("SELECT class, node, resource FROM fit_blocked")
    short: dict[tuple[int, str], list[str]] = {}
    for cls, node, resource in fit:
        short.setdefault((cls, node), []).append(resource)
    counts: dict[int, dict[str, int]] = {c: {} for c in classes.values()}
    for row in rows:
        cls, node, verdicts = row[0], row[1], row[2:]
        if cls not in counts:
            continue
        for r in _node_reasons(verdicts, short.get((cls, node), [])):
            counts[cls][r] = counts[cls].get(r, 0) + 1
    return {k: _message(counts[classes[k]], node_count) for k in keys}


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
