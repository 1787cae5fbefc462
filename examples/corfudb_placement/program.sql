-- CorfuDB-style replica placement in the VLDB'23 dialect: the decision variable is declared
-- by an annotation, constraints are written `CHECK e FROM relation`.
-- Each log segment has three replicas; replicas of one segment go to distinct servers in
-- distinct racks, servers hold at most `slots` replicas, and the busiest rack is as idle as
-- possible.

CREATE TABLE rack (
    name VARCHAR(20) PRIMARY KEY
);

CREATE TABLE server (
    name  VARCHAR(20) PRIMARY KEY,
    rack  VARCHAR(20) NOT NULL REFERENCES rack(name),
    slots INTEGER NOT NULL
);

-- @variable_columns(server)
CREATE TABLE replica (
    segment       INTEGER NOT NULL,
    replica_index INTEGER NOT NULL,
    server        VARCHAR(20) REFERENCES server(name),
    PRIMARY KEY (segment, replica_index)
);

-- The rack each replica lands in (a symbolic view: which row holds depends on the choice).
CREATE VIEW replica_rack AS
    SELECT replica.segment, replica.replica_index, server.rack
    FROM replica JOIN server ON replica.server = server.name;

CREATE CONSTRAINT distinct_servers AS
    CHECK all_different(server) FROM replica GROUP BY segment;

CREATE CONSTRAINT distinct_racks AS
    CHECK all_different(rack) FROM replica_rack GROUP BY segment;

CREATE CONSTRAINT server_slots AS
    CHECK count(replica.segment) <= server.slots
    FROM server JOIN replica ON replica.server = server.name
    GROUP BY server.name, server.slots;

CREATE VIEW rack_load AS
    SELECT rack.name, count(replica.segment) AS replicas
    FROM rack JOIN server ON server.rack = rack.name
    JOIN replica ON replica.server = server.name
    GROUP BY rack.name;

CREATE CONSTRAINT balance_racks AS
    MINIMIZE max(replicas) FROM rack_load;
