-- @expect INFEASIBLE
-- @databases duckdb,sqlite,postgres
-- @covers infeasible row-check
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 5;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__x * 2 = 7;
-- @data
INSERT INTO t VALUES (1, NULL);
