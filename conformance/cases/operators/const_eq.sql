-- @expect OPTIMAL
-- @objective 1
-- @databases duckdb,sqlite,postgres
-- @covers constant where-filter equal
-- A constant WHERE condition filters rows before any variable is involved; each kept row
-- adds 1 to the objective. Rows (a, b, s): (7, 2, 'abc'), (-7, 2, 'b''x'), (5, -3, 'B'). Row 1.
CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b INTEGER NOT NULL,
                s VARCHAR(10) NOT NULL, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 1;
CREATE CONSTRAINT o AS SELECT * FROM t WHERE a = 7 MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, 7, 2, 'abc', NULL), (2, -7, 2, 'b''x', NULL), (3, 5, -3, 'B', NULL);
