"""Replies that never reached the rep: told on their next message.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Placeholder until the schema lands."""


def downgrade() -> None:
    """Placeholder until the schema lands."""
