-- @expect ERROR GroundingError
-- @covers type-real constant-column symbolic-position limitation
-- A REAL constant may filter rows (types/double_decimal_constants) but not take part in a
-- symbolic expression: symbolic arithmetic is over integers, booleans and strings only, and
-- csql says so with a GroundingError naming the value rather than rounding silently.
CREATE TABLE t (id INTEGER PRIMARY KEY, w REAL NOT NULL, controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT at_least AS SELECT * FROM t CHECK controllable__x >= w;
-- @data
INSERT INTO t VALUES (1, 2.5, NULL);
