-- @expect INFEASIBLE
-- @covers global-capacity_constraint infeasible
-- Items 3, 3, 3 into bins 5 and 4: each bin holds one item at most; three items.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE CONSTRAINT cap AS SELECT * FROM vm JOIN pm ON vm.controllable__pm = pm.name
    CHECK capacity_constraint(vm.controllable__pm, pm.name, vm.cpu, pm.cap);
-- @data
INSERT INTO pm VALUES ('a', 5), ('b', 4);
INSERT INTO vm VALUES ('v1', 3, NULL), ('v2', 3, NULL), ('v3', 3, NULL);
