"""Content lines taken apart and put back together, one function at a time."""

from __future__ import annotations

from datetime import datetime

import pytest

from seminar_feed.ics import (
    ContentLine,
    basic_moment,
    canonical_line,
    parse_line,
    split_line,
    unescape_text,
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
