-- @expect OPTIMAL
-- @objective 2147483647
-- @covers type-int default-domain minimize
-- The lower end of the default range is -2^31+1, so minimising gives -(-2147483647).
CREATE TABLE t (id INT PRIMARY KEY, controllable__x INT);
CREATE CONSTRAINT small AS SELECT * FROM t MINIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL);
