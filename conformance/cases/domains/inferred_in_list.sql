-- @expect OPTIMAL
-- @objective -2
-- @covers inferred-domain in-list
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT set AS SELECT * FROM t CHECK controllable__x IN (9, 2, 5);
CREATE CONSTRAINT small AS SELECT * FROM t MINIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL);
