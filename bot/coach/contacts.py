"""Prospects and customers as reps type them: "Müller, Bäckerei Sonnenschein, 0171 2345678".

One message holds a contact: its parts are separated by commas, semicolons or lines. A part
that is a phone number is the phone (also at the end of the name: "Müller 0171 2345678"); a
part with a label ("Tel:", "Firma:", "Notiz:") goes where the label says; "Kunde"/"customer"
marks a customer. Of the other parts the first is the name, the second the company, and the
rest is the note; an empty part between commas keeps its place (", Bäckerei, 0171 …" has no
name, it does not make the company the name). Search is forgiving: prefixes and substrings
first, then fuzzy matches (typos, "Mueller" for "Müller").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from rapidfuzz import fuzz

from bot.coach._text import fold

Kind = Literal["prospect", "customer"]
PROSPECT: Final[Kind] = "prospect"
CUSTOMER: Final[Kind] = "customer"
KINDS: Final[tuple[Kind, ...]] = (PROSPECT, CUSTOMER)

Field = Literal["name", "company", "phone", "note"]
FIELDS: Final[tuple[Field, ...]] = ("name", "company", "phone", "note")
# The longest value each field keeps; longer input is refused with the limit named.
LIMITS: Final[dict[Field, int]] = {"name": 80, "company": 120, "phone": 40, "note": 1000}
MIN_PHONE_DIGITS: Final = 6
MAX_PHONE_DIGITS: Final = 20
# A phone number with its spaces and dashes is never longer; longer text is not looked at.
_MAX_PHONE_TEXT: Final = 40

Problem = Literal["empty_name", "too_long", "bad_phone"]

_LINES: Final = re.compile(r"[\n\r]+")
_PARTS: Final = re.compile(r"[,;]")
_PHONE_CHARS: Final = re.compile(r"\+?[0-9][0-9 ()/.\-]*[0-9]")
_TRAILING_PHONE: Final = re.compile(r"^(.*?)[\s:]+(\+?[0-9][0-9 ()/.\-]*[0-9])$")
_SPACES: Final = re.compile(r"\s+")
# Zero-width (non-)joiners spell words in some scripts and build emoji: they stay.
_JOINERS: Final = frozenset("\u200c\u200d")
# "Tel: 0171 …", "Firma - Bäckerei", "note: …"
_LABEL: Final = re.compile(r"^([^\W\d_]+)\.?\s*[:=]\s*(.*)$", re.DOTALL)
_LABELS: Final[dict[str, Field]] = {
    **dict.fromkeys(("name", "kontakt", "contact", "ansprechpartner"), "name"),
    **dict.fromkeys(("firma", "company", "unternehmen", "betrieb", "org", "firm"), "company"),
    **dict.fromkeys(
        ("tel", "telefon", "phone", "handy", "mobil", "mobile", "nummer", "fon", "nr", "cell"),
        "phone",
    ),
    **dict.fromkeys(("notiz", "note", "notes", "info", "bemerkung", "memo", "hinweis"), "note"),
}
_KIND_WORDS: Final[dict[str, Kind]] = {
    **dict.fromkeys(("kunde", "kundin", "bestandskunde", "customer", "client"), CUSTOMER),
    **dict.fromkeys(("interessent", "interessentin", "prospect", "lead", "neukunde"), PROSPECT),
}
# Words that clear an optional field when edited.
CLEAR_WORDS: Final = frozenset({"-", "–", "—", "loeschen", "leer", "keine", "keiner", "clear",
                                "delete", "none", "remove", "entfernen"})  # fmt: skip
# Only a first part this short is searched for a trailing phone number (a name and a number).
_MAX_TRAILING: Final = 160
SEARCH_LIMIT: Final = 8
_FUZZY_CUTOFF: Final = 78
_FUZZY_BESIDE_HITS: Final = 90
_MIN_FUZZY: Final = 3


@dataclass(frozen=True, slots=True)
class ContactDraft:
    """A contact as typed: a name, and optionally company, phone and a note."""

    name: str
    company: str | None = None
    phone: str | None = None
    note: str | None = None
    kind: Kind = PROSPECT


@dataclass(frozen=True, slots=True)
class ContactError:
    """Why a typed contact or field was refused: the problem, the field and its limit."""

    problem: Problem
    field: Field = "name"
    limit: int = 0
    # A contact without its name: what was typed besides, kept to add the name to it.
    partial: ContactDraft | None = None


def _visible(ch: str) -> str:
    """A character as kept: invisible format marks vanish, other control characters are a
    space (line breaks and tabs stay what they are)."""
    category = unicodedata.category(ch)
    if category[0] != "C" or ch in "\n\r\t" or ch in _JOINERS:
        return ch
    return "" if category == "Cf" else " "


def _clean(text: str) -> str:
    """Without control characters; invisible format marks (zero-width space, direction marks)
    dropped, so "Mül\u200bler" is "Müller"; runs of spaces as one."""
    kept = "".join(_visible(ch) for ch in text)
    return _SPACES.sub(" ", kept).strip()


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isascii() and ch.isdigit())


def _is_phone(text: str) -> bool:
    return (
        len(text) <= _MAX_PHONE_TEXT
        and _PHONE_CHARS.fullmatch(text) is not None
        and MIN_PHONE_DIGITS <= len(_digits(text)) <= MAX_PHONE_DIGITS
    )


def _clean_note(text: str) -> str:
    """A note keeps its line breaks; other whitespace runs become one space."""
    lines = (_clean(line) for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _check(draft: ContactDraft) -> ContactDraft | ContactError:
    for name in FIELDS:
        value = getattr(draft, name)
        if value is not None and len(value) > LIMITS[name]:
            return ContactError("too_long", name, LIMITS[name])
    if not any(ch.isalnum() for ch in draft.name):
        rest = draft.company or draft.phone or draft.note
        return ContactError("empty_name", partial=draft if rest else None)
    return draft


def with_name(partial: ContactDraft, text: str) -> ContactDraft | ContactError:
    """A contact typed without its name, completed by the name typed next (or a whole line,
    whose parts then replace the ones kept)."""
    typed = parse_contact(text)
    if isinstance(typed, ContactError):
        return (
            typed if typed.problem != "empty_name" else ContactError("empty_name", partial=partial)
        )
    return _check(
        ContactDraft(
            name=typed.name,
            company=typed.company or partial.company,
            phone=typed.phone or partial.phone,
            note=typed.note or partial.note,
            kind=typed.kind if typed.kind != PROSPECT else partial.kind,
        )
    )


def draft_data(draft: ContactDraft) -> dict[str, str]:
    """A draft as plain strings, to keep it in a stored flow state."""
    values = {name: getattr(draft, name) for name in FIELDS}
    return {**{k: v for k, v in values.items() if v is not None}, "kind": draft.kind}


def draft_from(data: object) -> ContactDraft | None:
    """A draft kept by `draft_data`, or None when the data is not one (old or forged)."""
    if not isinstance(data, dict):
        return None
    values = {name: data.get(name) for name in FIELDS}
    if not all(v is None or isinstance(v, str) for v in values.values()):
        return None
    kind = CUSTOMER if data.get("kind") == CUSTOMER else PROSPECT
    draft = ContactDraft(
        name=values["name"] or "",
        company=values["company"],
        phone=values["phone"],
        note=values["note"],
        kind=kind,
    )
    return draft if all(len(getattr(draft, n) or "") <= LIMITS[n] for n in FIELDS) else None


def same_contact(draft: ContactDraft, others: Sequence[Searchable]) -> list[int]:
    """Ids of contacts the draft repeats: the same name and company, or the same phone."""
    name, company = fold(draft.name), fold(draft.company or "")
    digits = _digits(draft.phone or "")
    return [
        c.id
        for c in others
        if (fold(c.name) == name and fold(c.company or "") == company)
        or (digits and _digits(c.phone or "") == digits)
    ]


def parse_contact(text: str) -> ContactDraft | ContactError:
    """A contact from one message ("Müller, Bäckerei Sonnenschein, 0171 2345678"), or why not."""
    labelled: dict[Field, list[str]] = {}
    # The name, the company, then the note, in the order typed; None is a slot left empty.
    plain: list[str | None] = []
    kind: Kind = PROSPECT
    lines = [line for line in _LINES.split(text) if _clean(line)]
    for raw in (piece for line in lines for piece in _PARTS.split(line)):
        part = _clean(raw)
        if not part:
            plain.append(None)
            continue
        label = _LABEL.match(part)
        if label is not None and fold(label.group(1)) in _LABELS:
            labelled.setdefault(_LABELS[fold(label.group(1))], []).append(label.group(2).strip())
            continue
        if fold(part) in _KIND_WORDS:
            kind = _KIND_WORDS[fold(part)]
            continue
        if "phone" not in labelled and _is_phone(part):
            labelled["phone"] = [part]
            continue
        plain.append(part)
    # Only a slot with something typed after it was left empty on purpose ("Müller, Firma, "
    # is just typing); blank lines are no slots at all.
    while plain and plain[-1] is None:
        plain.pop()
    first = plain[0] if plain else None
    if "phone" not in labelled and first is not None:
        # "Müller 0171 2345678": a number at the end of the first part.
        match = _TRAILING_PHONE.match(first) if len(first) <= _MAX_TRAILING else None
        if match is not None and _is_phone(match.group(2)) and match.group(1).strip():
            plain[0] = match.group(1).strip()
            labelled["phone"] = [match.group(2)]
    values: dict[Field, str | None] = {name: None for name in FIELDS}
    for name in FIELDS:
        if labelled.get(name):
            joined = ", ".join(v for v in labelled[name] if v)
            values[name] = joined or None
    if values["name"] is None and plain:
        values["name"] = plain.pop(0)
    if values["company"] is None and plain:
        values["company"] = plain.pop(0)
    rest = [part for part in plain if part is not None]
    if rest:
        values["note"] = ", ".join([*rest, *([values["note"]] if values["note"] else [])])
    if values["phone"] is not None and not _is_phone(values["phone"]):
        return ContactError("bad_phone", "phone")
    draft = ContactDraft(
        name=values["name"] or "",
        company=values["company"],
        phone=values["phone"],
        note=values["note"],
        kind=kind,
    )
    return _check(draft)


def parse_field(field: Field, text: str) -> str | ContactError | None:
    """A new value for one field: cleaned, None to clear an optional one, or why it is refused."""
    value = _clean_note(text) if field == "note" else _clean(text)
    if field != "name" and (not value or fold(value) in CLEAR_WORDS):
        return None
    if field == "name" and not any(ch.isalnum() for ch in value):
        return ContactError("empty_name")
    if len(value) > LIMITS[field]:
        return ContactError("too_long", field, LIMITS[field])
    if field == "phone" and not _is_phone(value):
        return ContactError("bad_phone", "phone")
    return value


def parse_note(text: str) -> str | ContactError | None:
    """An optional note to a touch: cleaned, None when empty, or too long."""
    return parse_field("note", text)


# --- Search ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Searchable:
    """What search looks at: a contact's id, name, company and phone."""

    id: int
    name: str
    company: str | None = None
    phone: str | None = None


