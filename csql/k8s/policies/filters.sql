-- Filters: kube-scheduler's Filter plugins as plain SQL views over the scheduler's tables
-- (not part of the C-SQL program). Pods of one equivalence class share every verdict, so
-- the views work per class of the batch (`batch_class`, one representative pod each), and
-- the verdicts that depend only on the node and the pod's spec are kept per class in
-- `class_node` (computed for the classes of `class_scope`). `refresh.sql` materialises them
-- per batch; the solve's statements then read tables, not this stack of correlated views.

-- Which selectors match which pods. Only the pairs the batch needs are evaluated: the
-- selectors of the batch's terms against the pods that could match them, and the required
-- anti-affinity selectors of running pods against the batch (the symmetric rule).
CREATE OR REPLACE TEMP VIEW batch_selector AS
    SELECT t.selector AS selector FROM pod_affinity_term t
    WHERE t.pod IN (SELECT batch.pod FROM batch)
    UNION SELECT s.selector AS selector FROM pod_spread s
    WHERE s.pod IN (SELECT batch.pod FROM batch);

CREATE OR REPLACE TEMP VIEW running_anti_selector AS
    SELECT DISTINCT t.selector AS selector FROM pod_affinity_term t
    JOIN running_pod rp ON rp.uid = t.pod WHERE t.is_anti AND t.required;

-- A pod that matches a selector carries the label of each of its In / Exists expressions,
-- so those pods are found through `pod_label`; only a selector made of NotIn /
-- DoesNotExist alone is tried against every pod.
CREATE OR REPLACE TEMP VIEW selector_pod_pair AS
    SELECT DISTINCT s.selector AS selector, l.pod AS pod
    FROM batch_selector s
    JOIN selector_expr e ON e.selector = s.selector AND e.operator = 'In'
    JOIN selector_value v ON v.selector = e.selector AND v.expr = e.expr
    JOIN pod_label l ON l.key = e.key AND l.value = v.value
    UNION
    SELECT DISTINCT s.selector AS selector, l.pod AS pod
    FROM batch_selector s
    JOIN selector_expr e ON e.selector = s.selector AND e.operator = 'Exists'
    JOIN pod_label l ON l.key = e.key
    UNION
    SELECT s.selector AS selector, q.uid AS pod
    FROM batch_selector s CROSS JOIN pod q
    WHERE NOT EXISTS (SELECT 1 FROM selector_expr e WHERE e.selector = s.selector
                      AND e.operator IN ('In', 'Exists'))
    UNION
    SELECT a.selector AS selector, b.pod AS pod
    FROM running_anti_selector a CROSS JOIN batch b
    WHERE NOT EXISTS (SELECT 1 FROM selector_expr e WHERE e.selector = a.selector
                      AND e.operator IN ('In', 'Exists'))
    UNION
    SELECT DISTINCT a.selector AS selector, l.pod AS pod
    FROM batch b
    JOIN pod_label l ON l.pod = b.pod
    JOIN selector_expr e ON e.key = l.key AND e.operator IN ('In', 'Exists')
    JOIN running_anti_selector a ON a.selector = e.selector
    WHERE e.operator = 'Exists' OR EXISTS (
        SELECT 1 FROM selector_value v WHERE v.selector = e.selector AND v.expr = e.expr
          AND v.value = l.value);

CREATE OR REPLACE TEMP VIEW selector_match_source AS
    SELECT sp.selector AS selector, sp.pod AS pod
    FROM selector_pod_pair sp
    WHERE EXISTS (SELECT 1 FROM selector_expr e WHERE e.selector = sp.selector)
      AND NOT EXISTS (
        SELECT 1 FROM selector_expr e
        WHERE e.selector = sp.selector AND NOT (CASE e.operator
            WHEN 'In' THEN EXISTS (
                SELECT 1 FROM pod_label l JOIN selector_value v
                  ON v.selector = e.selector AND v.expr = e.expr AND v.value = l.value
                WHERE l.pod = sp.pod AND l.key = e.key)
            WHEN 'NotIn' THEN NOT EXISTS (
                SELECT 1 FROM pod_label l JOIN selector_value v
                  ON v.selector = e.selector AND v.expr = e.expr AND v.value = l.value
                WHERE l.pod = sp.pod AND l.key = e.key)
            WHEN 'Exists' THEN EXISTS (
                SELECT 1 FROM pod_label l WHERE l.pod = sp.pod AND l.key = e.key)
            WHEN 'DoesNotExist' THEN NOT EXISTS (
                SELECT 1 FROM pod_label l WHERE l.pod = sp.pod AND l.key = e.key)
            ELSE false END));

-- (pod with a term, term, pod matching it), namespaces applied; a pod matching its own
-- term is listed too (the first-pod rule needs it).
CREATE OR REPLACE TEMP VIEW term_match_source AS
    SELECT t.pod AS pod, t.term AS term, q.uid AS other
    FROM pod_affinity_term t
    JOIN pod owner ON owner.uid = t.pod
    JOIN selector_hit m ON m.selector = t.selector
    JOIN pod q ON q.uid = m.pod
    WHERE t.namespace = '*' OR q.namespace = COALESCE(t.namespace, owner.namespace);

