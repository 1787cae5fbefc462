-- @expect OPTIMAL
-- @objective 2
-- @databases duckdb,sqlite
-- @covers dcm grouped-check variable-join guard count
-- At most two VMs per machine; three VMs, two machines. The objective counts VMs on 'a':
-- at most 2 (the third goes to 'b').
CREATE TABLE pm (name VARCHAR(10) PRIMARY KEY);
CREATE TABLE vm (name VARCHAR(10) PRIMARY KEY, controllable__pm VARCHAR(10) REFERENCES pm(name));
CREATE CONSTRAINT two_each AS
    SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name GROUP BY pm.name
    CHECK count(vm.name) <= 2;
CREATE CONSTRAINT prefer_a AS SELECT * FROM vm WHERE controllable__pm = 'a' MAXIMIZE 1;
-- @data
INSERT INTO pm VALUES ('a'), ('b');
INSERT INTO vm VALUES ('v1', NULL), ('v2', NULL), ('v3', NULL);
