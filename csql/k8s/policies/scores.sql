-- Scores (plain SQL views, materialised per batch into `candidate` by refresh.sql) of
-- (class, feasible node) pairs with kube-scheduler's default Score plugins and
-- weights (TaintToleration 3, NodeAffinity 2, InterPodAffinity 2, PodTopologySpread 2,
-- NodeResourcesFit 1 with LeastAllocated or MostAllocated, BalancedAllocation 1), each
-- normalised to 0..100 over the pod's feasible nodes as the plugins' NormalizeScore does.
-- They are scored against the running pods, as kube-scheduler scores each pod against its
-- cache; how the pods of one batch affect each other's scores is not modelled.

CREATE OR REPLACE TEMP VIEW resource_fraction AS
    SELECT f.class AS class, f.node AS node,
        CASE WHEN COALESCE(uc.allocatable, 0) <= 0 THEN 1.0
             ELSE LEAST(1.0, (uc.used + COALESCE(rc.amount, 0)) * 1.0
                             / uc.allocatable) END AS cpu,
        CASE WHEN COALESCE(um.allocatable, 0) <= 0 THEN 1.0
             ELSE LEAST(1.0, (um.used + COALESCE(rm.amount, 0)) * 1.0
                             / um.allocatable) END AS memory
    FROM class_feasible f
    JOIN batch_class b ON b.class = f.class
    LEFT JOIN node_free uc ON uc.node = f.node AND uc.resource = 'cpu'
    LEFT JOIN node_free um ON um.node = f.node AND um.resource = 'memory'
    LEFT JOIN pod_request rc ON rc.pod = b.pod AND rc.resource = 'cpu'
    LEFT JOIN pod_request rm ON rm.pod = b.pod AND rm.resource = 'memory';

CREATE OR REPLACE TEMP VIEW resource_score AS
    SELECT r.class AS class, r.node AS node,
        CAST(FLOOR(CASE WHEN (SELECT MAX(CAST(c.most_allocated AS INTEGER))
                              FROM scheduler_config c) = 1
                        THEN 50.0 * (r.cpu + r.memory)
                        ELSE 50.0 * ((1 - r.cpu) + (1 - r.memory)) END) AS INTEGER) AS fit,
        CAST(FLOOR(100.0 * (1 - ABS(r.cpu - r.memory) / 2)) AS INTEGER) AS balanced
    FROM resource_fraction r;

-- Preferred inter-pod (anti-)affinity: +weight (affinity) or -weight (anti-affinity) per
-- matching running pod in the node's topology domain.
CREATE OR REPLACE TEMP VIEW preferred_pod_affinity_raw AS
    SELECT d.class AS class, d.node AS node,
        SUM(CASE WHEN d.is_anti THEN -d.weight ELSE d.weight END) AS w
    FROM class_term_running_domain d
    WHERE NOT d.required
    GROUP BY d.class, d.node;

-- ScheduleAnyway spread: matching running pods in the node's domain, summed over terms.
CREATE OR REPLACE TEMP VIEW soft_spread_raw AS
    SELECT b.class AS class, ln.node AS node, COUNT(*) AS n
    FROM batch_class b
    JOIN pod_spread s ON s.pod = b.pod
    JOIN spread_match m ON m.pod = s.pod AND m.term = s.term
    JOIN running_pod q ON q.uid = m.other
    JOIN node_label lq ON lq.node = q.node_name AND lq.key = s.topology_key
    JOIN node_label ln ON ln.key = s.topology_key AND ln.value = lq.value
    WHERE NOT s.hard
    GROUP BY b.class, ln.node;

CREATE OR REPLACE TEMP VIEW score_parts AS
    SELECT f.class AS class, f.node AS node, rs.fit AS fit, rs.balanced AS balanced,
        cn.taints AS taints, cn.node_affinity AS node_affinity,
        COALESCE(pa.w, 0) AS pod_affinity, COALESCE(ss.n, 0) AS spread,
        EXISTS (SELECT 1 FROM pod_spread s WHERE s.pod = b.pod AND NOT s.hard) AS has_spread
    FROM class_feasible f
    JOIN batch_class b ON b.class = f.class
    JOIN class_node cn ON cn.class = f.class AND cn.node = f.node
    JOIN resource_score rs ON rs.class = f.class AND rs.node = f.node
    LEFT JOIN preferred_pod_affinity_raw pa ON pa.class = f.class AND pa.node = f.node
    LEFT JOIN soft_spread_raw ss ON ss.class = f.class AND ss.node = f.node;

CREATE OR REPLACE TEMP VIEW normalised_score AS
    SELECT s.class AS class, s.node AS node, s.fit AS fit, s.balanced AS balanced,
        CASE WHEN MAX(s.taints) OVER w = 0 THEN 100
             ELSE CAST(100 * (MAX(s.taints) OVER w - s.taints) / MAX(s.taints) OVER w
                       AS INTEGER) END AS taint_score,
        CASE WHEN MAX(s.node_affinity) OVER w = 0 THEN 0
             ELSE CAST(100 * s.node_affinity / MAX(s.node_affinity) OVER w AS INTEGER) END
            AS node_affinity_score,
        CASE WHEN MAX(s.pod_affinity) OVER w = MIN(s.pod_affinity) OVER w THEN 0
             ELSE CAST(100 * (s.pod_affinity - MIN(s.pod_affinity) OVER w)
                       / (MAX(s.pod_affinity) OVER w - MIN(s.pod_affinity) OVER w)
                       AS INTEGER) END AS pod_affinity_score,
        CASE WHEN NOT s.has_spread OR MAX(s.spread) OVER w = 0 THEN 100
             ELSE CAST(100 * (MAX(s.spread) OVER w + MIN(s.spread) OVER w - s.spread)
                       / MAX(s.spread) OVER w AS INTEGER) END AS spread_score
    FROM score_parts s
    WINDOW w AS (PARTITION BY s.class);

CREATE OR REPLACE TEMP VIEW scored_node AS
    SELECT n.class AS class, n.node AS node,
        3 * n.taint_score + 2 * n.node_affinity_score + n.fit + n.balanced
        + 2 * n.pod_affinity_score + 2 * n.spread_score AS score
    FROM normalised_score n;

-- The candidates the solver chooses from: every feasible node, or the best `candidate_limit`
-- of them per pod (VLDB'23 FP-pushdown: the batch's problem no longer grows with the
-- cluster). Identical pods rank nodes identically, so a class of m identical pods keeps
-- m x candidate_limit nodes, which they share (and symmetry breaking stays sound). The
-- batch's running pods (preemption pass) may only stay where they are.
CREATE OR REPLACE TEMP VIEW ranked_node AS
    SELECT s.class AS class, s.node AS node, s.score AS score,
        ROW_NUMBER() OVER (PARTITION BY s.class ORDER BY s.score DESC, s.node) AS rank
    FROM scored_node s;

CREATE OR REPLACE TEMP VIEW candidate_source AS
    SELECT p.uid AS pod, r.node AS node, r.score AS score
    FROM ranked_node r
    JOIN batch_class b ON b.class = r.class
    JOIN batch_pod p ON p.equivalence_class = r.class AND NOT p.stay
    WHERE r.rank <= COALESCE((SELECT MAX(CASE WHEN c.candidate_limit > 0
                                             THEN c.candidate_limit END)
                              FROM scheduler_config c) * b.size, r.rank)
    UNION ALL
    SELECT p.uid AS pod, p.node_name AS node, 0 AS score
    FROM batch_pod p WHERE p.stay;
