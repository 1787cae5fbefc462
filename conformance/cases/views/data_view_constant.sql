-- @expect OPTIMAL
-- @objective 14
-- @databases duckdb,sqlite,postgres
-- @covers data-view constant-view
-- A data view (no variable column read) is evaluated by the database: the caps of the big
-- machines (7 each); every VM takes at most a big cap: 7 + 7.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, controllable__size INTEGER);
CREATE VIEW big AS SELECT name, cap FROM pm WHERE cap > 5;
CREATE CONSTRAINT b AS SELECT * FROM vm CHECK controllable__size BETWEEN 0 AND 100;
CREATE CONSTRAINT c AS SELECT * FROM vm CHECK controllable__size <= (SELECT min(cap) FROM big);
CREATE CONSTRAINT o AS SELECT * FROM vm MAXIMIZE controllable__size;
-- @data
INSERT INTO pm VALUES ('a', 3), ('b', 7), ('c', 9);
INSERT INTO vm VALUES ('v1', NULL), ('v2', NULL);
