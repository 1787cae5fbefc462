-- @expect OPTIMAL
-- @objective 9
-- @databases duckdb,sqlite,postgres
-- @covers weave constraint-view objective-view variable-prefix
-- In a constraint_* view the WHERE clause is the predicate every row must satisfy.
CREATE TABLE t (id INTEGER PRIMARY KEY, variable__x INTEGER);
CREATE VIEW constraint_range AS SELECT * FROM t WHERE variable__x BETWEEN 1 AND 3;
CREATE VIEW objective_total AS SELECT sum(variable__x) FROM t;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);
