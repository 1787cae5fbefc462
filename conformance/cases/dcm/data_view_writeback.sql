-- @expect OPTIMAL
-- @objective 2
-- @solution pending.controllable__node_name = {'p1': 'n2', 'p2': 'n2'}
-- @after pod_info.node_name = {'p0': 'n1', 'p1': 'n2', 'p2': 'n2'}
-- @databases duckdb,sqlite,postgres
-- @covers dcm data-view write-back updatable-view fk-domain
-- DCM's pending-pods view: a variable column over a base column, one cell per pending pod.
-- Both pending pods prefer n2; the running pod p0 keeps n1. Writing back updates pod_info.
CREATE TABLE node (name VARCHAR(10) PRIMARY KEY);
CREATE TABLE pod_info (name VARCHAR(10) PRIMARY KEY, status VARCHAR(10) NOT NULL,
                       node_name VARCHAR(10) REFERENCES node(name));
CREATE VIEW pending AS
    SELECT pod_info.*, node_name AS controllable__node_name FROM pod_info
    WHERE status = 'Pending';
CREATE CONSTRAINT on_known_node AS
    SELECT * FROM pending CHECK controllable__node_name IN (SELECT name FROM node);
CREATE CONSTRAINT prefer_n2 AS
    SELECT * FROM pending WHERE controllable__node_name = 'n2' MAXIMIZE 1;
-- @data
INSERT INTO node VALUES ('n1'), ('n2');
INSERT INTO pod_info VALUES ('p0', 'Running', 'n1'), ('p1', 'Pending', NULL),
                            ('p2', 'Pending', NULL);
