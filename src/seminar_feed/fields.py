"""The schedule format and the group file's, described once: every key, where it is
written, what it holds.

The loaders read each key by its kind, the JSON Schemas and `init`'s starter are
written from this table, and a test holds the README's key references to it. Rules
across keys (dates in week order, a time needs a zone, one session a day, a series
not both dropped and leaving) are not a table's to say: they stay in the loaders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .model import LANGUAGES

MAX_URL_CHARACTERS = 2_000  # what browsers and Google's links handle
# A QR code at the page's error level (Q) holds 1,663 bytes, and webcal:// is one
# longer than https://: the feed's address must always fit one.
MAX_FEED_URL_CHARACTERS = 1_600
# A group's folder: its feeds' addresses add a calendar id (at most 64) and ".ics".
MAX_SITE_URL_CHARACTERS = MAX_FEED_URL_CHARACTERS - 64 - len(".ics")

MAX_MATERIALS = 100  # a session's; bounds the work of a list of aliases

# A schedule's calendar, sessions and materials; a group file's top and its `group`.
Place = Literal["calendar", "session", "material", "group_file", "group"]
Kind = Literal[
    "id", "line", "room", "room_or_none", "text", "url", "https_url", "feed_url", "online",
    "timezone", "time",
    "length", "date", "reminders", "week", "flag", "language", "materials",
    "group", "site_url", "ids",
]  # fmt: skip

# What each kind of value is, as the README's key reference says it: quotes matter
# only where YAML would otherwise read a number or true/false.
KINDS: dict[Kind, str] = {
    "id": "lowercase letters, digits and `-`; quote one that YAML reads as a number, like `'2026'`",
    "line": "text on one line (a number or true/false is text too)",
    "room": "text on one line, other than `none`",
    "room_or_none": "text on one line, or `none`",
    "text": "text; may span lines and hold tabs",
    "url": f"an http or https URL of up to {MAX_URL_CHARACTERS:,} characters",
    "https_url": f"an https URL of up to {MAX_URL_CHARACTERS:,} characters",
    "feed_url": f"an https URL ending in `/<id>.ics`, of up to {MAX_FEED_URL_CHARACTERS:,} "
    "characters (what a QR code holds)",
    "online": f"an https URL of up to {MAX_URL_CHARACTERS:,} characters, or `none`",
    "timezone": "an IANA time zone, like `Asia/Seoul`",
    "time": "a 24-hour time, like `18:30` or `'18:30'`",
    "length": "a length, like `90m`, `2h` or `1h30m`",
    "date": "a date, like `2026-07-06`",
    "reminders": "a list of lengths before the start, like `[1d, 30m]`",
    "week": "a whole number from 1, without quotes",
    "flag": "`true` or `false`, without quotes",
    "language": "one of " + ", ".join(f"`{language}`" for language in LANGUAGES),
    "materials": f"a list of up to {MAX_MATERIALS} `{{title, url}}`",
    "group": "the keys below",
    "site_url": f"an https URL ending in `/`, of up to {MAX_SITE_URL_CHARACTERS:,} characters",
    "ids": "a list of calendar ids, like `[2025-fall-flows]`",
}


@dataclass(frozen=True)
class Field:
    """One key of a schedule or a group file, in one place it may be written."""

    where: Place
    name: str
    kind: Kind
    help: str
    required: bool = False
    default: str | None = None  # what leaving the key out means, in the README's words
    example: str | None = None  # a value for `init` to show; `<id>` stands for calendar.id


FIELDS = (
    Field("calendar", "id", "id", "part of every event's identity; never change it once "
          "published", required=True),
    Field("calendar", "name", "line", "the calendar's name in every client", required=True),
    Field("calendar", "description", "text", "shown with the calendar; may span lines",
          example="What the seminar reads and who may come."),
    Field("calendar", "url", "url", "the seminar's own page",
          example="https://example.org/seminar/"),
    Field("calendar", "feed_url", "feed_url", "where the feed is served, only when not beside "
          "the page", example="https://example.org/<id>.ics"),
    Field("calendar", "timezone", "timezone", "the zone of the sessions' times; needed once "
          "any session has a time", example="Asia/Seoul"),
    Field("calendar", "time", "time", "every session's start", default="all-day events",
          example='"18:30"'),
    Field("calendar", "duration", "length", "how long a timed session lasts", default="1h",
          example="1h30m"),
    Field("calendar", "location", "room", "where sessions take place", example="Room 101"),
    Field("calendar", "online", "https_url", "every session's video call link",
          example="https://example.org/meeting"),
    Field("calendar", "starts", "date", "the date of week 1; sessions without a date follow "
          "weekly", example="2026-07-06"),
    Field("calendar", "reminders", "reminders", "alerts before every session", default="no alerts",
          example="[1d, 30m]"),
    Field("calendar", "language", "language", "the language of the words seminar-feed writes",
          default="en", example="ko"),
    Field("session", "week", "week", "the week number; unique", required=True),
    Field("session", "id", "id", "an identity that survives renumbering weeks",
          default="week-<week>", example="week-1"),
    Field("session", "date", "date", "the day of the session",
          default="counted from calendar.starts", example="2026-07-06"),
    Field("session", "title", "line", "the session's title", required=True),
    Field("session", "presenter", "line", "who presents", example="Ada Lovelace"),
    Field("session", "description", "text", "shown in the event and on the page",
          example="What the session covers."),
    Field("session", "url", "url", "the session's own page",
          example="https://example.org/seminar/week-1/"),
    Field("session", "time", "time", "the start", default="calendar.time", example='"18:30"'),
    Field("session", "duration", "length", "how long it lasts", default="calendar.duration",
          example="2h"),
    Field("session", "timezone", "timezone", "the zone of its time", default="calendar.timezone",
          example="Europe/London"),
    Field("session", "location", "room_or_none", "where it takes place; `none` for online "
          "only", default="calendar.location",
          example="Room 102"),
    Field("session", "online", "online", "its video call link; `none` for none",
          default="calendar.online", example="https://example.org/meeting"),
    Field("session", "reminders", "reminders", "alerts before it; `[]` for none",
          default="calendar.reminders", example="[1h]"),
    Field("session", "materials", "materials", "slides, notes, a recording: each a title and "
          "a link", example="[{title: Slides, url: https://example.org/s.pdf}]"),
    Field("session", "cancelled", "flag", "keep the session, marked cancelled", default="false",
          example="true"),
    Field("session", "reason", "text", "why it is cancelled; only with `cancelled: true`",
          example="The room is closed."),
    Field("material", "title", "line", "what it is, like Slides", required=True),
    Field("material", "url", "url", "where it is", required=True),
    Field("group_file", "group", "group", "the group and its combined feed", required=True),
    Field("group_file", "leave_combined", "ids", "series that leave the combined feed, keeping "
          "their own feeds and pages", default="every series is in it"),
    Field("group_file", "drop", "ids", "series whose schedules are gone, no longer published "
          "at all", default="past series stay published"),
    Field("group", "id", "id", "names the combined feed, `<id>.ics`; never change it once "
          "published", required=True),
    Field("group", "name", "line", "the combined calendar's name in every client, and the "
          "hub's title", required=True),
    Field("group", "description", "text", "shown with the combined calendar and on the hub"),
    Field("group", "url", "url", "the group's own website"),
    Field("group", "site_url", "site_url", "where the published folder is served; only for "
          "subscribe buttons and a QR code written into the hub"),
    Field("group", "language", "language", "the language of the words seminar-feed writes on "
          "the hub; each series keeps its schedule's", default="en"),
)  # fmt: skip


def fields_in(where: Place) -> tuple[Field, ...]:
    """The keys of one kind of mapping, in the order the schedule writes them."""
    return tuple(field for field in FIELDS if field.where == where)


def keys_in(where: Place) -> tuple[str, ...]:
    return tuple(field.name for field in fields_in(where))


def required_in(where: Place) -> tuple[str, ...]:
    return tuple(field.name for field in fields_in(where) if field.required)
