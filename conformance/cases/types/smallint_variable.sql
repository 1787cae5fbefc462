-- @expect OPTIMAL
-- @objective 30
-- @databases duckdb,sqlite
-- @covers type-smallint
-- SMALLINT variable bounded by a constraint: x in [-3, 3] and y = 10x... max 10*3.
CREATE TABLE t (id SMALLINT PRIMARY KEY, controllable__x SMALLINT);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN -3 AND 3;
CREATE CONSTRAINT big AS SELECT * FROM t MAXIMIZE 10 * controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL);
