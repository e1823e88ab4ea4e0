"""Render a Schedule as an iCalendar feed, carrying revisions over from the last one.

A subscriber's calendar matches events by UID and takes an update only when its
SEQUENCE rises, so each event's revision (SEQUENCE, DTSTAMP, LAST-MODIFIED) is
kept from the previous feed while its content stays the same, and bumped when
anything a subscriber can see changes. The same schedule and previous feed
therefore always give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache
from types import MappingProxyType
from typing import NamedTuple

from .changes import describe_change, removed_session
from .ics import (
    PRODID,
    UID_DOMAIN,
    canonical_line,
    escape_text,
    fold,
    split_line,
    unescape_text,
)
from .language import (
    CANCELLED,
    CANCELLED_REASON,
    CANCELLED_SUMMARY,
    JOIN_ONLINE,
    JOIN_ONLINE_LINE,
    MATERIALS,
    PRESENTER,
    REMOVED_NOTE,
    WEEK,
    translations,
)
from .model import LANGUAGES, Calendar, Schedule, Session
from .previous import (
    DROPPED,
    DROPPED_SEQUENCE,
    DROPPED_STAMP,
    LAST_STAMP,
    SERIES_SOURCE,
    SOURCE_CALENDAR,
    PublishedEvent,
    PublishedFeed,
    Revision,
)
from .zones import occurs_twice, session_instants, timezone_lines

REFRESH = timedelta(hours=6)
END_CALENDAR = b"END:VCALENDAR\r\n"
UNTYPED_TEXT = ("NAME", "X-WR-CALNAME", "X-WR-CALDESC")
SECOND = timedelta(seconds=1)
PARAGRAPH_BREAK = "\n\n"


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
    removed_sessions: tuple[Session, ...]  # kept as cancelled, for the page to show too
    event_count: int
    singles: Mapping[str, bytes]  # session key → a calendar of that session's event alone
    # Each event's unfolded lines, its revision first, for a group's combined feed.
    events: tuple[tuple[str, ...], ...] = ()


def session_uid(schedule: Schedule, session: Session) -> str:
    """Identify a session by series and key, so an edited or moved session updates in place."""
    return f"{session.key}.{schedule.calendar.id}@{UID_DOMAIN}"


def session_summary(session: Session, language: str) -> str:
    """Give the one-line title calendars show: week, title and presenter."""
    _ = translations(language).gettext
    summary = _(WEEK) % {"week": session.week, "title": session.title}
    if session.presenter:
        summary += f" ({session.presenter})"
    return _(CANCELLED_SUMMARY) % {"summary": summary} if session.cancelled else summary


def session_description(session: Session, language: str) -> str:
    """Give the plain-text body; the link stands alone on its last line for clients that
    show no URL property."""
    _ = translations(language).gettext
    paragraphs = []
    if session.cancelled:
        reason = session.reason
        paragraphs.append(_(CANCELLED_REASON) % {"reason": reason} if reason else _(CANCELLED))
    if session.presenter:
        paragraphs.append(_(PRESENTER) % {"presenter": session.presenter})
    if session.description:
        paragraphs.append(session.description)
    if session.online and not session.cancelled:
        # Google Calendar and Outlook show no CONFERENCE: the link must be in the text.
        paragraphs.append(_(JOIN_ONLINE_LINE) % {"link": session.online})
    if session.materials:
        lines = [f"{material.title}: {material.url}" for material in session.materials]
        paragraphs.append("\n".join([_(MATERIALS), *lines]))
    if session.url:
        paragraphs.append(session.url)
    return PARAGRAPH_BREAK.join(paragraphs)


def timed_span(session: Session) -> tuple[datetime, datetime]:
    """Give when a timed session starts and ends, in its zone."""
    assert session.start is not None, "only a timed session has a span of instants"
    assert session.timezone is not None, "the loader requires a zone for timed sessions"
    return session_instants(session.date, session.start, session.duration, session.timezone)


def session_location(session: Session) -> str | None:
    """Give the place calendars show: the room, or else the video call's link, which a
    cancelled session has none of."""
    return session.location or (None if session.cancelled else session.online)


def event_lines(schedule: Schedule, session: Session) -> tuple[str, ...]:
    """Write the content lines of a session's event, unfolded and without its revision
    properties, in the order icalendar writes them: this runs once per session, and
    building icalendar's objects took a third of a large build."""
    if session.start is None:
        when = (
            f"DTSTART;VALUE=DATE:{session.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{session.date + timedelta(days=1):%Y%m%d}",
        )
    else:
        assert session.timezone is not None, "the loader requires a zone for timed sessions"
        zone = session.timezone
        start, end = timed_span(session)
        in_utc = start.tzname() == "UTC"  # with Z and no VTIMEZONE; every other zone by name
        # Readers resolve a repeated local time each their own way; UTC leaves no choice.
        when = (
            _moment("DTSTART", start, zone, in_utc),
            _moment("DTEND", end, zone, in_utc or occurs_twice(end, zone)),
        )
    language = schedule.calendar.language
    summary = escape_text(session_summary(session, language))
    description = session_description(session, language)
    lines = [f"SUMMARY:{summary}", *when, f"UID:{session_uid(schedule, session)}"]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    location = session_location(session)
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines.append(f"STATUS:{'CANCELLED' if session.cancelled else 'CONFIRMED'}")
    lines.append(f"TRANSP:{'TRANSPARENT' if session.start is None else 'OPAQUE'}")
    if session.url:
        lines.append(f"URL:{session.url}")
    lines += [f"ATTACH:{material.url}" for material in session.materials]
    if session.online and not session.cancelled:
        # RFC 7986; the label is written in the one form previous feeds are compared in.
        # Left out of a cancelled event, so that no client offers to join it.
        label = translations(language).gettext(JOIN_ONLINE)
        conference = f'CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL="{label}":{session.online}'
        lines.append(canonical_line(conference))
    if not session.cancelled:
        for before in session.reminders:
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{summary}",
                      f"TRIGGER:-{_duration(before)}", "END:VALARM"]  # fmt: skip
    return tuple(lines)


