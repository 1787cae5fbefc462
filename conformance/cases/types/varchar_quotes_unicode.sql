-- @expect OPTIMAL
-- @objective 2
-- @solution person.controllable__city = {"O'Brien": 'Zürich', '李': '東京'}
-- @databases duckdb,sqlite,postgres
-- @covers type-varchar strings-quotes strings-unicode
-- Strings with quotes and non-ASCII characters travel through the dictionary intact.
CREATE TABLE city (name VARCHAR(20) PRIMARY KEY);
CREATE TABLE person (name VARCHAR(20) PRIMARY KEY,
                     wants VARCHAR(20) NOT NULL,
                     controllable__city VARCHAR(20) REFERENCES city(name));
CREATE CONSTRAINT happy AS SELECT * FROM person WHERE controllable__city = wants MAXIMIZE 1;
-- @data
INSERT INTO city VALUES ('Zürich'), ('東京'), ('it''s'), ('🚀');
INSERT INTO person VALUES ('O''Brien', 'Zürich', NULL), ('李', '東京', NULL);
