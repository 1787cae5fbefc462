-- @expect OPTIMAL
-- @objective 10
-- @databases duckdb,sqlite,postgres
-- @covers null three-valued-logic is-null
-- Rows (id, n): (1, 4), (2, NULL), (3, 7).
-- IS NOT NULL pins rows 1 and 3 to their n; WHERE n IS NULL keeps only row 2 for the
-- objective: 10.
CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT pin AS SELECT * FROM t WHERE n IS NOT NULL CHECK controllable__x = n;
CREATE CONSTRAINT o AS SELECT * FROM t WHERE n IS NULL MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, 4, NULL), (2, NULL, NULL), (3, 7, NULL);
