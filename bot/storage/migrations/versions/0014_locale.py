"""The rep's locale: currency, from the region or the timezone's country (else the euro).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

from importlib import resources

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# Frozen here, not imported: a migration must mean the same thing when the app code moves on.
_CURRENCIES = {
    "CH": "CHF", "LI": "CHF", "GB": "GBP", "UK": "GBP", "IM": "GBP", "JE": "GBP", "GG": "GBP",
    "US": "USD", "PR": "USD", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "DK": "DKK", "GL": "DKK",
    "FO": "DKK", "SE": "SEK", "NO": "NOK", "PL": "PLN", "CZ": "CZK", "HU": "HUF", "TR": "TRY",
    "ZA": "ZAR", "AE": "AED", "IN": "INR", "SG": "SGD",
}  # fmt: skip


def _zone_countries() -> dict[str, str]:
    """IANA zone → ISO country code, from the tzdata package's zone.tab."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return {}
    found: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if line and not line.startswith("#") and len(parts) >= 3:
            found[parts[2]] = parts[0]
    return found


def upgrade() -> None:
    """Add users.currency; existing reps get their region's or timezone's currency, else EUR."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("currency", sa.String(3), nullable=False, server_default="EUR"))
    users = sa.table(
        "users",
        sa.column("id", sa.BigInteger),
        sa.column("region", sa.String),
        sa.column("timezone", sa.String),
        sa.column("currency", sa.String),
    )
    bind = op.get_bind()
    zones = _zone_countries()
    wanted: dict[str, list[int]] = {}
    for user_id, region, timezone in bind.execute(
        sa.select(users.c.id, users.c.region, users.c.timezone)
    ):
        country = (region or "").partition("-")[0].upper() or zones.get(timezone or "", "")
        currency = _CURRENCIES.get(country)
        if currency is not None:
            wanted.setdefault(currency, []).append(user_id)
    for currency, ids in wanted.items():
        for start in range(0, len(ids), 500):
            bind.execute(
                users.update()
                .where(users.c.id.in_(ids[start : start + 500]))
                .values(currency=currency)
            )


def downgrade() -> None:
    """Drop users.currency."""
    with op.batch_alter_table("users") as batch:
        batch.drop_column("currency")
