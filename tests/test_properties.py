"""Property tests: any valid schedule renders and reads back; any input gives a feed
or a clean error, never a crash.

Run longer with HYPOTHESIS_PROFILE=long (see conftest.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint import lint_ics
from readers import expected_events, read_ical, read_icalendar, read_vobject
from seminar_feed.errors import ScheduleError
from seminar_feed.feed import render_feed
from seminar_feed.load import parse_schedule
from seminar_feed.model import Schedule

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
        sessions.append(session)
    return {"calendar": calendar, "sessions": sessions}


def load(document: dict[str, object]) -> Schedule:
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    return parse_schedule(text.encode(), source="p.yaml")


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
