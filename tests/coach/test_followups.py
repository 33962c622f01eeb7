"""Follow-up cadence with `now` passed in: retries over working days, the suggestion after five
unanswered attempts, agreed dates, after-sales care, stats, and the date parser."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.calendar import Pause, WorkCalendar, public_holidays
from bot.coach.followups import (
    AFTERSALES,
    CHANNEL_CHOICES,
    CHANNELS,
    MAX_AHEAD,
    RETRY_GAPS,
    ContactRecord,
    ParsedDate,
    Planned,
    Proposal,
    add_months,
    add_working_days,
    closed_by_touch,
    followup_stats,
    on_working_day,
    parse_followup_date,
    propose,
    quick_date,
    reminder_at,
    shifted,
    snooze_day,
    status_after,
    unanswered,
)

BERLIN = "Europe/Berlin"
# Monday 23 November 2026, 10:30 in Berlin.
MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def calendar(*years: int, region: str = "DE-BE", pauses: tuple[Pause, ...] = ()) -> WorkCalendar:
    """Monday to Friday with the region's public holidays."""
    return WorkCalendar(frozenset(range(5)), public_holidays(region, years or (2026, 2027)), pauses)


CAL = calendar()


def at(day: date, hour: int = 9) -> datetime:
    """An instant on a day (UTC)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


# --- Working days ------------------------------------------------------------------------------


def test_add_working_days_skips_weekends_and_holidays() -> None:
    assert add_working_days(CAL, date(2026, 11, 27), 1) == date(2026, 11, 30)  # Fri → Mon
    # Maundy Thursday 2027: Good Friday and Easter Monday are holidays.
    assert add_working_days(CAL, date(2027, 3, 25), 1) == date(2027, 3, 30)
    assert add_working_days(CAL, date(2026, 12, 23), 2) == date(2026, 12, 28)
    assert add_working_days(CAL, date(2026, 11, 23), 0) == date(2026, 11, 23)


def test_add_working_days_without_working_days_counts_calendar_days() -> None:
    empty = WorkCalendar(frozenset())
    assert add_working_days(empty, date(2026, 11, 23), 3) == date(2026, 11, 26)
    assert on_working_day(empty, date(2026, 11, 28)) == date(2026, 11, 28)


def test_on_working_day_respects_pauses() -> None:
    paused = calendar(pauses=(Pause(date(2026, 11, 30), date(2026, 12, 4)),))
    assert on_working_day(paused, date(2026, 11, 28)) == date(2026, 12, 7)
    assert on_working_day(paused, date(2026, 11, 27)) == date(2026, 11, 27)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2027, 1, 31), 3, date(2027, 4, 30)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2026, 11, 23), 12, date(2027, 11, 23)),
        (date(9999, 12, 1), 1, date.max),
    ],
)
def test_add_months_clamps_to_the_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


# --- Not reached -------------------------------------------------------------------------------


def test_unanswered_counts_the_tries_in_a_row_at_the_end() -> None:
    assert unanswered([]) == 0
    assert unanswered(["not_reached", "talked", "not_reached", "not_reached"]) == 2
    assert unanswered(["not_reached", "talked"]) == 0


def test_retries_spread_over_working_days_then_a_clear_suggestion() -> None:
    """+1, +2, +3, +5 working days after the 1st to 4th try; after the 5th: another channel."""
    history: list[str] = []
    dues = []
    for attempt in range(1, 6):
        (proposal,) = propose("not_reached", history, now=MONDAY, tz=BERLIN, calendar=CAL, seed=3)
        assert proposal.attempts == attempt
        dues.append(proposal.due)
        history.append("not_reached")
        if attempt < 5:
            assert proposal.reason == "retry"
            assert proposal.due == add_working_days(
                CAL, date(2026, 11, 23), RETRY_GAPS[attempt - 1]
            )
        else:
            assert proposal.reason == "rethink"
            assert proposal.channel in ("letter", "mail"), "not one more call"
    assert dues == [
        date(2026, 11, 24),
        date(2026, 11, 25),
        date(2026, 11, 26),
        date(2026, 11, 30),
        date(2026, 12, 7),  # ten working days
    ]
    # Still unanswered after the suggestion: it keeps counting.
    (later,) = propose("not_reached", ["not_reached"] * 7, now=MONDAY, tz=BERLIN, calendar=CAL)
    assert (later.reason, later.attempts) == ("rethink", 8)


def test_a_conversation_resets_the_count() -> None:
    history = ["not_reached"] * 4 + ["talked"]
    (proposal,) = propose("not_reached", history, now=MONDAY, tz=BERLIN, calendar=CAL)
    assert (proposal.reason, proposal.attempts, proposal.due) == ("retry", 1, date(2026, 11, 24))


def test_retry_over_easter() -> None:
    thursday = at(date(2027, 3, 25))
    cal = calendar(2027)
    (proposal,) = propose("not_reached", [], now=thursday, tz=BERLIN, calendar=cal)
    assert proposal.due == date(2027, 3, 30), "Good Friday and Easter Monday are skipped"
    (second,) = propose("not_reached", ["not_reached"], now=thursday, tz=BERLIN, calendar=cal)
    assert second.due == date(2027, 3, 31)


def test_the_reps_timezone_decides_which_day_today_is() -> None:
    late_monday = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    (berlin,) = propose("not_reached", [], now=late_monday, tz=BERLIN, calendar=CAL)
    (tokyo,) = propose("not_reached", [], now=late_monday, tz="Asia/Tokyo", calendar=CAL)
    (new_york,) = propose(
        "not_reached", [], now=datetime(2026, 11, 24, 3, 0, tzinfo=UTC), tz="America/New_York",
        calendar=CAL,
    )  # fmt: skip
    assert berlin.due == date(2026, 11, 25), "already Tuesday 00:30 in Berlin"
    assert tokyo.due == date(2026, 11, 25), "Tuesday 08:30 in Tokyo"
    assert new_york.due == date(2026, 11, 24), "still Monday 22:00 in New York"


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        propose("not_reached", [], now=datetime(2026, 11, 23, 9), tz=BERLIN, calendar=CAL)


# --- Other outcomes ----------------------------------------------------------------------------


def test_the_agreed_date_lands_on_a_working_day() -> None:
    (friday,) = propose("later", [], now=MONDAY, tz=BERLIN, calendar=CAL, agreed=date(2026, 12, 4))
    assert (friday.reason, friday.due, friday.moved) == ("agreed", date(2026, 12, 4), False)
    (christmas,) = propose(
        "later", [], now=MONDAY, tz=BERLIN, calendar=CAL, agreed=date(2026, 12, 25)
    )
    assert (christmas.due, christmas.moved) == (date(2026, 12, 28), True)


def test_an_agreed_date_in_the_past_becomes_today() -> None:
    (proposal,) = propose(
        "later", [], now=MONDAY, tz=BERLIN, calendar=CAL, agreed=date(2026, 11, 1)
    )
    assert proposal.due == date(2026, 11, 23)
    with pytest.raises(ValueError, match="agreed"):
        propose("later", [], now=MONDAY, tz=BERLIN, calendar=CAL)


def test_in_three_months_on_the_31st() -> None:
    """Typed on 31 January: 30 April; on 31 December "in 2 Monaten" is a Sunday: Monday."""
    today = date(2027, 1, 31)
    parsed = parse_followup_date("in 3 Monaten", today, "de")
    assert parsed == ParsedDate(date(2027, 4, 30))
    assert parsed.day is not None
    (proposal,) = propose(
        "later", [], now=at(today), tz=BERLIN, calendar=calendar(2027), agreed=parsed.day
    )
    assert proposal.due == date(2027, 4, 30)
    new_year = date(2026, 12, 31)
    two = parse_followup_date("in 2 Monaten", new_year, "de").day
    assert two == date(2027, 2, 28)
    (moved,) = propose("later", [], now=at(new_year), tz=BERLIN, calendar=CAL, agreed=two)
    assert (moved.due, moved.moved) == (date(2027, 3, 1), True)


def test_won_brings_three_after_sales_touches() -> None:
    proposals = propose("won", ["not_reached", "talked"], now=MONDAY, tz=BERLIN, calendar=CAL)
    assert [p.reason for p in proposals] == list(AFTERSALES)
    assert [p.due for p in proposals] == [
        date(2026, 11, 30),  # a week
        date(2026, 12, 23),  # a month
        date(2027, 2, 23),  # three months
    ]
    assert len({p.channel for p in proposals}) > 1, "the channel ideas vary"


def test_won_on_the_31st_of_january() -> None:
    proposals = propose("won", [], now=at(date(2027, 1, 29)), tz=BERLIN, calendar=calendar(2027))
    # 29 Jan + 1 month is 28 Feb (a Sunday): Monday 1 March; + 3 months: Thursday 29 April.
    assert [p.due for p in proposals] == [date(2027, 2, 5), date(2027, 3, 1), date(2027, 4, 29)]
    assert [p.moved for p in proposals] == [False, True, False]


def test_lost_talked_and_appointment() -> None:
    (lost,) = propose("lost", [], now=MONDAY, tz=BERLIN, calendar=CAL)
    assert (lost.reason, lost.due) == ("stay_in_touch", date(2027, 2, 23))
    (talked,) = propose("talked", [], now=MONDAY, tz=BERLIN, calendar=CAL)
    assert (talked.reason, talked.due) == ("after_talk", date(2026, 11, 30))
    (meeting,) = propose("appointment", [], now=MONDAY, tz=BERLIN, calendar=CAL)
    assert (meeting.reason, meeting.due) == ("appointment", date(2026, 11, 24))


def test_talking_to_a_customer_whose_care_is_planned_needs_no_new_touch() -> None:
    planned = ["aftersales_1m", "aftersales_3m"]
    assert propose("talked", [], now=MONDAY, tz=BERLIN, calendar=CAL, planned=planned) == ()
    (retry,) = propose("not_reached", [], now=MONDAY, tz=BERLIN, calendar=CAL, planned=planned)
    assert retry.reason == "retry"


def test_channel_ideas_vary_with_contact_and_history() -> None:
    seen = {
        (p.channel, p.variant)
        for seed in range(4)
        for step in range(4)
        for p in propose(
            "talked", ["talked"] * step, now=MONDAY, tz=BERLIN, calendar=CAL, seed=seed
        )
    }
    assert len(seen) >= 4
    for reason, choices in CHANNEL_CHOICES.items():
        assert choices, reason
        assert set(choices) <= set(CHANNELS)


def test_closed_by_touch() -> None:
    today = date(2026, 11, 23)
    planned = [
        Planned(1, "retry", date(2026, 11, 24)),
        Planned(2, "aftersales_1w", date(2026, 11, 20)),
        Planned(3, "aftersales_1m", date(2026, 12, 20)),
    ]
    assert closed_by_touch(planned, "not_reached", today) == [1, 2]
    assert closed_by_touch(planned, "talked", today) == [1, 2]
    assert closed_by_touch(planned, "won", today) == [1, 2, 3]
    assert closed_by_touch(planned, "lost", today) == [1, 2, 3]


@pytest.mark.parametrize(
    ("outcome", "before", "after"),
    [
        ("not_reached", "new", "trying"),
        ("not_reached", "talking", "talking"),
        ("not_reached", "won", "won"),
        ("not_reached", "bogus", "new"),
        ("talked", "trying", "talking"),
        ("later", "lost", "talking"),
        ("appointment", "won", "won"),
        ("won", "trying", "won"),
        ("lost", "won", "lost"),
    ],
)
def test_status_after(outcome: str, before: str, after: str) -> None:
    assert status_after(outcome, before) == after  # type: ignore[arg-type]


def test_snooze_quick_picks_and_shift() -> None:
    friday = at(date(2026, 11, 27))
    assert snooze_day(friday, BERLIN, CAL) == date(2026, 11, 30)
    assert quick_date("1d", friday, BERLIN, CAL) == date(2026, 11, 30)
    assert quick_date("1w", friday, BERLIN, CAL) == date(2026, 12, 4)
    assert quick_date("2w", friday, BERLIN, CAL) == date(2026, 12, 11)
    assert quick_date("1m", friday, BERLIN, CAL) == date(2026, 12, 28), "27.12. is a Sunday"
    assert quick_date("3m", friday, BERLIN, CAL) == date(2027, 3, 1)
    assert quick_date("6m", friday, BERLIN, CAL) == date(2027, 5, 27)
    assert quick_date("1y", friday, BERLIN, CAL) is None
    # Moving the first of three after-sales touches by 45 days moves the others along.
    assert shifted(date(2026, 12, 24), date(2026, 12, 1), date(2027, 1, 15), CAL) == date(
        2027, 2, 8
    )


def test_reminder_at_the_calling_block_or_soon_when_it_passed() -> None:
    nine = time(9, 0)
    assert reminder_at(date(2026, 11, 24), nine, MONDAY, BERLIN) == datetime(
        2026, 11, 24, 8, 0, tzinfo=UTC
    )
    assert reminder_at(date(2026, 11, 23), nine, MONDAY, BERLIN) == MONDAY + timedelta(hours=1)
    summer = reminder_at(date(2027, 6, 1), nine, MONDAY, BERLIN)
    assert summer == datetime(2027, 6, 1, 7, 0, tzinfo=UTC), "09:00 summer time"


# --- Stats -------------------------------------------------------------------------------------


def test_followup_stats() -> None:
    records = [
        ContactRecord(("not_reached", "not_reached", "talked")),
        ContactRecord(("talked",), planned=True),
        ContactRecord(("not_reached", "won", "talked"), prospect=True, open_aftersales=2),
        # Given up: nothing planned and never reached.
        ContactRecord(("not_reached",)),
        ContactRecord(("not_reached", "not_reached"), archived=True, planned=True),
        ContactRecord(("not_reached",) * 5),
        # Still being tried: not given up.
        ContactRecord(("not_reached",), planned=True),
        # A customer from the start is no prospect, but their care counts.
        ContactRecord(("talked",), prospect=False, open_aftersales=1),
        ContactRecord((), planned=True),
    ]
    stats = followup_stats(records)
    assert (stats.reached, stats.attempts_total) == (3, 3 + 1 + 2)
    assert stats.attempts_average == 2.0
    assert (stats.given_up, stats.dropped_early, stats.dropped_share) == (3, 2, 67)
    assert stats.open_aftersales == 3
    assert not stats.empty
    nothing = followup_stats([])
    assert nothing.empty
    assert nothing.attempts_average is None
    assert nothing.dropped_share is None


# --- Typed dates -------------------------------------------------------------------------------

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("in 3 Monaten", "de", date(2027, 2, 23)),
        ("3 months", "en", date(2027, 2, 23)),
        ("März", "de", date(2027, 3, 1)),
        ("im März", "de", date(2027, 3, 1)),
        ("Anfang März", "de", date(2027, 3, 1)),
        ("Mitte März", "de", date(2027, 3, 15)),
        ("Ende März", "de", date(2027, 3, 31)),
        ("end of March", "en", date(2027, 3, 31)),
        ("November", "de", date(2027, 11, 1)),
        ("Ende November", "de", date(2026, 11, 30)),
        ("Dezember 2027", "de", date(2027, 12, 1)),
        ("next week", "en", date(2026, 11, 30)),
        ("nächste Woche", "de", date(2026, 11, 30)),
        ("übernächste Woche", "de", date(2026, 12, 7)),
        ("week after next", "en", date(2026, 12, 7)),
        ("nächsten Monat", "de", date(2026, 12, 1)),
        ("next year", "en", date(2027, 1, 1)),
        ("Ende des Monats", "de", date(2026, 11, 30)),
        ("15.01.", "de", date(2027, 1, 15)),
        ("15.1.", "de", date(2027, 1, 15)),
        ("15.01.2027", "de", date(2027, 1, 15)),
        ("15.1.27", "de", date(2027, 1, 15)),
        ("2027-01-15", "de", date(2027, 1, 15)),
        ("1/15", "en", date(2027, 1, 15)),
        ("15/1", "de", date(2027, 1, 15)),
        ("15. Januar", "de", date(2027, 1, 15)),
        ("Jan 15th", "en", date(2027, 1, 15)),
        ("am 24.11.", "de", date(2026, 11, 24)),
        ("heute", "de", TODAY),
        ("morgen", "de", date(2026, 11, 24)),
        ("übermorgen", "de", date(2026, 11, 25)),
        ("day after tomorrow", "en", date(2026, 11, 25)),
        ("Freitag", "de", date(2026, 11, 27)),
        ("am Montag", "de", date(2026, 11, 30)),
        ("next Friday", "en", date(2026, 11, 27)),
        ("in 2 Wochen", "de", date(2026, 12, 7)),
        ("zwei Wochen", "de", date(2026, 12, 7)),
        ("in einer Woche", "de", date(2026, 11, 30)),
        ("a month", "en", date(2026, 12, 23)),
        ("ein halbes Jahr", "de", date(2027, 5, 23)),
        ("half a year", "en", date(2027, 5, 23)),
        ("in einem Jahr", "de", date(2027, 11, 23)),
        ("29.02.", "de", date(2028, 2, 29)),
        ("bitte wieder anrufen im März!", "de", date(2027, 3, 1)),
    ],
)
def test_parse_followup_date(text: str, lang: str, expected: date) -> None:
    assert parse_followup_date(text, TODAY, lang) == ParsedDate(expected)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("31.02.", "no_such_date"),
        ("30.02.2027", "no_such_date"),
        ("31.04.", "no_such_date"),
        ("32.01.", "no_such_date"),
        ("15.13.", "no_such_date"),
        ("0.5.", "no_such_date"),
        ("31. Februar", "no_such_date"),
        ("13/13", "no_such_date"),
        ("15.01.2026", "in_past"),
        ("2026-11-22", "in_past"),
        ("in 5 Jahren", "too_far"),
        ("01.01.2030", "too_far"),
        ("in 9999 Wochen", "too_far"),
        ("irgendwann", "not_understood"),
        ("bald", "not_understood"),
        ("", "not_understood"),
        ("   ", "not_understood"),
        ("x" * 81, "not_understood"),
        ("15.01. 😀", "not_understood"),
    ],
)
def test_parse_followup_date_says_what_is_wrong(text: str, problem: str) -> None:
    assert parse_followup_date(text, TODAY, "de") == ParsedDate(problem=problem)  # type: ignore[arg-type]


_VOCAB = [
    "15", "12", "2027", "27", "1", "31", "29", "02", "0", "9999", ".", "/", "-", ",", "in", "am",
    "next", "nächste", "Montag", "fri", "Dez", "December", "März", "Ende", "Mitte", "Wochen",
    "week", "Monaten", "Jahr", "halbes", "einen", "morgen", "heute", "th", "of", "the",
]  # fmt: skip
_texts = st.one_of(
    st.text(max_size=4096),
    st.lists(st.sampled_from(_VOCAB), max_size=6).map(" ".join),
)
_days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@settings(max_examples=400)
@given(text=_texts, today=_days, lang=st.sampled_from(["de", "en", "fr"]))
def test_parse_followup_date_never_raises_and_stays_in_range(
    text: str, today: date, lang: str
) -> None:
    found = parse_followup_date(text, today, lang)
    assert (found.day is None) != (found.problem is None)
    if found.day is not None:
        assert today <= found.day
        assert (found.day - today) <= MAX_AHEAD


@settings(max_examples=200)
@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    ahead=st.integers(0, 700),
)
def test_written_dates_round_trip(today: date, ahead: int) -> None:
    day = today + timedelta(days=ahead)
    for text in (day.isoformat(), f"{day.day:02d}.{day.month:02d}.{day.year}"):
        assert parse_followup_date(text, today, "de") == ParsedDate(day), text
    assert parse_followup_date(f"in {ahead} Tagen", today, "de") == ParsedDate(day)


@settings(max_examples=200)
@given(
    outcome=st.sampled_from(["not_reached", "talked", "appointment", "won", "lost", "later"]),
    history=st.lists(st.sampled_from(["not_reached", "talked", "won"]), max_size=12),
    now=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
    ),
    seed=st.integers(0, 10**9),
    ahead=st.integers(-30, 700),
)
def test_proposals_are_on_working_days_from_today_on(
    outcome: str, history: list[str], now: datetime, seed: int, ahead: int
) -> None:
    cal = WorkCalendar(frozenset(range(5)))
    today = now.astimezone(UTC).date()
    proposals = propose(
        outcome,  # type: ignore[arg-type]
        history,
        now=now,
        tz="UTC",
        calendar=cal,
        seed=seed,
        agreed=today + timedelta(days=ahead),
    )
    assert proposals
    for proposal in proposals:
        assert isinstance(proposal, Proposal)
        assert proposal.due >= today
        assert cal.is_working_day(proposal.due)
        assert proposal.channel in CHANNEL_CHOICES[proposal.reason]
