-- @expect OPTIMAL
-- @objective -3
-- @covers symbolic abs
-- |x - 2| >= 5: x >= 7 or x <= -3; the smallest |x| is 3
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER, controllable__y INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t
    CHECK controllable__x BETWEEN -10 AND 10 AND controllable__y BETWEEN -10 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK ABS(controllable__x - 2) >= 5;
CREATE CONSTRAINT o AS SELECT * FROM t MINIMIZE ABS(controllable__x);
-- @data
INSERT INTO t VALUES (1, NULL, NULL);
