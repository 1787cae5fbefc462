-- @expect ERROR CompileError
-- @covers type-real variable-error
-- REAL variables are not allowed (language §2): a clear compile error.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x REAL);
CREATE CONSTRAINT big AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL);
