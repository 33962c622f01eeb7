"""Pitch verdicts: band accuracy on the tuned set and on the independent holdout, side by side.

Each pitch is scored as the bot scores it (by the rubric of the language it is written in,
detected from the text with the rep's profile language as the default) and its verdict band
(not_a_pitch / needs_work / solid / strong) compared with the label. The tuned set
(tests/data/pitch_bands.yaml) is what the rubric was tuned on; the holdout
(tests/data/pitch_holdout.yaml) was written apart by someone who did not see the rubric.

    python -m bench.pitch_verdicts              # both sets, with a confusion table each
    python -m bench.pitch_verdicts --misses     # also list every pitch that got another band
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.coach.pitch import VERDICTS, PitchRubric, pitch_language, score_pitch
from bot.playbook import load_pitch_rubrics

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
SETS = {"tuned": DATA / "pitch_bands.yaml", "holdout": DATA / "pitch_holdout.yaml"}


@dataclass(frozen=True)
class Result:
    """One labelled pitch and what the bot made of it."""

    text: str
    lang: str
    detected: str
    label: str
    band: str
    total: int
    why: str


def load(path: Path) -> list[dict[str, Any]]:
    """The labelled pitches of a file (a list under "pitches", or a bare list)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data.get("pitches", data) if isinstance(data, dict) else data
    assert isinstance(items, list), path
    return items


def judge(items: list[dict[str, Any]], rubrics: dict[str, PitchRubric]) -> list[Result]:
    """Each pitch scored by the rubric of its detected language, tips for the rep's."""
    results = []
    for item in items:
        text, lang = str(item["text"]), str(item["lang"])
        profile = str(item.get("profile") or lang)
        detected = pitch_language(text, rubrics, profile)
        score = score_pitch(text, rubrics[detected], quotes=rubrics[profile].quotes)
        results.append(
            Result(
                text,
                lang,
                detected,
                str(item["band"]),
                score.verdict,
                score.total,
                str(item.get("why", "")),
            )
        )
    return results


def report(name: str, results: list[Result], misses: bool) -> None:
    """Accuracy overall and per language, the confusion table and, if asked, the misses."""
    right = sum(r.band == r.label for r in results)
    print(f"\n{name}: {right}/{len(results)} bands right ({100 * right / len(results):.1f} %)")
    for lang in sorted({r.lang for r in results}):
        mine = [r for r in results if r.lang == lang]
        ok = sum(r.band == r.label for r in mine)
        print(f"  {lang}: {ok}/{len(mine)} ({100 * ok / len(mine):.1f} %)")
    adjacent = sum(abs(VERDICTS.index(r.band) - VERDICTS.index(r.label)) <= 1 for r in results)
    print(f"  within one band: {adjacent}/{len(results)}")
    detected = sum(r.detected == r.lang for r in results)
    print(f"  language detected: {detected}/{len(results)}")
    pairs = Counter((r.label, r.band) for r in results)
    print("  label \\ verdict " + " ".join(f"{band:>12}" for band in VERDICTS))
    for label in VERDICTS:
        print(f"  {label:>15} " + " ".join(f"{pairs[label, band]:>12}" for band in VERDICTS))
    if misses:
        for r in results:
            if r.band != r.label:
                excerpt = " ".join(r.text.split())[:90]
                print(f"  - {r.lang} {r.total:>3} {r.band} (label {r.label}): {excerpt}")
                print(f"      why: {r.why}")


def main() -> None:
    """Print both sets' figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the pitches judged wrongly")
    args = parser.parse_args()
    rubrics = load_pitch_rubrics()
    for name, path in SETS.items():
        if not path.exists():
            print(f"\n{name}: {path} not found")
            continue
        report(name, judge(load(path), rubrics), args.misses)


if __name__ == "__main__":
    main()
