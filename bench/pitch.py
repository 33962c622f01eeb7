"""Pitch scoring: time per pitch for realistic pitches, 4096-character texts and garbage.

Builds pitches per language from a bank of sentences (strong and weak, with fillers, buzzwords,
numbers, open and closed endings), scores each one many times with the real rubrics and prints
percentiles per pitch. Long texts are realistic sentences up to Telegram's 4096 characters;
garbage is 4096 random characters (punctuation, umlauts, other scripts) as the worst case for
the tokenizer. Recall scoring and version diffs are timed on the same texts for reference.

    python -m bench.pitch                      # 300 pitches per kind, 20 rounds
    python -m bench.pitch --pitches 100 --rounds 5
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Sequence

from bot.coach.pitch import PitchRubric, diff_pitches, score_pitch, score_recall
from bot.playbook import load_pitch_rubrics

TARGET_MS = 5.0
MAX_CHARS = 4096
SENTENCES = {
    "de": (
        "Guten Tag, Herr Brandt, hier ist Anna Berg von Tourplan.",
        "Sie kennen das: Ein Fahrer fällt aus, und Ihre Disposition plant den Vormittag um.",
        "Mit Tourplan sind alle Touren in zwei Minuten neu berechnet.",
        "Eine Spedition aus Ulm spart damit jeden Tag drei Stunden.",
        "Ihre Monteure verbringen im Schnitt eine Stunde am Tag mit Papierkram.",
        "Unsere Sensoren senken den Ausschuss von 15 auf unter 5 Prozent.",
        "Bei Ihrem Volumen sind das etwa 40.000 Euro im Jahr.",
        "Ich wollte nur mal kurz anrufen, weil wir eigentlich quasi neu am Markt sind.",
        "Wir sind ein innovativer Lösungsanbieter und Innovationsführer für Lagerlogistik.",
        "Unsere ganzheitliche Plattform bietet echten Mehrwert, z. B. für den Mittelstand.",
        "Die Händler sagen, dass sie keine Zeit haben, und wir helfen ihnen dabei.",
        "Wie lösen Sie das heute, wenn morgens ein Fahrer fehlt?",
        "Welche Maschine macht Ihnen beim Ausschuss gerade die meisten Sorgen?",
        "Haben Sie Interesse?",
        "Darf ich Ihnen was schicken?",
        "Das klingt doch gut, oder?",
        "Wir freuen uns auf Ihre Anfrage.",
    ),
    "en": (
        "Hi Mark, it's Sarah from Routewise.",
        "When a driver calls in sick, your dispatchers spend an hour rebuilding routes.",
        "Routewise rebuilds every route in two minutes and keeps your delivery windows.",
        "A courier firm in Leeds saves twelve hours a week with it.",
        "Most clinics lose around 15 percent of appointments to no-shows.",
        "Our reminders cut no-shows to under 5 percent, e.g. with one reply by text.",
        "For a clinic your size that's about 40,000 dollars a year.",
        "I just wanted to basically reach out, because we're kind of new.",
        "We're an innovative, best-in-class solution provider for logistics.",
        "Our seamless, end-to-end platform empowers your brand.",
        "We have offices in ten countries and our team is passionate about what we do.",
        "How do you handle it today when a driver drops out?",
        "Which day of the week hurts most with no-shows?",
        "Would you be interested?",
        "Can I send you a brochure?",
        "That sounds useful, right?",
        "We look forward to hearing from you.",
    ),
}
_GARBAGE = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "äöüßÄÖÜ .,;:!?…–-'’\"„“()%€\n\t"
    "ñéèçğışαβγδжзийкл中文字日本語한국어ﬁﬂ①②ﾞ\u0301"
)


def realistic(lang: str, count: int, rng: random.Random) -> list[str]:
    """Pitches of 4 to 8 sentences drawn from the language's bank, ending on a question."""
    bank = SENTENCES[lang]
    return [" ".join(rng.sample(bank, rng.randint(4, 8))) for _ in range(count)]


def long_texts(lang: str, count: int, rng: random.Random) -> list[str]:
    """Realistic sentences until the text reaches Telegram's limit of 4096 characters."""
    texts = []
    for _ in range(count):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < MAX_CHARS:
            parts.append(rng.choice(SENTENCES[lang]))
        texts.append(" ".join(parts)[:MAX_CHARS])
    return texts


def garbage(count: int, rng: random.Random) -> list[str]:
    """4096 random characters: many short tokens and odd gaps, the tokenizer's worst case."""
    return ["".join(rng.choices(_GARBAGE, k=MAX_CHARS)) for _ in range(count)]


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def timed(call: Callable[[], object], rounds: int) -> list[float]:
    """Milliseconds per call, each call timed on its own."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append(1000 * (time.perf_counter() - started))
    return times


def _scoring(text: str, rubric: PitchRubric) -> Callable[[], object]:
    return lambda: score_pitch(text, rubric)


def _recalling(original: str, recalled: str, rubric: PitchRubric) -> Callable[[], object]:
    return lambda: score_recall(original, recalled, rubric)


def _diffing(old: str, new: str) -> Callable[[], object]:
    return lambda: diff_pitches(old, new)


def report(label: str, times: Sequence[float]) -> None:
    """One line of percentiles."""
    print(
        f"  {label:34} n={len(times):6}  p50 {percentile(times, 0.5):7.3f} ms  "
        f"p95 {percentile(times, 0.95):7.3f} ms  p99 {percentile(times, 0.99):7.3f} ms  "
        f"max {max(times):7.3f} ms  mean {statistics.fmean(times):7.3f} ms"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pitches", type=int, default=300, help="pitches per kind and language")
    parser.add_argument("--rounds", type=int, default=20, help="times each pitch is scored")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    rubrics: dict[str, PitchRubric] = load_pitch_rubrics()
    print(f"pitches per kind and language: {args.pitches}, rounds: {args.rounds}")
    worst_p99 = 0.0
    for lang, rubric in rubrics.items():
        kinds = {
            "realistic": realistic(lang, args.pitches, rng),
            "long (4096 chars)": long_texts(lang, args.pitches, rng),
            "garbage (4096 chars)": garbage(args.pitches, rng),
        }
        words = statistics.median(score_pitch(t, rubric).words for t in kinds["realistic"])
        print(f"{lang}: realistic pitches have a median of {words:.0f} words")
        for text in kinds["realistic"][:20]:
            score_pitch(text, rubric)  # warm-up: first calls pay for imports and caches
        for kind, texts in kinds.items():
            times = [ms for text in texts for ms in timed(_scoring(text, rubric), args.rounds)]
            worst_p99 = max(worst_p99, percentile(times, 0.99))
            report(f"score_pitch, {kind}", times)
        for kind, texts in kinds.items():
            pairs = list(zip(texts, reversed(texts), strict=True))
            recall = [ms for a, b in pairs for ms in timed(_recalling(a, b, rubric), 2)]
            diff = [ms for a, b in pairs for ms in timed(_diffing(a, b), 2)]
            report(f"score_recall, {kind}", recall)
            report(f"diff_pitches, {kind}", diff)
    verdict = "met" if worst_p99 < TARGET_MS else "MISSED"
    print(f"target: score_pitch under {TARGET_MS:.0f} ms at p99: {verdict} ({worst_p99:.3f} ms)")


if __name__ == "__main__":
    main()
