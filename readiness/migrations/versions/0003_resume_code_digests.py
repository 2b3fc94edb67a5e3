"""Keep a digest of each resume code instead of the code.

Not safe for a rolling upgrade: an older release looks codes up in the column dropped here
(docs/deploy.md says so).

Revision ID: 0003
Revises: 0002
Created: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from readiness.resume_codes import digest

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

candidates = sa.table(
    "candidates",
    sa.column("id", sa.Integer),
    sa.column("resume_code", sa.String),
    sa.column("resume_code_digest", sa.String),
)


def upgrade() -> None:
    op.add_column("candidates", sa.Column("resume_code_digest", sa.String(64)))
    connection = op.get_bind()
    for candidate_id, code in connection.execute(
        sa.select(candidates.c.id, candidates.c.resume_code)
    ).all():
        connection.execute(
            candidates.update()
            .where(candidates.c.id == candidate_id)
            .values(resume_code_digest=digest(code))
        )
    # On SQLite this rebuilds the table (migrate() keeps the rows that refer to it).
    with op.batch_alter_table("candidates") as batch:
        batch.alter_column("resume_code_digest", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint("uq_candidates_resume_code_digest", ["resume_code_digest"])
        batch.drop_constraint("uq_candidates_resume_code", type_="unique")
        batch.drop_column("resume_code")


def downgrade() -> None:
    # A digest cannot be turned back into its code.
    raise NotImplementedError("resume codes are kept only as digests from revision 0003 on")
