-- @expect OPTIMAL
-- @objective 27
-- @databases duckdb,sqlite,postgres
-- @covers subquery not-in-subquery symbolic
-- s (id, v): (1, 3), (2, 6), (4, 8); t ids 1, 2, 3 with x in [0, 10]. x NOT IN (SELECT v FROM s) and x <= 9: 9 each.
CREATE TABLE s (id INTEGER PRIMARY KEY, v INTEGER NOT NULL);
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t
    CHECK controllable__x NOT IN (SELECT v FROM s) AND controllable__x <= 9;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO s VALUES (1, 3), (2, 6), (4, 8);
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);
