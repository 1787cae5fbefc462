-- @expect OPTIMAL
-- @objective 4000000000000
-- @solution t.controllable__x = {1: 4000000000000}
-- @databases duckdb,sqlite,postgres
-- @covers int64 fk-domain
-- Domain values beyond 32 bits from a foreign key; the largest even one is chosen.
CREATE TABLE s (v BIGINT PRIMARY KEY);
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x BIGINT REFERENCES s(v));
CREATE CONSTRAINT even AS SELECT * FROM t CHECK controllable__x % 2 = 0;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO s VALUES (-5000000000001), (3000000000000), (4000000000000), (4000000000001);
INSERT INTO t VALUES (1, NULL);
