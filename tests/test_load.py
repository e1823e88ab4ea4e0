"""The loader: every mistake is reported once, at the place the user wrote it."""

from __future__ import annotations

import errno
import json
import os
import threading
from collections.abc import Callable
from contextlib import suppress
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from seminar_feed import load
from seminar_feed.errors import ScheduleError
from seminar_feed.load import load_schedule, parse_schedule
from seminar_feed.model import Calendar, Material, Schedule, Session
from tools import MINIMAL_SCHEDULE, wide

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


# Week 1 on line 6 and no date: it falls on calendar.starts (line 4) + 7 days * (week - 1).
STARTS = BASE.replace("  name: Demo", "  name: Demo\n  starts: 2026-07-06").replace(
    "    date: 2026-07-06\n", ""
)
OUTSIDE = "is outside the dates seminar-feed supports, 1980-01-01 to 2037-12-31"


QUOTED = "in quotes, which YAML reads as text; remove the quotes"
TIMED = "    time: '10:00'\n    timezone: UTC\n"


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
    # A misspelt required key is one mistake, reported once, not also as missing.
    (BASE.replace("    title: One\n", "    titel: One\n"),
     ["s.yaml:7:5: unknown key 'titel' in a session; did you mean 'title'?"]),
    (BASE.replace("    date: 2026-07-06\n", "    dat: 2026-07-06\n"),
     ["s.yaml:6:5: unknown key 'dat' in a session; did you mean 'date'?"]),
    (BASE.replace("    title: One\n", "    headline: One\n"),
     ["s.yaml:5:5: a session is missing the required key 'title'",
      "s.yaml:7:5: unknown key 'headline' in a session; expected one of: week, id, date, title, "
      "presenter, description, url, time, duration, timezone, location, online, reminders, "
      "materials, cancelled, reason"]),
    (BASE + "    speaker: Ko\n",
     ["s.yaml:8:5: unknown key 'speaker' in a session; expected one of: week, id, date, title, "
      "presenter, description, url, time, duration, timezone, location, online, reminders, "
      "materials, cancelled, reason"]),
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
    (BASE.replace("week: 1", "week: 0"),
     ["s.yaml:5:11: expected a week number from 1 to 21185, got '0'"]),
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
    (BASE.replace("  name: Demo", "  name: Demo\n  feed_url: https://example.org/f/feed.ics"),
     ["s.yaml:4:13: expected the feed's URL to end in /demo.ics, the file the build publishes, "
      "got 'https://example.org/f/feed.ics'; did you mean 'https://example.org/f/demo.ics'?"]),
    (BASE + "    url: https://\n",
     ["s.yaml:8:10: there is no host name; write one like example.org"]),
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
     ["s.yaml:8:16: a one-line value cannot contain a tab; use a space"]),
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
     ["s.yaml:9:11: week 2 (2026-07-01) falls before week 1 (2026-07-06); "
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
    # the dates seminar-feed supports
    (with_session("", "9999-12-31"),
     [f"s.yaml:6:11: 9999-12-31 {OUTSIDE}; choose a date in that range"]),
    (with_session(TIMED, "0001-01-01"),
     [f"s.yaml:6:11: 0001-01-01 {OUTSIDE}; choose a date in that range"]),
    (with_session("", "1979-12-31"),
     [f"s.yaml:6:11: 1979-12-31 {OUTSIDE}; choose a date in that range"]),
    (with_session("", "2038-01-01"),
     [f"s.yaml:6:11: 2038-01-01 {OUTSIDE}; choose a date in that range"]),
    (STARTS.replace("starts: 2026-07-06", "starts: 1979-12-31"),
     [f"s.yaml:4:11: 1979-12-31 {OUTSIDE}; choose a date in that range"]),
    (STARTS.replace("starts: 2026-07-06", "starts: 2036-07-07").replace("week: 1", "week: 105"),
     ["s.yaml:6:11: week 105 falls on 2038-07-05, outside the dates seminar-feed supports, "
      "1980-01-01 to 2037-12-31; give this session a date or a lower week number"]),
    (STARTS.replace("week: 1", "week: 500000"),
     ["s.yaml:6:11: expected a week number from 1 to 21185, got '500000'"]),
    (STARTS.replace("week: 1", "week: 21186"),
     ["s.yaml:6:11: expected a week number from 1 to 21185, got '21186'"]),
    # every kind of mistake in one pass
    (BASE + "    presentr: Ko\n  - week: 1\n    date: 2026-07-13\n    title: Two\n",
     ["s.yaml:8:5: unknown key 'presentr' in a session; did you mean 'presenter'?",
      "s.yaml:9:11: week 1 is already used on line 5"]),
    (BASE + "    presentr: Ko\n  - week: 2\n    date: 2026-07-01\n    title: Two\n",
     ["s.yaml:8:5: unknown key 'presentr' in a session; did you mean 'presenter'?",
      "s.yaml:10:11: week 2 (2026-07-01) falls before week 1 (2026-07-06); "
      "dates must follow the week numbers"]),
    # two sessions swapped: the later week is blamed, the earlier one kept
    (BASE + "  - week: 2\n    date: 2026-07-20\n    title: Two\n"
            "  - week: 3\n    date: 2026-07-13\n    title: Three\n",
     ["s.yaml:12:11: week 3 (2026-07-13) falls before week 2 (2026-07-20); "
      "dates must follow the week numbers"]),
    # values as YAML 1.2 and the schema read them
    (with_session("", wide("2026-07-06")),
     [f"s.yaml:6:11: expected a date like 2026-07-06, got '{wide('2026-07-06')}'"]),
    (BASE + f"    time: '{wide('19:00')}'\n    timezone: UTC\n",
     [f"s.yaml:8:11: expected a 24-hour time like 18:30, got '{wide('19:00')}'"]),
    (BASE + TIMED + f"    duration: {wide('1')}h\n",
     [f"s.yaml:10:15: expected a length like 90m, 2h or 1h30m, got '{wide('1')}h'"]),
    (BASE + f"    reminders: [{wide('1')}d]\n",
     [f"s.yaml:8:17: expected a reminder like 1d, 2h or 30m, got '{wide('1')}d'"]),
    (BASE.replace("week: 1", 'week: "1"'),
     [f"s.yaml:5:11: expected a week number like 1, got '1' {QUOTED}"]),
    (BASE.replace("week: 1", "week: '2'"),
     [f"s.yaml:5:11: expected a week number like 1, got '2' {QUOTED}"]),
    (BASE + '    cancelled: "true"\n',
     [f"s.yaml:8:16: expected true or false, got 'true' {QUOTED}"]),
    (BASE.replace("week: 1", "week: 1_000"),
     ["s.yaml:5:11: expected a week number like 1, got '1_000'"]),
    (BASE.replace("week: 1", "week: 1.5"),
     ["s.yaml:5:11: expected a week number like 1, got '1.5'"]),
    (BASE.replace("week: 1", "week: ²"), ["s.yaml:5:11: expected a week number like 1, got '²'"]),
    (BASE.replace("week: 1", "week: ١٢"), ["s.yaml:5:11: expected a week number like 1, got '١٢'"]),
    (BASE.replace("week: 1", "week: " + "9" * 5000),
     ["s.yaml:5:11: expected a week number like 1, got '" + "9" * 60 + "'… (5,000 characters)"]),
    (BASE.replace("id: demo", "id: 2026"),
     ["s.yaml:2:7: expected lowercase letters, digits and hyphens, like 2026-summer-diffusion, "
      "got 2026, which YAML reads as a number or true/false; put it in quotes: '2026'"]),
    (BASE.replace("id: demo", "id: true"),
     ["s.yaml:2:7: expected lowercase letters, digits and hyphens, like 2026-summer-diffusion, "
      "got true, which YAML reads as a number or true/false; put it in quotes: 'true'"]),
    # keys that do nothing without a time of day
    (BASE + "    duration: 2h\n", ["s.yaml:8:5: duration has no effect on an all-day session; "
                                    "add a time or remove duration"]),
    (BASE + "    timezone: Asia/Seoul\n", ["s.yaml:8:5: timezone has no effect on an all-day "
                                            "session; add a time or remove timezone"]),
    # lengths of time
    (BASE + TIMED + "    duration: 25h\n",
     ["s.yaml:10:15: a session must last more than 0 minutes and at most 24h"]),
    (BASE + TIMED + "    duration: 24h1m\n",
     ["s.yaml:10:15: a session must last more than 0 minutes and at most 24h"]),
    (BASE + TIMED + "    duration: 99999999999999999999999999999999d\n",
     ["s.yaml:10:15: a session must last more than 0 minutes and at most 24h"]),
    (BASE + TIMED + "    duration: ' '\n",
     ["s.yaml:10:15: expected a length like 90m, 2h or 1h30m, got ' '"]),
    (BASE + "    reminders: [" + "9" * 5000 + "d, 40321m, 28d, 40320m]\n",
     ["s.yaml:8:17: a reminder can come at most 4 weeks (28d) before a session",
      "s.yaml:8:5020: a reminder can come at most 4 weeks (28d) before a session",
      "s.yaml:8:5033: the reminder 40320m is listed twice; keep one"]),
    (BASE + "    time: ' 10:00'\n    timezone: UTC\n",
     ["s.yaml:8:11: expected a 24-hour time like 18:30, got ' 10:00'"]),
    (BASE + "    time: '24:00'\n    timezone: UTC\n",
     ["s.yaml:8:11: expected a 24-hour time like 18:30, got '24:00'"]),
    (with_session("", "2027-02-29"),
     ["s.yaml:6:11: there is no date 2027-02-29 (day is out of range for month)"]),
    # YAML that a schedule has no use for
    (BASE + "    presenter: !!binary aGk=\n",
     ["s.yaml:8:16: YAML tags like '!!binary' are not supported here; remove it"]),
    (BASE.replace("sessions:", "sessions: !!python/object/apply:os.system"),
     ["s.yaml:4:11: YAML tags like '!!python/object/apply:os.system' are not supported here; "
      "remove it"]),
    (BASE + "    reminders: !!set {1d}\n",
     ["s.yaml:8:16: expected a list of reminders like [1d, 30m], got a mapping"]),
    (BASE.replace("title: One", "title: !local One"),
     ["s.yaml:7:12: YAML tags like '!local' are not supported here; remove it"]),
    (BASE + "---\n" + BASE,
     ["s.yaml:8:1: invalid YAML: a second document (---) follows the first; "
      "a schedule is one document"]),
    (BASE.replace("  - week: 1", "  - &one\n    week: 1") + "  - *one\n  - *one\n",
     ["s.yaml:5:5: this session is repeated by an alias (*name) further down; "
      "write each session out"]),
    ("calendar: &c {id: demo, name: Demo, description: *c}\nsessions: &s [*s]\n",
     ["s.yaml:1:11: expected text, got a mapping",
      "s.yaml:2:11: expected a session as a mapping of keys, got a list"]),
    (BASE + "  -\n", ["s.yaml:8:4: expected a session as a mapping of keys, got nothing"]),
    (BASE.split("sessions:")[0] + "sessions:\n",
     ["s.yaml:4:10: expected a list of sessions, got nothing"]),
    (BASE + "    'title ': Two\n",
     ["s.yaml:8:5: unknown key 'title ' in a session; did you mean 'title'?"]),
    (BASE.replace("id: demo", "id: " + "a" * 65),
     ["s.yaml:2:7: this id is 65 characters long; keep it to 64"]),
    (with_session("", "x" * 100_000),
     ["s.yaml:6:11: expected a date like 2026-07-06, got '" + "x" * 60
      + "'… (100,000 characters)"]),
    (BASE.replace("  name: Demo", "  name: Demo\n  language: fr"),
     ["s.yaml:4:13: expected one of en, ko, got 'fr'"]),
    (BASE.replace("  name: Demo", "  name: Demo\n  online: none"),
     ["s.yaml:4:11: expected an https URL like https://example.org/meeting, got 'none', "
      "which only a session can say; leave the key out here"]),
    (BASE + "    online: http://example.org/meet\n",
     ["s.yaml:8:13: expected an https URL like https://example.org/meeting, or none, "
      "got 'http://example.org/meet'"]),
    (BASE + "    materials: https://example.org/s.pdf\n",
     ["s.yaml:8:16: expected a list of materials like "
      "[{title: Slides, url: https://example.org/s.pdf}], got 'https://example.org/s.pdf'"]),
    (BASE + "    materials:\n      - title: Slides\n        link: https://example.org/s.pdf\n",
     ["s.yaml:9:9: a material is missing the required key 'url'",
      "s.yaml:10:9: unknown key 'link' in a material; expected one of: title, url"]),
    (BASE + "    materials:\n      - {title: Slides, url: 'https://e.org/s'}\n"
     "      - {title: Notes, url: 'https://e.org/s'}\n",
     ["s.yaml:10:9: the link 'https://e.org/s' is listed twice; keep one"]),
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


ENCODE = "as it is; percent-encode it as"
# Each URL RFC 3986 does not allow, and what the message says of it.
BAD_URLS = {
    "quote": ('https://e.org/"quoted"', f"a URL cannot hold '\"' {ENCODE} %22"),
    "angle-brackets": ("https://e.org/<b>x</b>", f"a URL cannot hold '<' {ENCODE} %3C"),
    "backslash": ("https://e.org/a\\b", f"a URL cannot hold '\\\\' {ENCODE} %5C"),
    "caret": ("https://e.org/a^b", f"a URL cannot hold '^' {ENCODE} %5E"),
    "backtick": ("https://e.org/a`b", f"a URL cannot hold '`' {ENCODE} %60"),
    "braces": ("https://e.org/{a}", f"a URL cannot hold '{{' {ENCODE} %7B"),
    "pipe": ("https://e.org/a|b", f"a URL cannot hold '|' {ENCODE} %7C"),
    "square-bracket-in-path": ("https://e.org/[1]", f"a URL cannot hold '[' {ENCODE} %5B"),
    "space": ("https://e.org/a b", "a URL cannot contain a space; write it as %20"),
    "control": ("https://e.org/a\x07b", "control character U+0007 is not allowed in a URL; "
                "remove it"),
    "non-ascii-path": ("https://e.org/caf\u00e9", f"a URL cannot hold '\u00e9' {ENCODE} %C3%A9"),
    "non-ascii-host": ("https://b\u00fccher.example/", "the host name holds '\u00fc'; write "
                       "the host in its ASCII form, the one that starts with xn--"),
    "user-info": ("https://user:pw@e.org/", "a URL cannot carry a user name or password (the "
                  "part before @): the feed and the page are public; remove it"),
    "port-out-of-range": ("https://e.org:99999/", "port 99999 is out of range; a port is a "
                          "number from 0 to 65535"),
    "port-not-a-number": ("https://e.org:8o/", "expected a port number after the host's ':', "
                          "got '8o'"),
    # RFC 3986 allows them, but the pattern the schema shares with the loader does not.
    "port-with-leading-zeros": ("https://e.org:00080/", "expected an http(s) URL like "
                                "https://example.org/, got 'https://e.org:00080/'"),
    "port-just-out-of-range": ("https://e.org:65536/", "port 65536 is out of range; a port is "
                               "a number from 0 to 65535"),
    "bracket-after-the-port": ("https://[::1]:8]0/", "the host name '[::1]:8]0' is not valid; "
                               "write one like example.org"),
    "host-only-a-dot": ("https://.", "the host name '.' is not valid; write one like "
                        "example.org"),
    "host-empty-label": ("https://e..org/", "the host name 'e..org' is not valid; write one "
                         "like example.org"),
    "host-missing": ("https:///a", "there is no host name; write one like example.org"),
    "bare-percent": ("https://e.org/100%", "a % in a URL starts an escape like %20; write a % "
                     "itself as %25"),
    "two-hashes": ("https://e.org/#a#b", "a URL has at most one #; percent-encode a later one "
                   "as %23"),
    "too-long": ("https://e.org/" + "a" * 1987, "this URL is 2,001 characters long; keep it to "
                 "2,000"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BAD_URLS))
def test_a_url_rfc_3986_does_not_allow_is_refused_saying_why(name: str) -> None:
    url, message = BAD_URLS[name]
    # JSON's strings are YAML's double-quoted ones: any character can be written.
    assert problems(BASE + f"    url: {json.dumps(url)}\n") == [f"s.yaml:8:10: {message}"]


@pytest.mark.parametrize(
    "url",
    ["https://e.org/a%20b?q=1&r=(2)#top", "http://127.0.0.1:65535/", "https://[::1]:8080/x",
     "https://[2001:db8::1]/", "https://xn--bcher-kva.example./~me/;p=1,2*3+4!$'@:",
     "https://e.org?q", "https://e.org#f", "https://e.org/go?to=https://x.org/%2fa",
     "https://e.org/" + "a" * 1986],
    ids=["escapes-query-fragment", "ip-and-top-port", "ipv6", "ipv6-without-port",
         "punycode-and-sub-delims", "query-without-path", "fragment-without-path",
         "a-url-inside-with-a-lowercase-escape", "longest"],
)  # fmt: skip
def test_every_url_rfc_3986_allows_is_taken_as_written(url: str) -> None:
    schedule = parse_schedule((BASE + f'    url: "{url}"\n').encode(), source="s.yaml")
    assert schedule.sessions[0].url == url


def test_a_feed_url_must_fit_a_qr_code() -> None:
    feed_url = "https://e.org/" + "a/" * 790 + "demo.ics"  # 1,602 characters
    text = BASE.replace("  name: Demo", f"  name: Demo\n  feed_url: {feed_url}")
    assert problems(text) == [
        "s.yaml:4:13: this URL is 1,602 characters long; keep it to 1,600, which a QR code holds"
    ]


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


def test_the_language_is_english_unless_the_calendar_names_another() -> None:
    assert parse_schedule(BASE.encode(), source="s.yaml").calendar.language == "en"
    korean = BASE.replace("  name: Demo", "  name: Demo\n  language: ko")
    assert parse_schedule(korean.encode(), source="s.yaml").calendar.language == "ko"


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


def test_a_mistyped_date_is_blamed_on_its_own_session() -> None:
    shipped = (ROOT / "schedule.yaml").read_text(encoding="utf-8")
    assert shipped.count("date: 2026-07-13") == 1
    text = shipped.replace("date: 2026-07-13", "date: 2026-08-13")
    assert problems(text) == [
        "s.yaml:30:11: week 2 (2026-08-13) falls after week 3 (2026-07-20); "
        "dates must follow the week numbers"
    ]


def test_the_first_and_last_supported_days_are_fine() -> None:
    text = (
        BASE.replace("2026-07-06", "1980-01-01")
        + "  - week: 2\n    date: 2037-12-31\n    title: Two\n    time: '23:30'\n"
        "    timezone: Pacific/Kiritimati\n    duration: 24h\n"
    )
    sessions = parse_schedule(text.encode(), source="s.yaml").sessions
    assert [(s.date, s.duration) for s in sessions] == [
        (date(1980, 1, 1), timedelta(hours=1)),
        (date(2037, 12, 31), timedelta(hours=24)),
    ]


@pytest.mark.parametrize(
    ("written", "week"),
    [("01", 1), ("+2", 2), ("1e3", 1000), ("0x10", 16), ("0o17", 15), ("3.0", 3), ("010", 10)],
)
def test_week_numbers_read_as_yaml_1_2_and_the_schema_read_them(written: str, week: int) -> None:
    text = BASE.replace("week: 1", f"week: {written}")
    assert [s.week for s in parse_schedule(text.encode(), source="s.yaml").sessions] == [week]


@pytest.mark.parametrize("written", ["true", "True", "TRUE"])
def test_true_is_true_in_any_case_yaml_1_2_allows(written: str) -> None:
    text = BASE + f"    cancelled: {written}\n"
    assert parse_schedule(text.encode(), source="s.yaml").sessions[0].cancelled


def test_a_tab_is_text_in_a_description_and_a_reason() -> None:
    # With letters around it: a text with a tab is looked at a character at a time.
    text = BASE + (
        '    cancelled: true\n    reason: "Closed:\\tall day"\n'
        "    description: |\n      Columns:\n      X\tY\n"
    )
    session = parse_schedule(text.encode(), source="s.yaml").sessions[0]
    assert (session.description, session.reason) == ("Columns:\nX\tY", "Closed:\tall day")


def test_reminders_apply_to_all_day_sessions_and_duration_to_timed_ones() -> None:
    text = BASE.replace("  name: Demo", "  name: Demo\n  timezone: UTC\n  time: '10:00'") + (
        "    reminders: [1d]\n    duration: 2h\n    timezone: Asia/Seoul\n"
        "  - week: 2\n    date: 2026-07-13\n    title: Two\n"
    )
    first, _ = parse_schedule(text.encode(), source="s.yaml").sessions
    assert (first.reminders, first.duration, first.timezone) == (
        (timedelta(days=1),),
        timedelta(hours=2),
        "Asia/Seoul",
    )
    all_day = BASE + "    reminders: [1d]\n"
    session = parse_schedule(all_day.encode(), source="s.yaml").sessions[0]
    assert (session.start, session.reminders) == (None, (timedelta(days=1),))


def test_an_alias_may_share_a_value_between_sessions() -> None:
    text = BASE.replace("title: One", "title: One\n    description: &shared Read chapter 1.") + (
        "  - week: 2\n    date: 2026-07-13\n    title: Two\n    description: *shared\n"
    )
    sessions = parse_schedule(text.encode(), source="s.yaml").sessions
    assert [s.description for s in sessions] == ["Read chapter 1.", "Read chapter 1."]


def test_half_a_character_is_refused_without_libyaml_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # libyaml refuses the escape itself; PyYAML's own parser lets it through.
    monkeypatch.setattr(load, "_Loader", yaml.SafeLoader)
    assert problems(BASE + '    presenter: "a\\ud800b"\n') == [
        "s.yaml:8:16: U+D800 is half a character (a surrogate); remove it"
    ]


def test_a_flood_of_problems_is_cut_short_and_counted() -> None:
    sessions = "".join(
        f"  - {{week: x, date: {date(2026, 1, 1) + timedelta(days=n)}, title: T}}\n"
        for n in range(250)
    )
    found = problems("calendar: {id: demo, name: Demo}\nsessions:\n" + sessions)
    assert found == [
        "s.yaml: showing the first 200 problems found; 50 more are not shown",
        *(f"s.yaml:{line}:12: expected a week number like 1, got 'x'" for line in range(3, 203)),
    ]


def test_more_sessions_than_days_supported_are_refused_at_once() -> None:
    text = "calendar: {id: demo, name: Demo}\nsessions: [" + "{}, " * 21_186 + "]\n"
    assert problems(text) == [
        "s.yaml:2:11: this list has 21,186 sessions; a schedule holds at most 21,185, "
        "one a day over 1980-01-01 to 2037-12-31"
    ]


def test_online_links_and_materials_are_read_with_the_calendars_default() -> None:
    text = BASE.replace("  name: Demo", "  name: Demo\n  online: https://example.org/meet") + (
        "    materials:\n"
        "      - title: Slides\n"
        "        url: https://example.org/1.pdf\n"
        "      - {title: 1984, url: 'http://example.org/notes'}\n"
        "  - week: 2\n    date: 2026-07-13\n    title: Two\n    online: none\n"
        "  - week: 3\n    date: 2026-07-20\n    title: Three\n"
        "    online: https://example.org/other\n"
    )
    one, two, three = parse_schedule(text.encode(), source="s.yaml").sessions
    assert [one.online, two.online, three.online] == [
        "https://example.org/meet", None, "https://example.org/other",
    ]  # fmt: skip
    assert one.materials == (
        Material("Slides", "https://example.org/1.pdf"),
        Material("1984", "http://example.org/notes"),
    )
    assert two.materials == ()


def test_the_language_is_english_unless_the_calendar_says() -> None:
    assert parse_schedule(BASE.encode(), source="s.yaml").calendar.language == "en"
    korean = BASE.replace("  name: Demo", "  name: Demo\n  language: ko")
    assert parse_schedule(korean.encode(), source="s.yaml").calendar.language == "ko"


def test_location_none_leaves_the_calendars_room_out_of_one_session() -> None:
    calendar = "  name: Demo\n  location: Room 101\n  online: https://example.org/meet"
    text = BASE.replace("  name: Demo", calendar) + (
        "  - week: 2\n    date: 2026-07-13\n    title: Two\n    location: none\n"
        "  - week: 3\n    date: 2026-07-20\n    title: Three\n    location: 'none'\n"
    )
    one, two, three = parse_schedule(text.encode(), source="s.yaml").sessions
    assert [one.location, two.location, three.location] == ["Room 101", None, None]
    assert two.online == "https://example.org/meet"


def test_location_none_in_the_calendar_says_only_a_session_can_say_it() -> None:
    text = BASE.replace("  name: Demo", "  name: Demo\n  location: none")
    assert problems(text) == [
        "s.yaml:4:13: expected the sessions' room, got 'none', which only a session can say, "
        "to leave the calendar's room out; leave the key out here"
    ]


def test_too_many_materials_are_blamed_on_the_first_one_too_many() -> None:
    items = "".join(f"      - {{title: S{n}, url: 'https://e.org/{n}'}}\n" for n in range(1, 103))
    # Week 1's materials start on line 9, one a line: the 101st is on line 109.
    assert problems(BASE + "    materials:\n" + items) == [
        "s.yaml:109:9: this is material 101 of 102; a session lists at most 100"
    ]


def test_exactly_as_many_materials_as_allowed_are_read() -> None:
    items = "".join(f"      - {{title: S{n}, url: 'https://e.org/{n}'}}\n" for n in range(1, 101))
    schedule = parse_schedule((BASE + "    materials:\n" + items).encode(), source="s.yaml")
    assert len(schedule.sessions[0].materials) == 100


def test_every_wrong_material_is_reported_and_none_twice() -> None:
    items = (
        "      - oops\n"  # line 9
        "      - {title: A, url: not-a-link}\n"
        "      - {title: B, url: 'ftp://e.org/b'}\n"
        "      - {title: C, url: 'https://e.org/c'}\n"
        "      - {title: D, url: 'https://e.org/c'}\n"  # line 13
    )
    assert problems(BASE + "    materials:\n" + items) == [
        "s.yaml:9:9: expected a material as a mapping of keys, got 'oops'",
        "s.yaml:10:25: expected an http(s) URL like https://example.org/, got 'not-a-link'",
        "s.yaml:11:25: expected an http(s) URL like https://example.org/, got 'ftp://e.org/b'",
        "s.yaml:13:9: the link 'https://e.org/c' is listed twice; keep one",
    ]


def test_a_session_of_one_minute_is_fine() -> None:
    schedule = parse_schedule(with_session(TIMED + "    duration: 1m\n").encode(), source="s.yaml")
    assert schedule.sessions[0].duration == timedelta(minutes=1)


def test_leading_zeros_do_not_make_a_length_longer() -> None:
    text = with_session(TIMED + "    duration: 000000000000000090m\n")
    assert parse_schedule(text.encode(), source="s.yaml").sessions[0].duration == timedelta(
        minutes=90
    )


def test_a_length_of_thirteen_digits_is_too_long() -> None:
    assert problems(with_session(TIMED + "    duration: 1000000000000m\n")) == [
        "s.yaml:10:15: a session must last more than 0 minutes and at most 24h"
    ]


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("buenos_aires", "America/Argentina/Buenos_Aires"),
        ("BUENOS_AIRES", "America/Argentina/Buenos_Aires"),
    ],
)
def test_a_zone_named_by_its_city_alone_is_completed(written: str, meant: str) -> None:
    text = BASE.replace("  name: Demo", f"  name: Demo\n  timezone: {written}")
    assert problems(text) == [
        f"s.yaml:4:13: unknown time zone {written!r}; did you mean {meant!r}?"
    ]


