-- @expect OPTIMAL
-- @objective 3
-- @after t.controllable__x = {1: 3}
-- @databases duckdb,sqlite,postgres
-- @covers write-back base-table
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 3;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, 0);