def _moment(name: str, moment: datetime, zone: str, in_utc: bool) -> str:
    if in_utc:
        return f"{name}:{moment.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"
    return f"{name};TZID={zone}:{moment:%Y%m%dT%H%M%S}"


def _duration(length: timedelta) -> str:
    """Write a positive length as an iCalendar DURATION, as icalendar does: P1D, PT1H30M."""
    hours, minutes = divmod(length.seconds // 60, 60)
    clock = f"{hours}H" * bool(hours) + f"{minutes}M" * bool(minutes)
    days = f"{length.days}D" if length.days or not clock else ""
    return f"P{days}{'T' + clock if clock else ''}"


def render_feed(
    schedule: Schedule,
    *,
    stamp: datetime,
    previous: PublishedFeed | None = None,
    drop_removed: bool = False,
) -> Feed:
    """Render the feed; `stamp` dates the events that are new or changed."""
    stamp = stamp.astimezone(timezone.utc).replace(microsecond=0)
    before = previous.events if previous is not None else {}
    dropped = dict(previous.dropped) if previous is not None else {}
    events: list[_Written] = []
    changes: list[Change] = []
    singles = {}
    for session in schedule.sessions:
        uid = session_uid(schedule, session)
        # Unfolded lines between BEGIN:VEVENT and END:VEVENT (and the final empty one).
        lines = event_lines(schedule, session)
        revision, details = _revise(lines, before.get(uid), dropped.pop(uid, None), stamp)
        if details:
            changes.append(Change(f"week {session.week}", details))
        events.append(_Written.of(revision + lines))
        singles[session.key] = events[-1]
    current = {session_uid(schedule, session) for session in schedule.sessions}
    removed, removed_sessions = [], []
    for uid in sorted(set(before) - current):
        if drop_removed:
            # Remembered, so that a session restored later outranks every copy people hold.
            dropped[uid] = before[uid].revision
            changes.append(Change(_label(uid), ("dropped from the feed",)))
            continue
        lines = _cancelled(before[uid].lines, schedule.calendar.language)
        revision, details = _revise(lines, before[uid], None, stamp)
        if details and "STATUS:CANCELLED" not in before[uid].lines:
            details = ("cancelled: no longer in the schedule",)
        if details:
            changes.append(Change(_label(uid), details))
        removed.append(_label(uid))
        removed_sessions.append(removed_session(uid.split(".", 1)[0], lines))
        events.append(_Written.of(revision + lines))
    header = _serialised(_feed_header(schedule.calendar)) + _dropped_lines(dropped)
    return Feed(
        ics=_wrap(header, events),
        changes=tuple(changes),
        removed=tuple(removed),
        removed_sessions=tuple(removed_sessions),
        event_count=len(events),
        singles=_Singles(singles),
        events=tuple(event.lines for event in events),
    )


def _label(uid: str) -> str:
    return uid.split(".", 1)[0].replace("week-", "week ", 1)


def _revise(
    lines: tuple[str, ...], before: PublishedEvent | None, dropped: Revision | None, stamp: datetime
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Give an event its revision lines and say what changed since `before` (or since it
    was dropped)."""
    if before is not None and before.lines == tuple(map(canonical_line, lines)):
        return before.revision_lines, ()
    last = before.revision if before is not None else dropped
    if last is None:
        return _revision_lines(Revision(0, stamp, stamp)), ("new",)
    # A change is stamped after the last one even when the clock has gone back, so that
    # every client, whichever of DTSTAMP and SEQUENCE it trusts, takes it as newer.
    # Past iCalendar's last second it can only stand still; SEQUENCE still rises.
    later = max(stamp, min(last.latest, LAST_STAMP - SECOND) + SECOND)
    details = ("back in the feed",) if before is None else describe_change(before.lines, lines)
    return _revision_lines(Revision(last.sequence + 1, later, later)), details


def _revision_lines(revision: Revision) -> tuple[str, ...]:
    return (
        f"DTSTAMP:{_utc_text(revision.stamp)}",
        f"LAST-MODIFIED:{_utc_text(revision.modified)}",
        f"SEQUENCE:{revision.sequence}",
    )


def _utc_text(moment: datetime) -> str:
    return f"{moment:%Y%m%dT%H%M%SZ}"


def _dropped_lines(dropped: Mapping[str, Revision]) -> bytes:
    """Remember each UID left out of the feed and its last revision; clients ignore X- lines."""
    return "".join(
        fold(
            f"{DROPPED};{DROPPED_SEQUENCE}={revision.sequence};"
            f"{DROPPED_STAMP}={_utc_text(revision.latest)}:{uid}"
        )
        for uid, revision in sorted(dropped.items())
    ).encode("utf-8")


def _cancelled(lines: tuple[str, ...], language: str) -> tuple[str, ...]:
    """Keep a session that left the schedule, so people who imported it see it go, without
    its video call."""
    lines = _without_call(lines)
    if "STATUS:CANCELLED" in lines:
        return lines
    _ = translations(language).gettext
    before, after = _(CANCELLED_SUMMARY).split("%(summary)s")
    note = _(REMOVED_NOTE)
    has_description = any(line.startswith("DESCRIPTION:") for line in lines)
    kept = []
    depth = 0
    for line in lines:
        name, _, value = split_line(line)
        depth += name == "BEGIN"
        if depth:
            depth -= name == "END"
            continue  # no reminders for a session that will not happen
        if name == "SUMMARY":
            line = f"SUMMARY:{escape_text(before)}{value}{escape_text(after)}"
        elif name == "STATUS":
            line = "STATUS:CANCELLED"
        elif name == "DESCRIPTION":
            line = f"DESCRIPTION:{escape_text(note + chr(10) * 2)}{value}"
        kept.append(line)
        if name == "UID" and not has_description:  # where a first write puts it
            kept.append(f"DESCRIPTION:{escape_text(note)}")
    return tuple(kept)


def _without_call(lines: tuple[str, ...]) -> tuple[str, ...]:
    """Leave out an event's CONFERENCE and the lines that repeat its link: the
    description's paragraph, and the place where there is no room."""
    calls = [split_line(line)[2] for line in lines if line.startswith("CONFERENCE;")]
    if not calls:
        return lines
    # In whichever language the event was written.
    joins = {
        translations(language).gettext(JOIN_ONLINE_LINE) % {"link": calls[0]}
        for language in LANGUAGES
    }
    kept = []
    for line in lines:
        name, _, value = split_line(line)
        if name == "CONFERENCE" or (name == "LOCATION" and unescape_text(value) == calls[0]):
            continue
        if name == "DESCRIPTION":
            paragraphs = [
                part for part in unescape_text(value).split(PARAGRAPH_BREAK) if part not in joins
            ]
            if not paragraphs:
                continue
            line = f"DESCRIPTION:{escape_text(PARAGRAPH_BREAK.join(paragraphs))}"
        kept.append(line)
    return tuple(kept)


def _calendar_header() -> list[str]:
    """What every calendar file needs; a file of one event for import needs no more."""
    return ["VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]


def _feed_header(info: Calendar) -> list[str]:
    """Name, describe and pace a feed that people subscribe to, in the order icalendar
    wrote these: the description and name first, then the rest by name."""
    lines = _calendar_header()
    if info.description:
        lines += [_text("DESCRIPTION", info.description), _text("X-WR-CALDESC", info.description)]
    lines += [_text("NAME", info.name), _text("X-WR-CALNAME", info.name)]
    lines.append(f"REFRESH-INTERVAL;VALUE=DURATION:{_duration(REFRESH)}")
    if info.url:
        lines.append(f"URL:{info.url}")
    lines.append(f"X-PUBLISHED-TTL:{_duration(REFRESH)}")
    if info.timezone:
        lines.append(f"X-WR-TIMEZONE:{escape_text(info.timezone)}")
    return lines


def _text(name: str, text: str) -> str:
    # ical.js and icalendar do not know NAME and the X-WR- names as TEXT and show their
    # escapes as written unless VALUE says so; text without escapes goes as it is.
    escaped = escape_text(text)
    typed = name in UNTYPED_TEXT and escaped != text
    return f"{name}{';VALUE=TEXT' if typed else ''}:{escaped}"


def _serialised(lines: list[str]) -> bytes:
    """A calendar's opening and properties, ready for components to follow."""
    return ("BEGIN:VCALENDAR\r\n" + "".join(map(fold, lines))).encode("utf-8")


@cache
def _bare_header() -> bytes:
    return _serialised(_calendar_header())


@cache
def _vtimezone(name: str, first_year: int, last_year: int) -> bytes:
    # Shared by the feed and every single-session file that uses the zone.
    return "".join(map(fold, timezone_lines(name, first_year, last_year))).encode("utf-8")


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
            if not line.startswith(("DTSTART;", "DTEND;")):
                continue
            _, params, value = split_line(line)
            zone = params.get("TZID")
            if zone:
                year = int(value[:4])
                first, last = years.get(zone, (year, year))
                years[zone] = (min(first, year), max(last, year))
    return years


SERIES_SEPARATOR = " \u00b7 "  # a middle dot: "Diffusion Seminar · Week 1: ..."
REVISION_LINES = 3  # DTSTAMP, LAST-MODIFIED and SEQUENCE open every event written here


def render_combined(
    calendar: Calendar,
    series: Sequence[tuple[str, str, Feed]],
    *,
    stamp: datetime,
    previous: PublishedFeed | None = None,
    leaving: Collection[str] = (),
    sources: Mapping[str, str] = MappingProxyType({}),
    remembered: Mapping[str, Revision] = MappingProxyType({}),
) -> Feed:
    """Render a group's feed of every event of every (calendar id, name, feed) in
    `series`, each under its own UID and named by its series in its title; `sources`
    maps the name of each series' file to its calendar id, remembered in the feed so
    that the next build can tell a series whose id changed from a new one.

    An event new to this feed keeps the revision its series gave it; after that it is
    revised like any event (a series renamed bumps its events here alone). Events of
    a series no longer in `series` stay as published, its sessions being past; those of
    a series in `leaving`, or that left their series' feed, are dropped and remembered,
    at the latest revision of this feed and `remembered` (a dropped series' own feed).
    """
    stamp = stamp.astimezone(timezone.utc).replace(microsecond=0)
    before = previous.events if previous is not None else {}
    dropped = dict(previous.dropped) if previous is not None else {}
    current = {calendar_id for calendar_id, _, _ in series}
    events: list[_Written] = []
    changes: list[Change] = []
    written: set[str] = set()
    for uid, event in sorted(before.items()):
        owner = _series_of(uid)
        if owner not in current and owner not in leaving:
            events.append(_Written.of(event.revision_lines + event.lines))
            written.add(uid)
    for calendar_id, name, feed in series:
        if calendar_id in leaving:
            continue
        for lines in feed.events:
            own, content = lines[:REVISION_LINES], _named(lines[REVISION_LINES:], name)
            uid = next(line[4:] for line in content if line.startswith("UID:"))
            if uid in before or uid in dropped:
                revision, details = _revise(content, before.get(uid), dropped.pop(uid, None), stamp)
                if details:
                    changes.append(Change(f"{calendar_id} {_label(uid)}", details))
            else:
                revision = own  # as the series' own feed has it
            events.append(_Written.of(revision + content))
            written.add(uid)
    for uid in sorted(set(before) - written):
        dropped[uid] = before[uid].revision
        changes.append(Change(f"{_series_of(uid)} {_label(uid)}", ("left the combined feed",)))
    for uid, latest in remembered.items():
        if uid not in written and (uid not in dropped or latest.sequence > dropped[uid].sequence):
            dropped[uid] = latest
    header = _serialised(_feed_header(calendar)) + _dropped_lines(dropped)
    header += _source_lines(sources)
    return Feed(
        ics=_wrap(header, events),
        changes=tuple(changes),
        removed=(),
        removed_sessions=(),
        event_count=len(events),
        singles={},
    )


def render_withdrawn(previous: PublishedFeed, *, stamp: datetime) -> Feed:
    """Render the feed of a series whose schedule is gone from its group: its sessions
    still to come (on `stamp`'s day or later) kept as cancelled, so that subscribers
    and people who imported them see them go, and those past as they took place; and
    each session alone, for its page to offer as the feed has it."""
    stamp = stamp.astimezone(timezone.utc).replace(microsecond=0)
    language = language_of(previous.events.values())
    events: list[_Written] = []
    changes: list[Change] = []
    removed = []
    singles = {}
    for uid, event in previous.events.items():
        lines = event.lines
        if _first_day(lines) >= f"{stamp:%Y%m%d}":
            lines = _cancelled(lines, language)
            removed.append(_label(uid))
        revision, details = _revise(lines, event, None, stamp)
        if details:
            changes.append(Change(_label(uid), ("cancelled: its series' schedule is gone",)))
        events.append(_Written.of(revision + lines))
        singles[uid.split(".", 1)[0]] = events[-1]
    return Feed(
        ics=_wrap(_serialised(list(previous.header)), events),
        changes=tuple(changes),
        removed=tuple(removed),
        removed_sessions=(),
        event_count=len(events),
        singles=_Singles(singles),
        events=tuple(event.lines for event in events),
    )


def _first_day(lines: tuple[str, ...]) -> str:
    """The day an event starts, as YYYYMMDD."""
    return next(split_line(line)[2][:8] for line in lines if line.startswith("DTSTART"))


def language_of(events: Iterable[PublishedEvent]) -> str:
    """Tell the language a feed was written in by its titles' "Week N" words."""
    for event in events:
        summary = next(line for line in event.lines if line.startswith("SUMMARY:"))
        for language in LANGUAGES:
            before, after = translations(language).gettext(WEEK).split("%(week)d")
            words = re.escape(escape_text(before)) + "[0-9]+" + re.escape(after.split("%")[0])
            if re.search(words, summary):
                return language
    return LANGUAGES[0]


def _source_lines(sources: Mapping[str, str]) -> bytes:
    """Say which file each series is built from; clients ignore X- lines."""
    return "".join(
        fold(f"{SERIES_SOURCE};{SOURCE_CALENDAR}={calendar_id}:{escape_text(name)}")
        for name, calendar_id in sorted(sources.items())
    ).encode("utf-8")


def _series_of(uid: str) -> str:
    return uid.split("@", 1)[0].split(".", 1)[-1]


def _named(lines: tuple[str, ...], series: str) -> tuple[str, ...]:
    """Name the series in the event's title, after "Cancelled: " where it has one: the
    title is what every client shows of an event, in every view."""
    heads = _cancelled_heads()
    named = []
    for line in lines:
        if line.startswith("SUMMARY:"):
            title = line.removeprefix("SUMMARY:")
            head = next((head for head in heads if title.startswith(head)), "")
            line = f"SUMMARY:{head}{escape_text(series + SERIES_SEPARATOR)}{title[len(head) :]}"
        named.append(line)
    return tuple(named)


@cache
def _cancelled_heads() -> tuple[str, ...]:
    """The words before a cancelled event's title, escaped, in each language."""
    return tuple(
        escape_text(translations(language).gettext(CANCELLED_SUMMARY).split("%(summary)s")[0])
        for language in LANGUAGES
    )
