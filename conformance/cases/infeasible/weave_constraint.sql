-- @expect INFEASIBLE
-- @covers infeasible weave
CREATE TABLE t (id INTEGER PRIMARY KEY, variable__x INTEGER);
CREATE VIEW constraint_low AS SELECT * FROM t WHERE variable__x < 2;
CREATE VIEW constraint_high AS SELECT * FROM t WHERE variable__x > 2;
-- @data
INSERT INTO t VALUES (1, NULL);
