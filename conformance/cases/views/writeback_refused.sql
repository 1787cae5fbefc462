-- @expect OPTIMAL
-- @objective 1
-- @after ERROR CsqlError
-- @covers write-back updatable-view refused
-- The view does not carry the base table's primary key, so its variable column cannot be
-- written back: apply() refuses before writing anything.
CREATE TABLE node (name VARCHAR(10) PRIMARY KEY);
CREATE TABLE pod (name VARCHAR(10) PRIMARY KEY, node_name VARCHAR(10));
CREATE VIEW pending AS SELECT node_name AS controllable__node_name FROM pod;
CREATE CONSTRAINT dom AS SELECT * FROM pending CHECK controllable__node_name IN ('n1', 'n2');
CREATE CONSTRAINT o AS SELECT * FROM pending WHERE controllable__node_name = 'n2' MAXIMIZE 1;
-- @data
INSERT INTO node VALUES ('n1'), ('n2');
INSERT INTO pod VALUES ('p1', NULL);
