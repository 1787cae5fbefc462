-- @expect OPTIMAL
-- @objective 8
-- @covers symbolic not-in-list
-- x not in {9, 10} -> 8
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER, controllable__y INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t
    CHECK controllable__x BETWEEN -10 AND 10 AND controllable__y BETWEEN -10 AND 10;
CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__x NOT IN (9, 10);
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL, NULL);
