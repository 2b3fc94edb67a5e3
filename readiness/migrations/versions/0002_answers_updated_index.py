"""An index of answers by attempt and time of change, for the cohort revision.

Revision ID: 0002
Revises: 0001
Created: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_answers_attempt_id_updated_at", "answers", ["attempt_id", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_answers_attempt_id_updated_at", table_name="answers")
