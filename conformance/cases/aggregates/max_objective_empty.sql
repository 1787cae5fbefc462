-- @expect OPTIMAL
-- @objective 9
-- @covers aggregate-max empty-group null-objective-term
-- MAXIMIZE max(cpu) per machine: an empty machine's term is NULL and counts 0. Placing
-- both VMs apart gives 5 + 4 = 9; together gives only 5.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE CONSTRAINT o AS SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    GROUP BY pm.name MAXIMIZE max(vm.cpu);
-- @data
INSERT INTO pm VALUES ('a', 0), ('b', 0), ('c', 0);
INSERT INTO vm VALUES ('v1', 5, NULL), ('v2', 4, NULL);
