-- @expect OPTIMAL
-- @objective 2147483647
-- @covers type-integer default-domain
-- No constraint bounds x: the default range is [-2^31+1, 2^31-1].
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT big AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL);
