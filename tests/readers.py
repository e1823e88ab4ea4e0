"""Independent iCalendar parsers, each reduced to the same view of an event.

A feed that one parser accepts proves little; the interop tests read every feed
with all of these and require them to agree with each other and with what the
schedule says, as `expected_events` works it out without the code under test.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import icalendar
import ics
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from reference import utc_span
from seminar_feed.model import Schedule
from tools import run_node


@dataclass(frozen=True)
class Seen:
    """An event as a reader saw it; times are dates or UTC instants."""

    uid: str
    summary: str
    description: str
    url: str | None
    status: str
    sequence: int
    start: str
    end: str
    alarms: tuple[int, ...] = ()


def instant(value: date) -> str:
    if isinstance(value, datetime):
        assert value.tzinfo is not None, f"floating time {value}"
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def triggers(seconds_before: Iterable[int]) -> tuple[int, ...]:
    """Alarms in a fixed order: their order means nothing, and ics keeps them in a set."""
    return tuple(sorted(seconds_before))


def seconds(trigger: timedelta) -> int:
    return int(trigger.total_seconds())


def read_icalendar(path: Path) -> list[Seen]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    for component in calendar.walk():
        assert component.errors == [], f"{component.name}: {component.errors}"
    return [
        Seen(
            uid=str(event["UID"]),
            summary=str(event["SUMMARY"]),
            description=str(event.get("DESCRIPTION", "")),
            url=str(event["URL"]) if "URL" in event else None,
            status=str(event["STATUS"]),
            sequence=int(event["SEQUENCE"]),
            start=instant(event.decoded("DTSTART")),
            end=instant(event.decoded("DTEND")),
            alarms=triggers(seconds(alarm.decoded("TRIGGER")) for alarm in event.subcomponents),
        )
        for event in calendar.walk("VEVENT")
    ]


def read_vobject(path: Path) -> list[Seen]:
    # vobject keeps the first VTIMEZONE it saw for a TZID for the life of the process;
    # read each feed as a new client would, with its own zones.
    zones = vars(vobject.icalendar)["__tzidMap"]
    for tzid in [tzid for tzid in zones if tzid != "UTC"]:
        del zones[tzid]
    calendar = vobject.readOne(path.read_text(encoding="utf-8"))
    events = calendar.contents.get("vevent", [])
    return [
        Seen(
            uid=event.uid.value,
            summary=event.summary.value,
            description=event.description.value if hasattr(event, "description") else "",
            url=event.url.value if hasattr(event, "url") else None,
            status=event.status.value,
            sequence=int(event.sequence.value),
            start=instant(event.dtstart.value),
            end=instant(event.dtend.value),
            alarms=triggers(
                seconds(alarm.trigger.value) for alarm in event.contents.get("valarm", [])
            ),
        )
        for event in events
    ]


def read_ical(path: Path) -> list[Seen]:
    calendar = IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8"))
    return [
        Seen(
            uid=event.uid or "",
            summary=event.summary or "",
            description=event.description or "",
            url=event.url,
            status=str(event.status.value) if event.status else "",
            sequence=int(event.sequence or 0),
            start=instant(event.dtstart),
            end=instant(event.dtend),
            alarms=triggers(seconds(alarm.trigger) for alarm in event.alarm),
        )
        for event in calendar.events
    ]


def read_ics(path: Path) -> list[Seen]:
    calendar = ics.Calendar(path.read_text(encoding="utf-8"))
    events = sorted(calendar.events, key=lambda event: _icalendar_order(path).index(event.uid))

    def moment(value: object, all_day: bool) -> str:
        assert hasattr(value, "datetime")
        return value.datetime.date().isoformat() if all_day else instant(value.datetime)

    return [
        Seen(
            uid=event.uid,
            summary=event.name or "",
            description=event.description or "",
            url=event.url,
            status=event.status or "",
            sequence=int(next(line.value for line in event.extra if line.name == "SEQUENCE")),
            start=moment(event.begin, event.all_day),
            end=moment(event.end, event.all_day),
            alarms=triggers(seconds(alarm.trigger) for alarm in event.alarms),
        )
        for event in events
    ]


def _icalendar_order(path: Path) -> list[str]:
    # ics keeps events in a set: put them back in the order of the file.
    text = path.read_bytes().decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")
    return [line[4:] for line in text.split("\r\n") if line.startswith("UID:")]


def read_icaljs(path: Path) -> list[Seen]:
    output = run_node("read_with_icaljs.mjs", "ical.js", str(path))
    return [_seen_from_js(event) for event in json.loads(output)["events"]]


def _seen_from_js(event: dict[str, object]) -> Seen:
    def moment(value: object) -> str:
        assert isinstance(value, dict)
        if value["allDay"]:
            return str(value["local"])
        stamp = datetime.fromtimestamp(float(value["utc"]), timezone.utc)
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")

    alarms = event["alarms"]
    assert isinstance(alarms, list)
    return Seen(
        uid=str(event["uid"]),
        summary=str(event["summary"]),
        description=str(event["description"] or ""),
        url=str(event["url"]) if event["url"] else None,
        status=str(event["status"]),
        sequence=int(str(event["sequence"])),
        start=moment(event["start"]),
        end=moment(event["end"]),
        alarms=triggers(int(alarm) for alarm in alarms),
    )


def expected_events(schedule: Schedule) -> list[Seen]:
    """What every reader should see, spelled out from the schedule's values alone."""
    calendar_id = schedule.calendar.id
    seen = []
    for session in schedule.sessions:
        if session.start is None:
            start, end = session.date.isoformat(), (session.date + timedelta(days=1)).isoformat()
        else:
            assert session.timezone is not None
            start, end = utc_span(session.date, session.start, session.duration, session.timezone)
        summary = f"Week {session.week}: {session.title}"
        if session.presenter:
            summary += f" ({session.presenter})"
        paragraphs = []
        if session.cancelled:
            summary = "Cancelled: " + summary
            paragraphs.append(f"Cancelled: {session.reason}" if session.reason else "Cancelled.")
        if session.presenter:
            paragraphs.append(f"Presenter: {session.presenter}")
        paragraphs += [text for text in (session.description, session.url) if text]
        reminders = () if session.cancelled else session.reminders
        seen.append(
            Seen(
                uid=f"{session.key}.{calendar_id}@seminar-feed",
                summary=summary,
                description="\n\n".join(paragraphs),
                url=session.url,
                status="CANCELLED" if session.cancelled else "CONFIRMED",
                sequence=0,
                start=start,
                end=end,
                alarms=triggers(-int(before.total_seconds()) for before in reminders),
            )
        )
    return seen


