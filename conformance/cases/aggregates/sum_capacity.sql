-- @expect OPTIMAL
-- @objective 2
-- @databases duckdb,sqlite,postgres
-- @covers aggregate-sum grouped variable-join guard empty-group
-- Capacities 5 and 4; VMs of 3, 2, 2. Per machine the placed cpu fits. Objective: VMs on 'a'
-- (cap 5): at most 3 + 2 there, the other 2 goes to 'b'.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE CONSTRAINT cap AS SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    GROUP BY pm.name, pm.cap CHECK sum(vm.cpu) <= pm.cap;
CREATE CONSTRAINT on_a AS SELECT * FROM vm WHERE controllable__pm = 'a' MAXIMIZE 1;
-- @data
INSERT INTO pm VALUES ('a', 5), ('b', 4);
INSERT INTO vm VALUES ('v1', 3, NULL), ('v2', 2, NULL), ('v3', 2, NULL);
