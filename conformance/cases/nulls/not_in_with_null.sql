-- @expect OPTIMAL
-- @objective 30
-- @databases duckdb,sqlite,postgres
-- @covers null three-valued-logic not-in
-- Rows (id, n): (1, 4), (2, NULL), (3, 7). x NOT IN (3, NULL) is never TRUE (FALSE for x = 3, else NULL) and a NULL CHECK passes, so
-- every x is allowed: 10 each.
CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__x NOT IN (3, NULL);
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, 4, NULL), (2, NULL, NULL), (3, 7, NULL);
