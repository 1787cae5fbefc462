-- @expect OPTIMAL
-- @objective 4
-- @solution chosen.controllable__pick = {1: 2, 2: 2}
-- @covers view-variable-column data-view fk-domain
-- A view that selects an expression AS controllable__pick adds a variable cell per row; the
-- domain comes from an IN constraint; the objective prefers larger picks below 3.
CREATE TABLE item (id INTEGER PRIMARY KEY, hint INTEGER);
CREATE VIEW chosen AS SELECT id, hint AS controllable__pick FROM item;
CREATE CONSTRAINT dom AS SELECT * FROM chosen CHECK controllable__pick IN (1, 2, 3);
CREATE CONSTRAINT c AS SELECT * FROM chosen CHECK controllable__pick < 3;
CREATE CONSTRAINT o AS SELECT * FROM chosen MAXIMIZE controllable__pick;
-- @data
INSERT INTO item VALUES (1, NULL), (2, 3);
