-- @expect OPTIMAL
-- @objective 1
-- @covers aggregate where-constant grouped
-- The constant WHERE removes machine 'c' before grouping; 'a' and 'b' must each get one of
-- the three VMs, so at most one VM can go to 'c' (the objective).
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE CONSTRAINT used AS SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    WHERE pm.cap > 0 GROUP BY pm.name CHECK count(vm.name) >= 1;
CREATE CONSTRAINT o AS SELECT * FROM vm WHERE controllable__pm = 'c' MAXIMIZE 1;
-- @data
INSERT INTO pm VALUES ('a', 1), ('b', 1), ('c', 0);
INSERT INTO vm VALUES ('v1', 1, NULL), ('v2', 1, NULL), ('v3', 1, NULL);
