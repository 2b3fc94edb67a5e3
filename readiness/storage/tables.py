"""The database tables, as SQLAlchemy Core objects (the migrations create them)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on every backend (SQLite keeps no time zone of its own)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# Named constraints, so later migrations can alter them on every backend (SQLite batch mode).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
# The tables whose ids a browser session holds (a candidate's attempt, a staff member) never
# give a deleted row's id to a new one: SQLite would, without AUTOINCREMENT, and a session
# left open on a deleted candidate would then write into the next candidate's data.

# Ids, versions and paths that come from content files are TEXT: the content format sets
# them no length (migration 0005).

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("name", sa.String(200)),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sqlite_autoincrement=True,
)

candidates = sa.Table(
    "candidates",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # Never the code itself: see resume_codes.digest.
    sa.Column("resume_code_digest", sa.String(64), nullable=False, unique=True),
    sa.Column("alias", sa.String(200)),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sqlite_autoincrement=True,
)

attempts = sa.Table(
    "attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "candidate_id",
        sa.Integer,
        sa.ForeignKey("candidates.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("role_id", sa.Text, nullable=False),
    sa.Column("step", sa.Integer, nullable=False, default=0),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("finished_at", UTCDateTime),
    sqlite_autoincrement=True,
)

# The version of each questionnaire an attempt answered (answers/1 keeps one per questionnaire).
attempt_questionnaires = sa.Table(
    "attempt_questionnaires",
    metadata,
    sa.Column(
        "attempt_id", sa.Integer, sa.ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("questionnaire_id", sa.Text, primary_key=True),
    sa.Column("version", sa.Text, nullable=False),
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column(
        "attempt_id", sa.Integer, sa.ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("questionnaire_id", sa.Text, primary_key=True),
    sa.Column("question_id", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),  # JSON, so true stays true and 1 stays 1
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    # Copied from the previous attempt and not changed since: not a sign of answering speed.
    sa.Column("carried_over", sa.Boolean, nullable=False, default=False),
    # Covers the cohort revision's count and latest change of a cohort's answers: the index
    # alone answers it, without reading every answer row.
    sa.Index("ix_answers_attempt_id_updated_at", "attempt_id", "updated_at"),
)

cohorts = sa.Table(
    "cohorts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "owner_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("code", sa.String(40), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sqlite_autoincrement=True,
)

shares = sa.Table(
    "shares",
    metadata,
    sa.Column(
        "candidate_id",
        sa.Integer,
        sa.ForeignKey("candidates.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "cohort_id", sa.Integer, sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("alias", sa.String(200), nullable=False),
    sa.Column("shared_at", UTCDateTime, nullable=False),
)

notes = sa.Table(
    "notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "author_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "candidate_id",
        sa.Integer,
        sa.ForeignKey("candidates.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sqlite_autoincrement=True,
)

# Failed resume and sign-in attempts, for rate limits; keys are hashed (no e-mail or address).
rate_events = sa.Table(
    "rate_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("key", sa.String(64), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index("ix_rate_events_kind_key_at", "kind", "key", "at"),
    sa.Index("ix_rate_events_kind_at", "kind", "at"),
)

content_changes = sa.Table(
    "content_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("item_id", sa.Text, nullable=False),
    sa.Column("version", sa.Text),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("text", sa.Text),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

content_versions = sa.Table(
    "content_versions",
    metadata,
    sa.Column("kind", sa.String(40), primary_key=True),
    sa.Column("item_id", sa.Text, primary_key=True),
    sa.Column("version", sa.Text, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("saved_at", UTCDateTime, nullable=False),
)
