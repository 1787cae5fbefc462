-- Data views of the scheduler: everything that does not depend on the decision is computed
-- here by the database, per batch, so the solver only sees what the batch decides.
--
-- The heart is `candidate`: for each pod of the batch, the nodes that pass every filter
-- that looks at one (pod, node) pair against the running pods (kube-scheduler's Filter
-- plugins evaluated against the cache), with the pair's static score (its Score plugins,
-- default weights). What pods of the same batch do to each other (resource fit, host ports,
-- inter-pod affinity, spread, gangs) is left to the constraints in placement.sql.

CREATE VIEW batch_pod AS
    SELECT pod.*, batch.weight AS weight, batch.stay AS stay
    FROM pod JOIN batch ON batch.pod = pod.uid;

-- Running pods that this solve does not move: their load and labels are fixed.
CREATE VIEW running_pod AS
    SELECT pod.* FROM pod
    WHERE pod.phase = 'Running' AND pod.node_name IS NOT NULL
      AND pod.uid NOT IN (SELECT batch.pod FROM batch);

CREATE VIEW node_used AS
    SELECT rp.node_name AS node, r.resource AS resource, SUM(r.amount) AS used
    FROM running_pod rp JOIN pod_request r ON r.pod = rp.uid
    GROUP BY rp.node_name, r.resource;

-- Free capacity per (node, resource) for every resource some pod of the batch requests; a
-- node without the resource has 0.
CREATE VIEW node_spare AS
    SELECT n.name AS node, res.resource AS resource,
           COALESCE(a.allocatable, 0) - COALESCE(u.used, 0) AS spare,
           COALESCE(a.allocatable, 0) AS allocatable, COALESCE(u.used, 0) AS used
    FROM node n
    CROSS JOIN (SELECT DISTINCT r.resource FROM pod_request r
                WHERE r.pod IN (SELECT batch.pod FROM batch)) res
    LEFT JOIN node_resource a ON a.node = n.name AND a.resource = res.resource
    LEFT JOIN node_used u ON u.node = n.name AND u.resource = res.resource;

-- Which selectors match which pods. Only the pairs the batch needs are evaluated: the
-- selectors of the batch's terms against every pod, and the required anti-affinity
-- selectors of running pods against the batch (the symmetric rule).
CREATE VIEW selector_pod_pair AS
    SELECT DISTINCT s.selector AS selector, q.uid AS pod
    FROM (SELECT t.selector FROM pod_affinity_term t WHERE t.pod IN (SELECT batch.pod FROM batch)
          UNION SELECT s.selector FROM pod_spread s WHERE s.pod IN (SELECT batch.pod FROM batch)) s
    CROSS JOIN pod q
    UNION
    SELECT DISTINCT t.selector AS selector, b.pod AS pod
    FROM pod_affinity_term t JOIN running_pod rp ON rp.uid = t.pod
    CROSS JOIN batch b
    WHERE t.is_anti AND t.required;

CREATE VIEW selector_match AS
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

-- (pod with a term, term, pod matching it), namespaces applied.
CREATE VIEW term_match AS
    SELECT t.pod AS pod, t.term AS term, q.uid AS other
    FROM pod_affinity_term t
    JOIN pod owner ON owner.uid = t.pod
    JOIN selector_match m ON m.selector = t.selector
    JOIN pod q ON q.uid = m.pod
    WHERE q.uid <> t.pod
      AND (t.namespace = '*' OR q.namespace = COALESCE(t.namespace, owner.namespace));

CREATE VIEW spread_match AS
    SELECT s.pod AS pod, s.term AS term, q.uid AS other
    FROM pod_spread s
    JOIN pod owner ON owner.uid = s.pod
    JOIN selector_match m ON m.selector = s.selector
    JOIN pod q ON q.uid = m.pod
    WHERE q.namespace = owner.namespace;

-- Node affinity: the (pod, required, term, node) where one of the term's expressions fails.
CREATE VIEW node_affinity_fail AS
    SELECT e.pod AS pod, e.required AS required, e.term AS term, n.name AS node
    FROM node_affinity_expr e
    JOIN batch b ON b.pod = e.pod
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

