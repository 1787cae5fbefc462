-- @expect OPTIMAL
-- @objective 6
-- @covers primary-key-variable unique all-different
-- A UNIQUE variable column is all-different: three rows in [1, 3], sum is always 6.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER UNIQUE);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 1 AND 3;
CREATE CONSTRAINT most AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);
