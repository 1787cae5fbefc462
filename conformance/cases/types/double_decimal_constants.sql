-- @expect OPTIMAL
-- @objective 2
-- @covers type-double type-decimal constant-filter
-- Constant DOUBLE/DECIMAL columns filter rows in SQL: rows 1 and 3 have ratio > 0.5 and
-- price < 10.00, so only they may (and do) take x = 1.
CREATE TABLE t (id INTEGER PRIMARY KEY, ratio DOUBLE NOT NULL, price DECIMAL(6, 2) NOT NULL,
                controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 1;
CREATE CONSTRAINT gated AS SELECT * FROM t WHERE ratio <= 0.5 OR price >= 10.00
    CHECK controllable__x = 0;
CREATE CONSTRAINT most AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, 0.75, 9.99, NULL), (2, 0.5, 1.00, NULL), (3, 0.9, 0.01, NULL),
                     (4, 0.9, 10.00, NULL);