CALENDAR_TEXTS = ("NAME", "X-WR-CALNAME", "DESCRIPTION", "X-WR-CALDESC")


def calendar_texts_icalendar(path: Path) -> dict[str, str]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {name: str(calendar[name]) for name in CALENDAR_TEXTS if name in calendar}


def calendar_texts_vobject(path: Path) -> dict[str, str]:
    calendar = vobject.readOne(path.read_text(encoding="utf-8"))
    found = {name: calendar.contents.get(name.lower()) for name in CALENDAR_TEXTS}
    return {name: lines[0].value for name, lines in found.items() if lines}


def calendar_texts_ical(path: Path) -> dict[str, str]:
    calendar = IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8"))
    # ical hands X- properties over as raw content lines, unread: only its own fields count.
    found = {"NAME": calendar.name, "DESCRIPTION": calendar.description}  # lists, one per line
    return {name: "\n".join(lines) for name, lines in found.items() if lines}


def calendar_texts_icaljs(path: Path) -> dict[str, str]:
    texts = json.loads(run_node("read_with_icaljs.mjs", "ical.js", str(path)))["texts"]
    return {name.upper(): value for name, value in texts.items() if value is not None}


CALENDAR_READERS: dict[str, Callable[[Path], dict[str, str]]] = {
    "icalendar": calendar_texts_icalendar,
    "vobject": calendar_texts_vobject,
    "ical": calendar_texts_ical,
    "ical.js": calendar_texts_icaljs,
}

READERS: dict[str, Callable[[Path], list[Seen]]] = {
    "icalendar": read_icalendar,
    "vobject": read_vobject,
    "ical": read_ical,
    "ical.js": read_icaljs,
    "ics": read_ics,
}

# ical.js runs under Node in a process of its own, and ics parses slowly: mutation runs
# deselect both ("not slow"), and the three in-process readers check the same events.
SLOW_READERS = frozenset({"ical.js", "ics"})


def reader_params(names: Iterable[str]) -> list[object]:
    """Name each reader as a test parameter, the slow ones marked `slow`."""
    return [
        pytest.param(name, marks=[pytest.mark.slow] if name in SLOW_READERS else [])
        for name in sorted(names)
    ]
