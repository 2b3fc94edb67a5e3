"""Ids of deleted candidates, attempts, staff, cohorts and notes are never given out again.

SQLite reuses the largest id after its row is deleted unless the table is declared with
AUTOINCREMENT, which takes rebuilding the table; PostgreSQL's sequences never go back.

Revision ID: 0004
Revises: 0003
Created: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("users", "candidates", "attempts", "cohorts", "notes")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        # Copying the rows with their ids sets SQLite's counter to the largest of them.
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always"):
            pass
