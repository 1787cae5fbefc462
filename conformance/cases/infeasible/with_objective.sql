-- @expect INFEASIBLE
-- @covers infeasible objective
-- An objective does not make an infeasible program feasible.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 5;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK sum(controllable__x) >= 11;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL);
