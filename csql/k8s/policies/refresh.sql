-- Run once per batch, after `batch` is filled: the batch's classes, the node-level verdicts
-- of classes not seen before, the pod matches, the feasible nodes and the scored candidates.
DELETE FROM batch_class;
INSERT INTO batch_class SELECT class, pod, size FROM batch_class_source;
DELETE FROM class_scope;
INSERT INTO class_scope SELECT b.class, b.pod FROM batch_class b
    WHERE b.class NOT IN (SELECT k.class FROM class_known k);
INSERT INTO class_node
    SELECT class, node, ok_condition AND ok_unschedulable AND ok_taints AND ok_topology_keys,
           taints, node_affinity
    FROM class_static_verdict WHERE ok_node_affinity;
INSERT INTO class_known SELECT class FROM class_scope;
DELETE FROM selector_hit;
INSERT INTO selector_hit SELECT selector, pod FROM selector_match_source;
DELETE FROM term_match;
INSERT INTO term_match SELECT pod, term, other FROM term_match_source;
DELETE FROM spread_match;
INSERT INTO spread_match SELECT pod, term, other FROM spread_match_source;
DELETE FROM class_feasible;
INSERT INTO class_feasible SELECT class, node FROM class_feasible_source;
DELETE FROM candidate;
INSERT INTO candidate SELECT pod, node, score FROM candidate_source;
