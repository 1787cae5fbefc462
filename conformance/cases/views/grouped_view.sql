-- @expect OPTIMAL
-- @objective -1
-- @covers symbolic-view grouped-view all-groups
-- A grouped symbolic view has all its groups: load per machine (3 machines, 4 unit VMs), then
-- minimise the spread max(load) - min(load): 2 - 1 = 1 (4 over 3 cannot be even).
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE VIEW load AS SELECT pm.name, count(vm.name) AS n
    FROM pm JOIN vm ON vm.controllable__pm = pm.name GROUP BY pm.name;
CREATE CONSTRAINT o AS SELECT * FROM load MINIMIZE max(n) - min(n);
-- @data
INSERT INTO pm VALUES ('a'), ('b'), ('c');
INSERT INTO vm VALUES ('v1', NULL), ('v2', NULL), ('v3', NULL), ('v4', NULL);
