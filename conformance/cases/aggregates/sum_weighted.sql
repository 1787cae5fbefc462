-- @expect OPTIMAL
-- @objective 11
-- @covers aggregate-sum symbolic-argument
-- sum(w * x) with x in {0, 1} and a budget sum(x) <= 2: the two heaviest, 6 + 5.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE TABLE t (id INTEGER PRIMARY KEY, w INTEGER NOT NULL, controllable__x INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 1;
CREATE CONSTRAINT budget AS SELECT * FROM t CHECK sum(controllable__x) <= 2;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE sum(w * controllable__x);
-- @data
INSERT INTO t VALUES (1, 5, NULL), (2, 6, NULL), (3, 1, NULL);
