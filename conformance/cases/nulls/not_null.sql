-- @expect OPTIMAL
-- @objective 10
-- @databases duckdb,sqlite,postgres
-- @covers null three-valued-logic not
-- Rows (id, n): (1, 4), (2, NULL), (3, 7).
-- NOT (n = x) is NULL for row 2 and passes: x = 10 is allowed there. Rows 1 and 3 need
-- x <> n; only row 2 is maximised.
CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK NOT (n = controllable__x);
CREATE CONSTRAINT o AS SELECT * FROM t WHERE id = 2 MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, 4, NULL), (2, NULL, NULL), (3, 7, NULL);
