"""A JSON Schema of schedule.yaml, for editors that check and complete YAML as you type.

It mirrors the loader's keys and what each value may be, as an editor reading
YAML 1.2 sees it (a test checks both on the same documents); the loader stays
the authority, since rules across fields (week order, time zones for times, one
session a day) and limits on lengths of time are beyond what a schema says.
"""

from __future__ import annotations

import json
from typing import Any

from .load import (
    CALENDAR_KEYS,
    CALENDAR_REQUIRED,
    MAX_ID_CHARACTERS,
    MAX_LINE_CHARACTERS,
    MAX_TEXT_CHARACTERS,
    MAX_WEEK,
    SESSION_KEYS,
    SESSION_REQUIRED,
)
from .model import LANGUAGES

# The loader takes a number or true/false where it expects text as the text written.
TEXT_TYPES = ["string", "number", "boolean"]
ONE_LINE = {
    "type": TEXT_TYPES,
    "minLength": 1,
    "maxLength": MAX_LINE_CHARACTERS,
    "pattern": "^(?=.*\\S)[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\ud800-\\udfff]*$",
}
# Tabs and line breaks are text in a description; other control characters are not.
TEXT = {
    "type": TEXT_TYPES,
    "minLength": 1,
    "maxLength": MAX_TEXT_CHARACTERS,
    "pattern": "^(?=[\\s\\S]*\\S)[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f"
    "\\u007f-\\u0084\\u0086-\\u009f\\ud800-\\udfff]*$",
}
# [0-9], not \d: Python's \d, which jsonschema uses, takes any script's digits.
LENGTH = "^(?=[0-9])([0-9]+d)?( *[0-9]+h)?( *[0-9]+m)?$"
# The years FIRST_SUPPORTED_DATE to LAST_SUPPORTED_DATE; test_schema tries both ends.
DATE = {
    "type": "string",
    "pattern": "^(19[89][0-9]|20[0-2][0-9]|203[0-7])-[0-9]{2}-[0-9]{2}$",
    "format": "date",
}

FIELDS: dict[str, dict[str, Any]] = {
    "id": {"type": "string", "pattern": "^[a-z0-9-]+$", "maxLength": MAX_ID_CHARACTERS,
           "description":
           "calendar: part of every event's identity; never change it once published. "
           "session: an identity that survives renumbering weeks"},
    "name": {**ONE_LINE, "description": "The calendar's name in every client"},
    "description": {**TEXT, "description": "Plain text; may span lines"},
    "url": {"type": "string", "pattern": "^https?://\\S+$", "description": "A web page"},
    "feed_url": {"type": "string", "pattern": "^https://\\S+$",
                 "description": "The https URL the feed is served at; enables subscribe buttons"},
    "timezone": {"type": "string", "pattern": "^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$",
                 "description": "An IANA time zone, like Asia/Seoul", "examples": ["Asia/Seoul"]},
    "language": {"enum": list(LANGUAGES),
                 "description": "The language of every word the tool writes, like ko"},
    "time": {"type": "string", "pattern": "^([01]?[0-9]|2[0-3]):[0-5][0-9]$",
             "description": "Start, 24-hour HH:MM; without it, all-day events"},
    "duration": {"type": "string", "pattern": LENGTH,
                 "description": "Length of a timed session, like 90m, 2h or 1h30m"},
    "location": {**ONE_LINE, "description": "Where the session takes place"},
    "starts": {**DATE, "description": "Date of week 1; sessions without a date follow weekly"},
    "reminders": {"type": "array", "uniqueItems": True,
                  "items": {"type": "string", "pattern": LENGTH},
                  "description": "Alerts before each session, like [1d, 30m]; [] for none"},
    "week": {"type": "integer", "minimum": 1, "maximum": MAX_WEEK,
             "description": "The week number, unique"},
    "date": {**DATE, "description": "YYYY-MM-DD; required unless calendar.starts is set"},
    "title": {**ONE_LINE, "description": "The session's title"},
    "presenter": {**ONE_LINE, "description": "Who presents"},
    "cancelled": {"type": "boolean", "description": "Keep the session, marked cancelled"},
    "reason": {**TEXT, "description": "Why the session is cancelled"},
}  # fmt: skip


def schedule_schema() -> dict[str, Any]:
    """Build the JSON Schema (draft 2020-12) of a schedule file."""

    def mapping(keys: tuple[str, ...], required: tuple[str, ...]) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": list(required),
            "properties": {key: FIELDS[key] for key in keys},
        }

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "seminar-feed schedule",
        "description": "A seminar's schedule, published as a calendar feed by seminar-feed",
        "type": "object",
        "additionalProperties": False,
        "required": ["calendar", "sessions"],
        "properties": {
            "calendar": mapping(CALENDAR_KEYS, CALENDAR_REQUIRED),
            "sessions": {"type": "array", "items": mapping(SESSION_KEYS, SESSION_REQUIRED)},
        },
    }


def schema_json() -> str:
    """The schema as the file that is published and committed."""
    return json.dumps(schedule_schema(), indent=2, ensure_ascii=False) + "\n"
