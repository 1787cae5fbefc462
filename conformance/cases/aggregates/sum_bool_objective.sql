-- @expect OPTIMAL
-- @objective 1
-- @covers aggregate-sum boolean-as-number
-- Booleans count 0/1: at most one of b1, b2 is on (sum <= 1); maximise sum.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__b BOOLEAN);
CREATE CONSTRAINT one AS SELECT * FROM t CHECK sum(controllable__b) <= 1;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE sum(controllable__b);
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL);
