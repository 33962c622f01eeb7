"""/contacts end to end: add in one message, the card, paging and search among 500 contacts,
edit, archive, the channel switch, bad input and users who are not set up."""

from __future__ import annotations

from datetime import timedelta

from bot.coach.contacts import ContactDraft
from bot.sandbox import SandboxMessage, SandboxUser
from tests.handlers.conftest import Harness, onboarded

CARD_BUTTONS = [
    "📵 Nicht erreicht", "💬 Gespräch", "📅 Termin", "🏆 Gewonnen", "👎 Verloren", "⏰ Später …",
    "🔁 Kanal: 📞 Anruf", "✏️ Bearbeiten", "🗄 Archivieren", "👥 Liste", "➕ Neuer Kontakt",
]  # fmt: skip


async def added(user: SandboxUser, text: str) -> SandboxMessage:
    """Send /kontakte with a contact; the card."""
    user.send_command("kontakte", text)
    return await user.next_message()


async def test_add_a_contact_in_one_message(harness: Harness) -> None:
    user = await onboarded(harness, 7001)
    user.send_command("kontakte")
    first = await user.next_message()
    assert "Noch ist die Liste leer" in first.text
    assert "Müller, Bäckerei Sonnenschein, 0171 2345678" in first.text
    user.send_text("Müller, Bäckerei Sonnenschein, 0171 2345678")
    card = await user.next_message()
    assert card.text.startswith("✅ Gespeichert: Müller")
    for line in (
        "👤 Müller",
        "🏢 Bäckerei Sonnenschein",
        "📞 0171 2345678",
        "⚪ Interessent · neu",
    ):
        assert line in card.text
    assert "Noch kein Kontaktversuch" in card.text
    assert card.button_labels == CARD_BUTTONS
    (stored,) = await harness.storage.contacts.listed(7001)
    assert (stored.name, stored.company, stored.phone, stored.kind) == (
        "Müller", "Bäckerei Sonnenschein", "0171 2345678", "prospect"
    )  # fmt: skip
    assert await harness.storage.flows.get(7001) is None, "the next text is no contact again"

    # Just a name, in one command, as a customer.
    card = await added(user, "Weber, Kunde")
    assert "👤 Weber" in card.text
    assert "🏆 Kunde · gewonnen" in card.text


async def test_english_contacts(harness: Harness) -> None:
    user = await onboarded(harness, 7002, "en")
    user.send_command("contacts", "Miller; Sunshine Bakery; Tel: +44 20 7946 0958")
    card = await user.next_message()
    assert "✅ Saved: Miller" in card.text
    assert "📞 +44 20 7946 0958" in card.text
    assert "⚪ Prospect · new" in card.text
    assert "📵 Not reached" in card.button_labels


async def test_bad_input_is_explained_and_nothing_is_stored(harness: Harness) -> None:
    user = await onboarded(harness, 7003)
    user.send_command("kontakte")
    await user.next_message()
    for text, reply in (
        ("  ,, ;", "Da fehlt der Name"),
        ("0171 2345678", "Da fehlt der Name"),
        ("Müller, Firma, " + "x" * 4080, "Notiz ist zu lang: höchstens 1000 Zeichen"),
        ("M" * 200, "Name ist zu lang: höchstens 80 Zeichen"),
        ("Müller, Tel: zwölf", "Telefonnummer sieht nicht richtig aus"),
    ):
        user.send_text(text)
        answer = await user.next_message()
        assert reply in answer.text, text
        assert "/abbrechen" in answer.text
    assert await harness.storage.contacts.count(7003) == 0
    user.send_text("Müller")
    assert "Gespeichert" in (await user.next_message()).text
    assert await harness.storage.contacts.count(7003) == 1


