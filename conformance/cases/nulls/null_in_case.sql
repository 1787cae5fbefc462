-- @expect OPTIMAL
-- @objective 22
-- @databases duckdb,sqlite,postgres
-- @covers null three-valued-logic case
-- Rows (id, n): (1, 4), (2, NULL), (3, 7).
-- NULL > 5 is not TRUE, so row 2 takes the ELSE branch (x <= 3), like row 1 (4 > 5 is
-- FALSE); row 3 takes THEN (x <= 10). Sum of x + 2: 5 + 5 + 12 = 22.
CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t
    CHECK CASE WHEN n > 5 THEN controllable__x <= 10 ELSE controllable__x <= 3 END;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x + 2;
-- @data
INSERT INTO t VALUES (1, 4, NULL), (2, NULL, NULL), (3, 7, NULL);
