"""Team scenarios: a team lead's own practice-call scenarios per language.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create team_scenarios (one validated YAML source per language, like team_playbooks)."""
    op.create_table(
        "team_scenarios",
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("lang", name="pk_team_scenarios"),
    )


def downgrade() -> None:
    """Drop team_scenarios."""
    op.drop_table("team_scenarios")
