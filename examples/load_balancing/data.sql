INSERT INTO physical_machine VALUES
    ('pm1', 100, 256),
    ('pm2', 100, 256),
    ('pm3', 50, 128);

INSERT INTO virtual_machine VALUES
    ('vm1', 40, 64, NULL),
    ('vm2', 30, 64, NULL),
    ('vm3', 30, 32, NULL),
    ('vm4', 20, 32, NULL),
    ('vm5', 20, 16, NULL),
    ('vm6', 10, 16, 'pm1');
