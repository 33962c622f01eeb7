"""/pitch: write an elevator pitch and get it scored, keep its versions, rehearse it from memory
and by voice note; the next rehearsal is stored as a due item for the check-in scheduler.

Voice notes: while no other flow waits for an answer (or the pitch flow does), a voice note is
a spoken rehearsal of the pitch: its length against the band, and with a transcript (STT_BASE_URL
set) its pace and score; without one the rep rates it 1-5. Sent after "ready", it is the
rehearsal from memory. In the objection drill a voice note is the answer (transcribed, when
transcription is set up); while another flow waits for a typed answer, the bot asks for that.
"""

from __future__ import annotations

import functools
import html
import logging
from datetime import UTC, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Message, Update, Voice
from telegram.error import BadRequest, TelegramError

from bot.coach.pitch import (
    PitchRubric,
    PitchScore,
    RecallScore,
    next_rehearsal,
    pitch_language,
    quote_words,
    rating_score,
    score_pitch,
    score_recall,
    verdict,
    voice_feedback,
)
from bot.coach.pitch import diff_pitches as diff
from bot.content import Raw
from bot.handlers import practice, roleplay
from bot.handlers.calendars import today_of
from bot.handlers.context import Session, with_session
from bot.handlers.flows import stale
from bot.handlers.keyboards import inline
from bot.speech import MAX_AUDIO_BYTES
from bot.storage import FlowState
from bot.storage.pitches import Pitch, RehearsalPlan

log = logging.getLogger(__name__)

FLOW: Final = "pitch"
# Steps: waiting for a pitch to score; the pitch is shown with "ready"; it is hidden and the
# bot waits for the recall; a pitch was just scored (a passing step: a pitch pasted within
# followups.PASSING is its next version, anything else goes where it would without it).
WRITE: Final = "write"
READY: Final = "ready"
RECALL: Final = "recall"
SCORED: Final = "scored"
# Button data: "v:<action>[:<id>…]".
PREFIX: Final = "v"
# The due item the scheduler sends when the next rehearsal comes (one open per rep).
DUE_KIND: Final = "pitch"
DUE_REF: Final = "rehearsal"
# The rehearsal reminder comes this many minutes after the calling block ends.
AFTER_BLOCK_MINUTES = 15
RATINGS: Final = range(1, 6)
HISTORY_SHOWN: Final = 10
CURRENT_BUTTONS: Final = 6
# A pitch or transcript shown in a message, escaped: room left for the labels around it.
SHOWN_CHARS: Final = 3000
TRANSCRIPT_CHARS: Final = 1500
DIFF_RUNS: Final = 3
RUN_CHARS: Final = 60
MISSING_SHOWN: Final = 5


def _excerpt(text: str, limit: int = SHOWN_CHARS) -> Raw:
    """The text HTML-escaped, cut so that the escaped form has at most `limit` characters."""
    escaped = html.escape(text, quote=False)
    if len(escaped) <= limit:
        return Raw(escaped)
    pieces: list[str] = []
    size = 0
    for char in text:
        piece = html.escape(char, quote=False)
        if size + len(piece) > limit - 1:
            break
        pieces.append(piece)
        size += len(piece)
    return Raw("".join(pieces).rstrip() + "…")


