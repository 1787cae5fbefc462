-- @expect OPTIMAL
-- @objective 110
-- @databases duckdb,sqlite,postgres
-- @covers null three-valued-logic objective-null
-- Rows (id, n): (1, 4), (2, NULL), (3, 7). MAXIMIZE x * n: row 2's term is NULL and counts 0; x = 10 elsewhere: 40 + 70.
CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x * n;
-- @data
INSERT INTO t VALUES (1, 4, NULL), (2, NULL, NULL), (3, 7, NULL);
