"""VTIMEZONE components in the compact form that every calendar client reads.

Outlook reduces a zone to one yearly rule, and libical rejects the RDATE lists
with comments that icalendar generates from the tz database. So each zone is
described over the years a schedule spans: one STANDARD and one DAYLIGHT
observance with a yearly RRULE where the clocks change on a fixed weekday of a
month, and one observance per change where they do not.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import NamedTuple

import pytz

from .ics import escape_text

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class _Change(NamedTuple):
    """The clocks changing: at `utc`, from offset `before` to `after`."""

    utc: datetime
    before: timedelta
    after: timedelta
    abbreviation: str
    dst: bool

    @property
    def local(self) -> datetime:
        """The wall-clock time at which the change happens, as RFC 5545 wants it."""
        return self.utc + self.before


@lru_cache(maxsize=16)  # the page asks for one session's instants three times in a row
def session_instants(
    day: date, start: time, length: timedelta, zone_name: str
) -> tuple[datetime, datetime]:
    """Give when a timed session starts and ends, in its zone; the end is `length` of
    elapsed time later, whatever the clocks do in between."""
    zone = pytz.timezone(zone_name)
    begins = zone.localize(datetime.combine(day, start))
    return begins, zone.normalize(begins + length)


def occurs_twice(moment: datetime, zone_name: str) -> bool:
    """Say whether the wall-clock time of `moment` happens twice in the zone, as it does
    in the hour after the clocks go back: such a local time names no single instant."""
    try:
        pytz.timezone(zone_name).localize(moment.replace(tzinfo=None), is_dst=None)
    except pytz.AmbiguousTimeError:
        return True
    return False


def timezone_lines(name: str, first_year: int, last_year: int) -> list[str]:
    """Describe zone `name` correctly for every date from first_year to last_year, as the
    content lines of a VTIMEZONE."""
    zone = pytz.timezone(name)
    # A year of lead-in puts the observance in force on 1 January before it.
    start, end = datetime(first_year - 1, 1, 1), datetime(last_year + 1, 1, 1)
    changes = list(_changes(zone, start, end))
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]
    years = last_year - first_year + 2
    groups = {dst: [change for change in changes if change.dst == dst] for dst in (False, True)}
    rules = {dst: _yearly_rule(group, years) for dst, group in groups.items()}
    if not changes or None in rules.values():
        # Without a rule for every year, say what holds before the first change.
        offset, abbreviation, dst = _state(zone, start)
        lines += _observance(dst, start, offset, offset, abbreviation, None)
    for dst, rule in rules.items() if changes else ():
        for change in groups[dst][:1] if rule is not None else groups[dst]:
            lines += _observance(
                dst, change.local, change.before, change.after, change.abbreviation, rule
            )
    return [*lines, "END:VTIMEZONE"]


def _observance(
    dst: bool,
    local: datetime,
    before: timedelta,
    after: timedelta,
    abbreviation: str,
    rule: str | None,
) -> list[str]:
    kind = "DAYLIGHT" if dst else "STANDARD"
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{local:%Y%m%dT%H%M%S}",
        *([f"RRULE:{rule}"] if rule else []),
        f"TZNAME:{escape_text(abbreviation)}",
        f"TZOFFSETFROM:{_offset(before)}",
        f"TZOFFSETTO:{_offset(after)}",
        f"END:{kind}",
    ]


def _offset(offset: timedelta) -> str:
    """Write a UTC offset as RFC 5545 does: +0530, with seconds only when it has them."""
    sign = "-" if offset < timedelta(0) else "+"
    hours, rest = divmod(abs(int(offset.total_seconds())), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _state(zone: tzinfo, utc: datetime) -> tuple[timedelta, str, bool]:
    local = pytz.utc.localize(utc).astimezone(zone)
    return local.utcoffset() or timedelta(0), local.tzname() or "", bool(local.dst())


def _changes(zone: tzinfo, start: datetime, end: datetime) -> Iterator[_Change]:
    """Find every change of offset or name between start and end (naive UTC).

    Clocks change months apart, so a week at a time finds every change; the
    moment of each is then narrowed down to the second.
    """
    step = timedelta(weeks=1)
    moment, state = start, _state(zone, start)
    while moment < end:
        following = _state(zone, moment + step)
        if following != state:
            low, high = moment, moment + step
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _state(zone, middle) == state:
                    low = middle
                else:
                    high = middle
            after = _state(zone, high)
            yield _Change(high.replace(microsecond=0), state[0], after[0], after[1], after[2])
            state = after
        moment += step


def _yearly_rule(group: list[_Change], years: int) -> str | None:
    """The RRULE that yields exactly these changes, one a year, if there is one."""
    if len(group) != years:
        return None
    first = group[0]
    same = all(
        (c.local.month, c.local.time(), c.local.weekday(), c.before, c.after, c.abbreviation)
        == (first.local.month, first.local.time(), first.local.weekday(),
            first.before, first.after, first.abbreviation)
        and c.local.year == first.local.year + index
        for index, c in enumerate(group)
    )  # fmt: skip
    if not same:
        return None
    nth = {(c.local.day - 1) // 7 + 1 for c in group}
    last = all(c.local.day + 7 > calendar.monthrange(c.local.year, c.local.month)[1] for c in group)
    if last:
        ordinal = -1
    elif len(nth) == 1:
        ordinal = nth.pop()
    else:
        return None
    weekday = WEEKDAYS[first.local.weekday()]
    return f"FREQ=YEARLY;BYDAY={ordinal}{weekday};BYMONTH={first.local.month}"
