"""Alembic migrations of the service's database, run by ``database.upgrade`` at start."""
