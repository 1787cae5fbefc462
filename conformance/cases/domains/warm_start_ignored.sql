-- @expect OPTIMAL
-- @objective 4
-- @solution t.controllable__x = {1: 4}
-- @covers variable-input-ignored
-- The stored value 2 is an output column: it is only a hint and does not constrain x.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 4;
CREATE CONSTRAINT big AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, 2);
