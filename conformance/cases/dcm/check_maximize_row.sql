-- @expect OPTIMAL
-- @objective 15
-- @solution t.controllable__x = {1: 5, 2: 5, 3: 5}
-- @databases duckdb,sqlite,postgres
-- @covers dcm check maximize row-statement
-- Each of three rows takes a value in [1, 5]; maximising each row's value gives 3 * 5.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 1 AND 5;
CREATE CONSTRAINT big AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);
