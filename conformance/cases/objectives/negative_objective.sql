-- @expect OPTIMAL
-- @objective -12
-- @covers minimize negative-objective
-- Every row needs x >= its demand (4 and 8); minimising gives -(4 + 8).
CREATE TABLE t (id INTEGER PRIMARY KEY, demand INTEGER NOT NULL, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 100;
CREATE CONSTRAINT d AS SELECT * FROM t CHECK controllable__x >= demand;
CREATE CONSTRAINT o AS MINIMIZE controllable__x FROM t;
-- @data
INSERT INTO t VALUES (1, 4, NULL), (2, 8, NULL);
