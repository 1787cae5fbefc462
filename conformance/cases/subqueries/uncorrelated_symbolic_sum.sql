-- @expect OPTIMAL
-- @objective 7
-- @databases duckdb,sqlite,postgres
-- @covers subquery uncorrelated symbolic scalar-subquery sum
-- s (id, v): (1, 3), (2, 6), (4, 8); t ids 1, 2, 3 with x in [0, 10].
-- Every row of s requires the sum of all x to be at most its v: at most 3 in total; the
-- objective is that total plus 4 (one term, no GROUP BY).
CREATE TABLE s (id INTEGER PRIMARY KEY, v INTEGER NOT NULL);
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM s
    CHECK (SELECT sum(controllable__x) FROM t) <= s.v;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE sum(controllable__x) + 4;
-- @data
INSERT INTO s VALUES (1, 3), (2, 6), (4, 8);
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);
