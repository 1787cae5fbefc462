"""The two intermediate representations of csql.

`logical` is the bound, typed program (what the binder produces and the rewrites transform);
`ground` is what one solve hands a backend. This package imports nothing else of csql, so
backends and passes can depend on it without pulling in the front end or a database.
"""
