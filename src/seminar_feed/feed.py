"""Render a Schedule as an iCalendar feed, carrying revisions over from the last one.

A subscriber's calendar matches events by UID and takes an update only when its
SEQUENCE rises, so each event's revision (SEQUENCE, DTSTAMP, LAST-MODIFIED) is
kept from the previous feed while its content stays the same, and bumped when
anything a subscriber can see changes. The same schedule and previous feed
therefore always give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import NamedTuple

import pytz
from icalendar import Alarm, Calendar, Event, vDuration

from .ics import PRODID, Text, escape_text, fold, split_line, unescape_text
from .model import Schedule, Session
from .previous import PublishedEvent
from .zones import timezone_component

UID_DOMAIN = "seminar-feed"
REFRESH = timedelta(hours=6)
END_CALENDAR = b"END:VCALENDAR\r\n"
CANCELLED_PREFIX = "Cancelled: "
REMOVED_NOTE = "Cancelled: this session was removed from the schedule."
DETAIL_NAMES = {"DESCRIPTION": "description", "URL": "link", "VALARM": "reminders"}


@dataclass(frozen=True)
class Change:
    """What a subscriber will see change in one event."""

    label: str
    details: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.label}: {', '.join(self.details)}"


@dataclass(frozen=True)
class Feed:
    """A rendered feed and what changed since the previous one."""

    ics: bytes
    changes: tuple[Change, ...]
    removed: tuple[str, ...]
    event_count: int
    singles: Mapping[str, bytes]  # session key → a calendar of that session's event alone


def session_uid(schedule: Schedule, session: Session) -> str:
    """Identify a session by series and key, so an edited or moved session updates in place."""
    return f"{session.key}.{schedule.calendar.id}@{UID_DOMAIN}"


def session_summary(session: Session) -> str:
    """Give the one-line title calendars show: week, title and presenter."""
    summary = f"Week {session.week}: {session.title}"
    if session.presenter:
        summary += f" ({session.presenter})"
    return CANCELLED_PREFIX + summary if session.cancelled else summary


def session_description(session: Session) -> str:
    """Give the plain-text body; the link stands alone on its last line for clients that
    show no URL property."""
    paragraphs = []
    if session.cancelled:
        paragraphs.append(f"Cancelled: {session.reason}" if session.reason else "Cancelled.")
    if session.presenter:
        paragraphs.append(f"Presenter: {session.presenter}")
    if session.description:
        paragraphs.append(session.description)
    if session.url:
        paragraphs.append(session.url)
    return "\n\n".join(paragraphs)


def session_event(schedule: Schedule, session: Session) -> Event:
    """Build the event for a session, without its revision properties."""
    event = Event()
    event.add("uid", session_uid(schedule, session))
    if session.start is None:
        event.add("dtstart", session.date)
        event.add("dtend", session.date + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        assert session.timezone is not None, "the loader requires a zone for timed sessions"
        zone = pytz.timezone(session.timezone)
        start = zone.localize(datetime.combine(session.date, session.start))
        event.add("dtstart", start)
        event.add("dtend", zone.normalize(start + session.duration))
        event.add("transp", "OPAQUE")
    summary = Text(session_summary(session))
    event.add("summary", summary)
    description = session_description(session)
    if description:
        event.add("description", Text(description))
    if session.location:
        event.add("location", Text(session.location))
    if session.url:
        event.add("url", session.url)
    event.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
    if not session.cancelled:
        for before in session.reminders:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", -before)
            event.add_component(alarm)
    return event


def render_feed(
    schedule: Schedule,
    *,
    stamp: datetime,
    previous: Mapping[str, PublishedEvent] | None = None,
    drop_removed: bool = False,
) -> Feed:
    """Render the feed; `stamp` (UTC) dates the events that are new or changed."""
    previous = previous or {}
    events: list[_Written] = []
    changes: list[Change] = []
    singles = {}
    for session in schedule.sessions:
        # Unfolded lines between BEGIN:VEVENT and END:VEVENT (and the final empty one).
        lines = tuple(map(str, session_event(schedule, session).content_lines()))[1:-2]
        revision, details = _revise(lines, previous.get(session_uid(schedule, session)), stamp)
        if details:
            changes.append(Change(f"week {session.week}", details))
        events.append(_Written.of(revision + lines))
        singles[session.key] = events[-1]
    current = {session_uid(schedule, session) for session in schedule.sessions}
    removed = []
    for uid in sorted(set(previous) - current):
        if drop_removed:
            changes.append(Change(_label(uid), ("dropped from the feed",)))
            continue
        lines = _cancelled(previous[uid].lines)
        revision, details = _revise(lines, previous[uid], stamp)
        if details:
            changes.append(Change(_label(uid), ("cancelled: no longer in the schedule",)))
        removed.append(_label(uid))
        events.append(_Written.of(revision + lines))
    return Feed(
        ics=_wrap(_serialised(_feed_header(schedule)), events),
        changes=tuple(changes),
        removed=tuple(removed),
        event_count=len(events),
        singles=_Singles(singles),
    )


def _label(uid: str) -> str:
    return uid.split(".", 1)[0].replace("week-", "week ", 1)


def _revise(
    lines: tuple[str, ...], before: PublishedEvent | None, stamp: datetime
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Give an event its revision lines and say what changed since `before`."""
    if before is not None and before.lines == lines:
        return before.revision, ()
    instant = f"{stamp.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"
    sequence = 0 if before is None else before.sequence + 1
    details = ("new",) if before is None else _differences(before.lines, lines)
    return (f"DTSTAMP:{instant}", f"LAST-MODIFIED:{instant}", f"SEQUENCE:{sequence}"), details


