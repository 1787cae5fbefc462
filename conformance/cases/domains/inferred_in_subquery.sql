-- @expect OPTIMAL
-- @objective 40
-- @databases duckdb,sqlite,postgres
-- @covers inferred-domain in-subquery
-- The domain is the set the subquery returns for enabled rows: {10, 30}; two rows, max 30
-- each but their sum is capped at 40 -> 10 + 30.
CREATE TABLE allowed (v INTEGER PRIMARY KEY, enabled BOOLEAN NOT NULL);
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT dom AS SELECT * FROM t
    CHECK controllable__x IN (SELECT v FROM allowed WHERE enabled);
CREATE CONSTRAINT cap AS SELECT * FROM t CHECK sum(controllable__x) <= 40;
CREATE CONSTRAINT most AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO allowed VALUES (10, true), (20, false), (30, true);
INSERT INTO t VALUES (1, NULL), (2, NULL);
