-- @expect OPTIMAL
-- @objective 4
-- @databases duckdb,sqlite,postgres
-- @covers constant minus
-- x is bounded by a constant expression of each row; maximising gives the sum of the bounds.
-- Rows (a, b): (7, 2), (-7, 2), (5, -3). 5 - 9 + 8
CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b INTEGER NOT NULL,
                controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN -100 AND 100;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__x <= a - b;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, 7, 2, NULL), (2, -7, 2, NULL), (3, 5, -3, NULL);
