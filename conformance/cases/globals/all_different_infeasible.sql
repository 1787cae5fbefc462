-- @expect INFEASIBLE
-- @covers global-all_different infeasible pigeonhole
-- Four rows, three values.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 1 AND 3;
CREATE CONSTRAINT d AS SELECT * FROM t CHECK all_different(controllable__x);
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL), (4, NULL);