def _properties(lines: Iterable[str]) -> dict[str, str]:
    """Index an event's own lines by name; its alarms together under VALARM."""
    found: dict[str, str] = {"VALARM": ""}
    depth = 0
    for line in lines:
        name, _, _ = split_line(line)
        depth += name == "BEGIN"
        if depth:
            found["VALARM"] += line + "\n"
        else:
            found[name] = line
        depth -= name == "END"
    return found


def _differences(old_lines: tuple[str, ...], new_lines: tuple[str, ...]) -> tuple[str, ...]:
    """Say, in the organiser's terms, what a subscriber will see change."""
    old, new = _properties(old_lines), _properties(new_lines)
    details = []
    (old_day, old_clock), (new_day, new_clock) = _when(old["DTSTART"]), _when(new["DTSTART"])
    if old_day != new_day:
        details.append(f"date {old_day} → {new_day}")
    if old_clock != new_clock:
        details.append(f"time {old_clock} → {new_clock}")
    elif old.get("DTEND") != new.get("DTEND") and old_day == new_day:
        details.append(f"end {_when(old['DTEND'])[1]} → {_when(new['DTEND'])[1]}")
    if old.get("STATUS") != new.get("STATUS"):
        details.append("cancelled" if new.get("STATUS") == "STATUS:CANCELLED" else "restored")
    else:
        details.extend(_text_change(old, new, "SUMMARY", "title"))
    details.extend(_text_change(old, new, "LOCATION", "location"))
    for name, label in DETAIL_NAMES.items():
        if old.get(name) != new.get(name):
            details.append(label)
    return tuple(details) or ("details",)


def _when(line: str) -> tuple[str, str]:
    """Read a DTSTART or DTEND line we wrote as a day and a clock time."""
    _, params, value = split_line(line)
    day = f"{value[:4]}-{value[4:6]}-{value[6:8]}"
    if "T" not in value:
        return day, "all day"
    return day, f"{value[9:11]}:{value[11:13]} {params.get('TZID', 'UTC')}"


def _text_change(old: dict[str, str], new: dict[str, str], name: str, label: str) -> list[str]:
    if old.get(name) == new.get(name):
        return []
    return [f"{label} {_quoted(old.get(name))} → {_quoted(new.get(name))}"]