def test_a_calendars_video_call_must_be_https() -> None:
    text = BASE.replace("  name: Demo", "  name: Demo\n  online: 'http://e.org/call'")
    assert problems(text) == [
        "s.yaml:4:11: expected an https URL like https://example.org/meeting, got "
        "'http://e.org/call'"
    ]


@pytest.mark.parametrize("length", [60, 61])
def test_a_wrong_value_is_quoted_whole_up_to_sixty_characters(length: int) -> None:
    value = "X" * length  # no id: ids are in lowercase
    shown = repr(value) if length <= 60 else f"{'X' * 60!r}… ({length:,} characters)"
    assert problems(BASE.replace("id: demo", f"id: {value}"))[0].endswith(f", got {shown}")


def test_a_zone_that_is_not_a_name_is_refused_saying_what_a_zone_is() -> None:
    text = BASE.replace("  name: Demo", "  name: Demo\n  timezone: [Asia/Seoul]")
    assert problems(text) == ["s.yaml:4:13: expected a time zone like Asia/Seoul, got a list"]


def test_a_reminder_four_weeks_before_is_kept_to_the_minute() -> None:
    text = with_session("    reminders: [28d, 40319m]\n")
    schedule = parse_schedule(text.encode(), source="s.yaml")
    assert schedule.sessions[0].reminders == (
        timedelta(days=28),
        timedelta(days=28) - timedelta(minutes=1),
    )


