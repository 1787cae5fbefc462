-- @expect OPTIMAL
-- @objective 0
-- @covers aggregate-count empty-group grouped
-- Every machine forms a group even with no VM placed (count 0), so each of three machines
-- needs one of the three VMs; the objective, count - 1 per machine, is then 0.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE CONSTRAINT used AS SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    GROUP BY pm.name CHECK count(vm.name) >= 1;
CREATE CONSTRAINT o AS SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    GROUP BY pm.name MAXIMIZE count(vm.name) - 1;
-- @data
INSERT INTO pm VALUES ('a', 0), ('b', 0), ('c', 0);
INSERT INTO vm VALUES ('v1', 1, NULL), ('v2', 1, NULL), ('v3', 1, NULL);
