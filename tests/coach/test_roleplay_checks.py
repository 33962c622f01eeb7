"""The built-in checks of a rep's turn in a simulated call."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.roleplay import CHECK_NAMES, CHECKS, CUE_LISTS, GUARDS, MAX_CHARS, TurnContext
from bot.coach.roleplay.checks import (
    acknowledge,
    creative_channel,
    customer_value,
    empathy,
    next_step_date,
    no_but,
    no_unwanted_question,
    ok_next_contact,
    open_question,
    reason_for_call,
    referral_ask,
    short_turn,
)
from bot.coach.roleplay.scenario import Cues
from tests.coach.roleplay_data import cues

FIRST = TurnContext(call_turn=1, phase_turn=1, customer_line="Ja bitte?")
THIRD = TurnContext(call_turn=3, phase_turn=1, customer_line="Und?")


@pytest.fixture(scope="module")
def de() -> Cues:
    return cues("de")


@pytest.fixture(scope="module")
def en() -> Cues:
    return cues("en")


def test_every_check_name_has_a_check() -> None:
    assert set(CHECKS) == set(CHECK_NAMES)
    assert set(CHECKS) >= GUARDS
    assert set(CUE_LISTS) <= set(CHECKS)


@pytest.mark.parametrize(
    ("text", "turn", "expected"),
    [
        ("Ich rufe an, weil Sie letzte Woche angefragt haben.", FIRST, True),
        ("Der Grund meines Anrufs: Ihr Notdienst.", FIRST, True),
        ("Ich rufe an, weil Sie letzte Woche angefragt haben.", THIRD, False),
        ("Hallo, hier ist Max Müller von Firma X.", FIRST, False),
    ],
)
def test_reason_for_call_counts_in_the_first_two_turns(
    de: Cues, text: str, turn: TurnContext, expected: bool
) -> None:
    assert reason_for_call(text, de, turn) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wie lösen Sie das heute?", True),
        ("Und wie lösen Sie das heute?", True),
        ("Frau Berger, was wäre Ihnen wichtig?", True),
        ("Welche Punkte sind offen?", True),
        ("Darf ich fragen, wie Sie das heute lösen?", True),
        ("Kurze Frage: woran merken Sie das?", True),
        ("Haben Sie Zeit?", False),
        ("Sind Sie interessiert?", False),
        ("Haben Sie wie gesagt Zeit?", False),
        # A question needs its question mark; a statement with "wie" is none.
        ("Wie gesagt, wir sind gut.", False),
        ("Wie lösen Sie das heute", False),
    ],
)
def test_open_question_is_a_w_question_not_a_yes_no_one(
    de: Cues, text: str, expected: bool
) -> None:
    assert open_question(text, de, FIRST) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How do you handle that today?", True),
        ("So what would make it worth it?", True),
        ("Do you have time?", False),
        ("Are you interested?", False),
    ],
)
def test_open_question_in_english(en: Cues, text: str, expected: bool) -> None:
    assert open_question(text, en, FIRST) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Verstehe. Wie lösen Sie das?", True),
        ("Das kann ich gut nachvollziehen, Frau Berger.", True),
        # A very short first sentence takes the next one with it.
        ("Ah, okay. Das verstehe ich gut.", True),
        ("Wir sind die Besten am Markt. Das verstehe ich.", False),
        ("Wir haben das beste Produkt.", False),
    ],
)
def test_acknowledge_in_the_first_sentence(de: Cues, text: str, expected: bool) -> None:
    assert acknowledge(text, de, FIRST) is expected


def test_no_but(de: Cues, en: Cues) -> None:
    assert no_but("Verstehe. Wie lösen Sie das?", de, FIRST)
    assert not no_but("Verstehe, aber wir sind günstiger.", de, FIRST)
    assert not no_but("Das stimmt jedoch nicht ganz.", de, FIRST)
    assert not no_but("I see, but we are cheaper.", en, FIRST)
    # "aber" is a whole word: "Aberglaube" is not arguing.
    assert no_but("Das ist kein Aberglaube.", de, FIRST)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Das spart Ihnen jede Woche zwei Stunden.", True),
        ("Damit sind Sie schneller beim Kunden.", True),
        # The customer in the focus, without a value word.
        ("Wie läuft das bei Ihnen, und was wünschen Sie sich von Ihrem Notdienst?", True),
        ("Wir sind Marktführer und ich habe unser Produkt selbst entwickelt.", False),
        # Lower-case "sie" mid-sentence is "they", not the customer.
        ("Ich habe gehört, dass sie das gut finden und wir gut sind.", False),
    ],
)
def test_customer_value(de: Cues, text: str, expected: bool) -> None:
    assert customer_value(text, de, FIRST) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Passt Ihnen Donnerstag um 10?", True),
        ("Sollen wir einen Termin nächste Woche machen?", True),
        ("Wollen wir einen Termin am 12.3. festhalten?", True),
        ("Ich schlage einen Termin um 10:30 vor.", True),
        ("Wollen wir einen Termin um zehn machen?", True),
        ("Wollen wir einen Termin am 12. März machen?", True),
        # A next step without a time, and a time without a next step.
        ("Sollen wir einen Termin machen?", False),
        ("Ich war um 10 beim Arzt.", False),
        # A greeting is no time.
        ("Guten Morgen Frau Berger, sollen wir telefonieren?", False),
        ("Guten Morgen, sollen wir morgen telefonieren?", True),
    ],
)
def test_next_step_needs_a_time(de: Cues, text: str, expected: bool) -> None:
    assert next_step_date(text, de, FIRST) is expected


def test_next_step_in_english(en: Cues) -> None:
    assert next_step_date("Shall we meet on Thursday at 10?", en, FIRST)
    assert next_step_date("Can we book a call for March 12?", en, FIRST)
    assert not next_step_date("Shall we meet sometime?", en, FIRST)
    assert not next_step_date("Good morning! Shall we meet sometime?", en, FIRST)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Darf ich mich in zwei Wochen wieder bei Ihnen melden?", True),
        ("Darf ich mich melden?", True),
        ("Ist es in Ordnung, wenn ich Sie im März noch mal anrufe?", True),
        # The gap stays within one sentence and a few words.
        ("Darf ich mich vorstellen. Ich werde mich melden.", False),
        ("Darf ich mich eins zwei drei vier fünf sechs sieben acht melden?", False),
        ("Ich melde mich.", False),
    ],
)
def test_ok_next_contact_with_a_gap(de: Cues, text: str, expected: bool) -> None:
    assert ok_next_contact(text, de, FIRST) is expected


def test_short_turn_uses_the_rubric_maximum(de: Cues) -> None:
    assert short_turn("Kurz und gut.", de, FIRST)
    assert short_turn(" ".join(["Wort"] * de.rubric.max_words), de, FIRST)
    assert not short_turn(" ".join(["Wort"] * (de.rubric.max_words + 1)), de, FIRST)
    assert not short_turn("  …  ", de, FIRST)


def test_no_unwanted_question(de: Cues, en: Cues) -> None:
    assert not no_unwanted_question("Haben Sie noch Fragen?", de, FIRST)
    assert not no_unwanted_question("Also, sind Sie interessiert?", de, FIRST)
    assert no_unwanted_question("Welche Frage ist noch offen?", de, FIRST)
    assert not no_unwanted_question("Is that OK?", en, FIRST)


def test_referral_empathy_and_creative_channel(de: Cues, en: Cues) -> None:
    assert referral_ask("Wer fällt Ihnen ein, dem das auch helfen würde?", de, FIRST)
    assert not referral_ask("Wer ist bei Ihnen zuständig?", de, FIRST)
    assert referral_ask("Who else could use this?", en, FIRST)
    assert empathy("Oh, das tut mir leid. Was ist passiert?", de, FIRST)
    # Empathy comes first, not after the pitch.
    assert not empathy(
        "Wir haben ein neues Produkt für Handwerksbetriebe entwickelt. Es plant Ihre Einsätze "
        "automatisch und schickt die Techniker los. Es kann noch viel mehr. Das tut mir leid.",
        de,
        FIRST,
    )
    assert creative_channel("Darf ich auf einen Kaffee vorbeikommen?", de, FIRST)
    assert not creative_channel("Ich rufe Sie wieder an.", de, FIRST)
    assert creative_channel("Could I visit you next week?", en, FIRST)


def test_text_past_the_cap_is_not_scored(de: Cues) -> None:
    padding = "x " * (MAX_CHARS // 2)
    assert no_but(padding + "aber", de, FIRST)
    assert not no_but("aber " + padding, de, FIRST)


def test_umlauts_and_case_do_not_matter(de: Cues) -> None:
    assert next_step_date("WOLLEN WIR EINEN TERMIN NAECHSTE WOCHE MACHEN?", de, FIRST)
    assert empathy("Das ist ärgerlich.", de, FIRST)
    assert empathy("Das ist AERGERLICH.", de, FIRST)


texts = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.text(alphabet="aber wie? Sie. um 10:30 12.3. #…*|,:-–", max_size=200),
)


@settings(max_examples=150, deadline=None)
@given(text=texts, call_turn=st.integers(1, 30), phase_turn=st.integers(1, 30))
def test_checks_never_raise_and_give_bools(text: str, call_turn: int, phase_turn: int) -> None:
    turn = TurnContext(call_turn=call_turn, phase_turn=phase_turn, customer_line=text)
    for lang in ("de", "en"):
        for name, check in CHECKS.items():
            result = check(text, cues(lang), turn)
            assert isinstance(result, bool), name
            # Deterministic: the same text gives the same answer.
            assert check(text, cues(lang), turn) is result


@settings(max_examples=10, deadline=None)
@given(word=st.sampled_from(["aber ", "Wie? ", "ﷺ", "𝔄𝔟𝔢𝔯 ", "\u0301", "Ⅻ. "]))
def test_huge_text_is_cut_and_quick(word: str) -> None:
    text = word * 100_000
    for check in CHECKS.values():
        assert isinstance(check(text, cues("de"), FIRST), bool)
