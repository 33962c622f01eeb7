"""Taps: each button press that records something, keyed by the tap.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the taps table (callback query ids per rep, with the button they came from)."""
    op.create_table(
        "taps",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("tap_id", sa.String(64), nullable=False),
        sa.Column("origin", sa.String(160), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_taps_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "tap_id", name="pk_taps"),
    )
    op.create_index("ix_taps_user_origin", "taps", ["user_id", "origin", "created_at"])


def downgrade() -> None:
    """Drop the taps table."""
    op.drop_index("ix_taps_user_origin", table_name="taps")
    op.drop_table("taps")
