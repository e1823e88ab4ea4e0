"""JSON Schemas of schedule.yaml and a group's group.yaml, for editors that check and
complete YAML as you type.

They are written from the format's table (`fields`): each key, and what a value of
its kind may be as an editor reading YAML 1.2 sees it (a test gives the loader
and the schema the same documents); the loaders stay
the authority, since rules across fields (week order, time zones for times, one
session a day) and limits on lengths of time are beyond what a schema says.
"""

from __future__ import annotations

import json
from typing import Any

from .fields import (
    MAX_FEED_URL_CHARACTERS,
    MAX_MATERIALS,
    MAX_SITE_URL_CHARACTERS,
    MAX_URL_CHARACTERS,
    Field,
    Kind,
    Place,
    fields_in,
    required_in,
)
from .model import LANGUAGES
from .values import (
    HTTP_SCHEME,
    HTTPS_SCHEME,
    MAX_ID_CHARACTERS,
    MAX_LINE_CHARACTERS,
    MAX_TEXT_CHARACTERS,
    MAX_WEEK,
    NO_LINK,
    NO_ROOM,
    url_pattern,
)

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

HTTP_URL = {"type": "string", "maxLength": MAX_URL_CHARACTERS,
            "pattern": url_pattern(HTTP_SCHEME)}  # fmt: skip
HTTPS_URL = {**HTTP_URL, "pattern": url_pattern(HTTPS_SCHEME)}
ID = {"type": "string", "pattern": "^[a-z0-9-]+$", "maxLength": MAX_ID_CHARACTERS}


# What each kind of value may be, as an editor reading YAML 1.2 sees it.
KINDS: dict[Kind, dict[str, Any]] = {
    "id": ID,
    "line": ONE_LINE,
    "room": {**ONE_LINE, "not": {"const": NO_ROOM}},
    "room_or_none": ONE_LINE,  # none among the rest
    "text": TEXT,
    "url": HTTP_URL,
    "https_url": HTTPS_URL,
    "feed_url": {**HTTPS_URL, "maxLength": MAX_FEED_URL_CHARACTERS},
    "online": {"anyOf": [HTTPS_URL, {"const": NO_LINK}]},
    "timezone": {"type": "string", "pattern": "^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$"},
    "time": {"type": "string", "pattern": "^([01]?[0-9]|2[0-3]):[0-5][0-9]$"},
    "length": {"type": "string", "pattern": LENGTH},
    "date": DATE,
    "reminders": {"type": "array", "uniqueItems": True,
                  "items": {"type": "string", "pattern": LENGTH}},
    "week": {"type": "integer", "minimum": 1, "maximum": MAX_WEEK},
    "flag": {"type": "boolean"},
    "language": {"enum": list(LANGUAGES)},
    "materials": {"type": "array", "maxItems": MAX_MATERIALS},  # items: a material
    "group": {"type": "object"},  # its keys: the group's mapping
    "site_url": {**HTTPS_URL, "maxLength": MAX_SITE_URL_CHARACTERS, "allOf": [{"pattern": "/$"}]},
    "ids": {"type": "array", "uniqueItems": True, "items": ID},
}  # fmt: skip


def field_schema(field: Field) -> dict[str, Any]:
    """Describe one key: what its kind may be, and the table's words for it."""
    schema = {**KINDS[field.kind], "description": _sentence(field.help)}
    if field.kind == "materials":
        schema["items"] = _mapping("material")
    if field.kind == "group":
        schema.update(_mapping("group"))
    if field.kind == "timezone":  # the one kind whose pattern does not show a real value
        schema["examples"] = [field.example]
    return schema


def _sentence(help_text: str) -> str:
    return help_text[:1].upper() + help_text[1:]


def _mapping(where: Place) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(required_in(where)),
        "properties": {field.name: field_schema(field) for field in fields_in(where)},
    }


def schedule_schema() -> dict[str, Any]:
    """Build the JSON Schema (draft 2020-12) of a schedule file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "seminar-feed schedule",
        "description": "A seminar's schedule, published as a calendar feed by seminar-feed",
        "type": "object",
        "additionalProperties": False,
        "required": ["calendar", "sessions"],
        "properties": {
            "calendar": _mapping("calendar"),
            "sessions": {"type": "array", "items": _mapping("session")},
        },
    }


def group_schema() -> dict[str, Any]:
    """Build the JSON Schema (draft 2020-12) of a group file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "seminar-feed group",
        "description": "A group's seminars, published from one folder by seminar-feed",
        **_mapping("group_file"),
    }


def schema_json() -> str:
    """The schema as the file that is published and committed."""
    return json.dumps(schedule_schema(), indent=2, ensure_ascii=False) + "\n"


def group_schema_json() -> str:
    """The group file's schema as the file that a group publishes."""
    return json.dumps(group_schema(), indent=2, ensure_ascii=False) + "\n"
