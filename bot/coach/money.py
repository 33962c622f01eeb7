"""The rep's currency: which one a country uses, what a rep types for it, and amounts as text."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

from bot.coach._text import fold

DEFAULT_CURRENCY: Final = "EUR"

# The currencies of the offered countries (bot.coach.calendar.COUNTRIES), most used first.
CURRENCIES: Final = (
    "EUR", "CHF", "GBP", "USD", "CAD", "AUD", "NZD", "DKK", "SEK", "NOK", "PLN", "CZK",
    "HUF", "TRY", "ZAR", "AED", "INR", "SGD",
)  # fmt: skip

_EURO_COUNTRIES: Final = frozenset(
    {"DE", "AT", "LU", "BE", "NL", "FR", "IT", "ES", "PT", "IE", "FI", "SK", "SI", "HR", "GR",
     "EE", "LV", "LT", "MT", "CY", "MC", "AD", "SM", "VA", "ME", "XK"}
)  # fmt: skip
_COUNTRY_CURRENCY: Final[dict[str, str]] = {
    "CH": "CHF", "LI": "CHF", "GB": "GBP", "UK": "GBP", "IM": "GBP", "JE": "GBP", "GG": "GBP",
    "US": "USD", "PR": "USD", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "DK": "DKK", "GL": "DKK",
    "FO": "DKK", "SE": "SEK", "NO": "NOK", "PL": "PLN", "CZ": "CZK", "HU": "HUF", "TR": "TRY",
    "ZA": "ZAR", "AE": "AED", "IN": "INR", "SG": "SGD",
}  # fmt: skip

# How an amount reads: German puts the sign after the number ("1.200 €"), English before it
# ("€1,200"); where English has no symbol of its own, the code goes first with a space.
_DE_SIGN: Final[dict[str, str]] = {
    "EUR": "€", "GBP": "£", "USD": "$", "INR": "₹", "TRY": "₺", "PLN": "zł", "CZK": "Kč",
    "HUF": "Ft",
}  # fmt: skip
_EN_SIGN: Final[dict[str, str]] = {
    "EUR": "€", "GBP": "£", "USD": "$", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "SGD": "S$",
    "INR": "₹", "TRY": "₺",
}  # fmt: skip

# What reps type for a currency, folded (lower case, no accents).
_TYPED: Final[dict[str, tuple[str, ...]]] = {
    "EUR": ("€", "euro", "euros", "eur"),
    "CHF": ("chf", "franken", "schweizer franken", "swiss franc", "swiss francs", "sfr", "fr"),
    "GBP": ("£", "gbp", "pfund", "pound", "pounds", "pfund sterling", "sterling"),
    "USD": ("$", "usd", "dollar", "dollars", "us dollar", "us-dollar", "us$"),
    "CAD": ("cad", "ca$", "kanadische dollar", "canadian dollar", "canadian dollars"),
    "AUD": ("aud", "a$", "australische dollar", "australian dollar", "australian dollars"),
    "NZD": ("nzd", "nz$"),
    "DKK": ("dkk", "danische krone", "danische kronen", "danish krone", "danish kroner"),
    "SEK": ("sek", "schwedische krone", "schwedische kronen", "swedish krona", "swedish kronor"),
    "NOK": ("nok", "norwegische krone", "norwegische kronen", "norwegian krone"),
    "PLN": ("pln", "zloty", "zl", "złoty", "zł"),
    "CZK": ("czk", "kc", "kč", "tschechische krone", "czech koruna"),
    "HUF": ("huf", "forint", "ft"),
    "TRY": ("try", "lira", "turkische lira", "turkish lira", "₺"),
    "ZAR": ("zar", "rand"),
    "AED": ("aed", "dirham"),
    "INR": ("inr", "rupie", "rupien", "rupee", "rupees", "₹"),
    "SGD": ("sgd", "s$", "singapur-dollar", "singapore dollar"),
}
_BY_TYPED: Final = {fold(word): code for code, words in _TYPED.items() for word in words}
_MAX_TYPED: Final = 40


def currency_for_country(country: str | None) -> str:
    """The currency of a country code ("CH" → "CHF"); the euro for the eurozone and unknowns."""
    if not country:
        return DEFAULT_CURRENCY
    country = country.upper()
    return _COUNTRY_CURRENCY.get(country, DEFAULT_CURRENCY)


def parse_currency(text: str) -> str | None:
    """A currency code from what a rep types ("CHF", "Franken", "£", "dollars"); None if unclear."""
    if not isinstance(text, str) or not text.strip() or len(text) > _MAX_TYPED:
        return None
    folded = " ".join(fold(text).strip(" .!?").split())
    if folded.upper() in CURRENCIES:
        return folded.upper()
    return _BY_TYPED.get(folded)


def _grouped(amount: Decimal, thousands: str, decimal_mark: str) -> str:
    whole = amount == amount.to_integral_value()
    text = f"{abs(amount):,.0f}" if whole else f"{abs(amount):,.2f}"
    text = text.replace(",", "\x00").replace(".", decimal_mark).replace("\x00", thousands)
    return ("-" if amount < 0 else "") + text


def format_money(amount: float | int | Decimal, currency: str, language: str) -> str:
    """An amount as a rep of that language reads it: "1.200 €" (German), "€1,200" (English).

    Whole amounts have no decimals, others two; an unknown currency shows its code."""
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise ValueError("amount must be a finite number") from None
    if not value.is_finite():
        raise ValueError("amount must be a finite number")
    code = currency.upper()
    if language == "de":
        number = _grouped(value, ".", ",")
        return f"{number} {_DE_SIGN.get(code, code)}"
    number = _grouped(value, ",", ".")
    sign = _EN_SIGN.get(code)
    if sign is None:
        return f"{code} {number}"
    if number.startswith("-"):
        return f"-{sign}{number[1:]}"
    return f"{sign}{number}"
