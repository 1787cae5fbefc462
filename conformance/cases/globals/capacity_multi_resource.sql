-- @expect OPTIMAL
-- @objective 1
-- @solution vm.controllable__pm = {'v1': 'b', 'v2': 'a'}
-- @covers global-capacity_constraint multi-dimensional grouped
-- Two resources, grouped per resource: 'a' has cpu 4 / mem 1, 'b' cpu 4 / mem 8. v1 needs
-- mem 5 so only 'b' takes it; v2 (cpu 3) cannot share 'b' with v1 (cpu 2 + 3 > 4).
-- Objective: v1 on 'b'.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY);
CREATE TABLE cap (pm VARCHAR(5) NOT NULL, res VARCHAR(5) NOT NULL, amount INTEGER NOT NULL,
                  PRIMARY KEY (pm, res));
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE TABLE demand (vm VARCHAR(5) NOT NULL, res VARCHAR(5) NOT NULL, amount INTEGER NOT NULL,
                     PRIMARY KEY (vm, res));
CREATE CONSTRAINT fit AS
    SELECT * FROM vm JOIN demand ON demand.vm = vm.name
    JOIN cap ON cap.res = demand.res
    GROUP BY demand.res
    CHECK capacity_constraint(vm.controllable__pm, cap.pm, demand.amount, cap.amount);
CREATE CONSTRAINT o AS SELECT * FROM vm WHERE name = 'v1' AND controllable__pm = 'b' MAXIMIZE 1;
-- @data
INSERT INTO pm VALUES ('a'), ('b');
INSERT INTO cap VALUES ('a', 'cpu', 4), ('a', 'mem', 1), ('b', 'cpu', 4), ('b', 'mem', 8);
INSERT INTO vm VALUES ('v1', NULL), ('v2', NULL);
INSERT INTO demand VALUES ('v1', 'cpu', 2), ('v1', 'mem', 5), ('v2', 'cpu', 3), ('v2', 'mem', 1);
