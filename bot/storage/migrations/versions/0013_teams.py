"""Teams, leads, visibility, focus and team goals.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Placeholder: filled in by the owner of this migration."""


def downgrade() -> None:
    """Placeholder: filled in by the owner of this migration."""
