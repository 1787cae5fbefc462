-- @expect OPTIMAL
-- @solution t.controllable__x = {1: 4}
-- @covers satisfaction no-objective
-- No MAXIMIZE / MINIMIZE: any feasible assignment is an answer; here there is only one.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 4 AND 9;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__x * 2 < 10;
-- @data
INSERT INTO t VALUES (1, NULL);
