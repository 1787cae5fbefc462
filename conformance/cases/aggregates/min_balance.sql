-- @expect OPTIMAL
-- @objective 8
-- @databases duckdb,sqlite
-- @covers aggregate-min load-balancing symbolic-aggregate
-- Maximise the smallest spare capacity (cap - load; an empty machine's load is 0): caps 10
-- and 10, VMs 3, 3, 2. {3, 2} / {3} leaves spares 5 and 7, the best minimum: 5 + 3 = 8.
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE CONSTRAINT spare AS SELECT pm.name, pm.cap - sum(vm.cpu) AS free
    FROM pm JOIN vm ON vm.controllable__pm = pm.name GROUP BY pm.name, pm.cap;
CREATE CONSTRAINT o AS SELECT * FROM spare MAXIMIZE min(free) + 3;
-- @data
INSERT INTO pm VALUES ('a', 10), ('b', 10);
INSERT INTO vm VALUES ('v1', 3, NULL), ('v2', 3, NULL), ('v3', 2, NULL);