async def test_search_among_500_contacts(harness: Harness) -> None:
    user = await onboarded(harness, 7004)
    drafts = [ContactDraft(f"Kontakt {i:03d}", f"Firma {i % 9}") for i in range(499)]
    drafts.append(ContactDraft("Zacharias Quast", "Quast & Söhne", "0171 5550123"))
    await harness.storage.contacts.add_many(7004, drafts, harness.clock.now)
    user.send_command("kontakte")
    listing = await user.next_message()
    assert "500 Kontakte · Seite 1/63" in listing.text
    labels = listing.button_labels
    assert labels[:8] == [f"⚪ Kontakt {i:03d} · Firma {i % 9}" for i in range(8)]
    assert labels[8:] == ["◀️", "1/63", "▶️", "➕ Neuer Kontakt", "📋 Nachfassen"]
    user.press("▶️", message=listing)
    await user.wait_for(lambda: listing.edit_count > 0)
    assert "Seite 2/63" in listing.text
    assert listing.button_labels[0] == "⚪ Kontakt 008 · Firma 8"
    user.press("◀️", message=listing)
    await user.wait_for(lambda: listing.edit_count > 1)
    user.press("◀️", message=listing)
    await user.wait_for(lambda: listing.edit_count > 2)
    assert "Seite 63/63" in listing.text, "it wraps around"
    assert listing.button_labels[:4] == [
        "⚪ Kontakt 496 · Firma 1", "⚪ Kontakt 497 · Firma 2", "⚪ Kontakt 498 · Firma 3",
        "⚪ Zacharias Quast · Quast & Söhne",
    ]  # fmt: skip

    user.send_text("quats")  # a typo
    found = await user.next_message()
    assert "1 Treffer für „quats“" in found.text
    assert found.button_labels[0] == "⚪ Zacharias Quast · Quast & Söhne"
    user.press(found.button_labels[0], message=found)
    card = await user.next_message()
    assert "👤 Zacharias Quast" in card.text
    user.send_text("Kontakt 12")
    several = await user.next_message()
    assert "8 Treffer" in several.text
    assert several.button_labels[0] == "⚪ Kontakt 120 · Firma 3"
    user.send_text("5550123")
    assert "Zacharias" in (await user.next_message()).button_labels[0]

    # Not found: the searched text can be added as a contact in one tap.
    user.send_text("Olga Neu, Blumen Olga")
    none = await user.next_message()
    assert "finde ich keinen Kontakt" in none.text
    user.press("➕ „Olga Neu“ anlegen", message=none)
    new = await user.next_message()
    assert "👤 Olga Neu" in new.text
    assert "🏢 Blumen Olga" in new.text
    assert await harness.storage.contacts.count(7004) == 501


async def test_numbers_while_the_list_is_open_are_still_logged(harness: Harness) -> None:
    user = await onboarded(harness, 7005)
    await added(user, "Müller")
    user.send_command("kontakte")
    await user.next_message()
    user.send_text("12 3 1")
    reply = await user.next_message()
    assert "12" in reply.text
    assert "Treffer" not in reply.text
    record = await harness.storage.activity.day(7005, harness.clock.now.date())
    assert record.counts.dials == 12


