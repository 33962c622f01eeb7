"""The schema, in SQLAlchemy Core. Alembic migrations in migrations/versions/ must match it."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
)

from bot.storage.types import UtcDateTime

# Stable constraint names keep migrations identical on SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

users = Table(
    "users",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("chat_id", BigInteger, nullable=False),
    Column("language", String(8), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("working_days", String(7), nullable=False),
    Column("morning_ping", Time, nullable=False),
    Column("block_start", Time, nullable=False),
    Column("block_minutes", Integer, nullable=False),
    Column("evening_checkin", Time, nullable=False),
    Column("onboarded", Boolean, nullable=False, default=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# What the bot waits for next from each user: one row per user, so a restart continues the flow.
flow_states = Table(
    "flow_states",
    metadata,
    Column(
        "user_id",
        BigInteger,
        ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("flow", String(32), nullable=False),
    Column("step", String(32), nullable=False),
    Column("data", Text, nullable=False, default="{}"),
    Column("updated_at", UtcDateTime, nullable=False),
)
