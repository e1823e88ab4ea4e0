"""Read the feed a build is about to replace, so revisions carry over.

Events are compared as content lines in one canonical form (names in capitals,
parameters quoted only where they must be, no blanks at line ends), never
through a parser's objects, so an unchanged session rebuilds to the same bytes.
Reading is as lenient as calendar software about case, line ends and folding,
and strict about everything the next feed carries over or counts on: a feed
that cannot be read safely is refused at its line, never taken as a fresh start.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import MappingProxyType

import pytz

from .errors import FeedError, Where
from .ics import PRODID, UID_DOMAIN, basic_moment, format_line, parse_line, unescape_text, unfold

REVISION_PROPERTIES = ("DTSTAMP", "LAST-MODIFIED", "SEQUENCE")
REQUIRED = ("UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY")
ONCE_AT_MOST = ("LAST-MODIFIED",)
DROPPED = "X-SEMINAR-FEED-DROPPED"  # a calendar property: one per UID left out of the feed
DROPPED_SEQUENCE, DROPPED_STAMP = "X-SEQUENCE", "X-DTSTAMP"
# A group's combined feed: one per series, its calendar id and the file it is built from.
SERIES_SOURCE, SOURCE_CALENDAR = "X-SEMINAR-FEED-SERIES", "X-CALENDAR"
# What each component may contain in a feed we wrote; VTIMEZONEs are written afresh.
CHILDREN = {"VCALENDAR": ("VEVENT", "VTIMEZONE"), "VEVENT": ("VALARM",)}
MAX_SEQUENCE = 2**31 - 2  # RFC 5545 integers stop at 2**31 - 1, and a change adds one
LAST_STAMP = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)  # iCalendar's last second
YEARS = range(1000, 9999)  # years whose time zones can be written (zones.py adds one each side)
UTC_TIME = re.compile(r"[0-9]{8}T[0-9]{6}Z")
LOCAL_TIME = re.compile(r"[0-9]{8}T[0-9]{6}")
DATE = re.compile(r"[0-9]{8}")
DIGITS = re.compile(r"[0-9]{1,10}")
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # RFC 5545 allows a tab, nothing else
OUR_UID = re.compile(rf"[a-z0-9-]+\.([a-z0-9-]+)@{re.escape(UID_DOMAIN)}")  # and its calendar
MAX_BYTES = 10_000_000  # ten times what Google Calendar accepts; bounds time and memory
NO_PARAMETERS: Mapping[str, str] = MappingProxyType({})
START_AFRESH = "or pass --previous none to start afresh (every event then counts as new)"
RESTORE = f"restore the feed as it was published, {START_AFRESH}"
FOREIGN = f"name another file {START_AFRESH}"


@dataclass(frozen=True)
class Revision:
    """What subscribers hold of an event: its SEQUENCE and when it last changed."""

    sequence: int
    stamp: datetime  # DTSTAMP, in UTC
    modified: datetime  # LAST-MODIFIED, or DTSTAMP where there is none

    @property
    def latest(self) -> datetime:
        """The last instant this event was stamped with; a change must come after it."""
        return max(self.stamp, self.modified)


@dataclass(frozen=True)
class PublishedEvent:
    """An event as a published feed holds it."""

    uid: str
    lines: tuple[str, ...]  # canonical, between BEGIN:VEVENT and END:VEVENT, no revision
    revision: Revision
    revision_lines: tuple[str, ...]  # canonical, as written: kept while the event is unchanged


@dataclass(frozen=True)
class PublishedFeed:
    """The events of a published feed, and the UIDs it left out but must not reuse lower."""

    events: Mapping[str, PublishedEvent]
    dropped: Mapping[str, Revision]
    # A combined feed's series by the name of the file each was built from.
    sources: Mapping[str, str] = field(default_factory=dict)
    # The calendar's own lines before its first component, canonical: its name and marks.
    header: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)  # slots: a feed may run to a million lines
class _Line:
    number: int  # the line of the file it starts on
    text: str  # canonical
    found: str  # as the file has it, for messages
    name: str
    parameters: Mapping[str, str]
    value: str


def read_previous_feed(
    data: bytes, *, source: str, calendar: str | AbstractSet[str]
) -> PublishedFeed:
    """Read the feed we wrote of `calendar`, edited or not; raise FeedError where it cannot be
    read safely. A group's combined feed holds the events of several calendars: one of
    them is enough."""
    if len(data) > MAX_BYTES:
        raise FeedError(
            Where(source),
            f"is over {MAX_BYTES // 1_000_000} MB, more than any calendar reads "
            f"(Google Calendar stops at 1 MB); {FOREIGN}",
        )
    lines = _lines(data, source)
    first = lines[0]
    if (first.name, first.value.upper()) != ("BEGIN", "VCALENDAR"):
        raise _error(source, first, f"expected BEGIN:VCALENDAR, got {_shown(first.found)}", FOREIGN)
    if not any(line.name == "PRODID" and line.value.upper() == PRODID.upper() for line in lines):
        raise FeedError(Where(source), f"was not written by seminar-feed; {FOREIGN}")
    if not any(line.name == "X-WR-CALNAME" for line in lines):
        # A single session's file: read as the feed, every other session would look new.
        raise FeedError(Where(source), f"is a single session's file, not the feed; {FOREIGN}")
    events: dict[str, PublishedEvent] = {}
    dropped: dict[str, tuple[_Line, Revision]] = {}
    sources: dict[str, str] = {}
    starts: dict[str, _Line] = {}
    opened = [first]  # the components open at this line, outermost first
    block: list[_Line] = []  # the lines of the event being read
    header: list[str] = []
    in_header = True  # until the first component begins
    for line in lines[1:]:
        in_header = in_header and line.name not in ("BEGIN", "END")
        if in_header:
            header.append(line.text)
        if not opened:
            raise _error(
                source, line, f"expected nothing after END:VCALENDAR, got {_shown(line.found)}"
            )
        inside = opened[-1].value.upper()
        if line.name == "BEGIN":
            kind = line.value.upper()
            allowed = CHILDREN.get(inside)
            if allowed is not None and kind not in allowed:
                expected = " or ".join(f"BEGIN:{child}" for child in allowed)
                raise _error(source, line, f"expected {expected} inside {inside}, got {line.text}")
            opened.append(line)
            if kind == "VEVENT":
                block = []
                continue
        elif line.name == "END":
            if line.value.upper() != inside:
                begun = opened[-1]
                raise _error(
                    source,
                    line,
                    f"expected END:{inside} to close line {begun.number}, got {_shown(line.found)}",
                )
            begun = opened.pop()
            if inside == "VEVENT":
                event = _event(source, begun, block)
                if event.uid in events:
                    other = starts[event.uid].number
                    raise _error(
                        source,
                        begun,
                        f"expected one event with UID {event.uid}, found a second "
                        f"(the first begins at line {other})",
                    )
                events[event.uid], starts[event.uid] = event, begun
                continue
        if len(opened) > 1 and opened[1].value.upper() == "VEVENT":
            block.append(line)
        elif len(opened) == 1 and line.name == DROPPED:
            uid, revision = _dropped(source, line)
            if uid in dropped:
                raise _error(source, line, f"expected {DROPPED} once for {uid}, found it twice")
            dropped[uid] = (line, revision)
        elif len(opened) == 1 and line.name == SERIES_SOURCE:
            calendar_id = line.parameters.get(SOURCE_CALENDAR)
            if calendar_id:  # a mark only this tool writes; one without an id tells nothing
                sources[unescape_text(line.value)] = calendar_id
    if opened:
        raise _error(
            source,
            lines[-1],
            f"the feed is cut short: expected END:{opened[-1].value.upper()} to close line "
            f"{opened[-1].number}, got the end of the file",
        )
    for uid, (line, _) in dropped.items():
        if uid in events:
            raise _error(source, line, f"expected {uid} either in the feed or dropped, not both")
    _check_calendar(source, events, calendar)
    revisions = {uid: revision for uid, (_, revision) in dropped.items()}
    return PublishedFeed(events, revisions, sources, tuple(header))


def _check_calendar(
    source: str, events: Mapping[str, PublishedEvent], calendar: str | AbstractSet[str]
) -> None:
    """Refuse another calendar's feed, whose events would all be kept here as cancelled."""
    calendars = {found.group(1) for found in map(OUR_UID.fullmatch, events) if found}
    expected = {calendar} if isinstance(calendar, str) else calendar
    if calendars and expected and not calendars & expected:
        others = ", ".join(map(repr, sorted(calendars)))
        wanted = " or ".join(map(repr, sorted(expected)))
        raise FeedError(
            Where(source),
            f"expected the feed of calendar {wanted}, got the feed of {others}; {FOREIGN}",
        )


