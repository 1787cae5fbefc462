INSERT INTO rack VALUES ('r1'), ('r2'), ('r3'), ('r4');

INSERT INTO server VALUES
    ('s1', 'r1', 3), ('s2', 'r1', 3),
    ('s3', 'r2', 3), ('s4', 'r2', 3),
    ('s5', 'r3', 3), ('s6', 'r3', 3),
    ('s7', 'r4', 2);

INSERT INTO replica VALUES
    (1, 1, NULL), (1, 2, NULL), (1, 3, NULL),
    (2, 1, NULL), (2, 2, NULL), (2, 3, NULL),
    (3, 1, NULL), (3, 2, NULL), (3, 3, NULL),
    (4, 1, NULL), (4, 2, NULL), (4, 3, NULL);
