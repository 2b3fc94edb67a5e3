"""Ids, versions and paths from content files are stored whatever their length.

The content format sets no length on an id or a version, and SQLite never enforced the
100 characters these columns had; on PostgreSQL a longer role id stopped a candidate from
starting. They are TEXT now (the same storage in both databases).

Revision ID: 0005
Revises: 0004
Created: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each table's columns, with the length they had.
COLUMNS: dict[str, dict[str, int]] = {
    "attempts": {"role_id": 100},
    "attempt_questionnaires": {"questionnaire_id": 100, "version": 100},
    "answers": {"questionnaire_id": 100, "question_id": 100},
    "content_changes": {"path": 500, "item_id": 100, "version": 100},
    "content_versions": {"item_id": 100, "version": 100},
}
# SQLite rebuilds a table to change a column; attempts keeps the AUTOINCREMENT of 0004.
TABLE_KWARGS = {"attempts": {"sqlite_autoincrement": True}}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, table_kwargs=TABLE_KWARGS.get(table, {})) as batch:
            for column, length in columns.items():
                batch.alter_column(column, type_=sa.Text(), existing_type=sa.String(length))


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, table_kwargs=TABLE_KWARGS.get(table, {})) as batch:
            for column, length in columns.items():
                batch.alter_column(column, type_=sa.String(length), existing_type=sa.Text())
