"""What a session's instants and texts must be, worked out without seminar-feed's code.

Instants come from the standard library's zoneinfo reading the tz database of the
tzdata package: the machine's own copy may be an older or newer release than the
one pytz carries, and zones do change their rules. Texts are spelled out here from
the schedule's values, so a test fails when the code's formats drift.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@cache
def zone(name: str) -> ZoneInfo:
    """The zone as the tzdata package describes it."""
    with resources.files("tzdata.zoneinfo").joinpath(*name.split("/")).open("rb") as file:
        return ZoneInfo.from_file(file, key=name)


def local(day: date, clock: time, name: str) -> datetime:
    """The aware local time; the caller makes sure it exists, and only once."""
    return datetime.combine(day, clock, tzinfo=zone(name))


def exists_once(day: date, clock: time, name: str) -> bool:
    """Whether a wall-clock time names exactly one instant in the zone."""
    first = local(day, clock, name)
    second = first.replace(fold=1)
    back = first.astimezone(timezone.utc).astimezone(zone(name))
    return first.utcoffset() == second.utcoffset() and back.replace(tzinfo=None) == first.replace(
        tzinfo=None
    )


def utc_span(day: date, clock: time, length: timedelta, name: str) -> tuple[str, str]:
    """Start and end in UTC, the end `length` of elapsed time after the start."""
    start = local(day, clock, name).astimezone(timezone.utc)
    return start.strftime(UTC_FORMAT), (start + length).strftime(UTC_FORMAT)


def local_end(day: date, clock: time, length: timedelta, name: str) -> datetime:
    """The wall-clock time at which a session ends, in its own zone."""
    start = local(day, clock, name).astimezone(timezone.utc)
    return (start + length).astimezone(zone(name))
