-- @expect OPTIMAL
-- @objective 1
-- @solution t.controllable__s = {1: "it's"}
-- @databases duckdb,sqlite,postgres
-- @covers strings-quotes inferred-string-domain
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__s VARCHAR(10));
CREATE CONSTRAINT dom AS SELECT * FROM t CHECK controllable__s IN ('it''s', 'plain', '🚀');
CREATE CONSTRAINT pick AS SELECT * FROM t WHERE controllable__s = 'it''s' MAXIMIZE 1;
-- @data
INSERT INTO t VALUES (1, NULL);
