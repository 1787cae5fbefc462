-- @expect OPTIMAL
-- @objective 2
-- @databases duckdb,sqlite,postgres
-- @covers type-boolean boolean-domain sum-bool
-- At most two of four switches may be on; maximise how many are on.
CREATE TABLE s (id INTEGER PRIMARY KEY, controllable__on BOOLEAN);
CREATE CONSTRAINT few AS SELECT * FROM s CHECK sum(controllable__on) <= 2;
CREATE CONSTRAINT many AS SELECT * FROM s MAXIMIZE controllable__on;
-- @data
INSERT INTO s VALUES (1, NULL), (2, NULL), (3, NULL), (4, NULL);