def test_a_minute_past_59_is_no_time() -> None:
    assert problems(with_session("    time: '10:60'\n    timezone: UTC\n")) == [
        "s.yaml:8:11: expected a 24-hour time like 18:30, got '10:60'"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [(BASE.replace("week: 1", "week: [1]"),
      "s.yaml:5:11: expected a week number like 1, got a list"),
     (BASE.replace("date: 2026-07-06", "date: [2026-07-06]"),
      "s.yaml:6:11: expected a date like 2026-07-06, got a list"),
     (with_session("    url: [x]\n"),
      "s.yaml:8:10: expected an http(s) URL like https://example.org/, got a list"),
     (with_session("    time: [x]\n    timezone: UTC\n"),
      "s.yaml:8:11: expected a 24-hour time like 18:30, got a list")],
    ids=["week", "date", "url", "time"],
)  # fmt: skip
def test_a_list_where_a_value_belongs_is_refused_saying_what_belongs(
    text: str, expected: str
) -> None:
    assert problems(text) == [expected]


def test_a_video_call_over_http_is_refused_as_http_before_anything_else() -> None:
    text = with_session('    online: "http://e.org/a b"\n')
    assert problems(text) == [
        "s.yaml:8:13: expected an https URL like https://example.org/meeting, or none, got "
        "'http://e.org/a b'"
    ]


