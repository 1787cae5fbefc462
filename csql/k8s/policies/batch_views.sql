-- Data views of the C-SQL program: the batch, its running context, and the pairs and
-- domains that the pods of one batch share (what the constraints of placement.sql quantify
-- over). Apart from the spread domains, all of them are bounded by the batch and its
-- candidate nodes, not by the cluster.

CREATE VIEW batch_pod AS
    SELECT pod.*, batch.weight AS weight, batch.stay AS stay
    FROM pod JOIN batch ON batch.pod = pod.uid;

-- Running pods that this solve does not move: their load and labels are fixed.
CREATE VIEW running_pod AS
    SELECT pod.* FROM pod
    WHERE pod.phase = 'Running' AND pod.node_name IS NOT NULL
      AND pod.uid NOT IN (SELECT batch.pod FROM batch);

-- The load of the batch's running pods (the preemption pass's possible victims): it is in
-- `node_load`, but this solve decides whether it stays.
CREATE VIEW batch_stay_load AS
    SELECT p.node_name AS node, r.resource AS resource, SUM(r.amount) AS used
    FROM batch_pod p JOIN pod_request r ON r.pod = p.uid
    WHERE p.stay
    GROUP BY p.node_name, r.resource;

CREATE VIEW batch_node AS
    SELECT DISTINCT c.node AS node FROM candidate c
    UNION SELECT 'NULL_NODE' AS node;

-- Free capacity of the candidate nodes for every resource some pod of the batch requests;
-- a node without the resource has 0.
CREATE VIEW batch_node_spare AS
    SELECT n.node AS node, res.resource AS resource,
           COALESCE(a.allocatable, 0) - COALESCE(u.used, 0) + COALESCE(st.used, 0) AS spare
    FROM (SELECT DISTINCT c.node AS node FROM candidate c) n
    CROSS JOIN (SELECT DISTINCT r.resource FROM pod_request r
                WHERE r.pod IN (SELECT batch.pod FROM batch)) res
    LEFT JOIN node_resource a ON a.node = n.node AND a.resource = res.resource
    LEFT JOIN node_load u ON u.node = n.node AND u.resource = res.resource
    LEFT JOIN batch_stay_load st ON st.node = n.node AND st.resource = res.resource;

-- Pairs of batch pods that must not share a topology domain (required anti-affinity of
-- either pod against the other), one row per unordered pair and topology key.
CREATE VIEW anti_affinity_pair AS
    SELECT DISTINCT LEAST(t.pod, m.other) AS pod_a, GREATEST(t.pod, m.other) AS pod_b,
           t.topology_key AS key
    FROM pod_affinity_term t
    JOIN batch b1 ON b1.pod = t.pod
    JOIN term_match m ON m.pod = t.pod AND m.term = t.term
    JOIN batch b2 ON b2.pod = m.other
    WHERE t.is_anti AND t.required AND m.other <> t.pod;

CREATE VIEW host_port_pair AS
    SELECT DISTINCT a.pod AS pod_a, o.pod AS pod_b
    FROM pod_host_port a
    JOIN batch b1 ON b1.pod = a.pod
    JOIN pod_host_port o ON o.port = a.port AND o.protocol = a.protocol
      AND (o.host_ip = a.host_ip OR o.host_ip = '0.0.0.0' OR a.host_ip = '0.0.0.0')
    JOIN batch b2 ON b2.pod = o.pod
    WHERE a.pod < o.pod;

-- Topology keys whose domains the batch's constraints need (hostname anti-affinity is
-- posted on the nodes directly and needs no channelling).
CREATE VIEW batch_topology_key AS
    SELECT t.topology_key AS key FROM pod_affinity_term t JOIN batch b ON b.pod = t.pod
    WHERE t.required AND NOT (t.is_anti AND t.topology_key = 'kubernetes.io/hostname')
    UNION
    SELECT s.topology_key AS key FROM pod_spread s JOIN batch b ON b.pod = s.pod
    WHERE s.hard;

CREATE VIEW candidate_domain AS
    SELECT c.pod AS pod, l.key AS key, l.value AS value, c.node AS node
    FROM candidate c
    JOIN node_label l ON l.node = c.node
    JOIN batch_topology_key k ON k.key = l.key;

CREATE VIEW pod_domain AS
    SELECT DISTINCT cd.pod AS pod, cd.key AS key, cd.value AS value FROM candidate_domain cd;