def _quoted(line: str | None) -> str:
    return "none" if line is None else repr(unescape_text(split_line(line)[2]))


def _cancelled(lines: tuple[str, ...]) -> tuple[str, ...]:
    """Keep a session that left the schedule, so people who imported it see it go."""
    own = _properties(lines)
    if own.get("STATUS") == "STATUS:CANCELLED":
        return lines
    kept = []
    for name, line in own.items():
        if name == "VALARM":
            continue  # no reminders for a session that will not happen
        if name == "SUMMARY":
            line = f"SUMMARY:{escape_text(CANCELLED_PREFIX)}{split_line(line)[2]}"
        elif name == "STATUS":
            line = "STATUS:CANCELLED"
        elif name == "DESCRIPTION":
            line = f"DESCRIPTION:{escape_text(REMOVED_NOTE + chr(10) * 2)}{split_line(line)[2]}"
        kept.append(line)
    if "DESCRIPTION" not in own:
        kept.append(f"DESCRIPTION:{escape_text(REMOVED_NOTE)}")
    return tuple(kept)


def _calendar_header() -> Calendar:
    """What every calendar file needs; a file of one event for import needs no more."""
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    return calendar


def _feed_header(schedule: Schedule) -> Calendar:
    """Name, describe and pace a feed that people subscribe to."""
    info = schedule.calendar
    calendar = _calendar_header()
    calendar.add("name", Text(info.name))
    calendar.add("x-wr-calname", Text(info.name))
    if info.description:
        calendar.add("description", Text(info.description))
        calendar.add("x-wr-caldesc", Text(info.description))
    if info.url:
        calendar.add("url", info.url)
    if info.timezone:
        calendar.add("x-wr-timezone", Text(info.timezone))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar


def _serialised(calendar: Calendar) -> bytes:
    """A calendar's opening and properties, ready for components to follow."""
    head: bytes = calendar.to_ical().removesuffix(END_CALENDAR)
    return head


@cache
def _bare_header() -> bytes:
    return _serialised(_calendar_header())


@cache
def _vtimezone(name: str, first_year: int, last_year: int) -> bytes:
    # Shared by the feed and every single-session file that uses the zone.
    ical: bytes = timezone_component(name, first_year, last_year).to_ical()
    return ical


class _Written(NamedTuple):
    """An event's content lines, and the same folded for the file, made once."""

    lines: tuple[str, ...]
    folded: bytes

    @classmethod
    def of(cls, lines: tuple[str, ...]) -> _Written:
        text = "BEGIN:VEVENT\r\n" + "".join(map(fold, lines)) + "END:VEVENT\r\n"
        return cls(lines, text.encode("utf-8"))


class _Singles(Mapping[str, bytes]):
    """Each session alone as a calendar, made when asked for: all made at once, they
    would take more memory than the feed."""

    def __init__(self, events: dict[str, _Written]) -> None:
        self._events = events

    def __getitem__(self, key: str) -> bytes:
        return _wrap(_bare_header(), [self._events[key]])

    def __iter__(self) -> Iterator[str]:
        return iter(self._events)

    def __len__(self) -> int:
        return len(self._events)


def _wrap(header: bytes, events: list[_Written]) -> bytes:
    """Close a calendar around the zones its events use and the events."""
    years = _zone_years(event.lines for event in events)
    zones = b"".join(_vtimezone(name, *span) for name, span in sorted(years.items()))
    return b"".join([header, zones, *(event.folded for event in events), END_CALENDAR])


def _zone_years(events: Iterable[tuple[str, ...]]) -> dict[str, tuple[int, int]]:
    """Map each TZID the events use to the first and last year it is used in."""
    years: dict[str, tuple[int, int]] = {}
    for lines in events:
        for line in lines:
            if not line.startswith(("DTSTART;TZID=", "DTEND;TZID=")):
                continue
            _, params, value = split_line(line)
            zone = params.get("TZID")
            if zone:
                year = int(value[:4])
                first, last = years.get(zone, (year, year))
                years[zone] = (min(first, year), max(last, year))
    return years
