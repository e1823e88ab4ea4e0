"""The published feed a build reads back: leniently where calendars are, never a silent reset.

Revisions carry over only from the previous feed, so every way of misreading it
(an editor's touch, a typo in --previous, a cut-off upload) would reset what
subscribers hold. Each case here is either read correctly or refused at its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lint import lint_ics
from seminar_feed.cli import main
from seminar_feed.errors import FeedError
from seminar_feed.feed import render_feed
from seminar_feed.model import Calendar, Schedule, Session
from seminar_feed.previous import read_previous_feed

AFRESH = "or pass --previous none to start afresh (every event then counts as new)"
RESTORE = f"restore the feed as it was published, {AFRESH}"

# A feed as seminar-feed writes it, spelled out with its line numbers in mind.
FEED_LINES = [
    "BEGIN:VCALENDAR",  # 1
    "VERSION:2.0",
    "PRODID:-//seminar-feed//seminar-feed//EN",
    "X-WR-CALNAME:Demo",
    "BEGIN:VTIMEZONE",  # 5
    "TZID:Asia/Seoul",
    "BEGIN:STANDARD",
    "DTSTART:20250101T000000",
    "TZOFFSETFROM:+0900",
    "TZOFFSETTO:+0900",  # 10
    "END:STANDARD",
    "END:VTIMEZONE",
    "BEGIN:VEVENT",
    "DTSTAMP:20260601T090000Z",
    "LAST-MODIFIED:20260601T090000Z",  # 15
    "SEQUENCE:3",
    "SUMMARY:Week 1: One",
    "DTSTART;TZID=Asia/Seoul:20260706T190000",
    "DTEND;TZID=Asia/Seoul:20260706T200000",
    "UID:week-1.demo@seminar-feed",  # 20
    "STATUS:CONFIRMED",
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    "TRIGGER:-PT30M",
    "END:VALARM",  # 25
    "END:VEVENT",
    "BEGIN:VEVENT",
    "DTSTAMP:20260602T090000Z",
    "LAST-MODIFIED:20260602T090000Z",
    "SEQUENCE:0",  # 30
    "SUMMARY:Week 2: Two",
    "DTSTART;VALUE=DATE:20260713",
    "DTEND;VALUE=DATE:20260714",
    "UID:week-2.demo@seminar-feed",
    "STATUS:CONFIRMED",  # 35
    "END:VEVENT",
    "END:VCALENDAR",
]
# The calendar's own lines before its first component, as the feed above has them.
HEADER = ("VERSION:2.0", "PRODID:-//seminar-feed//seminar-feed//EN", "X-WR-CALNAME:Demo")
WEEK_1 = (
    "SUMMARY:Week 1: One",
    "DTSTART;TZID=Asia/Seoul:20260706T190000",
    "DTEND;TZID=Asia/Seoul:20260706T200000",
    "UID:week-1.demo@seminar-feed",
    "STATUS:CONFIRMED",
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    "TRIGGER:-PT30M",
    "END:VALARM",
)
WEEK_2 = (
    "SUMMARY:Week 2: Two",
    "DTSTART;VALUE=DATE:20260713",
    "DTEND;VALUE=DATE:20260714",
    "UID:week-2.demo@seminar-feed",
    "STATUS:CONFIRMED",
)


def feed(lines: list[str], end: str = "\r\n") -> bytes:
    return "".join(line + end for line in lines).encode("utf-8")


def edited(number: int, *replacement: str) -> list[str]:
    """The feed with line `number` (1-based) replaced by the given lines (none: deleted)."""
    return FEED_LINES[: number - 1] + list(replacement) + FEED_LINES[number:]


def test_a_feed_we_wrote_is_read_with_its_revisions() -> None:
    read = read_previous_feed(feed(FEED_LINES), source="feed.ics", calendar="demo")
    assert sorted(read.events) == ["week-1.demo@seminar-feed", "week-2.demo@seminar-feed"]
    first = read.events["week-1.demo@seminar-feed"]
    assert first.lines == WEEK_1
    assert first.revision.sequence == 3
    assert first.revision.stamp == datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
    assert first.revision_lines == (
        "DTSTAMP:20260601T090000Z",
        "LAST-MODIFIED:20260601T090000Z",
        "SEQUENCE:3",
    )
    assert read.events["week-2.demo@seminar-feed"].lines == WEEK_2
    assert read.dropped == {}
    assert read.header == HEADER


def test_a_feed_without_components_keeps_only_its_own_lines_as_its_header() -> None:
    read = read_previous_feed(feed([*FEED_LINES[:4], "END:VCALENDAR"]), source="f", calendar="x")
    assert read.events == {}
    assert read.header == HEADER


def test_text_is_compared_to_its_last_character() -> None:
    # Only blanks and tabs are taken off a line's end, as editors add them; a letter or
    # a no-break space is part of the title.
    for summary in ("SUMMARY:Week 1: Part X", "SUMMARY:Week 1: One\u00a0", "SUMMARY:Week 1:\u3000"):
        read = read_previous_feed(feed(edited(17, summary)), source="feed.ics", calendar="demo")
        assert read.events["week-1.demo@seminar-feed"].lines[0] == summary


def test_blanks_before_the_calendar_are_skipped() -> None:
    read = read_previous_feed(b" \t\r\n" + feed(FEED_LINES), source="feed.ics", calendar="demo")
    assert read.events["week-2.demo@seminar-feed"].lines == WEEK_2


def test_a_feed_of_exactly_the_largest_size_is_read() -> None:
    data = feed(FEED_LINES)
    padding = 10_000_000 - len(data) - len("X-PADDING:\r\n")
    data = data.replace(
        b"X-WR-CALNAME:Demo\r\n", b"X-WR-CALNAME:Demo\r\nX-PADDING:" + b"x" * padding + b"\r\n"
    )
    assert len(data) == 10_000_000
    read = read_previous_feed(data, source="feed.ics", calendar="demo")
    assert read.events["week-2.demo@seminar-feed"].lines == WEEK_2


def test_only_the_series_mark_names_a_combined_feeds_series() -> None:
    lines = edited(
        4,
        "X-WR-CALNAME:Demo",
        "X-SEMINAR-FEED-SERIES;X-CALENDAR=demo:demo.yaml",
        "X-WR-CALDESC;X-CALENDAR=other:other.yaml",
    )
    read = read_previous_feed(feed(lines), source="feed.ics", calendar="demo")
    assert read.sources == {"demo.yaml": "demo"}


def lowercase_keywords(line: str) -> str:
    """Lowercase the names, parameter names and component names; keep the values."""
    head, colon, value = line.partition(":")
    if head in ("BEGIN", "END"):
        value = value.lower()
    name, *parameters = head.split(";")
    lowered = [key.lower() + "=" + item for key, _, item in (p.partition("=") for p in parameters)]
    return ";".join([name.lower(), *lowered]) + colon + value


def refold(line: str, width: int) -> str:
    """Fold at `width` characters with tabs, as some editors and libraries do."""
    pieces = [line[start : start + width] for start in range(0, len(line), width)]
    return "\n\t".join(pieces)


@pytest.mark.parametrize(
    ("name", "rewrite"),
    [
        ("lowercase names and parameters", lambda lines: [lowercase_keywords(x) for x in lines]),
        ("blanks at line ends", lambda lines: [x + " \t " for x in lines]),
        ("folded every 7 characters with tabs", lambda lines: [refold(x, 7) for x in lines]),
        ("folded every character", lambda lines: [refold(x, 1) for x in lines]),
        ("quoted TZID", lambda lines: [x.replace("=Asia/Seoul", '="Asia/Seoul"') for x in lines]),
        ("blank lines", lambda lines: [x + "\r\n" for x in lines]),
    ],
)  # fmt: skip
def test_what_calendar_software_reads_the_same_is_read_the_same(
    name: str, rewrite: Callable[[list[str]], list[str]]
) -> None:
    for end in ("\r\n", "\n", "\r"):
        read = read_previous_feed(
            feed(rewrite(FEED_LINES), end), source="feed.ics", calendar="demo"
        )
        assert read.events["week-1.demo@seminar-feed"].lines == WEEK_1, (name, end)
        assert read.events["week-2.demo@seminar-feed"].lines == WEEK_2, (name, end)
        assert read.events["week-1.demo@seminar-feed"].revision.sequence == 3, (name, end)


def test_a_byte_order_mark_is_skipped() -> None:
    read = read_previous_feed(
        b"\xef\xbb\xbf" + feed(FEED_LINES), source="feed.ics", calendar="demo"
    )
    assert read.events["week-2.demo@seminar-feed"].lines == WEEK_2


def test_a_quoted_parameter_may_hold_separators() -> None:
    note = 'X-NOTE;X-WHERE="a;b:c,d";LANGUAGE=en:text: with colons'
    read = read_previous_feed(
        feed(edited(21, note, "STATUS:CONFIRMED")), source="feed.ics", calendar="demo"
    )
    lines = read.events["week-1.demo@seminar-feed"].lines
    assert note in lines


def test_an_end_in_utc_is_read() -> None:
    read = read_previous_feed(
        feed(edited(19, "DTEND:20261101T060000Z")), source="feed.ics", calendar="demo"
    )
    assert "DTEND:20261101T060000Z" in read.events["week-1.demo@seminar-feed"].lines


def test_an_alarm_keeps_its_own_properties_wherever_it_stands() -> None:
    # Apple Calendar gives each alarm a UID of its own; an alarm may come before the
    # event's own properties, whose lines must still be read as the event's.
    alarm = ["BEGIN:VALARM", "UID:4D3E-ALARM", "ACTION:DISPLAY", "TRIGGER:-PT1H", "END:VALARM"]
    lines = FEED_LINES[:13] + alarm + FEED_LINES[13:21] + FEED_LINES[25:]
    read = read_previous_feed(feed(lines), source="feed.ics", calendar="demo")
    first = read.events["week-1.demo@seminar-feed"]
    assert first.lines == (*alarm, *WEEK_1[:5])
    assert first.revision.sequence == 3
    assert first.revision_lines == (
        "DTSTAMP:20260601T090000Z",
        "LAST-MODIFIED:20260601T090000Z",
        "SEQUENCE:3",
    )


def test_the_highest_sequence_that_can_still_change_is_read() -> None:
    read = read_previous_feed(
        feed(edited(16, "SEQUENCE:2147483646")), source="feed.ics", calendar="demo"
    )
    assert read.events["week-1.demo@seminar-feed"].revision.sequence == 2_147_483_646


def test_a_combined_feed_of_other_calendars_is_refused_naming_them_all() -> None:
    data = feed(FEED_LINES).replace(b"week-2.demo@", b"week-2.talks@")
    with pytest.raises(FeedError) as refused:
        read_previous_feed(data, source="feed.ics", calendar={"reading", "methods"})
    assert str(refused.value) == (
        "feed.ics: expected the feed of calendar 'methods' or 'reading', got the feed of "
        f"'demo', 'talks'; name another file {AFRESH}"
    )


def test_dropped_uids_are_read_with_their_last_revision() -> None:
    mark = "X-SEMINAR-FEED-DROPPED;X-SEQUENCE=4;X-DTSTAMP=20260603T090000Z:week-3.demo@seminar-feed"
    read = read_previous_feed(
        feed(edited(4, "X-WR-CALNAME:Demo", mark)), source="feed.ics", calendar="demo"
    )
    assert list(read.dropped) == ["week-3.demo@seminar-feed"]
    assert read.dropped["week-3.demo@seminar-feed"].sequence == 4
    assert read.dropped["week-3.demo@seminar-feed"].stamp == datetime(
        2026, 6, 3, 9, 0, tzinfo=timezone.utc
    )


DROPPED_3 = (
    "X-SEMINAR-FEED-DROPPED;X-SEQUENCE=4;X-DTSTAMP=20260603T090000Z:week-3.demo@seminar-feed"
)

REFUSED = [
    ("empty", b"", f"feed.ics: is empty; {RESTORE}"),
    ("only blanks", b" \r\n\r\n", f"feed.ics: is empty; {RESTORE}"),
    (
        "not UTF-8",
        feed(FEED_LINES).replace(b"Week 1: One", b"Week 1: \xff"),
        f"feed.ics: is not UTF-8 text (byte 0xFF on line 17); {RESTORE}",
    ),
    (
        "not a calendar",
        b"calendar:\n  id: demo\n",
        "feed.ics:1:1: expected BEGIN:VCALENDAR, got 'calendar: id: demo'; name another file "
        + AFRESH,
    ),
    (
        "another program's calendar",
        feed(edited(3, "PRODID:-//Other//EN")),
        f"feed.ics: was not written by seminar-feed; name another file {AFRESH}",
    ),
    (
        "a single session's file",
        feed(edited(4)),
        f"feed.ics: is a single session's file, not the feed; name another file {AFRESH}",
    ),
    (
        "another calendar's feed",
        feed(FEED_LINES).replace(b".demo@", b".other@"),
        "feed.ics: expected the feed of calendar 'demo', got the feed of 'other'; name another "
        f"file {AFRESH}",
    ),
    (
        "over 10 MB",
        feed(edited(4, "X-WR-CALNAME:Demo", *["X-A:b"] * 1_500_000)),
        "feed.ics: is over 10 MB, more than any calendar reads (Google Calendar stops at 1 MB); "
        f"name another file {AFRESH}",
    ),
    (
        "cut between two events",
        feed(FEED_LINES[:26]),
        "feed.ics:26:1: the feed is cut short: expected END:VCALENDAR to close line 1, got the "
        f"end of the file; {RESTORE}",
    ),
    (
        "cut inside an event",
        feed(FEED_LINES[:30]),
        "feed.ics:30:1: the feed is cut short: expected END:VEVENT to close line 27, got the "
        f"end of the file; {RESTORE}",
    ),
    (
        "cut inside a line",
        feed(FEED_LINES[:30]) + b"SUMMARY:We",
        "feed.ics:31:1: the feed is cut short: expected END:VEVENT to close line 27, got the "
        f"end of the file; {RESTORE}",
    ),
    (
        "cut inside END:VEVENT",
        feed(FEED_LINES[:35]) + b"END:VEV",
        f"feed.ics:36:1: expected END:VEVENT to close line 27, got 'END:VEV'; {RESTORE}",
    ),
    (
        "an alarm never closed",
        feed(edited(25)),
        f"feed.ics:25:1: expected END:VALARM to close line 22, got 'END:VEVENT'; {RESTORE}",
    ),
    (
        "an event never closed",
        feed(edited(26)),
        f"feed.ics:26:1: expected BEGIN:VALARM inside VEVENT, got BEGIN:VEVENT; {RESTORE}",
    ),
    (
        "an END for another component",
        feed(edited(36, "END:VTODO")),
        f"feed.ics:36:1: expected END:VEVENT to close line 27, got 'END:VTODO'; {RESTORE}",
    ),
    (
        "a component seminar-feed never writes",
        feed(edited(37, "BEGIN:VTODO", "END:VTODO", "END:VCALENDAR")),
        "feed.ics:37:1: expected BEGIN:VEVENT or BEGIN:VTIMEZONE inside VCALENDAR, got "
        f"BEGIN:VTODO; {RESTORE}",
    ),
    (
        "text after the end",
        feed([*FEED_LINES, "BEGIN:VCALENDAR"]),
        f"feed.ics:38:1: expected nothing after END:VCALENDAR, got 'BEGIN:VCALENDAR'; {RESTORE}",
    ),
    (
        "a line that is no content line",
        feed(edited(21, "this is not iCalendar")),
        "feed.ics:21:1: expected a content line like NAME:value, got 'this is not iCalendar'; "
        + RESTORE,
    ),
    (
        "an unclosed quote",
        feed(edited(18, 'DTSTART;TZID="Asia/Seoul:20260706T190000')),
        "feed.ics:18:1: expected a content line like NAME:value, got "
        f"'DTSTART;TZID=\"Asia/Seoul:20260706T190000'; {RESTORE}",
    ),
    (
        "a control character",
        feed(edited(17, "SUMMARY:Week 1:\x07One")),
        f"feed.ics:17:1: expected text, got the control character U+0007; {RESTORE}",
    ),
    (
        "no UID",
        feed(edited(20)),
        f"feed.ics:13:1: expected UID in the event that begins here, got none; {RESTORE}",
    ),
    (
        "an empty UID",
        feed(edited(20, "UID:")),
        f"feed.ics:20:1: expected a UID, got an empty one; {RESTORE}",
    ),
    (
        "a UID in capitals",
        feed(edited(20, "UID:WEEK-1.DEMO@SEMINAR-FEED")),
        "feed.ics:20:1: expected the UID in lowercase as seminar-feed writes it, got "
        f"'WEEK-1.DEMO@SEMINAR-FEED': write it as week-1.demo@seminar-feed; {RESTORE}",
    ),
    (
        "two events with one UID",
        feed(edited(34, "UID:week-1.demo@seminar-feed")),
        "feed.ics:27:1: expected one event with UID week-1.demo@seminar-feed, found a second "
        f"(the first begins at line 13); {RESTORE}",
    ),
    (
        "two UIDs in one event",
        feed(edited(21, "UID:week-9.demo@seminar-feed")),
        f"feed.ics:21:1: expected one UID in the event, got a second; {RESTORE}",
    ),
    (
        "no DTSTART",
        feed(edited(18)),
        f"feed.ics:13:1: expected DTSTART in the event that begins here, got none; {RESTORE}",
    ),
    (
        "DURATION for DTEND",
        feed(edited(19, "DURATION:PT1H")),
        f"feed.ics:19:1: expected DTEND, got DURATION: seminar-feed writes DTEND; {RESTORE}",
    ),
    (
        "no SEQUENCE",
        feed(edited(16)),
        f"feed.ics:13:1: expected SEQUENCE in the event that begins here, got none; {RESTORE}",
    ),
    *(
        (
            # An ASCII id: pytest escapes other characters, and the escaped id does not
            # select the test again (as mutmut does, by id).
            f"SEQUENCE {value}" if value.isascii() else f"SEQUENCE U+{ord(value):04X}",
            feed(edited(16, f"SEQUENCE:{value}")),
            "feed.ics:16:1: expected SEQUENCE to be a whole number from 0 to 2147483646, got "
            f"{value!r}; {RESTORE}",
        )
        for value in ("²", "-1", "+1", "1.0", "", "2147483647", "٣")
    ),
    (
        "a line of 100 characters, shown whole",
        feed(edited(17, "X" * 100)),
        f"feed.ics:17:1: expected a content line like NAME:value, got '{'X' * 100}'; {RESTORE}",
    ),
    (
        "a line of 101 characters, cut short",
        feed(edited(17, "X" * 101)),
        f"feed.ics:17:1: expected a content line like NAME:value, got '{'X' * 97}...'; {RESTORE}",
    ),
    (
        "SEQUENCE of 400 digits",
        feed(edited(16, "SEQUENCE:" + "9" * 400)),
        "feed.ics:16:1: expected SEQUENCE to be a whole number from 0 to 2147483646, got "
        f"'{'9' * 97}...'; {RESTORE}",
    ),
    (
        "no DTSTAMP",
        feed(edited(14)),
        f"feed.ics:13:1: expected DTSTAMP in the event that begins here, got none; {RESTORE}",
    ),
    *(
        (
            f"DTSTAMP {value}",
            feed(edited(14, f"DTSTAMP:{value}")),
            "feed.ics:14:1: expected DTSTAMP to be a UTC time like 20260601T090000Z, got "
            f"{value!r}; {RESTORE}",
        )
        for value in ("yesterday", "20260601T090000", "20261301T090000Z", "10101T000000Z")
    ),
    (
        "a bad LAST-MODIFIED",
        feed(edited(15, "LAST-MODIFIED:20260631T090000Z")),
        "feed.ics:15:1: expected LAST-MODIFIED to be a UTC time like 20260601T090000Z, got "
        f"'20260631T090000Z'; {RESTORE}",
    ),
    (
        "a DTSTART that is no date",
        feed(edited(32, "DTSTART;VALUE=DATE:next week")),
        "feed.ics:32:1: expected DTSTART to be a date (VALUE=DATE:20260706), a zoned time "
        "(TZID=Asia/Seoul:20260706T190000) or a UTC time (20260706T100000Z), got "
        f"'DTSTART;VALUE=DATE:next week'; {RESTORE}",
    ),
    (
        "a DTSTART on no day",
        feed(edited(32, "DTSTART;VALUE=DATE:20260231")),
        "feed.ics:32:1: expected DTSTART to be a real date from 1000 to 9998, got '20260231'; "
        + RESTORE,
    ),
    (
        "a floating time",
        feed(edited(18, "DTSTART:20260706T190000")),
        "feed.ics:18:1: expected DTSTART to be a date (VALUE=DATE:20260706), a zoned time "
        "(TZID=Asia/Seoul:20260706T190000) or a UTC time (20260706T100000Z), got "
        f"'DTSTART:20260706T190000'; {RESTORE}",
    ),
    (
        "an unknown zone",
        feed(edited(18, "DTSTART;TZID=Mars/Olympus:20260706T190000")),
        f"feed.ics:18:1: expected an IANA time zone in TZID, got 'Mars/Olympus'; {RESTORE}",
    ),
    (
        "two zones in one TZID",
        feed(edited(18, "DTSTART;TZID=Asia/Seoul,Asia/Tokyo:20260706T190000")),
        "feed.ics:18:1: expected an IANA time zone in TZID, got 'Asia/Seoul,Asia/Tokyo'; "
        + RESTORE,
    ),
    (
        "an unknown quoted zone",
        feed(edited(19, 'DTEND;TZID="Asia/Seoul;Mars":20260706T200000')),
        f"feed.ics:19:1: expected an IANA time zone in TZID, got 'Asia/Seoul;Mars'; {RESTORE}",
    ),
    (
        "a zone on another property of the event",
        feed(edited(21, "EXDATE;TZID=Asia/Seoul:20260713T190000", "STATUS:CONFIRMED")),
        f"feed.ics:21:1: expected TZID only on DTSTART and DTEND, got EXDATE; {RESTORE}",
    ),
    (
        "a zone elsewhere",
        feed(edited(24, "TRIGGER;TZID=Asia/Seoul:20260706T180000")),
        f"feed.ics:24:1: expected TZID only on DTSTART and DTEND, got TRIGGER; {RESTORE}",
    ),
    (
        "a date ending a timed event",
        feed(edited(19, "DTEND;VALUE=DATE:20260707")),
        f"feed.ics:19:1: expected DTEND to be a date if and only if DTSTART is one; {RESTORE}",
    ),
    (
        "an end before the start",
        feed(edited(33, "DTEND;VALUE=DATE:20260713")),
        f"feed.ics:33:1: expected DTEND after DTSTART 20260713, got 20260713; {RESTORE}",
    ),
    (
        "a UID both dropped and published",
        feed(edited(4, "X-WR-CALNAME:Demo", DROPPED_3.replace("week-3", "week-2"))),
        "feed.ics:5:1: expected week-2.demo@seminar-feed either in the feed or dropped, not "
        f"both; {RESTORE}",
    ),
    (
        "a UID dropped twice",
        feed(edited(4, "X-WR-CALNAME:Demo", DROPPED_3, DROPPED_3)),
        "feed.ics:6:1: expected X-SEMINAR-FEED-DROPPED once for week-3.demo@seminar-feed, found "
        f"it twice; {RESTORE}",
    ),
    (
        "a dropped UID without its SEQUENCE",
        feed(edited(4, "X-WR-CALNAME:Demo", DROPPED_3.replace(";X-SEQUENCE=4", ""))),
        "feed.ics:5:1: expected X-SEMINAR-FEED-DROPPED;X-SEQUENCE=<n>;X-DTSTAMP=<time>:<uid>, "
        "got 'X-SEMINAR-FEED-DROPPED;X-DTSTAMP=20260603T090000Z:week-3.demo@seminar-feed'; "
        + RESTORE,
    ),
    (
        "a dropped UID that is empty",
        feed(edited(4, "X-WR-CALNAME:Demo", DROPPED_3.replace(":week-3.demo@seminar-feed", ":"))),
        f"feed.ics:5:1: expected a UID, got an empty one; {RESTORE}",
    ),
    (
        "a dropped UID with a bad time",
        feed(edited(4, "X-WR-CALNAME:Demo", DROPPED_3.replace("=20260603T090000Z", "=June"))),
        "feed.ics:5:1: expected X-DTSTAMP to be a UTC time like 20260601T090000Z, got 'June'; "
        + RESTORE,
    ),
    (
        "a dropped UID with a bad SEQUENCE",
        feed(edited(4, "X-WR-CALNAME:Demo", DROPPED_3.replace("=4", "=-4"))),
        "feed.ics:5:1: expected SEQUENCE to be a whole number from 0 to 2147483646, got '-4'; "
        + RESTORE,
    ),
]


@pytest.mark.parametrize(
    ("data", "message"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
def test_a_feed_that_cannot_be_read_safely_is_refused_at_its_line(
    data: bytes, message: str
) -> None:
    with pytest.raises(FeedError) as refused:
        read_previous_feed(data, source="feed.ics", calendar="demo")
    assert str(refused.value) == message


TIMED = """\
calendar:
  id: demo
  name: Demo
  timezone: Asia/Seoul
  time: "19:00"
  reminders: [30m]
