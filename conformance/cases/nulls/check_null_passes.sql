-- @expect OPTIMAL
-- @objective -11
-- @databases duckdb,sqlite,postgres
-- @covers null three-valued-logic check
-- Rows (id, n): (1, 4), (2, NULL), (3, 7). x >= n is NULL where n is NULL and the CHECK passes; minimal x: 4 + 0 + 7.
CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT at_least AS SELECT * FROM t CHECK controllable__x >= n;
CREATE CONSTRAINT o AS SELECT * FROM t MINIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, 4, NULL), (2, NULL, NULL), (3, 7, NULL);
