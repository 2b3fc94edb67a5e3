"""Initial schema: accounts, candidates and their answers, cohorts, notes, content history.

Revision ID: 0001
Revises:
Created: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _created_at(name: str = "created_at") -> sa.Column:
    return sa.Column(name, sa.DateTime(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resume_code", sa.String(80), nullable=False),
        sa.Column("alias", sa.String(200)),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_candidates"),
        sa.UniqueConstraint("resume_code", name="uq_candidates_resume_code"),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.String(100), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        _created_at("started_at"),
        sa.Column("finished_at", sa.DateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_attempts"),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name="fk_attempts_candidate_id_candidates",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_attempts_candidate_id", "attempts", ["candidate_id"])
    op.create_table(
        "attempt_questionnaires",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(100), nullable=False),
        sa.Column("version", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("attempt_id", "questionnaire_id", name="pk_attempt_questionnaires"),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name="fk_attempt_questionnaires_attempt_id_attempts",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "answers",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(100), nullable=False),
        sa.Column("question_id", sa.String(100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        _created_at(),
        _created_at("updated_at"),
        sa.Column("carried_over", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("attempt_id", "questionnaire_id", "question_id", name="pk_answers"),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name="fk_answers_attempt_id_attempts",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_cohorts"),
        sa.UniqueConstraint("code", name="uq_cohorts_code"),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name="fk_cohorts_owner_id_users", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "shares",
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(200), nullable=False),
        _created_at("shared_at"),
        sa.PrimaryKeyConstraint("candidate_id", "cohort_id", name="pk_shares"),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name="fk_shares_candidate_id_candidates",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name="fk_shares_cohort_id_cohorts", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_notes"),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name="fk_notes_author_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name="fk_notes_candidate_id_candidates",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_notes_candidate_id", "notes", ["candidate_id"])
    op.create_table(
        "rate_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        _created_at("at"),
        sa.PrimaryKeyConstraint("id", name="pk_rate_events"),
    )
    op.create_index("ix_rate_events_kind_key_at", "rate_events", ["kind", "key", "at"])
    op.create_index("ix_rate_events_kind_at", "rate_events", ["kind", "at"])
    op.create_table(
        "content_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer()),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("item_id", sa.String(100), nullable=False),
        sa.Column("version", sa.String(100)),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("text", sa.Text()),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_content_changes"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_content_changes_user_id_users", ondelete="SET NULL"
        ),
    )
    op.create_table(
        "content_versions",
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("item_id", sa.String(100), nullable=False),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _created_at("saved_at"),
        sa.PrimaryKeyConstraint("kind", "item_id", "version", name="pk_content_versions"),
    )


def downgrade() -> None:
    for table in (
        "content_versions",
        "content_changes",
        "rate_events",
        "notes",
        "shares",
        "cohorts",
        "answers",
        "attempt_questionnaires",
        "attempts",
        "candidates",
        "users",
    ):
        op.drop_table(table)
