"""Objection lookup: latency per lookup with a big playbook, and accuracy on the labelled set.

Per language, builds a matcher over the real playbook plus synthetic entries (500 in all by
default), then looks up every labelled phrasing (and the holdout and off-topic texts) many
times, timing each lookup on its own.

    python -m bench.lookup                       # 500 entries, 20 rounds
    python -m bench.lookup --entries 1000 --rounds 5
    python -m bench.lookup --final               # also the final holdout (measure once)

Accuracy is printed for the tuned set and its older holdout (tests/data/objection_phrasings.yaml),
the independent dev and dev2 sets (tests/data/objection_holdout.yaml; dev2 was the first "final",
seen since) and, with --final, the final holdout (tests/data/objection_holdout_final.yaml), each
looked up as the bot does: in the rep's profile language and the customer's
(bot.coach.objections.match_languages).

Synthetic entries mix words of the real playbooks with made-up words, so the index has the
long posting lists of common words a real team playbook would have, and typo lookups search
a vocabulary of realistic size.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.coach.objections import CATEGORIES, Entry, Matcher, Playbook, match_languages
from bot.playbook import load_playbooks

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
LABELLED = DATA / "objection_phrasings.yaml"
HOLDOUT = DATA / "objection_holdout.yaml"
FINAL = DATA / "objection_holdout_final.yaml"
LANGS = ("de", "en")
_SYLLABLES = ("ka", "lo", "mi", "ter", "sun", "ber", "ix", "ra", "vo", "len", "sch", "au", "el")


def synthetic_entries(books: Sequence[Playbook], count: int, seed: int) -> list[Entry]:
    """`count` made-up entries drawing half their words from the real playbooks."""
    rng = random.Random(seed)
    real = sorted(
        {word for book in books for e in book.entries for p in e.phrasings for word in p.split()}
    )
    made_up = sorted(
        {"".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4))) for _ in range(4 * count)}
    )

    def words(n: int) -> str:
        return " ".join(rng.choice(real if rng.random() < 0.5 else made_up) for _ in range(n))

    return [
        Entry(
            id=f"synthetic_{n}",
            category=rng.choice(CATEGORIES),
            phrasings=tuple(words(rng.randint(4, 10)) for _ in range(rng.randint(5, 10))),
            keywords=tuple(words(rng.randint(1, 2)) for _ in range(rng.randint(5, 12))),
            meaning=words(30),
            strategy=words(30),
            replies=(words(25), words(25)),
            ask_back=words(12),
            avoid=words(20),
        )
        for n in range(count)
    ]


def typo_texts(books: Sequence[Playbook], count: int, seed: int) -> list[str]:
    """Worst cases: 30 playbook words, each with one letter changed, so every word needs a
    typo lookup (the matcher caps both the words and the typo lookups per text)."""
    rng = random.Random(seed)
    real = sorted(
        {word for book in books for e in book.entries for p in e.phrasings for word in p.split()}
    )
    texts = []
    for _ in range(count):
        words = []
        for word in rng.choices(real, k=30):
            at = rng.randrange(len(word))
            words.append(word[:at] + rng.choice("aeiouxyz") + word[at + 1 :])
        texts.append(" ".join(words))
    return texts


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def accuracy(matcher: Matcher, section: Mapping[str, list[str]]) -> tuple[float, float, int]:
    """Top-1 and top-3 accuracy of a matcher on one language's labelled texts."""
    top1 = top3 = total = 0
    for expected, texts in section.items():
        for text in texts:
            ids = [m.entry.id for m in matcher.match(text, limit=3)]
            top1 += ids[:1] == [expected]
            top3 += expected in ids
            total += 1
    return top1 / total, top3 / total, total


@dataclass(frozen=True, slots=True)
class Item:
    """A labelled text: what the customer said, its language, the rep's, the entry expected."""

    text: str
    lang: str
    profile: str
    expected: str


def tuned_items(data: Mapping[str, Any]) -> list[Item]:
    """The tuned set (and its old holdout section) as items looked up in their own language."""
    return [
        Item(text, lang, lang, expected)
        for lang in LANGS
        for expected, texts in data[lang].items()
        for text in texts
    ]


def holdout_items(rows: Sequence[Mapping[str, str]]) -> list[Item]:
    """Rows of tests/data/objection_holdout.yaml; `profile` only where it differs from `lang`."""
    return [
        Item(row["text"], row["lang"], row.get("profile", row["lang"]), row["id"]) for row in rows
    ]


def top_k(matchers: Mapping[str, Matcher], items: Sequence[Item]) -> tuple[float, float, int]:
    """Top-1 and top-3 accuracy (and count) as the bot looks a text up for the rep's profile."""
    top1 = top3 = 0
    for item in items:
        ids = [m.entry.id for m in match_languages(matchers, item.text, item.profile).matches]
        top1 += ids[:1] == [item.expected]
        top3 += item.expected in ids
    return top1 / max(len(items), 1), top3 / max(len(items), 1), len(items)