sessions:
  - week: 1
    date: 2026-07-06
    title: One
    presenter: Ko
    description: A chapter long enough that its line is folded, twice, with 확산 모델 in it.
  - week: 2
    date: 2026-07-13
    title: Two
    timezone: Europe/London
  - week: 3
    date: 2026-07-20
    title: Three
"""
ALL_DAY = "\n".join(line for line in TIMED.splitlines() if "time" not in line) + "\n"
EPOCH = 1_780_304_400  # 2026-06-01T09:00:00Z
WROTE = "wrote dist/demo.ics (3 events), dist/index.html and dist/sessions/ (3 files)\n"


def build(*args: str, epoch: int | str | None = EPOCH) -> Result:
    env = {"SOURCE_DATE_EPOCH": None if epoch is None else str(epoch)}
    return CliRunner().invoke(main, ["build", *args], env=env, catch_exceptions=False)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schedule.yaml").write_text(TIMED, encoding="utf-8")
    return tmp_path


def published(folder: Path) -> bytes:
    return (folder / "dist" / "demo.ics").read_bytes()


def revisions(data: bytes) -> dict[str, tuple[int, str, str]]:
    """Each UID's SEQUENCE, DTSTAMP and LAST-MODIFIED, read with the standard library."""
    text = re.sub(r"\r\n[ \t]", "", data.decode("utf-8"))
    found = {}
    for block in re.findall(r"\r\nBEGIN:VEVENT\r\n(.*?)\r\nEND:VEVENT", text, re.S):
        fields = dict(line.split(":", 1) for line in block.split("\r\n") if ":" in line)
        found[fields["UID"]] = (int(fields["SEQUENCE"]), fields["DTSTAMP"], fields["LAST-MODIFIED"])
    return found