-- Nodes a pod may not use because a running pod repels it: the pod's own required
-- anti-affinity, and (symmetrically) running pods' required anti-affinity that it matches.
CREATE VIEW anti_affinity_blocked AS
    SELECT t.pod AS pod, ln.node AS node
    FROM pod_affinity_term t
    JOIN batch b ON b.pod = t.pod
    JOIN term_match m ON m.pod = t.pod AND m.term = t.term
    JOIN running_pod q ON q.uid = m.other
    JOIN node_label lq ON lq.node = q.node_name AND lq.key = t.topology_key
    JOIN node_label ln ON ln.key = t.topology_key AND ln.value = lq.value
    WHERE t.is_anti AND t.required
    UNION
    SELECT m.other AS pod, ln.node AS node
    FROM pod_affinity_term t
    JOIN running_pod q ON q.uid = t.pod
    JOIN term_match m ON m.pod = t.pod AND m.term = t.term
    JOIN batch b ON b.pod = m.other
    JOIN node_label lq ON lq.node = q.node_name AND lq.key = t.topology_key
    JOIN node_label ln ON ln.key = t.topology_key AND ln.value = lq.value
    WHERE t.is_anti AND t.required;

CREATE VIEW port_blocked AS
    SELECT DISTINCT a.pod AS pod, q.node_name AS node
    FROM pod_host_port a
    JOIN batch b ON b.pod = a.pod
    JOIN pod_host_port o ON o.port = a.port AND o.protocol = a.protocol
      AND (o.host_ip = a.host_ip OR o.host_ip = '0.0.0.0' OR a.host_ip = '0.0.0.0')
    JOIN running_pod q ON q.uid = o.pod;

CREATE VIEW taint_blocked AS
    SELECT DISTINCT b.pod AS pod, tt.node AS node, tt.effect AS effect
    FROM batch b
    CROSS JOIN node_taint tt
    WHERE NOT EXISTS (
        SELECT 1 FROM pod_toleration t
        WHERE t.pod = b.pod
          AND (t.key IS NULL OR t.key = tt.key)
          AND (t.operator = 'Exists' OR t.value = tt.value)
          AND (t.effect IS NULL OR t.effect = tt.effect));

CREATE VIEW fit_blocked AS
    SELECT r.pod AS pod, s.node AS node, r.resource AS resource
    FROM pod_request r
    JOIN batch b ON b.pod = r.pod
    JOIN node_spare s ON s.resource = r.resource
    WHERE r.amount > s.spare;

-- One row per (batch pod, node) with each filter's verdict, as kube-scheduler's Filter
-- plugins would give it; the reasons of unplaced pods are counted from this view.
CREATE VIEW pod_node_filter AS
    SELECT p.uid AS pod, n.name AS node, p.stay AS stay, p.node_name AS current_node,
        (n.ready AND NOT n.memory_pressure AND NOT n.disk_pressure AND NOT n.pid_pressure
         AND NOT n.network_unavailable) AS ok_condition,
        (NOT n.unschedulable OR EXISTS (
            SELECT 1 FROM pod_toleration t WHERE t.pod = p.uid
              AND (t.key = 'node.kubernetes.io/unschedulable'
                   OR (t.key IS NULL AND t.operator = 'Exists'))
              AND (t.effect IS NULL OR t.effect = 'NoSchedule'))) AS ok_unschedulable,
        NOT EXISTS (SELECT 1 FROM taint_blocked tb WHERE tb.pod = p.uid AND tb.node = n.name
                    AND tb.effect IN ('NoSchedule', 'NoExecute')) AS ok_taints,
        (NOT EXISTS (SELECT 1 FROM node_affinity_term a WHERE a.pod = p.uid AND a.required)
         OR EXISTS (SELECT 1 FROM node_affinity_term a WHERE a.pod = p.uid AND a.required
                    AND NOT EXISTS (SELECT 1 FROM node_affinity_fail f WHERE f.pod = a.pod
                                    AND f.required AND f.term = a.term AND f.node = n.name)))
            AS ok_node_affinity,
        NOT EXISTS (SELECT 1 FROM fit_blocked fb WHERE fb.pod = p.uid AND fb.node = n.name)
            AS ok_fit,
        NOT EXISTS (SELECT 1 FROM port_blocked pb WHERE pb.pod = p.uid AND pb.node = n.name)
            AS ok_ports,
        NOT EXISTS (SELECT 1 FROM anti_affinity_blocked ab WHERE ab.pod = p.uid
                    AND ab.node = n.name) AS ok_anti_affinity,
        NOT EXISTS (SELECT 1 FROM pod_affinity_term t WHERE t.pod = p.uid AND t.required
                    AND NOT EXISTS (SELECT 1 FROM node_label l WHERE l.node = n.name
                                    AND l.key = t.topology_key)) AS ok_topology_keys
    FROM batch_pod p CROSS JOIN node n;

CREATE VIEW feasible_node AS
    SELECT f.pod AS pod, f.node AS node FROM pod_node_filter f
    WHERE (f.stay AND f.node = f.current_node)
       OR (NOT f.stay AND f.ok_condition AND f.ok_unschedulable AND f.ok_taints
           AND f.ok_node_affinity AND f.ok_fit AND f.ok_ports AND f.ok_anti_affinity
           AND f.ok_topology_keys);
