-- @expect OPTIMAL
-- @objective 16
-- @covers objectives-summed competing
-- Two objectives pull x apart: 3x (maximise) and (x - 2) * 5 penalty only when x > 4 via
-- CASE. For x <= 4: 3x, best 12 at x = 4; for x > 4: 3x - 5(x - 4) = 20 - 2x, best 10 at 5.
-- A third constant term adds 4: 12 + 4.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT gain AS SELECT * FROM t MAXIMIZE 3 * controllable__x;
CREATE CONSTRAINT pain AS SELECT * FROM t
    MINIMIZE CASE WHEN controllable__x > 4 THEN 5 * (controllable__x - 4) ELSE 0 END;
CREATE CONSTRAINT bonus AS SELECT * FROM t MAXIMIZE 4;
-- @data
INSERT INTO t VALUES (1, NULL);
