-- @expect OPTIMAL
-- @objective 10
-- @databases duckdb,sqlite,postgres
-- @covers type-boolean constant-column
-- Rows whose flag is false are pinned to 0; the others go to their bound 5.
CREATE TABLE t (id INTEGER PRIMARY KEY, flag BOOLEAN NOT NULL, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 5;
CREATE CONSTRAINT off AS SELECT * FROM t WHERE NOT flag CHECK controllable__x = 0;
CREATE CONSTRAINT most AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, true, NULL), (2, false, NULL), (3, true, NULL);
