-- @expect OPTIMAL
-- @objective 2
-- @solution pending.controllable__node_name = {'p1': 'n2', 'p2': 'n2'}
-- @after pod_info.node_name = {'p1': 'n2', 'p2': 'n2', 'p3': None, 'p4': None}
-- @databases duckdb,sqlite,postgres
-- @covers dcm data-view order-by limit write-back
-- DCM's batch of pending pods: ORDER BY name LIMIT 2 gives cells for p1 and p2 only (the
-- database evaluates data views with its full SQL); both prefer n2; p3 and p4 stay unplaced.
CREATE TABLE node (name VARCHAR(10) PRIMARY KEY);
CREATE TABLE pod_info (name VARCHAR(10) PRIMARY KEY, status VARCHAR(10) NOT NULL,
                       node_name VARCHAR(10) REFERENCES node(name));
CREATE VIEW pending AS
    SELECT pod_info.*, node_name AS controllable__node_name FROM pod_info
    WHERE status = 'Pending' ORDER BY name LIMIT 2;
CREATE CONSTRAINT known AS SELECT * FROM pending CHECK controllable__node_name IN ('n1', 'n2');
CREATE CONSTRAINT prefer_n2 AS
    SELECT * FROM pending WHERE controllable__node_name = 'n2' MAXIMIZE 1;
-- @data
INSERT INTO node VALUES ('n1'), ('n2');
INSERT INTO pod_info VALUES ('p3', 'Pending', NULL), ('p1', 'Pending', NULL),
                            ('p4', 'Pending', NULL), ('p2', 'Pending', NULL);
