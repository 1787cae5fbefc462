-- @expect OPTIMAL
-- @objective 12
-- @covers dcm intermediate-view symbolic-view
-- A constraint without CHECK/MAXIMIZE is a symbolic view: y = 2x with y <= 7 forces x <= 3,
-- so y = 6 on both rows.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT doubled AS SELECT id, controllable__x * 2 AS y FROM t;
CREATE CONSTRAINT cap AS SELECT * FROM doubled CHECK y <= 7;
CREATE CONSTRAINT most AS SELECT * FROM doubled MAXIMIZE y;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL);
