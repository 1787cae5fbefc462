-- @expect OPTIMAL
-- @objective 1
-- @solution vm.controllable__pm = {'tiny': 'a', 'huge': 'b'}
-- @covers aggregate-min empty-group null-passes
-- min over an empty group is NULL and the CHECK passes: 'b' must only hold VMs of cpu >= 100.
-- The objective wants 'huge' on 'b' (1); 'tiny' then must go to 'a'.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE CONSTRAINT only_big_on_b AS SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    GROUP BY pm.name CHECK pm.name = 'a' OR min(vm.cpu) >= 100;
CREATE CONSTRAINT o AS SELECT * FROM vm WHERE name = 'huge' AND controllable__pm = 'b' MAXIMIZE 1;
-- @data
INSERT INTO pm VALUES ('a', 0), ('b', 0);
INSERT INTO vm VALUES ('tiny', 50, NULL), ('huge', 150, NULL);