def print_accuracy(books: Mapping[str, Playbook], *, final: bool) -> None:
    """The accuracy table: tuned, older holdout, dev, dev2 and (with `final`) the final holdout,
    per language and overall."""
    data: dict[str, Any] = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    holdout: dict[str, Any] = yaml.safe_load(HOLDOUT.read_text(encoding="utf-8"))
    matchers = {lang: Matcher(books[lang].entries) for lang in LANGS}
    sets = [
        ("tuned", tuned_items({lang: data[lang] for lang in LANGS})),
        ("older", tuned_items(data["holdout"])),
        ("dev", holdout_items(holdout["dev"])),
        ("dev2", holdout_items(holdout["dev2"])),
    ]
    if final:
        rows: dict[str, Any] = yaml.safe_load(FINAL.read_text(encoding="utf-8"))
        sets.append(("final", holdout_items(rows["final"])))
    print("accuracy with the real playbook (top-1 / top-3, n):")
    print(f"    {'set':6} {'de':>22} {'en':>22} {'all':>22} {'other profile':>22}")
    for name, items in sets:
        cells = []
        for group in (
            [i for i in items if i.lang == "de"],
            [i for i in items if i.lang == "en"],
            list(items),
            [i for i in items if i.profile != i.lang],
        ):
            top1, top3, count = top_k(matchers, group)
            cells.append(f"{top1:6.1%} / {top3:6.1%} ({count:3})")
        print(f"    {name:6} " + " ".join(f"{cell:>22}" for cell in cells))


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=500, help="entries per language")
    parser.add_argument("--rounds", type=int, default=20, help="passes over all texts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--final", action="store_true", help="also the holdout's final set")
    parser.add_argument("--accuracy-only", action="store_true", help="skip the timings")
    args = parser.parse_args(argv)

    books = load_playbooks()
    print_accuracy(books, final=args.final)
    if args.accuracy_only:
        return
    data: dict[str, Any] = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    holdout: dict[str, Any] = yaml.safe_load(HOLDOUT.read_text(encoding="utf-8"))
    print(f"entries per language: {args.entries}, rounds: {args.rounds}")
    bigs: dict[str, Matcher] = {}
    for lang in LANGS:
        book = books[lang]
        extra = synthetic_entries(list(books.values()), args.entries - len(book.entries), args.seed)
        started = time.perf_counter()
        bigs[lang] = Matcher([*book.entries, *extra])
        print(f"{lang}: build {1000 * (time.perf_counter() - started):.0f} ms")
    latencies: list[float] = []
    for lang in LANGS:
        big = bigs[lang]
        texts = [t for texts in data[lang].values() for t in texts]
        texts += [t for texts in data["holdout"][lang].values() for t in texts]
        texts += data["off_topic"][lang]
        texts += [
            row["text"] for key in ("dev", "dev2") for row in holdout[key] if row["lang"] == lang
        ]
        for text in texts[:20]:
            match_languages(bigs, text, lang)  # warm-up: first calls pay for imports and caches
        # As the bot looks up: the rep's language and the customer's, both big playbooks.
        own: list[float] = []
        for _ in range(args.rounds):
            for text in texts:
                started = time.perf_counter()
                match_languages(bigs, text, lang)
                own.append(1000 * (time.perf_counter() - started))
        latencies += own
        worst: list[float] = []
        for text in typo_texts(list(books.values()), 200, args.seed):
            started = time.perf_counter()
            match_languages(bigs, text, lang)
            worst.append(1000 * (time.perf_counter() - started))
        small = Matcher(books[lang].entries)
        print(
            f"{lang} rep, {len(own)} lookups in both languages: "
            f"p50 {percentile(own, 0.5):.3f} ms, p95 {percentile(own, 0.95):.3f} ms, "
            f"p99 {percentile(own, 0.99):.3f} ms, max {max(own):.3f} ms"
        )
        print(
            f"    worst case, 30 misspelt words, x{len(worst)}: "
            f"p50 {percentile(worst, 0.5):.3f} ms, p99 {percentile(worst, 0.99):.3f} ms, "
            f"max {max(worst):.3f} ms"
        )
        for name, section in (("labelled", data[lang]), ("holdout", data["holdout"][lang])):
            for label, matcher in (("playbook", small), (f"{args.entries} entries", big)):
                top1, top3, count = accuracy(matcher, section)
                print(
                    f"    {name:8} {label:>12}: top-1 {top1:6.1%}  top-3 {top3:6.1%}  (n={count})"
                )
    print(
        f"all: p50 {percentile(latencies, 0.5):.3f} ms, p95 {percentile(latencies, 0.95):.3f} ms, "
        f"p99 {percentile(latencies, 0.99):.3f} ms, mean {statistics.fmean(latencies):.3f} ms"
    )


if __name__ == "__main__":
    main()
