INSERT INTO node VALUES
    ('node-a', 4000, 8192, false),
    ('node-b', 4000, 8192, false),
    ('node-c', 2000, 4096, false),
    ('node-d', 8000, 16384, true);

INSERT INTO node_label VALUES
    ('node-a', 'disk', 'ssd'),
    ('node-b', 'disk', 'hdd'),
    ('node-c', 'disk', 'ssd'),
    ('node-a', 'zone', 'eu-1'),
    ('node-b', 'zone', 'eu-2'),
    ('node-c', 'zone', 'eu-2'),
    ('node-d', 'zone', 'eu-1');

INSERT INTO pod VALUES
    ('web-1', 'web', 1000, 1024, NULL),
    ('web-2', 'web', 1000, 1024, NULL),
    ('web-3', 'web', 1000, 1024, NULL),
    ('db-1', 'db', 2000, 4096, NULL),
    ('cache-1', 'cache', 500, 2048, NULL),
    ('batch-1', 'batch', 1500, 1024, NULL);

INSERT INTO pod_node_selector VALUES
    ('db-1', 'zone', 'eu-2');

INSERT INTO anti_affinity_app VALUES ('web');
