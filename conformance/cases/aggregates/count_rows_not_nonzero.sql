-- @expect OPTIMAL
-- @objective 0
-- @covers aggregate-count count-rows
-- COUNT counts rows, not non-zero values (DCM counted non-zero values): all zero, count 3.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__v INTEGER);
CREATE CONSTRAINT zero AS SELECT * FROM t CHECK controllable__v = 0;
CREATE CONSTRAINT three AS SELECT * FROM t CHECK count(controllable__v) = 3;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__v;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL), (3, NULL);
