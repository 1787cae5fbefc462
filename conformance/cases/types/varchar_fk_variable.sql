-- @expect OPTIMAL
-- @objective 1
-- @solution vm.controllable__host = {'v1': 'h2'}
-- @databases duckdb,sqlite,postgres
-- @covers type-varchar fk-domain string-equality
CREATE TABLE host (name VARCHAR(10) PRIMARY KEY);
CREATE TABLE vm (name VARCHAR(10) PRIMARY KEY, controllable__host VARCHAR(10) REFERENCES host(name));
CREATE CONSTRAINT not_h1 AS SELECT * FROM vm CHECK controllable__host <> 'h1';
CREATE CONSTRAINT not_h3 AS SELECT * FROM vm CHECK controllable__host != 'h3';
CREATE CONSTRAINT placed AS SELECT * FROM vm MAXIMIZE 1;
-- @data
INSERT INTO host VALUES ('h1'), ('h2'), ('h3');
INSERT INTO vm VALUES ('v1', NULL);
