-- @expect OPTIMAL
-- @objective 4
-- @solution t.controllable__x = {1: 3, 2: 2, 3: 1}
-- @covers global-increasing order-by
-- Non-decreasing in ORDER BY id DESC order, i.e. x3 <= x2 <= x1, all different, in [1, 3]:
-- the only solution is 3, 2, 1. Objective: x1 + x3 = 4.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 1 AND 3;
CREATE CONSTRAINT d AS SELECT * FROM t CHECK all_different(controllable__x);
CREATE CONSTRAINT inc AS SELECT * FROM t ORDER BY id DESC CHECK increasing(controllable__x);
CREATE CONSTRAINT o AS SELECT * FROM t WHERE id <> 2 MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);
