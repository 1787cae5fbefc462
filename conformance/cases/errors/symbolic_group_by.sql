-- @expect ERROR CompileError
-- @covers error symbolic-in-group-by
-- GROUP BY a variable column is not allowed (language §3).
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT c AS SELECT * FROM t GROUP BY controllable__x CHECK count(*) <= 2;
-- @data
INSERT INTO t VALUES (1, NULL);