def _clip(text: str, limit: int = RUN_CHARS) -> str:
    """A phrase cut to `limit` characters, for quoting."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _int(value: str) -> int | None:
    # Button data can be forged: only plain ASCII digits of a sane length are an id.
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _has_words(text: str) -> bool:
    return any(char.isalnum() for char in text)


def _rubric(s: Session, lang: str | None = None) -> PitchRubric:
    """The pitch rubric of a language (a stored pitch's, else the rep's)."""
    rubrics = s.deps.pitch_rubrics
    return rubrics.get(lang or s.lang) or rubrics[s.lang]


def _score(s: Session, text: str) -> tuple[PitchScore, str]:
    """A text scored by the rules of the language it is written in (a German rep's English
    pitch by the English rubric), its tips quoted for the rep; with that language."""
    lang = pitch_language(text, s.deps.pitch_rubrics, s.lang)
    return score_pitch(text, _rubric(s, lang), quotes=_rubric(s).quotes), lang


def _verdict(s: Session, result: PitchScore) -> str:
    return s.text(f"pitch.verdict.{result.verdict}")


def _stored_verdict(s: Session, pitch: Pitch) -> str:
    """The verdict of a stored version: its stored score, unless it is too short to be a pitch
    (a version stored before the minimum length was)."""
    result, _ = _score(s, pitch.text)
    band = "not_a_pitch" if not result.scored else verdict(pitch.score, _rubric(s, pitch.lang))
    return s.text(f"pitch.verdict.{band}")


def reads_as_pitch(s: Session, text: str) -> bool:
    """Whether a text, typed right after a score, is a new version of the pitch: long enough,
    and more than "not a pitch yet" by the rubric of its language."""
    result, _ = _score(s, text)
    return result.scored and result.verdict != "not_a_pitch"


def actions(s: Session) -> InlineKeyboardMarkup:
    """The buttons under a scored pitch: rehearse, history, new version."""
    return inline(
        [
            (s.text("pitch.button.rehearse"), f"{PREFIX}:try"),
            (s.text("pitch.button.history"), f"{PREFIX}:hist"),
            (s.text("pitch.button.new"), f"{PREFIX}:new"),
        ],
        columns=3,
    )


def reminder(s: Session) -> tuple[str, InlineKeyboardMarkup]:
    """The rehearsal reminder the scheduler sends when the due item comes: text and button."""
    button = inline([(s.text("pitch.button.rehearse_now"), f"{PREFIX}:try")])
    return s.text("pitch.reminder"), button


def _tips(s: Session, result: PitchScore) -> list[str]:
    if not result.tips:
        return [s.text("pitch.no_tips")]
    return ["💡 " + s.text(tip.key, **tip.values) for tip in result.tips]


def _figures(s: Session, result: PitchScore) -> str:
    low, high = result.band
    return s.deps.content.plural(
        s.lang, "pitch.figures", result.words, seconds=result.seconds, min=low, max=high
    )


def _arrow(score: int, before: int) -> str:
    """↑, ↓ or → for a score against the one before."""
    return "↑" if score > before else "↓" if score < before else "→"


def _trend(s: Session, score: int, previous: Pitch) -> str:
    delta = score - previous.score
    key = "up" if delta > 0 else "down" if delta < 0 else "same"
    return s.text(f"pitch.trend.{key}", delta=abs(delta), version=previous.version)


def _diff_lines(s: Session, old: Pitch, new_text: str, rubric: PitchRubric) -> list[str]:
    changes = diff(old.text, new_text)
    lines = [s.text("pitch.diff.title", version=old.version)]
    if not changes.added and not changes.removed:
        return [*lines, s.text("pitch.diff.none")]
    for key, runs in (("added", changes.added), ("removed", changes.removed)):
        if runs:
            quoted = quote_words([_clip(run) for run in runs], rubric, DIFF_RUNS)
            lines.append(s.text(f"pitch.diff.{key}", words=quoted))
    return lines


def _score_message(
    s: Session, result: PitchScore, pitch: Pitch, previous: Pitch | None, rubric: PitchRubric
) -> str:
    head = [
        s.text(
            "pitch.score", version=pitch.version, score=result.total, verdict=_verdict(s, result)
        )
    ]
    if previous is not None:
        head.append(_trend(s, result.total, previous))
    head.append(_figures(s, result))
    parts = ["\n".join(head), "\n".join(_tips(s, result))]
    if previous is not None:
        parts.append("\n".join(_diff_lines(s, previous, pitch.text, rubric)))
    return "\n\n".join(parts)


async def submit(s: Session, text: str) -> None:
    """Score a pitch, store it as the next (current) version and show score, tips and diff; a
    text too short to be a pitch is not stored, and the current version stays."""
    text = text.strip()
    result, lang = _score(s, text)
    storage, now = s.deps.storage, s.deps.clock()
    if result.words == 0:
        # Nothing to score: the question stays open for the next try.
        await storage.flows.set(s.user_id, FlowState(FLOW, WRITE), now)
        await s.say("pitch.no_words")
        return
    previous = await storage.pitches.current(s.user_id)
    if not result.scored:
        await storage.flows.set(s.user_id, FlowState(FLOW, WRITE), now)
        await s.send("\n\n".join([*_tips(s, result), _kept_line(s, previous)]))
        return
    pitch = await storage.pitches.add(s.user_id, text, result.total, lang, now)
    if s.flow is None or s.flow.flow == FLOW:
        # A pitch pasted right after this score is its next version, not an objection.
        passing = FlowState(FLOW, SCORED, {"since": now.isoformat()})
        await storage.flows.set(s.user_id, passing, now)
    await s.send(_score_message(s, result, pitch, previous, _rubric(s)), actions(s))


def _kept_line(s: Session, current: Pitch | None) -> str:
    """That the current version stays (or, without one, what to send)."""
    if current is None:
        return s.text("pitch.not_a_pitch.first")
    return s.text(
        "pitch.not_a_pitch.kept",
        version=current.version,
        score=current.score,
        verdict=_stored_verdict(s, current),
    )


async def ask_new(s: Session) -> None:
    """Wait for a (new version of the) pitch as text."""
    current = await s.deps.storage.pitches.current(s.user_id)
    await s.deps.storage.flows.set(s.user_id, FlowState(FLOW, WRITE), s.deps.clock())
    if current is None:
        low, high = _rubric(s).band
        await s.say("pitch.intro", min=low, max=high)
    else:
        await s.say("pitch.ask_new", version=current.version)


@with_session
async def pitch_command(update: Update, s: Session) -> None:
    """/pitch [text]: score the text, else show the current pitch and wait for a new one."""
    if s.profile is None or not s.profile.onboarded:
        await s.say("common.start_first")
        return
    message = update.effective_message
    words = (message.text or "").split(maxsplit=1) if message else []
    if len(words) == 2:
        await submit(s, words[1])
        return
    current = await s.deps.storage.pitches.current(s.user_id)
    if current is None:
        await ask_new(s)
        return
    await s.deps.storage.flows.set(s.user_id, FlowState(FLOW, WRITE), s.deps.clock())
    text = s.text(
        "pitch.current",
        version=current.version,
        score=current.score,
        verdict=_stored_verdict(s, current),
        text=_excerpt(current.text),
    )
    await s.send(text, actions(s))


async def answer_text(s: Session, text: str) -> bool:
    """A typed text while the pitch flow waits: a pitch to score or a recall from memory."""
    state = s.flow
    if state is None or state.flow != FLOW or s.profile is None:
        return False
    if state.step == WRITE:
        await submit(s, text)
        return True
    if state.step == SCORED:
        # Only a pitch is taken here (basic.MODES asks reads_as_pitch first); the rest goes
        # where it would go without the passing step.
        if not reads_as_pitch(s, text):
            return False
        await submit(s, text)
        return True
    if state.step in (READY, RECALL):
        await _recall(s, state, text)
        return True
    await s.deps.storage.flows.clear(s.user_id)
    return False


async def rehearse(s: Session) -> None:
    """Show the current pitch with a "ready" button; on the tap it is hidden."""
    pitch = await s.deps.storage.pitches.current(s.user_id)
    if pitch is None:
        await ask_new(s)
        return
    ready = inline([(s.text("pitch.button.ready"), f"{PREFIX}:go:{pitch.id}")])
    text = s.text("pitch.rehearse", version=pitch.version, text=_excerpt(pitch.text))
    message = await s.send(text, ready)
    state = FlowState(FLOW, READY, {"pitch": pitch.id, "message": message.message_id})
    await s.deps.storage.flows.set(s.user_id, state, s.deps.clock())


async def _hide(s: Session, message_id: object) -> None:
    """Replace the shown pitch by a placeholder (quietly: it may be gone or hidden already)."""
    if not isinstance(message_id, int):
        return
    try:
        await s.bot.edit_message_text(
            s.text("pitch.hidden"), chat_id=s.chat_id, message_id=message_id
        )
    except BadRequest as exc:
        log.info("pitch card not hidden: %s", exc.message)


async def _ready(s: Session, message: Message | None, pitch_id: int) -> bool:
    """ "Ready": wait for the recall (stored first), then hide the pitch."""
    pitch = await s.deps.storage.pitches.get(s.user_id, pitch_id)
    if pitch is None:
        return False
    state = FlowState(FLOW, RECALL, {"pitch": pitch.id})
    await s.deps.storage.flows.set(s.user_id, state, s.deps.clock())
    if message is not None:
        await _hide(s, message.message_id)
    return True


async def _plan_after(s: Session, score: int) -> RehearsalPlan:
    """The rep's rehearsal plan after a rehearsal that scored `score`."""
    assert s.profile is not None
    before = await s.deps.storage.pitches.plan(s.user_id)
    state, due = next_rehearsal(before.state, today_of(s.profile, s.deps.clock()), score)
    return RehearsalPlan(state, due)


