-- @expect INFEASIBLE
-- @covers fk-domain empty-domain infeasible
-- The referenced table is empty: the variable has no value to take.
CREATE TABLE s (id INTEGER PRIMARY KEY);
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER REFERENCES s(id));
-- @data
INSERT INTO t VALUES (1, NULL);
