"""The whole report is in the graph: every number valued and evidenced by a
verbatim quote, every 《》 title a literal of its own, every “” name in a short literal.

The measure is the team's coverage tool (``../shared/tools/report_coverage.py``), which lies beside
the checkout in development and in CI.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT.parent / "shared" / "tools" / "report_coverage.py"
COMPLETE = "一二三四五六七八"  # every section of the report


def test_the_coverage_tool_is_beside_the_checkout():
    assert TOOL.is_file(), f"{TOOL} is missing: the shared folder belongs beside the checkout"


def test_complete_sections_have_every_number_title_and_name():
    for section in COMPLETE:
        run = subprocess.run([sys.executable, str(TOOL), str(ROOT / "data" / "turtle"), "--section", section,
                              "--min", "100", "--show", "50"], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stdout + run.stderr
        line = next(x for x in run.stdout.splitlines() if x.startswith(f"section {section}:"))
        counts = re.findall(r"(numbers-evidenced|titles|quoted-names) (\d+)/(\d+)", line)
        assert [name for name, _, _ in counts] == ["numbers-evidenced", "titles", "quoted-names"], line
        assert all(found == total for _, found, total in counts), run.stdout


def test_the_whole_report_is_in_the_graph():
    run = subprocess.run([sys.executable, str(TOOL), str(ROOT / "data" / "turtle"), "--min", "100", "--show", "50"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    counts = dict((name, (found, total)) for name, found, total in re.findall(
        r"^(numbers-valued|numbers-evidenced|titles|quoted-names): +(\d+)/(\d+)", run.stdout, re.M))
    assert counts == {"numbers-valued": ("276", "276"), "numbers-evidenced": ("276", "276"),
                      "titles": ("45", "45"), "quoted-names": ("105", "105")}, run.stdout
