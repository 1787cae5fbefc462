-- @expect OPTIMAL
-- @objective -3
-- @databases duckdb,sqlite,postgres
-- @covers null three-valued-logic and
-- Rows (id, n): (1, 4), (2, NULL), (3, 7).
-- Row 2 only: NULL AND (x > 2) is FALSE when x <= 2 and NULL (passing) otherwise, so row 2
-- needs x >= 3; rows 1 and 3 are free. Minimal total: 3.
CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t WHERE id = 2 CHECK n > 0 AND controllable__x > 2;
CREATE CONSTRAINT o AS SELECT * FROM t MINIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, 4, NULL), (2, NULL, NULL), (3, 7, NULL);
