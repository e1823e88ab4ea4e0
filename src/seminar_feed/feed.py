"""Render a Schedule as an iCalendar feed, carrying revisions over from the last one.

A subscriber's calendar matches events by UID and takes an update only when its
SEQUENCE rises, so each event's revision (SEQUENCE, DTSTAMP, LAST-MODIFIED) is
kept from the previous feed while its content stays the same, and bumped when
anything a subscriber can see changes. The same schedule and previous feed
therefore always give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytz
from icalendar import Alarm, Calendar, Event, vDuration, vText

from .model import Schedule, Session
from .zones import timezone_component

PRODID = "-//seminar-feed//seminar-feed//EN"
UID_DOMAIN = "seminar-feed"
REFRESH = timedelta(hours=6)
CANCELLED_PREFIX = "Cancelled: "
REMOVED_NOTE = "Cancelled: this session was removed from the schedule."
REVISION_PROPERTIES = ("DTSTAMP", "LAST-MODIFIED", "SEQUENCE")
DETAIL_NAMES = {"DESCRIPTION": "description", "URL": "link", "VALARM": "reminders"}


class Text(vText):
    """TEXT escaped exactly as RFC 5545 says.

    icalendar turns a literal backslash-N into a line break before escaping, so
    a title like 'C:\\New' would reach every reader broken.
    """

    __slots__ = ()

    def to_ical(self) -> bytes:
        escaped = self.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        return escaped.replace("\n", "\\n").encode("utf-8")


def _as_text(value: object) -> object:
    """Serialise text read from a previous feed with our escaping, not icalendar's."""
    if isinstance(value, vText) and not isinstance(value, Text):
        return Text(str(value), params=dict(value.params))
    return value


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
    previous: Mapping[str, Event] | None = None,
    drop_removed: bool = False,
) -> Feed:
    """Render the feed; `stamp` (UTC) dates the events that are new or changed."""
    previous = previous or {}
    events: list[Event] = []
    changes: list[Change] = []
    current = set()
    for session in schedule.sessions:
        event = session_event(schedule, session)
        uid = str(event["UID"])
        current.add(uid)
        details = _revise(event, previous.get(uid), stamp)
        if details:
            changes.append(Change(f"week {session.week}", details))
        events.append(event)
    removed = []
    for uid in sorted(set(previous) - current):
        if drop_removed:
            changes.append(Change(_label(uid), ("dropped from the feed",)))
            continue
        event = _cancelled_copy(previous[uid])
        details = _revise(event, previous[uid], stamp)
        if details:
            changes.append(Change(_label(uid), ("cancelled: no longer in the schedule",)))
        removed.append(_label(uid))
        events.append(event)
    ics = _calendar(schedule, events).to_ical()
    return Feed(ics=ics, changes=tuple(changes), removed=tuple(removed), event_count=len(events))


def _label(uid: str) -> str:
    return uid.split(".", 1)[0].replace("week-", "week ", 1)


def _revise(event: Event, before: Event | None, stamp: datetime) -> tuple[str, ...]:
    """Give `event` its revision; return what changed since `before` (nothing if unchanged)."""
    if before is None:
        event.add("sequence", 0)
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        return ("new",)
    details = _differences(before, event)
    if details:
        event.add("sequence", int(before.get("SEQUENCE", 0)) + 1)
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
    else:
        for name in REVISION_PROPERTIES:
            if name in before:
                event[name] = before[name]
    return details


def _fingerprint(event: Event) -> dict[str, bytes]:
    lines: dict[str, bytes] = {}
    for name, value in event.property_items(recursive=False):
        if name not in REVISION_PROPERTIES and name not in ("BEGIN", "END"):
            lines[name] = event.content_line(name, _as_text(value)).to_ical()
    lines["VALARM"] = b"".join(alarm.to_ical() for alarm in event.subcomponents)
    return lines


def _differences(before: Event, after: Event) -> tuple[str, ...]:
    """Say, in the organiser's terms, what a subscriber will see change."""
    old, new = _fingerprint(before), _fingerprint(after)
    if old == new:
        return ()
    details = []
    old_start, new_start = before.decoded("DTSTART"), after.decoded("DTSTART")
    if _day(old_start) != _day(new_start):
        details.append(f"date {_day(old_start)} → {_day(new_start)}")
    if _clock(old_start) != _clock(new_start):
        details.append(f"time {_clock(old_start)} → {_clock(new_start)}")
    elif _length(before) != _length(after):
        details.append(f"length {_length(before)} → {_length(after)}")
    if old.get("STATUS") != new.get("STATUS"):
        details.append("cancelled" if after.get("STATUS") == "CANCELLED" else "restored")
    else:
        details.extend(_text_change(before, after, "SUMMARY", "title"))
    details.extend(_text_change(before, after, "LOCATION", "location"))
    for name, label in DETAIL_NAMES.items():
        if old.get(name) != new.get(name):
            details.append(label)
    return tuple(details) or ("details",)


def _text_change(before: Event, after: Event, name: str, label: str) -> list[str]:
    old, new = before.get(name), after.get(name)
    if old == new:
        return []
    return [f"{label} {_quoted(old)} → {_quoted(new)}"]


def _quoted(value: object) -> str:
    return "none" if value is None else f"'{value}'"


def _day(moment: date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _clock(moment: date) -> str:
    if not isinstance(moment, datetime):
        return "all day"
    return f"{moment:%H:%M} {moment.tzinfo}"


def _length(event: Event) -> timedelta:
    end: date = event.decoded("DTEND")
    start: date = event.decoded("DTSTART")
    return end - start


def _cancelled_copy(before: Event) -> Event:
    """Keep a session that left the schedule, so people who imported it see it go."""
    event = Event()
    for name, value in before.property_items(recursive=False):
        if name not in REVISION_PROPERTIES and name not in ("BEGIN", "END"):
            event[name] = _as_text(value)
    summary = str(before.get("SUMMARY", ""))
    if not summary.startswith(CANCELLED_PREFIX):
        event["SUMMARY"] = Text(CANCELLED_PREFIX + summary)
    if str(before.get("STATUS")) != "CANCELLED":
        paragraphs = [REMOVED_NOTE, str(before.get("DESCRIPTION", ""))]
        event["DESCRIPTION"] = Text("\n\n".join(filter(None, paragraphs)))
    event["STATUS"] = Text("CANCELLED")
    return event


def _calendar(schedule: Schedule, events: Iterable[Event]) -> Calendar:
    info = schedule.calendar
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
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
    events = list(events)
    for name, (first, last) in sorted(_zone_years(events).items()):
        calendar.add_component(timezone_component(name, first, last))
    for event in events:
        calendar.add_component(event)
    return calendar


def _zone_years(events: Iterable[Event]) -> dict[str, tuple[int, int]]:
    """Map each TZID the events use to the first and last year it is used in."""
    years: dict[str, tuple[int, int]] = {}
    for event in events:
        for name in ("DTSTART", "DTEND"):
            prop = event.get(name)
            zone = prop.params.get("TZID") if prop is not None else None
            if zone:
                year = event.decoded(name).year
                first, last = years.get(zone, (year, year))
                years[zone] = (min(first, year), max(last, year))
    return years