CREATE OR REPLACE TEMP VIEW spread_match_source AS
    SELECT s.pod AS pod, s.term AS term, q.uid AS other
    FROM pod_spread s
    JOIN pod owner ON owner.uid = s.pod
    JOIN selector_hit m ON m.selector = s.selector
    JOIN pod q ON q.uid = m.pod
    WHERE q.namespace = owner.namespace;

-- The batch's pending pods by equivalence class.
CREATE OR REPLACE TEMP VIEW batch_class_source AS
    SELECT p.equivalence_class AS class, MIN(p.uid) AS pod, COUNT(*) AS size
    FROM batch_pod p WHERE NOT p.stay
    GROUP BY p.equivalence_class;

-- Node-level verdicts (evaluated over the whole cluster, once per class of `class_scope`).
-- Node affinity: the (class, required, term, node) where one of the term's expressions fails.
CREATE OR REPLACE TEMP VIEW node_affinity_fail AS
    SELECT c.class AS class, e.required AS required, e.term AS term, n.name AS node
    FROM node_affinity_expr e
    JOIN class_scope c ON c.pod = e.pod
    CROSS JOIN node n
    LEFT JOIN node_label l ON l.node = n.name AND l.key = e.key
    WHERE NOT (CASE e.operator
        WHEN 'In' THEN l.value IS NOT NULL AND EXISTS (
            SELECT 1 FROM node_affinity_value v WHERE v.pod = e.pod AND v.required = e.required
              AND v.term = e.term AND v.expr = e.expr AND v.value = l.value)
        WHEN 'NotIn' THEN l.value IS NULL OR NOT EXISTS (
            SELECT 1 FROM node_affinity_value v WHERE v.pod = e.pod AND v.required = e.required
              AND v.term = e.term AND v.expr = e.expr AND v.value = l.value)
        WHEN 'Exists' THEN l.value IS NOT NULL
        WHEN 'DoesNotExist' THEN l.value IS NULL
        WHEN 'Gt' THEN l.num IS NOT NULL AND l.num > e.num
        WHEN 'Lt' THEN l.num IS NOT NULL AND l.num < e.num
        ELSE false END);

CREATE OR REPLACE TEMP VIEW taint_blocked AS
    SELECT DISTINCT c.class AS class, tt.node AS node, tt.key AS key, tt.effect AS effect
    FROM class_scope c
    CROSS JOIN node_taint tt
    WHERE NOT EXISTS (
        SELECT 1 FROM pod_toleration t
        WHERE t.pod = c.pod
          AND (t.key IS NULL OR t.key = tt.key)
          AND (t.operator = 'Exists' OR t.value = tt.value)
          AND (t.effect IS NULL OR t.effect = tt.effect));

CREATE OR REPLACE TEMP VIEW class_static_verdict AS
    SELECT c.class AS class, n.name AS node,
        (n.ready AND NOT n.memory_pressure AND NOT n.disk_pressure AND NOT n.pid_pressure
         AND NOT n.network_unavailable) AS ok_condition,
        (NOT n.unschedulable OR EXISTS (
            SELECT 1 FROM pod_toleration t WHERE t.pod = c.pod
              AND (t.key = 'node.kubernetes.io/unschedulable'
                   OR (t.key IS NULL AND t.operator = 'Exists'))
              AND (t.effect IS NULL OR t.effect = 'NoSchedule'))) AS ok_unschedulable,
        NOT EXISTS (SELECT 1 FROM taint_blocked tb WHERE tb.class = c.class
                    AND tb.node = n.name AND tb.effect IN ('NoSchedule', 'NoExecute'))
            AS ok_taints,
        (NOT EXISTS (SELECT 1 FROM node_affinity_term a WHERE a.pod = c.pod AND a.required)
         OR EXISTS (SELECT 1 FROM node_affinity_term a WHERE a.pod = c.pod AND a.required
                    AND NOT EXISTS (SELECT 1 FROM node_affinity_fail f WHERE f.class = c.class
                                    AND f.required AND f.term = a.term AND f.node = n.name)))
            AS ok_node_affinity,
        NOT EXISTS (SELECT 1 FROM pod_affinity_term t WHERE t.pod = c.pod AND t.required
                    AND NOT EXISTS (SELECT 1 FROM node_label l WHERE l.node = n.name
                                    AND l.key = t.topology_key)) AS ok_topology_keys,
        (SELECT COUNT(*) FROM taint_blocked tb WHERE tb.class = c.class AND tb.node = n.name
           AND tb.effect = 'PreferNoSchedule') AS taints,
        COALESCE((SELECT SUM(a.weight) FROM node_affinity_term a
                  WHERE a.pod = c.pod AND NOT a.required
                    AND NOT EXISTS (SELECT 1 FROM node_affinity_fail f WHERE f.class = c.class
                                    AND NOT f.required AND f.term = a.term
                                    AND f.node = n.name)), 0) AS node_affinity
    FROM class_scope c CROSS JOIN node n;

