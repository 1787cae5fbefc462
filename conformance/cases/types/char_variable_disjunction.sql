-- @expect OPTIMAL
-- @objective 0
-- @solution t.controllable__c = {1: 'b', 2: 'b'}
-- @covers type-char inferred-string-domain disjunction
-- A disjunction of equalities gives the union {'a', 'b'}; the objective punishes 'a'.
CREATE TABLE t (id INTEGER PRIMARY KEY, controllable__c CHAR(1));
CREATE CONSTRAINT letters AS SELECT * FROM t CHECK controllable__c = 'a' OR controllable__c = 'b';
CREATE CONSTRAINT no_a AS SELECT * FROM t WHERE controllable__c = 'a' MINIMIZE 1;
-- @data
INSERT INTO t VALUES (1, NULL), (2, NULL);
