"""Team playbooks: an admin's own objection entries per language.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create team_playbooks."""
    op.create_table(
        "team_playbooks",
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("lang", name="pk_team_playbooks"),
    )


def downgrade() -> None:
    """Drop team_playbooks."""
    op.drop_table("team_playbooks")
