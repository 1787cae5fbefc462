-- @expect INFEASIBLE
-- @covers infeasible string-domain
-- The only allowed zones are excluded by the second constraint.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__z VARCHAR(5));
CREATE CONSTRAINT dom AS SELECT * FROM t CHECK controllable__z IN ('a', 'b');
CREATE CONSTRAINT no AS SELECT * FROM t CHECK controllable__z <> 'a' AND controllable__z <> 'b';
-- @data
INSERT INTO t VALUES (1, NULL);
