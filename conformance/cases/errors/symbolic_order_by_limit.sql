-- @expect ERROR CompileError
-- @covers error symbolic-in-order-by
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE VIEW top AS SELECT id FROM t ORDER BY controllable__x LIMIT 1;
-- @data
INSERT INTO t VALUES (1, NULL);
