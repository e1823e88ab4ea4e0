"""Hostile schedules end in a clean error, in bounded time and memory, with no traceback."""

from __future__ import annotations

import resource
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
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


def aliased_values(*, sessions: int, reminders: int) -> str:
    """Sessions that all share, by alias, a long description and a long list of bad reminders."""
    first = (
        "  - {week: 1, date: 1980-01-01, title: t, description: &d " + "y" * 9_999
        + ", reminders: &r [" + ", ".join(["x"] * reminders) + "]}\n"
    )  # fmt: skip
    others = "".join(
        f"  - {{week: {day + 1}, date: {date(1980, 1, 1) + timedelta(days=day)}, title: t, "
        "description: *d, reminders: *r}\n"
        for day in range(1, sessions)
    )
    return "calendar: {id: x, name: y}\nsessions:\n" + first + others


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
    "two million aliases of one session": (
        "calendar: {id: x, name: y}\nsessions: [&a {week: 1, title: x, date: 2026-07-06}"
        + ", *a" * 2_000_000
        + "]\n",
        "bomb.yaml:2:11: this list has 2,000,001 sessions; a schedule holds at most 21,185, "
        "one a day over 1980-01-01 to 2037-12-31",
    ),
    "aliases of a long description and a long list of reminders": (
        aliased_values(sessions=20_000, reminders=100_000),
        "bomb.yaml: showing the first 200 problems found; 99,800 more are not shown",
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


@pytest.mark.parametrize(
    "make",
    [
        lambda folder: Path("/dev/zero"),
        lambda folder: sparse(folder / "huge.yaml", 3 << 30),
    ],
    ids=["/dev/zero", "a sparse 3 GB file"],
)
def test_a_huge_file_is_refused_without_reading_it(
    make: Callable[[Path], Path], tmp_path: Path
) -> None:
    path = make(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "seminar_feed", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit_memory,
        check=False,
    )
    size = "3221.2 MB" if path.name == "huge.yaml" else "over 10 MB"
    assert (result.returncode, result.stderr) == (
        1,
        f"{path}: the file is {size}; a schedule may be at most 10 MB\n",
    )


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as file:
        file.truncate(size)
    return path


def test_aliases_are_refused_without_libyaml_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "_Loader", yaml.SafeLoader)
    text = "calendar: {id: x, name: y}\nsessions: [&a {week: 1, title: x}" + ", *a" * 30_000 + "]"
    with pytest.raises(ScheduleError) as caught:
        load.parse_schedule(text.encode(), source="bomb.yaml")
    assert str(caught.value) == (
        "bomb.yaml:2:11: this list has 30,001 sessions; a schedule holds at most 21,185, "
        "one a day over 1980-01-01 to 2037-12-31"
    )


def test_an_aliased_description_is_checked_once_without_libyaml_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(load, "_Loader", yaml.SafeLoader)
    text = aliased_values(sessions=5_000, reminders=10_000)
    with pytest.raises(ScheduleError) as caught:
        load.parse_schedule(text.encode(), source="bomb.yaml")
    # The list starts at column 10,075 of line 3, after the description.
    assert [str(problem) for problem in caught.value.problems[:3]] == [
        "bomb.yaml: showing the first 200 problems found; 9,800 more are not shown",
        "bomb.yaml:3:10075: expected a reminder like 1d, 2h or 30m, got 'x'",
        "bomb.yaml:3:10078: expected a reminder like 1d, 2h or 30m, got 'x'",
    ]
