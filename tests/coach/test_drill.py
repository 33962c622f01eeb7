"""Scoring drill answers against the rubric, and spacing the next drill."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.calendar import Pause, WorkCalendar
from bot.coach.drill import (
    INTERVALS,
    TIP_ACKNOWLEDGE,
    TIP_ASK_QUESTION,
    TIP_EMPTY,
    TIP_NEXT_STEP,
    TIP_NO_BUT,
    TIP_NOT_AN_ANSWER,
    TIP_PREFIX,
    TIP_TOO_LONG,
    TIP_TOO_SHORT,
    TIPS,
    WEIGHTS,
    Rubric,
    next_review,
    score_reply,
    suggestion_at,
)
from bot.coach.objections import Playbook
from bot.coach.profile import WORKWEEK, Schedule
from bot.playbook import load_playbooks, load_rubrics

DAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def rubrics() -> dict[str, Rubric]:
    """The real rubrics of both languages."""
    return load_rubrics()


def test_weights_add_up_to_100() -> None:
    assert sum(WEIGHTS.values()) == 100


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "de",
            "Verstehe, das ist eine wichtige Entscheidung. Welcher Punkt ist für Sie noch offen? "
            "Sollen wir Donnerstag zehn Minuten telefonieren?",
        ),
        (
            "de",
            "Das kann ich gut nachvollziehen. Wie lösen Sie das Thema denn heute. Wollen wir "
            "nächste Woche einen kurzen Termin machen und es gemeinsam anschauen",
        ),
        (
            "en",
            "I understand, that's a big decision. What's the part you'd want to think over most? "
            "Shall we pencil in ten minutes on Thursday?",
        ),
    ],
)
def test_a_good_answer_scores_full(rubrics: dict[str, Rubric], lang: str, text: str) -> None:
    score = score_reply(text, lang, rubrics[lang])
    assert score.total == 100
    assert score.tips == ()
    assert all(score.criteria[name] for name in WEIGHTS)


def test_arguing_back_is_marked_down(rubrics: dict[str, Rubric]) -> None:
    score = score_reply("Aber unser Produkt ist das beste am Markt.", "de", rubrics["de"])
    assert score.criteria["no_arguing"] is False
    # Eight words are short enough to say, and that is all it earns.
    assert score.total == WEIGHTS["length_ok"]
    assert score.tips == (TIP_ACKNOWLEDGE, TIP_ASK_QUESTION, TIP_NEXT_STEP, TIP_NO_BUT)
    english = score_reply("Actually you're wrong, our price is fair.", "en", rubrics["en"])
    assert english.criteria["no_arguing"] is False


def test_a_question_needs_no_question_mark(rubrics: dict[str, Rubric]) -> None:
    spoken = score_reply("verstehe. wann passt es ihnen am besten", "de", rubrics["de"])
    assert spoken.criteria["asks_question"] is True
    statement = score_reply("Verstehe. Ich melde mich, wie gesagt.", "de", rubrics["de"])
    assert statement.criteria["asks_question"] is False


def test_markers_are_folded_and_may_be_prefixes(rubrics: dict[str, Rubric]) -> None:
    score = score_reply("VOELLIG OKAY. Ich schicke einen Terminvorschlag", "de", rubrics["de"])
    assert score.criteria["acknowledges"] is True
    assert score.criteria["next_step"] is True


def test_length_band(rubrics: dict[str, Rubric]) -> None:
    rubric = rubrics["en"]
    short = score_reply("I understand. When suits you?", "en", rubric)
    assert short.criteria["words"] == 5
    assert short.criteria["length_ok"] is False
    assert TIP_TOO_SHORT in short.tips
    long = score_reply("I understand. " + "really " * 80 + "When suits you?", "en", rubric)
    assert long.criteria["length_ok"] is False
    assert long.tips[-1] == TIP_TOO_LONG
    near = score_reply("I understand. When would suit you?", "en", rubric)
    assert near.criteria["words"] == 6
    assert near.criteria["length_ok"] is False
    assert near.total == 100 - WEIGHTS["length_ok"] + 8


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize(
    "text", ["ok", "Ok.", "ja", "okay danke", "ja ja ja ja ja", "Verstehe. Warum?", "sure, thanks"]
)
def test_a_reply_too_short_to_be_an_answer_earns_nothing(
    rubrics: dict[str, Rubric], lang: str, text: str
) -> None:
    score = score_reply(text, lang, rubrics[lang])
    assert score.total == 0
    assert not any(score.criteria[name] for name in WEIGHTS), "not even for leaving out 'but'"
    assert score.tips == (TIP_NOT_AN_ANSWER,)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Verstehe ich. Was genau fehlt Ihnen? Passt Dienstag?"),
        ("de", "Klar, verstehe. Was ist Ihnen wichtig? Sollen wir telefonieren?"),
        ("en", "I see. What is missing for you? Does Tuesday work?"),
        ("en", "Fair enough. What matters most? Shall we meet Friday?"),
    ],
)
def test_three_short_sentences_are_long_enough(
    rubrics: dict[str, Rubric], lang: str, text: str
) -> None:
    # Judged by words, not sentences: a crisp spoken answer is not "too short".
    score = score_reply(text, lang, rubrics[lang])
    assert score.criteria["length_ok"] is True
    assert TIP_TOO_SHORT not in score.tips
    assert score.total == 100


def test_empty_answer(rubrics: dict[str, Rubric]) -> None:
    score = score_reply("  …  ", "de", rubrics["de"])
    assert score.total == 0
    assert score.tips == (TIP_EMPTY,)
    assert score.criteria["words"] == 0


def test_the_playbook_practises_what_the_drill_teaches(rubrics: dict[str, Rubric]) -> None:
    books: dict[str, Playbook] = load_playbooks()
    for lang, book in books.items():
        for entry in book.entries:
            for reply in (*entry.replies, entry.ask_back):
                score = score_reply(reply, lang, rubrics[lang])
                assert score.criteria["no_arguing"], (lang, entry.id, reply)


_answers = st.one_of(
    st.text(),
    st.text(min_size=1000, max_size=6000),
    st.lists(
        st.sampled_from(["aber", "verstehe", "?", "wann", "but", "Termin", "'", "ß", "\n", "…"]),
        max_size=80,
    ).map(" ".join),
)


@settings(max_examples=200, deadline=None)
@given(text=_answers, lang=st.sampled_from(["de", "en"]))
def test_score_reply_never_raises(rubrics: dict[str, Rubric], text: str, lang: str) -> None:
    score = score_reply(text, lang, rubrics[lang])
    assert 0 <= score.total <= 100
    assert set(score.criteria) == {*WEIGHTS, "words"}
    assert all(tip.startswith(TIP_PREFIX) and tip in TIPS for tip in score.tips)
    assert len(set(score.tips)) == len(score.tips)


def test_good_answers_space_out_along_the_intervals() -> None:
    mastery, last, gaps = 0.0, DAY, []
    for _ in range(len(INTERVALS)):
        mastery, following = next_review(mastery, last, 100)
        gaps.append((following - last).days)
        last = following
    assert gaps == list(INTERVALS)


def test_a_weak_answer_comes_back_tomorrow_and_lowers_mastery() -> None:
    mastery, due = next_review(0.9, DAY, 30)
    assert due == DAY + timedelta(days=1)
    assert mastery < 0.9


def test_odd_mastery_values_are_clamped() -> None:
    assert next_review(float("nan"), DAY, 100)[0] == next_review(0.0, DAY, 100)[0]
    assert next_review(5.0, DAY, 100) == (1.0, DAY + timedelta(days=INTERVALS[-1]))
    assert next_review(-3.0, DAY, 0) == (0.0, DAY + timedelta(days=1))


@settings(max_examples=200, deadline=None)
@given(
    mastery=st.floats(allow_nan=True, allow_infinity=True),
    low=st.integers(-50, 150),
    high=st.integers(-50, 150),
)
def test_next_review_is_monotone_in_the_score(mastery: float, low: int, high: int) -> None:
    low, high = sorted((low, high))
    weak = next_review(mastery, DAY, low)
    strong = next_review(mastery, DAY, high)
    assert 0.0 <= weak[0] <= strong[0] <= 1.0
    assert DAY < weak[1] <= strong[1] <= DAY + timedelta(days=INTERVALS[-1])


WEEK = WorkCalendar(WORKWEEK)
BLOCK = Schedule(block_start=time(9, 0), block_minutes=60)


def utc(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """An instant in UTC in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due", "now", "expected", "why"),
    [
        (date(2026, 11, 24), utc(23, 9, 30), utc(24, 9, 30), "the due day, 10:30 in Berlin"),
        (date(2026, 11, 20), utc(23, 7, 0), utc(23, 9, 30), "overdue: later today"),
        (date(2026, 11, 23), utc(23, 9, 30), utc(24, 9, 30), "today's moment has passed"),
        (date(2026, 11, 28), utc(23, 9, 30), utc(30, 9, 30), "Saturday: on Monday"),
        (date(2026, 11, 27), utc(27, 16, 0), utc(30, 9, 30), "Friday evening: on Monday"),
    ],
)
def test_the_suggestion_comes_half_an_hour_after_the_calling_block(
    due: date, now: datetime, expected: datetime, why: str
) -> None:
    assert suggestion_at(due, now, BLOCK, "Europe/Berlin", WEEK) == expected, why


