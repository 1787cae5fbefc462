-- @expect OPTIMAL
-- @objective 8
-- @databases duckdb,sqlite,postgres
-- @covers symbolic-view view-over-view
-- v1 = x + 1, v2 = 2 * v1 (a symbolic view over a symbolic view); v2 <= 9 means x <= 3
-- (2 * 4 = 8); maximise v2 on the single row: 8.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE VIEW v1 AS SELECT id, controllable__x + 1 AS y FROM t;
CREATE VIEW v2 AS SELECT id, 2 * y AS z FROM v1;
CREATE CONSTRAINT c AS SELECT * FROM v2 CHECK z <= 9;
CREATE CONSTRAINT o AS SELECT * FROM v2 MAXIMIZE z;
-- @data
INSERT INTO t VALUES (1, NULL);
