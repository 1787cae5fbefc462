-- @expect OPTIMAL
-- @objective 20
-- @databases duckdb,sqlite,postgres
-- @covers null three-valued-logic where
-- Rows (id, n): (1, 4), (2, NULL), (3, 7).
-- n > 5 is NULL for row 2, so WHERE drops it like FALSE: rows 1 and 2 stay free (10
-- each), row 3 is pinned to 0; the sum is 20.
CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT pin AS SELECT * FROM t WHERE n > 5 CHECK controllable__x = 0;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, 4, NULL), (2, NULL, NULL), (3, 7, NULL);
