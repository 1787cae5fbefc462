-- @expect OPTIMAL
-- @objective -13
-- @databases duckdb,sqlite,postgres
-- @covers null three-valued-logic coalesce
-- Rows (id, n): (1, 4), (2, NULL), (3, 7). x >= COALESCE(n, 2): minimal 4 + 2 + 7.
CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__x >= COALESCE(n, 2);
CREATE CONSTRAINT o AS SELECT * FROM t MINIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, 4, NULL), (2, NULL, NULL), (3, 7, NULL);