def test_a_title_of_the_longest_length_with_any_letter_is_fine() -> None:
    title = "Chapter X, " + "x" * 289  # 300 characters, the most a line holds
    schedule = parse_schedule(BASE.replace("title: One", f"title: {title}").encode(), source="s")
    assert schedule.sessions[0].title == title


def test_a_control_character_after_a_line_break_is_found() -> None:
    assert problems(BASE + '    description: "First.\\n\\nThen \\a."\n') == [
        "s.yaml:8:18: control character U+0007 is not allowed; remove it"
    ]


def test_a_key_that_is_not_a_name_is_refused_and_the_rest_read() -> None:
    text = BASE.replace("  id: demo\n", "  ? [a, b]\n  : x\n  id: demo\n")
    assert problems(text) == ["s.yaml:2:5: expected a key name, got a list"]


def test_a_tagged_key_is_refused_and_the_keys_after_it_read() -> None:
    # The key is refused, so 'id' is missing; 'name' after it is read all the same.
    assert problems(BASE.replace("  id: demo", "  !x id: demo")) == [
        "s.yaml:2:3: YAML tags like '!x' are not supported here; remove it",
        "s.yaml:2:3: calendar is missing the required key 'id'",
    ]


def test_two_anchors_of_one_name_are_named_as_such() -> None:
    assert problems("a: &x 1\nb: &x 2\n") == ["s.yaml:2:4: invalid YAML: two anchors share a name"]


