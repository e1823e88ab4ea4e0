"""Read the feed a build is about to replace, so revisions carry over.

Only feeds this tool wrote are accepted, so the events are compared as the
exact content lines we wrote: no round trip through a parser can make an
unchanged session look changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import FeedError, Where
from .ics import PRODID, split_line, unfold

REVISION_PROPERTIES = ("DTSTAMP", "LAST-MODIFIED", "SEQUENCE")
START_AFRESH = "or pass --previous none to start afresh (every event then counts as new)"


@dataclass(frozen=True)
class PublishedEvent:
    """An event as a published feed holds it."""

    uid: str
    lines: tuple[str, ...]  # unfolded, between BEGIN:VEVENT and END:VEVENT, no revision
    revision: tuple[str, ...]  # the DTSTAMP, LAST-MODIFIED and SEQUENCE lines as written
    sequence: int


def read_previous_feed(data: bytes, *, source: str) -> dict[str, PublishedEvent]:
    """Map each event UID of a feed we wrote to its event; raise FeedError otherwise."""
    where = Where(source)
    try:
        lines = unfold(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise FeedError(where, f"is not UTF-8 text; {START_AFRESH}") from None
    if lines[:1] != ["BEGIN:VCALENDAR"] or f"PRODID:{PRODID}" not in lines:
        raise FeedError(where, f"was not written by seminar-feed; name another file {START_AFRESH}")
    if lines[-1] != "END:VCALENDAR":
        raise FeedError(where, f"is cut short; {START_AFRESH}")
    events: dict[str, PublishedEvent] = {}
    block: list[str] | None = None
    for line in lines:
        if line == "BEGIN:VEVENT":
            block = []
        elif line == "END:VEVENT" and block is not None:
            event = _event(block, where)
            if event.uid in events:
                raise FeedError(where, f"has two events with UID {event.uid}; {START_AFRESH}")
            events[event.uid] = event
            block = None
        elif block is not None:
            block.append(line)
    if block is not None:
        raise FeedError(where, f"is cut short inside an event; {START_AFRESH}")
    return events


def _event(block: list[str], where: Where) -> PublishedEvent:
    content, revision, depth = [], [], 0
    uid, sequence = "", 0
    for line in block:
        name, _, value = split_line(line)
        depth += (name == "BEGIN") - (name == "END")
        if depth == 0 and name in REVISION_PROPERTIES:
            revision.append(line)
            if name == "SEQUENCE":
                if not value.isdigit():
                    raise FeedError(where, f"has an event with SEQUENCE {value!r}; {START_AFRESH}")
                sequence = int(value)
            continue
        if depth == 0 and name == "UID":
            uid = value
        content.append(line)
    if not uid:
        raise FeedError(where, f"has an event without a UID; {START_AFRESH}")
    return PublishedEvent(uid, tuple(content), tuple(revision), sequence)
