-- @expect OPTIMAL
-- @objective 6
-- @covers symbolic times-constant
-- 3x <= 20 -> x <= 6
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER, controllable__y INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t
    CHECK controllable__x BETWEEN -10 AND 10 AND controllable__y BETWEEN -10 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK 3 * controllable__x <= 20;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL, NULL);
