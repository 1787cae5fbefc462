-- @expect OPTIMAL
-- @objective -14
-- @databases duckdb,sqlite,postgres
-- @covers null three-valued-logic or
-- Rows (id, n): (1, 4), (2, NULL), (3, 7).
-- n > 5 OR x > 6: row 1 (FALSE OR ..) needs x >= 7; row 2 (NULL OR ..) is NULL or TRUE and
-- passes; row 3 is TRUE. Minimal 2x summed: 14.
CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK n > 5 OR controllable__x > 6;
CREATE CONSTRAINT o AS SELECT * FROM t MINIMIZE 2 * controllable__x;
-- @data
INSERT INTO t VALUES (1, 4, NULL), (2, NULL, NULL), (3, 7, NULL);
