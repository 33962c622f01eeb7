"""Matching what reps type to playbook entries: accuracy, off-topic texts, team entries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.objections import (
    CANDIDATE_FLOOR,
    CATEGORIES,
    CONCEPT_MATCH_BELOW,
    NO_MATCH_BELOW,
    Concept,
    Entry,
    Match,
    Matcher,
    Playbook,
    match_languages,
    normalize,
)
from bot.playbook import PlaybookError, load_playbooks, parse_team_playbook

LABELLED = Path(__file__).resolve().parent.parent / "data" / "objection_phrasings.yaml"
HOLDOUT = LABELLED.with_name("objection_holdout.yaml")
FINAL = LABELLED.with_name("objection_holdout_final.yaml")
LANGS = ("de", "en")


@pytest.fixture(scope="module")
def playbooks() -> dict[str, Playbook]:
    """The real playbooks of both languages."""
    return load_playbooks()


@pytest.fixture(scope="module")
def matchers(playbooks: dict[str, Playbook]) -> dict[str, Matcher]:
    """One matcher per language over the real playbook."""
    return {lang: Matcher(book.entries) for lang, book in playbooks.items()}


@pytest.fixture(scope="module")
def labelled() -> dict[str, Any]:
    """The labelled phrasings: lang -> entry id -> texts, plus off_topic and holdout."""
    data: dict[str, Any] = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    return data


def _accuracy(
    matchers: Mapping[str, Matcher], section: Mapping[str, Mapping[str, list[str]]]
) -> dict[str, tuple[float, float, int]]:
    """Top-1 and top-3 accuracy (and count) per language and overall."""
    hits: dict[str, list[tuple[bool, bool]]] = {lang: [] for lang in LANGS}
    for lang in LANGS:
        for expected, texts in section[lang].items():
            for text in texts:
                ids = [m.entry.id for m in matchers[lang].match(text, limit=3)]
                hits[lang].append((ids[:1] == [expected], expected in ids))
    hits["all"] = hits["de"] + hits["en"]
    return {
        name: (
            sum(top1 for top1, _ in rows) / len(rows),
            sum(top3 for _, top3 in rows) / len(rows),
            len(rows),
        )
        for name, rows in hits.items()
    }


def _report(title: str, figures: Mapping[str, tuple[float, float, int]]) -> None:
    print(f"\n{title}")
    for name, (top1, top3, count) in figures.items():
        print(f"  {name:>3}: top-1 {top1:6.1%}  top-3 {top3:6.1%}  (n={count})")


def test_accuracy_on_labelled_set(matchers: dict[str, Matcher], labelled: dict[str, Any]) -> None:
    figures = _accuracy(matchers, labelled)
    _report("labelled set", figures)
    holdout = _accuracy(matchers, labelled["holdout"])
    _report("holdout of issue 12 (never tuned on)", holdout)
    top1, top3, _ = figures["all"]
    # What the tuned set reached (97.6 % / 99.6 %, docs/benchmarks.md): a guard, not a goal.
    assert top1 >= 0.97
    assert top3 >= 0.99
    for lang in LANGS:
        assert figures[lang][0] >= 0.96, lang
    # The older holdout only guards against regressions (91.2 % / 97.1 % with the concepts).
    assert holdout["all"][0] >= 0.91
    assert holdout["all"][1] >= 0.97


def _holdout_accuracy(matchers: Mapping[str, Matcher], rows: list[dict[str, str]]) -> float:
    """Top-1 as the bot looks up: for the rep's profile, in both languages' playbooks."""
    hits = 0
    for row in rows:
        found = match_languages(matchers, row["text"], row.get("profile", row["lang"]), limit=1)
        hits += [m.entry.id for m in found.matches] == [row["id"]]
    return hits / len(rows)


def test_accuracy_on_the_independent_holdout(matchers: dict[str, Matcher]) -> None:
    # tests/data/objection_holdout.yaml was written by someone who saw neither the matcher nor
    # the tuned set. "dev" was looked at while improving. "dev2" was the first "final", measured
    # once (top-1 73.2 %) and looked at since: a second dev set, whose misses guided general
    # mechanisms (concepts, compounds), no copied wording. These floors are what was reached.
    holdout: dict[str, list[dict[str, str]]] = yaml.safe_load(HOLDOUT.read_text(encoding="utf-8"))
    assert len(holdout["dev"]) >= 150
    assert len(holdout["dev2"]) >= 150
    assert "final" not in holdout, "the final holdout lives in its own file"
    dev = _holdout_accuracy(matchers, holdout["dev"])
    dev2 = _holdout_accuracy(matchers, holdout["dev2"])
    print(f"\nholdout top-1: dev {dev:.1%}, dev2 {dev2:.1%}")
    assert dev >= 0.98
    assert dev2 >= 0.92


def test_accuracy_on_the_final_holdout(matchers: dict[str, Matcher]) -> None:
    # tests/data/objection_holdout_final.yaml was written by another independent helper while
    # the concepts were built, and opened only after the matcher was committed: measured once
    # (top-1 90.4 %, issue 15's target 90 %), never tuned on. The floor is what was reached.
    rows: dict[str, list[dict[str, str]]] = yaml.safe_load(FINAL.read_text(encoding="utf-8"))
    assert len(rows["final"]) >= 170
    final = _holdout_accuracy(matchers, rows["final"])
    print(f"\nfinal holdout top-1: {final:.1%}")
    assert final >= 0.90


def test_labelled_set_is_big_balanced_and_mostly_new(
    playbooks: dict[str, Playbook], labelled: dict[str, Any]
) -> None:
    counts = {lang: sum(len(texts) for texts in labelled[lang].values()) for lang in LANGS}
    total = sum(counts.values())
    assert total >= 160
    assert all(count >= 0.4 * total for count in counts.values())
    copied = 0
    for lang in LANGS:
        known = {
            normalize(phrasing, frames=False)
            for entry in playbooks[lang].entries
            for phrasing in entry.phrasings
        }
        assert set(labelled[lang]) <= set(playbooks[lang].ids), lang
        assert set(labelled[lang]) == set(playbooks[lang].ids), "every entry is tested"
        copied += sum(
            normalize(text, frames=False) in known
            for texts in labelled[lang].values()
            for text in texts
        )
    assert copied <= 0.4 * total


def test_off_topic_texts_match_nothing(
    matchers: dict[str, Matcher], labelled: dict[str, Any]
) -> None:
    for lang in LANGS:
        for text in labelled["off_topic"][lang]:
            assert matchers[lang].match(text) == [], (lang, text)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("de", "Der Kunde sagt, er muss darüber nachdenken", "think_about_it"),
        ("de", "er meint, das ist zu teuer", "too_expensive"),
        ("de", "sie sagt kein Bedarf", "no_need"),
        (
            "de",
            "Was sage ich, wenn der Kunde sagt: melden Sie sich in einem halben Jahr?",
            "call_in_six_months",
        ),
        ("de", "SIE SIND ABER HARTNAECKIG!!!", "persistent"),
        ("de", "Sie sind aber hartnäckig", "persistent"),
        ("de", "vertrag lauft noch", "contract_running"),
        ("de", "muss das mit dem cheff besprechen", "ask_boss"),
        ("de", "Wir haben schon einen Lieferanten.", "have_supplier"),
        ("de", "schon einen lieferanten haben wir", "have_supplier"),
        ("de", "Woher haben Sie eigentlich meine Nummer?", "where_number"),
        ("de", "Rabatt?", "discount"),
        ("en", "What do I say when the customer says it's too expensive?", "too_expensive"),
        ("en", "she says they need to think about it", "think_about_it"),
        ("en", "he said call back in six months", "call_in_six_months"),
        ("en", "we have allready got a supplier", "have_supplier"),
        ("en", "supplier we already have", "have_supplier"),
        ("en", "where did u get my number", "where_number"),
    ],
)
def test_typical_questions_find_their_entry(
    matchers: dict[str, Matcher], lang: str, text: str, expected: str
) -> None:
    result = matchers[lang].match(text)
    assert result, text
    assert result[0].entry.id == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Der Kunde sagt, er muss darüber nachdenken", "muss darueber nachdenken"),
        ("sie sagt nein", "nein"),
        ("Sie sind aber hartnäckig", "sie sind aber hartnaeckig"),
        ("Hallo! Was sage ich, wenn er meint, dass es zu teuer ist?", "zu teuer ist"),
        ("What do I say when they say they need to think?", "need to think"),
        ("ruf mich morgen an (sagt der Kunde)", "ruf mich morgen an"),
        ("Guten Morgen", ""),
        ("ham scho nen", "haben schon einen"),
        ("I don't need it", "i do not need it"),
        ("Des is ma z'teuer", "das is mir zu teuer"),
        ("Lassen S' mir Zeit", "lassen sie mir zeit"),
        ("I hob koa Zeit", "i habe kein zeit"),
        ("Wir holen Offerten ein", "wir holen angebote ein"),
        ("dunno, kinda pricey", "do not know kind of pricey"),
    ],
)
def test_normalize_drops_the_frame_and_folds(text: str, expected: str) -> None:
    assert normalize(text) == expected


def _entry(entry_id: str, phrasings: tuple[str, ...], keywords: tuple[str, ...] = ()) -> Entry:
    return Entry(
        id=entry_id,
        category="stall",
        phrasings=phrasings,
        keywords=keywords,
        meaning="m",
        strategy="s",
        replies=("r1", "r2"),
        ask_back="a",
        avoid="v",
    )


def test_team_entry_wins_a_tie(playbooks: dict[str, Playbook]) -> None:
    builtin = playbooks["de"].get("think_about_it")
    assert builtin is not None
    team = replace(builtin, id="team_think", team=True)
    result = Matcher(playbooks["de"].entries, [team]).match("muss ich mir überlegen")
    assert [m.entry.id for m in result[:2]] == ["team_think", "think_about_it"]
    assert result[0].score > result[1].score


def test_team_entry_with_a_builtin_id_replaces_it(playbooks: dict[str, Playbook]) -> None:
    builtin = playbooks["en"].get("too_expensive")
    assert builtin is not None
    team = replace(builtin, replies=("Our own answer.", "Another one."), team=True)
    result = Matcher(playbooks["en"].entries, [team]).match("way too expensive")
    assert result[0].entry is team
    assert [m.entry.id for m in result].count("too_expensive") == 1


def test_team_entry_in_its_own_words() -> None:
    team = _entry("tender_rules", ("Wir dürfen nur über das Portal Vergabe24 bestellen",))
    builtin = _entry("other", ("Ganz etwas anderes",))
    result = Matcher([builtin], [team]).match("nur über vergabe24")
    assert [m.entry.id for m in result] == ["tender_rules"]


def test_results_are_sorted_limited_and_above_threshold(matchers: dict[str, Matcher]) -> None:
    result = matchers["de"].match("zu teuer, kein Budget, Konkurrenz ist billiger", limit=2)
    assert len(result) == 2
    assert result[0].score >= result[1].score >= NO_MATCH_BELOW
    assert matchers["de"].match("zu teuer", limit=0) == []


def test_an_empty_or_odd_playbook_matches_nothing() -> None:
    assert Matcher([]).match("zu teuer") == []
    odd = Matcher([_entry("punct", ("?!…", "—"), ("…",))])
    assert odd.match("?!…") == []


def test_playbook_helpers(playbooks: dict[str, Playbook]) -> None:
    book = playbooks["de"]
    assert book.categories == CATEGORIES
    assert book.get("no_such_entry") is None
    assert {entry.category for entry in book.in_category("price")} == {"price"}
    assert len(book.ids) == len(set(book.ids))


_VOCAB = [
    "der", "Kunde", "sagt", "zu", "teuer", "kein", "Bedarf", "?", "!", "ä", "ß", "ae", "'",
    "what", "do", "I", "say", "when", "budget", "12", "Anrufe", "…", "\n", "😀", "nachdenkn",
]  # fmt: skip
_texts = st.one_of(
    st.text(),
    st.text(min_size=300, max_size=5000),
    st.lists(st.sampled_from(_VOCAB), max_size=40).map(" ".join),
)


@settings(max_examples=200, deadline=None)
@given(text=_texts, lang=st.sampled_from(LANGS), limit=st.integers(-1, 6))
def test_match_never_raises(matchers: dict[str, Matcher], text: str, lang: str, limit: int) -> None:
    result = matchers[lang].match(text, limit=limit)
    assert len(result) <= max(limit, 0)
    assert all(isinstance(m, Match) and CANDIDATE_FLOOR <= m.score <= 100 for m in result)
    # The best is at least NO_MATCH_BELOW, or CONCEPT_MATCH_BELOW where it says a concept.
    assert not result or result[0].score >= min(NO_MATCH_BELOW, CONCEPT_MATCH_BELOW)
    assert [m.score for m in result] == sorted((m.score for m in result), reverse=True)
    assert len({m.entry.id for m in result}) == len(result)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("de", "zu tuer", "too_expensive"),
        ("de", "zu teur", "too_expensive"),
        ("de", "zu teuer!!", "too_expensive"),
        ("de", "Das ist uns zu tuer", "too_expensive"),
        ("en", "send me an emal", "send_email"),
    ],
)
def test_a_short_word_with_one_typo_is_found(
    matchers: dict[str, Matcher], lang: str, text: str, expected: str
) -> None:
    result = matchers[lang].match(text)
    assert result, text
    assert result[0].entry.id == expected


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "text", ["ok", "ja", "hallo", "12 Anrufe", "yes", "lol", "kalt", "gern", "Team", "Danke!"]
)
def test_short_everyday_texts_find_nothing_confident(
    matchers: dict[str, Matcher], lang: str, text: str
) -> None:
    # 65 is what a waiting mode needs to take a text as an objection (bot/handlers/basic.py).
    assert all(m.score < 65 for m in matchers[lang].match(text)), (lang, text)


@pytest.mark.parametrize(
    ("prefer", "text", "lang", "expected"),
    [
        ("en", "zu teuer", "de", "too_expensive"),
        ("en", "zu tuer", "de", "too_expensive"),
        ("en", "Wir haben schon einen Lieferanten", "de", "have_supplier"),
        ("en", "das muss ich mit meinem Chef besprechen", "de", "ask_boss"),
        ("de", "too expensive", "en", "too_expensive"),
        ("de", "we already have a supplier", "en", "have_supplier"),
        ("de", "I need to think about it", "en", "think_about_it"),
        # The rep's own language keeps a loanword or a near tie.
        ("de", "kein Budget", "de", "no_budget"),
        ("en", "no budget", "en", "no_budget"),
        ("de", "zu teuer", "de", "too_expensive"),
    ],
)
def test_the_customers_language_is_searched_too(
    matchers: dict[str, Matcher], prefer: str, text: str, lang: str, expected: str
) -> None:
    found = match_languages(matchers, text, prefer)
    assert found.lang == lang, text
    assert found.matches
    assert found.matches[0].entry.id == expected


def test_cross_language_keeps_own_language_accuracy(
    matchers: dict[str, Matcher], labelled: dict[str, Any]
) -> None:
    # A labelled text, looked up for a rep of either language, finds the same entry in the
    # language it is written in as a rep of that language would; a rare mixed text may not.
    differ = total = 0
    for lang in LANGS:
        for prefer in LANGS:
            for texts in labelled[lang].values():
                for text in texts:
                    own = [m.entry.id for m in matchers[lang].match(text, limit=1)]
                    found = match_languages(matchers, text, prefer, limit=1)
                    if own:
                        total += 1
                        differ += (found.lang, found.matches[0].entry.id) != (lang, own[0])
    assert differ <= 0.01 * total, (differ, total)


def _conceived(entry_id: str, phrasing: str, *concepts: Concept) -> Entry:
    return replace(_entry(entry_id, (phrasing,)), concepts=concepts)


_PRICE = Concept("price", ("teuer", "kohle", "geld", "preis", "kostet", "pricey", "afford"))
_SUPPLIER = Concept("supplier", ("lieferant", "händler", "haben schon", "kein * nötig"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Words no phrasing has, but the concept's lexicon: colloquial, other forms, compounds.
        ("Die Kohle hamma ned", "price"),
        ("Was kostet der Spaß", "price"),
        ("Ihre Preisvorstellung ist utopisch", "price"),  # a compound's first part
        ("way too pricey for us", "price"),
        ("Wir kaufen beim Großhändler", "supplier"),  # a compound's last part
        ("Wir ham scho jemanden", "supplier"),  # a word group, in dialect
        ("Ein neuer ist keiner mehr nötig", "supplier"),  # a group with a gap
    ],
)
def test_a_concepts_words_find_its_entry(text: str, expected: str) -> None:
    matcher = Matcher(
        [
            _conceived("price", "Das ist zu viel für uns.", _PRICE),
            _conceived("supplier", "Da sind wir versorgt.", _SUPPLIER),
            _entry("other", ("Rufen Sie später wieder an.",)),
        ]
    )
    found = matcher.match(text)
    assert [m.entry.id for m in found[:1]] == [expected], (text, found)
    # Without the concepts the same texts find nothing or something else.
    plain = Matcher(
        [
            _entry("price", ("Das ist zu viel für uns.",)),
            _entry("supplier", ("Da sind wir versorgt.",)),
            _entry("other", ("Rufen Sie später wieder an.",)),
        ]
    )
    assert [m.entry.id for m in plain.match(text)[:1]] != [expected]


def test_a_whole_word_of_a_concept_beats_a_part_of_another() -> None:
    time = Concept("time", ("zeit", "eilig"))
    contract = Concept("contract", ("vertrag", "laufzeit"))
    matcher = Matcher(
        [
            _conceived("no_time", "Ich bin in Eile.", time),
            _conceived("contract_running", "Wir sind gebunden.", contract),
        ]
    )
    assert [m.entry.id for m in matcher.match("Unsere Laufzeit")] == ["contract_running"]
    assert matcher.match("Arbeitszeit ist knapp, bin eilig")[0].entry.id == "no_time"


def test_one_everyday_word_of_a_concept_is_no_objection(matchers: dict[str, Matcher]) -> None:
    # The real lexicons name ideas, not every word near them: the weather, the time, a log.
    for lang, text in (
        ("de", "wie wird das wetter morgen"),
        ("de", "12 Anrufe 3 Termine"),
        ("en", "what time is it"),
        ("en", "12 calls 3 meetings"),
    ):
        assert matchers[lang].match(text) == [], (lang, text)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ehrlich gsagt", "ehrlich gesagt"),
        ("des muss i mir überlegn", "das muss i mir ueberlegen"),
        ("Mir hend grad anders zum dua", "mir haben gerade anders zum tun"),
        ("passt scho so wia des is", "passt schon so wie das is"),
        # English words ending in consonant + "n" or starting with "g" stay as they are.
        ("often sudden given gmbh", "often sudden given gmbh"),
    ],
)
def test_spoken_bavarian_and_swabian_are_folded(text: str, folded: str) -> None:
    assert normalize(text, frames=False) == folded


def test_playbook_concepts_load_and_an_unknown_one_is_a_problem() -> None:
    entry = {
        "id": "tender_portal",
        "category": "authority",
        "phrasings": ["Das läuft bei uns über das Vergabeportal."],
        "meaning": "Formale Hürde.",
        "strategy": "Prozess klären.",
        "replies": ["Verstehe.", "Gern."],
        "ask_back": "Wer pflegt das Portal?",
        "avoid": "Drängeln.",
        "concepts": ["tender"],
    }
    good = parse_team_playbook(
        yaml.safe_dump({"entries": [entry], "concepts": {"tender": ["ausschreibung"]}}), "de"
    )
    assert isinstance(good, Playbook)
    assert good.entries[0].concepts == (Concept("tender", ("ausschreibung",)),)
    assert Matcher(good.entries).match("Das geht in die Ausschreibung")[0].entry.id == (
        "tender_portal"
    )
    bad = parse_team_playbook(yaml.safe_dump({"entries": [entry]}), "de")
    assert isinstance(bad, PlaybookError)
    assert bad.pairs == [("1:tender_portal.concepts", "playbook.error.invalid")]


def test_every_builtin_entry_has_concepts_of_its_file(playbooks: dict[str, Playbook]) -> None:
    for book in playbooks.values():
        for entry in book.entries:
            assert entry.concepts, (book.lang, entry.id)
            assert all(concept.words for concept in entry.concepts), (book.lang, entry.id)
