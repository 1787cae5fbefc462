-- @expect OPTIMAL
-- @objective 3
-- @covers aggregate-count grouped-objective per-group-terms
-- One objective term per group: each machine holding a VM scores 1 (a boolean counts
-- 0/1); three VMs on three machines, spread out: 3.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE CONSTRAINT o AS SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    GROUP BY pm.name MAXIMIZE count(vm.name) > 0;
-- @data
INSERT INTO pm VALUES ('a', 0), ('b', 0), ('c', 0);
INSERT INTO vm VALUES ('v1', 1, NULL), ('v2', 1, NULL), ('v3', 1, NULL);
