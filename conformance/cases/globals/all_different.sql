-- @expect OPTIMAL
-- @objective 12
-- @databases duckdb,sqlite,postgres
-- @covers global-all_different
-- Three rows in [1, 5], pairwise different: the best sum is 5 + 4 + 3.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 1 AND 5;
CREATE CONSTRAINT d AS SELECT * FROM t CHECK all_different(controllable__x);
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);
