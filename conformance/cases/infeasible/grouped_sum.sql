-- @expect INFEASIBLE
-- @covers infeasible grouped-check capacity
-- Total demand 12 on two machines of capacity 5.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE CONSTRAINT cap AS SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    GROUP BY pm.name, pm.cap CHECK sum(vm.cpu) <= pm.cap;
-- @data
INSERT INTO pm VALUES ('a', 5), ('b', 5);
INSERT INTO vm VALUES ('v1', 4, NULL), ('v2', 4, NULL), ('v3', 4, NULL);
