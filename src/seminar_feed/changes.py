"""What a subscriber will see change in an event, said in the schedule's own words.

A build has only the previous feed to compare with, so an event's schedule fields
are read back from the lines this tool writes: the week and title from SUMMARY,
the presenter from its paragraph of DESCRIPTION, the description from between the
paragraphs the feed adds, the time and length from DTSTART and DTEND, the video
call from CONFERENCE and the materials from ATTACH with their titles from the
description. The feed's words are read in every language the tool speaks, since
the previous feed may have been written before the schedule changed its language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

import pytz

from .ics import basic_moment, split_line, unescape_text
from .language import (
    CANCELLED,
    CANCELLED_REASON,
    CANCELLED_SUMMARY,
    JOIN_ONLINE_LINE,
    MATERIALS,
    PRESENTER,
    WEEK,
    written_forms,
)
from .model import Material, Session

# In the order the report lists them; the first ones are shown with their values.
SHOWN = ("week", "date", "time", "timezone", "duration", "title", "presenter", "location",
         "online")  # fmt: skip
NAMED = ("description", "link", "materials", "reminders", "reason")
QUOTED = ("title", "presenter", "location")
# A cancelled event loses its reminders and video call and gains its reason.
SHOWN_LINK_CHARACTERS = 60
FOLLOW_STATUS = ("reminders", "reason", "online")


def describe_change(old_lines: Iterable[str], new_lines: Iterable[str]) -> tuple[str, ...]:
    """Name each schedule field that differs between two versions of an event."""
    old, new = read_event(old_lines), read_event(new_lines)
    # Cancelling (or restoring) says all that follows from it.
    status_changed = old.cancelled != new.cancelled
    details = [
        f"{field} {_shown(field, getattr(old, field))} → {_shown(field, getattr(new, field))}"
        for field in SHOWN
        if getattr(old, field) != getattr(new, field)
        and not _follows_time(field, old, new)
        and not (status_changed and field in FOLLOW_STATUS)
    ]
    if status_changed:
        details.append("cancelled" if new.cancelled else "restored")
    for field in NAMED:
        changed = getattr(old, field) != getattr(new, field)
        if changed and not (status_changed and field in FOLLOW_STATUS):
            details.append(field)
    return tuple(details) or ("details",)


def removed_session(key: str, lines: Iterable[str]) -> Session:
    """Read back, as a cancelled session, one that left the schedule but stays in the feed."""
    return replace(published_session(key, lines), cancelled=True)


def published_session(key: str, lines: Iterable[str]) -> Session:
    """Read a session back from its event, cancelled or not as the event says."""
    event = read_event(lines)
    start = time.fromisoformat(event.time) if event.time else None
    return Session(
        week=event.week or 0,
        key=key,
        date=date.fromisoformat(event.date),
        title=event.title,
        presenter=event.presenter,
        description=event.description,
        url=event.link,
        start=start,
        duration=event.duration or timedelta(hours=1),
        timezone=event.timezone,
        location=event.location,
        online=event.online,
        materials=tuple(Material(title, url) for title, url in event.materials),
        cancelled=event.cancelled,
        reason=event.reason,
    )


class EventFields(NamedTuple):
    """An event's schedule fields, as read back from its lines."""

    week: int | None
    date: str
    time: str | None
    timezone: str | None
    duration: timedelta | None
    title: str
    presenter: str | None
    location: str | None
    description: str | None
    link: str | None
    online: str | None
    materials: tuple[tuple[str, str], ...]  # each title and link
    reminders: tuple[str, ...]
    reason: str | None
    cancelled: bool


def _follows_time(field: str, old: EventFields, new: EventFields) -> bool:
    # A zone and a length belong to a time of day: going to or from all day says it all.
    return field in ("timezone", "duration") and None in (old.time, new.time)


