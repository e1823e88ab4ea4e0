"""A session removed from the schedule stays in the feed as cancelled, and the page and
`list` say so too: the page, the list and the feed agree."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from seminar_feed.cli import main
from seminar_feed.feed import Feed, render_feed, render_withdrawn
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


# A series whose schedule left its group: its feed is rendered from the published one alone.
FIRST_BUILD = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
TWO_WEEKS = (
    Session(week=1, key="week-1", date=date(2026, 7, 6), title="One", timezone="Asia/Seoul"),
    Session(week=2, key="week-2", date=date(2026, 7, 13), title="Two", timezone="Asia/Seoul"),
)


def withdrawn(stamp: datetime, edit: Callable[[bytes], bytes] = lambda ics: ics) -> Feed:
    schedule = Schedule(Calendar("demo", "Demo", timezone="Asia/Seoul"), TWO_WEEKS)
    published = edit(render_feed(schedule, stamp=FIRST_BUILD).ics)
    return render_withdrawn(
        read_previous_feed(published, source="demo.ics", calendar="demo"), stamp=stamp
    )


def event_lines(ics: bytes, uid: str) -> list[str]:
    event = next(part for part in ics.split(b"BEGIN:VEVENT") if uid.encode() in part)
    return event.decode("utf-8").split("END:VEVENT")[0].split("\r\n")


def test_a_withdrawn_series_cancels_a_session_on_the_day_it_is_withdrawn() -> None:
    feed = withdrawn(datetime(2026, 7, 13, 0, 30, 15, 999_999, tzinfo=timezone.utc))
    assert feed.removed == ("week 2",)
    assert [str(change) for change in feed.changes] == [
        "week 2: cancelled: its series' schedule is gone"
    ]
    second = event_lines(feed.ics, "week-2.demo@seminar-feed")
    assert "STATUS:CANCELLED" in second
    assert "SUMMARY:Cancelled: Week 2: Two" in second
    assert "SEQUENCE:1" in second
    assert "DTSTAMP:20260713T003015Z" in second
    first = event_lines(feed.ics, "week-1.demo@seminar-feed")
    assert "STATUS:CONFIRMED" in first
    assert "DTSTAMP:20260601T090000Z" in first
    # Each session alone, for the files its page offers, as the feed now has it.
    assert sorted(feed.singles) == ["week-1", "week-2"]
    assert b"\r\nSTATUS:CANCELLED\r\n" in feed.singles["week-2"]
    assert b"\r\nSTATUS:CONFIRMED\r\n" in feed.singles["week-1"]
    assert feed.removed_sessions == ()


def test_a_withdrawn_series_is_stamped_in_utc_whatever_the_machines_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "Asia/Seoul")
    time.tzset()
    try:
        # 16:00 UTC on the 12th is already the 13th in Seoul: a day before week 2 in UTC.
        feed = withdrawn(datetime(2026, 7, 12, 16, 0, tzinfo=timezone.utc))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert "DTSTAMP:20260712T160000Z" in event_lines(feed.ics, "week-2.demo@seminar-feed")


def test_a_withdrawn_series_whose_titles_were_rewritten_is_cancelled_in_english() -> None:
    def retitled(ics: bytes) -> bytes:
        return ics.replace(b"SUMMARY:Week 1: One", b"SUMMARY:Eins").replace(
            b"SUMMARY:Week 2: Two", b"SUMMARY:Zwei"
        )

    feed = withdrawn(datetime(2026, 7, 7, tzinfo=timezone.utc), retitled)
    assert "SUMMARY:Cancelled: Zwei" in event_lines(feed.ics, "week-2.demo@seminar-feed")


def test_a_removed_session_loses_its_alarms_wherever_they_stand() -> None:
    # An editor, or another tool, may put an event's alarm before its own properties.
    calendar = Calendar("demo", "Demo", timezone="Asia/Seoul")
    reminded = replace(TWO_WEEKS[1], reminders=(timedelta(minutes=30),), description="Why")
    ics = render_feed(Schedule(calendar, (TWO_WEEKS[0], reminded)), stamp=FIRST_BUILD).ics
    alarm = ics[ics.index(b"BEGIN:VALARM") : ics.index(b"END:VALARM\r\n") + 12]
    moved = ics.replace(alarm, b"").replace(
        b"SUMMARY:Week 2: Two\r\n", alarm + b"SUMMARY:Week 2: Two\r\n"
    )
    previous = read_previous_feed(moved, source="demo.ics", calendar="demo")
    feed = render_feed(Schedule(calendar, TWO_WEEKS[:1]), stamp=FIRST_BUILD, previous=previous)
    second = event_lines(feed.ics, "week-2.demo@seminar-feed")
    assert "SUMMARY:Cancelled: Week 2: Two" in second
    assert "STATUS:CANCELLED" in second
    assert "DESCRIPTION:Cancelled: this session was removed from the schedule.\\n\\nWhy" in second
    assert not [line for line in second if "ALARM" in line or line.startswith("TRIGGER")]


def test_a_removed_session_is_reported_by_its_key_as_written() -> None:
    calendar = Calendar("demo", "Demo")
    odd = Session(week=2, key="week-2-or-week-3", date=date(2026, 7, 13), title="Two")
    previous = render_feed(Schedule(calendar, (TWO_WEEKS[0], odd)), stamp=FIRST_BUILD).ics
    feed = render_feed(
        Schedule(calendar, TWO_WEEKS[:1]),
        stamp=FIRST_BUILD,
        previous=read_previous_feed(previous, source="demo.ics", calendar="demo"),
    )
    assert feed.removed == ("week 2-or-week-3",)


def test_sessions_dropped_on_purpose_are_each_remembered_on_a_line_of_their_own() -> None:
    calendar = Calendar("demo", "Demo")
    third = Session(week=3, key="week-3", date=date(2026, 7, 20), title="Three")
    previous = render_feed(Schedule(calendar, (*TWO_WEEKS, third)), stamp=FIRST_BUILD).ics
    feed = render_feed(
        Schedule(calendar, TWO_WEEKS[:1]),
        stamp=FIRST_BUILD,
        previous=read_previous_feed(previous, source="demo.ics", calendar="demo"),
        drop_removed=True,
    )
    lines = feed.ics.decode("utf-8").replace("\r\n ", "").split("\r\n")
    assert [line for line in lines if line.startswith("X-SEMINAR-FEED-DROPPED")] == [
        "X-SEMINAR-FEED-DROPPED;X-SEQUENCE=0;X-DTSTAMP=20260601T090000Z:week-2.demo@seminar-feed",
        "X-SEMINAR-FEED-DROPPED;X-SEQUENCE=0;X-DTSTAMP=20260601T090000Z:week-3.demo@seminar-feed",
    ]


def test_a_withdrawn_series_is_cancelled_in_the_language_it_was_written_in() -> None:
    schedule = Schedule(Calendar("demo", "Demo", timezone="Asia/Seoul", language="ko"), TWO_WEEKS)
    published = render_feed(schedule, stamp=FIRST_BUILD).ics
    feed = render_withdrawn(
        read_previous_feed(published, source="demo.ics", calendar="demo"),
        stamp=datetime(2026, 7, 7, tzinfo=timezone.utc),
    )
    assert "SUMMARY:취소됨: 2주차: Two" in event_lines(feed.ics, "week-2.demo@seminar-feed")
