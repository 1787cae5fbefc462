-- @expect OPTIMAL
-- @objective 0
-- @solution vm.controllable__pm = {'v1': 'b', 'v2': 'b'}
-- @covers aggregate-all empty-group
-- all() over an empty group is true: 'a' only accepts VMs of cpu > 5, so both go to 'b' and
-- 'a' stays empty (which satisfies it). The objective counts VMs on 'a'.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE CONSTRAINT a_big_only AS SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    WHERE pm.name = 'a' GROUP BY pm.name CHECK all(vm.cpu > 5);
CREATE CONSTRAINT o AS SELECT * FROM vm WHERE controllable__pm = 'a' MAXIMIZE 1;
-- @data
INSERT INTO pm VALUES ('a', 0), ('b', 0);
INSERT INTO vm VALUES ('v1', 2, NULL), ('v2', 3, NULL);
