-- @expect OPTIMAL
-- @objective -2
-- @covers vldb minimize-from where
-- Only rows with id > 1 are minimised; their lower bound is 1 (two rows: -2). Row 1 is free.
-- @VARIABLE_COLUMNS (x)
CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER);
CREATE CONSTRAINT bounds AS CHECK x BETWEEN 1 AND 9 FROM t;
CREATE CONSTRAINT small AS MINIMIZE x FROM t WHERE id > 1;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);
