"""Teams, leads, visibility, focus and team goals; existing installs become one team.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The prompts are not available here; a lead renames it in the team settings.
DEFAULT_NAME = "Team"


def upgrade() -> None:
    """Create the team tables and columns; everyone already in the bot joins one team."""
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("visibility", sa.String(8), nullable=False, server_default="totals"),
        sa.Column("goal_metric", sa.String(16), nullable=True),
        sa.Column("goal_weekly", sa.Integer(), nullable=True),
        sa.Column("digest_day", sa.Integer(), nullable=False, server_default="4"),
        sa.Column("digest_time", sa.Time(), nullable=False, server_default="15:00:00"),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_teams"),
    )
    op.create_table(
        "team_leads",
        sa.Column("team_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name="fk_team_leads_team_id_teams", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "user_id", name="pk_team_leads"),
    )
    op.create_index("ix_team_leads_user", "team_leads", ["user_id"])
    op.create_table(
        "team_focus",
        sa.Column("team_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("set_by", sa.BigInteger(), nullable=False),
        sa.Column("set_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name="fk_team_focus_team_id_teams", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "week", name="pk_team_focus"),
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("display_name", sa.String(64), nullable=True))
    with op.batch_alter_table("invites") as batch:
        batch.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_invites_team_id_teams", "teams", ["team_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("shares_confirmed_at", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("sharing_asked_at", UtcDateTime(), nullable=True))
        batch.create_foreign_key(
            "fk_members_team_id_teams", "teams", ["team_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_members_team", ["team_id"])
    _one_team_for_everyone()


def _one_team_for_everyone() -> None:
    """An install in use gets one team: every member joins it, every admin leads it."""
    bind = op.get_bind()
    if not bind.execute(sa.text("SELECT COUNT(*) FROM members")).scalar():
        return
    now = datetime.now(UTC)
    teams = sa.table(
        "teams",
        sa.column("name", sa.String()),
        sa.column("created_at", UtcDateTime()),
        sa.column("updated_at", UtcDateTime()),
    )
    bind.execute(teams.insert().values(name=DEFAULT_NAME, created_at=now, updated_at=now))
    team_id = bind.execute(sa.text("SELECT MIN(id) FROM teams")).scalar()
    bind.execute(sa.text("UPDATE members SET team_id = :team"), {"team": team_id})
    bind.execute(
        sa.text(
            "INSERT INTO team_leads (team_id, user_id) "
            "SELECT :team, user_id FROM members WHERE role = 'admin'"
        ),
        {"team": team_id},
    )


def downgrade() -> None:
    """Drop the team columns and tables."""
    with op.batch_alter_table("members") as batch:
        batch.drop_index("ix_members_team")
        batch.drop_constraint("fk_members_team_id_teams", type_="foreignkey")
        batch.drop_column("sharing_asked_at")
        batch.drop_column("shares_confirmed_at")
        batch.drop_column("team_id")
    with op.batch_alter_table("invites") as batch:
        batch.drop_constraint("fk_invites_team_id_teams", type_="foreignkey")
        batch.drop_column("team_id")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("display_name")
    op.drop_table("team_focus")
    op.drop_index("ix_team_leads_user", table_name="team_leads")
    op.drop_table("team_leads")
    op.drop_table("teams")
