-- @expect OPTIMAL
-- @objective 13
-- @covers objectives-summed weave dcm vldb mixed-dialects
-- One objective per dialect, summed: Weave view maximises sum(x) (x in [0, 3], two rows:
-- 6), DCM minimises count of x = 0 rows (0), VLDB maximises max(x) + 4 (7): 6 + 0 + 7.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 3;
CREATE VIEW objective_sum AS SELECT sum(controllable__x) FROM t;
CREATE CONSTRAINT zeros AS SELECT * FROM t WHERE controllable__x = 0 MINIMIZE 1;
CREATE CONSTRAINT top AS MAXIMIZE max(controllable__x) + 4 FROM t;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL);
