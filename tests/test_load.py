"""The loader: every mistake is reported once, at the place the user wrote it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from seminar_feed.errors import ScheduleError
from seminar_feed.load import load_schedule, parse_schedule
from seminar_feed.model import Calendar, Session
from tools import MINIMAL_SCHEDULE

ROOT = Path(__file__).parent.parent
CASES = Path(__file__).parent / "cases"

BASE = MINIMAL_SCHEDULE


def problems(text: str | bytes) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(data, source="s.yaml")
    return [str(problem) for problem in caught.value.problems]


def with_session(extra: str, date_: str = "2026-07-06") -> str:
    return BASE.replace("2026-07-06", date_) + extra


EMPTY = "s.yaml: the file is empty; a schedule needs 'calendar' and 'sessions'"
ERRORS = [
    # YAML itself
    ("calendar:\n\tid: demo\n", ["s.yaml:2:1: a tab cannot indent YAML; use spaces"]),
    ("calendar: [\n", ["s.yaml:2:1: invalid YAML: did not find expected node content "
                       "while parsing a flow node"]),
    ("calendar:\n  id demo\n  name: x\n",
     ["s.yaml:3:7: invalid YAML: mapping values are not allowed in this context"]),
    ("a: &x [1]\ncalendar: *y\n",
     ["s.yaml:2:11: invalid YAML: an alias (*name) refers to no anchor (&name)"]),
    ("", [EMPTY]),
    ("# only a comment\n", [EMPTY]),
    ("- a\n- b\n", ["s.yaml:1:1: expected the schedule as a mapping of keys, got a list"]),
    # keys
    (BASE + "    presentr: Ko\n",
     ["s.yaml:8:5: unknown key 'presentr' in a session; did you mean 'presenter'?"]),
    (BASE + "    speaker: Ko\n",
     ["s.yaml:8:5: unknown key 'speaker' in a session; expected one of: week, id, date, title, "
      "presenter, description, url, time, duration, timezone, location, cancelled, reason, "
      "reminders"]),
    (BASE.replace("  name: Demo", "  name: Demo\n  nmae: Demo"),
     ["s.yaml:4:3: unknown key 'nmae' in calendar; did you mean 'name'?"]),
    (BASE + "    title: Two\n", ["s.yaml:8:5: duplicate key 'title' (first on line 7); keep one"]),
    (BASE + "    <<: {a: 1}\n",
     ["s.yaml:8:5: merge keys ('<<') are not supported; write the keys out"]),
    ("calendar:\n  name: Demo\nsessions:\n  - date: 2026-07-06\n",
     ["s.yaml:2:3: calendar is missing the required key 'id'",
      "s.yaml:4:5: a session is missing the required key 'title'",
      "s.yaml:4:5: a session is missing the required key 'week'"]),
    ("calendar:\n  id: demo\n  name: Demo\n",
     ["s.yaml:1:1: the schedule is missing the required key 'sessions'"]),
    ("calendar:\n  id: demo\n  name: Demo\nsessions: 5\n",
     ["s.yaml:4:11: expected a list of sessions, got '5'"]),
    ("calendar: Demo\nsessions: []\n",
     ["s.yaml:1:11: expected calendar as a mapping of keys, got 'Demo'"]),
    # values
    (BASE.replace("week: 1", "week: one").replace("title: One", "title: [a, b]"),
     ["s.yaml:5:11: expected a week number like 1, got 'one'",
      "s.yaml:7:12: expected text, got a list"]),
    (BASE.replace("week: 1", "week: 0"), ["s.yaml:5:11: expected a week number like 1, got '0'"]),
    (BASE.replace("id: demo", "id: Demo Seminar"),
     ["s.yaml:2:7: expected lowercase letters, digits and hyphens, like 2026-summer-diffusion, "
      "got 'Demo Seminar'"]),
    (with_session("", "Jul 6, 2026"),
     ["s.yaml:6:11: expected a date like 2026-07-06, got 'Jul 6, 2026'"]),
    (with_session("", "2026-02-30"),
     ["s.yaml:6:11: there is no date 2026-02-30 (day is out of range for month)"]),
    (BASE + "    time: 25:00\n    timezone: Asia/Seoul\n",
     ["s.yaml:8:11: expected a 24-hour time like 18:30, got '25:00'"]),
    (BASE + "    time: 18:30:99\n    timezone: Asia/Seoul\n",
     ["s.yaml:8:11: expected a 24-hour time like 18:30, got '18:30:99'"]),
    (BASE + "    time: 18:30\n    timezone: Seoul\n",
     ["s.yaml:9:15: unknown time zone 'Seoul'; did you mean 'Asia/Seoul'?"]),
    (BASE + "    time: 18:30\n    timezone: Mars/Base\n",
     ["s.yaml:9:15: unknown time zone 'Mars/Base'; use an IANA name like Asia/Seoul"]),
    (BASE + "    time: 18:30\n",
     ["s.yaml:8:11: a time of day needs a time zone; add timezone here or in calendar"]),
    (BASE.replace("  name: Demo", "  name: Demo\n  time: '18:30'"),
     ["s.yaml:4:9: a time of day needs a time zone; add calendar.timezone, like Asia/Seoul"]),
    (BASE + "    url: ftp://x.org/\n",
     ["s.yaml:8:10: expected an http(s) URL like https://example.org/, got 'ftp://x.org/'"]),
    (BASE.replace("  name: Demo", "  name: Demo\n  feed_url: http://example.org/demo.ics"),
     ["s.yaml:4:13: expected the https URL the feed will be served at, like "
      "https://example.org/seminar.ics, got 'http://example.org/demo.ics'"]),
    (BASE + "    url: https://\n",
     ["s.yaml:8:10: expected an http(s) URL like https://example.org/, got 'https://'"]),
    (BASE + "    presenter: ''\n",
     ["s.yaml:8:16: expected text, got an empty value; give a value or remove the key"]),
    (BASE + "    presenter:\n",
     ["s.yaml:8:15: expected text, got nothing; give a value or remove the key"]),
    (BASE + '    presenter: "Ko\\nKim"\n',
     ["s.yaml:8:16: this value must fit on one line; remove the line break"]),
    (BASE + "    title: |\n      One\n      Two\n",
     ["s.yaml:8:5: duplicate key 'title' (first on line 7); keep one"]),
    (BASE.replace("title: One", "title: |\n      One\n      Two"),
     ["s.yaml:7:12: this value must fit on one line; remove the line break"]),
    (BASE + '    location: "Room\\u2028B"\n',
     ["s.yaml:8:15: this value must fit on one line; remove the line break"]),
    (BASE + '    presenter: "a\\u0007b"\n',
     ["s.yaml:8:16: control character U+0007 is not allowed; remove it"]),
    (BASE + '    presenter: "a\\tb"\n',
     ["s.yaml:8:16: control character U+0009 is not allowed; remove it"]),
    (BASE + "    cancelled: yes\n", ["s.yaml:8:16: expected true or false, got 'yes'"]),
    (BASE + "    reason: ill\n", ["s.yaml:8:5: a reason is only shown with cancelled: true"]),
    (BASE + "    time: '10:00'\n    timezone: UTC\n    duration: 0m\n",
     ["s.yaml:10:15: a session must last more than 0 minutes and at most 24h"]),
    (BASE + "    time: '10:00'\n    timezone: UTC\n    duration: forever\n",
     ["s.yaml:10:15: expected a length like 90m, 2h or 1h30m, got 'forever'"]),
    (BASE + "    reminders: [1d, 1d, 60d, x]\n",
     ["s.yaml:8:21: the reminder 1d is listed twice; keep one",
      "s.yaml:8:25: a reminder can come at most 4 weeks (28d) before a session",
      "s.yaml:8:30: expected a reminder like 1d, 2h or 30m, got 'x'"]),
    (BASE + "    reminders: 1d\n",
     ["s.yaml:8:16: expected a list of reminders like [1d, 30m], got '1d'"]),
    # across fields and sessions
    (BASE.replace("    date: 2026-07-06\n", ""),
     ["s.yaml:5:5: this session has no date; add date: YYYY-MM-DD or set calendar.starts"]),
    (BASE + "  - week: 1\n    date: 2026-07-13\n    title: Two\n",
     ["s.yaml:8:11: week 1 is already used on line 5"]),
    (BASE + "  - week: 2\n    date: 2026-07-06\n    title: Two\n",
     ["s.yaml:9:11: week 1 is on 2026-07-06 too; one session a day"]),
    (BASE + "  - week: 2\n    date: 2026-07-01\n    title: Two\n",
     ["s.yaml:9:11: week 2 (2026-07-01) comes before week 1 (2026-07-06); "
      "dates must follow the week numbers"]),
    (BASE + "    id: intro\n  - week: 2\n    id: intro\n    date: 2026-07-13\n    title: Two\n",
     ["s.yaml:9:5: id 'intro' already names week 1"]),
    (BASE + "  - week: 2\n    id: week-1\n    date: 2026-07-13\n    title: Two\n",
     ["s.yaml:8:5: id 'week-1' already names week 1"]),
    (with_session("    time: '02:30'\n    timezone: America/New_York\n", "2026-03-08"),
     ["s.yaml:8:11: 02:30 on 2026-03-08 does not exist in America/New_York (the clocks skip it); "
      "choose another time"]),
    (with_session("    time: '01:30'\n    timezone: America/New_York\n", "2026-11-01"),
     ["s.yaml:8:11: 01:30 on 2026-11-01 happens twice in America/New_York (the clocks go back); "
      "choose another time"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ERRORS)
def test_each_mistake_is_reported_at_its_place(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"calendar:\n  id: d\xffemo\n",
         "s.yaml:2:8: the file is not UTF-8 text (byte 0xff); save it with UTF-8 encoding"),
        ("calendar:\n  name: \u00e9\xe9\n".encode("latin-1"),
         "s.yaml:2:9: the file is not UTF-8 text (byte 0xe9); save it with UTF-8 encoding"),
        (b"calendar:\n  id: d\x00emo\n",
         "s.yaml:2:8: the character U+0000 is not allowed in YAML; remove it"),
    ],
)  # fmt: skip
def test_bytes_that_are_not_text_are_pointed_at(data: bytes, expected: str) -> None:
    assert problems(data) == [expected]


def test_every_problem_is_collected_in_one_pass() -> None:
    text = (CASES / "many-mistakes.yaml").read_bytes()
    expected = (CASES / "many-mistakes.expected").read_text(encoding="utf-8").splitlines()
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(text, source="many-mistakes.yaml")
    assert [str(problem) for problem in caught.value.problems] == expected


@pytest.mark.parametrize(
    "transform",
    [
        lambda text: b"\xef\xbb\xbf" + text.encode(),
        lambda text: text.replace("\n", "\r\n").encode(),
    ],
    ids=["byte order mark", "CRLF line ends"],
)
def test_windows_editors_files_are_fine(transform: Callable[[str], bytes]) -> None:
    assert parse_schedule(transform(BASE), source="s.yaml").sessions[0].title == "One"


def test_unquoted_clock_times_stay_times() -> None:
    text = BASE.replace("  name: Demo", "  name: Demo\n  timezone: Asia/Seoul\n  time: 18:30")
    session = parse_schedule(text.encode(), source="s.yaml").sessions[0]
    assert (session.start, session.timezone) == (time(18, 30), "Asia/Seoul")


def test_calendar_defaults_apply_unless_a_session_overrides_them() -> None:
    text = """\
