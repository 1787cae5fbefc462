-- @expect OPTIMAL
-- @objective 6
-- @covers dcm maximize aggregate sum
-- sum over the whole table with a cap on the total: at most 6 in total, any split.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 5;
CREATE CONSTRAINT total AS SELECT * FROM t CHECK sum(controllable__x) <= 6;
CREATE CONSTRAINT most AS SELECT * FROM t MAXIMIZE sum(controllable__x);
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);
