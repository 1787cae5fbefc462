-- The placement of one batch: each pod of `batch` gets a node or NULL_NODE (not placed in
-- this round). Hard constraints are kube-scheduler's Filter plugins over the whole batch at
-- once; the objective places as many pods as possible, by priority, then maximises the
-- Score plugins' total.

CREATE VIEW pods_to_assign AS
    SELECT batch_pod.*, batch_pod.node_name AS controllable__node_name FROM batch_pod;

-- The variable's domain: the batch's candidate nodes and NULL_NODE.
CREATE CONSTRAINT node_domain AS
    SELECT * FROM pods_to_assign
    CHECK controllable__node_name IN (SELECT batch_node.node FROM batch_node);

-- Every per-(pod, node) filter: conditions, unschedulable, taints, node selector and
-- required node affinity, fit on its own, host ports and anti-affinity against running pods.
CREATE CONSTRAINT candidate_nodes AS
    SELECT * FROM pods_to_assign p
    CHECK p.controllable__node_name = 'NULL_NODE'
       OR p.controllable__node_name IN (SELECT c.node FROM candidate c WHERE c.pod = p.uid);

-- Host ports: two pods of the batch that want the same port never share a node.
CREATE CONSTRAINT host_ports AS
    SELECT * FROM host_port_pair hp
    JOIN pods_to_assign a ON a.uid = hp.pod_a
    JOIN pods_to_assign b ON b.uid = hp.pod_b
    CHECK a.controllable__node_name = 'NULL_NODE'
       OR a.controllable__node_name <> b.controllable__node_name;

-- Required anti-affinity between pods of the batch on the hostname key.
CREATE CONSTRAINT anti_affinity_hostname AS
    SELECT * FROM anti_affinity_pair ap
    JOIN pods_to_assign a ON a.uid = ap.pod_a
    JOIN pods_to_assign b ON b.uid = ap.pod_b
    WHERE ap.key = 'kubernetes.io/hostname'
    CHECK a.controllable__node_name = 'NULL_NODE'
       OR a.controllable__node_name <> b.controllable__node_name;

-- Which candidate domain (of every topology key the batch uses) each pod lands in.
CREATE VIEW pod_in_domain AS
    SELECT d.pod AS pod, d.key AS key, d.value AS value,
        p.controllable__node_name IN (
            SELECT cd.node FROM candidate_domain cd
            WHERE cd.pod = d.pod AND cd.key = d.key AND cd.value = d.value) AS inside
    FROM pod_domain d JOIN pods_to_assign p ON p.uid = d.pod;

-- Required anti-affinity between pods of the batch on any other key (zones, racks).
CREATE CONSTRAINT anti_affinity_domain AS
    SELECT * FROM anti_affinity_pair ap
    JOIN pod_in_domain x ON x.pod = ap.pod_a AND x.key = ap.key
    JOIN pod_in_domain y ON y.pod = ap.pod_b AND y.key = ap.key AND y.value = x.value
    WHERE ap.key <> 'kubernetes.io/hostname'
    CHECK NOT (x.inside AND y.inside);

-- Required affinity: a pod that lands in a domain without a matching running pod needs a
-- matching pod of the batch in that domain.
CREATE CONSTRAINT pod_affinity AS
    SELECT * FROM affinity_need n
    JOIN pod_in_domain x ON x.pod = n.pod AND x.key = n.key AND x.value = n.value
    CHECK NOT x.inside OR EXISTS (
        SELECT 1 FROM affinity_pending_match m
        JOIN pod_in_domain y ON y.pod = m.other AND y.key = n.key AND y.value = n.value
        WHERE m.pod = n.pod AND m.term = n.term AND y.inside);

-- Hard topology spread (DoNotSchedule): matching pods per domain after the batch.
CREATE VIEW spread_count AS
    SELECT sd.pod AS pod, sd.term AS term, sd.key AS key, sd.value AS value,
        sd.running + (SELECT COUNT(*) FROM spread_member m
                      JOIN pod_in_domain y ON y.pod = m.other AND y.key = sd.key
                        AND y.value = sd.value
                      WHERE m.pod = sd.pod AND m.term = sd.term AND y.inside) AS cnt
    FROM spread_domain sd;

-- A pod may land in a domain only if, afterwards, that domain exceeds the global minimum
-- by at most maxSkew.
CREATE CONSTRAINT topology_spread AS
    SELECT * FROM spread_count c
    JOIN pod_in_domain x ON x.pod = c.pod AND x.key = c.key AND x.value = c.value
    JOIN spread_bound b ON b.pod = c.pod AND b.term = c.term
    CHECK NOT x.inside OR c.cnt <= b.max_skew + LEAST(b.static_min, (
        SELECT MIN(c2.cnt) FROM spread_count c2 WHERE c2.pod = c.pod AND c2.term = c.term));

-- Gangs: the pending members of a pod group are placed together or not at all.
CREATE CONSTRAINT gang_all_or_nothing AS
    SELECT * FROM pods_to_assign p JOIN gang g ON g.name = p.gang
    GROUP BY g.name, g.min_member
    CHECK sum(CASE WHEN p.controllable__node_name = 'NULL_NODE' THEN 0 ELSE 1 END) = 0
       OR sum(CASE WHEN p.controllable__node_name = 'NULL_NODE' THEN 0 ELSE 1 END)
          >= g.min_member;

-- Identical pending pods are interchangeable: only one order of their nodes is searched.
CREATE CONSTRAINT symmetry_breaking AS
    SELECT * FROM pods_to_assign p WHERE NOT p.stay
    GROUP BY p.equivalence_class
    CHECK increasing(p.controllable__node_name);

-- Place as many pods as possible, higher priorities first (weights are lexicographic by
-- priority level; a kept running pod in the preemption pass counts the same way).
CREATE CONSTRAINT place_pods AS
    SELECT * FROM pods_to_assign p
    MAXIMIZE CASE WHEN p.controllable__node_name = 'NULL_NODE' THEN 0 ELSE p.weight END;

-- kube-scheduler's weighted scores of the chosen node.
CREATE CONSTRAINT node_score AS
    SELECT * FROM pods_to_assign p
    JOIN candidate c ON c.pod = p.uid AND p.controllable__node_name = c.node
    MAXIMIZE c.score;
