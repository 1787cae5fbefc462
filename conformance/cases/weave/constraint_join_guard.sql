-- @expect OPTIMAL
-- @objective -1
-- @covers weave constraint-view join guard minimize-via-objective
-- Wherever a pod goes, its demand fits the node. The objective view is maximised, so a
-- negated count minimises the pods on the big node: p1 (6) must go there, p2 (2) need not.
CREATE TABLE node (name VARCHAR(5) PRIMARY KEY, cap INTEGER NOT NULL);
CREATE TABLE pod (name VARCHAR(5) PRIMARY KEY, demand INTEGER NOT NULL,
                  variable__node VARCHAR(5) REFERENCES node(name));
CREATE VIEW constraint_fit AS
    SELECT * FROM pod JOIN node ON pod.variable__node = node.name WHERE pod.demand <= node.cap;
CREATE VIEW objective_few_on_big AS
    SELECT -count(*) FROM pod WHERE variable__node = 'big';
-- @data
INSERT INTO node VALUES ('small', 4), ('big', 10);
INSERT INTO pod VALUES ('p1', 6, NULL), ('p2', 2, NULL);