-- Required pod affinity terms of pending pods. The first-pod rule: a term that no other
-- pod (running or pending) matches, and that the pod matches itself, is satisfied anywhere.
CREATE VIEW affinity_term AS
    SELECT t.pod AS pod, t.term AS term, t.topology_key AS key
    FROM pod_affinity_term t
    JOIN batch b ON b.pod = t.pod
    WHERE NOT t.is_anti AND t.required AND NOT b.stay
      AND (EXISTS (SELECT 1 FROM term_match m WHERE m.pod = t.pod AND m.term = t.term
                   AND m.other <> t.pod
                   AND (m.other IN (SELECT rp.uid FROM running_pod rp)
                        OR m.other IN (SELECT b2.pod FROM batch b2)))
           OR NOT EXISTS (SELECT 1 FROM term_match m WHERE m.pod = t.pod AND m.term = t.term
                          AND m.other = t.pod));

-- For each required affinity term and each domain the pod may land in that holds no
-- matching running pod: the pending pods that could satisfy it there.
CREATE VIEW affinity_need AS
    SELECT a.pod AS pod, a.term AS term, d.key AS key, d.value AS value
    FROM affinity_term a
    JOIN pod_domain d ON d.pod = a.pod AND d.key = a.key
    WHERE NOT EXISTS (
        SELECT 1 FROM term_match m
        JOIN running_pod q ON q.uid = m.other
        JOIN node_label l ON l.node = q.node_name AND l.key = a.key
        WHERE m.pod = a.pod AND m.term = a.term AND l.value = d.value);

CREATE VIEW affinity_pending_match AS
    SELECT m.pod AS pod, m.term AS term, m.other AS other
    FROM term_match m JOIN batch b ON b.pod = m.other
    WHERE m.other <> m.pod;

-- Hard topology spread: the domains of each term (nodes with the key that pass the pod's
-- node affinity, kube's nodeAffinityPolicy Honor), with their running matching pods.
CREATE VIEW spread_term AS
    SELECT s.pod AS pod, s.term AS term, s.topology_key AS key, s.max_skew AS max_skew,
           s.min_domains AS min_domains
    FROM pod_spread s JOIN batch b ON b.pod = s.pod
    WHERE s.hard AND NOT b.stay;

CREATE VIEW spread_all_domain AS
    SELECT DISTINCT st.pod AS pod, st.term AS term, st.key AS key, l.value AS value
    FROM spread_term st
    JOIN batch_pod p ON p.uid = st.pod
    JOIN class_node f ON f.class = p.equivalence_class
    JOIN node_label l ON l.node = f.node AND l.key = st.key;

CREATE VIEW spread_running AS
    SELECT sd.pod AS pod, sd.term AS term, sd.key AS key, sd.value AS value,
        (SELECT COUNT(*) FROM spread_match m
         JOIN running_pod q ON q.uid = m.other
         JOIN node_label l ON l.node = q.node_name AND l.key = sd.key
         WHERE m.pod = sd.pod AND m.term = sd.term AND l.value = sd.value) AS running
    FROM spread_all_domain sd;

CREATE VIEW spread_member AS
    SELECT m.pod AS pod, m.term AS term, m.other AS other
    FROM spread_match m JOIN batch b ON b.pod = m.other
    WHERE m.pod IN (SELECT st.pod FROM spread_term st);

-- Domains some member of the term may land in: their counts are decided by the solve.
CREATE VIEW spread_domain AS
    SELECT sr.pod AS pod, sr.term AS term, sr.key AS key, sr.value AS value,
           sr.running AS running
    FROM spread_running sr
    WHERE EXISTS (SELECT 1 FROM spread_member m JOIN pod_domain d ON d.pod = m.other
                  WHERE m.pod = sr.pod AND m.term = sr.term AND d.key = sr.key
                    AND d.value = sr.value);

-- The other domains keep their running counts; their minimum (0 when there are fewer
-- domains than minDomains) bounds the global minimum.
CREATE VIEW spread_bound AS
    SELECT st.pod AS pod, st.term AS term, st.max_skew AS max_skew,
        CASE WHEN (SELECT COUNT(*) FROM spread_all_domain a WHERE a.pod = st.pod
                   AND a.term = st.term) < st.min_domains THEN 0
             ELSE COALESCE((SELECT MIN(sr.running) FROM spread_running sr
                            WHERE sr.pod = st.pod AND sr.term = st.term
                              AND NOT EXISTS (SELECT 1 FROM spread_domain d WHERE d.pod = sr.pod
                                              AND d.term = sr.term AND d.value = sr.value)),
                           1000000000) END AS static_min
    FROM spread_term st;