async def test_edit_fields_switch_kind_and_archive(harness: Harness) -> None:
    user = await onboarded(harness, 7006)
    card = await added(user, "Mueller, Bäckerei, 0171 2345678, mag keine Anrufe vor zehn")
    assert "📝 mag keine Anrufe vor zehn" in card.text
    user.press("✏️ Bearbeiten", message=card)
    await user.wait_for(lambda: card.edit_count > 0)
    assert card.button_labels == [
        "Name", "Firma", "Telefon", "Notiz", "🔁 Zum Kunden machen", "◀️ Zurück"
    ]  # fmt: skip
    user.press("Name", message=card)
    ask = await user.next_message()
    assert "Bisher: Mueller" in ask.text
    user.send_text("   ")
    assert "Da fehlt der Name" in (await user.next_message()).text
    user.send_text("Müller")
    card = await user.next_message()
    assert "✅ Gespeichert." in card.text
    assert "👤 Müller" in card.text
    user.press("✏️ Bearbeiten", message=card)
    await user.wait_for(lambda: card.edit_count > 0)
    user.press("Telefon", message=card)
    assert "Mit „-“ leerst du das Feld" in (await user.next_message()).text
    user.send_text("-")
    card = await user.next_message()
    assert "📞" not in card.text
    user.press("✏️ Bearbeiten", message=card)
    await user.wait_for(lambda: card.edit_count > 0)
    user.press("🔁 Zum Kunden machen", message=card)
    await user.wait_for(lambda: card.edit_count > 1)
    assert "Kunde · neu" in card.text
    assert card.button_labels == CARD_BUTTONS
    (stored,) = await harness.storage.contacts.listed(7006)
    assert (stored.name, stored.phone, stored.kind) == ("Müller", None, "customer")

    user.press("🗄 Archivieren", message=card)
    await user.wait_for(lambda: card.edit_count > 2)
    assert "Müller ist archiviert" in card.text
    assert await harness.storage.contacts.count(7006) == 0
    user.send_command("kontakte")
    # Not "the list is empty" (that was wrong): the one contact is archived, and can be seen.
    listing = await user.next_message()
    assert "Dein einziger Kontakt ist archiviert" in listing.text
    assert listing.button_labels == ["🗄 Archiv (1)", "➕ Neuer Kontakt"]
    user.press("↩️ Zurückholen", message=card)
    back = await user.next_message()
    assert "Müller ist wieder in der Liste" in back.text
    assert await harness.storage.contacts.count(7006) == 1
    # The old card's buttons act on an archived contact no more once it is archived again.
    await harness.storage.contacts.archive(7006, stored.id, True, harness.clock.now)
    press = user.press("💬 Gespräch", message=back)
    answer = await user.wait_for(lambda: user.callback_answer(press["callback_query"]["id"]))
    assert answer.text == "Dieser Knopf ist nicht mehr aktuell."
    assert await harness.storage.contacts.touches(7006, stored.id) == []


async def test_channel_switch_is_used_for_the_touch(harness: Harness) -> None:
    user = await onboarded(harness, 7007)
    card = await added(user, "Müller")
    user.press("🔁 Kanal: 📞 Anruf", message=card)
    await user.wait_for(lambda: card.edit_count > 0)
    assert card.button_labels == [
        "✓ 📞 Anruf", "✉️ Mail", "💌 Brief", "🚗 Besuch", "☕ Kaffee", "🚶 Spaziergang",
        "✨ Anderes", "◀️ Zurück",
    ]  # fmt: skip
    user.press("☕ Kaffee", message=card)
    await user.wait_for(lambda: card.edit_count > 1)
    assert "🔁 Kanal: ☕ Kaffee" in card.button_labels
    user.press("💬 Gespräch", message=card)
    logged = await user.next_message()
    assert "Notiert: Müller – Gespräch (☕ Kaffee)" in logged.text
    (contact,) = await harness.storage.contacts.listed(7007)
    (touch,) = await harness.storage.contacts.touches(7007, contact.id)
    assert (touch.outcome, touch.channel) == ("talked", "coffee")


async def test_users_who_are_not_set_up(harness: Harness) -> None:
    stranger = harness.user(7098)
    stranger.send_command("kontakte", "Müller")
    assert "/start" in (await stranger.next_message()).text
    stranger.send_command("nachfassen")
    assert "/start" in (await stranger.next_message()).text
    halfway = harness.user(7099)
    halfway.send_command("start")
    await halfway.next_message()
    halfway.send_command("contacts")
    assert "/start" in (await halfway.next_message()).text
    # A button of someone else's card does nothing for them.
    user = await onboarded(harness, 7008)
    card = await added(user, "Müller")
    press = stranger.press("🏆 Gewonnen", message=card)
    answer = await stranger.wait_for(
        lambda: stranger.callback_answer(press["callback_query"]["id"])
    )
    assert answer.text == "Dieser Knopf ist nicht mehr aktuell."
    assert await harness.storage.contacts.count(7098) == 0
    (contact,) = await harness.storage.contacts.listed(7008)
    assert await harness.storage.contacts.touches(7008, contact.id) == []


