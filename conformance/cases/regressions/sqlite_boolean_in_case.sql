-- @expect OPTIMAL
-- @objective 6
-- @databases duckdb,sqlite,postgres
-- @covers type-boolean constant-column case sqlite regression
-- Found by nulls/null_in_case: SQLite returns booleans (a BOOLEAN column, a comparison) as
-- 1 / 0, and the grounding's CASE took the ELSE branch for them. Row 1 (flag true, a = 9)
-- may take 5 on both conditions; row 2 (flag false) is held to 1: 5 + 1.
CREATE TABLE t (id INTEGER PRIMARY KEY, flag BOOLEAN NOT NULL, a INTEGER NOT NULL,
                controllable__x INTEGER);
CREATE CONSTRAINT bounds AS SELECT * FROM t CHECK controllable__x BETWEEN 0 AND 10;
CREATE CONSTRAINT by_flag AS SELECT * FROM t
    CHECK CASE WHEN flag THEN controllable__x <= 5 ELSE controllable__x <= 1 END;
CREATE CONSTRAINT by_cmp AS SELECT * FROM t
    CHECK CASE WHEN a > 5 THEN controllable__x <= 5 ELSE controllable__x <= 1 END;
CREATE CONSTRAINT o AS SELECT * FROM t MAXIMIZE controllable__x;
-- @data
INSERT INTO t VALUES (1, true, 9, NULL), (2, false, 7, NULL);