calendar:
  id: demo
  name: Demo
  timezone: Europe/London
  time: "18:00"
  duration: 1h30m
  location: Room 1
  starts: 2026-07-06
  reminders: [1d]
sessions:
  - week: 1
    title: One
  - week: 3
    title: Three
    time: "09:15"
    duration: 45m
    timezone: Asia/Seoul
    location: Room 2
    reminders: []
"""
    schedule = parse_schedule(text.encode(), source="s.yaml")
    assert schedule.calendar == Calendar(id="demo", name="Demo", timezone="Europe/London")
    assert schedule.sessions == (
        Session(week=1, key="week-1", date=date(2026, 7, 6), title="One", start=time(18),
                duration=timedelta(minutes=90), timezone="Europe/London", location="Room 1",
                reminders=(timedelta(days=1),)),
        Session(week=3, key="week-3", date=date(2026, 7, 20), title="Three", start=time(9, 15),
                duration=timedelta(minutes=45), timezone="Asia/Seoul", location="Room 2"),
    )  # fmt: skip


def test_descriptions_keep_paragraphs_and_normalise_line_breaks() -> None:
    text = BASE + '    description: "a\\r\\nb\\rc\\u2028d\\n\\ne"\n'
    session = parse_schedule(text.encode(), source="s.yaml").sessions[0]
    assert session.description == "a\nb\nc\nd\n\ne"


def test_sessions_come_out_in_week_order_with_explicit_ids() -> None:
    text = BASE.replace("  - week: 1", "  - week: 2\n    date: 2026-07-13\n    title: Two\n"
                        "    id: dm-week-2\n  - week: 1")  # fmt: skip
    schedule = parse_schedule(text.encode(), source="s.yaml")
    assert [(s.week, s.key) for s in schedule.sessions] == [(1, "week-1"), (2, "dm-week-2")]


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ScheduleError) as caught:
        load_schedule(tmp_path / "nope.yaml")
    assert (
        str(caught.value)
        == f"{tmp_path / 'nope.yaml'}: no such file; create it or name another schedule"
    )


def test_a_folder_is_not_a_schedule(tmp_path: Path) -> None:
    with pytest.raises(ScheduleError) as caught:
        load_schedule(tmp_path)
    assert str(caught.value) == f"{tmp_path}: is a folder; name the schedule file inside it"


def test_the_shipped_schedule_holds_the_eight_sessions_of_the_page() -> None:
    schedule = load_schedule(ROOT / "schedule.yaml")
    assert schedule.calendar.id == "2026-summer-diffusion"
    assert [s.date for s in schedule.sessions] == [
        date(2026, 7, 6) + timedelta(weeks=n) for n in range(8)
    ]
    assert all(s.date.weekday() == 0 for s in schedule.sessions)
    assert [s.presenter for s in schedule.sessions] == [
        "Myeonggeum Ko", "Kyeongtae Ko", "Heejoon Byun", "Gunwoo Cho",
        "Sungwoo Park", "Yoonseo Choi", "Jikwang Kim", "Dayeon Yoon",
    ]  # fmt: skip
    for session in schedule.sessions:
        assert session.url == (
            f"https://snuuq.github.io/seminars/2026-summer-diffusion/dm-2026-week-{session.week}/"
        )
        assert session.start is None
        assert session.description


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BASE.replace("title: One", "title: " + "x" * 301),
         "s.yaml:7:12: this text is 301 characters long; keep it under 300"),
        (BASE + "    description: " + "y" * 10_001 + "\n",
         "s.yaml:8:18: this text is 10001 characters long; keep it under 10000"),
    ],
)  # fmt: skip
def test_overlong_text_is_refused(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_a_huge_file_is_refused_before_it_is_parsed() -> None:
    huge = BASE.encode() + b"#" * 50_000_000
    assert problems(huge) == ["s.yaml: the file is 50.0 MB; a schedule may be at most 10 MB"]
