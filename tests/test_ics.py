"""Content lines taken apart and put back together, one function at a time."""

from __future__ import annotations

import pytest

from seminar_feed.ics import ContentLine, canonical_line, parse_line, split_line, unescape_text


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
