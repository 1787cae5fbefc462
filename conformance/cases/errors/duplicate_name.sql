-- @expect ERROR CompileError
-- @covers error duplicate-name namespace
-- Tables, views and constraints share one namespace.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT t AS SELECT * FROM t CHECK controllable__x = 1;
-- @data
INSERT INTO t VALUES (1, NULL);
