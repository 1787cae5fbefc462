-- @expect OPTIMAL
-- @objective 3
-- @solution t.controllable__x = {1: 3}
-- @covers inferred-domain equality
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT three AS SELECT * FROM t CHECK controllable__x = 3;
CREATE CONSTRAINT big AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL);
