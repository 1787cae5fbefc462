-- @expect ERROR CompileError
-- @covers error syntax
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT c AS SELECT * FROM t CHECK controllable__x >;
-- @data
INSERT INTO t VALUES (1, NULL);
