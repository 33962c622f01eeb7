"""What every handler needs: the dependencies built in main, and the user's stored session."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import CallbackContext, ExtBot

from bot.coach.access import ADMIN
from bot.coach.activity import METRICS
from bot.coach.drill import Rubric
from bot.coach.language import pick_language
from bot.coach.objections import Entry, Matcher, Playbook
from bot.coach.pitch import PitchRubric
from bot.coach.profile import Profile
from bot.coach.roleplay import Scenario
from bot.config import Settings
from bot.content import Content, Raw
from bot.llm import LanguageModel
from bot.scenarios import Roleplays
from bot.speech import SpeechClient
from bot.storage import FlowState, Storage
from bot.storage.notices import Notice
from bot.team_scenarios import known_objections, with_team

log = logging.getLogger(__name__)

Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]
DEPS_KEY = "deps"
ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


@dataclass
class Deps:
    """Services built once in main and shared by all handlers; storage opens in post_init."""

    settings: Settings
    content: Content
    clock: Callable[[], datetime] = utc_now
    # The objection playbook, the team's own entries and the matcher over both, per language.
    playbooks: Mapping[str, Playbook] = field(default_factory=dict)
    team_playbooks: dict[str, Playbook] = field(default_factory=dict)
    matchers: dict[str, Matcher] = field(default_factory=dict)
    rubrics: Mapping[str, Rubric] = field(default_factory=dict)
    pitch_rubrics: Mapping[str, PitchRubric] = field(default_factory=dict)
    # Transcribes voice notes; None when STT_BASE_URL is not set.
    speech: SpeechClient | None = None
    # The practice calls (scenarios, cue lists) per language, and the optional model that
    # speaks the customer's lines (None when LLM_BASE_URL is not set).
    roleplays: Mapping[str, Roleplays] = field(default_factory=dict)
    llm: LanguageModel | None = None
    # The built-in scenarios per language (kept when a team's own are added) and the team's.
    builtin_roleplays: dict[str, Roleplays] = field(default_factory=dict)
    team_scenarios: dict[str, tuple[Scenario, ...]] = field(default_factory=dict)
    # Tests collect handler errors here so an unexpected one fails the test.
    error_hook: Callable[[object, BaseException], None] | None = None
    # When each failed update's handler started (by update id), until the error handler
    # takes it: what the update stored since then is what a lost reply's notice names.
    failed_updates: dict[int, datetime] = field(default_factory=dict)
    _storage: Storage | None = field(default=None, repr=False)

    @property
    def storage(self) -> Storage:
        """The open storage; only valid between post_init and post_shutdown."""
        if self._storage is None:
            raise RuntimeError("storage is not open")
        return self._storage

    def use_team_playbook(self, playbook: Playbook) -> None:
        """Put a team's entries in force for their language (they rank first in lookups)."""
        self.team_playbooks[playbook.lang] = playbook
        self.matchers[playbook.lang] = Matcher(
            self.playbooks[playbook.lang].entries, playbook.entries
        )
        if playbook.lang in self.team_scenarios:
            # Team scenarios may raise the team's entries: their lines follow the playbook.
            self.use_team_scenarios(playbook.lang, self.team_scenarios[playbook.lang])

    def builtin_scenarios(self, lang: str) -> Roleplays:
        """The built-in scenarios of a language, without the team's."""
        return self.builtin_roleplays.get(lang) or self.roleplays[lang]

    def use_team_scenarios(self, lang: str, scenarios: Sequence[Scenario]) -> None:
        """Put a team's scenarios in force for their language, after the built-in ones in the
        /rollenspiel picker (an empty list leaves the built-in ones alone)."""
        base = self.builtin_roleplays.setdefault(lang, self.roleplays[lang])
        # Lines of entries removed from the team playbook since stay: a scenario in force
        # that raises one keeps working until the scenarios are uploaded again.
        lines = {
            **self.roleplays[lang].objection_lines,
            **known_objections(self.playbooks[lang], self.team_playbooks.get(lang)),
        }
        self.team_scenarios[lang] = tuple(scenarios)
        self.roleplays = {**self.roleplays, lang: with_team(base, scenarios, lines)}

    def find_entry(self, lang: str, entry_id: str) -> Entry | None:
        """An entry by id: the team's own first, then the built-in one."""
        team = self.team_playbooks.get(lang)
        found = team.get(entry_id) if team else None
        return found or self.playbooks[lang].get(entry_id)

    async def is_admin(self, user_id: int) -> bool:
        """Whether the user is an admin: in ADMIN_IDS, or made one in the database."""
        if user_id in self.settings.admin_ids:
            return True
        member = await self.storage.access.member(user_id)
        return member is not None and member.role == ADMIN and not member.disabled

    def attach(self, storage: Storage) -> None:
        """Use the storage opened in post_init."""
        self._storage = storage

    async def close_storage(self) -> None:
        """Close the storage, if open, after writing what it still holds only in memory."""
        storage, self._storage = self._storage, None
        if storage is None:
            return
        try:
            await storage.access.flush_seen()
        except Exception:
            # A failing database must not keep the bot from shutting down.
            log.warning("last-seen times not written at shutdown", exc_info=True)
        finally:
            await storage.close()


