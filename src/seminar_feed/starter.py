"""A new term's schedule to start from: valid as it is, with every optional key of the
format's table shown commented out where it belongs."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple

from .fields import Field, fields_in

DEFAULT_NAME = "Reading Seminar"
DEFAULT_WEEKS = 8
COMMENT_COLUMN = 48  # where each key's help begins, so that they read as a column


class Starter(NamedTuple):
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
    """Write the starter schedule as YAML text with comments: every optional key of the
    format's table, commented out where it belongs, with its example and its help.

    Values are written as given: the caller checks the text with the loader, whose
    rules are the only ones.
    """
    given = {"timezone": starter.timezone, "time": f'"{starter.start}"'} if starter.start else {}
    lines = [
        "# yaml-language-server: $schema=dist/schedule.schema.json",
        "# Edit this file, then run `seminar-feed build` and publish dist/ with it.",
        "# Keep calendar.id unchanged once the feed is published: every event's",
        "# identity is built from it.",
        "calendar:",
        f"  id: {starter.calendar_id}",
        f"  name: {_quoted(starter.name)}",
    ]
    for field in fields_in("calendar"):
        if field.name in given:
            lines.append(f"  {field.name}: {given[field.name]}")
        elif not field.required:
            lines.append(_commented("  ", field, starter.calendar_id))
    lines += ["", "sessions:"]
    for week in range(1, starter.weeks + 1):
        lines += [
            f"  - week: {week}",
            f"    date: {starter.starts + timedelta(weeks=week - 1)}",
            "    title: To be announced",
        ]
        if week == 1:  # once is enough to show what a session may say
            lines += [
                _commented("    ", field, starter.calendar_id)
                for field in fields_in("session")
                if not field.required and field.name != "date"
            ]
        lines.append("")
    return "\n".join(lines[:-1]) + "\n"


def _commented(indent: str, field: Field, calendar_id: str) -> str:
    assert field.example is not None, f"{field.name} needs an example to be shown"
    example = field.example.replace("<id>", calendar_id)
    return f"{indent}# {field.name}: {example}".ljust(COMMENT_COLUMN) + f" # {field.help}"


def _quoted(text: str) -> str:
    """Quote a name so that YAML reads it as the text it is, whatever it holds."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
