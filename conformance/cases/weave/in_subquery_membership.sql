-- @expect OPTIMAL
-- @objective 10
-- @databases duckdb,sqlite,postgres
-- @covers weave in-subquery membership inferred-domain
-- Weave's IN -> membership: x in {2, 5, 9}, and below 9: 5 on both rows.
CREATE TABLE allowed (v INTEGER PRIMARY KEY);
CREATE TABLE t (id INTEGER PRIMARY KEY, variable__x INTEGER);
CREATE VIEW constraint_allowed AS SELECT * FROM t WHERE variable__x IN (SELECT v FROM allowed);
CREATE VIEW constraint_small AS SELECT * FROM t WHERE variable__x < 9;
CREATE VIEW objective_sum AS SELECT sum(variable__x) FROM t;
-- @data
INSERT INTO allowed VALUES (2), (5), (9);
INSERT INTO t VALUES (1, NULL), (2, NULL);