def deps_of(context: Context) -> Deps:
    """The Deps stored in bot_data by build_application."""
    return cast(Deps, context.bot_data[DEPS_KEY])


@dataclass(frozen=True, slots=True)
class Session:
    """One update's view of the user: who, in which language, which flow is open; and how to
    answer them."""

    deps: Deps
    bot: Bot
    user_id: int
    chat_id: int
    lang: str
    profile: Profile | None
    flow: FlowState | None

    def text(self, key: str, /, **values: Any) -> str:
        """A text in the user's language."""
        return self.deps.content.text(self.lang, key, **values)

    def day_label(self, day: date) -> str:
        """A short local date like "Mo 23.11."."""
        names = self.deps.content.list(self.lang, "common.weekdays_short")
        return f"{names[day.weekday()]} {day.day:02d}.{day.month:02d}."

    async def send(self, text: str, markup: ReplyMarkup | None = None) -> Message:
        """Send a message to the user's chat."""
        return await self.bot.send_message(self.chat_id, text, reply_markup=markup)

    async def say(self, key: str, markup: ReplyMarkup | None = None, **values: Any) -> Message:
        """Send the text for a key to the user's chat."""
        return await self.send(self.text(key, **values), markup)


async def load_session(update: Update, deps: Deps, bot: Bot) -> Session | None:
    """Load profile and flow of the update's user; None for updates without a user or chat."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    profile, flow = await deps.storage.users.load(user.id)
    if profile is not None:
        lang = deps.content.lang(profile.language)
    else:
        lang = pick_language(
            user.language_code, deps.content.languages, deps.settings.default_language
        )
    return Session(deps, bot, user.id, chat.id, lang, profile, flow)


SessionHandler = Callable[[Update, Session], Awaitable[None]]
Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


def with_session(func: SessionHandler) -> Handler:
    """Turn `func(update, session)` into a PTB callback that loads the session first.

    A notice of a reply that never arrived comes first, once; a failure notes when the update
    began, for the error handler's notice.
    """

    @functools.wraps(func)
    async def handler(update: Update, context: Context) -> None:
        deps = deps_of(context)
        session = await load_session(update, deps, context.bot)
        if session is None:
            return
        if deps.storage.notices.waiting(session.user_id):
            await show_notices(session)
        started = deps.clock()
        try:
            await func(update, session)
        except Exception:
            deps.failed_updates[update.update_id] = started
            raise

    return handler


async def show_notices(s: Session) -> None:
    """Tell the rep which replies did not arrive (once); kept for later if this fails too."""
    notices = s.deps.storage.notices
    try:
        taken = await notices.take(s.user_id)
    except Exception:
        log.warning("reply notices not read: user's update goes on", exc_info=True)
        return
    if not taken:
        return
    try:
        await s.send("\n".join(notice_text(s, n) for n in taken))
    except Exception as exc:
        # Never at the cost of what the rep just sent: their update is handled all the same.
        log.warning("reply notice not delivered: %s", type(exc).__name__)
        try:
            await notices.add_all(s.user_id, taken, s.deps.clock())
        except Exception:
            log.warning("reply notices not kept", exc_info=True)


def notice_text(s: Session, notice: Notice) -> str:
    """One notice as a line: what was stored, when, in the rep's zone (the day if not today)."""
    zone = ZoneInfo(s.profile.timezone if s.profile else "UTC")
    local = notice.update_at.astimezone(zone)
    when = f"{local:%H:%M}"
    if local.date() != s.deps.clock().astimezone(zone).date():
        when = f"{s.day_label(local.date())} {when}"
    stored = {m: notice.stored.get(m) for m in METRICS if notice.stored.get(m)}
    if not stored:
        return s.text("delivery.lost", time=when)
    summary = ", ".join(
        s.deps.content.plural(s.lang, f"today.count.{m}", n) for m, n in stored.items()
    )
    return s.text("delivery.saved", summary=Raw(summary), time=when)
