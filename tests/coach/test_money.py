"""The rep's currency: from the country, from what a rep types, amounts in their language."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coach.calendar import COUNTRIES
from bot.coach.money import CURRENCIES, currency_for_country, format_money, parse_currency


@pytest.mark.parametrize(
    ("country", "currency"),
    [("DE", "EUR"), ("AT", "EUR"), ("CH", "CHF"), ("LI", "CHF"), ("GB", "GBP"), ("US", "USD"),
     ("PL", "PLN"), ("IE", "EUR"), (None, "EUR"), ("", "EUR"), ("XX", "EUR"), ("ch", "CHF")],
)  # fmt: skip
def test_currency_for_country(country: str | None, currency: str) -> None:
    assert currency_for_country(country) == currency


def test_every_offered_country_has_an_offered_currency() -> None:
    assert {currency_for_country(c) for c in COUNTRIES} <= set(CURRENCIES)


@pytest.mark.parametrize(
    ("amount", "currency", "de", "en"),
    [
        (1200, "EUR", "1.200 €", "€1,200"),
        (240000, "CHF", "240.000 CHF", "CHF 240,000"),
        (1200, "GBP", "1.200 £", "£1,200"),
        (1200, "USD", "1.200 $", "$1,200"),
        (1200.5, "EUR", "1.200,50 €", "€1,200.50"),
        (Decimal("999.995"), "EUR", "1.000 €", "€1,000"),
        (0, "EUR", "0 €", "€0"),
        (-50, "GBP", "-50 £", "-£50"),
        (1_000_000, "PLN", "1.000.000 zł", "PLN 1,000,000"),
        (5, "XYZ", "5 XYZ", "XYZ 5"),
    ],
)
def test_format_money(amount: float, currency: str, de: str, en: str) -> None:
    assert format_money(amount, currency, "de") == de
    assert format_money(amount, currency, "en") == en


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_format_money_refuses_what_is_no_amount(bad: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        format_money(bad, "EUR", "de")


@pytest.mark.parametrize(
    ("text", "currency"),
    [("CHF", "CHF"), ("chf", "CHF"), ("Franken", "CHF"), ("£", "GBP"), ("Pfund", "GBP"),
     ("pounds", "GBP"), ("Euro", "EUR"), ("€", "EUR"), ("$", "USD"), ("Dollar", "USD"),
     ("Złoty", "PLN"), (" euro! ", "EUR"), ("", None), ("Kronkorken", None), ("x" * 100, None),
     ("🍺", None)],
)  # fmt: skip
def test_parse_currency(text: str, currency: str | None) -> None:
    assert parse_currency(text) == currency


@given(st.text(max_size=50))
def test_parse_currency_never_raises(text: str) -> None:
    found = parse_currency(text)
    assert found is None or found in CURRENCIES


@given(st.integers(-(10**12), 10**12), st.sampled_from(CURRENCIES), st.sampled_from(["de", "en"]))
def test_whole_amounts_keep_their_digits(amount: int, currency: str, lang: str) -> None:
    text = format_money(amount, currency, lang)
    assert int("".join(c for c in text if c.isdigit())) == abs(amount)
