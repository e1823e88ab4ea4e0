"""Hostile schedules end in a clean error, in bounded time and memory, with no traceback."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from seminar_feed import load
from seminar_feed.errors import ScheduleError

MEMORY_LIMIT = 1 << 30  # far above what any of these needs, far below what a blow-up takes


def laughs(levels: int) -> str:
    """The 'billion laughs' document: each alias level multiplies the one before by nine."""
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 9) + "]")
    return "\n".join(lines)


HOSTILE = {
    "alias bomb as the schedule": (
        laughs(9) + "\ncalendar: {id: x, name: y}\nsessions: *lol8\n",
        "bomb.yaml:1:1: unknown key 'lol0' in the schedule; expected one of: calendar, sessions",
    ),
    "alias bomb as a description": (
        laughs(9) + "\ncalendar: {id: x, name: y, description: *lol8}\nsessions: []\n",
        "bomb.yaml:1:1: unknown key 'lol0' in the schedule; expected one of: calendar, sessions",
    ),
    "deeply nested lists": (
        "calendar: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "bomb.yaml:1:1010: invalid YAML: nested too deeply to be a schedule",
    ),
    "deeply nested block mappings": (
        "".join(f"{'  ' * depth}k{depth}:\n" for depth in range(3000)),
        "bomb.yaml:1000:2003: invalid YAML: nested too deeply to be a schedule",
    ),
}


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_schedule_gives_a_clean_error(name: str, tmp_path: Path) -> None:
    text, first_problem = HOSTILE[name]
    (tmp_path / "bomb.yaml").write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "seminar_feed", "check", "bomb.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,  # a guard against a hang, not a speed target
        preexec_fn=limit_memory,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == first_problem
    assert "Traceback" not in result.stderr


def test_deep_nesting_is_caught_without_libyaml_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "_Loader", yaml.SafeLoader)
    with pytest.raises(ScheduleError) as caught:
        load.parse_schedule(("calendar: " + "[" * 100_000).encode(), source="bomb.yaml")
    assert str(caught.value) == "bomb.yaml: invalid YAML: nested too deeply to be a schedule"
