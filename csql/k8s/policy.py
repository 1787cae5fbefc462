"""The scheduler's C-SQL program: the policy files shipped in `csql/k8s/policies/`.

The program is the concatenation of the schema, the data views, the scores and the placement
constraints, plus one resource-fit statement per resource name (see `resource_fit.sql` for
why one statement per resource). It is compiled once per set of resource names and cached.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import csql

POLICY_FILES = ("schema.sql", "batch_views.sql", "placement.sql")
# Plain SQL (not C-SQL): views created once per connection, materialised per batch.
SUPPORT_FILES = ("filters.sql", "scores.sql")
REFRESH_FILE = "refresh.sql"
REASONS_FILE = "reasons.sql"
STANDARD_RESOURCES = ("cpu", "memory", "pods", "ephemeral-storage")
NULL_NODE = "NULL_NODE"


def policy_text(name: str) -> str:
    folder = resources.files("csql.k8s").joinpath("policies")
    return folder.joinpath(name).read_text(encoding="utf-8")


def _slug(resource: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", resource.lower())


def resource_fit_text(resource_names: tuple[str, ...]) -> str:
    template = policy_text("resource_fit.sql")
    parts = []
    for index, resource in enumerate(resource_names):
        literal = "'" + resource.replace("'", "''") + "'"
        text = template.replace("'__resource__'", literal)
        parts.append(text.replace("__resource__", f"{index}_{_slug(resource)}"))
    return "\n".join(parts)


def program_text(resource_names: tuple[str, ...] = STANDARD_RESOURCES) -> str:
    texts = [policy_text(name) for name in POLICY_FILES]
    texts.append(resource_fit_text(resource_names))
    return "\n".join(texts)


@lru_cache(maxsize=8)
def placement_model(resource_names: tuple[str, ...] = STANDARD_RESOURCES) -> csql.Model:
    """The compiled program for these resource names (sorted, de-duplicated by the caller)."""
    return csql.compile(program_text(resource_names), "csql/k8s/policies")


def install_support_views(db) -> None:
    """Create the filter and score views (plain SQL) on a prepared database."""
    for name in SUPPORT_FILES:
        db.script(policy_text(name))


def refresh(db) -> None:
    """Materialise the filters, matches and candidates of the batch now in `batch`."""
    db.script(policy_text(REFRESH_FILE))


def refresh_reasons(db) -> None:
    """Evaluate every filter for the classes of the (unplaced) pods now in `batch`."""
    db.script(policy_text(REASONS_FILE))