-- Verdicts that depend on the running pods, per class of the batch, on the nodes that pass
-- the node-level filters. Free capacity counts the batch's own running pods (preemption
-- victims) as free: the solve decides whether they stay.
CREATE OR REPLACE TEMP VIEW node_free AS
    SELECT a.node AS node, a.resource AS resource, a.allocatable AS allocatable,
           COALESCE(u.used, 0) - COALESCE(st.used, 0) AS used
    FROM node_resource a
    LEFT JOIN node_load u ON u.node = a.node AND u.resource = a.resource
    LEFT JOIN batch_stay_load st ON st.node = a.node AND st.resource = a.resource;

CREATE OR REPLACE TEMP VIEW fit_blocked AS
    SELECT b.class AS class, c.node AS node, r.resource AS resource
    FROM batch_class b
    JOIN class_node c ON c.class = b.class
    JOIN pod_request r ON r.pod = b.pod
    LEFT JOIN node_free f ON f.node = c.node AND f.resource = r.resource
    WHERE r.amount > COALESCE(f.allocatable - f.used, 0);

CREATE OR REPLACE TEMP VIEW port_blocked AS
    SELECT DISTINCT b.class AS class, q.node_name AS node
    FROM batch_class b
    JOIN pod_host_port a ON a.pod = b.pod
    JOIN pod_host_port o ON o.port = a.port AND o.protocol = a.protocol
      AND (o.host_ip = a.host_ip OR o.host_ip = '0.0.0.0' OR a.host_ip = '0.0.0.0')
    JOIN running_pod q ON q.uid = o.pod;

-- Nodes a class may not use because a running pod repels it: the pod's own required
-- anti-affinity, and (symmetrically) running pods' required anti-affinity that it matches.
-- Per class, term of its representative pod and running pod matching that term: the nodes
-- of that running pod's topology domain (one row per matching running pod, so that the
-- preferred-affinity score in scores.sql can sum a weight per match).
CREATE OR REPLACE TEMP VIEW class_term_running_domain AS
    SELECT b.class AS class, t.is_anti AS is_anti, t.required AS required,
           t.weight AS weight, ln.node AS node
    FROM batch_class b
    JOIN pod_affinity_term t ON t.pod = b.pod
    JOIN term_match m ON m.pod = t.pod AND m.term = t.term
    JOIN running_pod q ON q.uid = m.other
    JOIN node_label lq ON lq.node = q.node_name AND lq.key = t.topology_key
    JOIN node_label ln ON ln.key = t.topology_key AND ln.value = lq.value;

CREATE OR REPLACE TEMP VIEW anti_affinity_blocked AS
    SELECT d.class AS class, d.node AS node
    FROM class_term_running_domain d
    WHERE d.is_anti AND d.required
    UNION
    SELECT b.class AS class, ln.node AS node
    FROM pod_affinity_term t
    JOIN running_pod q ON q.uid = t.pod
    JOIN term_match m ON m.pod = t.pod AND m.term = t.term
    JOIN batch_class b ON b.pod = m.other
    JOIN node_label lq ON lq.node = q.node_name AND lq.key = t.topology_key
    JOIN node_label ln ON ln.key = t.topology_key AND ln.value = lq.value
    WHERE t.is_anti AND t.required;

CREATE OR REPLACE TEMP VIEW class_feasible_source AS
    SELECT c.class AS class, c.node AS node
    FROM batch_class b JOIN class_node c ON c.class = b.class AND c.static_ok
    WHERE NOT EXISTS (SELECT 1 FROM fit_blocked x WHERE x.class = c.class AND x.node = c.node)
      AND NOT EXISTS (SELECT 1 FROM port_blocked x WHERE x.class = c.class
                      AND x.node = c.node)
      AND NOT EXISTS (SELECT 1 FROM anti_affinity_blocked x WHERE x.class = c.class
                      AND x.node = c.node);

-- Every filter's verdict per (class, node), as kube-scheduler's Filter plugins would give
-- it, for the classes of `class_scope`: the reasons of unplaced pods are counted from it.
CREATE OR REPLACE TEMP VIEW class_node_filter AS
    SELECT v.class AS class, v.node AS node, v.ok_condition AS ok_condition,
        v.ok_unschedulable AS ok_unschedulable, v.ok_taints AS ok_taints,
        v.ok_node_affinity AS ok_node_affinity,
        NOT EXISTS (SELECT 1 FROM fit_blocked x WHERE x.class = v.class AND x.node = v.node)
            AS ok_fit,
        NOT EXISTS (SELECT 1 FROM port_blocked x WHERE x.class = v.class AND x.node = v.node)
            AS ok_ports,
        NOT EXISTS (SELECT 1 FROM anti_affinity_blocked x WHERE x.class = v.class
                    AND x.node = v.node) AS ok_anti_affinity,
        v.ok_topology_keys AS ok_topology_keys
    FROM class_static_verdict v;
