"""Who may use the bot: access modes, invites and the verdict for one user. Pure logic."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal, get_args

AccessMode = Literal["open", "invite", "allowlist"]
ACCESS_MODES: Final[tuple[AccessMode, ...]] = get_args(AccessMode)
Role = Literal["rep", "admin"]
REP: Final[Role] = "rep"
ADMIN: Final[Role] = "admin"

# Why someone is refused; each has a polite sentence under access.refused.<reason>.
Reason = Literal[
    "not_invited", "not_listed", "disabled", "unknown", "expired", "used_up", "revoked"
]
InviteProblem = Literal["expired", "used_up", "revoked"]

# Telegram's deep-link payload: up to 64 characters of A-Z, a-z, 0-9, _ and -.
CODE_PATTERN: Final = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# The expiry choices an admin gets for a new invite, in days.
INVITE_DAYS: Final[tuple[int, ...]] = (1, 7, 30)
# Commands anyone may use, with or without access: they store nothing about the sender, and
# the data rights (privacy notice, export, deletion) are everybody's.
DATA_RIGHTS_COMMANDS: Final = frozenset(
    {"privacy", "datenschutz", "export", "exportieren", "delete", "loeschen"}
)


@dataclass(frozen=True, slots=True)
class Member:
    """A stored access grant: role, and whether an admin disabled the rep."""

    user_id: int
    role: Role = REP
    disabled: bool = False
    last_seen_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Invite:
    """An invite link's code and limits; `max_uses` None means any number of people."""

    id: int
    code: str
    role: Role
    max_uses: int | None
    uses: int
    expires_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime

    def problem(self, now: datetime) -> InviteProblem | None:
        """Why the code no longer works at `now`, or None while it does."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        if self.max_uses is not None and self.uses >= self.max_uses:
            return "used_up"
        return None


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a user may use the bot; for a refusal, why."""

    allowed: bool
    admin: bool = False
    reason: Reason | None = None


def decide(
    mode: AccessMode,
    user_id: int,
    member: Member | None,
    *,
    admin_ids: Collection[int],
    allowed_ids: Collection[int],
) -> Verdict:
    """The verdict for one user: admins always pass, disabled reps never, then the mode rules."""
    if user_id in admin_ids:
        return Verdict(True, admin=True)
    if member is not None and member.disabled:
        return Verdict(False, reason="disabled")
    if member is not None and member.role == ADMIN:
        return Verdict(True, admin=True)
    if mode == "open":
        return Verdict(True)
    if mode == "allowlist":
        return Verdict(True) if user_id in allowed_ids else Verdict(False, reason="not_listed")
    return Verdict(True) if member is not None else Verdict(False, reason="not_invited")


def command_of(text: str | None) -> tuple[str, str] | None:
    """("start", "abc") for "/start abc" or "/start@Bot abc"; None for text without a command."""
    if not text or not text.startswith("/"):
        return None
    head, _, rest = text[1:].partition(" ")
    name = head.split("@", 1)[0].casefold()
    return (name, rest.strip()) if name else None


def start_code(text: str | None) -> str | None:
    """The invite code of a deep-link start ("/start <code>"), if the text is one."""
    command = command_of(text)
    if command is None or command[0] != "start":
        return None
    code = command[1]
    return code if CODE_PATTERN.match(code) else None


def deep_link(bot_username: str, code: str) -> str:
    """The link that opens the bot and sends "/start <code>" when tapped."""
    return f"https://t.me/{bot_username}?start={code}"


def invite_expiry(now: datetime, days: int) -> datetime:
    """When an invite created at `now` for `days` days stops working."""
    return now + timedelta(days=days)


def retention_cutoff(now: datetime, days: int) -> datetime | None:
    """Reps last seen before this are expired; None when data is kept forever (days == 0)."""
    return now - timedelta(days=days) if days > 0 else None
