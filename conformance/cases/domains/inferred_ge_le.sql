-- @expect OPTIMAL
-- @objective 5
-- @covers inferred-domain bounds
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT lo AS SELECT * FROM t CHECK controllable__x >= 3;
CREATE CONSTRAINT hi AS SELECT * FROM t CHECK controllable__x <= 5;
CREATE CONSTRAINT big AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL);
