-- @expect OPTIMAL
-- @objective 9
-- @databases duckdb,sqlite
-- @covers inferred-domain constant-column-bound
-- Bounds read from the row's own constant column: x <= cap gives 4 + 5.
CREATE TABLE t (id INTEGER PRIMARY KEY, cap INTEGER NOT NULL, controllable__x INTEGER);
CREATE CONSTRAINT lo AS SELECT * FROM t CHECK controllable__x >= 0 AND controllable__x <= cap;
CREATE CONSTRAINT big AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, 4, NULL), (2, 5, NULL);
