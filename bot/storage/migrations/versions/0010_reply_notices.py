"""Replies that never reached the rep: told on their next message.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the reply notices table (one row per reply that failed for good)."""
    op.create_table(
        "reply_notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("update_at", UtcDateTime(), nullable=False),
        *[
            sa.Column(name, sa.Integer(), nullable=False)
            for name in ("dials", "conversations", "appointments", "contacts")
        ],
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_reply_notices_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reply_notices"),
    )
    op.create_index("ix_reply_notices_user", "reply_notices", ["user_id"])


def downgrade() -> None:
    """Drop the reply notices table."""
    op.drop_index("ix_reply_notices_user", table_name="reply_notices")
    op.drop_table("reply_notices")
