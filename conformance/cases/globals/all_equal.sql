-- @expect OPTIMAL
-- @objective 6
-- @databases duckdb,sqlite,postgres
-- @covers global-all_equal
-- All equal, and row 2 is at most 2: every row takes 2.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 9;
CREATE CONSTRAINT e AS SELECT * FROM t CHECK all_equal(controllable__x);
CREATE CONSTRAINT cap AS SELECT * FROM t WHERE id = 2 CHECK controllable__x <= 2;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);