async def _remind(s: Session, plan: RehearsalPlan, pitch_id: int) -> None:
    """Store the next rehearsal as a due item, a quarter of an hour after the calling block."""
    assert s.profile is not None
    if plan.due is None:
        return
    # The morning ping already names the day's rehearsal; the reminder itself comes when the
    # calls are done, a natural moment for two minutes of practice.
    schedule = s.profile.schedule
    zone = ZoneInfo(s.profile.timezone)
    local = datetime.combine(plan.due, schedule.block_start, tzinfo=zone) + timedelta(
        minutes=schedule.block_minutes + AFTER_BLOCK_MINUTES
    )
    await s.deps.storage.checkins.put_due(
        s.user_id, DUE_KIND, DUE_REF, local.astimezone(UTC), s.deps.clock(), {"pitch": pitch_id}
    )


def _recall_lines(s: Session, result: RecallScore, rubric: PitchRubric) -> list[str]:
    lines = [s.text("pitch.recall.score", score=result.score)]
    total = len(result.key_phrases)
    if total:
        kept = total - len(result.missing)
        lines.append(
            s.text("pitch.recall.figures", similarity=result.similarity, kept=kept, total=total)
        )
    else:
        lines.append(s.text("pitch.recall.similarity", similarity=result.similarity))
    if result.missing:
        phrases = quote_words([_clip(p) for p in result.missing], rubric, MISSING_SHOWN)
        lines.append(s.text("pitch.recall.missing", phrases=phrases))
    else:
        lines.append(s.text("pitch.recall.complete"))
    return lines


