-- @expect OPTIMAL
-- @objective 5
-- @covers symbolic case
-- the tent peaks at x = 5 (x = 6 gives 4)
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER, controllable__y INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t
    CHECK controllable__x BETWEEN -10 AND 10 AND controllable__y BETWEEN -10 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__x >= 0;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE CASE WHEN controllable__x > 5 THEN 10 - controllable__x ELSE controllable__x END;
-- @data
INSERT INTO t VALUES (1, NULL, NULL);
