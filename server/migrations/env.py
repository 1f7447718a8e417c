"""Alembic environment: the connection is always handed in by ``server.migrate``."""

from __future__ import annotations

from alembic import context

from server.models_registry import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `praxi-server migrate`")

context.configure(connection=connection, target_metadata=metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