def _next_line(s: Session, plan: RehearsalPlan) -> str:
    return s.text("pitch.recall.next", day=s.day_label(plan.due)) if plan.due else ""


async def _flow_pitch(s: Session, state: FlowState) -> Pitch | None:
    pitch_id = state.data.get("pitch")
    if not isinstance(pitch_id, int):
        return None
    return await s.deps.storage.pitches.get(s.user_id, pitch_id)


async def _recall(s: Session, state: FlowState, text: str) -> None:
    """Score a pitch typed from memory, store it and schedule the next rehearsal."""
    storage = s.deps.storage
    pitch = await _flow_pitch(s, state)
    if pitch is None:
        await storage.flows.clear(s.user_id)
        await ask_new(s)
        return
    if not _has_words(text):
        await s.say("pitch.recall.empty")
        return
    rubric = _rubric(s, pitch.lang)
    result = score_recall(pitch.text, text, rubric)
    plan = await _plan_after(s, result.score)
    await storage.pitches.add_rehearsal(
        s.user_id, pitch.id, "text", s.deps.clock(), recall=result.score, text=text, plan=plan
    )
    await _remind(s, plan, pitch.id)
    await storage.flows.clear(s.user_id)
    if state.step == READY:
        await _hide(s, state.data.get("message"))
    lines = [*_recall_lines(s, result, rubric), "", _next_line(s, plan)]
    again = inline(
        [
            (s.text("pitch.button.again"), f"{PREFIX}:try"),
            (s.text("pitch.button.history"), f"{PREFIX}:hist"),
        ],
        columns=2,
    )
    await s.send("\n".join(lines), again)


async def show_history(s: Session) -> None:
    """Every version with date, score and trend; buttons make an older one current."""
    versions = await s.deps.storage.pitches.versions(s.user_id)
    if not versions:
        await ask_new(s)
        return
    assert s.profile is not None
    current = next((v for v in versions if v.current), versions[-1])
    lines = [s.text("pitch.history.title")]
    shown = list(enumerate(versions))[-HISTORY_SHOWN:]
    for index, version in reversed(shown):
        arrow = _arrow(version.score, versions[index - 1].score) if index else ""
        lines.append(
            s.text(
                "pitch.history.line",
                mark="⭐" if version.id == current.id else "▫️",
                version=version.version,
                day=s.day_label(today_of(s.profile, version.created_at)),
                score=version.score,
                verdict=_stored_verdict(s, version),
                trend=arrow,
            ).rstrip()
        )
    if len(versions) > HISTORY_SHOWN:
        lines.append(s.text("pitch.history.more", n=len(versions) - HISTORY_SHOWN))
    if len(versions) > 1:
        first, last = versions[0], versions[-1]
        lines += ["", s.text("pitch.history.trend", first=first.score, last=last.score)]
        lines.append(s.text("pitch.history.hint"))
    buttons = [
        (s.text("pitch.button.make_current", version=v.version), f"{PREFIX}:cur:{v.id}")
        for _, v in reversed(shown)
        if v.id != current.id
    ][:CURRENT_BUTTONS]
    extra = [
        [
            (s.text("pitch.button.rehearse"), f"{PREFIX}:try"),
            (s.text("pitch.button.new"), f"{PREFIX}:new"),
        ]
    ]
    await s.send("\n".join(lines), inline(buttons, columns=3, extra_rows=extra))


