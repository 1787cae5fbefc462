-- @expect OPTIMAL
-- @objective 7
-- @covers symbolic modulo truncation negative
-- SQL remainder has the sign of the dividend: x % 4 = -3 for x in {-3, -7}
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER, controllable__y INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t
    CHECK controllable__x BETWEEN -10 AND 10 AND controllable__y BETWEEN -10 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__x % 4 = -3;
CREATE CONSTRAINT o AS SELECT * FROM t MINIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL, NULL);
