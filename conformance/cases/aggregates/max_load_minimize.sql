-- @expect OPTIMAL
-- @objective -4
-- @covers aggregate-max minimize load-balancing
-- Minimise the largest load: VMs 4, 2, 2 on two machines: {4} / {2, 2} gives 4.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE CONSTRAINT load AS SELECT pm.name, sum(vm.cpu) AS used
    FROM pm JOIN vm ON vm.controllable__pm = pm.name GROUP BY pm.name;
CREATE CONSTRAINT o AS SELECT * FROM load MINIMIZE max(used);
-- @data
INSERT INTO pm VALUES ('a', 0), ('b', 0);
INSERT INTO vm VALUES ('v1', 4, NULL), ('v2', 2, NULL), ('v3', 2, NULL);
