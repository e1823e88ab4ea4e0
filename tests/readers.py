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
    location: str | None = None
    conference: tuple[Conference, ...] = ()
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conference:
    """A video call as RFC 7986 describes it: its link, what it offers and its label."""

    uri: str
    feature: str
    label: str


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
            location=str(event["LOCATION"]) if "LOCATION" in event else None,
            conference=tuple(
                Conference(str(line), line.params["FEATURE"], line.params["LABEL"])
                for line in _all(event.get("CONFERENCE"))
            ),
            attachments=tuple(str(line) for line in _all(event.get("ATTACH"))),
        )
        for event in calendar.walk("VEVENT")
    ]


def _all(value: object) -> list[object]:
    """icalendar gives a property written once as itself, written more as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


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
            location=event.location.value if hasattr(event, "location") else None,
            conference=tuple(
                Conference(line.value, *line.params["FEATURE"], *line.params["LABEL"])
                for line in event.contents.get("conference", [])
            ),
            attachments=tuple(line.value for line in event.contents.get("attach", [])),
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
            location=event.location,
            conference=tuple(
                Conference(
                    line.uri, ",".join(f.value for f in line.feature or ()), line.label or ""
                )
                for line in event.conference
            ),
            attachments=tuple(line.uri or "" for line in event.attach),
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
            location=event.location,
            # ics keeps what it does not know as raw lines, with their parameters read.
            conference=tuple(
                Conference(line.value, *line.params["FEATURE"], *line.params["LABEL"])
                for line in event.extra
                if line.name == "CONFERENCE"
            ),
            attachments=tuple(line.value for line in event.extra if line.name == "ATTACH"),
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

    alarms, conference, attachments = event["alarms"], event["conference"], event["attachments"]
    assert isinstance(alarms, list)
    assert isinstance(conference, list)
    assert isinstance(attachments, list)
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
        location=str(event["location"]) if event["location"] is not None else None,
        conference=tuple(
            Conference(line["uri"], line["feature"], line["label"]) for line in conference
        ),
        attachments=tuple(str(uri) for uri in attachments),
    )


# The feed's words in each language, spelled out here rather than read from the catalogs:
# the week and title, the prefix of a cancelled title, a reason, no reason, the presenter,
# the video call's line and the heading of the materials.
WORDS = {
    "en": ("Week {}: {}", "Cancelled: ", "Cancelled: {}", "Cancelled.", "Presenter: {}",
           "Join online: {}", "Materials:"),
    "ko": ("{}주차: {}", "취소됨: ", "취소됨: {}", "취소됨.", "발표자: {}",
           "온라인 참여: {}", "자료:"),
}  # fmt: skip


def expected_events(schedule: Schedule) -> list[Seen]:
    """What every reader should see, spelled out from the schedule's values alone."""
    calendar_id = schedule.calendar.id
    words = WORDS[schedule.calendar.language]
    week, cancelled, because, plainly, presenter, join, materials = words
    seen = []
    for session in schedule.sessions:
        if session.start is None:
            start, end = session.date.isoformat(), (session.date + timedelta(days=1)).isoformat()
        else:
            assert session.timezone is not None
            start, end = utc_span(session.date, session.start, session.duration, session.timezone)
        summary = week.format(session.week, session.title)
        if session.presenter:
            summary += f" ({session.presenter})"
        paragraphs = []
        if session.cancelled:
            summary = cancelled + summary
            paragraphs.append(because.format(session.reason) if session.reason else plainly)
        if session.presenter:
            paragraphs.append(presenter.format(session.presenter))
        if session.description:
            paragraphs.append(session.description)
        # A cancelled session offers no call to join.
        call = None if session.cancelled else session.online
        if call:
            paragraphs.append(join.format(call))
        if session.materials:
            titled = [f"{material.title}: {material.url}" for material in session.materials]
            paragraphs.append("\n".join([materials, *titled]))
        if session.url:
            paragraphs.append(session.url)
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
                # Where a session has no room, its video call is its place.
                location=session.location or call,
                conference=(Conference(call, "VIDEO", "Join online"),) if call else (),
                attachments=tuple(material.url for material in session.materials),
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