def _lines(data: bytes, source: str) -> list[_Line]:
    """Decode, unfold and take apart every content line, in the file's order."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        found = f"byte 0x{data[error.start]:02X} on line {line}"
        raise FeedError(Where(source), f"is not UTF-8 text ({found}); {RESTORE}") from None
    lines = []
    for number, raw in unfold(text):
        text = raw.rstrip(" \t")
        if not text:
            continue
        control = CONTROL.search(text)
        if control is not None:
            message = f"expected text, got the control character U+{ord(control.group()):04X}"
            raise FeedError(Where(source, number, 1), f"{message}; {RESTORE}")
        try:
            parsed = parse_line(text)
        except ValueError:
            message = f"expected a content line like NAME:value, got {_shown(text)}"
            raise FeedError(Where(source, number, 1), f"{message}; {RESTORE}") from None
        canonical = format_line(parsed)
        parameters = {key: ",".join(values) for key, values in parsed.parameters}
        lines.append(
            _Line(
                number,
                text if canonical == text else canonical,  # one string where they agree
                text,
                parsed.name,
                parameters or NO_PARAMETERS,
                parsed.value,
            )
        )
    if not lines:
        raise FeedError(Where(source), f"is empty; {RESTORE}")
    return lines


def _event(source: str, begin: _Line, block: list[_Line]) -> PublishedEvent:
    """Check that an event holds what the next feed needs of it, and keep its lines."""
    own: dict[str, list[_Line]] = {}
    content, revision_lines = [], []
    depth = 0  # above 0 from an alarm's BEGIN to its END
    for line in block:
        depth += line.name == "BEGIN"
        if "TZID" in line.parameters and (depth or line.name not in ("DTSTART", "DTEND")):
            raise _error(source, line, f"expected TZID only on DTSTART and DTEND, got {line.name}")
        if depth == 0:
            own.setdefault(line.name, []).append(line)
            if line.name in REVISION_PROPERTIES:
                revision_lines.append(line.text)
                continue
        content.append(line.text)
        depth -= line.name == "END"
    if "DURATION" in own:
        line = own["DURATION"][0]
        raise _error(source, line, "expected DTEND, got DURATION: seminar-feed writes DTEND")
    for name in REQUIRED:
        if name not in own:
            raise _error(source, begin, f"expected {name} in the event that begins here, got none")
    for name in REQUIRED + ONCE_AT_MOST:
        if len(own.get(name, ())) > 1:
            raise _error(source, own[name][1], f"expected one {name} in the event, got a second")
    _check_uid(source, own["UID"][0])
    start, end = own["DTSTART"][0], own["DTEND"][0]
    if _moment(source, start) != _moment(source, end):
        raise _error(source, end, "expected DTEND to be a date if and only if DTSTART is one")
    if start.parameters == end.parameters and end.value <= start.value:
        raise _error(source, end, f"expected DTEND after DTSTART {start.value}, got {end.value}")
    stamp = _utc(source, own["DTSTAMP"][0])
    modified = stamp
    if "LAST-MODIFIED" in own:
        modified = _utc(source, own["LAST-MODIFIED"][0])
    else:  # we always write both; the same instant, as we would have
        revision_lines.append(f"LAST-MODIFIED:{own['DTSTAMP'][0].value}")
    sequence = _sequence(source, own["SEQUENCE"][0], own["SEQUENCE"][0].value)
    revision = Revision(sequence, stamp, modified)
    return PublishedEvent(own["UID"][0].value, tuple(content), revision, tuple(revision_lines))


def _dropped(source: str, line: _Line) -> tuple[str, Revision]:
    """Read the mark of a UID left out of the feed with --drop-removed."""
    _check_uid(source, line)
    if DROPPED_SEQUENCE not in line.parameters or DROPPED_STAMP not in line.parameters:
        raise _error(
            source,
            line,
            f"expected {DROPPED};{DROPPED_SEQUENCE}=<n>;{DROPPED_STAMP}=<time>:<uid>, "
            f"got {_shown(line.found)}",
        )
    sequence = _sequence(source, line, line.parameters[DROPPED_SEQUENCE])
    stamp = _utc_value(source, line, DROPPED_STAMP, line.parameters[DROPPED_STAMP])
    return line.value, Revision(sequence, stamp, stamp)


def _check_uid(source: str, line: _Line) -> None:
    if not line.value:
        raise _error(source, line, "expected a UID, got an empty one")
    lowered = line.value.lower()
    if lowered != line.value and OUR_UID.fullmatch(lowered):
        # UIDs are case-sensitive: read as written, every session would look new.
        raise _error(
            source,
            line,
            f"expected the UID in lowercase as seminar-feed writes it, got "
            f"{_shown(line.value)}: write it as {lowered}",
        )


def _sequence(source: str, line: _Line, value: str) -> int:
    if DIGITS.fullmatch(value) is None or int(value) > MAX_SEQUENCE:
        raise _error(
            source,
            line,
            f"expected SEQUENCE to be a whole number from 0 to {MAX_SEQUENCE}, got {_shown(value)}",
        )
    return int(value)


def _utc(source: str, line: _Line) -> datetime:
    return _utc_value(source, line, line.name, line.value)


def _utc_value(source: str, line: _Line, name: str, value: str) -> datetime:
    """Read a UTC time like 20260601T090000Z."""
    message = f"expected {name} to be a UTC time like 20260601T090000Z, got {_shown(value)}"
    if not UTC_TIME.fullmatch(value):
        raise _error(source, line, message)
    try:
        return basic_moment(value.removesuffix("Z")).replace(tzinfo=timezone.utc)
    except ValueError:
        raise _error(source, line, message) from None


def _moment(source: str, line: _Line) -> bool:
    """Check a DTSTART or DTEND as the next feed would carry it over; say if it is a date."""
    value, parameters = line.value, line.parameters
    zone = parameters.get("TZID")
    kind = parameters.get("VALUE", "DATE-TIME")
    if not (
        (kind == "DATE" and zone is None and DATE.fullmatch(value))
        or (kind == "DATE-TIME" and zone is not None and LOCAL_TIME.fullmatch(value))
        or (kind == "DATE-TIME" and zone is None and UTC_TIME.fullmatch(value))
    ):
        raise _error(
            source,
            line,
            f"expected {line.name} to be a date (VALUE=DATE:20260706), a zoned time "
            f"(TZID=Asia/Seoul:20260706T190000) or a UTC time (20260706T100000Z), "
            f"got {_shown(line.found)}",
        )
    try:
        year = basic_moment(value.removesuffix("Z")).year
    except ValueError:
        year = None
    if year not in YEARS:
        raise _error(
            source,
            line,
            f"expected {line.name} to be a real date from {YEARS[0]} to {YEARS[-1]}, "
            f"got {_shown(value)}",
        )
    if zone is not None and zone not in pytz.all_timezones_set:
        raise _error(source, line, f"expected an IANA time zone in TZID, got {_shown(zone)}")
    return kind == "DATE"


def _error(source: str, line: _Line, message: str, hint: str = RESTORE) -> FeedError:
    return FeedError(Where(source, line.number, 1), f"{message}; {hint}")


def _shown(text: str) -> str:
    """Quote what was found, cut short: a line may run to thousands of characters."""
    return repr(text if len(text) <= 100 else text[:97] + "...")
