"""Alembic's entry point, run programmatically: the connection comes from ``database``."""

from __future__ import annotations

from alembic import context

from govreport.service.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
