-- @expect OPTIMAL
-- @objective -4
-- @solution t.controllable__x = {1: 2, 2: 2}
-- @covers dcm minimize
-- MINIMIZE e is MAXIMIZE -(e): two rows at their lower bound 2 give -(2 + 2).
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x >= 2 AND controllable__x <= 7;
CREATE CONSTRAINT small AS SELECT * FROM t MINIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL);
