"""A JSON Schema of schedule.yaml, for editors that check and complete YAML as you type.

It mirrors the loader's keys (a test keeps the two in step); the loader stays the
authority, since rules across fields (week order, time zones for times, one
session a day) are beyond what a schema says.
"""

from __future__ import annotations

import json
from typing import Any

from .load import (
    CALENDAR_KEYS,
    CALENDAR_REQUIRED,
    MAX_LINE_CHARACTERS,
    MAX_TEXT_CHARACTERS,
    SESSION_KEYS,
    SESSION_REQUIRED,
)

ONE_LINE = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_LINE_CHARACTERS,
    "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$",
}
TEXT = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARACTERS}
LENGTH = "^(?=.)(\\d+d)?\\s*(\\d+h)?\\s*(\\d+m)?$"
DATE = {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$", "format": "date"}

FIELDS: dict[str, dict[str, Any]] = {
    "id": {"type": "string", "pattern": "^[a-z0-9-]+$", "description":
           "calendar: part of every event's identity; never change it once published. "
           "session: an identity that survives renumbering weeks"},
    "name": {**ONE_LINE, "description": "The calendar's name in every client"},
    "description": {**TEXT, "description": "Plain text; may span lines"},
    "url": {"type": "string", "pattern": "^https?://\\S+$", "description": "A web page"},
    "feed_url": {"type": "string", "pattern": "^https://\\S+$",
                 "description": "The https URL the feed is served at; enables subscribe buttons"},
    "timezone": {"type": "string", "pattern": "^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$",
                 "description": "An IANA time zone, like Asia/Seoul", "examples": ["Asia/Seoul"]},
    "time": {"type": "string", "pattern": "^([01]?\\d|2[0-3]):[0-5]\\d$",
             "description": "Start, 24-hour HH:MM; without it, all-day events"},
    "duration": {"type": "string", "pattern": LENGTH,
                 "description": "Length of a timed session, like 90m, 2h or 1h30m"},
    "location": {**ONE_LINE, "description": "Where the session takes place"},
    "starts": {**DATE, "description": "Date of week 1; sessions without a date follow weekly"},
    "reminders": {"type": "array", "uniqueItems": True,
                  "items": {"type": "string", "pattern": LENGTH},
                  "description": "Alerts before each session, like [1d, 30m]; [] for none"},
    "week": {"type": "integer", "minimum": 1, "description": "The week number, unique"},
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
