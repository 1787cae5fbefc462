-- @expect OPTIMAL
-- @objective 14
-- @covers global-all_different grouped compared-with-true
-- Different within each group only: group a (2 rows) takes 4 + 3, group b (2 rows) 4 + 3.
CREATE TABLE t (id INTEGER PRIMARY KEY, g VARCHAR(2) NOT NULL, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 1 AND 4;
CREATE CONSTRAINT d AS SELECT * FROM t GROUP BY g CHECK all_different(controllable__x) = true;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, 'a', NULL), (2, 'a', NULL), (3, 'b', NULL), (4, 'b', NULL);