async def test_a_list_opened_long_ago_takes_no_search(harness: Harness) -> None:
    user = await onboarded(harness, 7009)
    await added(user, "Müller")
    user.send_command("kontakte")
    await user.next_message()
    user.send_text("Müll")
    assert "1 Treffer" in (await user.next_message()).text
    harness.clock.now += timedelta(minutes=31)
    user.send_text("Müller")
    reply = await user.next_message()
    assert "Treffer" not in reply.text, "handled like any text, not as a search"
    assert await harness.storage.flows.get(7009) is None


async def test_a_contact_without_a_name_keeps_its_fields_and_asks_for_the_name(
    harness: Harness,
) -> None:
    user = await onboarded(harness, 7010)
    user.send_command("kontakte")
    await user.next_message()
    user.send_text(", Firma ohne Namen, 0171 2345678")
    ask = await user.next_message()
    assert "Da fehlt der Name" in ask.text
    assert "„Firma ohne Namen, 0171 2345678“ habe ich mir gemerkt" in ask.text
    assert "/abbrechen" in ask.text
    assert await harness.storage.contacts.count(7010) == 0, "the company is no name"
    user.send_text("  ")
    assert "Da fehlt der Name" in (await user.next_message()).text
    user.send_text("Schulz")
    card = await user.next_message()
    assert "✅ Gespeichert: Schulz" in card.text
    (stored,) = await harness.storage.contacts.listed(7010)
    assert (stored.name, stored.company, stored.phone) == (
        "Schulz", "Firma ohne Namen", "0171 2345678"
    )  # fmt: skip


async def test_the_same_contact_twice_is_asked_about(harness: Harness) -> None:
    user = await onboarded(harness, 7011)
    await added(user, "Müller, Bäckerei Sonnenschein, 0171 2345678")
    same = await added(user, "müller, bäckerei sonnenschein")
    assert "Müller hast du schon gespeichert" in same.text
    assert same.button_labels == ["⚪ Müller · Bäckerei Sonnensc…", "➕ Trotzdem neu anlegen"]
    assert await harness.storage.contacts.count(7011) == 1
    user.press("⚪ Müller · Bäckerei Sonnensc…", message=same)
    assert "👤 Müller" in (await user.next_message()).text
    assert await harness.storage.contacts.count(7011) == 1

    # The same phone, written differently; a double tap on "add anyway" adds one.
    same = await added(user, "Meier, 0171/234 56 78")
    assert "Müller hast du schon gespeichert" in same.text, "the stored one is named"
    first = user.press("➕ Trotzdem neu anlegen", message=same)
    second = user.press("➕ Trotzdem neu anlegen", message=same)
    card = await user.next_message()
    assert "✅ Gespeichert: Meier" in card.text
    answer = await user.wait_for(lambda: user.callback_answer(second["callback_query"]["id"]))
    assert answer.text == "Dieser Knopf ist nicht mehr aktuell."
    assert user.callback_answer(first["callback_query"]["id"]) is not None
    assert await harness.storage.contacts.count(7011) == 2


