-- @expect OPTIMAL
-- @objective 7
-- @solution t.a = {1: 3}
-- @solution t.b = {1: 4}
-- @covers vldb annotation two-variable-columns
-- a + b = 7 with a < b and both in [0, 4]: only (3, 4). The objective is a + b.
-- @variable_columns(a, b)
CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER);
CREATE CONSTRAINT bounds AS CHECK a BETWEEN 0 AND 4 AND b BETWEEN 0 AND 4 FROM t;
CREATE CONSTRAINT pair AS CHECK a + b = 7 AND a < b FROM t;
CREATE CONSTRAINT total AS MAXIMIZE a + b FROM t;
-- @data
INSERT INTO t VALUES (1, NULL, NULL);
