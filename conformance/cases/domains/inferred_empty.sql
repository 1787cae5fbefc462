-- @expect INFEASIBLE
-- @covers inferred-domain empty-domain infeasible
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT lo AS SELECT * FROM t CHECK controllable__x >= 6;
CREATE CONSTRAINT hi AS SELECT * FROM t CHECK controllable__x <= 5;
-- @data
INSERT INTO t VALUES (1, NULL);
