"""The batch scheduler: pending pods are placed 50 at a time by solving the C-SQL program.

One round: pick a batch (priority first, gangs whole), materialise its filters and scores,
solve, bind the placed pods. When pods remain unplaced, a second solve of the same program
lets lower-priority running pods on any node be evicted (cross-node preemption). Pods that
are still unplaced get kube-scheduler's "0/N nodes are available: ..." message and are
retried in a later round.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import csql

from .objects import Pod
from .policy import (
    NULL_NODE,
    install_support_views,
    placement_model,
    refresh,
    refresh_reasons,
)
from .reasons import unplaced_reasons
from .state import ClusterState

ANSWERED = ("OPTIMAL", "FEASIBLE")  # statuses that carry a placement
MAX_SCORE = 1100  # the weighted Score plugins' maximum per pod (weights 3+2+1+1+2+2, x100)


@dataclass(slots=True)
class BatchResult:
    """What one round decided, and where its time went (seconds)."""

    pods: int
    placed: dict[str, str] = field(default_factory=dict)
    unplaced: dict[str, str] = field(default_factory=dict)  # pod -> reason
    evicted: list[str] = field(default_factory=list)
    status: str = ""  # the first solve's status (OPTIMAL, FEASIBLE, UNKNOWN, ...)
    statuses: list[str] = field(default_factory=list)  # every solve, splits included
    splits: int = 0  # solves that ended without an answer and were split in two
    seconds: dict[str, float] = field(default_factory=dict)
    preemption: bool = False

    @property
    def latency(self) -> float:
        return self.seconds.get("total", 0.0)


def priority_weights(priorities: dict[str, int], stay: set[str]) -> dict[str, int]:
    """Lexicographic weights by priority level: placing one pod of a level outweighs any
    number of pods of lower levels plus every score; a kept running pod (preemption pass)
    is worth slightly more than placing a pending pod of its level, so equal priorities
    never preempt each other."""
    n = max(len(priorities), 1)
    unit = MAX_SCORE * n + 1
    levels = sorted(set(priorities.values()))
    rank = {p: min(i, 6) for i, p in enumerate(levels)}
    base = 2 * n + 2
    return {k: unit * base ** rank[p] + (unit if k in stay else 0)
            for k, p in priorities.items()}


def _add_seconds(total: dict[str, float], more: dict[str, float]) -> None:
    for k, v in more.items():
        total[k] = total.get(k, 0.0) + v


class CsqlScheduler:
    """kube-scheduler's default policies as one C-SQL program, solved per batch."""

    name = "csql"

    def __init__(self, *, backend: str = "cpsat", batch_size: int = 50,
                 time_limit: float = 5.0, workers: int | None = 1,
                 candidate_limit: int = 16, most_allocated: bool = False,
                 preemption: bool = True, certify: bool = False, db: Any = None,
                 resources: tuple[str, ...] = ()) -> None:
        self.backend = backend
        self.batch_size = batch_size
        self.time_limit = time_limit
        self.workers = workers
        self.preemption = preemption
        self.certify = certify
        self._resources = tuple(sorted({"cpu", "memory", "pods", *resources}))
        self.model = placement_model(self._resources)
        self.db = self.model.prepare(db)
        install_support_views(self.db)
        self.state = ClusterState(self.db)
        self.state.configure(candidate_limit, most_allocated)
        # a scheduler is a long-running process: load the solver library now (about 1 s
        # for OR-Tools) rather than inside the first batch's time limit
        csql.backend(backend).require_available()

    # -- the loop -------------------------------------------------------------------------

    def schedule_pending(self, max_rounds: int | None = None) -> list[BatchResult]:
        """Rounds until every pending pod was tried once in this call."""
        results: list[BatchResult] = []
        queue = self._queue(self.state.pending())
        while queue and (max_rounds is None or len(results) < max_rounds):
            batch = self._take(queue)
            results.append(self.schedule_batch(batch))
        return results

    def _queue(self, keys: list[str]) -> list[str]:
        pods = self.state.pods
        return sorted(keys, key=lambda k: (-pods[k].priority, k))

    def _take(self, queue: list[str]) -> list[str]:
        """The next batch from the queue; a gang comes whole even past the batch size."""
        batch: list[str] = []
        pods = self.state.pods
        while queue and len(batch) < self.batch_size:
            key = queue.pop(0)
            batch.append(key)
            gang = pods[key].gang
            if gang is not None:
                members = [k for k in queue if pods[k].gang == gang]
                for k in members:
                    queue.remove(k)
                batch += members
        return batch

    def schedule_batch(self, keys: list[str]) -> BatchResult:
        started = time.perf_counter()
        self._ensure_resources(keys)
        result = BatchResult(pods=len(keys))
        placed = self._place(keys, result)
        result.status = result.statuses[0]
        unplaced = [k for k in keys if k not in placed]
        if unplaced and self.preemption:
            victims = self._victims(unplaced)
            if victims:
                result.preemption = True
                more, status2, seconds2 = self._solve(unplaced + victims, set(victims))
                result.statuses.append(status2)
                _add_seconds(result.seconds, seconds2)
                result.evicted = [v for v in victims if v not in more]
                placed.update({k: n for k, n in more.items() if k not in victims})
                unplaced = [k for k in keys if k not in placed]
                self.state.unbind(result.evicted)
        self.state.bind({k: placed[k] for k in keys if k in placed})
        result.placed = {k: placed[k] for k in keys if k in placed}
        if unplaced:
            t = time.perf_counter()
            self._fill_batch(unplaced, set())
            refresh_reasons(self.db)
            result.unplaced = unplaced_reasons(self.db, unplaced, len(self.state.nodes))
            result.seconds["reasons"] = time.perf_counter() - t
        self.db.execute("DELETE FROM batch")
        result.seconds["total"] = time.perf_counter() - started
        return result

    def _place(self, keys: list[str], result: BatchResult) -> dict[str, str]:
        """Solve the batch; when the solve ends without any answer (the time limit hit
        before a first solution), split it in two and place the halves one after the
        other, each seeing what the first bound, down to single pods or gangs. A user
        expects pods to be placed whenever a placement exists: losing a whole batch to a
        time limit would leave them pending for a whole round."""
        placed, status, seconds = self._solve(keys, set())
        result.statuses.append(status)
        _add_seconds(result.seconds, seconds)
        if status in ANSWERED:
            return placed
        units = self._units(keys)
        if len(units) < 2:
            return placed
        result.splits += 1
        middle = len(units) // 2
        placed = {}
        for half in (units[:middle], units[middle:]):
            got = self._place([k for unit in half for k in unit], result)
            self.state.bind(got)
            placed.update(got)
        return placed

    def _units(self, keys: list[str]) -> list[list[str]]:
        """The batch in the pieces a split may not cut: a gang, or one pod."""
        units: dict[str, list[str]] = {}
        for k in keys:
            gang = self.state.pods[k].gang
            units.setdefault(f"gang:{gang}" if gang is not None else f"pod:{k}", []).append(k)
        return list(units.values())

    # -- one solve ------------------------------------------------------------------------

    def _fill_batch(self, keys: list[str], stay: set[str]) -> None:
        pods = self.state.pods
        weights = priority_weights({k: pods[k].priority for k in keys}, stay)
        self.db.execute("DELETE FROM batch")
        self.db.executemany("INSERT INTO batch VALUES (?, ?, ?)",
                            [(k, weights[k], k in stay) for k in keys])

    def _solve(self, keys: list[str], stay: set[str]
               ) -> tuple[dict[str, str], str, dict[str, float]]:
        t0 = time.perf_counter()
        self._fill_batch(keys, stay)
        refresh(self.db)
        t1 = time.perf_counter()
        solution = self.model.solve(self.db, backend=self.backend, time_limit=self.time_limit,
                                    workers=self.workers, certify=self.certify)
        secs = solution.stats["seconds"]
        seconds = {
            "database": (t1 - t0) + secs["schema"] + secs["relations"],
            "model": secs["grounding"] + secs["decode"],
            "solve": secs["backend_total"],
            "certify": secs["certify"],
        }
        placed: dict[str, str] = {}
        if solution.ok:
            for row in solution.tables["pods_to_assign"]:
                node = row["controllable__node_name"]
                if node != NULL_NODE:
                    placed[row["uid"]] = node
        return placed, solution.status.value, seconds

    def _victims(self, unplaced: list[str]) -> list[str]:
        """Running pods of lower priority than the highest unplaced one, on nodes where some
        unplaced pod passes the node-level filters (any node: preemption is cross-node)."""
        top = max(self.state.pods[k].priority for k in unplaced)
        marks = ", ".join("?" * len(unplaced))
        rows = self.db.query(
            "SELECT DISTINCT q.uid FROM pod q JOIN class_node c ON c.node = q.node_name "
            "JOIN pod u ON u.equivalence_class = c.class "
            f"WHERE q.phase = 'Running' AND q.priority < ? AND u.uid IN ({marks}) "
            "AND c.static_ok ORDER BY q.uid", [top, *unplaced])
        return [r[0] for r in rows]

    def _ensure_resources(self, keys: list[str]) -> None:
        """Recompile when a pod or node brings a resource name the program lacks."""
        names = set(self._resources) | set(self.state.resource_names)
        for k in keys:
            names |= set(self.state.pods[k].all_requests())
        if names != set(self._resources):
            self._resources = tuple(sorted(names))
            self.model = placement_model(self._resources)
            self.model.prepare(self.db)
            install_support_views(self.db)

    # -- convenience ----------------------------------------------------------------------

    def add_pods(self, pods: list[Pod], created: int = 0) -> None:
        self.state.add_pods(pods, created)


