"""The trace readers (DCM's Azure-derived lines, the Alibaba 2023 GPU trace, the synthetic
generator) and the replay metrics. Every expected value below is worked out by hand from the
documented scaling (DCM's defaults: cores / 100 cores, GB / 200 GiB, times / 100)."""

from __future__ import annotations

from csql.k8s.objects import HOSTNAME, ZONE
from csql.k8s.traces import (
    GPU,
    GPU_MODEL,
    ZONES,
    arrivals,
    read_alibaba_nodes,
    read_alibaba_pods,
    read_azure,
    synthetic,
)

AZURE = """\
765 26906 600 900 1 1.75 5
1040 12378 300 2591700 8 14 1
a malformed line of six
2021 17547 600 12900 >24 >64 2
"""


def test_azure_lines_scale_like_dcm_and_arrive_in_time_order(tmp_path) -> None:
    path = tmp_path / "azure.txt"
    path.write_text(AZURE)
    first, second, third = read_azure(path, nodes=10)
    # 8 cores -> 8 * 1000 / 100 = 80 millicores; 14 GB -> int(14 * 1024 / 200) = 71 MiB;
    # start 300 -> 3.0 s, lifetime (2591700 - 300) / 100 = 25914 s; one replica
    assert first.time == 3.0 and first.lifetime == 25914.0 and len(first.pods) == 1
    assert first.pods[0].requests == {"cpu": 80, "memory": 71}
    # 1 core -> 10 m, 1.75 GB -> int(8.96) = 8 MiB, five replicas of one owner
    assert second.time == 6.0 and second.lifetime == 3.0 and len(second.pods) == 5
    assert {p.requests["cpu"] for p in second.pods} == {10}
    assert {p.requests["memory"] for p in second.pods} == {8}
    assert len({p.owner for p in second.pods}) == 1
    # '>24' and '>64' (the trace's open-ended bins) read as 24 cores and 64 GB
    assert third.pods[0].requests == {"cpu": 240, "memory": 327}
    # no affinity asked: no pod carries any
    assert all(not p.affinity and not p.required_node_affinity
               for d in (first, second, third) for p in d.pods)
    assert [len(d.pods) for d in read_azure(path, nodes=10, limit=2)] == [1, 5]


def test_affinity_fraction_100_gives_every_deployment_both_affinities(tmp_path) -> None:
    path = tmp_path / "azure.txt"
    path.write_text(AZURE)
    for deployment in read_azure(path, nodes=10, affinity=100, seed=3):
        for pod in deployment.pods:
            [anti] = pod.affinity
            assert anti.anti and anti.topology_key == HOSTNAME
            [term] = pod.required_node_affinity
            [requirement] = term.expressions
            assert requirement.key == ZONE and requirement.operator == "In"
            assert len(requirement.values) == 2 and set(requirement.values) <= set(ZONES)


def test_alibaba_nodes_and_pods(tmp_path) -> None:
    nodes_csv = tmp_path / "nodes.csv"
    nodes_csv.write_text("sn,cpu_milli,memory_mib,gpu,model\n"
                         "n0,32000,262144,0,\nn1,96000,786432,8,V100M32\n")
    pods_csv = tmp_path / "pods.csv"
    pods_csv.write_text(
        "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
        "deletion_time,scheduled_time\n"
        "p0,12000,16384,1,1000,V100M32|A10,LS,Running,5000,12000,5000\n"
        "p1,6000,12288,0,0,,BE,Running,0,,0\n")
    n0, n1 = read_alibaba_nodes(nodes_csv)
    assert n0.allocatable == {"cpu": 32000, "memory": 262144, "pods": 110, GPU: 0}
    assert GPU_MODEL not in n0.labels and n1.labels[GPU_MODEL] == "V100M32"
    assert n1.allocatable[GPU] == 8
    early, late = read_alibaba_pods(pods_csv)  # sorted by creation time
    [p1], [p0] = early.pods, late.pods
    # p1: best effort (priority 0), no GPU, never deleted (no lifetime)
    assert (early.time, early.lifetime, p1.priority) == (0.0, None, 0)
    assert p1.requests == {"cpu": 6000, "memory": 12288}
    # p0: created at 5 s, deleted at 12 s (times / 1000), LS priority, one GPU, and a node
    # affinity on the GPU model: either of the two listed
    assert (late.time, late.lifetime, p0.priority) == (5.0, 7.0, 1000)
    assert p0.requests == {"cpu": 12000, "memory": 16384, GPU: 1}
    [term] = p0.required_node_affinity
    [requirement] = term.expressions
    assert (requirement.key, requirement.operator, requirement.values) == (
        GPU_MODEL, "In", ("V100M32", "A10"))