async def _make_current(s: Session, pitch_id: int) -> bool:
    pitch = await s.deps.storage.pitches.make_current(s.user_id, pitch_id)
    if pitch is None:
        return False
    text = s.text(
        "pitch.made_current",
        version=pitch.version,
        score=pitch.score,
        verdict=_stored_verdict(s, pitch),
        text=_excerpt(pitch.text),
    )
    await s.send(text, actions(s))
    return True


async def _rate(s: Session, rehearsal_id: int, rating: int) -> bool:
    """Store a self-rating of a voice rehearsal (once) and schedule the next rehearsal."""
    pitches = s.deps.storage.pitches
    rehearsal = await pitches.rehearsal(s.user_id, rehearsal_id)
    if rehearsal is None or rehearsal.self_rating is not None or rating not in RATINGS:
        return False
    plan = await _plan_after(s, rating_score(rating)) if rehearsal.pitch_id else None
    if not await pitches.rate(s.user_id, rehearsal_id, rating, s.deps.clock(), plan):
        return False
    lines = [s.text("pitch.rated", rating=rating)]
    if plan is not None and rehearsal.pitch_id is not None:
        await _remind(s, plan, rehearsal.pitch_id)
        lines.append(_next_line(s, plan))
    await s.send("\n".join(lines))
    return True


async def _keep(s: Session, rehearsal_id: int) -> bool:
    """Store the transcript of a voice rehearsal as a new version of the pitch."""
    rehearsal = await s.deps.storage.pitches.rehearsal(s.user_id, rehearsal_id)
    if rehearsal is None or not rehearsal.text:
        return False
    await submit(s, rehearsal.text)
    return True


@with_session
async def on_button(update: Update, s: Session) -> None:
    """Pitch buttons: rehearse, ready, history, new version, make current, rate, keep."""
    query = update.callback_query
    assert query is not None
    if s.profile is None or not s.profile.onboarded:
        await stale(query, s)
        return
    message = query.message if isinstance(query.message, Message) else None
    parts = (query.data or "").split(":")[1:]
    ids = [_int(part) for part in parts[1:]]
    done = True
    # Each action checks its target first; the tap is answered once, when the outcome is known.
    match parts[0] if parts else "", ids:
        case "try", []:
            await rehearse(s)
        case "hist", []:
            await show_history(s)
        case "new", []:
            await ask_new(s)
        case "go", [int(pitch_id)]:
            done = await _ready(s, message, pitch_id)
        case "cur", [int(pitch_id)]:
            done = await _make_current(s, pitch_id)
        case "rate", [int(rehearsal_id), int(rating)]:
            done = await _rate(s, rehearsal_id, rating)
            if done:
                await _drop_buttons(message)
        case "keep", [int(rehearsal_id)]:
            done = await _keep(s, rehearsal_id)
            if done:
                await _drop_buttons(message)
        case _:
            done = False
    if done:
        await query.answer()
    else:
        await stale(query, s)


async def _drop_buttons(message: Message | None) -> None:
    if message is None:
        return
    try:
        await message.edit_reply_markup(None)
    except BadRequest as exc:
        log.info("buttons not removed: %s", exc.message)


def _seconds(voice: Voice) -> float:
    duration = voice.duration
    return duration.total_seconds() if isinstance(duration, timedelta) else float(duration)


async def _transcribe(s: Session, voice: Voice) -> str | None:
    """The voice note's transcript, or None (transcription off, failed, or nothing said)."""
    speech = s.deps.speech
    if speech is None or (voice.file_size or 0) > MAX_AUDIO_BYTES:
        return None
    try:
        file = await voice.get_file()
        audio = bytes(await file.download_as_bytearray())
    except TelegramError as exc:
        log.warning("voice note not downloaded: %s", type(exc).__name__)
        return None
    text = await speech.transcribe(
        audio, filename="voice.ogg", mime_type=voice.mime_type or "audio/ogg", language=s.lang
    )
    return text if text is not None and _has_words(text) else None


