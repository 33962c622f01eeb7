"""The weekly activity chart as PNG bytes: one panel per metric, bars against the targets."""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from bot.coach.activity import METRICS
from bot.coach.streaks import DayStat

# matplotlib (with numpy) is imported on the first chart, not with this module: it would
# double the bot's start-up time and add some 40 MB to every process that never draws one.
# Figure and the Agg canvas directly, never pyplot: no global figure state, so charts can be
# drawn in worker threads, and importing matplotlib selects no backend for anyone else.
if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

HIT: Final = "#2e9d5b"
MISS: Final = "#b9c3cd"
TARGET: Final = "#1f2a36"
GRID: Final = "#e3e7eb"
TEXT: Final = "#1f2a36"
_FONT: Final = "DejaVu Sans"
SIZE_INCHES: Final = (8.0, 6.0)
DPI: Final = 110
# Bars taller than this are drawn at this height: beyond it no phone shows a difference, and
# far larger ints would overflow the floats matplotlib draws with.
_VALUE_CAP: Final = 10**15
# Above this many days the numbers on the bars would overlap.
_BAR_LABEL_DAYS: Final = 7


@dataclass(frozen=True)
class ChartLabels:
    """The chart's texts in the rep's language; day labels come ready-made or from weekdays."""

    title: str
    metrics: Mapping[str, str]
    actual: str
    target: str
    # Short weekday names, Monday first ("Mo", "Di", …) for labels like "Mo 23.11.".
    weekdays: Sequence[str] = ()
    # One label per day, used as given when their number matches the days.
    days: Sequence[str] = ()


@functools.cache
def _glyphs() -> frozenset[int]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(family=_FONT))
    return frozenset(FT2Font(path).get_charmap())


def _drawable(text: str) -> str:
    """The text without characters the font lacks (emoji), with "$" kept literal."""
    # A missing glyph draws a box and raises a warning per character; "$…$" would be
    # read as a formula.
    glyphs = _glyphs()
    kept = "".join(ch for ch in text if ch.isspace() or ord(ch) in glyphs)
    return kept.strip().replace("$", r"\$")


def compact(value: float) -> str:
    """A short whole number for an axis or a bar: 950, 9999, 12k, 1500k, 15M (no decimals)."""
    value = max(0.0, float(value))
    # Whole numbers only, so no decimal comma or point has to be localised.
    for scale, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= 10 * scale:
            return f"{value // scale:.0f}{suffix}"
    return f"{value:.0f}"


def _day_labels(days: Sequence[DayStat], labels: ChartLabels) -> list[str]:
    if len(labels.days) == len(days):
        return [_drawable(label) for label in labels.days]
    names = [_drawable(name) for name in labels.weekdays]
    result = []
    for stat in days:
        # Two weeks leave room for the day of the month only.
        numbers = (
            f"{stat.day.day:02d}.{stat.day.month:02d}." if len(days) <= 7 else f"{stat.day.day}."
        )
        name = names[stat.day.weekday()] if len(names) == 7 else ""
        result.append(f"{name}\n{numbers}" if name else numbers)
    return result


def _value(amounts: Mapping[str, int], metric: str) -> int:
    return max(0, min(_VALUE_CAP, amounts.get(metric, 0)))


def _panel(ax: Axes, days: Sequence[DayStat], metric: str, title: str) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    xs = list(range(len(days)))
    actual = [_value(stat.actual, metric) for stat in days]
    targets = [_value(stat.target, metric) for stat in days]
    colours = [HIT if stat.met(metric) else MISS for stat in days]
    bars = ax.bar(xs, actual, width=0.7, color=colours, zorder=2)
    drawn = [(x, t) for x, t in zip(xs, targets, strict=True) if t > 0]
    if drawn:
        ax.hlines(
            [t for _, t in drawn],
            [x - 0.45 for x, _ in drawn],
            [x + 0.45 for x, _ in drawn],
            colors=TARGET,
            linewidth=2.5,
            zorder=3,
        )
    if len(days) <= _BAR_LABEL_DAYS:
        ax.bar_label(
            bars,
            labels=[compact(v) if v else "" for v in actual],
            padding=3,
            fontsize=10,
            color=TEXT,
            zorder=4,
            # Keeps the number readable where it sits on a target line.
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85},
        )
    top = max([*actual, *targets, 1])
    ax.set_ylim(0, top * 1.2)
    ax.set_xlim(-0.6, max(len(days), 1) - 0.4)
    ax.set_title(title, fontsize=14, color=TEXT, loc="left", fontweight="bold")
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True, min_n_ticks=2))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: compact(value)))
    ax.tick_params(axis="y", labelsize=10, colors=TEXT, length=0)
    ax.tick_params(axis="x", length=0, colors=TEXT)
    ax.grid(axis="y", color=GRID, linewidth=1, zorder=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(MISS)


def _finish(figure: Figure, labels: ChartLabels) -> bytes:
    """Title, legend and the PNG bytes: the same for the rep's week and the team's."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    figure.suptitle(_drawable(labels.title), y=0.985, fontsize=18, color=TEXT, fontweight="bold")
    figure.legend(
        handles=[
            Patch(color=HIT, label=_drawable(labels.actual)),
            Line2D([], [], color=TARGET, linewidth=2.5, label=_drawable(labels.target)),
        ],
        loc="lower center",
        ncols=2,
        frameon=False,
        fontsize=12,
    )
    buffer = io.BytesIO()
    # No "Software" entry: the same chart gives the same bytes on every matplotlib version.
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def week_chart(days: Sequence[DayStat], labels: ChartLabels) -> bytes:
    """A PNG of 2×2 panels (dials, conversations, appointments, contacts) over the days."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    # Fixed margins instead of a layout engine: the size never changes, and measuring every
    # text for constrained layout would double the drawing time.
    grid = {"left": 0.075, "right": 0.99, "top": 0.88, "bottom": 0.15, "hspace": 0.32}
    axes = figure.subplots(2, 2, sharex=True, gridspec_kw={**grid, "wspace": 0.18}).flatten()
    for ax, metric in zip(axes, METRICS, strict=True):
        _panel(ax, days, metric, _drawable(labels.metrics.get(metric, metric)))
    day_labels = _day_labels(days, labels)
    for ax in axes[2:]:
        ax.set_xticks(range(len(days)), day_labels, fontsize=9)
    return _finish(figure, labels)


# The team chart shows what /team counts: no new contacts.
TEAM_METRICS: Final = ("dials", "conversations", "appointments")
TEAM_SIZE_INCHES: Final = (8.0, 7.0)


def team_chart(days: Sequence[DayStat], labels: ChartLabels) -> bytes:
    """A PNG of the team's summed dials, conversations and appointments per day against the
    summed targets, one panel each, stacked for a phone."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=TEAM_SIZE_INCHES, dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    grid = {"left": 0.085, "right": 0.99, "top": 0.9, "bottom": 0.14, "hspace": 0.45}
    axes = figure.subplots(len(TEAM_METRICS), 1, sharex=True, gridspec_kw=grid)
    for ax, metric in zip(axes, TEAM_METRICS, strict=True):
        _panel(ax, days, metric, _drawable(labels.metrics.get(metric, metric)))
    axes[-1].set_xticks(range(len(days)), _day_labels(days, labels), fontsize=9)
    return _finish(figure, labels)
