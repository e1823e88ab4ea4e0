"""Independent iCalendar parsers, each reduced to the same view of an event.

A feed that one parser accepts proves little; the interop tests read every feed
with all of these and require them to agree with each other and the schedule.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytz
import vobject
from ical.calendar_stream import IcsCalendarStream

from seminar_feed.feed import session_description, session_summary, session_uid
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
            alarms=tuple(seconds(alarm.decoded("TRIGGER")) for alarm in event.subcomponents),
        )
        for event in calendar.walk("VEVENT")
    ]


def read_vobject(path: Path) -> list[Seen]:
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
            alarms=tuple(
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
            alarms=tuple(seconds(alarm.trigger) for alarm in event.alarm),
        )
        for event in calendar.events
    ]


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
        alarms=tuple(int(alarm) for alarm in alarms),
    )


def expected_events(schedule: Schedule) -> list[Seen]:
    """What every reader should see, worked out from the model with pytz alone."""
    seen = []
    for session in schedule.sessions:
        if session.start is None:
            start, end = session.date.isoformat(), (session.date + timedelta(days=1)).isoformat()
        else:
            assert session.timezone is not None
            local = datetime.combine(session.date, session.start)
            begins = pytz.timezone(session.timezone).localize(local).astimezone(timezone.utc)
            start = begins.strftime("%Y-%m-%dT%H:%M:%SZ")
            end = (begins + session.duration).strftime("%Y-%m-%dT%H:%M:%SZ")
        reminders = () if session.cancelled else session.reminders
        seen.append(
            Seen(
                uid=session_uid(schedule, session),
                summary=session_summary(session),
                description=session_description(session),
                url=session.url,
                status="CANCELLED" if session.cancelled else "CONFIRMED",
                sequence=0,
                start=start,
                end=end,
                alarms=tuple(-int(before.total_seconds()) for before in reminders),
            )
        )
    return seen


READERS: dict[str, Callable[[Path], list[Seen]]] = {
    "icalendar": read_icalendar,
    "vobject": read_vobject,
    "ical": read_ical,
    "ical.js": read_icaljs,
}
