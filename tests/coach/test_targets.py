"""The goal funnel worked backwards, and the rates, amounts, periods and counts reps type."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.targets import (
    MAX_DIALS_PER_DAY,
    MAX_ROUNDING,
    DailyTargets,
    Funnel,
    FunnelProblem,
    Goal,
    Period,
    Rates,
    Target,
    amount_problem,
    compute_funnel,
    default_vacation_days,
    format_funnel,
    parse_amount,
    parse_count,
    parse_period,
    parse_rate,
    parse_vacation_days,
    period_end,
    rate_problem,
    round_half_up,
    shown_target,
    working_days_in_period,
)

_VOCAB = [
    "1", "10", "25", "0", "120", "000", "1,5", "0,1", "120.000", "120,000", "%", "Prozent", "von",
    "aus", "in", "of", "/", ":", "k", "Mio", "Tsd", "€", "EUR", "$", "-", "+", ",", ".", "'", " ",
    "Jahr", "Quartal", "Monat", "Q", "year", "month", "jeder", "fünfte", "zehn", "one", "ten",
    "ca.", "~", "Millionen", "m", "bn", "12", "Monate", "halb", "1e9", "nan", "inf", "½", "٣",
]  # fmt: skip
_vocab_text = st.lists(st.sampled_from(_VOCAB), max_size=8).map(" ".join)
_glued_text = st.lists(st.sampled_from(_VOCAB), max_size=8).map("".join)
_any_text = st.one_of(st.text(), st.text(min_size=200, max_size=3000), _vocab_text, _glued_text)


def _goal(
    revenue: float = 240_000,
    deal: float = 10_000,
    rates: Rates | None = None,
    days: int = 220,
    period: Period = "year",
) -> Goal:
    return Goal(period, revenue, deal, rates or Rates(), days)


# --- Funnel ---------------------------------------------------------------------------------


def test_worked_example_from_a_yearly_goal() -> None:
    # 1920 dials over 220 days: 9 a day give 1.8 conversations and 0.45 appointments a day,
    # so the appointments are shown per week (2.25 → 2), not as 1 a day that needs 20 dials.
    funnel = compute_funnel(_goal())
    assert funnel == Funnel(
        deals=24,
        appointments=96,
        conversations=384,
        dials=1920,
        per_day=DailyTargets(dials=9, conversations=2, appointments=0, contacts=4),
        targets=(
            Target("dials", 9, "day"),
            Target("conversations", 2, "day"),
            Target("appointments", 2, "week"),
            Target("contacts", 4, "day"),
        ),
        days=220,
    )


def test_the_issue_example_no_longer_contradicts_itself() -> None:
    # 1920 dials over 250 days is 7.68 a day → 8; 8 dials give 1.6 conversations and 0.4
    # appointments a day. Rounding each up gave 2 conversations and 1 appointment a day, which
    # need 10 and 20 dials: 2.5 times the dial target.
    funnel = compute_funnel(_goal(days=250))
    assert isinstance(funnel, Funnel)
    assert funnel.targets == (
        Target("dials", 8, "day"),
        Target("conversations", 8, "week"),
        Target("appointments", 2, "week"),
        Target("contacts", 3, "day"),
    )
    assert funnel.per_day == DailyTargets(8, 0, 0, 3), "no daily target the dials cannot give"


def _chain(rates: Rates) -> dict[str, float]:
    """How many of each metric one dial gives."""
    conversations = rates.dial_to_conversation
    return {
        "dials": 1.0,
        "conversations": conversations,
        "appointments": conversations * rates.conversation_to_appointment,
        "contacts": rates.new_contact_share,
    }


_valid_rates = st.builds(
    Rates,
    st.floats(0.01, 1),
    st.floats(0.01, 1),
    st.floats(0.01, 1),
    st.floats(0, 1),
)


@settings(max_examples=300, deadline=None)
@given(
    st.floats(1, 1e9),
    st.floats(1, 1e7),
    _valid_rates,
    st.integers(1, 366),
    st.integers(0, 366),
    st.integers(1, 7),
)
def test_shown_targets_never_ask_for_more_than_the_dials_give(
    revenue: float, deal: float, rates: Rates, days: int, vacation: int, week: int
) -> None:
    result = compute_funnel(Goal("year", revenue, deal, rates, days, vacation, week))
    if not isinstance(result, Funnel):
        return
    dials = result.per_day.dials
    assert result.days == days - vacation
    assert dials * result.days >= result.dials, "the dials a day still cover the goal"
    per = {"day": 1, "week": week, "period": result.days}
    for target in result.targets:
        exact = dials * _chain(rates)[target.metric] * per[target.unit]
        if target.unit == "period":
            assert target.count == max(1, math.ceil(round(exact, 6)))
        else:
            assert abs(target.count - exact) <= MAX_ROUNDING * exact + 1e-9, target
        daily = getattr(result.per_day, target.metric)
        assert daily == (target.count if target.unit == "day" else 0)


def test_a_target_under_one_a_day_is_shown_per_week() -> None:
    assert shown_target("appointments", 0.38, 250, 5) == Target("appointments", 2, "week")
    assert shown_target("appointments", 1.0, 250, 5) == Target("appointments", 1, "day")
    # 1.5 a day rounds to 2 (a third too many): 7.5 a week rounds honestly to 8.
    assert shown_target("conversations", 1.5, 250, 5) == Target("conversations", 8, "week")
    assert shown_target("contacts", 0.0, 250, 5) == Target("contacts", 0, "day")


def test_a_period_shorter_than_a_week_shows_its_total() -> None:
    # One working day: "per week" would mean nothing; 0.3 appointments is one in the period.
    assert shown_target("appointments", 0.3, 1, 5) == Target("appointments", 1, "period")
    funnel = compute_funnel(_goal(revenue=1_000, deal=1_000, days=1, period="month"))
    assert isinstance(funnel, Funnel)
    assert funnel.days == 1
    assert funnel.targets[0] == Target("dials", 80, "day")
    assert funnel.targets[1] == Target("conversations", 16, "day")
    assert funnel.targets[2] == Target("appointments", 4, "day")


def test_vacation_days_are_counted_out() -> None:
    funnel = compute_funnel(Goal("year", 240_000, 10_000, Rates(), 250, 30))
    assert isinstance(funnel, Funnel)
    assert funnel.days == 220
    assert funnel.per_day.dials == 9  # 1920 / 220 = 8.7, where 250 days gave 8


@pytest.mark.parametrize(
    ("vacation", "key"),
    [
        (250, "targets.problem.vacation_fills_period"),
        (365, "targets.problem.vacation_fills_period"),
        (-1, "targets.problem.vacation_invalid"),
    ],
)
def test_vacation_that_leaves_no_day_is_explained(vacation: int, key: str) -> None:
    result = compute_funnel(Goal("year", 240_000, 10_000, Rates(), 250, vacation))
    assert isinstance(result, FunnelProblem)
    assert result.key == key


def test_a_leap_year_of_every_day_with_365_vacation_days_leaves_one() -> None:
    days = working_days_in_period("year", date(2024, 1, 1), lambda d: True)
    assert days == 366
    funnel = compute_funnel(Goal("year", 10_000, 10_000, Rates(), days, 365))
    assert isinstance(funnel, Funnel)
    assert funnel.days == 1
    assert funnel.per_day.dials == 80


def test_huge_goal_and_zero_rates_are_problems_not_targets() -> None:
    huge = compute_funnel(_goal(revenue=1e12, deal=1))
    assert isinstance(huge, FunnelProblem)
    assert huge.key == "targets.problem.too_many_dials"
    zero = compute_funnel(_goal(rates=Rates(0.2, 0.0, 0.25)))
    assert isinstance(zero, FunnelProblem)
    assert zero.key == "targets.problem.rate_zero"


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("year", date(2026, 12, 3), date(2027, 12, 2)),
        ("quarter", date(2026, 11, 30), date(2027, 2, 27)),
        ("month", date(2027, 1, 31), date(2027, 2, 27)),
        ("month", date(2028, 1, 31), date(2028, 2, 28)),  # a leap year's February
        ("year", date(2024, 2, 29), date(2025, 2, 27)),
        ("year", date(2028, 1, 1), date(2028, 12, 31)),
    ],
)
def test_period_end_names_the_last_day(period: Period, start: date, end: date) -> None:
    assert period_end(period, start) == end
    assert working_days_in_period(period, start, lambda d: True) == (end - start).days + 1


@pytest.mark.parametrize(
    ("country", "period", "days"),
    [
        ("DE", "year", 30),
        ("de", "quarter", 8),  # 7.5, rounded half up
        ("DE", "month", 3),
        ("AT", "year", 25),
        ("CH", "year", 25),
        ("GB", "year", 25),
        ("UK", "year", 25),
        ("US", "year", 15),
        ("FR", "year", 25),
        (None, "year", 25),
        ("", "month", 2),
    ],
)
def test_default_vacation_days_by_country(country: str | None, period: Period, days: int) -> None:
    assert default_vacation_days(country, period) == days


def test_round_half_up() -> None:
    assert [round_half_up(x) for x in (0.5, 1.5, 2.5, 85.71, 2.49)] == [1, 2, 3, 86, 2]


def test_each_stage_rounds_up() -> None:
    # 100,000 / 30,000 = 3.33 deals -> 4 -> 16 appointments -> 64 conversations -> 320 dials.
    funnel = compute_funnel(_goal(revenue=100_000, deal=30_000, days=60, period="quarter"))
    assert isinstance(funnel, Funnel)
    assert (funnel.deals, funnel.appointments, funnel.conversations, funnel.dials) == (
        4,
        16,
        64,
        320,
    )
    # 6 dials a day give 1.2 conversations (1) and 0.3 appointments: 1.5 a week would round to
    # 2, a third too many, so the quarter's 18 are shown in total.
    assert funnel.per_day == DailyTargets(dials=6, conversations=1, appointments=0, contacts=2)
    assert funnel.targets[2] == Target("appointments", 18, "period")


def test_custom_rates_and_a_month() -> None:
    rates = Rates(0.1, 0.5, 0.2, new_contact_share=0.0)
    funnel = compute_funnel(_goal(revenue=20_000, deal=2_000, rates=rates, days=20, period="month"))
    assert isinstance(funnel, Funnel)
    # 10 deals / 0.2 = 50 appointments / 0.5 = 100 conversations / 0.1 = 1000 dials.
    assert (funnel.deals, funnel.appointments, funnel.conversations, funnel.dials) == (
        10,
        50,
        100,
        1000,
    )
    assert funnel.per_day == DailyTargets(dials=50, conversations=5, appointments=3, contacts=0)


def test_float_noise_does_not_add_a_dial() -> None:
    # 384 / 0.2 is 1920.0000000000002 in floats; the funnel must still say 1920.
    rates = Rates(0.2, 1.0, 1.0)
    funnel = compute_funnel(_goal(revenue=384, deal=1, rates=rates, days=192))
    assert isinstance(funnel, Funnel)
    assert funnel.dials == 1920
    assert funnel.per_day.dials == 10


def test_deal_bigger_than_goal_gives_one_deal_and_a_note() -> None:
    funnel = compute_funnel(_goal(revenue=5_000, deal=10_000))
    assert isinstance(funnel, Funnel)
    assert funnel.deals == 1
    assert [note.key for note in funnel.notes] == ["targets.problem.deal_bigger_than_goal"]
    assert funnel.notes[0].values == {"revenue": 5_000, "deal_size": 10_000}


def test_format_funnel() -> None:
    funnel = compute_funnel(_goal())
    assert isinstance(funnel, Funnel)
    assert format_funnel(funnel) == {
        "deals": 24,
        "appointments": 96,
        "conversations": 384,
        "dials": 1920,
        "dials_per_day": 9,
        "conversations_per_day": 2,
        "appointments_per_day": 0,
        "contacts_per_day": 4,
    }


@pytest.mark.parametrize(
    ("goal", "key", "values"),
    [
        (_goal(days=0), "no_working_days", {"days": 0}),
        (_goal(days=-3), "no_working_days", {"days": -3}),
        (_goal(days=400), "too_many_working_days", {"days": 400, "max": 366}),
        (_goal(days=40, period="month"), "too_many_working_days", {"days": 40, "max": 31}),
        (_goal(revenue=0), "revenue_zero", {"field": "revenue"}),
        (_goal(revenue=-1), "negative", {"field": "revenue", "value": -1}),
        (_goal(deal=-5), "negative", {"field": "deal_size", "value": -5}),
        (_goal(deal=0), "deal_zero", {"field": "deal_size"}),
        (_goal(revenue=math.nan), "not_a_number", {"field": "revenue"}),
        (_goal(deal=math.inf), "not_a_number", {"field": "deal_size"}),
        (_goal(rates=Rates(dial_to_conversation=0)), "rate_zero", {"rate": "dial_to_conversation"}),
        (
            _goal(rates=Rates(conversation_to_appointment=1.5)),
            "rate_above_100",
            {"rate": "conversation_to_appointment", "percent": 150},
        ),
        (
            _goal(rates=Rates(appointment_to_deal=-0.1)),
            "rate_negative",
            {"rate": "appointment_to_deal", "percent": -10},
        ),
        (
            _goal(rates=Rates(appointment_to_deal=math.nan)),
            "rate_invalid",
            {"rate": "appointment_to_deal"},
        ),
        (
            _goal(rates=Rates(new_contact_share=2)),
            "rate_above_100",
            {"rate": "new_contact_share", "percent": 200},
        ),
        (
            _goal(revenue=10_000_000, deal=1_000),
            "too_many_dials",
            {"dials": 3637, "max": MAX_DIALS_PER_DAY, "days": 220},
        ),
        (
            _goal(revenue=1e12, deal=0.01, rates=Rates(1e-300, 1e-300, 1e-300)),
            "too_many_dials",
            {"dials": 10**9, "max": MAX_DIALS_PER_DAY, "days": 220},
        ),
    ],
)  # fmt: skip
def test_funnel_problems(goal: Goal, key: str, values: dict[str, object]) -> None:
    assert compute_funnel(goal) == FunnelProblem(f"targets.problem.{key}", values)


def test_three_hundred_dials_a_day_is_still_allowed() -> None:
    # 300 dials a day over 200 days = 60,000 dials = 12,000 conversations = 3,000 appointments.
    funnel = compute_funnel(_goal(revenue=750 * 1_000, deal=1_000, days=200))
    assert isinstance(funnel, Funnel)
    assert funnel.per_day.dials == MAX_DIALS_PER_DAY


_numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**400), max_value=10**400),
)
_rates = st.builds(Rates, _numbers, _numbers, _numbers, _numbers)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(("year", "quarter", "month")),
    _numbers,
    _numbers,
    _rates,
    st.integers(min_value=-(10**400), max_value=10**400),
)
def test_compute_funnel_never_raises(
    period: Period, revenue: float, deal: float, rates: Rates, days: int
) -> None:
    result = compute_funnel(Goal(period, revenue, deal, rates, days))
    if isinstance(result, Funnel):
        assert 1 <= result.per_day.dials <= MAX_DIALS_PER_DAY
        assert result.deals <= result.appointments <= result.conversations <= result.dials
    else:
        assert result.key.startswith("targets.problem.")


@settings(max_examples=200, deadline=None)
@given(
    st.floats(1, 1e9),
    st.floats(1, 1e7),
    st.floats(0.01, 1),
    st.floats(0.01, 1),
    st.floats(0.01, 1),
    st.integers(1, 31),
)
def test_funnel_totals_cover_the_goal(
    revenue: float, deal: float, dc: float, ca: float, ad: float, days: int
) -> None:
    result = compute_funnel(Goal("month", revenue, deal, Rates(dc, ca, ad), days))
    if isinstance(result, Funnel):
        assert result.deals * deal >= revenue * (1 - 1e-9)
        assert result.per_day.dials * days >= result.dials


# --- Working days ---------------------------------------------------------------------------


def _weekday(day: date) -> bool:
    return day.weekday() < 5


@pytest.mark.parametrize(
    ("period", "start", "expected"),
    [
        ("year", date(2025, 1, 1), 261),
        ("quarter", date(2025, 1, 1), 64),
        ("month", date(2025, 2, 1), 20),
        ("month", date(2025, 1, 15), 23),  # 15 Jan up to (not incl.) 15 Feb
        ("month", date(2024, 1, 31), 21),  # to 29 Feb 2024, the month's last day
        ("year", date(2024, 2, 29), 261),
    ],
)
def test_working_days_in_period(period: Period, start: date, expected: int) -> None:
    assert working_days_in_period(period, start, _weekday) == expected


def test_working_days_use_the_predicate() -> None:
    holidays = {date(2025, 1, 1), date(2025, 1, 6)}
    count = working_days_in_period(
        "month", date(2025, 1, 1), lambda d: _weekday(d) and d not in holidays
    )
    assert count == 21
    assert working_days_in_period("year", date(2025, 3, 1), lambda d: True) == 365
    assert working_days_in_period("quarter", date(2025, 3, 1), lambda d: False) == 0


def test_working_days_near_the_end_of_the_calendar() -> None:
    start = date.max - timedelta(days=10)
    assert working_days_in_period("year", start, lambda d: True) == 10


# --- Rates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10", 0.10),
        ("10%", 0.10),
        ("10 %", 0.10),
        ("10 Prozent", 0.10),
        ("10 percent", 0.10),
        ("0.1", 0.10),
        ("0,1", 0.10),
        ("0,25", 0.25),
        ("25,5%", 0.255),
        ("25.5", 0.255),
        ("1 von 10", 0.10),
        ("1 aus 10", 0.10),
        ("1 in 10", 0.10),
        ("3 von 10", 0.30),
        ("1/5", 0.20),
        ("1:4", 0.25),
        ("1 of 20", 0.05),
        ("one in ten", 0.10),
        ("eins von zehn", 0.10),
        ("jeder 5.", 0.20),
        ("jedes fünfte", 0.20),
        ("every fourth", 0.25),
        ("ca. 20 %", 0.20),
        ("~15%", 0.15),
        ("zehn Prozent", 0.10),
        ("100", 1.0),
        ("100 %", 1.0),
        ("1", 0.01),
        ("0,5 %", 0.005),
        (" 20 % ", 0.20),
    ],
)
def test_parse_rate(text: str, expected: float) -> None:
    assert parse_rate(text) == pytest.approx(expected)
    assert rate_problem(text) is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("0", "rate_zero"),
        ("0 %", "rate_zero"),
        ("0,0", "rate_zero"),
        ("0 von 10", "rate_zero"),
        ("-5%", "rate_negative"),
        ("−10", "rate_negative"),
        ("150%", "rate_above_100"),
        ("101", "rate_above_100"),
        ("10 von 1", "rate_above_100"),
        ("", "rate_unreadable"),
        ("viel", "rate_unreadable"),
        ("1 von 0", "rate_unreadable"),
        ("10 Euro", "rate_unreadable"),
        ("20-30%", "rate_unreadable"),
        ("x" * 100, "rate_unreadable"),
    ],
)
def test_rate_problems(text: str, key: str) -> None:
    assert parse_rate(text) is None
    assert rate_problem(text) == f"targets.problem.{key}"


@settings(max_examples=200, deadline=None)
@given(_any_text)
def test_rate_parsers_never_raise_and_agree(text: str) -> None:
    rate = parse_rate(text)
    problem = rate_problem(text)
    assert (rate is None) == (problem is not None)
    if rate is not None:
        assert 0 < rate <= 1


# --- Amounts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("120000", 120_000),
        ("120.000", 120_000),
        ("120,000", 120_000),
        ("120.000 €", 120_000),
        ("120.000€", 120_000),
        ("€120,000", 120_000),
        ("$ 120,000", 120_000),
        ("120k", 120_000),
        ("120 k", 120_000),
        ("120K €", 120_000),
        ("120 T€", 120_000),
        ("120 TEUR", 120_000),
        ("1,2 Mio", 1_200_000),
        ("1,2 Mio.", 1_200_000),
        ("1.2m", 1_200_000),
        ("1,5 Millionen", 1_500_000),
        ("1.5 million", 1_500_000),
        ("2 Mrd", 2_000_000_000),
        ("120 Tsd", 120_000),
        ("120 Tsd.", 120_000),
        ("120 tausend", 120_000),
        ("zehn tausend", 10_000),
        ("eine Million", 1_000_000),
        ("120 000", 120_000),
        ("1 200 000", 1_200_000),
        ("1'200'000 CHF", 1_200_000),
        ("120.000,50 €", 120_000.5),
        ("1,200.50", 1_200.5),
        ("1.200.000", 1_200_000),
        ("1,200,000", 1_200_000),
        ("1,5", 1.5),
        ("1.5", 1.5),
        ("12,50", 12.5),
        ("120.000,- €", 120_000),
        ("120.000,–", 120_000),
        ("ca. 50k €", 50_000),
        ("EUR 8.500", 8_500),
        ("+5000", 5_000),
        ("1,250 Mio", 1_250_000),  # with a multiplier one mark is a decimal one
    ],
)
def test_parse_amount(text: str, expected: float) -> None:
    assert parse_amount(text) == pytest.approx(expected)
    assert amount_problem(text) is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("0", "amount_zero"),
        ("0,00 €", "amount_zero"),
        ("-5000", "negative"),
        ("- 5.000 €", "negative"),
        ("2000 Mrd", "amount_too_large"),
        ("", "amount_unreadable"),
        ("viel Geld", "amount_unreadable"),
        ("12,34,567", "amount_unreadable"),
        ("1.20.000", "amount_unreadable"),
        ("120.000,00.5", "amount_unreadable"),
        ("1e9", "amount_unreadable"),
        ("120 Äpfel", "amount_unreadable"),
        ("1" * 100, "amount_unreadable"),
    ],
)
def test_amount_problems(text: str, key: str) -> None:
    assert parse_amount(text) is None
    assert amount_problem(text) == f"targets.problem.{key}"


@settings(max_examples=200, deadline=None)
@given(_any_text)
def test_amount_parsers_never_raise_and_agree(text: str) -> None:
    amount = parse_amount(text)
    assert (amount is None) == (amount_problem(text) is not None)
    if amount is not None:
        assert 0 < amount <= 1e12


# --- Periods --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jahr", "year"),
        ("jährlich", "year"),
        ("jaehrlich", "year"),
        ("pro Jahr", "year"),
        ("Jahresziel", "year"),
        ("Geschäftsjahr", "year"),
        ("p.a.", "year"),
        ("12 Monate", "year"),
        ("year", "year"),
        ("yearly", "year"),
        ("annual", "year"),
        ("Quartal", "quarter"),
        ("Quatal", "quarter"),
        ("quartalsweise", "quarter"),
        ("vierteljährlich", "quarter"),
        ("Q", "quarter"),
        ("Q3", "quarter"),
        ("quarter", "quarter"),
        ("quarterly", "quarter"),
        ("3 months", "quarter"),
        ("Monat", "month"),
        ("monatlich", "month"),
        ("im Monat", "month"),
        ("month", "month"),
        ("monthly", "month"),
        ("per month", "month"),
        ("  MONAT. ", "month"),
    ],
)
def test_parse_period(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text", ["", "Halbjahr", "halbjährlich", "Woche", "Montag", "Jahr oder Monat", "yeah", "hallo"]
)
def test_parse_period_refuses(text: str) -> None:
    assert parse_period(text) is None


@settings(max_examples=200, deadline=None)
@given(_any_text)
def test_parse_period_never_raises(text: str) -> None:
    assert parse_period(text) in (None, "year", "quarter", "month")


# --- Counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("0", 0),
        ("zwölf", 12),
        ("zwoelf", 12),
        ("twelve", 12),
        ("ca. 12", 12),
        ("~12", 12),
        ("20+", 20),
        ("1.000", 1000),
        ("10000", 10_000),
        ("keine", 0),
        ("hundert", 100),
    ],
)
def test_parse_count(text: str, expected: int) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["", "-3", "1,5", "10001", "zwölf Äpfel", "12 13", "abc"])
def test_parse_count_refuses(text: str) -> None:
    assert parse_count(text) is None


def test_parse_count_maximum() -> None:
    assert parse_count("50", maximum=50) == 50
    assert parse_count("51", maximum=50) is None


@settings(max_examples=200, deadline=None)
@given(_any_text)
def test_parse_count_never_raises(text: str) -> None:
    count = parse_count(text)
    assert count is None or 0 <= count <= 10_000


def test_a_tiny_goal_with_a_tiny_rate_is_too_many_dials_not_a_crash() -> None:
    # Found by hypothesis: one planned deal over a rate of 5e-324 is infinitely many dials.
    result = compute_funnel(Goal("year", 5e-324, 1.0, Rates(1.0, 1.0, 5e-324, 0.0), 1))
    assert isinstance(result, FunnelProblem)
    assert result.key.endswith("too_many_dials")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30", 30), ("30 Tage", 30), ("ca. 25 days", 25), ("kein Urlaub", 0), ("none", 0),
        ("0", 0), ("dreißig", 30), ("365", 365), ("366 Tage", 366), ("28 days off", 28),
        ("1 Tag", 1),
    ],
)  # fmt: skip
def test_parse_vacation_days(text: str, expected: int) -> None:
    assert parse_vacation_days(text) == expected


@pytest.mark.parametrize("text", ["", "Tage", "viele", "-3", "367", "1e9", "😀", "30" * 40])
def test_parse_vacation_days_refuses(text: str) -> None:
    assert parse_vacation_days(text) is None


@settings(max_examples=200, deadline=None)
@given(_any_text)
def test_parse_vacation_days_never_raises(text: str) -> None:
    days = parse_vacation_days(text)
    assert days is None or 0 <= days <= 366
