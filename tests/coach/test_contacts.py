"""The contact parser (one message → name, company, phone, note) and the forgiving search."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.contacts import (
    LIMITS,
    ContactDraft,
    ContactError,
    Searchable,
    draft_data,
    draft_from,
    parse_contact,
    parse_field,
    parse_note,
    same_contact,
    search_contacts,
    with_name,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Müller, Bäckerei Sonnenschein, 0171 2345678",
            ContactDraft("Müller", "Bäckerei Sonnenschein", "0171 2345678"),
        ),
        ("Müller", ContactDraft("Müller")),
        ("  Frau   Dr. Weber  ", ContactDraft("Frau Dr. Weber")),
        ("Müller 0171 2345678", ContactDraft("Müller", phone="0171 2345678")),
        ("Müller; +49 (30) 123-4567", ContactDraft("Müller", phone="+49 (30) 123-4567")),
        (
            "Müller, Bäckerei, 0171 2345678, ruft ab 10 zurück, mag Fußball",
            ContactDraft("Müller", "Bäckerei", "0171 2345678", "ruft ab 10 zurück, mag Fußball"),
        ),
        (
            "Schmidt\nAutohaus Schmidt\nTel: 030/1234567\nNotiz: Chef heißt Jens",
            ContactDraft("Schmidt", "Autohaus Schmidt", "030/1234567", "Chef heißt Jens"),
        ),
        ("Kunde, Meyer, Meyer GmbH", ContactDraft("Meyer", "Meyer GmbH", kind="customer")),
        ("Jones, Acme Ltd, customer", ContactDraft("Jones", "Acme Ltd", kind="customer")),
        ("Firma: Acme, Name: Jones", ContactDraft("Jones", "Acme")),
        # Short numbers are part of the name or company, not a phone.
        ("Bäckerei 24, Haus 7", ContactDraft("Bäckerei 24", "Haus 7")),
    ],
)
def test_parse_contact(text: str, expected: ContactDraft) -> None:
    assert parse_contact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ContactError("empty_name")),
        ("   ,, ;\n", ContactError("empty_name")),
        # Without a name, what was typed besides is kept to complete it.
        (
            "0171 2345678",
            ContactError("empty_name", partial=ContactDraft("", phone="0171 2345678")),
        ),
        ("!!!, Bäckerei", ContactError("empty_name", partial=ContactDraft("!!!", "Bäckerei"))),
        ("A" * 81, ContactError("too_long", "name", 80)),
        ("Müller, " + "B" * 121, ContactError("too_long", "company", 120)),
        ("Müller, Firma, " + "n" * 4096, ContactError("too_long", "note", 1000)),
        ("Müller, Tel: abc", ContactError("bad_phone", "phone")),
    ],
)
def test_parse_contact_refuses_with_a_reason(text: str, expected: ContactError) -> None:
    assert parse_contact(text) == expected


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("name", "  Müller-Lüdenscheidt ", "Müller-Lüdenscheidt"),
        ("name", "-", ContactError("empty_name")),
        ("company", "-", None),
        ("company", "löschen", None),
        ("phone", "clear", None),
        ("phone", "0171-2345678", "0171-2345678"),
        ("phone", "12", ContactError("bad_phone", "phone")),
        ("note", "erste Zeile\n\n  zweite   Zeile", "erste Zeile\nzweite Zeile"),
        ("note", "x" * 1001, ContactError("too_long", "note", 1000)),
    ],
)
def test_parse_field(field: str, text: str, expected: object) -> None:
    assert parse_field(field, text) == expected  # type: ignore[arg-type]


def test_parse_note() -> None:
    assert parse_note("  kommt aus dem Urlaub zurück ") == "kommt aus dem Urlaub zurück"
    assert parse_note("   ") is None
    assert parse_note("n" * 4096) == ContactError("too_long", "note", 1000)


PEOPLE = [
    Searchable(1, "Müller", "Bäckerei Sonnenschein", "0171 2345678"),
    Searchable(2, "Schmidt", "Autohaus Schmidt"),
    Searchable(3, "Meyer", "Sonnen GmbH"),
    Searchable(4, "Hans Maier"),
    Searchable(5, "Anna Sommer", None, "+49 30 9876543"),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Müller", [1]),
        ("mül", [1]),
        ("Mueller", [1]),
        ("Muller", [1]),  # a dropped umlaut
        ("schmitt", [2]),  # a typo
        ("sonnen", [3, 1]),  # a name word before a company word
        ("Sonnenschien", [1]),
        ("auto", [2]),
        ("maier hans", [4]),
        ("2345", [1]),  # digits search the phone numbers
        ("9876543", [5]),
        ("xyz", []),
        ("", []),
        ("   ", []),
    ],
)
def test_search(query: str, expected: list[int]) -> None:
    assert search_contacts(PEOPLE, query) == expected


def test_search_among_500_finds_the_one_and_limits_the_rest() -> None:
    people = [Searchable(i, f"Kontakt {i:03d}", f"Firma {i % 7}") for i in range(500)]
    people.append(Searchable(999, "Zacharias Quast", "Quast & Söhne"))
    assert search_contacts(people, "Quast") == [999]
    assert search_contacts(people, "zacharias") == [999]
    assert len(search_contacts(people, "Kontakt")) == 8
    assert search_contacts(people, "Kontakt 042") == [42]


_VOCAB = ["Müller", ",", ";", "\n", "Tel:", "Notiz:", "Kunde", "0171", "2345678", "+49", "-",
          "(", ")", "/", "GmbH", "name:", "x", " ", "🙂", "\x00", "Firma:"]  # fmt: skip
_texts = st.one_of(
    st.text(max_size=4096),
    st.lists(st.sampled_from(_VOCAB), max_size=30).map("".join),
    st.text(alphabet="0123456789 +-/()", max_size=300),
)


@settings(max_examples=300)
@given(text=_texts)
def test_parse_contact_never_raises_and_keeps_the_limits(text: str) -> None:
    found = parse_contact(text)
    if isinstance(found, ContactDraft):
        assert any(ch.isalnum() for ch in found.name)
        for field, limit in LIMITS.items():
            value = getattr(found, field)
            assert value is None or (0 < len(value) <= limit)


@settings(max_examples=200)
@given(text=_texts, field=st.sampled_from(["name", "company", "phone", "note"]))
def test_parse_field_never_raises(text: str, field: str) -> None:
    found = parse_field(field, text)  # type: ignore[arg-type]
    assert found is None or isinstance(found, ContactError) or len(found) <= LIMITS[field]  # type: ignore[index]


@settings(max_examples=200)
@given(query=_texts)
def test_search_never_raises(query: str) -> None:
    found = search_contacts(PEOPLE, query)
    assert len(found) == len(set(found)) <= 8


@pytest.mark.parametrize(
    ("text", "partial"),
    [
        (", Firma ohne Namen, 0171 2345678", ContactDraft("", "Firma ohne Namen", "0171 2345678")),
        ("; Bäckerei; mag Kaffee", ContactDraft("", "Bäckerei", note="mag Kaffee")),
        ("  , Acme, customer", ContactDraft("", "Acme", kind="customer")),
    ],
)
def test_an_empty_name_keeps_the_fields_in_place(text: str, partial: ContactDraft) -> None:
    assert parse_contact(text) == ContactError("empty_name", partial=partial)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An empty slot between commas stays empty: the next part is the note, not the company.
        ("Müller,, mag Kaffee", ContactDraft("Müller", note="mag Kaffee")),
        ("Müller, Bäckerei, ", ContactDraft("Müller", "Bäckerei")),
        ("\n \nMüller\n \nBäckerei", ContactDraft("Müller", "Bäckerei")),
    ],
)
def test_empty_slots_and_blank_lines(text: str, expected: ContactDraft) -> None:
    assert parse_contact(text) == expected


def test_a_name_completes_a_contact_typed_without_one() -> None:
    partial = ContactDraft("", "Firma ohne Namen", "0171 2345678")
    assert with_name(partial, "Schulz") == ContactDraft(
        "Schulz", "Firma ohne Namen", "0171 2345678"
    )
    # A whole line: what it gives replaces what was kept.
    assert with_name(partial, "Schulz, Neue Firma") == ContactDraft(
        "Schulz", "Neue Firma", "0171 2345678"
    )
    assert with_name(partial, " ,, ") == ContactError("empty_name", partial=partial)
    assert with_name(partial, "S" * 81) == ContactError("too_long", "name", 80)


def test_a_draft_survives_the_flow_state_and_forged_data_does_not() -> None:
    draft = ContactDraft("Müller", "Bäckerei", None, "Notiz", "customer")
    assert draft_from(draft_data(draft)) == draft
    assert draft_from({"name": 5}) is None
    assert draft_from("Müller") is None
    assert draft_from({"name": "M" * 500}) is None


def test_same_contact_by_name_and_company_or_phone() -> None:
    others = [
        Searchable(1, "Müller", "Bäckerei Sonnenschein", "0171 2345678"),
        Searchable(2, "Müller", None, None),
        Searchable(3, "Weber", "Acme", "+49 171 999"),
    ]
    assert same_contact(ContactDraft("MÜLLER", "bäckerei sonnenschein"), others) == [1]
    assert same_contact(ContactDraft("Müller"), others) == [2]
    assert same_contact(ContactDraft("Meier", phone="0171/234 56 78"), others) == [1]
    assert same_contact(ContactDraft("Müller", "Metzgerei"), others) == []
