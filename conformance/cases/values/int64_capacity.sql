-- @expect OPTIMAL
-- @objective 8589934592
-- @databases duckdb,sqlite,postgres
-- @covers int64 bigint capacity
-- Capacities 2^33; items 2^33 - 1, 2 and 1. The objective is the cpu placed on 'a':
-- 2^33 - 1 + 1 = 2^33 exactly fills it (2^33 - 1 + 2 would not fit).
CREATE TABLE pm (name VARCHAR(5) PRIMARY KEY, cpu BIGINT NOT NULL);
CREATE TABLE vm (name VARCHAR(5) PRIMARY KEY, cpu BIGINT NOT NULL,
                 controllable__pm VARCHAR(5) REFERENCES pm(name));
CREATE CONSTRAINT cap AS SELECT * FROM pm JOIN vm ON vm.controllable__pm = pm.name
    GROUP BY pm.name, pm.cpu CHECK sum(vm.cpu) <= pm.cpu;
CREATE CONSTRAINT o AS SELECT * FROM vm WHERE controllable__pm = 'a' MAXIMIZE cpu;
-- @data
INSERT INTO pm VALUES ('a', 8589934592), ('b', 8589934592);
INSERT INTO vm VALUES ('v1', 8589934591, NULL), ('v2', 2, NULL), ('v3', 1, NULL);
