-- Scores (plain SQL views, materialised per batch into `candidate` by refresh.sql) of
-- (pod, feasible node) pairs with kube-scheduler's default Score plugins and
-- weights (TaintToleration 3, NodeAffinity 2, InterPodAffinity 2, PodTopologySpread 2,
-- NodeResourcesFit 1 with LeastAllocated or MostAllocated, BalancedAllocation 1), each
-- normalised to 0..100 over the pod's feasible nodes as the plugins' NormalizeScore does.
-- They are scored against the running pods, as kube-scheduler scores each pod against its
-- cache; how the pods of one batch affect each other's scores is not modelled.

CREATE OR REPLACE TEMP VIEW feasible_node AS
    SELECT f.pod AS pod, f.node AS node FROM pod_node_filter f
    WHERE (f.stay AND f.node = f.current_node)
       OR (NOT f.stay AND f.ok_condition AND f.ok_unschedulable AND f.ok_taints
           AND f.ok_node_affinity AND f.ok_fit AND f.ok_ports AND f.ok_anti_affinity
           AND f.ok_topology_keys);

CREATE OR REPLACE TEMP VIEW resource_fraction AS
    SELECT f.pod AS pod, f.node AS node,
        CASE WHEN COALESCE(ac.allocatable, 0) <= 0 THEN 1.0
             ELSE LEAST(1.0, (COALESCE(uc.used, 0) + COALESCE(rc.amount, 0)) * 1.0
                             / ac.allocatable) END AS cpu,
        CASE WHEN COALESCE(am.allocatable, 0) <= 0 THEN 1.0
             ELSE LEAST(1.0, (COALESCE(um.used, 0) + COALESCE(rm.amount, 0)) * 1.0
                             / am.allocatable) END AS memory
    FROM feasible_node f
    LEFT JOIN node_resource ac ON ac.node = f.node AND ac.resource = 'cpu'
    LEFT JOIN node_resource am ON am.node = f.node AND am.resource = 'memory'
    LEFT JOIN node_used uc ON uc.node = f.node AND uc.resource = 'cpu'
    LEFT JOIN node_used um ON um.node = f.node AND um.resource = 'memory'
    LEFT JOIN pod_request rc ON rc.pod = f.pod AND rc.resource = 'cpu'
    LEFT JOIN pod_request rm ON rm.pod = f.pod AND rm.resource = 'memory';

CREATE OR REPLACE TEMP VIEW resource_score AS
    SELECT r.pod AS pod, r.node AS node,
        CAST(FLOOR(CASE WHEN (SELECT MAX(CAST(c.most_allocated AS INTEGER)) FROM scheduler_config c) = 1
                        THEN 50.0 * (r.cpu + r.memory)
                        ELSE 50.0 * ((1 - r.cpu) + (1 - r.memory)) END) AS INTEGER) AS fit,
        CAST(FLOOR(100.0 * (1 - ABS(r.cpu - r.memory) / 2)) AS INTEGER) AS balanced
    FROM resource_fraction r;

CREATE OR REPLACE TEMP VIEW prefer_no_schedule_count AS
    SELECT tb.pod AS pod, tb.node AS node, COUNT(*) AS n FROM taint_blocked tb
    WHERE tb.effect = 'PreferNoSchedule'
    GROUP BY tb.pod, tb.node;

CREATE OR REPLACE TEMP VIEW preferred_node_affinity AS
    SELECT a.pod AS pod, f.node AS node, SUM(a.weight) AS w
    FROM node_affinity_term a
    JOIN feasible_node f ON f.pod = a.pod
    LEFT JOIN node_affinity_fail x ON x.pod = a.pod AND NOT x.required AND x.term = a.term
      AND x.node = f.node
    WHERE NOT a.required AND x.pod IS NULL
    GROUP BY a.pod, f.node;

-- Preferred inter-pod (anti-)affinity: +weight (affinity) or -weight (anti-affinity) per
-- matching running pod in the node's topology domain.
CREATE OR REPLACE TEMP VIEW preferred_pod_affinity_raw AS
    SELECT t.pod AS pod, ln.node AS node,
        SUM(CASE WHEN t.is_anti THEN -t.weight ELSE t.weight END) AS w
    FROM pod_affinity_term t
    JOIN batch b ON b.pod = t.pod
    JOIN term_match m ON m.pod = t.pod AND m.term = t.term
    JOIN running_pod q ON q.uid = m.other
    JOIN node_label lq ON lq.node = q.node_name AND lq.key = t.topology_key
    JOIN node_label ln ON ln.key = t.topology_key AND ln.value = lq.value
    WHERE NOT t.required
    GROUP BY t.pod, ln.node;

