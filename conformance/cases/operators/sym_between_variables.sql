-- @expect OPTIMAL
-- @objective 0
-- @covers symbolic between variable-bounds
-- x <= 3 <= y, so x - y <= 0, reached at x = y = 3
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER, controllable__y INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t
    CHECK controllable__x BETWEEN -10 AND 10 AND controllable__y BETWEEN -10 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK 3 BETWEEN controllable__x AND controllable__y;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x - controllable__y;
-- @data
INSERT INTO t VALUES (1, NULL, NULL);
