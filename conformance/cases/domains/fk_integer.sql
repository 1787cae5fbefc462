-- @expect OPTIMAL
-- @objective 7
-- @solution t.controllable__x = {1: 7}
-- @databases duckdb,sqlite,postgres
-- @covers fk-domain integer
-- The FK gives the domain {3, 7, 11}; 11 is excluded, so the largest value is 7.
CREATE TABLE s (id INTEGER PRIMARY KEY);
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER REFERENCES s(id));
CREATE CONSTRAINT not_eleven AS SELECT * FROM t CHECK controllable__x <> 11;
CREATE CONSTRAINT big AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO s VALUES (3), (7), (11);
INSERT INTO t VALUES (1, NULL);
