-- @expect OPTIMAL
-- @objective 6
-- @databases duckdb,sqlite,postgres
-- @covers aggregate having constant-aggregate
-- Only racks with more than one server (HAVING count(*) > 1: rack 'r1') are limited to a
-- total of 2; rack 'r2' (one server) takes 4. 2 + 4 = 6.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE TABLE srv (name VARCHAR(5) PRIMARY KEY, rack VARCHAR(5) NOT NULL, controllable__n INTEGER);
CREATE CONSTRAINT b AS SELECT * FROM srv CHECK controllable__n BETWEEN 0 AND 4;
CREATE CONSTRAINT r AS SELECT * FROM srv GROUP BY rack HAVING count(*) > 1
    CHECK sum(controllable__n) <= 2;
CREATE CONSTRAINT o AS SELECT * FROM srv MAXIMIZE controllable__n;
-- @data
INSERT INTO srv VALUES ('s1', 'r1', NULL), ('s2', 'r1', NULL), ('s3', 'r2', NULL);
