-- @expect OPTIMAL
-- @objective -4
-- @covers symbolic not-between
-- x outside [-2, 8]: 9 is closest to 5 (distance 4)
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER, controllable__y INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t
    CHECK controllable__x BETWEEN -10 AND 10 AND controllable__y BETWEEN -10 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__x NOT BETWEEN -2 AND 8;
CREATE CONSTRAINT o AS SELECT * FROM t MINIMIZE ABS(controllable__x - 5);
-- @data
INSERT INTO t VALUES (1, NULL, NULL);
