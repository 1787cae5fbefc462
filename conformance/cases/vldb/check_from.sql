-- @expect OPTIMAL
-- @objective 8
-- @solution t.x = {1: 4, 2: 4}
-- @databases duckdb,sqlite,postgres
-- @covers vldb annotation check-from maximize-from
-- @variable_columns(x)
CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER);
CREATE CONSTRAINT bounds AS CHECK x BETWEEN 1 AND 4 FROM t;
CREATE CONSTRAINT big AS MAXIMIZE x FROM t;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL);
