-- @expect OPTIMAL
-- @objective 19
-- @covers symbolic less-than two-variables
-- x < y: best is x = 9, y = 10
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER, controllable__y INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t
    CHECK controllable__x BETWEEN -10 AND 10 AND controllable__y BETWEEN -10 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__x < controllable__y;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x + controllable__y;
-- @data
INSERT INTO t VALUES (1, NULL, NULL);
