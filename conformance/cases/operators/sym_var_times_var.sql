-- @expect OPTIMAL
-- @objective 8
-- @covers symbolic var-times-var
-- xy <= -20 needs opposite signs; x = 10 allows y = -2 (product -20): x + y = 8
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER, controllable__y INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t
    CHECK controllable__x BETWEEN -10 AND 10 AND controllable__y BETWEEN -10 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__x * controllable__y <= -20;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x + controllable__y;
-- @data
INSERT INTO t VALUES (1, NULL, NULL);
