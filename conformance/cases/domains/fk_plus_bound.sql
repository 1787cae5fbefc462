-- @expect OPTIMAL
-- @objective -5
-- @covers fk-domain inferred-domain
-- FK {1, 5, 9} and x > 2: minimising picks 5.
CREATE TABLE s (id INTEGER PRIMARY KEY);
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER REFERENCES s(id));
CREATE CONSTRAINT above AS SELECT * FROM t CHECK controllable__x > 2;
CREATE CONSTRAINT small AS SELECT * FROM t MINIMIZE controllable__x;
-- @data
INSERT INTO s VALUES (1), (5), (9);
INSERT INTO t VALUES (1, NULL);