def _shown(field: str, value: object) -> str:
    if value is None:
        return "all day" if field == "time" else "none"
    if isinstance(value, timedelta):
        hours, minutes = divmod(int(value.total_seconds()) // 60, 60)
        return f"{hours}h" * bool(hours) + f"{minutes}m" * bool(minutes or not hours)
    text = str(value)
    if field == "online" and len(text) > SHOWN_LINK_CHARACTERS:
        # A link may be 2,000 characters long; its host and its end (a meeting's number,
        # often) tell it from the other.
        half = SHOWN_LINK_CHARACTERS // 2
        text = f"{text[:half]}…{text[-half:]}"
    return repr(text) if field in QUOTED else text


def read_event(lines: Iterable[str]) -> EventFields:
    """Read the schedule's fields back from an event's content lines."""
    properties: dict[str, tuple[dict[str, str], str]] = {}
    triggers, attached, depth = [], [], 0
    for line in lines:
        name, parameters, value = split_line(line)
        depth += name == "BEGIN"
        if depth == 0 and name == "ATTACH":
            attached.append(value)
        elif depth == 0:
            properties[name] = (parameters, value)
        elif name == "TRIGGER":
            triggers.append(value)
        depth -= name == "END"

    def text(name: str) -> str | None:
        return unescape_text(properties[name][1]) if name in properties else None

    cancelled = text("STATUS") == "CANCELLED"
    link = text("URL")
    paragraphs = (text("DESCRIPTION") or "").split("\n\n")
    reason = None
    if cancelled and _read(CANCELLED, paragraphs[0]) is not None:
        paragraphs.pop(0)
    elif cancelled and (said := _read(CANCELLED_REASON, paragraphs[0])) is not None:
        paragraphs.pop(0)
        reason = said["reason"].strip() or None
    said = _read(PRESENTER, paragraphs[0]) if paragraphs else None
    presenter = said["presenter"] if said is not None else None
    if said is not None:
        paragraphs.pop(0)
    if link is not None and paragraphs[-1:] == [link]:
        paragraphs.pop()
    materials = tuple((url, url) for url in attached)
    heading, _, listed = paragraphs[-1].partition("\n") if paragraphs else ("", "", "")
    if attached and listed and _read(MATERIALS, heading) is not None:
        materials = _titled(attached, listed.split("\n"))
        paragraphs.pop()
    online = properties["CONFERENCE"][1] if "CONFERENCE" in properties else None
    join = _read(JOIN_ONLINE_LINE, paragraphs[-1]) if paragraphs else None
    if online is not None and join is not None and join["link"] == online:
        paragraphs.pop()
    location = text("LOCATION")
    title = text("SUMMARY") or ""
    if cancelled and (said := _read(CANCELLED_SUMMARY, title)) is not None:
        title = said["summary"]
    week = _read(WEEK, title)
    title = week["title"] if week is not None else title
    if presenter is not None:
        title = title.removesuffix(f" ({presenter})")
    start, end = properties.get("DTSTART", ({}, "")), properties.get("DTEND")
    timed = "T" in start[1]
    return EventFields(
        week=int(week["week"]) if week is not None else None,
        date=f"{start[1][:4]}-{start[1][4:6]}-{start[1][6:8]}",
        time=f"{start[1][9:11]}:{start[1][11:13]}" if timed else None,
        timezone=start[0].get("TZID", "UTC") if timed else None,
        duration=_instant(*end) - _instant(*start) if end and timed else None,
        title=title,
        presenter=presenter,
        location=None if location == online else location,
        description="\n\n".join(paragraphs) or None,
        link=link,
        online=online,
        materials=materials,
        reminders=tuple(triggers),
        reason=reason,
        cancelled=cancelled,
    )


def _titled(urls: list[str], lines: list[str]) -> tuple[tuple[str, str], ...]:
    """Pair each attached link with its title from the description's line for it."""
    titles = {line.rpartition(": ")[2]: line.rpartition(": ")[0] for line in lines}
    return tuple((titles.get(url) or url, url) for url in urls)


def _read(message: str, text: str) -> dict[str, str] | None:
    """Give the values in `text` if it was written from `message`, in any language."""
    for form in written_forms(message):
        found = form.fullmatch(text)
        if found is not None:
            return found.groupdict()
    return None


def _instant(parameters: dict[str, str], value: str) -> datetime:
    moment = basic_moment(value.removesuffix("Z"))
    zone = pytz.timezone(parameters.get("TZID", "UTC"))
    return zone.localize(moment).astimezone(pytz.utc)
