"""The exact bytes of the feed, and the line rules every byte must follow."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from lint import lint_ics
from seminar_feed.cli import main
from seminar_feed.feed import render_feed
from seminar_feed.load import load_schedule
from seminar_feed.previous import read_previous_feed

ROOT = Path(__file__).parent.parent
VALID = Path(__file__).parent / "cases" / "valid"
STAMP = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
SCHEDULES = {
    "2026-summer-diffusion.ics": ROOT / "schedule.yaml",
    "timed.ics": VALID / "timed.yaml",
    "hybrid.ics": VALID / "hybrid.yaml",
    "korean.ics": VALID / "korean.yaml",
}


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_feed_matches_golden_file(name: str, golden: Callable[[str, bytes], None]) -> None:
    feed = render_feed(load_schedule(SCHEDULES[name]), stamp=STAMP)
    golden(name, feed.ics)


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_feed_follows_the_line_rules(name: str) -> None:
    assert lint_ics(render_feed(load_schedule(SCHEDULES[name]), stamp=STAMP).ics) == []


def test_committed_feed_is_current_and_clean() -> None:
    committed = (ROOT / "dist" / "2026-summer-diffusion.ics").read_bytes()
    assert lint_ics(committed) == []
    rebuilt = render_feed(
        load_schedule(ROOT / "schedule.yaml"),
        stamp=datetime.now(timezone.utc),
        previous=read_previous_feed(committed, source="dist", calendar="2026-summer-diffusion"),
    )
    assert rebuilt.changes == ()
    assert rebuilt.ics == committed, "dist/ is stale: run seminar-feed build and commit dist/"


def test_committed_site_is_what_a_build_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page and session files too, byte for byte, in-process: a change to how the page
    is laid out shows here before CI's build --check."""
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["build", "--check"])
    assert result.exit_code == 0, f"{result.stderr}run seminar-feed build and commit dist/"
    assert result.stderr.startswith("dist/: up to date (")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"BEGIN:VCALENDAR\nEND:VCALENDAR\n", "line 1: a bare LF or CR"),
        (b"\xef\xbb\xbfBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "starts with a byte order mark"),
        (b"BEGIN:VCALENDAR\r\nX:" + b"a" * 80 + b"\r\nEND:VCALENDAR\r\n", "line 2: 82 octets"),
        ("BEGIN:VCALENDAR\r\nX:" + "é" * 36 + "\r\n " + "é" + "\r\nEND:VCALENDAR\r\n", None),
        (b"BEGIN:VCALENDAR\r\nX:\xc3\r\n \xa9\r\nEND:VCALENDAR\r\n",
         "line 2: a fold splits a UTF-8 character"),
        (b"BEGIN:VCALENDAR\r\n\r\nEND:VCALENDAR\r\n", "line 2: blank"),
        (b"BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n", "has METHOD"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;TZID=X/Y:20260101T100000\r\nEND:VEVENT\r\n"
         b"END:VCALENDAR\r\n", "TZIDs used ['X/Y'] but VTIMEZONEs for []"),
    ],
    # Plain ids: mutation runs name each test on a command line.
    ids=["bare LF", "byte order mark", "long line", "fold between characters",
         "fold inside a character", "blank line", "METHOD", "TZID without VTIMEZONE"],
)  # fmt: skip
def test_the_lint_catches_what_parsers_let_pass(data: bytes | str, problem: str | None) -> None:
    raw = data.encode() if isinstance(data, str) else data
    found = lint_ics(raw)
    if problem is None:
        assert not [p for p in found if p.startswith("line")]
    else:
        assert problem in found


def test_the_lint_reads_whole_lines_not_text_that_looks_like_them() -> None:
    event = (
        "BEGIN:VEVENT\r\nSUMMARY:Week 1: END:VEVENT\r\nUID:a@b\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;VALUE=DATE:20260706\r\nDTEND;VALUE=DATE:20260707\r\nSEQUENCE:0\r\nEND:VEVENT\r\n"
    )
    assert lint_ics(f"BEGIN:VCALENDAR\r\n{event}END:VCALENDAR\r\n".encode()) == []
