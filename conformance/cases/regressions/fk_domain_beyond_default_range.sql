-- @expect OPTIMAL
-- @objective 3000000001
-- @solution t.controllable__x = {1: 3000000001}
-- @databases duckdb,sqlite,postgres
-- @covers fk-domain int64 regression
-- Found by values/int64_fk_domain: the grounding (and the oracle) clipped a FOREIGN KEY's
-- values to the default integer range [-2^31+1, 2^31-1], so a BIGINT column referencing
-- 3000000001 had an empty domain and the program was reported INFEASIBLE. The FK takes
-- precedence (language §2): the only referenced value is the answer.
CREATE TABLE s (v BIGINT PRIMARY KEY);
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x BIGINT REFERENCES s(v));
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO s VALUES (3000000001);
INSERT INTO t VALUES (1, NULL);
