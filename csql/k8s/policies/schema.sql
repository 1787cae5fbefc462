-- Cluster state of the csql Kubernetes scheduler (csql.k8s).
--
-- One row per object and one row per list element, as kube-scheduler's informer cache sees
-- them. Quantities are integers: cpu in millicores, memory and storage in MiB, every other
-- resource (pods, nvidia.com/gpu, ...) in its own unit. The scheduler writes `pod.node_name`
-- and `pod.phase` when it binds; everything else is input.

CREATE TABLE node (
    name                VARCHAR PRIMARY KEY,
    unschedulable       BOOLEAN NOT NULL DEFAULT false,
    ready               BOOLEAN NOT NULL DEFAULT true,
    memory_pressure     BOOLEAN NOT NULL DEFAULT false,
    disk_pressure       BOOLEAN NOT NULL DEFAULT false,
    pid_pressure        BOOLEAN NOT NULL DEFAULT false,
    network_unavailable BOOLEAN NOT NULL DEFAULT false
);

-- `num` is the label value read as an integer (NULL when it is not one), for Gt / Lt.
CREATE TABLE node_label (
    node  VARCHAR NOT NULL,
    key   VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    num   BIGINT,
    PRIMARY KEY (node, key)
);

CREATE TABLE node_taint (
    node   VARCHAR NOT NULL,
    key    VARCHAR NOT NULL,
    value  VARCHAR NOT NULL DEFAULT '',
    effect VARCHAR NOT NULL  -- NoSchedule | PreferNoSchedule | NoExecute
);

CREATE TABLE node_resource (
    node        VARCHAR NOT NULL,
    resource    VARCHAR NOT NULL,
    allocatable BIGINT NOT NULL,
    PRIMARY KEY (node, resource)
);

-- phase: Pending (node_name NULL) or Running (bound to node_name). `equivalence_class` is
-- equal for pods whose scheduling-relevant spec is identical (symmetry breaking).
CREATE TABLE pod (
    uid               VARCHAR PRIMARY KEY,
    name              VARCHAR NOT NULL,
    namespace         VARCHAR NOT NULL DEFAULT 'default',
    owner             VARCHAR,
    priority          INTEGER NOT NULL DEFAULT 0,
    scheduler_name    VARCHAR NOT NULL DEFAULT 'csql-scheduler',
    phase             VARCHAR NOT NULL DEFAULT 'Pending',
    node_name         VARCHAR,
    created           BIGINT NOT NULL DEFAULT 0,
    gang              VARCHAR,
    equivalence_class BIGINT NOT NULL DEFAULT 0
);

-- Requests, overheads included; every pod also requests 1 of `pods`.
CREATE TABLE pod_request (
    pod      VARCHAR NOT NULL,
    resource VARCHAR NOT NULL,
    amount   BIGINT NOT NULL,
    PRIMARY KEY (pod, resource)
);

CREATE TABLE pod_label (
    pod   VARCHAR NOT NULL,
    key   VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    PRIMARY KEY (pod, key)
);

-- key NULL with operator Exists tolerates every taint; effect NULL matches every effect.
CREATE TABLE pod_toleration (
    pod      VARCHAR NOT NULL,
    key      VARCHAR,
    operator VARCHAR NOT NULL DEFAULT 'Equal',  -- Equal | Exists
    value    VARCHAR NOT NULL DEFAULT '',
    effect   VARCHAR
);

-- Node affinity terms. Required terms are ORed; the expressions of one term are ANDed. A
-- nodeSelector is folded into every required term (selector AND (t1 OR t2) =
-- (selector AND t1) OR (selector AND t2)). Preferred terms carry a weight 1..100.
CREATE TABLE node_affinity_term (
    pod      VARCHAR NOT NULL,
    required BOOLEAN NOT NULL,
    term     INTEGER NOT NULL,
    weight   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (pod, required, term)
);

-- operator: In | NotIn | Exists | DoesNotExist | Gt | Lt; `num` is the bound of Gt / Lt.
CREATE TABLE node_affinity_expr (
    pod      VARCHAR NOT NULL,
    required BOOLEAN NOT NULL,
    term     INTEGER NOT NULL,
    expr     INTEGER NOT NULL,
    key      VARCHAR NOT NULL,
    operator VARCHAR NOT NULL,
    num      BIGINT,
    PRIMARY KEY (pod, required, term, expr)
);

CREATE TABLE node_affinity_value (
    pod      VARCHAR NOT NULL,
    required BOOLEAN NOT NULL,
    term     INTEGER NOT NULL,
    expr     INTEGER NOT NULL,
    value    VARCHAR NOT NULL
);

-- Label selectors, interned: matchLabels k=v is the expression `k In (v)`.
-- operator: In | NotIn | Exists | DoesNotExist.
CREATE TABLE selector_expr (
    selector INTEGER NOT NULL,
    expr     INTEGER NOT NULL,
    key      VARCHAR NOT NULL,
    operator VARCHAR NOT NULL,
    PRIMARY KEY (selector, expr)
);

CREATE TABLE selector_value (
    selector INTEGER NOT NULL,
    expr     INTEGER NOT NULL,
    value    VARCHAR NOT NULL
);

