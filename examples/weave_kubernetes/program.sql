-- A Kubernetes placement policy in the Weave dialect (HotOS'19 §3.1-3.2): the decision
-- variable is the `variable__` column; a view named constraint_* is a hard constraint whose
-- WHERE clause is the predicate every row must satisfy; a view named objective_* is
-- maximised.

CREATE TABLE node (
    name               VARCHAR(36) PRIMARY KEY,
    cpu_allocatable    INTEGER NOT NULL,
    memory_allocatable INTEGER NOT NULL,
    unschedulable      BOOLEAN NOT NULL
);

CREATE TABLE node_label (
    node_name   VARCHAR(36) NOT NULL REFERENCES node(name),
    label_key   VARCHAR(63) NOT NULL,
    label_value VARCHAR(63) NOT NULL,
    PRIMARY KEY (node_name, label_key)
);

CREATE TABLE pod (
    name           VARCHAR(100) PRIMARY KEY,
    app            VARCHAR(63) NOT NULL,
    cpu_request    INTEGER NOT NULL,
    memory_request INTEGER NOT NULL,
    variable__node_name VARCHAR(36) REFERENCES node(name)
);

CREATE TABLE pod_node_selector (
    pod_name    VARCHAR(100) NOT NULL REFERENCES pod(name),
    label_key   VARCHAR(63) NOT NULL,
    label_value VARCHAR(63) NOT NULL
);

-- Apps whose replicas must not share a node.
CREATE TABLE anti_affinity_app (
    app VARCHAR(63) PRIMARY KEY
);

-- Pods never go to nodes that are cordoned.
CREATE VIEW constraint_schedulable AS
    SELECT * FROM pod JOIN node ON pod.variable__node_name = node.name
    WHERE node.unschedulable = false;

-- A node selector: the chosen node carries the requested label.
CREATE VIEW constraint_node_selector AS
    SELECT * FROM pod_node_selector JOIN pod ON pod.name = pod_node_selector.pod_name
    WHERE pod.variable__node_name IN (
        SELECT node_label.node_name FROM node_label
        WHERE node_label.label_key = pod_node_selector.label_key
          AND node_label.label_value = pod_node_selector.label_value);

-- Resources: what the pods on a node request fits what it can allocate.
CREATE VIEW constraint_resources_fit AS
    SELECT * FROM node JOIN pod ON pod.variable__node_name = node.name
    WHERE sum(pod.cpu_request) <= node.cpu_allocatable
      AND sum(pod.memory_request) <= node.memory_allocatable
    GROUP BY node.name, node.cpu_allocatable, node.memory_allocatable;

-- Anti-affinity: two replicas of such an app run on different nodes.
CREATE VIEW constraint_anti_affinity AS
    SELECT * FROM pod AS a
    JOIN pod AS b ON a.app = b.app AND a.name < b.name
    JOIN anti_affinity_app ON anti_affinity_app.app = a.app
    WHERE a.variable__node_name != b.variable__node_name;

-- Prefer nodes with SSDs: maximise the number of pods that land on one.
CREATE VIEW objective_prefer_ssd AS
    SELECT count(*) FROM pod
    JOIN node_label ON pod.variable__node_name = node_label.node_name
    WHERE node_label.label_key = 'disk' AND node_label.label_value = 'ssd';
