"""The cluster-state database: Kubernetes objects written into the scheduler's tables.

`ClusterState` is what an informer cache is to kube-scheduler: every node and pod event is
written here, and the scheduler reads nothing else. It also keeps the objects themselves
(by node name and pod key) so the baseline scheduler and the metrics can read them without
SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .objects import Node, NodeAffinityTerm, Pod, Requirement

Database = Any  # csql's Database adapter, as returned by `Model.prepare`
BULK_ROWS = 64


class NoDatabase:
    """Stands in for the database when only the objects are needed (the baseline)."""

    def execute(self, sql: str, params: Sequence[object] = ()) -> None:
        return None

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        return None

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return []


class ClusterState:
    """Nodes and pods in the scheduler's tables, plus the objects for Python-side readers."""

    def __init__(self, db: Database | None = None) -> None:
        self.db = db if db is not None else NoDatabase()
        self.nodes: dict[str, Node] = {}
        self.pods: dict[str, Pod] = {}
        self.binding: dict[str, str] = {}  # pod key -> node name (running pods)
        self.load: dict[str, dict[str, int]] = {}  # node -> resource -> running requests
        self._selectors: dict[tuple, int] = {}
        self._resources: set[str] = {"cpu", "memory", "pods"}
        self._columns: dict[str, list[tuple[str, str]]] = {}
        self.db.execute("DELETE FROM scheduler_config")
        self.db.execute("INSERT INTO scheduler_config VALUES (1, 0, false)")

    # -- configuration --------------------------------------------------------------------

    def configure(self, candidate_limit: int = 0, most_allocated: bool = False) -> None:
        self.db.execute("UPDATE scheduler_config SET candidate_limit = ?, most_allocated = ?",
                        [candidate_limit, most_allocated])

    @property
    def resource_names(self) -> tuple[str, ...]:
        return tuple(sorted(self._resources))

    # -- nodes ----------------------------------------------------------------------------

    def add_nodes(self, nodes: Iterable[Node]) -> None:
        nodes = list(nodes)
        rows, labels, taints, allocatable = [], [], [], []
        for n in nodes:
            self.nodes[n.name] = n
            rows.append((n.name, n.unschedulable, n.ready, n.memory_pressure, n.disk_pressure,
                         n.pid_pressure, n.network_unavailable))
            for k, v in n.all_labels().items():
                labels.append((n.name, k, v, _int_or_none(v)))
            taints += [(n.name, t.key, t.value, t.effect) for t in n.taints]
            for r, amount in n.allocatable.items():
                allocatable.append((n.name, r, int(amount)))
                self._resources.add(r)
        self._insert("node", 7, rows)
        self._insert("node_label", 4, labels)
        self._insert("node_taint", 4, taints)
        self._insert("node_resource", 3, allocatable)
        # node-level verdicts per pod class were computed against the old node set
        self.db.execute("DELETE FROM class_node")
        self.db.execute("DELETE FROM class_known")

    # -- pods -----------------------------------------------------------------------------

    def add_pods(self, pods: Iterable[Pod], created: int = 0) -> None:
        tables: dict[str, list[tuple]] = {name: [] for name in _POD_TABLES}
        gangs: dict[str, int] = {}
        for p in pods:
            key = p.key
            if key in self.pods:
                raise ValueError(f"pod {key} exists already")
            self.pods[key] = p
            tables["pod"].append((key, p.name, p.namespace, p.owner, p.priority,
                                  p.scheduler_name, "Pending", None, created, p.gang,
                                  p.equivalence()))
            for r, amount in p.all_requests().items():
                tables["pod_request"].append((key, r, int(amount)))
                self._resources.add(r)
            tables["pod_label"] += [(key, k, v) for k, v in p.labels.items()]
            tables["pod_toleration"] += [(key, t.key, t.operator, t.value, t.effect)
                                         for t in p.tolerations]
            self._node_affinity(key, True, p.required_terms(), tables)
            self._node_affinity(key, False, p.preferred_node_affinity, tables)
            for i, t in enumerate(p.affinity):
                tables["pod_affinity_term"].append((key, i, t.anti, t.required, t.weight,
                                                    t.topology_key, self._selector(t.selector),
                                                    t.namespace))
            for i, s in enumerate(p.spread):
                tables["pod_spread"].append((key, i, s.max_skew, s.topology_key, s.hard,
                                             self._selector(s.selector), s.min_domains))
            tables["pod_host_port"] += [(key, h.protocol, h.host_ip, h.port)
                                        for h in p.host_ports]
            if p.gang is not None:
                gangs[p.gang] = gangs.get(p.gang, 0) + 1
        for name, rows in tables.items():
            self._insert(name, _POD_TABLES[name], rows)
        for gang, size in gangs.items():
            if not self.db.query("SELECT 1 FROM gang WHERE name = ?", [gang]):
                self.db.execute("INSERT INTO gang VALUES (?, ?)", [gang, size])
            else:
                self.db.execute("UPDATE gang SET min_member = min_member + ? WHERE name = ?",
                                [size, gang])

    def _node_affinity(self, key: str, required: bool, terms: Sequence[NodeAffinityTerm],
                       tables: dict[str, list[tuple]]) -> None:
        for i, term in enumerate(terms):
            tables["node_affinity_term"].append((key, required, i, term.weight))
            for j, r in enumerate(term.expressions):
                num = _int_or_none(r.values[0]) if r.operator in ("Gt", "Lt") and r.values \
                    else None
                tables["node_affinity_expr"].append((key, required, i, j, r.key, r.operator,
                                                     num))
                if r.operator in ("In", "NotIn"):
                    tables["node_affinity_value"] += [(key, required, i, j, v)
                                                      for v in r.values]

    def _selector(self, selector) -> int:
        reqs: tuple[Requirement, ...] = selector.requirements()
        ident = tuple((r.key, r.operator, tuple(sorted(r.values))) for r in reqs)
        found = self._selectors.get(ident)
        if found is not None:
            return found
        sid = len(self._selectors) + 1
        self._selectors[ident] = sid
        self._insert("selector_expr", 4, [(sid, j, r.key, r.operator)
                                          for j, r in enumerate(reqs)])
        self._insert("selector_value", 3, [(sid, j, v) for j, r in enumerate(reqs)
                                           for v in r.values])
        return sid

    def bind(self, assignments: dict[str, str]) -> None:
        """Pods go to nodes (the binder of an emulated cluster writes straight here)."""
        if not assignments:
            return
        moved = {k: n for k, n in assignments.items() if self.binding.get(k) != n}
        self._release([k for k in moved if k in self.binding])
        self._update_pods([(node, key) for key, node in moved.items()], "Running")
        self.binding.update(moved)
        self._charge(moved, +1)

    def unbind(self, keys: Iterable[str]) -> None:
        """Evicted pods go back to Pending, as their controller would recreate them."""
        keys = [k for k in keys if k in self.binding]
        if not keys:
            return
        self._update_pods([(None, k) for k in keys], "Pending")
        self._release(keys)

    def delete_pods(self, keys: Iterable[str]) -> None:
        keys = [k for k in keys if k in self.pods]
        if not keys:
            return
        self._release([k for k in keys if k in self.binding])
        marks = ", ".join("?" * len(keys))
        for table, column in _POD_KEYS:
            self.db.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", keys)
        for k in keys:
            self.pods.pop(k, None)

    def _update_pods(self, rows: list[tuple[str | None, str]], phase: str) -> None:
        if len(rows) < BULK_ROWS or isinstance(self.db, NoDatabase):
            self.db.executemany(f"UPDATE pod SET phase = '{phase}', node_name = ? "
                                "WHERE uid = ?", rows)
            return
        stage = "k8s_stage_binding"
        self.db.create_temp_table(stage, [("node", "VARCHAR"), ("uid", "VARCHAR")], rows)
        try:
            self.db.execute(f"UPDATE pod SET phase = '{phase}', node_name = {stage}.node "
                            f"FROM {stage} WHERE pod.uid = {stage}.uid")
        finally:
            self.db.drop_temp_table(stage)

    def _release(self, keys: list[str]) -> None:
        """Running pods leave their nodes: their load goes."""
        gone = {k: self.binding.pop(k) for k in keys}
        self._charge(gone, -1)

    def _charge(self, placement: dict[str, str], sign: int) -> None:
        """Add (or remove) the pods' requests to `node_load`: only the touched nodes'
        rows are rewritten, so a batch costs what it binds, not what runs."""
        touched: set[str] = set()
        for key, node in placement.items():
            load = self.load.setdefault(node, {})
            for r, amount in self.pods[key].all_requests().items():
                load[r] = load.get(r, 0) + sign * int(amount)
            touched.add(node)
        if not touched:
            return
        nodes = sorted(touched)
        self.db.execute(f"DELETE FROM node_load WHERE node IN ({', '.join('?' * len(nodes))})",
                        nodes)
        self._insert("node_load", 3, [(n, r, v) for n in nodes
                                      for r, v in sorted(self.load[n].items()) if v])

    def pending(self) -> list[str]:
        return [k for k in self.pods if k not in self.binding]

    def _insert(self, table: str, width: int, rows: list[tuple]) -> None:
        """Small inserts go row by row; large ones (a 5,000-node cluster, a trace's burst of
        pods) through a bulk-loaded staging table, since adapters run `executemany` one
        statement per row."""
        if not rows:
            return
        if len(rows) < BULK_ROWS or isinstance(self.db, NoDatabase):
            marks = ", ".join("?" * width)
            self.db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
            return
        columns = self._columns.get(table)
        if columns is None:
            columns = self._columns[table] = self.db.relation_columns(table)
        stage = f"k8s_stage_{table}"
        self.db.create_temp_table(stage, columns, rows)
        try:
            self.db.execute(f"INSERT INTO {table} SELECT * FROM {stage}")
        finally:
            self.db.drop_temp_table(stage)


_POD_TABLES = {
    "pod": 11, "pod_request": 3, "pod_label": 3, "pod_toleration": 5,
    "node_affinity_term": 4, "node_affinity_expr": 7, "node_affinity_value": 5,
    "pod_affinity_term": 8, "pod_spread": 7, "pod_host_port": 4,
}

_POD_KEYS = (
    ("pod", "uid"), ("pod_request", "pod"), ("pod_label", "pod"), ("pod_toleration", "pod"),
    ("node_affinity_term", "pod"), ("node_affinity_expr", "pod"),
    ("node_affinity_value", "pod"), ("pod_affinity_term", "pod"), ("pod_spread", "pod"),
    ("pod_host_port", "pod"),
)


def _int_or_none(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
