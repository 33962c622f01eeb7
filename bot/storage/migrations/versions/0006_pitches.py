"""Elevator pitch: versions, rehearsals and the spaced-repetition state per rep.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the pitch tables."""
    op.create_table(
        "pitches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_pitches_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_pitches"),
        sa.UniqueConstraint("user_id", "version", name="uq_pitches_version"),
    )
    op.create_table(
        "pitch_rehearsals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("pitch_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("recall", sa.Integer(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("seconds", sa.Integer(), nullable=True),
        sa.Column("self_rating", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_pitch_rehearsals_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["pitch_id"],
            ["pitches.id"],
            name="fk_pitch_rehearsals_pitch_id_pitches",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_pitch_rehearsals"),
    )
    op.create_index("ix_pitch_rehearsals_user", "pitch_rehearsals", ["user_id"])
    op.create_table(
        "pitch_state",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("rehearsals", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_pitch_state_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_pitch_state"),
    )


def downgrade() -> None:
    """Drop the pitch tables."""
    op.drop_table("pitch_state")
    op.drop_table("pitch_rehearsals")
    op.drop_table("pitches")
