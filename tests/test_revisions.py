"""A living schedule: each edit reaches subscribers as an update, never a duplicate.

The scenario builds a series of schedule versions one after another over the
same dist/, the way organisers do, and checks every version of the feed.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from lint import lint_ics
from readers import READERS, Seen, reader_params
from seminar_feed.cli import main

HEADER = """\
calendar:
  id: demo
  name: Demo
{defaults}sessions:
"""
SESSION = """\
  - week: {week}
    date: {date}
    title: {title}
    presenter: {presenter}
{extra}"""


@dataclass
class Version:
    """One edit of the schedule and what a build of it must report."""

    name: str
    sessions: dict[int, tuple[str, str, str, str]]  # week → date, title, presenter, extra
    changed: set[int]
    report: list[str]
    defaults: str = ""


BASE = {
    1: ("2026-07-06", "One", "Ko", ""),
    2: ("2026-07-13", "Two", "Kim", ""),
    3: ("2026-07-20", "Three", "Park", ""),
    4: ("2026-07-27", "Four", "Cho", ""),
}
SHIFTED = {
    week: (str(date.fromisoformat(day) + timedelta(weeks=1)), title, presenter, extra)
    for week, (day, title, presenter, extra) in BASE.items()
}
SWAPPED = {**SHIFTED, 2: (SHIFTED[2][0], "Two", "Choi", "")}
CANCELLED = {**SWAPPED, 3: (*SWAPPED[3][:3], "    cancelled: true\n    reason: Room closed.\n")}
REMOVED = {week: session for week, session in CANCELLED.items() if week != 4}
ADDED = {**REMOVED, 5: ("2026-08-10", "Five", "Yoon", "")}
TIMED_DEFAULTS = "  timezone: Asia/Seoul\n  time: '19:00'\n"

VERSIONS = [
    Version("first", BASE, {1, 2, 3, 4}, [f"week {n}: new" for n in (1, 2, 3, 4)]),
    Version("unchanged", BASE, set(), []),
    Version(
        "every date a week later",
        SHIFTED,
        {1, 2, 3, 4},
        [
            "week 1: date 2026-07-06 → 2026-07-13",
            "week 2: date 2026-07-13 → 2026-07-20",
            "week 3: date 2026-07-20 → 2026-07-27",
            "week 4: date 2026-07-27 → 2026-08-03",
        ],
    ),
    Version(
        "presenters swap",
        SWAPPED,
        {2},
        ["week 2: presenter 'Kim' → 'Choi'"],
    ),
    Version("a session is cancelled", CANCELLED, {3}, ["week 3: cancelled"]),
    Version(
        "a session is removed",
        REMOVED,
        {4},
        [
            "week 4: cancelled: no longer in the schedule",
            "warning: week 4 is no longer in the schedule; it stays in the feed as cancelled "
            "so subscribers see it go (--drop-removed leaves it out)",
        ],
    ),
    Version(
        "a session is added",
        ADDED,
        {5},
        [
            "week 5: new",
            "warning: week 4 is no longer in the schedule; it stays in the feed as cancelled "
            "so subscribers see it go (--drop-removed leaves it out)",
        ],
    ),
    Version(
        "a time is set",
        ADDED,
        {1, 2, 3, 5},
        [
            "week 1: time all day → 19:00",
            "week 2: time all day → 19:00",
            "week 3: time all day → 19:00",
            "week 5: time all day → 19:00",
            "warning: week 4 is no longer in the schedule; it stays in the feed as cancelled "
            "so subscribers see it go (--drop-removed leaves it out)",
        ],
        defaults=TIMED_DEFAULTS,
    ),
]


def schedule_text(version: Version) -> str:
    sessions = "".join(
        SESSION.format(week=week, date=d, title=title, presenter=presenter, extra=extra)
        for week, (d, title, presenter, extra) in sorted(version.sessions.items())
    )
    return HEADER.format(defaults=version.defaults) + sessions


def event_blocks(feed: bytes) -> dict[str, bytes]:
    """Map each UID to the raw bytes of its VEVENT, folds and all."""
    blocks = re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", feed, re.S)
    return {re.search(rb"\r\nUID:(.*?)\r\n", block).group(1).decode(): block for block in blocks}  # type: ignore[union-attr]


def sequence(block: bytes) -> int:
    return int(re.search(rb"\r\nSEQUENCE:(\d+)\r\n", block).group(1))  # type: ignore[union-attr]


def stamp(block: bytes) -> str:
    return re.search(rb"\r\nDTSTAMP:(\w+)\r\n", block).group(1).decode()  # type: ignore[union-attr]


def uid(week: int) -> str:
    return f"week-{week}.demo@seminar-feed"


class Subscriber:
    """A calendar that keeps events by UID and takes a version only when SEQUENCE rises."""

    def __init__(self) -> None:
        self.events: dict[str, Seen] = {}

    def refresh(self, seen: list[Seen]) -> None:
        for event in seen:
            held = self.events.get(event.uid)
            if held is None or event.sequence > held.sequence:
                self.events[event.uid] = event
            else:
                assert event == held, f"{event.uid} changed without a higher SEQUENCE"


@pytest.fixture
def feeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Build every version in turn over one dist/; check each build's report."""
    monkeypatch.chdir(tmp_path)
    built = []
    for number, version in enumerate(VERSIONS):
        (tmp_path / "schedule.yaml").write_text(schedule_text(version), encoding="utf-8")
        env = {"SOURCE_DATE_EPOCH": str(1_780_000_000 + number * 86_400)}
        result = CliRunner().invoke(main, ["build"], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        assert result.stderr.splitlines()[:-1] == version.report, version.name
        built.append((tmp_path / "dist" / "demo.ics").read_bytes())
    return built


def test_only_changed_events_get_a_new_revision(feeds: list[bytes]) -> None:
    for number, version in enumerate(VERSIONS[1:], 1):
        before, after = event_blocks(feeds[number - 1]), event_blocks(feeds[number])
        assert set(before) <= set(after), f"{version.name}: an event vanished"
        for week in range(1, 6):
            key = uid(week)
            if key not in after:
                continue
            if week in version.changed:
                expected = sequence(before[key]) + 1 if key in before else 0
                assert sequence(after[key]) == expected, f"{version.name}: week {week}"
                assert after[key] != before.get(key)
            else:
                assert after[key] == before[key], f"{version.name}: week {week} was touched"


def test_an_unchanged_schedule_rebuilds_to_identical_bytes(feeds: list[bytes]) -> None:
    assert feeds[1] == feeds[0]


def test_cancelled_and_removed_sessions_stay_as_cancelled(feeds: list[bytes]) -> None:
    final = {event.uid: event for event in READERS["icalendar"](_saved(feeds[-1]))}
    assert final[uid(3)].status == "CANCELLED"
    assert final[uid(3)].summary == "Cancelled: Week 3: Three (Park)"
    assert final[uid(3)].description.startswith("Cancelled: Room closed.\n\n")
    assert final[uid(4)].status == "CANCELLED"
    assert final[uid(4)].summary == "Cancelled: Week 4: Four (Cho)"
    assert final[uid(4)].start == "2026-08-03"


@pytest.mark.parametrize("reader", reader_params(READERS))
def test_a_subscriber_ends_with_the_current_sessions_once_each(
    feeds: list[bytes], reader: str
) -> None:
    subscriber = Subscriber()
    for feed in feeds:
        subscriber.refresh(READERS[reader](_saved(feed)))
    assert sorted(subscriber.events) == sorted(uid(week) for week in range(1, 6))
    assert subscriber.events[uid(2)].summary == "Week 2: Two (Choi)"
    assert subscriber.events[uid(5)].start == "2026-08-10T10:00:00Z"
    assert subscriber.events[uid(1)].start == "2026-07-13T10:00:00Z"


@pytest.mark.slow
def test_every_reader_agrees_on_every_version(feeds: list[bytes]) -> None:
    for feed in feeds:
        path = _saved(feed)
        views = {name: read(path) for name, read in READERS.items()}
        assert all(view == views["icalendar"] for view in views.values())


def test_drop_removed_leaves_the_session_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    (tmp_path / "schedule.yaml").write_text(schedule_text(VERSIONS[0]), encoding="utf-8")
    runner.invoke(main, ["build"], catch_exceptions=False)
    (tmp_path / "schedule.yaml").write_text(
        schedule_text(Version("", {1: BASE[1]}, set(), [])), encoding="utf-8"
    )
    result = runner.invoke(main, ["build", "--drop-removed"], catch_exceptions=False)
    assert result.stderr.splitlines()[:-1] == [
        f"week {week}: dropped from the feed" for week in (2, 3, 4)
    ]
    assert list(event_blocks((tmp_path / "dist" / "demo.ics").read_bytes())) == [uid(1)]


def test_an_explicit_id_keeps_identity_when_weeks_are_renumbered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = schedule_text(
        Version("", {2: ("2026-07-13", "Two", "Kim", "    id: week-2\n")}, set(), [])
    )
    (tmp_path / "schedule.yaml").write_text(first, encoding="utf-8")
    runner.invoke(main, ["build"], catch_exceptions=False)
    renumbered = first.replace("week: 2", "week: 1")
    (tmp_path / "schedule.yaml").write_text(renumbered, encoding="utf-8")
    result = runner.invoke(main, ["build"], catch_exceptions=False)
    assert result.stderr.splitlines()[0] == ("week 1: week 2 → 1")
    assert list(event_blocks((tmp_path / "dist" / "demo.ics").read_bytes())) == [uid(2)]


# Removed with everything in it when the tests end.
SAVED = tempfile.TemporaryDirectory(prefix="feeds-")


def _saved(feed: bytes) -> Path:
    """Put a feed in a file of its own, for the readers that take a path."""
    path = Path(SAVED.name) / f"{hashlib.sha256(feed).hexdigest()}.ics"
    path.write_bytes(feed)
    return path


def test_a_dropped_session_comes_back_above_every_copy_people_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    moved = {**BASE, 2: ("2026-07-14", "Two", "Kim", "")}
    kept = {week: session for week, session in BASE.items() if week != 2}
    edits = [
        (BASE, []),
        (moved, []),
        (kept, []),  # kept as cancelled
        (kept, ["--drop-removed"]),
        (kept, ["--drop-removed"]),
        (moved, []),  # restored
    ]
    imported, feeds = Subscriber(), []
    for number, (sessions, options) in enumerate(edits):
        text = schedule_text(Version("", sessions, set(), []))
        (tmp_path / "schedule.yaml").write_text(text, encoding="utf-8")
        env = {"SOURCE_DATE_EPOCH": str(1_780_000_000 - number * 86_400)}  # a clock going back
        result = CliRunner().invoke(main, ["build", *options], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        feeds.append((tmp_path / "dist" / "demo.ics").read_bytes())
        # An imported copy keeps every event it has seen, and takes only higher revisions.
        imported.refresh(READERS["icalendar"](_saved(feeds[-1])))
    assert result.stderr.splitlines()[:-1] == ["week 2: back in the feed"]
    held = [event_blocks(feed).get(uid(2)) for feed in feeds]
    assert [None if block is None else sequence(block) for block in held] == [
        0, 1, 2, None, None, 3
    ]  # fmt: skip
    # Every change is stamped a second after the last, though the clock went back a day.
    assert [None if block is None else stamp(block) for block in held] == [
        "20260528T202640Z", "20260528T202641Z", "20260528T202642Z", None, None, "20260528T202643Z"
    ]  # fmt: skip
    assert imported.events[uid(2)].status == "CONFIRMED"
    assert imported.events[uid(2)].start == "2026-07-14"
    for feed in feeds:
        assert lint_ics(feed) == []
        path = _saved(feed)
        views = {name: read(path) for name, read in READERS.items()}
        assert all(view == views["icalendar"] for view in views.values())
