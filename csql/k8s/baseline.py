"""A filter-score baseline: kube-scheduler's algorithm in Python, one pod at a time.

Same policies and default weights as the C-SQL program: Filter plugins (conditions,
unschedulable, taints, node affinity, ports, resource fit, inter-pod affinity with the
first-pod rule, hard topology spread), `percentageOfNodesToScore` (adaptive: 50% minus 1%
per 125 nodes, at least 5% and at least 50 nodes), Score plugins normalised to 0..100 with
weights 3/2/1/1/2/2, and single-node DefaultPreemption (no cross-node preemption).
"""

from __future__ import annotations

import random
import time

from .objects import HOSTNAME, Node, Pod, Toleration, node_requirement_holds
from .scheduler import BatchResult
from .state import ClusterState

UNSCHEDULABLE = "node.kubernetes.io/unschedulable"


def nodes_to_find(total: int, percentage: int = 0) -> int:
    """kube-scheduler's numFeasibleNodesToFind."""
    if total < 100:
        return total
    pct = percentage or max(5, 50 - total // 125)
    return min(total, max(50, total * pct // 100))


class BaselineScheduler:
    name = "baseline"

    def __init__(self, *, percentage: int = 0, seed: int = 0, preemption: bool = True,
                 most_allocated: bool = False) -> None:
        self.state = ClusterState(None)
        self.percentage = percentage
        self.preemption = preemption
        self.most_allocated = most_allocated
        self.rng = random.Random(seed)
        self._start = 0

    # -- the loop -------------------------------------------------------------------------

    def schedule_pending(self) -> list[BatchResult]:
        pods = self.state.pods
        queue = sorted(self.state.pending(), key=lambda k: (-pods[k].priority, k))
        results = []
        for key in queue:
            started = time.perf_counter()
            result = BatchResult(pods=1, status="BASELINE")
            node = self._place(pods[key])
            if node is None and self.preemption:
                node, victims = self._preempt(pods[key])
                if node is not None:
                    self.state.unbind(victims)
                    result.evicted = victims
                    result.preemption = True
            if node is None:
                result.unplaced[key] = f"0/{len(self.state.nodes)} nodes are available."
            else:
                self.state.bind({key: node})
                result.placed[key] = node
            result.seconds = {"total": time.perf_counter() - started}
            results.append(result)
        return results

    def _place(self, pod: Pod) -> str | None:
        names = list(self.state.nodes)
        if not names:
            return None
        want = nodes_to_find(len(names), self.percentage)
        ctx = _Context(self.state)
        feasible: list[str] = []
        n = len(names)
        for i in range(n):
            name = names[(self._start + i) % n]
            if self.feasible(pod, self.state.nodes[name], ctx):
                feasible.append(name)
                if len(feasible) >= want:
                    self._start = (self._start + i + 1) % n
                    break
        if not feasible:
            return None
        scores = self.scores(pod, feasible, ctx)
        best = max(scores.values())
        return self.rng.choice(sorted(n for n, s in scores.items() if s == best))

    # -- filters --------------------------------------------------------------------------

    def feasible(self, pod: Pod, node: Node, ctx: _Context, *, ignore: set[str] = frozenset()
                 ) -> bool:
        if not node.healthy:
            return False
        if node.unschedulable and not any(
                (t.key == UNSCHEDULABLE or (t.key is None and t.operator == "Exists"))
                and t.effect in (None, "NoSchedule") for t in pod.tolerations):
            return False
        if any(t.effect in ("NoSchedule", "NoExecute") and not _tolerated(t, pod.tolerations)
               for t in node.taints):
            return False
        labels = node.all_labels()
        terms = pod.required_terms()
        if terms and not any(all(node_requirement_holds(r, labels) for r in t.expressions)
                             for t in terms):
            return False
        on_node = [k for k in ctx.on_node.get(node.name, ()) if k not in ignore]
        if pod.host_ports and any(_port_clash(pod, self.state.pods[k]) for k in on_node):
            return False
        used = ctx.used(node.name, ignore)
        for r, amount in pod.all_requests().items():
            if used.get(r, 0) + amount > node.allocatable.get(r, 0):
                return False
        return self._inter_pod(pod, labels, ctx, ignore) and self._spread(pod, labels, ctx)

    def _inter_pod(self, pod: Pod, labels: dict[str, str], ctx: _Context,
                   ignore: set[str]) -> bool:
        for term in pod.affinity:
            if not term.required:
                continue
            value = labels.get(term.topology_key)
            matches = [k for k in ctx.running if k not in ignore
                       and _term_matches(pod, term, self.state.pods[k])]
            if term.anti:
                if value is not None and any(ctx.domain(k, term.topology_key) == value
                                             for k in matches):
                    return False
            else:
                if value is None:
                    return False
                if not matches and _term_matches(pod, term, pod):
                    continue  # the first-pod rule
                if not any(ctx.domain(k, term.topology_key) == value for k in matches):
                    return False
        for k in ctx.running:  # running pods' required anti-affinity repels the pod
            if k in ignore:
                continue
            other = self.state.pods[k]
            for term in other.affinity:
                if term.required and term.anti and _term_matches(other, term, pod):
                    value = labels.get(term.topology_key)
                    if value is not None and ctx.domain(k, term.topology_key) == value:
                        return False
        return True

    def _spread(self, pod: Pod, labels: dict[str, str], ctx: _Context) -> bool:
        for s in pod.spread:
            if not s.hard:
                continue
            value = labels.get(s.topology_key)
            if value is None:
                return False
            counts = ctx.spread_counts(pod, s)
            low = 0 if len(counts) < s.min_domains else min(counts.values(), default=0)
            self_match = 1 if s.selector.matches(pod.labels) else 0
            if counts.get(value, 0) + self_match - low > s.max_skew:
                return False
        return True

    # -- scores ---------------------------------------------------------------------------

    def scores(self, pod: Pod, names: list[str], ctx: _Context) -> dict[str, int]:
        raw = {n: self._raw(pod, self.state.nodes[n], ctx) for n in names}
        taints = [r[2] for r in raw.values()]
        affinity = [r[3] for r in raw.values()]
        inter = [r[4] for r in raw.values()]
        spread = [r[5] for r in raw.values()]
        out = {}
        for n, (fit, balanced, t, a, i, s) in raw.items():
            taint_score = 100 if max(taints) == 0 else 100 * (max(taints) - t) // max(taints)
            aff = 0 if max(affinity) == 0 else 100 * a // max(affinity)
            spread_hi, spread_lo = max(spread), min(spread)
            inter_score = 0 if max(inter) == min(inter) else \
                100 * (i - min(inter)) // (max(inter) - min(inter))
            spread_score = 100 if spread_hi == 0 or not any(not c.hard for c in pod.spread) \
                else 100 * (spread_hi + spread_lo - s) // spread_hi
            out[n] = 3 * taint_score + 2 * aff + fit + balanced + 2 * inter_score + \
                2 * spread_score
        return out

    def _raw(self, pod: Pod, node: Node, ctx: _Context) -> tuple[int, ...]:
        used = ctx.used(node.name, set())
        req = pod.all_requests()
        fractions = []
        for r in ("cpu", "memory"):
            alloc = node.allocatable.get(r, 0)
            fractions.append(1.0 if alloc <= 0 else min(1.0, (used.get(r, 0) + req.get(r, 0))
                                                         / alloc))
        cpu, mem = fractions
        fit = int(50 * (cpu + mem)) if self.most_allocated else int(50 * ((1 - cpu) + (1 - mem)))
        balanced = int(100 * (1 - abs(cpu - mem) / 2))
        taints = sum(1 for t in node.taints if t.effect == "PreferNoSchedule"
                     and not _tolerated(t, pod.tolerations))
        labels = node.all_labels()
        affinity = sum(t.weight for t in pod.preferred_node_affinity
                       if all(node_requirement_holds(r, labels) for r in t.expressions))
        inter = 0
        for term in pod.affinity:
            if term.required:
                continue
            value = labels.get(term.topology_key)
            if value is None:
                continue
            n = sum(1 for k in ctx.running if ctx.domain(k, term.topology_key) == value
                    and _term_matches(pod, term, self.state.pods[k]))
            inter += (-term.weight if term.anti else term.weight) * n
        spread = 0
        for s in pod.spread:
            if not s.hard and labels.get(s.topology_key) is not None:
                spread += ctx.spread_counts(pod, s).get(labels[s.topology_key], 0)
        return fit, balanced, taints, affinity, inter, spread

    # -- preemption -----------------------------------------------------------------------

    def _preempt(self, pod: Pod) -> tuple[str | None, list[str]]:
        """DefaultPreemption: per node, remove every lower-priority pod, check the pod fits,
        reprieve victims (highest priority first) while it still fits; pick the node whose
        highest victim priority, then victim count, is lowest."""
        ctx = _Context(self.state)
        best: tuple | None = None
        for name, node in self.state.nodes.items():
            lower = [k for k in ctx.on_node.get(name, ())
                     if self.state.pods[k].priority < pod.priority]
            if not lower or not self.feasible(pod, node, ctx, ignore=set(lower)):
                continue
            victims = set(lower)
            for k in sorted(lower, key=lambda k: -self.state.pods[k].priority):
                if self.feasible(pod, node, ctx, ignore=victims - {k}):
                    victims.discard(k)
            rank = (max(self.state.pods[k].priority for k in victims), len(victims), name)
            if best is None or rank < best[0]:
                best = (rank, name, sorted(victims))
        if best is None:
            return None, []
        return best[1], best[2]


class _Context:
    """Indexes over the running pods, built once per scheduling attempt."""

    def __init__(self, state: ClusterState) -> None:
        self.state = state
        self.running = list(state.binding)
        self.on_node: dict[str, list[str]] = {}
        for k, n in state.binding.items():
            self.on_node.setdefault(n, []).append(k)
        self._used: dict[str, dict[str, int]] = {}
        self._spread: dict[tuple, dict[str, int]] = {}

    def used(self, node: str, ignore: set[str]) -> dict[str, int]:
        if not ignore and node in self._used:
            return self._used[node]
        total: dict[str, int] = {}
        for k in self.on_node.get(node, ()):
            if k in ignore:
                continue
            for r, a in self.state.pods[k].all_requests().items():
                total[r] = total.get(r, 0) + a
        if not ignore:
            self._used[node] = total
        return total

    def domain(self, key: str, topology_key: str) -> str | None:
        node = self.state.nodes.get(self.state.binding[key])
        if node is None:
            return None
        return node.name if topology_key == HOSTNAME else node.labels.get(topology_key)

    def spread_counts(self, pod: Pod, s) -> dict[str, int]:
        """Matching running pods per domain over the nodes that pass the pod's node
        affinity and have the key (nodeAffinityPolicy Honor)."""
        ident = (pod.key, s)
        found = self._spread.get(ident)
        if found is not None:
            return found
        counts: dict[str, int] = {}
        terms = pod.required_terms()
        for node in self.state.nodes.values():
            labels = node.all_labels()
            if s.topology_key in labels and (not terms or any(
                    all(node_requirement_holds(r, labels) for r in t.expressions)
                    for t in terms)):
                counts.setdefault(labels[s.topology_key], 0)
        for k in self.running:
            other = self.state.pods[k]
            value = self.domain(k, s.topology_key)
            if value in counts and other.namespace == pod.namespace and \
                    s.selector.matches(other.labels):
                counts[value] += 1
        self._spread[ident] = counts
        return counts


def _tolerated(taint, tolerations: tuple[Toleration, ...]) -> bool:
    return any(t.tolerates(taint) for t in tolerations)


def _port_clash(pod: Pod, other: Pod) -> bool:
    return any(a.port == b.port and a.protocol == b.protocol and
               (a.host_ip == b.host_ip or "0.0.0.0" in (a.host_ip, b.host_ip))
               for a in pod.host_ports for b in other.host_ports)


def _term_matches(owner: Pod, term, other: Pod) -> bool:
    if term.namespace != "*" and other.namespace != (term.namespace or owner.namespace):
        return False
    return term.selector.matches(other.labels)
