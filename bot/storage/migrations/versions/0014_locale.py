"""The rep's locale: currency.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Placeholder: filled in by the owner of this migration."""


def downgrade() -> None:
    """Placeholder: filled in by the owner of this migration."""
