"""The prospecting self-check: answers, diagnosis, suggested targets and retakes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.audit import (
    MAX_FINDINGS,
    QUESTION_BY_ID,
    QUESTIONS,
    Basis,
    Diagnosis,
    compare,
    diagnose,
    parse_answer,
    resolved,
)
from bot.coach.targets import MAX_DIALS_PER_DAY, DailyTargets, Rates, Target

_VOCAB = [
    "20", "0", "3+", "120+", "10-15", "1,5", "Std", "min", "keine", "ja", "nein", "ungefähr",
    "die meisten", "some", "none", "%", "LinkedIn", ",", "und", "Empfehlungen", "pro", "Tag",
    "Anrufe", "ca.", "-", "+", "zwanzig", "½", "bis", "h", "Stunden",
]  # fmt: skip
_vocab_text = st.lists(st.sampled_from(_VOCAB), max_size=8).map(" ".join)
_any_text = st.one_of(st.text(), st.text(min_size=200, max_size=3000), _vocab_text)

BEGINNER: dict[str, str | int] = {
    "dials_per_day": 5,
    "blocked_minutes": 0,
    "lead_sources": "1",
    "attempts_before_giving_up": 1,
    "new_people_per_day": 0,
    "never_buyer_calls": "most",
    "daily_goal_known": "no",
}
SOLID: dict[str, str | int] = {
    "dials_per_day": 60,
    "blocked_minutes": 180,
    "lead_sources": "3+",
    "attempts_before_giving_up": 6,
    "new_people_per_day": 20,
    "never_buyer_calls": "some",
    "daily_goal_known": "yes",
}
SLOW: dict[str, str | int] = {
    "dials_per_day": 20,
    "blocked_minutes": 120,
    "lead_sources": "2",
    "attempts_before_giving_up": 4,
    "new_people_per_day": 8,
    "never_buyer_calls": "some",
    "daily_goal_known": "roughly",
}


def _keys(diagnosis: Diagnosis) -> list[str]:
    return [finding.key.removeprefix("audit.finding.") for finding in diagnosis.findings]


def test_questions() -> None:
    assert [q.id for q in QUESTIONS] == [
        "dials_per_day",
        "blocked_minutes",
        "lead_sources",
        "attempts_before_giving_up",
        "new_people_per_day",
        "never_buyer_calls",
        "daily_goal_known",
    ]
    for question in QUESTIONS:
        # Every button value is an answer to its own question.
        for choice in question.choices:
            assert parse_answer(question, choice) is not None, (question.id, choice)


@pytest.mark.parametrize(
    ("qid", "text", "expected"),
    [
        ("dials_per_day", "20", 20),
        ("dials_per_day", "ca. 20 Anrufe pro Tag", 20),
        ("dials_per_day", "80+", 80),
        ("dials_per_day", "10-15", 12),
        ("dials_per_day", "10 bis 15", 12),
        ("dials_per_day", "zwanzig", 20),
        ("dials_per_day", "keine", 0),
        ("dials_per_day", "about 30 calls a day", 30),
        ("blocked_minutes", "0", 0),
        ("blocked_minutes", "keine", 0),
        ("blocked_minutes", "gar nicht", 0),
        ("blocked_minutes", "60", 60),
        ("blocked_minutes", "120+", 120),
        ("blocked_minutes", "1 Stunde", 60),
        ("blocked_minutes", "1,5 Std", 90),
        ("blocked_minutes", "90 min", 90),
        ("blocked_minutes", "2h", 120),
        ("blocked_minutes", "anderthalb Stunden", 90),
        ("blocked_minutes", "1-2 Stunden", 90),
        ("blocked_minutes", "30-60 min", 45),
        ("blocked_minutes", "2 hours a day", 120),
        ("lead_sources", "0", "0"),
        ("lead_sources", "3+", "3+"),
        ("lead_sources", "1", "1"),
        ("lead_sources", "nur eine", "1"),
        ("lead_sources", "drei", "3+"),
        ("lead_sources", "5", "3+"),
        ("lead_sources", "keine", "0"),
        ("lead_sources", "LinkedIn und Empfehlungen", "2"),
        ("lead_sources", "LinkedIn, Messen, Empfehlungen", "3+"),
        ("attempts_before_giving_up", "2", 2),
        ("attempts_before_giving_up", "3 Versuche", 3),
        ("attempts_before_giving_up", "nach 2 Versuchen", 2),
        ("attempts_before_giving_up", "8+", 8),
        ("new_people_per_day", "5 neue Leute", 5),
        ("new_people_per_day", "10 pro Tag", 10),
        ("never_buyer_calls", "none", "none"),
        ("never_buyer_calls", "keine", "none"),
        ("never_buyer_calls", "ein paar", "some"),
        ("never_buyer_calls", "die meisten", "most"),
        ("never_buyer_calls", "Most", "most"),
        ("never_buyer_calls", "10%", "some"),
        ("never_buyer_calls", "60 %", "most"),
        ("never_buyer_calls", "0 %", "none"),
        ("daily_goal_known", "ja", "yes"),
        ("daily_goal_known", "Ja!", "yes"),
        ("daily_goal_known", "yes", "yes"),
        ("daily_goal_known", "ungefähr", "roughly"),
        ("daily_goal_known", "grob", "roughly"),
        ("daily_goal_known", "kind of", "roughly"),
        ("daily_goal_known", "nein", "no"),
        ("daily_goal_known", "keine Ahnung", "no"),
    ],
)
def test_parse_answer(qid: str, text: str, expected: str | int) -> None:
    assert parse_answer(QUESTION_BY_ID[qid], text) == expected


@pytest.mark.parametrize(
    ("qid", "text"),
    [
        ("dials_per_day", "abc"),
        ("dials_per_day", "1001"),
        ("dials_per_day", "15-10"),
        ("dials_per_day", ""),
        ("blocked_minutes", "2"),  # minutes were asked; "2" is more likely hours: ask again
        ("blocked_minutes", "12 Stunden"),
        ("blocked_minutes", "viel"),
        ("lead_sources", "LinkedIn"),
        ("attempts_before_giving_up", "101"),
        ("never_buyer_calls", "vielleicht"),
        ("never_buyer_calls", "150 %"),
        ("daily_goal_known", "vielleicht"),
        ("daily_goal_known", "x" * 300),
    ],
)
def test_parse_answer_refuses(qid: str, text: str) -> None:
    assert parse_answer(QUESTION_BY_ID[qid], text) is None


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(QUESTIONS), _any_text)
def test_parse_answer_never_raises(question: Any, text: str) -> None:
    answer = parse_answer(question, text)
    if question.kind == "number":
        assert answer is None or (isinstance(answer, int) and 0 <= answer <= question.max)
    else:
        assert answer is None or answer in question.choices


def test_beginner() -> None:
    diagnosis = diagnose(BEGINNER)
    assert _keys(diagnosis) == [
        "no_blocked_time",
        "gives_up_early",
        "no_daily_goal",
        "no_new_people",
    ]
    assert all(finding.severity == 3 for finding in diagnosis.findings)
    assert diagnosis.findings[1].values == {"attempts": 1, "suggested": 5}
    # From 5 dials at most half again; conversations and appointments follow from the 8 dials
    # with the default rates: 1.6 and 0.4 a day, so 8 and 2 a week (not 2 and 1 a day).
    assert diagnosis.suggested == DailyTargets(dials=8, conversations=0, appointments=0, contacts=2)
    assert diagnosis.targets == (
        Target("dials", 8, "day"),
        Target("conversations", 8, "week"),
        Target("appointments", 2, "week"),
        Target("contacts", 2, "day"),
    )
    assert diagnosis.basis == Basis()
    assert diagnosis.score < 20


def test_solid_rep() -> None:
    diagnosis = diagnose(SOLID)
    assert _keys(diagnosis) == ["all_good"]
    assert diagnosis.suggested.dials == 60  # never lowered
    assert diagnosis.score > 90


def test_slow_pace_for_the_blocked_time() -> None:
    diagnosis = diagnose(SLOW)
    assert _keys(diagnosis) == ["slow_pace", "rough_daily_goal"]
    assert diagnosis.findings[0].values == {
        "dials": 20,
        "minutes": 120,
        "expected": 30,
        "pace_low": 15,
        "pace_high": 20,
    }
    assert diagnosis.suggested == DailyTargets(
        dials=30, conversations=6, appointments=0, contacts=12
    )
    assert diagnosis.targets[2] == Target("appointments", 8, "week")  # 1.5 a day


def test_few_attempts_short_time_one_source() -> None:
    answers: dict[str, str | int] = {
        "dials_per_day": 30,
        "blocked_minutes": 30,
        "lead_sources": "1",
        "attempts_before_giving_up": 3,
        "new_people_per_day": 3,
        "never_buyer_calls": "most",
        "daily_goal_known": "yes",
    }
    diagnosis = diagnose(answers)
    assert len(diagnosis.findings) == MAX_FINDINGS
    assert _keys(diagnosis) == [
        "little_blocked_time",
        "few_new_people",
        "single_lead_source",
        "mostly_never_buyers",
    ]
    assert [f.severity for f in diagnosis.findings] == sorted(
        (f.severity for f in diagnosis.findings), reverse=True
    )


def test_no_dials_and_too_many_attempts() -> None:
    answers: dict[str, str | int] = {
        **SOLID,
        "dials_per_day": 0,
        "attempts_before_giving_up": 20,
    }
    diagnosis = diagnose(answers)
    assert _keys(diagnosis) == ["no_dials", "too_many_attempts"]
    assert diagnosis.suggested.dials == 15  # a rep starting from nothing starts small


def test_current_targets_are_the_base() -> None:
    current = DailyTargets(dials=40, conversations=8, appointments=2, contacts=10)
    diagnosis = diagnose({**SLOW, "blocked_minutes": 240}, current)
    # 4 h at 15 an hour would be 60; from 40, at most +50 %.
    assert diagnosis.suggested.dials == 60
    high = DailyTargets(dials=500, conversations=0, appointments=0, contacts=0)
    assert diagnose(SLOW, high).suggested.dials == MAX_DIALS_PER_DAY


def test_partial_and_odd_answers() -> None:
    empty = diagnose({})
    assert empty.findings == ()
    assert empty.score == 0
    assert empty.suggested.dials == 15
    odd = diagnose(
        {
            "dials_per_day": "25",
            "blocked_minutes": -5,
            "lead_sources": 1,
            "attempts_before_giving_up": "viele",
            "never_buyer_calls": "maybe",
            "daily_goal_known": True,
            "unknown_question": "x",
        }
    )
    assert _keys(odd) == ["single_lead_source"]


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([q.id for q in QUESTIONS] + ["other"]),
        st.one_of(
            st.integers(-(10**6), 10**6), st.text(max_size=20), st.sampled_from(["3+", "most"])
        ),
    ),
    st.one_of(
        st.none(),
        st.builds(DailyTargets, *[st.integers(0, 10**4)] * 4),
    ),
)
def test_diagnose_never_raises(answers: dict[str, str | int], current: DailyTargets | None) -> None:
    diagnosis = diagnose(answers, current)
    assert 0 <= diagnosis.score <= 100
    assert len(diagnosis.findings) <= MAX_FINDINGS
    assert all(f.key.startswith("audit.finding.") for f in diagnosis.findings)
    suggested = diagnosis.suggested
    assert 0 < suggested.dials <= max(MAX_DIALS_PER_DAY, current.dials if current else 0)
    assert 0 <= suggested.contacts <= suggested.dials


def test_retake_shows_the_change() -> None:
    before, after = diagnose(BEGINNER), diagnose(SLOW)
    change = compare(before, after)
    assert change == {
        "score": after.score - before.score,
        "findings": -2,
        "dials": 22,
        "conversations": 6,
        "appointments": 0,
        "contacts": 10,
    }
    assert change["score"] > 0
    assert resolved(before, after) == (
        "audit.finding.no_blocked_time",
        "audit.finding.gives_up_early",
        "audit.finding.no_daily_goal",
        "audit.finding.no_new_people",
    )
    assert compare(after, after) == dict.fromkeys(change, 0)


def _days(
    n: int, dials: int, conversations: int = 0, appointments: int = 0, contacts: int = 0
) -> list[dict[str, int]]:
    day = {
        "dials": dials,
        "conversations": conversations,
        "appointments": appointments,
        "contacts": contacts,
    }
    return [day] * n


def test_logged_days_beat_what_the_rep_says() -> None:
    # The rep says 20 a day, the last eight logged working days average 10: the next step
    # is 15 from 10, not 30 from 20.
    diagnosis = diagnose(SLOW, recent=_days(8, 10, contacts=3))
    assert diagnosis.suggested.dials == 15
    assert diagnosis.basis == Basis(history_days=8, average_dials=10)
    # New contacts too: from the 3 logged (not the 8 said) half again, towards 40 % of 15.
    assert diagnosis.suggested.contacts == 5
    # Two logged days are not enough to go on: the answer counts, as before.
    assert diagnose(SLOW, recent=_days(2, 10)).suggested.dials == 30


def test_current_funnel_targets_and_rates_shape_the_suggestion() -> None:
    goal = Rates(0.1, 0.5, 0.25, 0.5)
    current = DailyTargets(dials=40, conversations=4, appointments=2, contacts=20)
    # The goal needs 40 a day; the logged 12 a day go up to 18 first, and the goal is named.
    diagnosis = diagnose(SLOW, current, recent=_days(5, 12), goal_rates=goal)
    assert diagnosis.suggested.dials == 18
    assert diagnosis.basis.goal_dials == 40
    assert diagnosis.basis.rates == "goal"
    # 18 dials at the goal's 10 % give 1.8 conversations and 0.9 appointments a day.
    assert diagnosis.targets[1] == Target("conversations", 2, "day")
    assert diagnosis.targets[2] == Target("appointments", 1, "day")
    # A rep already on the goal's pace gets at least the goal's dials, not the blocked time's.
    on_pace = diagnose({**SLOW, "blocked_minutes": 60}, current, recent=_days(5, 40))
    assert on_pace.suggested.dials == 40
    assert on_pace.basis.goal_dials == 0


def test_the_reps_own_rates_from_enough_logged_calls() -> None:
    # 10 days of 20 dials, 6 conversations, 3 appointments: 30 % and 50 %.
    diagnosis = diagnose(SLOW, recent=_days(10, 20, 6, 3))
    assert diagnosis.basis.rates == "history"
    assert diagnosis.suggested.dials == 30
    assert diagnosis.targets[1] == Target("conversations", 9, "day")
    assert diagnosis.targets[2] == Target("appointments", 5, "day")  # 4.5, halves up
    # Too few calls logged: the assumed rates stay.
    assert diagnose(SLOW, recent=_days(3, 20, 6, 3)).basis.rates == "default"


def test_history_with_zero_rates_and_huge_numbers() -> None:
    none_through = diagnose(SLOW, recent=_days(10, 50))  # 500 dials, not one conversation
    assert none_through.basis.rates == "default"
    assert none_through.suggested.dials == 50, "never below what the rep does"
    huge = diagnose(SLOW, recent=_days(5, 10**6, 10**6, 10**6, 10**6))
    assert huge.suggested.dials == MAX_DIALS_PER_DAY
    assert huge.suggested.contacts <= huge.suggested.dials
