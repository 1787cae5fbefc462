-- @expect OPTIMAL
-- @objective 3
-- @covers aggregate empty-relation vacuous
-- vm is empty: no groups, so sum(cpu) >= 100 is vacuous; x goes to its bound 3.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE TABLE job (id INTEGER PRIMARY KEY, controllable__x INTEGER);
CREATE CONSTRAINT lots AS SELECT * FROM vm CHECK sum(cpu) >= 100;
CREATE CONSTRAINT b AS SELECT * FROM job CHECK controllable__x BETWEEN 1 AND 3;
CREATE CONSTRAINT o AS SELECT * FROM job MAXIMIZE controllable__x;
-- @data
INSERT INTO job VALUES (1, NULL);