def test_a_named_previous_feed_that_is_missing_is_an_error(folder: Path) -> None:
    build()
    before = published(folder)
    result = build("--previous", "dist/2026-summer-difusion.ics")
    assert (result.exit_code, result.stderr) == (
        1,
        f"dist/2026-summer-difusion.ics: no such file; name the published feed {AFRESH}\n",
    )
    assert published(folder) == before


def test_a_named_previous_feed_that_is_a_folder_is_an_error(folder: Path) -> None:
    build()
    result = build("--previous", "dist")
    assert (result.exit_code, result.stderr) == (
        1,
        f"dist: is a folder; name the published feed {AFRESH}\n",
    )


def test_a_named_previous_feed_under_a_file_is_an_error(folder: Path) -> None:
    result = build("--previous", "schedule.yaml/demo.ics")
    assert (result.exit_code, result.stderr) == (
        1,
        f"schedule.yaml/demo.ics: no such file; name the published feed {AFRESH}\n",
    )


def test_previous_none_starts_afresh_on_purpose(folder: Path) -> None:
    build()
    (folder / "schedule.yaml").write_text(TIMED.replace("title: One", "title: Uno"), "utf-8")
    assert build().exit_code == 0
    assert revisions(published(folder))["week-1.demo@seminar-feed"][0] == 1
    result = build("--previous", "None")
    assert result.stderr == "week 1: new\nweek 2: new\nweek 3: new\n" + WROTE
    assert revisions(published(folder))["week-1.demo@seminar-feed"][0] == 0


