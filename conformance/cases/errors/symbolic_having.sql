-- @expect ERROR CompileError
-- @covers error symbolic-in-having
-- HAVING may not read a variable (language §3): the condition belongs in CHECK.
CREATE TABLE t (id INTEGER PRIMARY KEY, g INTEGER NOT NULL, controllable__x INTEGER);
CREATE CONSTRAINT c AS SELECT * FROM t GROUP BY g HAVING sum(controllable__x) > 1
    CHECK count(*) <= 2;
-- @data
INSERT INTO t VALUES (1, 1, NULL);
