"""The check-in engine: each tick finds what is due, claims it, renders it and sends it.

A delivery is claimed (a row with a unique key) before it is sent and confirmed after, so it
goes out at most once across restarts and processes. A claim that was never confirmed (the
process died mid-send) is taken over once its lease runs out: nothing is lost, and only a
message in flight at the crash can repeat. Senders wait for their confirmation to be stored
before they take the next message, so at most `concurrency` messages are ever unconfirmed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final

from telegram import Bot

from bot.coach import checkins as plan
from bot.coach.calendar import Pause, WorkCalendar, local_date
from bot.coach.profile import Profile
from bot.coach.streaks import streak
from bot.coach.teams import Focus
from bot.handlers.calendars import calendar_for
from bot.handlers.context import Deps, Session
from bot.handlers.team import DIGEST_KIND, NUDGE_KIND, monday, nudge_message
from bot.scheduler import messages
from bot.scheduler.sender import Outcome, Outgoing, Sender
from bot.storage.checkins import (
    FAILED,
    SENT,
    SKIPPED,
    STREAK_DAYS,
    Claim,
    DeliveryKey,
    DueItem,
    MorningFacts,
)

log = logging.getLogger(__name__)

# Where build_application keeps the engine in bot_data (tests run its tick directly).
CHECKINS_KEY: Final = "checkins"
ITEM_PREFIX: Final = "item:"
SNOOZE: Final = "snooze"
# Per tick, at most this many reminders and expired claims are picked up; the rest next tick.
BATCH: Final = 5000
DEFAULT_LEASE: Final = timedelta(minutes=2)
DEFAULT_CONCURRENCY: Final = 8
# Principles are not repeated within this many days for one rep.
PRINCIPLE_DAYS: Final = plan.REPEAT_DAYS


@dataclass
class TickReport:
    """What one tick did, for logs, tests and benchmarks."""

    claimed: int = 0
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    blocked: int = 0
    retried: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Job:
    claim: Claim
    profile: Profile
    item: DueItem | None = None


class _Confirmations:
    """Group commit: every sender's outcome is stored before that sender goes on."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._pending: list[tuple[tuple[int, str, int | None, str | None], asyncio.Future[None]]]
        self._pending = []
        self._lock = asyncio.Lock()

    async def store(self, row: tuple[int, str, int | None, str | None]) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((row, future))
        async with self._lock:
            # Whoever holds the lock writes everything that piled up meanwhile in one go.
            if not future.done():
                batch, self._pending = self._pending, []
                try:
                    await self._deps.storage.checkins.finish(
                        [r for r, _ in batch], self._deps.clock()
                    )
                except Exception as exc:
                    for _, waiting in batch:
                        if not waiting.done():
                            waiting.set_exception(exc)
                else:
                    for _, waiting in batch:
                        if not waiting.done():
                            waiting.set_result(None)
        await future


class _Lease:
    """Keeps a tick's unconfirmed claims this process's while a long fan-out drains.

    All of a tick's claims carry the tick's `now` as claimed_at. A fan-out slower than the
    lease (thousands of reps at a per-process rate limit) would let another process reclaim
    claims still waiting in this queue, and both would send. So once a third of the lease has
    passed, the next sender renews every claim not yet confirmed (one guarded UPDATE); a claim
    another process took meanwhile is not renewed, and this process drops it unsent.
    """

    def __init__(self, deps: Deps, ids: Sequence[int], stamp: datetime, lease: timedelta) -> None:
        self._deps = deps
        self._open = set(ids)
        self._lost: set[int] = set()
        self._stamp = stamp
        self._every = lease.total_seconds() / 3
        self._renewed = asyncio.get_running_loop().time()
        self._lock = asyncio.Lock()

    async def keep(self, claim_id: int) -> bool:
        """Renew the open claims when due; False if this one is no longer ours."""
        loop = asyncio.get_running_loop()
        if loop.time() - self._renewed >= self._every:
            async with self._lock:
                if loop.time() - self._renewed >= self._every:
                    stamp = max(self._deps.clock(), self._stamp)
                    store = self._deps.storage.checkins
                    kept = await store.renew(sorted(self._open), self._stamp, stamp)
                    self._lost |= self._open - kept
                    self._open &= kept
                    self._stamp = stamp
                    self._renewed = loop.time()
        return claim_id not in self._lost

    def done(self, claim_id: int) -> None:
        """The claim is confirmed (or given up): no more renewals for it."""
        self._open.discard(claim_id)


