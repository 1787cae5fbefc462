-- @expect OPTIMAL
-- @objective 14
-- @covers global-all_different global-increasing combined-and
-- all_different AND increasing (primary-key order): strictly increasing in [1, 5] over
-- four rows; the largest sum is 2 + 3 + 4 + 5.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 1 AND 5;
CREATE CONSTRAINT g AS SELECT * FROM t
    CHECK all_different(controllable__x) AND increasing(controllable__x);
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL), (4, NULL);
