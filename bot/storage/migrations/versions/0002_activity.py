"""Daily targets, activity per day with its change log, audits, and the rep's holiday region.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=f"fk_{table}_user_id_users", ondelete="CASCADE"
    )


def _counts() -> list[sa.Column[int]]:
    return [
        sa.Column(name, sa.Integer(), nullable=False)
        for name in ("dials", "conversations", "appointments", "contacts")
    ]


def upgrade() -> None:
    """Create targets, activity_days, activity_events, audits; add users.region."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("region", sa.String(10), nullable=True))
    op.create_table(
        "targets",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        *_counts(),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("goal", sa.Text(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        _user_fk("targets"),
        sa.PrimaryKeyConstraint("user_id", name="pk_targets"),
    )
    op.create_table(
        "activity_days",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *_counts(),
        sa.Column("target_dials", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        _user_fk("activity_days"),
        sa.PrimaryKeyConstraint("user_id", "day", name="pk_activity_days"),
    )
    op.create_table(
        "activity_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *_counts(),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("undone", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        _user_fk("activity_events"),
        sa.PrimaryKeyConstraint("id", name="pk_activity_events"),
    )
    op.create_index("ix_activity_events_user_day", "activity_events", ["user_id", "day"])
    op.create_table(
        "audits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("suggested", sa.Text(), nullable=False),
        sa.Column("taken_at", UtcDateTime(), nullable=False),
        _user_fk("audits"),
        sa.PrimaryKeyConstraint("id", name="pk_audits"),
    )
    op.create_index("ix_audits_user", "audits", ["user_id"])


def downgrade() -> None:
    """Drop what upgrade created."""
    op.drop_index("ix_audits_user", table_name="audits")
    op.drop_table("audits")
    op.drop_index("ix_activity_events_user_day", table_name="activity_events")
    op.drop_table("activity_events")
    op.drop_table("activity_days")
    op.drop_table("targets")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("region")
