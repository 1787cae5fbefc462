-- @expect OPTIMAL
-- @objective 0
-- @solution vm.controllable__pm = {'v': 'big', 'w': 'big'}
-- @databases duckdb,sqlite,postgres
-- @covers dcm row-check fk-domain varchar
-- v (5) only fits on big (8); w (2) fits on both, minimising the number of VMs on
-- small forces w to big too. Objective: -(count on small) = 0.
CREATE TABLE pm (name VARCHAR(20) PRIMARY KEY, cpu INTEGER NOT NULL);
CREATE TABLE vm (name VARCHAR(20) PRIMARY KEY, cpu INTEGER NOT NULL,
                 controllable__pm VARCHAR(20) REFERENCES pm(name));
CREATE CONSTRAINT fits AS
    SELECT * FROM vm JOIN pm ON vm.controllable__pm = pm.name CHECK vm.cpu <= pm.cpu;
CREATE CONSTRAINT avoid_small AS
    SELECT * FROM vm WHERE vm.controllable__pm = 'small' MINIMIZE 1;
-- @data
INSERT INTO pm VALUES ('small', 3), ('big', 8);
INSERT INTO vm VALUES ('v', 5, NULL), ('w', 2, NULL);
