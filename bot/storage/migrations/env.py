"""Alembic environment: runs on the connection that bot.storage.migrate hands in."""

from __future__ import annotations

from alembic import context

from bot.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through bot.storage.migrate (sales-coach db upgrade)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite can only alter tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
