-- @expect INFEASIBLE
-- @covers infeasible symbolic-view
-- Through a view: y = x + 1 with x in [0, 3] cannot reach 5.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 3;
CREATE VIEW plus_one AS SELECT id, controllable__x + 1 AS y FROM t;
CREATE CONSTRAINT c AS SELECT * FROM plus_one CHECK y >= 5;
-- @data
INSERT INTO t VALUES (1, NULL);
