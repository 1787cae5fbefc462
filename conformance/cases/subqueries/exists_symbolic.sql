-- @expect OPTIMAL
-- @objective 17
-- @databases duckdb,sqlite,postgres
-- @covers subquery exists symbolic correlated
-- s (id, v): (1, 3), (2, 6), (4, 8); t ids 1, 2, 3 with x in [0, 10].
-- EXISTS (SELECT 1 FROM s WHERE s.v = t.x): x is one of 3, 6, 8, and the three x differ:
-- 3 + 6 + 8.
CREATE TABLE s (id INTEGER PRIMARY KEY, v INTEGER NOT NULL);
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t
    CHECK EXISTS (SELECT 1 FROM s WHERE s.v = t.controllable__x);
CREATE CONSTRAINT d AS SELECT * FROM t CHECK all_different(controllable__x);
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x + 1 - 1;
-- @data
INSERT INTO s VALUES (1, 3), (2, 6), (4, 8);
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);
