"""What keeps the csql scheduler's batches small and whole at scale: a batch whose solve ends
without an answer is split (gangs stay whole); the maintained running load equals the
aggregate of the running pods; per-class node verdicts are recomputed when nodes change."""

from __future__ import annotations

from csql.k8s.objects import ZONE, Node, NodeAffinityTerm, Pod, Requirement
from csql.k8s.scheduler import ANSWERED, CsqlScheduler


def node(name: str, cpu: int = 10000, labels=None) -> Node:
    return Node(name, {"cpu": cpu, "memory": 10000, "pods": 110}, labels or {})


class TimesOut(CsqlScheduler):
    """Every solve of more than `limit` pods ends as if the time limit hit before a first
    solution; smaller ones are solved for real."""

    def __init__(self, limit: int, **options) -> None:
        super().__init__(**options)
        self.limit = limit
        self.solved: list[list[str]] = []

    def _solve(self, keys, stay):
        self.solved.append(list(keys))
        if len(keys) > self.limit:
            return {}, "UNKNOWN", {"solve": 0.0}
        return super()._solve(keys, stay)


def test_a_batch_without_answer_is_split_and_halves_see_each_other():
    s = TimesOut(3, time_limit=20, candidate_limit=0, certify=True)
    s.state.add_nodes([node(f"n{i}") for i in range(4)])
    # four 10-CPU pods fill the four nodes one each (only if the second half sees what the
    # first half bound); the three-pod gang needs no CPU and must never be cut
    pods = [Pod(f"a{i}", {"cpu": 10000}) for i in range(4)]
    pods += [Pod(f"g{i}", {"cpu": 0}, gang="g") for i in range(3)]
    s.add_pods(pods)
    results = s.schedule_pending()
    assert len(results) == 1
    r = results[0]
    assert sorted(r.placed) == sorted(p.key for p in pods)
    assert sorted(r.placed[f"default/a{i}"] for i in range(4)) == ["n0", "n1", "n2", "n3"]
    # units a0 a1 a2 a3 g: 7 pods -> [a0 a1] + [a2 a3 g]; 5 pods -> [a2] + [a3 g];
    # 4 pods -> [a3] + [g]: three splits, four solves with an answer
    assert r.status == "UNKNOWN" and r.splits == 3
    assert r.statuses.count("UNKNOWN") == 3
    assert len(r.statuses) == 7 and all(x in ANSWERED for x in r.statuses if x != "UNKNOWN")
    gang = {f"default/g{i}" for i in range(3)}
    assert all(gang <= set(keys) or not gang & set(keys) for keys in s.solved)
    assert s.state.binding == r.placed


def test_a_single_pod_without_answer_stays_pending_with_a_reason():
    s = TimesOut(0, time_limit=20, candidate_limit=0)
    s.state.add_nodes([node("n0")])
    s.add_pods([Pod("p", {"cpu": 100})])
    (r,) = s.schedule_pending()
    assert r.placed == {} and r.splits == 0 and r.statuses == ["UNKNOWN"]
    # the node passes every filter alone: the reason names the batch, not a filter
    assert r.unplaced["default/p"] == \
        "0/1 nodes are available: 1 node(s) were taken by the batch's joint constraints."


def aggregate(s: CsqlScheduler) -> set[tuple]:
    rows = s.db.query("SELECT p.node_name, r.resource, SUM(r.amount) FROM pod p "
                      "JOIN pod_request r ON r.pod = p.uid WHERE p.phase = 'Running' "
                      "GROUP BY p.node_name, r.resource")
    return {tuple(r) for r in rows}


def maintained(s: CsqlScheduler) -> set[tuple]:
    return {tuple(r) for r in s.db.query(
        "SELECT node, resource, used FROM node_load WHERE used <> 0")}


def test_node_load_equals_the_aggregate_after_binds_unbinds_and_deletions():
    s = CsqlScheduler(time_limit=20)
    s.state.add_nodes([node(f"n{i}") for i in range(3)])
    pods = [Pod(f"p{i}", {"cpu": 100 + i, "memory": 7 * i}) for i in range(100)]
    s.add_pods(pods)
    keys = [p.key for p in pods]
    s.state.bind({k: f"n{i % 3}" for i, k in enumerate(keys[:80])})  # bulk path (80 rows)
    assert maintained(s) == aggregate(s)
    # by hand: n0 holds p0, p3, ..., p78 (27 pods): cpu 27 * 100 + (0 + 3 + ... + 78)
    assert ("n0", "cpu", 2700 + 3 * sum(range(27))) in maintained(s)
    s.state.bind({keys[0]: "n1", keys[85]: "n2"})  # a move and a new binding
    assert maintained(s) == aggregate(s)
    s.state.unbind(keys[10:20] + [keys[90]])  # p90 never ran: nothing to remove
    assert maintained(s) == aggregate(s)
    s.state.delete_pods(keys[20:30] + keys[95:])  # running and pending pods
    assert maintained(s) == aggregate(s)
    s.state.delete_pods(keys)
    assert maintained(s) == set() == aggregate(s)


def test_class_verdicts_are_recomputed_when_nodes_are_added():
    s = CsqlScheduler(time_limit=20, candidate_limit=0)
    s.state.add_nodes([node("a", labels={ZONE: "za"})])
    need_b = (NodeAffinityTerm((Requirement(ZONE, "In", ("zb",)),)),)
    s.add_pods([Pod("p", {"cpu": 100}, required_node_affinity=need_b)])
    (r,) = s.schedule_pending()
    assert r.placed == {}
    assert r.unplaced["default/p"] == \
        "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector."
    s.state.add_nodes([node("b", labels={ZONE: "zb"})])
    s.add_pods([Pod("q", {"cpu": 100}, required_node_affinity=need_b)])  # same class
    placed = {k: n for r in s.schedule_pending() for k, n in r.placed.items()}
    assert placed == {"default/p": "b", "default/q": "b"}


def test_the_readme_demo_replays_the_bundled_trace_with_both_schedulers() -> None:
    # `make demo`'s second half: the demo's arguments go through `csql k8s simulate`'s own
    # parser (they once fell behind a new option and the demo crashed); both schedulers
    # place all 42 pods of the bundled Azure sample on its 20 nodes
    from csql.cli_k8s import simulate
    from csql.k8s.demo import demo_arguments

    for scheduler in ("csql", "baseline"):
        summary = simulate(demo_arguments(scheduler)).summary()
        assert summary["scheduler"] == scheduler and summary["nodes"] == 20
        assert summary["pods_arrived"] == 42
        assert summary["never_placed"] == 0
