-- @expect ERROR CsqlError
-- @covers string-domain error
-- A string variable without FK or IN/= constraint has no finite domain: an error that names
-- the column.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__s VARCHAR(10));
CREATE CONSTRAINT anything AS SELECT * FROM t CHECK controllable__s <> 'x';
-- @data
INSERT INTO t VALUES (1, NULL);
