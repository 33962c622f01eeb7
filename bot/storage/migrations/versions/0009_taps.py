"""Taps: each button press that records something, keyed by the tap.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Placeholder until the schema lands."""


def downgrade() -> None:
    """Placeholder until the schema lands."""
