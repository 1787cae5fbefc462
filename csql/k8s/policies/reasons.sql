-- Run after a round, with `batch` holding the pods it left unplaced: every filter's verdict
-- of their classes over the whole cluster (the failure path only) for their messages.
DELETE FROM batch_class;
INSERT INTO batch_class SELECT class, pod, size FROM batch_class_source;
DELETE FROM class_scope;
INSERT INTO class_scope SELECT class, pod FROM batch_class;
DELETE FROM selector_hit;
INSERT INTO selector_hit SELECT selector, pod FROM selector_match_source;
DELETE FROM term_match;
INSERT INTO term_match SELECT pod, term, other FROM term_match_source;