class Checkins:
    """Runs the check-in ticks of one bot process."""

    def __init__(
        self,
        deps: Deps,
        bot: Bot,
        sender: Sender,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self._deps = deps
        self._bot = bot
        self._sender = sender
        self._concurrency = max(1, concurrency)
        self._lease = lease
        # Keys this process knows to be claimed by someone: no need to try them again.
        self._known: set[DeliveryKey] = set()
        self._running = asyncio.Lock()
        self._principles: dict[str, tuple[str, ...]] = {}
        # This tick's pauses per rep: they neither break nor extend a streak.
        self._pauses: dict[int, tuple[Pause, ...]] = {}
        # This tick's team focus per morning rep.
        self._focus: dict[int, Focus] = {}

    async def tick(self, now: datetime) -> TickReport:
        """One round: retry expired claims, claim what is due, send it; never overlaps itself."""
        if self._running.locked():
            return TickReport()
        async with self._running:
            return await self._tick(now)

    async def _tick(self, now: datetime) -> TickReport:
        report = TickReport()
        store = self._deps.storage.checkins
        profiles = {p.user_id: p for p in await store.active_profiles()}
        pauses = await store.pauses(list(profiles), since=now.date() - timedelta(days=STREAK_DAYS))
        self._pauses = pauses
        # The one rule for everything sent unasked: check-ins, snoozes and reminders alike
        # wait while the rep is paused, off work or in their quiet hours.
        reachable: dict[int, tuple[Profile, WorkCalendar]] = {}
        for user_id, profile in profiles.items():
            today = local_date(now, profile.timezone)
            calendar = calendar_for(profile, today, pauses=pauses.get(user_id, ()))
            if plan.may_send(now, profile.schedule, calendar, profile.timezone):
                reachable[user_id] = (profile, calendar)
        jobs: list[_Job] = []
        held: list[Claim] = []
        for claim in await store.reclaim_expired(now, self._lease, BATCH):
            if claim.key.user_id in reachable:
                jobs.append(_Job(claim, reachable[claim.key.user_id][0]))
                report.retried += 1
            elif claim.key.user_id in profiles:
                held.append(claim)
        # Given back, so that a reminder is claimed afresh once the rep can be reached again.
        await store.release([claim.id for claim in held])
        self._known.difference_update(claim.key for claim in held)
        send: list[DeliveryKey] = []
        skip: list[DeliveryKey] = []
        for profile, calendar in reachable.values():
            for due in plan.due(now, profile.schedule, calendar, profile.timezone):
                key = _key(profile.user_id, due.slot)
                if key not in self._known:
                    (send if due.action == plan.SEND else skip).append(key)
        # The weekly team digest: once per lead, team and digest day (the lead's local time).
        for lead_id, team in await self._deps.storage.teams.all_digests():
            if lead_id not in reachable:
                continue
            zone = reachable[lead_id][0].timezone
            day = plan.digest_due(now, team.digest_day, team.digest_time, zone)
            if day is not None:
                key = DeliveryKey(lead_id, DIGEST_KIND, str(team.id), day)
                if key not in self._known:
                    send.append(key)
        items: dict[DeliveryKey, DueItem] = {}
        stale: list[int] = []
        for item in await store.due_items(now, BATCH):
            if item.user_id not in reachable:
                continue  # paused, off work, asleep or gone: the item waits
            owner = reachable[item.user_id][0]
            if item.kind == SNOOZE and local_date(item.due_at, owner.timezone) < local_date(
                now, owner.timezone
            ):
                stale.append(item.id)  # its day is over: that day's check-ins are past
                continue
            key = DeliveryKey(
                item.user_id,
                ITEM_PREFIX + item.kind,
                f"{item.ref}@{item.due_at:%Y%m%d%H%M}"[:64],
                local_date(item.due_at, owner.timezone),
            )
            if key not in self._known:
                items[key] = item
                send.append(key)
        await store.close_items(stale, now)
        report.skipped += len(stale)
        report.skipped += len(await store.claim(skip, now, SKIPPED))
        self._known.update(skip)
        claims = await store.claim(send, now)
        self._known.update(send)
        report.claimed = len(claims)
        for claim in claims:
            profile = profiles[claim.key.user_id]
            jobs.append(_Job(claim, profile, items.get(claim.key)))
        # Items someone else claimed are theirs to close; ours close once sent.
        self._forget_old(now)
        if jobs:
            await self._send_all(jobs, now, report)
        return report

    def _forget_old(self, now: datetime) -> None:
        if len(self._known) < 50_000:
            return
        oldest = now.date() - timedelta(days=3)
        self._known = {k for k in self._known if k.local_date >= oldest}

    async def _send_all(self, jobs: Sequence[_Job], now: datetime, report: TickReport) -> None:
        queue: asyncio.Queue[_Job] = asyncio.Queue()
        for job in jobs:
            queue.put_nowait(job)
        confirmations = _Confirmations(self._deps)
        lease = _Lease(self._deps, [job.claim.id for job in jobs], now, self._lease)
        principles = await self._recent_principles(jobs, now)
        facts = await self._morning_facts(jobs, now)
        self._focus = await self._team_focus(jobs, now)

        async def worker() -> None:
            while not queue.empty():
                job = queue.get_nowait()
                try:
                    if not await lease.keep(job.claim.id):
                        continue  # the lease ran out and another process took it over
                    await self._deliver(job, now, report, confirmations, principles, facts)
                except Exception as exc:
                    # One rep's broken data must not stop the others' check-ins.
                    log.exception("check-in failed: kind=%s", job.claim.key.kind)
                    report.failed += 1
                    report.errors.append(type(exc).__name__)
                finally:
                    lease.done(job.claim.id)

        await asyncio.gather(*(worker() for _ in range(min(self._concurrency, len(jobs)))))

    async def _morning_facts(self, jobs: Sequence[_Job], now: datetime) -> dict[int, MorningFacts]:
        days: dict[int, tuple[date | None, date]] = {}
        for job in jobs:
            if job.claim.key.kind == plan.MORNING or job.item is not None:
                profile = job.profile
                today = local_date(now, profile.timezone)
                days[profile.user_id] = (self._previous(profile, today), today)
        if not days:
            return {}
        return await self._deps.storage.checkins.morning_facts(days)

    async def _team_focus(self, jobs: Sequence[_Job], now: datetime) -> dict[int, Focus]:
        """The focus of each morning rep's team this week, in one query per chunk."""
        weeks: dict[int, date] = {}
        for job in jobs:
            if job.claim.key.kind == plan.MORNING:
                weeks[job.profile.user_id] = monday(local_date(now, job.profile.timezone))
        if not weeks:
            return {}
        found = await self._deps.storage.team_stats.focus_of(list(weeks), set(weeks.values()))
        return {
            user_id: found[(user_id, week)]
            for user_id, week in weeks.items()
            if (user_id, week) in found
        }

    async def _recent_principles(
        self, jobs: Sequence[_Job], now: datetime
    ) -> dict[int, dict[str, date]]:
        mornings = [j.claim.key.user_id for j in jobs if j.claim.key.kind == plan.MORNING]
        if not mornings:
            return {}
        since = now.date() - timedelta(days=PRINCIPLE_DAYS + 1)
        return await self._deps.storage.checkins.recent_notes(mornings, plan.MORNING, since)

    async def _deliver(
        self,
        job: _Job,
        now: datetime,
        report: TickReport,
        confirmations: _Confirmations,
        principles: dict[int, dict[str, date]],
        facts: dict[int, MorningFacts],
    ) -> None:
        profile, claim = job.profile, job.claim
        lang = self._deps.content.lang(profile.language)
        s = Session(self._deps, self._bot, profile.user_id, profile.chat_id, lang, profile, None)
        note: str | None = None
        out: Outgoing | None
        kind = claim.key.kind
        today = local_date(now, profile.timezone)
        if kind.startswith(ITEM_PREFIX):
            item = job.item or await self._item_for(claim)
            out = None
            if item is not None:
                if item.kind == SNOOZE:
                    again = str(item.payload.get("kind", ""))
                    out, note = await self._checkin(s, again, today, principles, facts)
                else:
                    out = messages.due_item_message(s, item)
        elif kind != plan.WEEKLY and claim.key.local_date < today:
            out = None  # a retried check-in of an earlier day would only be stale now
        elif kind == DIGEST_KIND:
            out = await messages.team_digest(s, claim.key.ref)
        elif kind == NUDGE_KIND:
            # Only a nudge a crash left unconfirmed comes here: still only without numbers.
            out = None if await messages.logged_anything(s, today) else nudge_message(s)
        else:
            day = today if kind == plan.WEEKLY else claim.key.local_date
            out, note = await self._checkin(s, kind, day, principles, facts)
        if out is None:
            await confirmations.store((claim.id, SKIPPED, None, None))
            report.skipped += 1
            await self._close_item(job, now)
            return
        outcome = await self._sender.send(out)
        await self._record(claim, outcome, note, report, confirmations)
        if outcome.sent or outcome.blocked:
            await self._close_item(job, now)

    async def _checkin(
        self,
        s: Session,
        kind: str,
        day: date,
        principles: dict[int, dict[str, date]],
        facts: dict[int, MorningFacts],
    ) -> tuple[Outgoing | None, str | None]:
        if kind == plan.MORNING:
            ids = self._principles.get(s.lang)
            if ids is None:
                ids = self._principles[s.lang] = plan.principle_ids(
                    self._deps.content.texts[s.lang]
                )
            principle = (
                plan.pick_principle(ids, principles.get(s.user_id, {}), day, s.user_id)
                if ids
                else None
            )
            assert s.profile is not None
            previous = self._previous(s.profile, day)
            known = facts.get(s.user_id)
            if known is None:  # a retried claim: not in this tick's batch
                known = (
                    await self._deps.storage.checkins.morning_facts({s.user_id: (previous, day)})
                )[s.user_id]
            focus = self._focus.get(s.user_id)
            return messages.morning(
                s, day, principle, known, self._streak(s, day, known), previous, focus
            ), principle
        if kind == plan.BLOCK_START:
            return await messages.block_start(s, day), None
        if kind == plan.BLOCK_END:
            return await messages.with_standing(s, day, "checkins.block_end", kind), None
        if kind == plan.MIDDAY:
            if await messages.logged_anything(s, day):
                return None, None  # only a nudge when nothing is logged yet
            return await messages.with_standing(s, day, "checkins.midday", kind), None
        if kind == plan.EVENING:
            return await messages.evening(s, day), None
        if kind == plan.WEEKLY:
            return await messages.weekly(s, day), None
        return None, None

    def _previous(self, profile: Profile, day: date) -> date | None:
        """The rep's last working day before `day`: what the morning ping looks back on."""
        pauses = self._pauses.get(profile.user_id, ())
        return calendar_for(profile, day, pauses=pauses).previous_working_day(day)

    def _streak(self, s: Session, day: date, facts: MorningFacts) -> int:
        """Working days in a row on the dial target, up to yesterday (today has just begun)."""
        if not facts.dials or s.profile is None:
            return 0
        daily = (facts.targets or {}).get("dials", 0)
        history = {d: dials for d, (dials, _) in facts.dials.items()}
        targets = {d: target or daily for d, (_, target) in facts.dials.items()}
        since = min(facts.dials)
        pauses = self._pauses.get(s.user_id, ())
        calendar = calendar_for(s.profile, day, since=since, pauses=pauses)
        return streak(history, targets, calendar, day).current

    async def _record(
        self,
        claim: Claim,
        outcome: Outcome,
        note: str | None,
        report: TickReport,
        confirmations: _Confirmations,
    ) -> None:
        if outcome.sent:
            report.sent += 1
            await confirmations.store((claim.id, SENT, outcome.message_id, note))
            return
        report.failed += 1
        if outcome.error:
            report.errors.append(outcome.error)
        await confirmations.store((claim.id, FAILED, None, None))
        if outcome.blocked:
            # They blocked the bot: no more messages until they come back with /start.
            report.blocked += 1
            await self._deps.storage.users.set_active(claim.key.user_id, False, self._deps.clock())

    async def _item_for(self, claim: Claim) -> DueItem | None:
        items = await self._deps.storage.checkins.open_items(claim.key.user_id)
        kind = claim.key.kind.removeprefix(ITEM_PREFIX)
        for item in items:
            if item.kind == kind and f"{item.ref}@{item.due_at:%Y%m%d%H%M}"[:64] == claim.key.ref:
                return item
        return None

    async def _close_item(self, job: _Job, now: datetime) -> None:
        item = job.item
        if item is None and job.claim.key.kind.startswith(ITEM_PREFIX):
            item = await self._item_for(job.claim)
        if item is not None:
            # Guarded by due_at: a reminder moved while this one was sent stays open.
            await self._deps.storage.checkins.close_item(item.id, item.due_at, now)


def _key(user_id: int, slot: plan.Slot) -> DeliveryKey:
    day = slot.local_date
    if slot.kind == plan.WEEKLY:
        # One review per week, even when a holiday moves it to another day.
        day -= timedelta(days=day.weekday())
    return DeliveryKey(user_id, slot.kind, "", day)
