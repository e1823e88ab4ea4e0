"""Our feeds read back the same by independent parsers, and as the schedule says."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
import pytz

from readers import READERS, Seen
from seminar_feed.feed import render_feed, session_description, session_summary, session_uid
from seminar_feed.load import load_schedule
from seminar_feed.model import Calendar, Schedule, Session

ROOT = Path(__file__).parent.parent
VALID = Path(__file__).parent / "cases" / "valid"
STAMP = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)


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


def feed_file(tmp_path: Path, schedule: Schedule) -> Path:
    path = tmp_path / "feed.ics"
    path.write_bytes(render_feed(schedule, stamp=STAMP).ics)
    return path


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize(
    "source", [ROOT / "schedule.yaml", VALID / "timed.yaml"], ids=lambda p: p.name
)
def test_reader_sees_the_schedule(reader: str, source: Path, tmp_path: Path) -> None:
    schedule = load_schedule(source)
    assert READERS[reader](feed_file(tmp_path, schedule)) == expected_events(schedule)


def test_shipped_feed_holds_the_eight_monday_sessions() -> None:
    events = READERS["icalendar"](ROOT / "dist" / "2026-summer-diffusion.ics")
    assert [event.start for event in events] == [
        (date(2026, 7, 6) + timedelta(weeks=n)).isoformat() for n in range(8)
    ]
    assert events[7].summary == (
        "Week 8: Distillation-Based Methods & Learning Fast Generators from Scratch (Dayeon Yoon)"
    )
    assert events[7].description.endswith(
        "\n\nhttps://snuuq.github.io/seminars/2026-summer-diffusion/dm-2026-week-8/"
    )


# Weekly sessions at 18:30 that straddle a change of the clocks in each zone.
CLOCK_CHANGES = {
    "America/New_York": date(2026, 10, 19),  # back on 1 November
    "Europe/London": date(2026, 10, 12),  # back on 25 October
    "Australia/Sydney": date(2026, 9, 21),  # forward on 4 October
    "Asia/Seoul": date(2026, 12, 21),  # no change; spans the new year
}


def zone_schedule(zone: str, first: date) -> Schedule:
    sessions = tuple(
        Session(
            week=week,
            key=f"week-{week}",
            date=first + timedelta(weeks=week - 1),
            title=f"Session {week}",
            start=time(18, 30),
            duration=timedelta(minutes=90),
            timezone=zone,
        )
        for week in range(1, 6)
    )
    return Schedule(Calendar(id="zones", name=zone), sessions)


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("zone", sorted(CLOCK_CHANGES))
def test_every_reader_computes_the_tz_database_instants(
    reader: str, zone: str, tmp_path: Path
) -> None:
    schedule = zone_schedule(zone, CLOCK_CHANGES[zone])
    seen = READERS[reader](feed_file(tmp_path, schedule))
    assert [(e.start, e.end) for e in seen] == [(e.start, e.end) for e in expected_events(schedule)]
    offsets = {datetime.fromisoformat(e.start.replace("Z", "+00:00")).hour for e in seen}
    assert len(offsets) == (1 if zone == "Asia/Seoul" else 2), "the sessions must straddle a change"