-- Inter-pod affinity and anti-affinity terms. `namespace` NULL: the pod's own namespace;
-- '*': every namespace.
CREATE TABLE pod_affinity_term (
    pod          VARCHAR NOT NULL,
    term         INTEGER NOT NULL,
    is_anti         BOOLEAN NOT NULL,
    required     BOOLEAN NOT NULL,
    weight       INTEGER NOT NULL DEFAULT 0,
    topology_key VARCHAR NOT NULL,
    selector     INTEGER NOT NULL,
    namespace    VARCHAR,
    PRIMARY KEY (pod, term)
);

-- Topology spread constraints; hard = whenUnsatisfiable DoNotSchedule.
CREATE TABLE pod_spread (
    pod          VARCHAR NOT NULL,
    term         INTEGER NOT NULL,
    max_skew     INTEGER NOT NULL,
    topology_key VARCHAR NOT NULL,
    hard         BOOLEAN NOT NULL,
    selector     INTEGER NOT NULL,
    min_domains  INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (pod, term)
);

CREATE TABLE pod_host_port (
    pod      VARCHAR NOT NULL,
    protocol VARCHAR NOT NULL DEFAULT 'TCP',
    host_ip  VARCHAR NOT NULL DEFAULT '0.0.0.0',
    port     INTEGER NOT NULL
);

-- Gangs (pod groups): all pending members are placed together, or none of them.
CREATE TABLE gang (
    name       VARCHAR PRIMARY KEY,
    min_member INTEGER NOT NULL
);

-- The pods one solve decides: the pending pods of a batch (stay = false) and, in the
-- preemption pass, the running pods that may be evicted (stay = true: their only choices
-- are their node and NULL_NODE). `weight` is what placing (or keeping) the pod is worth.
CREATE TABLE batch (
    pod    VARCHAR PRIMARY KEY,
    weight BIGINT NOT NULL,
    stay   BOOLEAN NOT NULL DEFAULT false
);

-- One row: the number of candidate nodes kept per pod (top-k by score, VLDB'23
-- FP-pushdown; 0 keeps all) and the resource scoring strategy.
CREATE TABLE scheduler_config (
    id              INTEGER PRIMARY KEY,
    candidate_limit INTEGER NOT NULL DEFAULT 0,
    most_allocated  BOOLEAN NOT NULL DEFAULT false
);

-- Load of the running pods per (node, resource), kept by ClusterState on every bind, unbind
-- and deletion (so no batch re-aggregates every running pod). Rows with used = 0 may be
-- absent.
CREATE TABLE node_load (
    node     VARCHAR NOT NULL,
    resource VARCHAR NOT NULL,
    used     BIGINT NOT NULL,
    PRIMARY KEY (node, resource)
);

-- Per equivalence class of pods (identical scheduling spec): the nodes that pass its
-- required node affinity, whether they also pass the other filters that depend only on the
-- node and the pod's spec (conditions, cordon, NoSchedule/NoExecute taints, topology keys),
-- and the two scores of that kind (PreferNoSchedule taints, preferred node affinity).
-- Computed once per class (`class_known`) and dropped when nodes change, so a batch does
-- not re-evaluate node-level filters over the whole cluster.
CREATE TABLE class_known (class BIGINT PRIMARY KEY);
CREATE TABLE class_node (
    class         BIGINT NOT NULL,
    node          VARCHAR NOT NULL,
    static_ok     BOOLEAN NOT NULL,
    taints        INTEGER NOT NULL,
    node_affinity INTEGER NOT NULL,
    PRIMARY KEY (class, node)
);

-- Materialised once per batch by refresh.sql from the plain SQL views of filters.sql and
-- scores.sql (the solve's statements then read tables, not a stack of correlated views).
-- The batch's pending pods by class: one representative pod and the class's size.
CREATE TABLE batch_class (class BIGINT PRIMARY KEY, pod VARCHAR NOT NULL, size INTEGER NOT NULL);
-- The classes whose node-level verdicts the views of filters.sql evaluate (new classes when
-- a batch starts, the unplaced pods' classes when their reasons are written).
CREATE TABLE class_scope (class BIGINT PRIMARY KEY, pod VARCHAR NOT NULL);
-- (selector, pod it matches) for the selectors the batch needs.
CREATE TABLE selector_hit (selector INTEGER NOT NULL, pod VARCHAR NOT NULL);
-- (pod with a term, term, pod matching it), namespaces applied.
CREATE TABLE term_match (pod VARCHAR NOT NULL, term INTEGER NOT NULL, other VARCHAR NOT NULL);
CREATE TABLE spread_match (pod VARCHAR NOT NULL, term INTEGER NOT NULL,
                           other VARCHAR NOT NULL);

-- The nodes each class of the batch may take (every filter passed), before scoring.
CREATE TABLE class_feasible (class BIGINT NOT NULL, node VARCHAR NOT NULL);

-- The nodes each batch pod may take, with the pair's weighted score.
CREATE TABLE candidate (
    pod   VARCHAR NOT NULL,
    node  VARCHAR NOT NULL,
    score BIGINT NOT NULL,
    PRIMARY KEY (pod, node)
);
