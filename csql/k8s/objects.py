"""Kubernetes objects as the scheduler needs them: plain frozen dataclasses.

Only the fields kube-scheduler's default plugins read are kept. Quantities are integers:
cpu in millicores, memory in MiB, other resources in their own unit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
DEFAULT_SCHEDULER = "csql-scheduler"
NODE_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")
SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


@dataclass(frozen=True, slots=True)
class Requirement:
    """A node selector requirement or label selector expression; Gt / Lt read values[0]."""

    key: str
    operator: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NodeAffinityTerm:
    expressions: tuple[Requirement, ...]
    weight: int = 0  # preferred terms only, 1..100


@dataclass(frozen=True, slots=True)
class LabelSelector:
    match_labels: tuple[tuple[str, str], ...] = ()
    match_expressions: tuple[Requirement, ...] = ()

    @classmethod
    def of(cls, labels: dict[str, str] | None = None, *expressions: Requirement
           ) -> LabelSelector:
        return cls(tuple(sorted((labels or {}).items())), tuple(expressions))

    def requirements(self) -> tuple[Requirement, ...]:
        return tuple(Requirement(k, "In", (v,)) for k, v in self.match_labels) + \
            self.match_expressions

    def matches(self, labels: dict[str, str]) -> bool:
        reqs = self.requirements()
        return bool(reqs) and all(_label_requirement_holds(r, labels) for r in reqs)


def _label_requirement_holds(r: Requirement, labels: dict[str, str]) -> bool:
    value = labels.get(r.key)
    if r.operator == "In":
        return value is not None and value in r.values
    if r.operator == "NotIn":
        return value is None or value not in r.values
    if r.operator == "Exists":
        return value is not None
    if r.operator == "DoesNotExist":
        return value is None
    return False


def node_requirement_holds(r: Requirement, labels: dict[str, str]) -> bool:
    if r.operator in ("Gt", "Lt"):
        value = labels.get(r.key)
        try:
            number, bound = int(value), int(r.values[0])  # type: ignore[arg-type]
        except (TypeError, ValueError, IndexError):
            return False
        return number > bound if r.operator == "Gt" else number < bound
    return _label_requirement_holds(r, labels)


@dataclass(frozen=True, slots=True)
class PodAffinityTerm:
    selector: LabelSelector
    topology_key: str = HOSTNAME
    anti: bool = False
    required: bool = True
    weight: int = 0
    namespace: str | None = None  # None: the pod's namespace; "*": all namespaces


@dataclass(frozen=True, slots=True)
class SpreadConstraint:
    max_skew: int
    topology_key: str
    selector: LabelSelector
    hard: bool = True  # DoNotSchedule; False is ScheduleAnyway
    min_domains: int = 1


@dataclass(frozen=True, slots=True)
class HostPort:
    port: int
    protocol: str = "TCP"
    host_ip: str = "0.0.0.0"


@dataclass(frozen=True, slots=True)
class Taint:
    key: str
    value: str = ""
    effect: str = "NoSchedule"


@dataclass(frozen=True, slots=True)
class Toleration:
    key: str | None = None
    operator: str = "Equal"
    value: str = ""
    effect: str | None = None

    def tolerates(self, taint: Taint) -> bool:
        if self.key is not None and self.key != taint.key:
            return False
        if self.key is None and self.operator != "Exists":
            return False
        if self.operator != "Exists" and self.value != taint.value:
            return False
        return self.effect is None or self.effect == taint.effect


@dataclass(frozen=True, slots=True)
class Node:
    name: str
    allocatable: dict[str, int] = field(default_factory=dict, hash=False)
    labels: dict[str, str] = field(default_factory=dict, hash=False)
    taints: tuple[Taint, ...] = ()
    unschedulable: bool = False
    ready: bool = True
    memory_pressure: bool = False
    disk_pressure: bool = False
    pid_pressure: bool = False
    network_unavailable: bool = False

    def all_labels(self) -> dict[str, str]:
        return {HOSTNAME: self.name, **self.labels}

    @property
    def healthy(self) -> bool:
        return self.ready and not (self.memory_pressure or self.disk_pressure
                                   or self.pid_pressure or self.network_unavailable)


@dataclass(frozen=True, slots=True)
class Pod:
    name: str
    requests: dict[str, int] = field(default_factory=dict, hash=False)
    namespace: str = "default"
    owner: str | None = None
    priority: int = 0
    scheduler_name: str = DEFAULT_SCHEDULER
    labels: dict[str, str] = field(default_factory=dict, hash=False)
    tolerations: tuple[Toleration, ...] = ()
    node_selector: dict[str, str] = field(default_factory=dict, hash=False)
    required_node_affinity: tuple[NodeAffinityTerm, ...] = ()
    preferred_node_affinity: tuple[NodeAffinityTerm, ...] = ()
    affinity: tuple[PodAffinityTerm, ...] = ()
    spread: tuple[SpreadConstraint, ...] = ()
    host_ports: tuple[HostPort, ...] = ()
    gang: str | None = None
    uid: str = ""

    @property
    def key(self) -> str:
        return self.uid or f"{self.namespace}/{self.name}"

    def all_requests(self) -> dict[str, int]:
        """Requests with the implicit `pods: 1` every pod consumes."""
        return {"pods": 1, **{k: v for k, v in self.requests.items() if v}}

    def required_terms(self) -> tuple[NodeAffinityTerm, ...]:
        """nodeSelector folded into each required term (or one term of its own)."""
        selector = tuple(Requirement(k, "In", (v,)) for k, v in sorted(self.node_selector.items()))
        if not self.required_node_affinity:
            return (NodeAffinityTerm(selector),) if selector else ()
        return tuple(NodeAffinityTerm(selector + t.expressions) for t in
                     self.required_node_affinity)

    def equivalence(self) -> int:
        """Equal for pods whose scheduling-relevant spec is identical (not name or uid)."""
        spec = repr((self.namespace, self.owner, self.priority, sorted(
            self.all_requests().items()), sorted(self.labels.items()),
            self.tolerations, sorted(self.node_selector.items()),
            self.required_node_affinity, self.preferred_node_affinity, self.affinity,
            self.spread, self.host_ports, self.gang, self.scheduler_name))
        digest = hashlib.blake2b(spec.encode(), digest_size=6).digest()
        return int.from_bytes(digest, "big")
