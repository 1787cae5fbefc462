-- @expect OPTIMAL
-- @objective 5000000000000
-- @covers int64 negative minimize
-- Minimising over {-5e12, 3e12}: -(-5e12).
CREATE TABLE s (v BIGINT PRIMARY KEY);
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x BIGINT REFERENCES s(v));
CREATE CONSTRAINT o AS SELECT * FROM t MINIMIZE controllable__x;
-- @data
INSERT INTO s VALUES (-5000000000000), (3000000000000);
INSERT INTO t VALUES (1, NULL);
