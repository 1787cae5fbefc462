-- @expect OPTIMAL
-- @objective 2
-- @databases duckdb,sqlite,postgres
-- @covers global-capacity_constraint bin-packing
-- Bins of capacity 5 and 4, items 3, 2, 2 (total 7 of 9). Objective: items in bin 'a'.
-- 'a' holds at most 5: {3, 2} -> 2 items (three would need 7).
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE CONSTRAINT cap AS SELECT * FROM vm JOIN pm ON vm.controllable__pm = pm.name
    CHECK capacity_constraint(vm.controllable__pm, pm.name, vm.cpu, pm.cap);
CREATE CONSTRAINT o AS SELECT * FROM vm WHERE controllable__pm = 'a' MAXIMIZE 1;
-- @data
INSERT INTO pm VALUES ('a', 5), ('b', 4);
INSERT INTO vm VALUES ('v1', 3, NULL), ('v2', 2, NULL), ('v3', 2, NULL);
