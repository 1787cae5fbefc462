-- @expect OPTIMAL
-- @objective 2
-- @covers objective-boolean boolean-as-number
-- A boolean objective term counts 1 when true: x > 3 holds for at most two rows because
-- the total is capped at 9 (two rows of 4, the third 1).
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 1 AND 5;
CREATE CONSTRAINT total AS SELECT * FROM t CHECK sum(controllable__x) <= 9;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x > 3;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);