def test_a_key_without_its_colon_is_named_as_such() -> None:
    assert problems(BASE.replace("  name: Demo", "  name Demo\n  x: 1")) == [
        "s.yaml:4:3: invalid YAML: a key is missing its ':' (or a line is misindented)"
    ]


@pytest.mark.parametrize(
    ("text", "place"),
    [("\ncalendar:\n  id: de\x07mo\n  name: Demo\n", "3:9"), ("\nca\x07lendar:\n  id: x\n", "2:3")],
    ids=["third-line", "second-line-after-a-blank-one"],
)
def test_a_character_yaml_refuses_is_pointed_at(text: str, place: str) -> None:
    assert problems(text) == [
        f"s.yaml:{place}: the character U+0007 is not allowed in YAML; remove it"
    ]


def largest(size: int = 10_000_000) -> bytes:
    """A schedule of `size` bytes whose last byte counts: cut short, it says 'Tw'."""
    ending = BASE.replace("title: One\n", "title: Two").encode()
    return b"#" * (size - len(ending) - 1) + b"\n" + ending


def through_a_pipe(tmp_path: Path, data: bytes) -> Schedule:
    """Load `data` from a pipe, which reports no size, as /dev/zero does."""
    pipe = tmp_path / "s.yaml"
    os.mkfifo(pipe)

    def write() -> None:
        with pipe.open("wb") as stream, suppress(BrokenPipeError):
            stream.write(data)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        return load_schedule(pipe)
    finally:
        writer.join()