def test_a_named_previous_feed_carries_revisions_over(folder: Path) -> None:
    build()
    (folder / "schedule.yaml").write_text(TIMED.replace("title: One", "title: Uno"), "utf-8")
    build()
    (folder / "published.ics").write_bytes(published(folder))
    result = build("-o", "elsewhere/demo.ics", "--previous", "published.ics")
    assert result.exit_code == 0
    assert (folder / "elsewhere" / "demo.ics").read_bytes() == published(folder)


def unfolded_lines(data: bytes) -> list[str]:
    return re.sub(r"\r\n[ \t]", "", data.decode("utf-8")).split("\r\n")[:-1]


EDITS: dict[str, Callable[[bytes], bytes]] = {
    "lowercase names": lambda data: feed([lowercase_keywords(x) for x in unfolded_lines(data)]),
    "LF line ends, folded at 20 with tabs": lambda data: feed(
        [refold(x, 20) for x in unfolded_lines(data)], "\n"
    ),
    "not folded at all": lambda data: feed(unfolded_lines(data)),
    "blanks at line ends": lambda data: feed([x + "  \t" for x in unfolded_lines(data)]),
    "quoted zones": lambda data: data.replace(b";TZID=Asia/Seoul:", b';TZID="Asia/Seoul":'),
    "a byte order mark": lambda data: b"\xef\xbb\xbf" + data,
    "no VTIMEZONE": lambda data: re.sub(
        rb"BEGIN:VTIMEZONE.*END:VTIMEZONE\r\n", b"", data, flags=re.S
    ),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("schedule", [TIMED, ALL_DAY], ids=["timed", "all-day"])
def test_an_edited_feed_rebuilds_to_the_published_bytes(
    folder: Path, schedule: str, edit: str
) -> None:
    (folder / "schedule.yaml").write_text(schedule, encoding="utf-8")
    build()
    (folder / "schedule.yaml").write_text(schedule.replace("title: Two", "title: Deux"), "utf-8")
    build(epoch=EPOCH + 60)
    original = published(folder)
    assert revisions(original)["week-2.demo@seminar-feed"][0] == 1
    (folder / "dist" / "demo.ics").write_bytes(EDITS[edit](original))
    result = build(epoch=EPOCH + 120)
    assert (result.exit_code, result.stderr) == (0, WROTE)
    assert published(folder) == original


def test_blanks_at_every_fold_count_as_a_change_not_a_reset(folder: Path) -> None:
    build()
    original = published(folder)
    (folder / "dist" / "demo.ics").write_bytes(original.replace(b"\r\n", b" \r\n"))
    result = build(epoch=EPOCH + 60)
    assert result.exit_code == 0
    # Week 1's description is folded: a blank before a fold is text, so it changed.
    assert result.stderr == "week 1: description\n" + WROTE
    assert revisions(published(folder)) == {
        "week-1.demo@seminar-feed": (1, "20260601T090100Z", "20260601T090100Z"),
        "week-2.demo@seminar-feed": (0, "20260601T090000Z", "20260601T090000Z"),
        "week-3.demo@seminar-feed": (0, "20260601T090000Z", "20260601T090000Z"),
    }


def test_a_change_is_stamped_after_the_last_even_when_the_clock_went_back(folder: Path) -> None:
    build()
    (folder / "schedule.yaml").write_text(TIMED.replace("title: Two", "title: Deux"), "utf-8")
    result = build(epoch=EPOCH - 86_400)
    assert result.stderr == "week 2: title 'Two' → 'Deux'\n" + WROTE  # alarms carry the title
    assert revisions(published(folder)) == {
        "week-1.demo@seminar-feed": (0, "20260601T090000Z", "20260601T090000Z"),
        "week-2.demo@seminar-feed": (1, "20260601T090001Z", "20260601T090001Z"),
        "week-3.demo@seminar-feed": (0, "20260601T090000Z", "20260601T090000Z"),
    }
    (folder / "schedule.yaml").write_text(TIMED.replace("title: Two", "title: Zwei"), "utf-8")
    build(epoch=EPOCH)  # the same clock as the last change: still after it
    assert revisions(published(folder))["week-2.demo@seminar-feed"] == (
        2,
        "20260601T090002Z",
        "20260601T090002Z",
    )
    (folder / "schedule.yaml").write_text(TIMED.replace("title: Two", "title: Dos"), "utf-8")
    build(epoch=EPOCH + 3600)
    assert revisions(published(folder))["week-2.demo@seminar-feed"] == (
        3,
        "20260601T100000Z",
        "20260601T100000Z",
    )


@pytest.mark.parametrize(
    ("epoch", "message"),
    [
        ("-1", "expected whole seconds since 1970, got '-1'"),
        ("yesterday", "expected whole seconds since 1970, got 'yesterday'"),
        ("", "expected whole seconds since 1970, got ''"),
        (" 1780304400", "expected whole seconds since 1970, got ' 1780304400'"),
        ("1_780_304_400", "expected whole seconds since 1970, got '1_780_304_400'"),
        ("١٧٨٠٣٠٤٤٠٠", "expected whole seconds since 1970, got '١٧٨٠٣٠٤٤٠٠'"),
        ("1780304400.5", "expected whole seconds since 1970, got '1780304400.5'"),
        (
            "253402300800",
            "expected a time before the year 10000 (at most 253402300799), got '253402300800'",
        ),
        ("9" * 5000, f"expected whole seconds since 1970, got '{'9' * 5000}'"),
    ],
)
def test_a_build_time_iCalendar_cannot_write_is_refused(
    folder: Path, epoch: str, message: str
) -> None:
    result = build(epoch=epoch)
    assert (result.exit_code, result.stderr) == (1, f"SOURCE_DATE_EPOCH: {message}\n")
    assert not (folder / "dist").exists()


@pytest.mark.parametrize(
    ("epoch", "stamp"), [(0, "19700101T000000Z"), (253_402_300_799, "99991231T235959Z")]
)
def test_the_first_and_last_build_times_are_written(folder: Path, epoch: int, stamp: str) -> None:
    assert build(epoch=epoch).exit_code == 0
    assert revisions(published(folder))["week-1.demo@seminar-feed"][1:] == (stamp, stamp)
    (folder / "schedule.yaml").write_text(TIMED.replace("title: One", "title: Uno"), "utf-8")
    assert build(epoch=epoch).exit_code == 0  # read back, and a change stamped after it
    assert revisions(published(folder))["week-1.demo@seminar-feed"][0] == 1


GARBAGE = [
    b"garbage",
    b":",
    b";",
    b"X-A:",
    b"BEGIN:VEVENT",
    b"END:VEVENT",
    b"BEGIN:VALARM",
    b"END:VCALENDAR",
    b"\x00",
    b"\xff\xfe",
    b" continued",
    b'DTSTART;TZID="Asia',
    b"DTEND:20260101",
    b"DURATION:PT1H",
    b"X-SEMINAR-FEED-DROPPED;X-SEQUENCE=2;X-DTSTAMP=20260101T000000Z:week-9.demo@seminar-feed",
    b"X-SEMINAR-FEED-DROPPED:week-2.demo@seminar-feed",
]
VALUES = ["", "-1", "²", "x", "20261399T999999Z", "99991231T235959Z", "Mars/Olympus", "9" * 30]


def mutants(data: bytes, seed: int) -> list[tuple[str, bytes]]:
    """A fixed set of damaged copies of a feed: each (how it was damaged, its bytes)."""
    chance = __import__("random").Random(seed)
    lines = data.split(b"\r\n")[:-1]

    def joined(new: list[bytes]) -> bytes:
        return b"".join(line + b"\r\n" for line in new)

    found = []
    for index, line in enumerate(lines):
        found.append((f"delete line {index + 1}", joined(lines[:index] + lines[index + 1 :])))
        found.append((f"repeat line {index + 1}", joined(lines[: index + 1] + lines[index:])))
        for case in (bytes.lower, bytes.upper):
            changed = joined([*lines[:index], case(line), *lines[index + 1 :]])
            found.append((f"{case.__name__} line {index + 1}", changed))
    for offset in sorted(chance.sample(range(len(data)), 40)):
        found.append((f"cut at {offset}", data[:offset]))
    for garbage in GARBAGE:
        index = chance.randrange(len(lines))
        found.append(
            (f"{garbage!r} at {index + 1}", joined([*lines[:index], garbage, *lines[index:]]))
        )
    for value in VALUES:
        for index in chance.sample(range(len(lines)), 6):
            name = lines[index].split(b":", 1)[0]
            changed = joined([*lines[:index], name + b":" + value.encode(), *lines[index + 1 :]])
            found.append((f"value {value!r} at line {index + 1} ({name.decode()})", changed))
    return found


def floors(data: bytes) -> dict[str, tuple[int, str]]:
    """The SEQUENCE and DTSTAMP of each UID a damaged feed still states plainly."""
    text = re.sub(r"\r?\n[ \t]", "", data.decode("utf-8", "replace"))
    found, fields = {}, dict[str, str]()
    for line in re.split(r"\r\n|\r|\n", text):
        name, _, value = line.partition(":")
        if line.upper() == "BEGIN:VEVENT":
            fields = {}
        fields[name.upper()] = value.rstrip(" \t")
        sequence, stamp = fields.get("SEQUENCE", ""), fields.get("DTSTAMP", "")
        if line.upper() == "END:VEVENT" and re.fullmatch(r"[0-9]+", sequence):
            found[fields.get("UID", "")] = (int(sequence), stamp)
    return found


@pytest.mark.parametrize(
    ("schedule", "rebuilt"),
    [(TIMED, TIMED.split("  - week: 3")[0]), (ALL_DAY, ALL_DAY)],
    ids=["timed, a session removed", "all-day"],
)
def test_no_damaged_feed_ends_in_a_traceback(folder: Path, schedule: str, rebuilt: str) -> None:
    (folder / "schedule.yaml").write_text(schedule, encoding="utf-8")
    build()
    (folder / "schedule.yaml").write_text(schedule.replace("title: Two", "title: Deux"), "utf-8")
    build(epoch=EPOCH + 60)
    original = published(folder)
    (folder / "schedule.yaml").write_text(rebuilt, encoding="utf-8")
    outcomes = {0: 0, 1: 0}
    for damage, data in mutants(original, seed=len(schedule)):
        (folder / "previous.ics").write_bytes(data)
        result = build("-o", "-", "--previous", "previous.ics", epoch=EPOCH + 120)
        outcomes[result.exit_code] += 1  # any other status is a KeyError here
        if result.exit_code == 1:
            assert re.fullmatch(
                r"previous\.ics(:\d+:1)?: [^\n]+ --previous none [^\n]+\n", result.stderr
            ), damage
            continue
        assert lint_ics(result.stdout_bytes) == [], damage
        now = revisions(result.stdout_bytes)
        for uid, (sequence, stamp) in floors(data).items():
            assert now[uid][0] >= sequence, f"{damage}: {uid}"
            assert now[uid][1] >= stamp, f"{damage}: {uid}"
    assert min(outcomes.values()) > 100, outcomes  # both kinds of outcome well tried


def test_a_session_file_named_as_the_previous_feed_is_refused(folder: Path) -> None:
    build()
    result = build("--previous", "dist/sessions/week-1.ics")
    assert (result.exit_code, result.stderr) == (
        1,
        "dist/sessions/week-1.ics: is a single session's file, not the feed; name another file "
        f"{AFRESH}\n",
    )


def test_a_removed_session_keeps_its_zone_when_the_feed_lost_it(folder: Path) -> None:
    build()
    without_zones = re.sub(
        rb"BEGIN:VTIMEZONE.*END:VTIMEZONE\r\n", b"", published(folder), flags=re.S
    )
    quoted = without_zones.replace(b"TZID=Europe/London:", b'tzid="Europe/London":')
    (folder / "dist" / "demo.ics").write_bytes(quoted)
    (folder / "schedule.yaml").write_text(
        TIMED.replace("    timezone: Europe/London\n", "")
        .replace("week: 2", "week: 4")
        .replace("2026-07-13", "2026-07-27"),
        "utf-8",
    )
    result = build(epoch=EPOCH + 60)
    assert result.exit_code == 0, result.stderr
    data = published(folder)
    assert lint_ics(data) == []
    assert b"\r\nTZID:Europe/London\r\n" in data
    assert b"\r\nDTSTART;TZID=Europe/London:20260713T190000\r\n" in data
    assert revisions(data)["week-2.demo@seminar-feed"] == (
        1,
        "20260601T090100Z",
        "20260601T090100Z",
    )


def test_lines_compare_in_one_form_so_a_text_ending_in_a_blank_rebuilds_the_same() -> None:
    # The loader strips text; a schedule made another way may not, and must not bump forever.
    session = Session(week=1, key="week-1", date=date(2026, 7, 6), title="One ")
    schedule = Schedule(Calendar(id="demo", name="Demo"), (session,))
    first = render_feed(schedule, stamp=datetime(2026, 6, 1, tzinfo=timezone.utc))
    previous = read_previous_feed(first.ics, source="demo.ics", calendar="demo")
    again = render_feed(
        schedule, stamp=datetime(2026, 6, 2, tzinfo=timezone.utc), previous=previous
    )
    assert again.changes == ()
    assert again.ics == first.ics