def _rank(query: str, name: str, company: str) -> int | None:
    """0 best … 3: name starts with it, a name word does, a company word does, it occurs."""
    if name.startswith(query):
        return 0
    if any(word.startswith(query) for word in name.split()):
        return 1
    if company.startswith(query) or any(word.startswith(query) for word in company.split()):
        return 2
    if query in name or query in company:
        return 3
    return None


def search_contacts(
    contacts: Sequence[Searchable], query: str, limit: int = SEARCH_LIMIT
) -> list[int]:
    """Ids of the contacts matching a typed query, best first: prefixes, substrings, typos."""
    if not isinstance(query, str) or limit <= 0:
        return []
    wanted = fold(_clean(query)[:200])
    if not wanted:
        return []
    digits = _digits(wanted)
    if digits and len(digits) >= 4 and not any(ch.isalpha() for ch in wanted):
        return [c.id for c in contacts if c.phone and digits in _digits(c.phone)][:limit]
    keys = {c.id: (fold(c.name), fold(c.company or "")) for c in contacts}
    ranked = sorted(
        (rank, keys[c.id][0], c.id)
        for c in contacts
        if (rank := _rank(wanted, *keys[c.id])) is not None
    )
    found = [contact_id for _, _, contact_id in ranked[:limit]]
    if len(found) >= limit or len(wanted) < _MIN_FUZZY:
        return found
    seen = set(found)
    # Beside exact hits only near-certain typos are worth a place in the list.
    cutoff = _FUZZY_CUTOFF if not found else _FUZZY_BESIDE_HITS
    scored: list[tuple[float, str, int]] = []
    for contact_id, (name, company) in keys.items():
        if contact_id in seen:
            continue
        # A typo in one word ("Muller", "Sonnenschien"), or several words in any order.
        words = [*name.split(), *company.split()]
        score = max(
            fuzz.WRatio(wanted, f"{name} {company}".strip()),
            max((fuzz.ratio(wanted, word) for word in words), default=0.0),
        )
        if score >= cutoff:
            scored.append((-score, name, contact_id))
    return found + [contact_id for _, _, contact_id in sorted(scored)[: limit - len(found)]]
