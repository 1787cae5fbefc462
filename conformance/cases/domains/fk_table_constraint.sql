-- @expect OPTIMAL
-- @objective -4
-- @covers fk-domain foreign-key-clause
-- FOREIGN KEY (...) REFERENCES as a table constraint: domain {4, 6}; minimise.
CREATE TABLE s (v INTEGER PRIMARY KEY);
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__x INTEGER,
                FOREIGN KEY (controllable__x) REFERENCES s(v));
CREATE CONSTRAINT small AS SELECT * FROM t MINIMIZE controllable__x;
-- @data
INSERT INTO s VALUES (6), (4);
INSERT INTO t VALUES (1, NULL);