def test_a_stream_of_no_size_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    # This pipe ends one byte past the limit; test_hostile.py gives one that never
    # does to a process of bounded memory.
    with pytest.raises(ScheduleError) as caught:
        through_a_pipe(tmp_path, largest(10_000_001))
    assert str(caught.value) == (
        f"{tmp_path / 's.yaml'}: the file is over 10 MB; a schedule may be at most 10 MB"
    )


def test_a_stream_of_exactly_the_largest_size_is_read_to_its_last_byte(tmp_path: Path) -> None:
    assert through_a_pipe(tmp_path, largest()).sessions[0].title == "Two"


def test_a_file_of_exactly_the_largest_size_is_read_to_its_last_byte(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(largest())
    assert path.stat().st_size == 10_000_000
    assert load_schedule(path).sessions[0].title == "Two"


def test_a_file_that_cannot_be_read_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(BASE, encoding="utf-8")
    real = Path.open

    def refused(self: Path, *args: Any, **options: Any) -> Any:
        if self == path:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real(self, *args, **options)

    monkeypatch.setattr(Path, "open", refused)
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    assert str(caught.value) == f"{path}: cannot read the file: Permission denied"


@pytest.mark.parametrize(
    ("text", "place"),
    [("\tcalendar: x\n", "1:1"), ("calendar:\n  id: x\n\t\n", "3:1")],
    ids=["first-line", "a-line-of-a-tab-alone"],
)
def test_a_tab_is_named_at_the_first_and_the_last_column(text: str, place: str) -> None:
    assert problems(text) == [f"s.yaml:{place}: a tab cannot indent YAML; use spaces"]


def test_a_large_file_says_its_size_to_a_tenth_of_a_megabyte(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(BASE.encode() + b"#" * (10_150_000 - len(BASE)))
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    assert str(caught.value) == f"{path}: the file is 10.2 MB; a schedule may be at most 10 MB"


def test_a_sessions_own_date_wins_over_the_week_counted_from_the_start() -> None:
    text = STARTS + "  - week: 2\n    date: 2026-07-20\n    title: Moved\n"
    schedule = parse_schedule(text.encode(), source="s.yaml")
    assert [session.date for session in schedule.sessions] == [date(2026, 7, 6), date(2026, 7, 20)]


def test_a_week_that_falls_on_the_last_supported_day_is_fine() -> None:
    # 2037-12-31 is a Thursday, 52 weeks after 2037-01-01.
    text = STARTS.replace("starts: 2026-07-06", "starts: 2037-01-01").replace("week: 1", "week: 53")
    assert parse_schedule(text.encode(), source="s.yaml").sessions[0].date == date(2037, 12, 31)


def test_a_session_repeated_by_many_aliases_is_named_once_and_the_rest_shown() -> None:
    # Said once, it leaves room for the problems after it under the cap on those shown.
    text = (
        "calendar:\n  id: demo\n  name: Demo\nsessions:\n"
        "  - &s\n    week: 1\n    date: 2026-07-06\n    title: One\n"
        + "  - *s\n" * 250
        + "  - week: 2\n    date: 2026-07-13\n    title: [x]\n"
    )
    assert problems(text) == [
        "s.yaml:5:5: this session is repeated by an alias (*name) further down; "
        "write each session out",
        "s.yaml:261:12: expected text, got a list",
    ]


def test_a_week_used_twice_leaves_the_sessions_after_it_checked() -> None:
    text = BASE + (
        "  - week: 1\n    date: 2026-07-13\n    title: Again\n"
        "  - week: 2\n    date: 2026-07-20\n    title: Two\n"
        "  - week: 3\n    date: 2026-07-20\n    title: Three\n"
    )
    assert problems(text) == [
        "s.yaml:8:11: week 1 is already used on line 5",
        "s.yaml:15:11: week 2 is on 2026-07-20 too; one session a day",
    ]


def test_a_first_week_out_of_place_is_blamed_on_the_week_after_it() -> None:
    # Weeks 2 to 5 are in order; week 1 falls after week 2, the first of them.
    dates = ["2026-07-15", "2026-07-06", "2026-07-13", "2026-07-20", "2026-07-27"]
    text = "calendar:\n  id: demo\n  name: Demo\nsessions:\n" + "".join(
        f"  - week: {week}\n    date: {day}\n    title: T{week}\n"
        for week, day in enumerate(dates, 1)
    )
    assert problems(text) == [
        "s.yaml:6:11: week 1 (2026-07-15) falls after week 2 (2026-07-06); "
        "dates must follow the week numbers"
    ]


def test_as_many_sessions_as_days_supported_are_each_read() -> None:
    text = "calendar: {id: demo, name: Demo}\nsessions: [" + "1, " * 21_185 + "]\n"
    found = problems(text)
    assert found[0] == "s.yaml: showing the first 200 problems found; 20,985 more are not shown"
    assert found[1] == "s.yaml:2:12: expected a session as a mapping of keys, got '1'"


def test_a_schedule_of_exactly_the_largest_size_is_parsed() -> None:
    assert parse_schedule(largest(), source="s.yaml").sessions[0].title == "Two"


def test_a_bad_byte_after_a_byte_order_mark_is_placed_as_an_editor_shows_it() -> None:
    assert problems(b"\xef\xbb\xbfcalendar: \xff\n") == [
        "s.yaml:1:11: the file is not UTF-8 text (byte 0xff); save it with UTF-8 encoding"
    ]
