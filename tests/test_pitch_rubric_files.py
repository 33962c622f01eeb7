"""The pitch rubric files: both languages load, the lists make sense, broken files are refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.coach._text import fold
from bot.coach.pitch import PitchRubric, score_pitch
from bot.content import DEFAULT_PROMPTS
from bot.playbook import (
    LANGUAGES,
    PITCH_RUBRIC_FILE,
    PlaybookFileError,
    load_pitch_rubric,
    load_pitch_rubrics,
)

LISTS = (
    "you_words",
    "we_words",
    "filler",
    "buzzwords",
    "benefit",
    "numbers",
    "open_question_starts",
    "closed_question_starts",
    "lead_ins",
    "stopwords",
    "abbreviations",
    "deal_asks",
    "benefit_clauses",
)


@pytest.fixture(scope="module")
def rubrics() -> dict[str, PitchRubric]:
    """The real pitch rubrics of both languages."""
    return load_pitch_rubrics()


def _raw(lang: str) -> dict[str, Any]:
    data = yaml.safe_load((DEFAULT_PROMPTS / lang / PITCH_RUBRIC_FILE).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_both_languages_load(rubrics: dict[str, PitchRubric]) -> None:
    assert set(rubrics) == set(LANGUAGES)
    de, en = rubrics["de"], rubrics["en"]
    assert (de.lang, en.lang) == ("de", "en")
    # 40-60 words is 20-30 s: a tight pitch for a first call is in the band.
    assert (de.words_per_minute, en.words_per_minute) == (120, 120)
    assert de.band == en.band == (20, 45)
    assert de.min_words == en.min_words == 12
    assert de.verdict_scores == en.verdict_scores == (20, 60, 90)
    assert "fest machen" in de.deal_asks
    assert "sign" in en.deal_asks
    assert "damit" in de.benefit_clauses
    assert "so that" in en.benefit_clauses
    assert de.quotes == ("„", "“")
    assert en.quotes == ("“", "”")
    # German has a polite form that counts only when capitalised; English has none.
    assert "ihnen" in de.formal_you
    assert en.formal_you == ()


def test_lists_are_folded_and_usable(rubrics: dict[str, PitchRubric]) -> None:
    for rubric in rubrics.values():
        for name in LISTS:
            items = getattr(rubric, name)
            assert items, (rubric.lang, name)
            assert len(set(items)) == len(items), (rubric.lang, name)
            for item in items:
                assert item == fold(item), (rubric.lang, name, item)
                assert any(ch.isalnum() for ch in item), (rubric.lang, name, item)


def test_open_and_closed_question_starts_do_not_overlap(rubrics: dict[str, PitchRubric]) -> None:
    for rubric in rubrics.values():
        assert not set(rubric.open_question_starts) & set(rubric.closed_question_starts)
        assert not set(rubric.you_words) & set(rubric.we_words)


def test_every_buzzword_and_filler_is_found_in_a_sentence(rubrics: dict[str, PitchRubric]) -> None:
    """Each marker, written out as a word in a sentence, is recognised by the scorer."""
    for rubric in rubrics.values():
        for name in ("buzzwords", "filler"):
            for marker in getattr(rubric, name):
                word = marker.strip("*")
                score = score_pitch(f"Zehn Kunden. {word}. Zehn Kunden.", rubric)
                assert [fold(w) for w in getattr(score, name)] == [word], (rubric.lang, marker)


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "pitch_rubric.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "blau"}, "colour"),
        ({"filler": []}, "filler"),
        ({"buzzwords": ["  "]}, "buzzwords"),
        ({"band": [45, 30]}, "band"),
        ({"band": [30]}, "band"),
        ({"words_per_minute": "130"}, "words_per_minute"),
        ({"words_per_minute": 5}, "words_per_minute"),
        ({"quotes": ["„"]}, "quotes"),
        ({"avg_sentence_words": 30, "max_sentence_words": 20}, "avg_sentence_words"),
        ({"open_question_starts": None}, "open_question_starts"),
        ({"min_words": 0}, "min_words"),
        ({"verdict_scores": {"needs_work": 60, "solid": 30, "strong": 90}}, "verdict_scores"),
        ({"verdict_scores": {"solid": 60, "great": 95}}, "great"),
        ({"deal_asks": [""]}, "deal_asks"),
    ],
)
def test_broken_rubrics_are_refused(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    data = {**_raw("de"), **change}
    with pytest.raises(PlaybookFileError, match=message):
        load_pitch_rubric(_write(tmp_path, data), "de")


def test_a_missing_list_is_refused(tmp_path: Path) -> None:
    data = _raw("en")
    del data["we_words"]
    with pytest.raises(PlaybookFileError, match="we_words"):
        load_pitch_rubric(_write(tmp_path, data), "en")


def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PlaybookFileError):
        load_pitch_rubric(tmp_path / "missing.yaml", "de")
    bad = tmp_path / "bad.yaml"
    bad.write_text("filler: [unclosed\n", encoding="utf-8")
    with pytest.raises(PlaybookFileError):
        load_pitch_rubric(bad, "de")


def test_formal_you_may_be_left_out(tmp_path: Path) -> None:
    data = _raw("de")
    del data["formal_you"]
    rubric = load_pitch_rubric(_write(tmp_path, data), "de")
    assert rubric.formal_you == ()
    assert rubric.lang == "de"
