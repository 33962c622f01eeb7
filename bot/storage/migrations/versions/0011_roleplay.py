"""Practice calls against a simulated customer: the state of each call and its result.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the roleplay calls table (one row per practice call)."""
    op.create_table(
        "roleplay_calls",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("scenario_id", sa.String(64), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("difficulty", sa.String(8), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(12), nullable=True),
        sa.Column("met", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("ended_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_roleplay_calls_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_roleplay_calls"),
    )
    op.create_index("ix_roleplay_calls_user", "roleplay_calls", ["user_id", "scenario_id"])


def downgrade() -> None:
    """Drop the roleplay calls table."""
    op.drop_index("ix_roleplay_calls_user", table_name="roleplay_calls")
    op.drop_table("roleplay_calls")
