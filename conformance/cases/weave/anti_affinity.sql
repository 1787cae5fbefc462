-- @expect OPTIMAL
-- @objective 2
-- @covers weave constraint-view self-join objective-count
-- Pods of the same app must be on different nodes; three 'web' pods, three nodes; the
-- objective counts pods on ssd nodes (a and c): at most two of the three web pods.
CREATE TABLE node (name VARCHAR(5) PRIMARY KEY, ssd BOOLEAN NOT NULL);
CREATE TABLE pod (name VARCHAR(5) PRIMARY KEY, app VARCHAR(5) NOT NULL,
                  variable__node VARCHAR(5) REFERENCES node(name));
CREATE VIEW constraint_spread AS
    SELECT * FROM pod AS a JOIN pod AS b ON a.app = b.app AND a.name < b.name
    WHERE a.variable__node != b.variable__node;
CREATE VIEW objective_ssd AS
    SELECT count(*) FROM pod JOIN node ON pod.variable__node = node.name WHERE node.ssd;
-- @data
INSERT INTO node VALUES ('a', true), ('b', false), ('c', true);
INSERT INTO pod VALUES ('w1', 'web', NULL), ('w2', 'web', NULL), ('w3', 'web', NULL);
