"""The objection playbooks and drill rubrics: content, loading, and teams' uploaded files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.coach.objections import CATEGORIES, Playbook
from bot.content import DEFAULT_PROMPTS, load_content
from bot.playbook import (
    DRAFT_EMPTY,
    DRAFT_KEYS,
    DRAFT_NO_WORDS,
    DRAFT_TOO_FEW,
    DRAFT_TOO_LONG,
    DRAFT_TOO_MANY,
    KEY_DUPLICATE_ID,
    KEY_ENTRY_TOO_LONG,
    KEY_LANGUAGE,
    KEY_NO_ENTRIES,
    KEY_TOO_LARGE,
    KEY_TOO_MANY_ENTRIES,
    KEY_WRONG_TYPE,
    KEY_YAML,
    MAX_PROBLEMS,
    MESSAGE_LIMIT,
    PLAYBOOK_FILE,
    PROBLEM_KEYS,
    RUBRIC_FILE,
    PlaybookError,
    PlaybookFileError,
    Problem,
    build_team_playbook,
    check_answer,
    check_done,
    draft_fits,
    entry_values,
    load_playbook,
    load_playbooks,
    load_rubrics,
    new_entry_id,
    parse_team_playbook,
    rendered_length,
)

# The objections the brief asks for, by id.
REQUIRED = (
    "think_about_it", "call_in_six_months", "no_interest", "no_need", "no_time",
    "too_expensive", "no_budget", "crisis", "have_supplier", "happy_as_is", "ask_boss",
    "send_documents", "where_number", "bad_experience", "unknown_company", "too_complicated",
    "contract_running", "competitor_cheaper", "call_later", "calling_again", "persistent",
    "do_it_in_house", "not_responsible", "send_email", "other_priorities", "discount",
)  # fmt: skip
INFORMAL = re.compile(r"\b(du|dich|dir|dein|deine|deinen|dir)\b", re.IGNORECASE)

GOOD_ENTRY: dict[str, Any] = {
    "id": "tender_portal",
    "category": "authority",
    "phrasings": ["Wir bestellen nur über das Vergabeportal."],
    "keywords": ["vergabeportal"],
    "meaning": "Formale Hürde.",
    "strategy": "Registrieren und den Ansprechpartner fragen, wie es läuft.",
    "replies": ["Wie komme ich auf das Portal?", "Wer betreut das Portal bei Ihnen?"],
    "ask_back": "Wann ist die nächste Ausschreibung?",
    "avoid": "Nicht am Portal vorbei verkaufen.",
}


@pytest.fixture(scope="module")
def playbooks() -> dict[str, Playbook]:
    """The real playbooks of both languages."""
    return load_playbooks()


def _team(entries: Any, lang: str = "de") -> Playbook | PlaybookError:
    return parse_team_playbook(yaml.safe_dump({"entries": entries}, allow_unicode=True), lang)


def _problems(result: Playbook | PlaybookError) -> list[tuple[str, str]]:
    assert isinstance(result, PlaybookError), result
    return result.pairs


def test_both_languages_cover_the_brief(playbooks: dict[str, Playbook]) -> None:
    for lang, book in playbooks.items():
        assert len(book.entries) >= 28, lang
        assert set(REQUIRED) <= set(book.ids), lang
        assert book.categories == CATEGORIES, lang
    assert playbooks["de"].ids == playbooks["en"].ids


def test_entries_are_complete_and_fit_a_message(playbooks: dict[str, Playbook]) -> None:
    for lang, book in playbooks.items():
        for entry in book.entries:
            where = (lang, entry.id)
            assert 5 <= len(entry.phrasings) <= 10, where
            assert 2 <= len(entry.replies) <= 3, where
            assert entry.keywords, where
            assert rendered_length(entry) <= MESSAGE_LIMIT // 2, where
            assert not entry.team, where


def test_german_replies_address_the_customer_formally(playbooks: dict[str, Playbook]) -> None:
    for entry in playbooks["de"].entries:
        for text in (*entry.replies, entry.ask_back):
            assert not INFORMAL.search(text), (entry.id, text)
        assert any("Sie" in reply or "Ihnen" in reply for reply in entry.replies), entry.id


def test_english_is_english(playbooks: dict[str, Playbook]) -> None:
    for entry in playbooks["en"].entries:
        texts = (*entry.phrasings, *entry.replies, entry.meaning, entry.strategy, entry.avoid)
        assert not any(ch in text for text in texts for ch in "äöüß„"), entry.id


def test_the_general_loader_does_not_see_the_playbook() -> None:
    content = load_content()
    assert not any(key.startswith(("objections.", "drill_rubric.")) for key in content.texts["de"])


def test_rubrics_load() -> None:
    rubrics = load_rubrics()
    for lang, rubric in rubrics.items():
        assert rubric.lang == lang
        assert rubric.min_words < rubric.max_words
    assert "aber" in rubrics["de"].arguing
    assert "but" in rubrics["en"].arguing


def _copy_prompts(tmp_path: Path) -> Path:
    for lang in ("de", "en"):
        for name in (PLAYBOOK_FILE, RUBRIC_FILE):
            target = tmp_path / lang / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((DEFAULT_PROMPTS / lang / name).read_bytes())
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_broken_builtin_file_names_entry_and_field(tmp_path: Path) -> None:
    prompts = _copy_prompts(tmp_path)
    path = prompts / "de" / PLAYBOOK_FILE
    _edit(
        path, "  - id: no_budget\n    category: price\n", "  - id: no_budget\n    category: money\n"
    )
    with pytest.raises(
        PlaybookFileError,
        match=r"11:no_budget\.category: Input should be .*\(playbook\.error\.unknown_category\)",
    ):
        load_playbook(path)
    with pytest.raises(PlaybookFileError):
        load_playbooks(prompts)
    assert load_playbook(prompts / "en" / PLAYBOOK_FILE).lang == "en"


def test_languages_must_have_the_same_ids_and_categories(tmp_path: Path) -> None:
    prompts = _copy_prompts(tmp_path)
    _edit(prompts / "en" / PLAYBOOK_FILE, "  - id: discount\n", "  - id: haggling\n")
    with pytest.raises(PlaybookFileError, match="only in de: \\['discount'\\]"):
        load_playbooks(prompts)
    prompts = _copy_prompts(tmp_path / "again")
    _edit(
        prompts / "en" / PLAYBOOK_FILE,
        "  - id: discount\n    category: price\n",
        "  - id: discount\n    category: trust\n",
    )
    with pytest.raises(PlaybookFileError, match=r"categories differ.*discount"):
        load_playbooks(prompts)


def test_unreadable_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PlaybookFileError):
        load_playbook(tmp_path / "missing.yaml", "de")
    broken = tmp_path / "broken.yaml"
    broken.write_text("entries: [\n", encoding="utf-8")
    with pytest.raises(PlaybookFileError):
        load_playbook(broken, "de")


def test_a_broken_rubric_is_refused(tmp_path: Path) -> None:
    prompts = _copy_prompts(tmp_path)
    _edit(prompts / "en" / RUBRIC_FILE, "min_words: 8", "min_words: 90")
    with pytest.raises(PlaybookFileError, match="min_words"):
        load_rubrics(prompts)
    _edit(prompts / "en" / RUBRIC_FILE, "min_words: 90", "min_words: fifteen")
    with pytest.raises(PlaybookFileError, match="min_words"):
        load_rubrics(prompts)


def test_a_good_team_file_is_accepted() -> None:
    result = _team([GOOD_ENTRY, {**GOOD_ENTRY, "id": "too_expensive", "category": "price"}])
    assert isinstance(result, Playbook)
    assert result.lang == "de"
    assert result.ids == ("tender_portal", "too_expensive")
    assert all(entry.team for entry in result.entries)
    bare = parse_team_playbook(yaml.safe_dump([GOOD_ENTRY]), "en")
    assert isinstance(bare, Playbook)


def test_team_texts_are_stripped() -> None:
    result = _team([{**GOOD_ENTRY, "meaning": "  Formale Hürde.  "}])
    assert isinstance(result, Playbook)
    assert result.entries[0].meaning == "Formale Hürde."


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"replies": ["Nur eine."]}, ("1:tender_portal.replies", "playbook.error.too_few")),
        ({"replies": "Ein Text"}, ("1:tender_portal.replies", KEY_WRONG_TYPE)),
        ({"meaning": "   "}, ("1:tender_portal.meaning", "playbook.error.empty")),
        ({"avoid": "x" * 601}, ("1:tender_portal.avoid", "playbook.error.too_long")),
        ({"category": "money"}, ("1:tender_portal.category", "playbook.error.unknown_category")),
        ({"id": "Tender Portal"}, ("1.id", "playbook.error.bad_id")),
        ({"colour": "blue"}, ("1:tender_portal.colour", "playbook.error.unknown_field")),
        ({"phrasings": ["ok", 5]}, ("1:tender_portal.phrasings.2", KEY_WRONG_TYPE)),
        ({"ask_back": None}, ("1:tender_portal.ask_back", KEY_WRONG_TYPE)),
    ],
)
def test_team_file_problems_name_entry_and_field(
    change: dict[str, Any], expected: tuple[str, str]
) -> None:
    problems = _problems(_team([{**GOOD_ENTRY, **change}]))
    assert problems == [expected]


def test_a_missing_field_and_a_second_bad_entry() -> None:
    missing = {key: value for key, value in GOOD_ENTRY.items() if key != "strategy"}
    problems = _problems(_team([GOOD_ENTRY, missing]))
    assert problems == [("2:tender_portal.strategy", "playbook.error.missing")]


def test_duplicate_ids_and_overlong_entries() -> None:
    assert _problems(_team([GOOD_ENTRY, GOOD_ENTRY])) == [("2:tender_portal.id", KEY_DUPLICATE_ID)]
    long_entry = {**GOOD_ENTRY, "phrasings": ["p" * 200] * 15, "replies": ["r" * 500] * 5}
    assert _problems(_team([long_entry])) == [("1:tender_portal", KEY_ENTRY_TOO_LONG)]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("entries: [\n", KEY_YAML),
        ("id: 2024-13-45\n", KEY_YAML),
        ("[" * 5000, KEY_YAML),
        ("", KEY_NO_ENTRIES),
        ("entries: []\n", KEY_NO_ENTRIES),
        ("entries: oops\n", KEY_WRONG_TYPE),
        ("just text\n", KEY_WRONG_TYPE),
        ("42\n", KEY_WRONG_TYPE),
        ("# " + "x" * (256 * 1024) + "\n", KEY_TOO_LARGE),
    ],
)
def test_broken_uploads_are_explained(text: str, key: str) -> None:
    problems = _problems(parse_team_playbook(text, "de"))
    assert [k for _, k in problems] == [key]


def test_too_many_entries_and_an_unknown_language() -> None:
    many = [{**GOOD_ENTRY, "id": f"entry_{n}"} for n in range(201)]
    assert _problems(_team(many)) == [("", KEY_TOO_MANY_ENTRIES)]
    assert _problems(parse_team_playbook(yaml.safe_dump(many), "de")) == [
        ("", KEY_TOO_MANY_ENTRIES)
    ]
    assert _problems(_team([GOOD_ENTRY], lang="fr")) == [("", KEY_LANGUAGE)]


def test_aliases_are_not_expanded() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 12)]
    lines += ["entries:", "  - *a11"]
    problems = _problems(parse_team_playbook("\n".join(lines), "de"))
    assert ("1", KEY_WRONG_TYPE) in problems
    shared = yaml.safe_dump({"entries": [GOOD_ENTRY, {**GOOD_ENTRY, "id": "second"}]})
    assert "&" in shared
    assert isinstance(parse_team_playbook(shared, "de"), Playbook)


def test_problems_are_capped() -> None:
    entries = [{**GOOD_ENTRY, "id": f"entry_{n}", "replies": []} for n in range(50)]
    assert len(_problems(_team(entries))) == MAX_PROBLEMS


def test_problem_location() -> None:
    assert Problem("k").location == ""
    assert Problem("k", field="entries").location == "entries"
    assert Problem("k", 3).location == "3"
    assert Problem("k", 3, "x", "replies", 2).location == "3:x.replies.2"


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30))
_yaml_like = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from([*GOOD_ENTRY, "entries", "x"]) | st.text(max_size=8), inner, max_size=6
        ),
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=400), data=_yaml_like, lang=st.sampled_from(["de", "en", "xx"]))
def test_parse_team_playbook_never_raises(text: str, data: Any, lang: str) -> None:
    for upload in (text, yaml.safe_dump(data), yaml.safe_dump({"entries": [data, GOOD_ENTRY]})):
        result = parse_team_playbook(upload, lang)
        if isinstance(result, PlaybookError):
            assert result.problems
            assert all(problem.key in PROBLEM_KEYS for problem in result.problems)
        else:
            assert all(entry.team for entry in result.entries)


# --- Guided editing ----------------------------------------------------------------------------


def test_every_draft_key_has_a_text() -> None:
    content = load_content()
    for key in DRAFT_KEYS:
        for lang in content.languages:
            assert content.text(lang, key, limit=3)


@pytest.mark.parametrize(
    ("name", "text", "key", "limit"),
    [
        ("meaning", "", DRAFT_EMPTY, 0),
        ("meaning", " \n\t", DRAFT_EMPTY, 0),
        ("meaning", "😀😀 🎉!", DRAFT_NO_WORDS, 0),
        ("meaning", "x" * 4096, DRAFT_TOO_LONG, 600),
        ("ask_back", "x" * 301, DRAFT_TOO_LONG, 300),
        ("phrasings", "\n\n", DRAFT_EMPTY, 0),
        ("phrasings", "Zu teuer\n👎", DRAFT_NO_WORDS, 0),
        ("phrasings", "x" * 201, DRAFT_TOO_LONG, 200),
        ("phrasings", "\n".join(f"Satz {n}" for n in range(16)), DRAFT_TOO_MANY, 15),
        ("replies", "\n".join(f"Antwort {n}" for n in range(6)), DRAFT_TOO_MANY, 5),
    ],
)
def test_bad_answers_name_the_problem(name: str, text: str, key: str, limit: int) -> None:
    answer = check_answer(name, text)
    assert (answer.value, answer.key, answer.limit) == (None, key, limit)


def test_answers_are_stripped_and_lists_split_by_line() -> None:
    assert check_answer("meaning", "  Der Kunde zögert.  ").value == "Der Kunde zögert."
    phrasings = check_answer("phrasings", "  Zu teuer \n\n Viel zu teuer\n")
    assert phrasings.value == ("Zu teuer", "Viel zu teuer")
    replies = check_answer("replies", "Drei", ("Eins", "Zwei"))
    assert replies.value == ("Eins", "Zwei", "Drei")
    assert check_answer("replies", "x\ny\nz", ("a", "b", "c")).key == DRAFT_TOO_MANY
    assert check_done("replies", ["Eins"]).key == DRAFT_TOO_FEW
    assert check_done("replies", ["Eins", "Zwei"]).value == ("Eins", "Zwei")


def test_new_ids_are_readable_valid_and_unique() -> None:
    assert new_entry_id("Das ist uns zu teuer!", set()) == "team_das_ist_uns_zu_teuer"
    assert new_entry_id("Das ist uns zu teuer!", {"team_das_ist_uns_zu_teuer"}).endswith("_2")
    assert new_entry_id("😀", set()) == "team_entry"
    long = new_entry_id("Über den Preis reden wir später noch einmal ganz ausführlich", set())
    assert long == "team_ueber_den_preis_reden_wir_spaeter"
    assert parse_team_playbook(yaml.safe_dump([{**GOOD_ENTRY, "id": long}]), "de")


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=300))
def test_generated_ids_always_pass_the_schema(phrasing: str) -> None:
    entry_id = new_entry_id(phrasing, {"team_entry"})
    entry = {**GOOD_ENTRY, "id": entry_id}
    assert isinstance(parse_team_playbook(yaml.safe_dump([entry]), "de"), Playbook)


def test_building_adds_or_replaces_one_entry_and_validates_like_an_upload() -> None:
    team = parse_team_playbook(yaml.safe_dump([GOOD_ENTRY]), "de")
    assert isinstance(team, Playbook)
    added = {**GOOD_ENTRY, "id": "team_no", "phrasings": ["Nein."], "keywords": []}
    source, result = build_team_playbook(team, added, "de")
    assert isinstance(result, Playbook)
    assert result.ids == ("tender_portal", "team_no")
    assert parse_team_playbook(source, "de") == result
    changed = {**entry_values(team.entries[0]), "avoid": "Nie drängeln.", "keywords": []}
    _, replaced = build_team_playbook(team, changed, "de")
    assert isinstance(replaced, Playbook)
    assert replaced.ids == ("tender_portal",)
    assert replaced.entries[0].avoid == "Nie drängeln."
    assert replaced.entries[0].keywords == ("vergabeportal",), "curated keywords are kept"
    crowded = {**GOOD_ENTRY, "replies": ["x" * 500] * 5, "phrasings": ["p" * 200] * 15}
    _, refused = build_team_playbook(None, crowded, "de")
    assert isinstance(refused, PlaybookError)
    assert refused.pairs == [("1:tender_portal", KEY_ENTRY_TOO_LONG)]
    assert not draft_fits(crowded)
    assert draft_fits(GOOD_ENTRY)
