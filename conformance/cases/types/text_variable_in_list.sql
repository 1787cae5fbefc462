-- @expect OPTIMAL
-- @objective 1
-- @solution t.controllable__zone = {1: 'east'}
-- @covers type-text inferred-string-domain in-list
-- The domain of a TEXT variable comes from a top-level IN list.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__zone TEXT);
CREATE CONSTRAINT zones AS SELECT * FROM t CHECK controllable__zone IN ('west', 'east');
CREATE CONSTRAINT east AS SELECT * FROM t WHERE controllable__zone = 'east' MAXIMIZE 1;
-- @data
INSERT INTO t VALUES (1, NULL);
