-- Run once per batch, after `batch` is filled: materialise the filter and score views.
DELETE FROM term_match;
INSERT INTO term_match SELECT pod, term, other FROM term_match_source;
DELETE FROM spread_match;
INSERT INTO spread_match SELECT pod, term, other FROM spread_match_source;
DELETE FROM pod_node_filter;
INSERT INTO pod_node_filter
    SELECT pod, node, stay, current_node, ok_condition, ok_unschedulable, ok_taints,
           ok_node_affinity, ok_fit, ok_ports, ok_anti_affinity, ok_topology_keys
    FROM pod_node_filter_source;
DELETE FROM candidate;
INSERT INTO candidate SELECT pod, node, score FROM candidate_source;
