-- @expect OPTIMAL
-- @objective 8
-- @covers symbolic division truncation negative
-- truncation toward zero: x / 3 = -2 for x in {-8, -7, -6}; min is -8
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER, controllable__y INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t
    CHECK controllable__x BETWEEN -10 AND 10 AND controllable__y BETWEEN -10 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__x / 3 = -2;
CREATE CONSTRAINT o AS SELECT * FROM t MINIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL, NULL);
