"""Alembic migrations of the readiness database; `Store` runs them to head on start."""
