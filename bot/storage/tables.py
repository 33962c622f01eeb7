"""The schema, in SQLAlchemy Core. Alembic migrations in migrations/versions/ must match it."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)

from bot.storage.types import PlainText, UtcDateTime

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


def _owner(*, primary_key: bool) -> Column[int]:
    """The user a row belongs to; deleting the user deletes the row."""
    return Column(
        "user_id",
        BigInteger,
        ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=primary_key,
        nullable=False,
        autoincrement=False,
    )


def _counts() -> list[Column[int]]:
    """The four activity metrics as integer columns."""
    return [
        Column(name, Integer, nullable=False, default=0)
        for name in ("dials", "conversations", "appointments", "contacts")
    ]


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
    # Public holidays come from this region ("DE-BY", "AT"); None: from the timezone's country.
    Column("region", String(10), nullable=True),
    # ISO 4217 code amounts are shown in; existing rows got their region's (or timezone's).
    Column("currency", String(3), nullable=False, server_default="EUR"),
    Column("active", Boolean, nullable=False, default=True),
    # Check-ins: the weekly review (weekday 0 = Monday), quiet hours, the midday nudge, and
    # which kinds are on (comma-separated names).
    Column("weekly_day", Integer, nullable=False, server_default="4"),
    Column("weekly_time", Time, nullable=False, server_default="16:00:00"),
    Column("quiet_start", Time, nullable=False, server_default="21:00:00"),
    Column("quiet_end", Time, nullable=False, server_default="07:00:00"),
    Column("midday_nudge", Time, nullable=False, server_default="12:30:00"),
    Column(
        "checkins",
        String(80),
        nullable=False,
        server_default="block_end,block_start,evening,morning,weekly",
    ),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # The name a team lead sees instead of the id (default: the Telegram first name). User data.
    Column("display_name", String(64), nullable=True),
)

# What the bot waits for next from each user: one row per user, so a restart continues the flow.
flow_states = Table(
    "flow_states",
    metadata,
    _owner(primary_key=True),
    Column("flow", String(32), nullable=False),
    Column("step", String(32), nullable=False),
    Column("data", Text, nullable=False, default="{}"),
    Column("updated_at", UtcDateTime, nullable=False),
)

# The rep's daily targets, set from a goal funnel, typed directly or adopted from the audit.
targets = Table(
    "targets",
    metadata,
    _owner(primary_key=True),
    *_counts(),
    Column("source", String(16), nullable=False),
    # The goal inputs behind funnel targets, as JSON, so /goals can show and edit them.
    Column("goal", Text, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

# One row per rep and local day: the running totals. `version` grows with every change; it
# names a rendering of the buttons (a new origin for the tap guard), never whether a tap counts.
activity_days = Table(
    "activity_days",
    metadata,
    _owner(primary_key=True),
    Column("day", Date, primary_key=True),
    *_counts(),
    # The dial target in force that day: streaks judge a day by its own target.
    Column("target_dials", Integer, nullable=False, default=0),
    Column("version", Integer, nullable=False, default=0),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Every change to a day, so the last one can be undone and numbers can be audited.
activity_events = Table(
    "activity_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(primary_key=False),
    Column("day", Date, nullable=False),
    *_counts(),
    Column("source", String(16), nullable=False),
    Column("undone", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_activity_events_user_day", "user_id", "day"),
)

# Button taps that record something (bot.storage.taps.claim_tap): one row per callback query,
# so a redelivered query counts once and a double tap on one button (same origin, within a
# second or two) counts once. Rows older than a day are pruned by the guard.
taps = Table(
    "taps",
    metadata,
    _owner(primary_key=True),
    Column("tap_id", String(64), primary_key=True),
    Column("origin", String(160), nullable=False),
    Column("counted", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_taps_user_origin", "user_id", "origin", "created_at"),
)

# Replies that never reached the rep (the handler stored what they sent, then Telegram failed
# for good): when their update came and the activity it stored, told once on their next update.
reply_notices = Table(
    "reply_notices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(primary_key=False),
    Column("update_at", UtcDateTime, nullable=False),
    *_counts(),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_reply_notices_user", "user_id"),
)

# Results of the prospecting self-check, kept so a retake can show the change.
audits = Table(
    "audits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(primary_key=False),
    Column("answers", Text, nullable=False),
    Column("score", Integer, nullable=False),
    Column("suggested", Text, nullable=False),
    Column("taken_at", UtcDateTime, nullable=False),
    Index("ix_audits_user", "user_id"),
)

# How well a rep answers each objection in practice, and when to drill it again.
drill_stats = Table(
    "drill_stats",
    metadata,
    _owner(primary_key=True),
    Column("entry_id", String(64), primary_key=True),
    Column("mastery", Float, nullable=False),
    Column("due", Date, nullable=False),
    Column("last_score", Integer, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Practice calls against a simulated customer (bot.coach.roleplay): the call's state as JSON
# after every rep turn, so a restart continues it; once ended, how (success, hang_up,
# turn_limit, cancelled) and the scorecard's figures, for the trend and the week.
roleplay_calls = Table(
    "roleplay_calls",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(primary_key=False),
    Column("scenario_id", String(64), nullable=False),
    Column("lang", String(8), nullable=False),
    Column("difficulty", String(8), nullable=False),
    Column("state", PlainText, nullable=False),
    Column("turns", Integer, nullable=False, default=0),
    Column("outcome", String(12), nullable=True),
    Column("met", Integer, nullable=True),
    Column("total", Integer, nullable=True),
    Column("percent", Integer, nullable=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
    Index("ix_roleplay_calls_user", "user_id", "scenario_id"),
)

# A team's own objection entries per language, as the admin uploaded them (validated YAML).
team_playbooks = Table(
    "team_playbooks",
    metadata,
    Column("lang", String(8), primary_key=True),
    Column("source", Text, nullable=False),
    # A user reference (see USER_REF): set to 0 when that admin's data is erased.
    Column("updated_by", BigInteger, nullable=False, info={"user_ref": True}),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Team scenarios: a team lead's own practice calls per language, as their validated YAML source.
team_scenarios = Table(
    "team_scenarios",
    metadata,
    Column("lang", String(8), primary_key=True),
    Column("source", Text, nullable=False),
    # A user reference (see USER_REF): set to 0 when that admin's data is erased.
    Column("updated_by", BigInteger, nullable=False, info={"user_ref": True}),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Days off a rep announced with /pause (both ends inclusive): no check-ins, no broken streak.
pauses = Table(
    "pauses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(primary_key=False),
    Column("first_day", Date, nullable=False),
    Column("last_day", Date, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_pauses_user", "user_id"),
)

# Every scheduled message, claimed (inserted) before it is sent and confirmed after: the unique
# key makes a check-in go out at most once, across restarts and processes. A claim that was
# never confirmed is retried once its lease runs out.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(primary_key=False),
    Column("kind", String(24), nullable=False),
    Column("ref", String(64), nullable=False, default=""),
    Column("local_date", Date, nullable=False),
    # claimed, sent, skipped (too late), failed (blocked or given up)
    Column("status", String(10), nullable=False),
    # What the message picked, e.g. the motivation principle, so it is not repeated soon.
    Column("note", String(64), nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("message_id", BigInteger, nullable=True),
    Column("claimed_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
    UniqueConstraint("user_id", "kind", "ref", "local_date", name="uq_deliveries_key"),
    Index("ix_deliveries_status_claimed", "status", "claimed_at"),
)

# Reminders other features store for the scheduler: a pitch rehearsal, a follow-up, a snoozed
# check-in. One open item per reference; done_at is set once it went out or was dealt with.
due_items = Table(
    "due_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(primary_key=False),
    Column("kind", String(24), nullable=False),
    Column("ref", String(64), nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("payload", Text, nullable=False, default="{}"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("done_at", UtcDateTime, nullable=True),
    UniqueConstraint("user_id", "kind", "ref", name="uq_due_items_key"),
    Index("ix_due_items_due", "done_at", "due_at"),
)

# Every version of a rep's elevator pitch, numbered per rep; one is current (the newest, unless
# the rep picked an older one), and that is the one rehearsed.
pitches = Table(
    "pitches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(primary_key=False),
    Column("version", Integer, nullable=False),
    # The language it was scored in: the rubric to use again when it is rehearsed.
    Column("lang", String(8), nullable=False),
    Column("text", PlainText, nullable=False),
    Column("score", Integer, nullable=False),
    Column("current", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("user_id", "version", name="uq_pitches_version"),
)

# Each rehearsal: typed from memory ("text") or spoken ("voice"). `recall` scores a rehearsal
# from memory against the pitch, `score` a transcript against the rubric; a voice note without
# a transcript has only its seconds and, once the rep tapped one, a self-rating (1-5).
pitch_rehearsals = Table(
    "pitch_rehearsals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(primary_key=False),
    Column("pitch_id", Integer, ForeignKey("pitches.id", ondelete="SET NULL"), nullable=True),
    Column("kind", String(8), nullable=False),
    Column("recall", Integer, nullable=True),
    Column("score", Integer, nullable=True),
    Column("seconds", Integer, nullable=True),
    Column("self_rating", Integer, nullable=True),
    Column("text", PlainText, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_pitch_rehearsals_user", "user_id"),
)

# Where each rep stands in spaced repetition of their pitch, and the day of the next rehearsal.
pitch_state = Table(
    "pitch_state",
    metadata,
    _owner(primary_key=True),
    Column("step", Integer, nullable=False, default=0),
    Column("rehearsals", Integer, nullable=False, default=0),
    Column("due", Date, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

# A rep's prospects and customers. `status` follows the touches (new, trying, talking, won,
# lost); archived contacts leave the list and the search but keep their history.
contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(primary_key=False),
    Column("name", String(80), nullable=False),
    Column("company", String(120), nullable=True),
    Column("phone", String(40), nullable=True),
    Column("note", Text, nullable=True),
    Column("kind", String(10), nullable=False, default="prospect"),
    Column("status", String(10), nullable=False, default="new"),
    Column("archived", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_contacts_user_list", "user_id", "archived", "name"),
)

# Every contact attempt: its outcome (not_reached, talked, appointment, won, lost, later), the
# channel, an optional note and, for "later", the day the customer agreed to.
touches = Table(
    "touches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(primary_key=False),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False),
    Column("outcome", String(12), nullable=False),
    Column("channel", String(8), nullable=False),
    Column("note", Text, nullable=True),
    Column("next_date", Date, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_touches_contact", "contact_id", "id"),
    Index("ix_touches_user", "user_id", "created_at"),
)

# The next touches the coach proposed after a touch: proposed until the rep accepts (open) or
# skips them, then done, skipped (or dropped with the contact). `due` is the rep's local day;
# `variant` picks the channel idea shown with it; `attempts` counts unanswered tries in a row.
followups = Table(
    "followups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(primary_key=False),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False),
    Column("touch_id", Integer, ForeignKey("touches.id", ondelete="SET NULL"), nullable=True),
    Column("reason", String(16), nullable=False),
    Column("due", Date, nullable=False),
    Column("channel", String(8), nullable=False),
    Column("variant", Integer, nullable=False, default=0),
    Column("attempts", Integer, nullable=False, default=0),
    Column("status", String(10), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_followups_user_due", "user_id", "status", "due"),
    Index("ix_followups_contact", "contact_id", "status"),
)

# Access (bot.coach.access). Columns that name a user other than a `user_id` column carry
# info={"user_ref": True}: export includes their rows, erasure clears them.
USER_REF = "user_ref"

# Invite links an admin created (and the owner link printed at start-up, role "admin"): the
# code is the deep-link payload; max_uses None means any number of people.
invites = Table(
    "invites",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("role", String(8), nullable=False),
    Column("max_uses", Integer, nullable=True),
    Column("uses", Integer, nullable=False, default=0),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("created_by", BigInteger, nullable=True, info={USER_REF: True}),
    Column("created_at", UtcDateTime, nullable=False),
    # The team a rep who joins by this invite belongs to (None: the inviter's or the first).
    Column("team_id", Integer, ForeignKey("teams.id", ondelete="SET NULL"), nullable=True),
)

# Who was let in (by an invite, the allowlist or in open mode): role, whether an admin disabled
# them, and when they were last seen (written at most once a day, for the retention job). No
# foreign key to users: the grant is stored before /start creates the profile.
members = Table(
    "members",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("role", String(8), nullable=False, default="rep"),
    Column("invite_id", Integer, ForeignKey("invites.id", ondelete="SET NULL"), nullable=True),
    Column("disabled_at", UtcDateTime, nullable=True),
    Column("last_seen_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    # Teams (bot.coach.teams): the rep's team; when they confirmed that the lead sees their
    # own numbers ("per rep"; cleared on a move); when that was explained to them (once).
    Column("team_id", Integer, ForeignKey("teams.id", ondelete="SET NULL"), nullable=True),
    Column("shares_confirmed_at", UtcDateTime, nullable=True),
    Column("sharing_asked_at", UtcDateTime, nullable=True),
    Index("ix_members_team", "team_id"),
)

# A team: its name, what its leads see ("totals" or "per_rep"), an optional weekly team goal
# and when the weekly digest goes to the leads (weekday 0 = Monday, the lead's local time).
teams = Table(
    "teams",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False),
    Column("visibility", String(8), nullable=False, server_default="totals"),
    Column("goal_metric", String(16), nullable=True),
    Column("goal_weekly", Integer, nullable=True),
    Column("digest_day", Integer, nullable=False, server_default="4"),
    Column("digest_time", Time, nullable=False, server_default="15:00:00"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Who leads which team. `user_id` is the lead (no foreign key: an admin may have no profile);
# erasing the lead deletes their rows here and the team stays.
team_leads = Table(
    "team_leads",
    metadata,
    Column(
        "team_id",
        Integer,
        ForeignKey("teams.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Index("ix_team_leads_user", "user_id"),
)

# The team's focus of a week (the Monday): an objection, a practice-call scenario or the pitch.
team_focus = Table(
    "team_focus",
    metadata,
    Column(
        "team_id",
        Integer,
        ForeignKey("teams.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("week", Date, primary_key=True),
    Column("kind", String(12), nullable=False),
    Column("ref", String(64), nullable=False, default=""),
    # A user reference (see USER_REF): set to 0 when that lead's data is erased.
    Column("set_by", BigInteger, nullable=False, info={USER_REF: True}),
    Column("set_at", UtcDateTime, nullable=False),
)
