"""A Kubernetes scheduler on csql: kube-scheduler's policies as C-SQL, solved in batches.

Built on the public API only (`csql.compile`, `Model.prepare`, `Model.solve`). See
docs/scheduler.md.
"""