def test_the_suggestion_skips_holidays_and_pauses_and_follows_the_clock_change() -> None:
    calendar = WorkCalendar(
        WORKWEEK, frozenset({date(2026, 3, 30)}), (Pause(date(2026, 3, 31), date(2026, 3, 31)),)
    )
    # Summer time from 29 March: 10:30 in Berlin is 08:30 UTC.
    at = suggestion_at(date(2026, 3, 27), utc(27, 12, 0, month=3), BLOCK, "Europe/Berlin", calendar)
    assert at == utc(1, 8, 30, month=4)


def test_without_working_days_the_suggestion_still_lies_ahead() -> None:
    at = suggestion_at(
        date(2026, 11, 23), utc(23, 12, 0), BLOCK, "Europe/Berlin", WorkCalendar(frozenset())
    )
    assert at == utc(24, 9, 30)


@settings(max_examples=200, deadline=None)
@given(
    st.dates(date(2020, 1, 1), date(2035, 12, 31)),
    st.datetimes(datetime(2020, 1, 1), datetime(2035, 12, 31), timezones=st.just(UTC)),
    st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"]),
)
def test_the_suggestion_is_always_ahead_on_a_working_day(due: date, now: datetime, tz: str) -> None:
    at = suggestion_at(due, now, BLOCK, tz, WEEK)
    assert at > now
    assert WEEK.is_working_day(at.astimezone(ZoneInfo(tz)).date())
