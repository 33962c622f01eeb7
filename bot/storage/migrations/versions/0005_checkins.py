"""Check-ins: schedule columns, pauses, deliveries (claimed before sending) and due items.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_USER_COLUMNS = (
    ("weekly_day", sa.Integer(), "4"),
    ("weekly_time", sa.Time(), "16:00:00"),
    ("quiet_start", sa.Time(), "21:00:00"),
    ("quiet_end", sa.Time(), "07:00:00"),
    ("midday_nudge", sa.Time(), "12:30:00"),
    ("checkins", sa.String(80), "block_end,block_start,evening,morning,weekly"),
)


def upgrade() -> None:
    """Add the check-in columns and tables."""
    with op.batch_alter_table("users") as batch:
        for name, type_, default in _USER_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=False, server_default=default))
    op.create_table(
        "pauses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_pauses_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_pauses"),
    )
    op.create_index("ix_pauses_user", "pauses", ["user_id"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("note", sa.String(64), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("claimed_at", UtcDateTime(), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_deliveries_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.UniqueConstraint("user_id", "kind", "ref", "local_date", name="uq_deliveries_key"),
    )
    op.create_index("ix_deliveries_status_claimed", "deliveries", ["status", "claimed_at"])
    op.create_table(
        "due_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("due_at", UtcDateTime(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("done_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_due_items_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_due_items"),
        sa.UniqueConstraint("user_id", "kind", "ref", name="uq_due_items_key"),
    )
    op.create_index("ix_due_items_due", "due_items", ["done_at", "due_at"])


def downgrade() -> None:
    """Drop the check-in tables and columns."""
    op.drop_table("due_items")
    op.drop_table("deliveries")
    op.drop_table("pauses")
    with op.batch_alter_table("users") as batch:
        for name, _, _ in reversed(_USER_COLUMNS):
            batch.drop_column(name)
