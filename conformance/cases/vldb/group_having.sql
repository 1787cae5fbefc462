-- @expect OPTIMAL
-- @objective 12
-- @covers vldb check-from group-by having
-- Groups with more than one row are capped at a total of 5 (group 'a', rows 1 and 2); the
-- singleton group 'b' is not (HAVING removes it). Max: 5 + 7.
-- @variable_columns(x)
CREATE TABLE t (id INTEGER PRIMARY KEY, g VARCHAR(5) NOT NULL, x INTEGER);
CREATE CONSTRAINT bounds AS CHECK x BETWEEN 0 AND 7 FROM t;
CREATE CONSTRAINT cap AS CHECK sum(x) <= 5 FROM t GROUP BY g HAVING count(*) > 1;
CREATE CONSTRAINT most AS MAXIMIZE sum(x) FROM t;
-- @data
INSERT INTO t VALUES (1, 'a', NULL), (2, 'a', NULL), (3, 'b', NULL);
