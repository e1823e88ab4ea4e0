"""A session removed from the schedule stays in the feed as cancelled, and the page and
`list` say so too: the page, the list and the feed agree."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from seminar_feed.cli import main
from seminar_feed.feed import render_feed
from seminar_feed.model import Calendar, Material, Schedule, Session
from seminar_feed.previous import read_previous_feed
from tools import MINIMAL_SCHEDULE

SECOND = """\
  - week: 2
    date: 2026-07-13
    time: "19:00"
    title: Two
    presenter: Kim
"""
ZONE = "  name: Demo\n  timezone: Asia/Seoul\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Publish two sessions, then build again with the second one gone."""
    monkeypatch.chdir(tmp_path)
    schedule = tmp_path / "schedule.yaml"
    schedule.write_text(MINIMAL_SCHEDULE.replace("  name: Demo\n", ZONE) + SECOND, "utf-8")
    assert run("build")[0] == 0
    schedule.write_text(MINIMAL_SCHEDULE.replace("  name: Demo\n", ZONE), "utf-8")
    assert run("build")[0] == 0
    return tmp_path


def test_the_page_shows_a_removed_session_as_cancelled(removed: Path) -> None:
    page = (removed / "dist" / "index.html").read_text(encoding="utf-8")
    card = re.search(r'<li id="removed-week-2" class="session cancelled".*?</li>', page, re.S)
    assert card is not None
    assert "<h3>Two</h3>" in card.group()
    assert "Kim · <time" in card.group()
    assert "Monday, July 13, 2026, 19:00\u2009–\u200920:00 (Asia/Seoul)" in card.group()  # noqa: RUF001
    assert "this session was removed from the schedule." in card.group()
    assert "sessions/week-2.ics" not in page  # no file to add it from any more
    assert page.index('id="week-1"') < page.index('id="removed-week-2"')  # by date


def test_list_marks_a_removed_session(removed: Path) -> None:
    status, out, _ = run("list")
    assert status == 0
    assert out.splitlines() == [
        "WEEK  DATE        TIME     PRESENTER  TITLE",
        "1     2026-07-06  all day             One",
        "2     2026-07-13  19:00    Kim        Two (removed)",
    ]
    entries = json.loads(run("list", "--json")[1])
    assert [(entry["week"], entry["removed"], entry["cancelled"]) for entry in entries] == [
        (1, False, False),
        (2, True, True),
    ]


def test_a_removed_event_keeps_the_order_of_a_first_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    schedule = tmp_path / "schedule.yaml"
    bare = "  - week: 2\n    date: 2026-07-13\n    title: Two\n"  # no text to describe it
    schedule.write_text(MINIMAL_SCHEDULE + bare, "utf-8")
    assert run("build")[0] == 0
    schedule.write_text(MINIMAL_SCHEDULE, "utf-8")
    assert run("build")[0] == 0
    feed = (tmp_path / "dist" / "demo.ics").read_bytes().decode().replace("\r\n ", "")
    event = feed[feed.rindex("BEGIN:VEVENT") : feed.rindex("END:VEVENT")].split("\r\n")
    names = [line.split(":")[0].split(";")[0] for line in event[4:] if line]
    # As every event is first written: summary, times, UID, description, the rest by name.
    assert names == ["SUMMARY", "DTSTART", "DTEND", "UID", "DESCRIPTION", "STATUS", "TRANSP"]


def test_a_removed_session_keeps_every_material_but_not_its_call() -> None:
    materials = (Material("Slides", "https://example.org/1.pdf"),
                 Material("Notes: errata", "https://example.org/2.html"))  # fmt: skip
    session = Session(week=1, key="week-1", date=date(2026, 7, 6), title="One",
                      online="https://example.org/meet", materials=materials)  # fmt: skip
    calendar = Calendar(id="demo", name="Demo")
    stamp = datetime(2026, 6, 1, tzinfo=timezone.utc)
    published = render_feed(Schedule(calendar, (session,)), stamp=stamp).ics
    previous = read_previous_feed(published, source="demo.ics", calendar="demo")
    feed = render_feed(Schedule(calendar, ()), stamp=stamp, previous=previous)
    assert b"ATTACH:https://example.org/1.pdf\r\nATTACH:https://example.org/2.html\r\n" in feed.ics
    assert b"example.org/meet" not in feed.ics
    (kept,) = feed.removed_sessions
    assert (kept.online, kept.materials, kept.location) == (None, materials, None)