async def test_archived_contacts_are_listed_found_and_restored(harness: Harness) -> None:
    user = await onboarded(harness, 7012)
    drafts = [ContactDraft("Müller", "Bäckerei"), ContactDraft("Weber", "Acme")]
    stored = await harness.storage.contacts.add_many(7012, drafts, harness.clock.now)
    for contact in stored:
        await harness.storage.contacts.archive(7012, contact.id, True, harness.clock.now)
    user.send_command("kontakte")
    listing = await user.next_message()
    assert "Alle 2 Kontakte sind archiviert" in listing.text
    assert "leer" not in listing.text
    user.press("🗄 Archiv (2)", message=listing)
    await user.wait_for(lambda: listing.edit_count > 0)
    assert "🗄 Archiv – 2 Kontakte" in listing.text
    assert listing.button_labels[:2] == ["🗄 Müller · Bäckerei", "🗄 Weber · Acme"]

    # A search finds archived contacts too, instead of offering to create them again.
    user.send_text("Weber")
    found = await user.next_message()
    assert "1 Treffer" in found.text
    assert "🗄 = archiviert" in found.text
    assert found.button_labels[0] == "🗄 Weber · Acme"
    user.press("🗄 Weber · Acme", message=found)
    card = await user.next_message()
    assert "👤 Weber" in card.text
    assert "Archiviert" in card.text
    assert card.button_labels == ["↩️ Zurückholen", "👥 Liste"]
    # A double tap restores once and sends one card.
    user.press("↩️ Zurückholen", message=card)
    again = user.press("↩️ Zurückholen", message=card)
    back = await user.next_message()
    assert "Weber ist wieder in der Liste" in back.text
    await user.wait_for(lambda: user.callback_answer(again["callback_query"]["id"]))
    assert [c.name for c in await harness.storage.contacts.listed(7012)] == ["Weber"]
    assert await harness.storage.contacts.count(7012, archived=True) == 1

    # The list shows the archive beside it; the same name typed as new is asked about.
    user.send_command("kontakte")
    listing = await user.next_message()
    assert "wieder in der Liste" not in listing.text, "no second card for the double tap"
    assert listing.button_labels[-1] == "🗄 Archiv (1)"
    same = await added(user, "Müller, Bäckerei")
    assert "Müller hast du schon gespeichert" in same.text
    assert same.button_labels[0] == "🗄 Müller · Bäckerei"


async def test_odd_input_in_the_contact_entry(harness: Harness) -> None:
    user = await onboarded(harness, 7013)
    user.send_command("kontakte")
    await user.next_message()
    for text in ("   ", "\u200b\u200b\u200b", "\u202e\u200f", "🙂🙂", "-, -, -"):
        user.send_text(text)
        answer = await user.next_message()
        assert "Da fehlt der Name" in answer.text, repr(text)
        assert "/abbrechen" in answer.text
    user.send_text("x" * 4096)
    assert "Name ist zu lang: höchstens 80 Zeichen" in (await user.next_message()).text
    assert await harness.storage.contacts.count(7013) == 0
    # Zero-width and direction marks do not end up in the name; other scripts do.
    user.send_text("\u202eMül\u200bler\u200f, \u200bBäckerei")
    card = await user.next_message()
    assert "✅ Gespeichert" in card.text
    user.send_command("kontakte", "محمد الأحمد, شركة النور, +971 50 123 4567")
    card = await user.next_message()
    assert "👤 محمد الأحمد" in card.text
    names = sorted(c.name for c in await harness.storage.contacts.listed(7013))
    assert names == ["Müller", "محمد الأحمد"]


async def test_a_double_tap_on_a_touch_counts_once(harness: Harness) -> None:
    user = await onboarded(harness, 7014)
    card = await added(user, "Müller")
    (contact,) = await harness.storage.contacts.listed(7014)
    first = user.press("📵 Nicht erreicht", message=card)
    second = user.press("📵 Nicht erreicht", message=card)
    logged = await user.next_message()
    assert "Notiert: Müller – nicht erreicht" in logged.text
    await user.wait_for(lambda: user.callback_answer(second["callback_query"]["id"]))
    assert user.callback_answer(first["callback_query"]["id"]) is not None
    assert len(await harness.storage.contacts.touches(7014, contact.id)) == 1
    # A deliberate tap a little later counts, from a newer card and from the older one.
    user.send_command("kontakte")
    listing = await user.next_message()
    user.press(listing.button_labels[0], message=listing)
    newer = await user.next_message()
    harness.clock.now += timedelta(seconds=5)
    user.press("📵 Nicht erreicht", message=newer)
    await user.next_message()
    harness.clock.now += timedelta(seconds=5)
    user.press("📵 Nicht erreicht", message=card)
    await user.next_message()
    assert len(await harness.storage.contacts.touches(7014, contact.id)) == 3
