"""Property tests: any valid schedule renders and reads back; any input gives a feed
or a clean error, never a crash.

Run longer with HYPOTHESIS_PROFILE=long (see conftest.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint import lint_ics
from readers import expected_events, read_ical, read_icalendar, read_vobject
from seminar_feed.cli import main
from seminar_feed.errors import ScheduleError
from seminar_feed.feed import render_feed
from seminar_feed.load import parse_schedule
from seminar_feed.model import Schedule, Session
from seminar_feed.previous import read_previous_feed

ROOT = Path(__file__).parent.parent
SHIPPED = (ROOT / "schedule.yaml").read_text(encoding="utf-8")
STAMP = datetime(2026, 6, 1, tzinfo=timezone.utc)

# Any printable character, including the ones iCalendar must escape and the ones
# that stress folding: accents, CJK, emoji, combining marks, right-to-left marks.
printable = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
    blacklist_characters="\ufeff",
)
one_line = st.text(printable, min_size=1, max_size=60).map(str.strip).filter(bool)
special = st.sampled_from([",", ";", "\\", '"', ":", "\u200f", "é", "e\u0301", "🙂", "확산"])
risky_line = st.lists(st.one_of(special, one_line), min_size=1, max_size=5).map("".join)
paragraphs = st.lists(risky_line, min_size=1, max_size=4).map("\n".join)
url = st.from_regex(r"https://[a-z]{1,10}\.org/[a-z0-9/._~-]{0,20}", fullmatch=True)


@st.composite
def schedules(draw: st.DrawFn) -> dict[str, object]:
    count = draw(st.integers(min_value=1, max_value=6))
    first = draw(st.dates(min_value=date(2000, 1, 3), max_value=date(2036, 1, 1)))
    weeks = sorted(draw(st.sets(st.integers(1, 60), min_size=count, max_size=count)))
    timed = draw(st.booleans())
    calendar: dict[str, object] = {"id": "prop", "name": draw(risky_line)}
    if timed:
        calendar["timezone"] = draw(st.sampled_from(["UTC", "Asia/Seoul", "Asia/Kolkata"]))
        calendar["time"] = f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}"
    if draw(st.booleans()):
        calendar["online"] = draw(url)
    sessions = []
    for week in weeks:
        session: dict[str, object] = {
            "week": week,
            "date": str(first + timedelta(weeks=week - 1)),
            "title": draw(risky_line),
        }
        if draw(st.booleans()):
            session["presenter"] = draw(risky_line)
        if draw(st.booleans()):
            session["description"] = draw(paragraphs)
        if draw(st.booleans()):
            session["url"] = draw(url)
        if draw(st.booleans()):
            session["location"] = draw(risky_line)
        if draw(st.booleans()):
            session["online"] = draw(st.one_of(url, st.just("none")))
        material = st.fixed_dictionaries({"title": risky_line, "url": url})
        materials = draw(st.lists(material, max_size=3, unique_by=lambda m: str(m["url"])))
        if materials:
            session["materials"] = materials
        sessions.append(session)
    return {"calendar": calendar, "sessions": sessions}


def _removed_sessions(schedule: Schedule, feed: bytes) -> tuple[Session, ...]:
    """Every session as the feed keeps it once it has left the schedule."""
    previous = read_previous_feed(feed, source="feed.ics", calendar="prop")
    empty = Schedule(schedule.calendar, ())
    kept = render_feed(empty, stamp=STAMP + timedelta(days=1), previous=previous)
    return tuple(sorted(kept.removed_sessions, key=lambda session: session.week))


def load(document: dict[str, object]) -> Schedule:
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    return parse_schedule(text.encode(), source="p.yaml")


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(document=schedules())
def test_any_schedule_renders_and_reads_back(
    document: dict[str, object], tmp_path_factory: pytest.TempPathFactory
) -> None:
    schedule = load(document)
    feed = render_feed(schedule, stamp=STAMP).ics
    assert lint_ics(feed) == []
    path = tmp_path_factory.mktemp("feed") / "feed.ics"
    path.write_bytes(feed)
    expected = expected_events(schedule)
    for read in (read_icalendar, read_vobject, read_ical):
        assert read(path) == expected
    # Read back from the published feed, an unchanged schedule is an unchanged feed.
    previous = read_previous_feed(feed, source="feed.ics", calendar="prop")
    again = render_feed(schedule, stamp=STAMP + timedelta(days=1), previous=previous)
    assert (again.ics, again.changes) == (feed, ())
    for session, removed in zip(schedule.sessions, _removed_sessions(schedule, feed), strict=True):
        # Cancelled, it offers no call to join, and keeps its materials.
        assert (removed.online, removed.materials) == (None, session.materials)


mutations = st.sampled_from(["delete", "insert", "duplicate", "replace"])


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_edit_of_the_shipped_schedule_gives_a_feed_or_a_clean_error(
    data: st.DataObject,
) -> None:
    text = SHIPPED
    for _ in range(data.draw(st.integers(1, 3))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 40)))
        action = data.draw(mutations)
        if action == "delete":
            text = text[:start] + text[end:]
        elif action == "insert":
            text = text[:start] + data.draw(st.text(max_size=8)) + text[start:]
        elif action == "duplicate":
            text = text[:end] + text[start:end] + text[end:]
        else:
            text = text[:start] + data.draw(st.sampled_from(":-[]{}&*!|>'\"%@`#\t ")) + text[end:]
    _feed_or_clean_error(text.encode())


@settings(deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_feed_or_a_clean_error(data: bytes) -> None:
    _feed_or_clean_error(data)


def _feed_or_clean_error(data: bytes) -> None:
    try:
        schedule = parse_schedule(data, source="x.yaml")
    except ScheduleError as error:
        problems = error.problems
    else:
        assert lint_ics(render_feed(schedule, stamp=STAMP).ics) == []
        return
    assert problems
    for problem in problems:
        assert problem.where.path == "x.yaml"
        assert problem.message
        assert "\n" not in problem.message


# Values that have broken builds before, by key: far dates, clock changes, huge
# numbers, quoted types, odd YAML.
VALUES = {
    "date": [
        "9999-12-31",
        "0001-01-01",
        "1979-12-31",
        "2038-07-05",
        "2026-02-29",
        "\uff12\uff10\uff12\uff16-\uff10\uff17-\uff10\uff16",  # full-width digits
    ],
    "week": ["0", "-1", "1.5", "500000", '"1"', "²", "1e3", "0x10"],
    "time": ["24:00", "00:00", "02:30", "01:30", '"19:00"', "19:00:00"],
    "duration": ["0m", "24h", "25h", "1000000h", "1h30m", "99999999999d"],
    "timezone": [
        "Europe/Dublin",
        "Australia/Lord_Howe",
        "America/New_York",
        "Pacific/Apia",
        "Nowhere",
    ],
    "starts": ["2037-12-28", "1980-01-01", "9999-12-31"],
    "reminders": ["[0m]", "[28d]", "[1000000h]", "1h", "[1h, 60m]"],
    "cancelled": ["true", '"true"', "yes", "~"],
    "id": ["week-1", "2026", "UPPER", '""'],
    "title": ['"a\tb"', "x" * 400, "&a x", "*a", "!!binary aGk=", "[]", "{}"],
}
CALENDAR_LINES = ["  timezone: America/New_York", "  time: '00:30'", "  duration: 1h"]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_no_mutated_schedule_ends_in_a_traceback(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    lines = SHIPPED.splitlines()
    if data.draw(st.booleans()):  # give the sessions a time of day, near a clock change
        lines[lines.index("calendar:") + 1 : lines.index("calendar:") + 1] = CALENDAR_LINES
    for _ in range(data.draw(st.integers(1, 3))):
        keyed = [
            n for n, line in enumerate(lines) if line.strip().lstrip("- ").split(":")[0] in VALUES
        ]
        number = data.draw(st.sampled_from(keyed))
        key, indent = lines[number].split(":")[0], ""
        if data.draw(st.booleans()):
            lines[number] = f"{key}: {data.draw(st.sampled_from(VALUES[key.strip().lstrip('- ')]))}"
        else:
            indent = " " * (len(key) - len(key.lstrip(" -")))
            other = data.draw(st.sampled_from(sorted(VALUES)))
            lines.insert(
                number + 1, f"{indent}{other}: {data.draw(st.sampled_from(VALUES[other]))}"
            )
    folder = tmp_path_factory.mktemp("build")
    (folder / "schedule.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    runner = CliRunner()
    checked = runner.invoke(main, ["check", str(folder / "schedule.yaml")], catch_exceptions=False)
    built = runner.invoke(main, ["build", str(folder / "schedule.yaml")], catch_exceptions=False)
    assert (checked.exit_code, built.exit_code) in ((0, 0), (1, 1)), built.stderr
    if built.exit_code:
        assert built.stderr.startswith(str(folder / "schedule.yaml")), built.stderr
        assert not (folder / "dist").exists()
    else:
        (feed,) = (folder / "dist").glob("*.ics")  # named after calendar.id, which may be edited
        assert lint_ics(feed.read_bytes()) == []


def test_no_example_is_failed_for_being_slow() -> None:
    # A busy machine slows examples down; timing them would make the suite flaky.
    assert settings.default.deadline is None