@with_session
async def on_voice(update: Update, s: Session) -> None:
    """A voice note: a spoken pitch rehearsal, or an answer in the objection drill."""
    message = update.effective_message
    voice = message.voice if message else None
    if voice is None:
        return
    if s.profile is None or not s.profile.onboarded:
        await s.say("common.start_first")
        return
    flow = s.flow
    if flow is not None and flow.flow == practice.FLOW:
        await _drill_answer(s, voice)
    elif roleplay.in_call(s):
        await roleplay.voice_answer(s, functools.partial(_transcribe, s, voice))
    elif flow is not None and flow.flow != FLOW:
        await s.say("pitch.voice.busy")
    else:
        await _voice_rehearsal(s, voice, flow)


async def _drill_answer(s: Session, voice: Voice) -> None:
    """A spoken answer to the drill's objection: transcribed and scored like a typed one."""
    if s.deps.speech is None:
        await s.say("pitch.voice.drill_type")
        return
    transcript = await _transcribe(s, voice)
    if transcript is None:
        await s.say("pitch.voice.drill_failed")
        return
    await s.say("pitch.voice.heard", text=_excerpt(transcript, TRANSCRIPT_CHARS))
    await practice.answer_text(s, transcript)


async def _voice_rehearsal(s: Session, voice: Voice, flow: FlowState | None) -> None:
    """Length (and with a transcript pace, score and recall) of a spoken pitch, all stored."""
    storage, now = s.deps.storage, s.deps.clock()
    rubric = _rubric(s)
    from_memory = flow is not None and flow.step in (READY, RECALL)
    target = await _flow_pitch(s, flow) if flow is not None and from_memory else None
    pitch = target or await storage.pitches.current(s.user_id)
    transcript = await _transcribe(s, voice)
    scored = _score(s, transcript)[0] if transcript is not None else None
    feedback = voice_feedback(
        _seconds(voice),
        rubric.band,
        scored.words if scored is not None else None,
        words_per_minute=rubric.words_per_minute,
    )
    lines = [s.text("pitch.voice.title")]
    lines += [s.text(tip.key, **tip.values) for tip in feedback.tips]
    pitch_id = pitch.id if pitch is not None else None
    if transcript is None or scored is None:
        rehearsal = await storage.pitches.add_rehearsal(
            s.user_id, pitch_id, "voice", now, seconds=feedback.seconds
        )
        if s.deps.speech is not None:
            lines.append(s.text("pitch.voice.no_transcript"))
        lines += ["", s.text("pitch.voice.rate")]
        markup = inline([(str(n), f"{PREFIX}:rate:{rehearsal.id}:{n}") for n in RATINGS], columns=5)
    else:
        recall = None
        plan = None
        if target is not None:
            recall = score_recall(target.text, transcript, _rubric(s, target.lang))
            plan = await _plan_after(s, recall.score)
        rehearsal = await storage.pitches.add_rehearsal(
            s.user_id,
            pitch_id,
            "voice",
            now,
            recall=recall.score if recall is not None else None,
            score=scored.total if scored.scored else None,
            seconds=feedback.seconds,
            text=transcript,
            plan=plan,
        )
        lines += ["", s.text("pitch.voice.transcript", text=_excerpt(transcript, TRANSCRIPT_CHARS))]
        lines.append("")
        if scored.scored:
            verdict_text = _verdict(s, scored)
            lines.append(s.text("pitch.voice.score", score=scored.total, verdict=verdict_text))
        lines += _tips(s, scored)
        if recall is not None and plan is not None and target is not None:
            await _remind(s, plan, target.id)
            lines += ["", *_recall_lines(s, recall, _rubric(s, target.lang)), _next_line(s, plan)]
        markup = inline(
            [
                (s.text("pitch.button.keep"), f"{PREFIX}:keep:{rehearsal.id}"),
                (s.text("pitch.button.rehearse"), f"{PREFIX}:try"),
            ],
            columns=2,
        )
    if from_memory and flow is not None:
        await storage.flows.clear(s.user_id)
        if flow.step == READY:
            await _hide(s, flow.data.get("message"))
    await s.send("\n".join(lines), markup)
