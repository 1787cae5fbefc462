-- @expect OPTIMAL
-- @objective 10
-- @databases duckdb,sqlite,postgres
-- @covers objectives-summed maximize minimize
-- x + y = 10 in [0, 10]; the terms sum to x - 2y = 3x - 20, best at x = 10: 10.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER, controllable__y INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t
    CHECK controllable__x BETWEEN 0 AND 10 AND controllable__y BETWEEN 0 AND 10;
CREATE CONSTRAINT s AS SELECT * FROM t CHECK controllable__x + controllable__y = 10;
CREATE CONSTRAINT o1 AS SELECT * FROM t MAXIMIZE controllable__x;
CREATE CONSTRAINT o2 AS SELECT * FROM t MINIMIZE 2 * controllable__y;
-- @data
INSERT INTO t VALUES (1, NULL, NULL);
