-- @expect OPTIMAL
-- @objective 5
-- @covers weave symbolic-view view-over-view
-- Weave programs build views on variable columns too; a constraint view over them.
CREATE TABLE t (id INTEGER PRIMARY KEY, variable__x INTEGER);
CREATE VIEW constraint_range AS SELECT * FROM t WHERE variable__x BETWEEN 0 AND 9;
CREATE VIEW shifted AS SELECT id, variable__x - 4 AS d FROM t;
CREATE VIEW constraint_shift AS SELECT * FROM shifted WHERE d <= 1;
CREATE VIEW objective_x AS SELECT sum(variable__x) FROM t;
-- @data
INSERT INTO t VALUES (1, NULL);
