"""Read the feed a build is about to replace, so revisions carry over."""

from __future__ import annotations

from icalendar import Calendar, Event

from .errors import FeedError, Where
from .feed import PRODID

START_AFRESH = "or pass --previous none to start afresh (every event then counts as new)"


def read_previous_feed(data: bytes, *, source: str) -> dict[str, Event]:
    """Map each event UID of a feed we wrote to its event; raise FeedError otherwise."""
    where = Where(source)
    try:
        calendars = Calendar.from_ical(data, multiple=True)
    except ValueError as error:
        raise FeedError(where, f"cannot be read as iCalendar ({error}); {START_AFRESH}") from None
    if len(calendars) != 1 or str(calendars[0].get("PRODID", "")) != PRODID:
        raise FeedError(where, f"was not written by seminar-feed; name another file {START_AFRESH}")
    calendar = calendars[0]
    events: dict[str, Event] = {}
    for component in calendar.walk():
        if component.errors:
            raise FeedError(where, f"is damaged ({component.errors[0][1]}); {START_AFRESH}")
        if component.name != "VEVENT":
            continue
        uid = str(component.get("UID", ""))
        if not uid or uid in events or "DTSTART" not in component:
            raise FeedError(where, f"has an event without a unique UID or start; {START_AFRESH}")
        try:
            int(component.get("SEQUENCE", 0))
        except ValueError:
            raise FeedError(where, f"has an event with a bad SEQUENCE; {START_AFRESH}") from None
        events[uid] = Event(component)
    return events
