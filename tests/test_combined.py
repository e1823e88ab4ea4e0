"""A group's combined feed, rendered from its series' feeds and the one it replaces."""

from __future__ import annotations

import time
from datetime import date, datetime, timezone

import pytest

from seminar_feed.feed import Feed, render_combined, render_feed
from seminar_feed.model import Calendar, Schedule, Session
from seminar_feed.previous import Revision, read_previous_feed

FIRST = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
LATER = datetime(2026, 6, 8, 9, 0, tzinfo=timezone.utc)
GROUP = Calendar("lab", "Lab Seminars")
A_UID, B_UID = "week-1.a@seminar-feed", "week-1.b@seminar-feed"


def series(calendar_id: str, name: str) -> tuple[str, str, Feed]:
    session = Session(week=1, key="week-1", date=date(2026, 7, 6), title=f"{name} One")
    feed = render_feed(Schedule(Calendar(calendar_id, name), (session,)), stamp=FIRST)
    return calendar_id, name, feed


A, B = series("a", "Alpha"), series("b", "Beta")


def combined(
    *members: tuple[str, str, Feed],
    previous: Feed | None = None,
    stamp: datetime = FIRST,
    leaving: tuple[str, ...] = (),
    remembered: dict[str, Revision] | None = None,
) -> Feed:
    read = None
    if previous is not None:
        read = read_previous_feed(previous.ics, source="lab.ics", calendar={"a", "b"})
    return render_combined(
        GROUP, members, stamp=stamp, previous=read, leaving=leaving, remembered=remembered or {}
    )


def event(feed: Feed, uid: str) -> bytes:
    """The event's block, from BEGIN to END, as the feed has it."""
    blocks = [b"BEGIN:VEVENT\r\n" + part for part in feed.ics.split(b"BEGIN:VEVENT\r\n")[1:]]
    (found,) = [block for block in blocks if f"\r\nUID:{uid}\r\n".encode() in block]
    return found[: found.index(b"END:VEVENT\r\n") + len(b"END:VEVENT\r\n")]


def dropped_lines(feed: Feed) -> list[str]:
    lines = feed.ics.decode("utf-8").replace("\r\n ", "").split("\r\n")
    return [line for line in lines if line.startswith("X-SEMINAR-FEED-DROPPED")]


def test_a_new_combined_feed_names_each_series_and_keeps_its_revisions() -> None:
    feed = combined(A, B)
    assert feed.event_count == 2
    assert b"SUMMARY:Alpha \xc2\xb7 Week 1: Alpha One\r\n" in event(feed, A_UID)
    assert b"DTSTAMP:20260601T090000Z\r\nLAST-MODIFIED:20260601T090000Z\r\nSEQUENCE:0\r\n" in (
        event(feed, B_UID)
    )
    # A group's feed has no session files and no sessions of its own to show as removed.
    assert (feed.removed, feed.removed_sessions, feed.singles) == ((), (), {})
    assert dropped_lines(feed) == []


def test_a_series_gone_from_the_group_stays_in_the_combined_feed_as_published() -> None:
    first = combined(A, B)
    after = combined(A, previous=first, stamp=LATER)
    assert event(after, B_UID) == event(first, B_UID)
    assert after.changes == ()
    assert dropped_lines(after) == []


def test_a_series_that_left_comes_back_above_the_revision_it_left_at() -> None:
    first = combined(A, B)
    left = combined(A, B, previous=first, leaving=("b",))
    assert [str(change) for change in left.changes] == ["b week 1: left the combined feed"]
    assert dropped_lines(left) == [
        f"X-SEMINAR-FEED-DROPPED;X-SEQUENCE=0;X-DTSTAMP=20260601T090000Z:{B_UID}"
    ]
    back = combined(A, B, previous=left, stamp=LATER)
    assert [str(change) for change in back.changes] == ["b week 1: back in the feed"]
    assert b"DTSTAMP:20260608T090000Z\r\nLAST-MODIFIED:20260608T090000Z\r\nSEQUENCE:1\r\n" in (
        event(back, B_UID)
    )
    assert dropped_lines(back) == []


def test_a_dropped_series_own_feed_raises_the_revision_remembered_only_when_higher() -> None:
    left = combined(A, B, previous=combined(A, B), leaving=("b",))
    same = Revision(0, LATER, LATER)
    kept = combined(A, B, previous=left, leaving=("b",), remembered={B_UID: same})
    assert dropped_lines(kept) == [
        f"X-SEMINAR-FEED-DROPPED;X-SEQUENCE=0;X-DTSTAMP=20260601T090000Z:{B_UID}"
    ]
    higher = Revision(2, LATER, LATER)
    raised = combined(A, B, previous=left, leaving=("b",), remembered={B_UID: higher})
    assert dropped_lines(raised) == [
        f"X-SEMINAR-FEED-DROPPED;X-SEQUENCE=2;X-DTSTAMP=20260608T090000Z:{B_UID}"
    ]


def test_an_event_in_the_combined_feed_is_never_also_marked_dropped() -> None:
    feed = combined(A, B, remembered={A_UID: Revision(5, LATER, LATER)})
    assert dropped_lines(feed) == []


def test_a_combined_feed_is_stamped_in_utc_whatever_the_machines_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = combined(A, B)
    renamed = series("b", "Beta Seminar")
    monkeypatch.setenv("TZ", "Asia/Seoul")
    time.tzset()
    try:
        feed = combined(A, renamed, previous=first, stamp=LATER)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert b"DTSTAMP:20260608T090000Z\r\n" in event(feed, B_UID)
