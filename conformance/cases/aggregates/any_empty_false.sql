-- @expect OPTIMAL
-- @objective 2
-- @covers aggregate-any empty-group
-- any() over an empty group is false: every machine needs some VM of cpu > 1. VMs 2, 2
-- (and 1): each machine gets one of the big ones. Objective counts VMs on 'a' <= 2 with
-- the tiny one also there.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE CONSTRAINT some_big AS SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    GROUP BY pm.name CHECK any(vm.cpu > 1);
CREATE CONSTRAINT o AS SELECT * FROM vm WHERE controllable__pm = 'a' MAXIMIZE 1;
-- @data
INSERT INTO pm VALUES ('a', 0), ('b', 0);
INSERT INTO vm VALUES ('v1', 2, NULL), ('v2', 2, NULL), ('v3', 1, NULL);
