-- @expect OPTIMAL
-- @objective 7
-- @solution t.controllable__x = {1: 7}
-- @covers type-array contains global-contains
-- x must be one of the allowed values in the row's constant array, and below 8.
CREATE TABLE t (id INTEGER PRIMARY KEY, allowed INTEGER[], controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 20;
CREATE CONSTRAINT member AS SELECT * FROM t CHECK contains(allowed, controllable__x);
CREATE CONSTRAINT below AS SELECT * FROM t CHECK controllable__x < 8;
CREATE CONSTRAINT big AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, [3, 7, 9], NULL);
