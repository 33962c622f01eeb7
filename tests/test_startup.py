"""Start-up cost: the bot starts without matplotlib (and numpy) or the location-to-timezone
lookup, and the first chart loads matplotlib.

bench/startup.py measures the time and memory; this checks the mechanism in a fresh interpreter
(this test process has long imported everything)."""

from __future__ import annotations

import json
import subprocess
import sys

from bot.config import SANDBOX_TOKEN

# Builds the application exactly as `sales-coach run` does, then draws one week chart.
SCRIPT = f"""
import json, sys
from datetime import date
from bot.__main__ import main
from bot.app import build_application
from bot.config import load_settings
from bot.content import load_content

settings = load_settings(telegram_bot_token={SANDBOX_TOKEN!r}, access_mode="open")
build_application(settings, load_content())
at_start = sorted(m for m in ("matplotlib", "numpy", "PIL", "tzfpy") if m in sys.modules)

from bot.charts import ChartLabels, week_chart
from bot.coach.streaks import DayStat

days = [DayStat(date(2026, 11, 23), {{"dials": 3}}, {{"dials": 5}})]
png = week_chart(days, ChartLabels("Woche", {{}}, "Ist", "Ziel"))
print(json.dumps({{"at_start": at_start, "png": png[:8].hex(),
                   "after_chart": "matplotlib" in sys.modules}}))
"""


def test_the_bot_starts_without_matplotlib_and_loads_it_for_the_first_chart() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["at_start"] == [], "charting or location libraries are imported at start"
    assert result["png"] == b"\x89PNG\r\n\x1a\n".hex(), "the chart is drawn all the same"
    assert result["after_chart"]
