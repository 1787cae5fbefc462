-- @expect OPTIMAL
-- @objective 2147483647
-- @covers type-bigint default-domain
-- BIGINT variables get the same default range as INTEGER (language §2).
CREATE TABLE t (id BIGINT PRIMARY KEY, controllable__x BIGINT);
CREATE CONSTRAINT big AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL);
