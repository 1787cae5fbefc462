-- @expect OPTIMAL
-- @objective 9
-- @solution t.controllable__x = {1: 1, 2: 5, 3: 5}
-- @covers global-increasing primary-key-order
-- Non-decreasing in primary-key order (rows are inserted out of order on purpose).
-- Row 1 is minimised (1), rows 2 and 3 maximised (5 each): 5 + 5 - 1 = 9.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 1 AND 5;
CREATE CONSTRAINT inc AS SELECT * FROM t CHECK increasing(controllable__x);
CREATE CONSTRAINT o AS SELECT * FROM t WHERE id > 1 MAXIMIZE controllable__x;
CREATE CONSTRAINT o1 AS SELECT * FROM t WHERE id = 1 MINIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (3, NULL), (1, NULL), (2, NULL);