def test_synthetic_is_seeded_and_arrives_in_waves() -> None:
    one = synthetic(nodes=20, deployments=9, waves=3, interval=30, seed=5)
    again = synthetic(nodes=20, deployments=9, waves=3, interval=30, seed=5)
    other = synthetic(nodes=20, deployments=9, waves=3, interval=30, seed=6)
    assert one == again and one != other
    assert [t for t, _ in arrivals(one)] == [0, 30, 60]
    assert [len(group) for _, group in arrivals(one)] == [3, 3, 3]
    for d in one:
        cpu = d.pods[0].requests["cpu"]
        assert cpu in range(10, 81, 10)  # 1-8 cores, scaled by 100
        assert len(d.pods) in range(1, 21)  # 1 to max_replicas (20) replicas


def test_replay_metrics_percentiles_and_placement_quality() -> None:
    from csql.k8s.metrics import percentile, placement_quality
    from csql.k8s.objects import Node, Pod, Taint
    from csql.k8s.state import ClusterState

    # nearest rank: p50 of 1..4 is the 2nd value, p95 the 4th, nothing gives 0
    assert (percentile([4.0, 1.0, 3.0, 2.0], 50), percentile([4.0, 1.0, 3.0, 2.0], 95),
            percentile([], 50)) == (2.0, 4.0, 0.0)
    state = ClusterState(None)
    state.add_nodes([Node("n0", {"cpu": 1000, "memory": 1000, "pods": 110}, {ZONE: "zone-0"}),
                     Node("n1", {"cpu": 1000, "memory": 1000, "pods": 110}, {ZONE: "zone-1"},
                          taints=(Taint("spot", "", "PreferNoSchedule"),))])
    pods = [Pod(f"a{i}", {"cpu": 400}, owner="a") for i in range(3)]
    state.add_pods(pods)
    state.bind({pods[0].key: "n0", pods[1].key: "n0", pods[2].key: "n1"})
    quality = placement_quality(state)
    assert quality["running"] == 3
    assert quality["soft_violations"] == 1  # a2 sits on the untolerated PreferNoSchedule node
    assert quality["zone_skew_max"] == 1  # owner a: 2 pods in zone-0, 1 in zone-1
    # free CPU: n0 200, n1 600; the mean request is 400, so n0's 200 is stranded: 200 / 800
    assert quality["fragmentation"] == 0.25


def test_baseline_scores_only_kube_schedulers_share_of_the_nodes() -> None:
    from csql.k8s.baseline import BaselineScheduler, nodes_to_find
    from csql.k8s.objects import Node, Pod

    # below 100 nodes all; then 50% minus 1% per 125 nodes, at least 5%, at least 50 nodes
    assert nodes_to_find(50) == 50
    assert nodes_to_find(120) == 60  # 50% of 120
    assert nodes_to_find(500) == 230  # 46% of 500
    assert nodes_to_find(5000) == 500  # 10%
    assert nodes_to_find(10000) == 500  # the 5% floor
    assert nodes_to_find(1000, percentage=1) == 50  # the 50-node floor
    # 200 identical empty nodes: the first pod is scored against the first 98 feasible
    # nodes of the round-robin only (49%), so it lands on one of them whatever the tie-break
    # (scoring all 200 would put 20 seeded tie-breaks all below 98 with chance 0.49^20)
    for seed in range(20):
        s = BaselineScheduler(seed=seed)
        s.state.add_nodes([Node(f"n{i:03d}", {"cpu": 1000, "memory": 1000, "pods": 110})
                           for i in range(200)])
        s.state.add_pods([Pod("p", {"cpu": 100})])
        [result] = s.schedule_pending()
        assert int(result.placed["default/p"][1:]) < 98
