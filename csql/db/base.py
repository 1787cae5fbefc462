"""The database adapter protocol: the one place that knows the engine's dialect.

Every SQL text csql generates uses `?` placeholders; an adapter translates them for its driver.
Data never goes into SQL text: identifiers are quoted by `quote`, values travel as parameters.
"""
