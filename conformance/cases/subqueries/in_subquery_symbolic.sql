-- @expect OPTIMAL
-- @objective 9
-- @databases duckdb,sqlite,postgres
-- @covers subquery in-subquery symbolic
-- s (id, v): (1, 3), (2, 6), (4, 8); t ids 1, 2, 3 with x in [0, 10].
-- x IN (SELECT v FROM s WHERE v < 8): x in {3, 6}; x - 3 is at most 3 per row.
CREATE TABLE s (id INTEGER PRIMARY KEY, v INTEGER NOT NULL);
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t
    CHECK controllable__x IN (SELECT v FROM s WHERE v < 8);
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x - 3;
-- @data
INSERT INTO s VALUES (1, 3), (2, 6), (4, 8);
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);
