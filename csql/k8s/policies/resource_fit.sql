-- Resource fit (NodeResourcesFit's filter) for one resource, instantiated by csql.k8s for
-- every resource the cluster knows: '__resource__' becomes the resource name. One statement
-- per resource keeps each in the shape csql grounds in linear time (a grouped sum over a
-- variable equi-join whose groups are the bins); a single statement joining requests and
-- capacities on the resource name would connect the two sides by a constant join and take
-- the generic (pods x nodes) path.
CREATE CONSTRAINT resource_fit___resource__ AS
    SELECT * FROM pods_to_assign p
    JOIN pod_request r ON r.pod = p.uid AND r.resource = '__resource__'
    JOIN batch_node_spare s ON p.controllable__node_name = s.node
      AND s.resource = '__resource__'
    GROUP BY s.node, s.spare
    CHECK sum(r.amount) <= s.spare;
