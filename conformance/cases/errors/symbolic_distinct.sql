-- @expect ERROR CompileError
-- @covers error symbolic-in-distinct
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE VIEW v AS SELECT DISTINCT controllable__x FROM t;
-- @data
INSERT INTO t VALUES (1, NULL);
