-- @expect OPTIMAL
-- @objective 2
-- @databases duckdb,sqlite
-- @covers symbolic-view variable-qualifier presence rows
-- A view with a variable join has one candidate row per (replica, server) with a presence
-- condition; the distinct-rack constraint over it reads only present rows. Two replicas, three
-- servers in racks r1, r1, r2: the replicas must land in different racks; the objective
-- counts replicas on servers with spare = 1 (s1 and s3): both can.
CREATE TABLE server (name VARCHAR(5) PRIMARY KEY, rack VARCHAR(5) NOT NULL, spare INTEGER NOT NULL);
CREATE TABLE replica (id INTEGER PRIMARY KEY, controllable__server VARCHAR(5) REFERENCES server(name));
CREATE VIEW placed AS SELECT replica.id, server.rack, server.spare
    FROM replica JOIN server ON replica.controllable__server = server.name;
CREATE CONSTRAINT racks AS SELECT * FROM placed CHECK all_different(rack);
CREATE CONSTRAINT o AS SELECT * FROM placed MAXIMIZE spare;
-- @data
INSERT INTO server VALUES ('s1', 'r1', 1), ('s2', 'r1', 0), ('s3', 'r2', 1);
INSERT INTO replica VALUES (1, NULL), (2, NULL);
