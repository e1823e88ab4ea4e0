"""Content lines taken apart and put back together, one function at a time."""

from __future__ import annotations

from datetime import datetime

import pytest

from seminar_feed.ics import (
    ContentLine,
    basic_moment,
    canonical_line,
    escape_text,
    fold,
    parse_line,
    split_line,
    unescape_text,
    unfold,
)


@pytest.mark.parametrize(
    ("escaped", "text"),
    [
        ("C:\\\\New", "C:\\New"),
        ("Flows\\, Scores\\; and more", "Flows, Scores; and more"),
        ("one\\ntwo\\Nthree", "one\ntwo\nthree"),
        ("\\\\n is not a line break", "\\n is not a line break"),
        ("a lone backslash at the end\\", "a lone backslash at the end\\"),
        ("no escapes", "no escapes"),
        ("ends in a line break\\n", "ends in a line break\n"),
        ("Chapter \\X", "Chapter X"),
    ],
)
def test_unescape_text_reads_each_escape(escaped: str, text: str) -> None:
    assert unescape_text(escaped) == text


def test_a_parameter_with_several_values_keeps_them_all() -> None:
    line = 'X-ROOMS;X-ROOM=south,"north;upstairs":Hall'
    assert parse_line(line) == ContentLine(
        "X-ROOMS", (("X-ROOM", ("south", "north;upstairs")),), "Hall"
    )
    assert split_line(line) == ("X-ROOMS", {"X-ROOM": "south,north;upstairs"}, "Hall")
    assert canonical_line('x-rooms;x-room="south","north;upstairs":Hall') == line


@pytest.mark.parametrize(
    ("line", "canonical"),
    [
        ("SUMMARY:Chapter X \t", "SUMMARY:Chapter X"),
        ("SUMMARY:Chapter X\u00a0", "SUMMARY:Chapter X\u00a0"),
        ("SUMMARY:Chapter X\x0c", "SUMMARY:Chapter X\x0c"),
    ],
)
def test_canonical_lines_drop_only_trailing_spaces_and_tabs(line: str, canonical: str) -> None:
    assert canonical_line(line) == canonical


@pytest.mark.parametrize(
    ("value", "moment"),
    [
        ("20260706", datetime(2026, 7, 6)),
        ("20260706T190000", datetime(2026, 7, 6, 19, 0, 0)),
        ("20280229T235959", datetime(2028, 2, 29, 23, 59, 59)),
        ("19800101T000001", datetime(1980, 1, 1, 0, 0, 1)),
    ],
)
def test_basic_moment_reads_dates_and_times(value: str, moment: datetime) -> None:
    assert basic_moment(value) == moment


@pytest.mark.parametrize(
    "value",
    [
        "20260230",  # no such day
        "20270229T120000",  # not a leap year
        "20261301",
        "20260706T240000",
        "20260706T196000",
        "20260706T190060",
        "2026070",
        "20260706T1900",
        "20260706 190000",
        "20260706T190000Z",  # the Z is the caller's to remove
        "2026-07-06",
        "+2026070",
        pytest.param("\uff12\uff10\uff12\uff16\uff10\uff17\uff10\uff16", id="full-width"),
    ],
)
def test_basic_moment_refuses_what_is_not_a_real_moment(value: str) -> None:
    with pytest.raises(ValueError, match=r"basic form|out of range|must be in"):
        basic_moment(value)


@pytest.mark.parametrize(
    ("line", "folded"),
    [
        ("SUMMARY:short", "SUMMARY:short\r\n"),
        ("X:" + "a" * 73, "X:" + "a" * 73 + "\r\n"),  # 75 octets, the most a line holds
        ("X:" + "a" * 74, "X:" + "a" * 73 + "\r\n a\r\n"),
        ("X:" + "a" * 220, "X:" + "a" * 73 + "\r\n " + "a" * 74 + "\r\n " + "a" * 73 + "\r\n"),
        # é is two octets: the 75th octet would split one, so the first line holds 74.
        ("X:" + "é" * 40, "X:" + "é" * 36 + "\r\n " + "é" * 4 + "\r\n"),
        # 🎓 is four octets: 2 + 4 * 18 = 74, and the continuation holds 18 of 74 octets.
        ("X:" + "🎓" * 40, "X:" + "🎓" * 18 + "\r\n " + "🎓" * 18 + "\r\n " + "🎓" * 4 + "\r\n"),
    ],
    ids=["short", "75 octets", "76 octets", "three lines", "two-octet letters", "emoji"],
)
def test_fold_keeps_each_line_to_75_octets_and_each_character_whole(line: str, folded: str) -> None:
    assert fold(line) == folded


def test_unfold_reads_any_line_end_and_either_continuation() -> None:
    text = (
        "BEGIN:VCALENDAR\r\nSUMMARY:Flows\r\n  and\r\n\tscores\nX-A:1\rX-B:2\r\n\r\nEND:VCALENDAR"
    )
    assert unfold(text) == [
        (1, "BEGIN:VCALENDAR"),
        (2, "SUMMARY:Flows and" + "scores"),
        (5, "X-A:1"),
        (6, "X-B:2"),
        (8, "END:VCALENDAR"),
    ]


def test_unfold_keeps_a_first_line_that_starts_with_a_blank() -> None:
    assert unfold(" X:1\r\n Y") == [(1, " X:1Y")]


def test_escape_text_escapes_backslashes_first_then_separators_and_line_breaks() -> None:
    assert escape_text("C:\\New; a, b\nend") == "C:\\\\New\\; a\\, b\\nend"


@pytest.mark.parametrize(
    "line",
    ["", ":value", "SUMMARY", "DTSTART;TZID:x", "DTSTART;=x:y", "X;A=1;:y", 'X;A="1"x:y'],
    ids=["empty", "no name", "no colon", "parameter without =", "parameter without name",
         "empty parameter", "text after a quoted value"],
)  # fmt: skip
def test_parse_line_refuses_what_is_no_content_line(line: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        parse_line(line)


def test_parse_line_reads_names_in_any_case_and_the_value_after_the_first_free_colon() -> None:
    assert parse_line('dtStart;tzid="Asia/Seoul:x";x-a=:20260706T190000:00') == ContentLine(
        "DTSTART", (("TZID", ("Asia/Seoul:x",)), ("X-A", ("",))), "20260706T190000:00"
    )
    assert canonical_line("begin:vevent") == "BEGIN:VEVENT"
    assert canonical_line("summary:begin") == "SUMMARY:begin"
