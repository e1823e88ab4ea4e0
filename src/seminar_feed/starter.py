"""A new term's schedule to start from: valid as it is, with every optional key shown
commented out where it belongs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_NAME = "Reading Seminar"
DEFAULT_WEEKS = 8


@dataclass(frozen=True)
class Starter:
    """What `init` was told about the new schedule."""

    name: str
    calendar_id: str
    starts: date
    weeks: int
    start: str | None = None  # as the user wrote it, for the loader to judge
    timezone: str | None = None


def calendar_id_from(name: str) -> str:
    """Make an id from a name the way people write them: lowercase words joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    return "-".join(words) or "seminar"


def next_monday(today: date) -> date:
    """Give the first Monday after `today`, the usual first day of a seminar week."""
    return today + timedelta(days=7 - today.weekday())


def starter_schedule(starter: Starter) -> str:
    """Write the starter schedule as YAML text with comments.

    Values are written as given: the caller checks the text with the loader, whose
    rules are the only ones.
    """
    lines = [
        "# yaml-language-server: $schema=dist/schedule.schema.json",
        "# Edit this file, then run `seminar-feed build` and publish dist/ with it.",
        "# Keep calendar.id unchanged once the feed is published: every event's",
        "# identity is built from it.",
        "calendar:",
        f"  id: {starter.calendar_id}",
        f"  name: {_quoted(starter.name)}",
        "  # description: What the seminar reads and who may come; it may span lines.",
        "  # url: https://example.org/seminar/         # the seminar's own page",
        f"  # feed_url: https://example.org/{starter.calendar_id}.ics   # where the feed is served",
    ]
    if starter.start is not None:
        lines += [
            f"  timezone: {starter.timezone}",
            f'  time: "{starter.start}"',
            "  # duration: 1h30m                           # 1h unless set",
        ]
    else:
        lines += [
            "  # timezone: Asia/Seoul                      # needed once sessions have a time",
            '  # time: "18:30"                             # without it, all-day events',
        ]
    lines += [
        "  # location: Room 101",
        "  # reminders: [1d, 30m]",
        "  # language: ko                              # the tool's own words; en unless set",
        "",
        "sessions:",
    ]
    for week in range(1, starter.weeks + 1):
        lines += [
            f"  - week: {week}",
            f"    date: {starter.starts + timedelta(weeks=week - 1)}",
            "    title: To be announced",
            "    # presenter: Who presents",
            "    # description: What the session covers.",
            "    # url: https://example.org/seminar/week-" + str(week) + "/",
            "",
        ]
    return "\n".join(lines[:-1]) + "\n"


def _quoted(text: str) -> str:
    """Quote a name so that YAML reads it as the text it is, whatever it holds."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
