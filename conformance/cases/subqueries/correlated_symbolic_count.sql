-- @expect OPTIMAL
-- @objective 9
-- @databases duckdb,sqlite,postgres
-- @covers subquery correlated symbolic count
-- s (id, v): (1, 3), (2, 6), (4, 8); t ids 1, 2, 3 with x in [0, 10].
-- Exactly one row of t has each row's value (a correlated count over t itself, reading
-- the variable on both sides), so the x differ; with x <= 4 the best is 4 + 3 + 2.
CREATE TABLE s (id INTEGER PRIMARY KEY, v INTEGER NOT NULL);
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t
    CHECK (SELECT count(*) FROM t AS o WHERE o.controllable__x = t.controllable__x) = 1;
CREATE CONSTRAINT c2 AS SELECT * FROM t CHECK controllable__x <= 4;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO s VALUES (1, 3), (2, 6), (4, 8);
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);
