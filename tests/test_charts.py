"""The weekly chart: a valid, deterministic PNG for any days and labels."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zlib
from datetime import date, timedelta

import pytest
from matplotlib import image

from bot.charts import DPI, SIZE_INCHES, ChartLabels, compact, week_chart
from bot.coach.calendar import WorkCalendar
from bot.coach.streaks import DayStat, week_summary

SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDTH, HEIGHT = round(SIZE_INCHES[0] * DPI), round(SIZE_INCHES[1] * DPI)
LABELS = ChartLabels(
    title="Deine Woche",
    metrics={
        "dials": "Anrufe",
        "conversations": "Gespräche",
        "appointments": "Termine",
        "contacts": "Neue Kontakte",
    },
    actual="Ist",
    target="Ziel",
    weekdays=("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
)
MONDAY = date(2026, 11, 23)
FULL_TARGET = {"dials": 50, "conversations": 10, "appointments": 2, "contacts": 20}


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk, checking each CRC on the way."""
    assert png.startswith(SIGNATURE)
    found = []
    offset = len(SIGNATURE)
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        data = png[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + data) == crc
        found.append((kind, data))
        offset += 12 + length
    return found


def assert_png(png: bytes) -> None:
    found = chunks(png)
    kind, data = found[0]
    assert kind == b"IHDR"
    width, height = struct.unpack(">II", data[:8])
    assert (width, height) == (WIDTH, HEIGHT)
    assert found[-1][0] == b"IEND"
    pixels = image.imread(io.BytesIO(png), format="png")
    assert pixels.shape[:2] == (HEIGHT, WIDTH)


def days(n: int, dials: int = 40, target: dict[str, int] | None = None) -> list[DayStat]:
    target = FULL_TARGET if target is None else target
    return [
        DayStat(
            MONDAY + timedelta(days=i),
            {"dials": dials + i * 5, "conversations": i, "appointments": i % 3, "contacts": 20},
            target,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("n", [7, 14])
def test_week_and_two_weeks(n: int) -> None:
    assert_png(week_chart(days(n), LABELS))


def test_from_a_week_summary() -> None:
    history = {MONDAY - timedelta(days=i): {"dials": 10 * i, "contacts": i} for i in range(20)}
    summary = week_summary(history, FULL_TARGET, WorkCalendar(frozenset(range(5))), MONDAY)
    assert_png(week_chart(summary.days, LABELS))


def test_all_zero_days() -> None:
    assert_png(week_chart(days(7, dials=0, target={}), LABELS))
    zero = [DayStat(MONDAY + timedelta(days=i), {}, {}) for i in range(7)]
    assert_png(week_chart(zero, LABELS))


def test_missing_targets() -> None:
    mixed = days(7)
    mixed[2] = DayStat(mixed[2].day, mixed[2].actual, {})
    mixed[4] = DayStat(mixed[4].day, mixed[4].actual, {"dials": 0})
    assert_png(week_chart(mixed, LABELS))


def test_no_days() -> None:
    assert_png(week_chart([], LABELS))


def test_huge_and_negative_numbers() -> None:
    huge = [
        DayStat(
            MONDAY + timedelta(days=i),
            {"dials": 10**30, "conversations": 123_456_789, "appointments": -5, "contacts": 0},
            {"dials": 10**400, "conversations": 1},
        )
        for i in range(7)
    ]
    assert_png(week_chart(huge, LABELS))


def test_non_ascii_emoji_and_dollar_labels() -> None:
    # Run with -W error: a glyph missing from the font or a broken "$…$" formula would fail.
    labels = ChartLabels(
        title="📈 Wöchentliche Übersicht – Größe $x$",
        metrics={"dials": "☎️ Anrufe", "conversations": "Gespräche 💬", "appointments": "$"},
        actual="Ist 🔥",
        target="Ziel ✓",
        days=tuple(f"Mo {23 + i}.11." for i in range(7)),
    )
    assert_png(week_chart(days(7), labels))
    only_emoji = ChartLabels("🔥", {"dials": "📞"}, "✅", "🎯", weekdays=("😀",) * 7)
    assert_png(week_chart(days(7), only_emoji))


def test_labels_of_the_wrong_length_fall_back_to_dates() -> None:
    labels = ChartLabels("t", {}, "a", "t", weekdays=("Mo", "Di"), days=("one",))
    assert_png(week_chart(days(7), labels))


def test_deterministic_without_software_or_time_metadata() -> None:
    first = week_chart(days(7), LABELS)
    assert first == week_chart(days(7), LABELS)
    kinds = {kind for kind, _ in chunks(first)}
    assert b"tIME" not in kinds
    texts = b"".join(data for kind, data in chunks(first) if kind in (b"tEXt", b"iTXt", b"zTXt"))
    assert b"Software" not in texts
    assert b"matplotlib" not in texts.lower()


def test_different_data_gives_a_different_picture() -> None:
    assert week_chart(days(7), LABELS) != week_chart(days(7, dials=5), LABELS)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (-3, "0"),
        (7, "7"),
        (9_999, "9999"),
        (10_000, "10k"),
        (12_345, "12k"),
        (1_500_000, "1500k"),
        (15_000_000, "15M"),
        (2.5e10, "25G"),
        (1e15, "1000T"),
    ],
)
def test_compact(value: float, text: str) -> None:
    assert compact(value) == text


def test_import_is_silent() -> None:
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import bot.charts"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""
