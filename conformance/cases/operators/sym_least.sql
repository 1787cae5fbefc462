-- @expect OPTIMAL
-- @objective 5
-- @covers symbolic least
-- min(x, 10 - x) is largest at x = 5
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER, controllable__y INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t
    CHECK controllable__x BETWEEN -10 AND 10 AND controllable__y BETWEEN -10 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__x >= 0;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE LEAST(controllable__x, 10 - controllable__x);
-- @data
INSERT INTO t VALUES (1, NULL, NULL);