-- ScheduleAnyway spread: matching running pods in the node's domain, summed over terms.
CREATE OR REPLACE TEMP VIEW soft_spread_raw AS
    SELECT s.pod AS pod, ln.node AS node, COUNT(*) AS n
    FROM pod_spread s
    JOIN batch b ON b.pod = s.pod
    JOIN spread_match m ON m.pod = s.pod AND m.term = s.term
    JOIN running_pod q ON q.uid = m.other
    JOIN node_label lq ON lq.node = q.node_name AND lq.key = s.topology_key
    JOIN node_label ln ON ln.key = s.topology_key AND ln.value = lq.value
    WHERE NOT s.hard
    GROUP BY s.pod, ln.node;

CREATE OR REPLACE TEMP VIEW score_parts AS
    SELECT f.pod AS pod, f.node AS node, rs.fit AS fit, rs.balanced AS balanced,
        COALESCE(pn.n, 0) AS taints, COALESCE(na.w, 0) AS node_affinity,
        COALESCE(pa.w, 0) AS pod_affinity, COALESCE(ss.n, 0) AS spread,
        hs.pod IS NOT NULL AS has_spread
    FROM feasible_node f
    JOIN resource_score rs ON rs.pod = f.pod AND rs.node = f.node
    LEFT JOIN prefer_no_schedule_count pn ON pn.pod = f.pod AND pn.node = f.node
    LEFT JOIN preferred_node_affinity na ON na.pod = f.pod AND na.node = f.node
    LEFT JOIN preferred_pod_affinity_raw pa ON pa.pod = f.pod AND pa.node = f.node
    LEFT JOIN soft_spread_raw ss ON ss.pod = f.pod AND ss.node = f.node
    LEFT JOIN (SELECT DISTINCT s.pod FROM pod_spread s WHERE NOT s.hard) hs
      ON hs.pod = f.pod;

CREATE OR REPLACE TEMP VIEW normalised_score AS
    SELECT s.pod AS pod, s.node AS node, s.fit AS fit, s.balanced AS balanced,
        CASE WHEN MAX(s.taints) OVER (PARTITION BY s.pod) = 0 THEN 100
             ELSE CAST(100 * (MAX(s.taints) OVER (PARTITION BY s.pod) - s.taints) / MAX(s.taints) OVER (PARTITION BY s.pod)
                       AS INTEGER) END AS taint_score,
        CASE WHEN MAX(s.node_affinity) OVER (PARTITION BY s.pod) = 0 THEN 0
             ELSE CAST(100 * s.node_affinity / MAX(s.node_affinity) OVER (PARTITION BY s.pod) AS INTEGER) END
            AS node_affinity_score,
        CASE WHEN MAX(s.pod_affinity) OVER (PARTITION BY s.pod) = MIN(s.pod_affinity) OVER (PARTITION BY s.pod) THEN 0
             ELSE CAST(100 * (s.pod_affinity - MIN(s.pod_affinity) OVER (PARTITION BY s.pod))
                       / (MAX(s.pod_affinity) OVER (PARTITION BY s.pod) - MIN(s.pod_affinity) OVER (PARTITION BY s.pod)) AS INTEGER)
             END AS pod_affinity_score,
        CASE WHEN NOT s.has_spread OR MAX(s.spread) OVER (PARTITION BY s.pod) = 0 THEN 100
             ELSE CAST(100 * (MAX(s.spread) OVER (PARTITION BY s.pod) + MIN(s.spread) OVER (PARTITION BY s.pod) - s.spread)
                       / MAX(s.spread) OVER (PARTITION BY s.pod) AS INTEGER) END AS spread_score
    FROM score_parts s;

CREATE OR REPLACE TEMP VIEW scored_node AS
    SELECT n.pod AS pod, n.node AS node,
        3 * n.taint_score + 2 * n.node_affinity_score + n.fit + n.balanced
        + 2 * n.pod_affinity_score + 2 * n.spread_score AS score
    FROM normalised_score n;

-- The candidates the solver chooses from: every feasible node, or the best `candidate_limit`
-- of them per pod (VLDB'23 FP-pushdown: the batch's problem no longer grows with the
-- cluster). Identical pods rank nodes identically, so a class of m identical pods keeps
-- m x candidate_limit nodes, which they share (and symmetry breaking stays sound).
CREATE OR REPLACE TEMP VIEW ranked_node AS
    SELECT s.pod AS pod, s.node AS node, s.score AS score,
        ROW_NUMBER() OVER (PARTITION BY s.pod ORDER BY s.score DESC, s.node) AS rank,
        (SELECT COUNT(*) FROM batch_pod b1 JOIN batch_pod b2
           ON b2.equivalence_class = b1.equivalence_class AND NOT b2.stay
         WHERE b1.uid = s.pod) AS class_size
    FROM scored_node s;

CREATE OR REPLACE TEMP VIEW candidate_source AS
    SELECT r.pod AS pod, r.node AS node, r.score AS score FROM ranked_node r
    WHERE r.rank <= COALESCE((SELECT MAX(CASE WHEN c.candidate_limit > 0
                                             THEN c.candidate_limit END)
                              FROM scheduler_config c) * GREATEST(r.class_size, 1), r.rank);
