"""The documentation says what the code does."""

from __future__ import annotations

import re
from pathlib import Path

from ipgraph.config import SETTINGS

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_with_its_variable_and_default():
    rows = {m.group(1): (m.group(2), m.group(3)) for m in re.finditer(
        r"^\| `(\w+)` \| `(\w+)` \| ([^|]+) \|", (ROOT / "docs" / "settings.md").read_text(encoding="utf-8"), re.M)}
    assert set(rows) == {f.name for f in SETTINGS}
    for f in SETTINGS:
        env, default = rows[f.name]
        assert env == f.metadata["env"]
        if f.name not in ("root", "store_dir"):  # defaults that depend on where the project is
            assert default.strip() == f"`{f.default}`", f.name


def test_readme_first_screen_has_the_two_commands_and_a_first_query():
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:40])
    assert "make serve" in first_screen and "make test" in first_screen
    assert "curl" in first_screen and "/sparql" in first_screen
    assert "http://127.0.0.1:8000/id/" in first_screen


def test_ci_runs_what_the_readme_says():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
