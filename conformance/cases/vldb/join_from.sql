-- @expect OPTIMAL
-- @objective 1
-- @solution job.slot = {'j1': 2, 'j2': 1}
-- @covers vldb check-from join guard fk-domain
-- Slots come from the FK; a job may only take a slot whose size fits. j1 (size 5) fits only
-- slot 2; the objective prefers slot 1 for every job, which only j2 can take.
CREATE TABLE slot (id INTEGER PRIMARY KEY, size INTEGER NOT NULL);
-- @variable_columns(slot)
CREATE TABLE job (name VARCHAR(5) PRIMARY KEY, size INTEGER NOT NULL,
                  slot INTEGER REFERENCES slot(id));
CREATE CONSTRAINT fits AS CHECK job.size <= slot.size FROM job JOIN slot ON job.slot = slot.id;
CREATE CONSTRAINT prefer_one AS MAXIMIZE 1 FROM job WHERE slot = 1;
-- @data
INSERT INTO slot VALUES (1, 3), (2, 9);
INSERT INTO job VALUES ('j1', 5, NULL), ('j2', 2, NULL);
