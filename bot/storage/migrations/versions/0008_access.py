"""Access: invite links and members (role, disabled, last seen); existing reps become members.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the invite and member tables; everyone already using the bot keeps access."""
    op.create_table(
        "invites",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("max_uses", sa.Integer(), nullable=True),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=True),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_invites"),
        sa.UniqueConstraint("code", name="uq_invites_code"),
    )
    op.create_table(
        "members",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("invite_id", sa.Integer(), nullable=True),
        sa.Column("disabled_at", UtcDateTime(), nullable=True),
        sa.Column("last_seen_at", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invite_id"], ["invites.id"], name="fk_members_invite_id_invites", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_members"),
    )
    # Invite mode becomes the default: reps who used the bot before keep using it.
    op.execute(
        "INSERT INTO members (user_id, role, last_seen_at, created_at) "
        "SELECT id, 'rep', updated_at, created_at FROM users"
    )


def downgrade() -> None:
    """Drop the member and invite tables."""
    op.drop_table("members")
    op.drop_table("invites")
