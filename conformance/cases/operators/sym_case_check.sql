-- @expect OPTIMAL
-- @objective 12
-- @covers symbolic case-in-check
-- y > 0 allows x <= 2 (best 2 + 10 = 12); y <= 0 forces x <= -5 (best -5 + 0)
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER, controllable__y INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t
    CHECK controllable__x BETWEEN -10 AND 10 AND controllable__y BETWEEN -10 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK CASE WHEN controllable__y > 0 THEN controllable__x <= 2 ELSE controllable__x <= -5 END;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x + controllable__y;
-- @data
INSERT INTO t VALUES (1, NULL, NULL);
