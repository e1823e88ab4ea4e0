"""Every start and end is the instant the schedule means, in every reader, across
clock changes: checked against zoneinfo, never against pytz, which the feed uses."""

from __future__ import annotations

import time as time_module
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import pytz
import tzdata
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint import lint_ics
from readers import READERS, reader_params
from reference import exists_once, local, local_end, utc_span, zone
from seminar_feed.feed import render_feed
from seminar_feed.model import Calendar, Schedule, Session
from seminar_feed.page import google_event_link, render_page
from seminar_feed.previous import read_previous_feed

STAMP = datetime(2026, 6, 1, tzinfo=timezone.utc)


def test_the_reference_reads_the_same_tz_database_as_pytz() -> None:
    # Zones change their rules; two releases of the database disagree on them.
    assert pytz.OLSON_VERSION == tzdata.IANA_VERSION


def schedule_of(spans: list[tuple[str, date, time, timedelta]]) -> Schedule:
    sessions = tuple(
        Session(week=number, key=f"s-{number}", date=day, title=f"S{number}", start=clock,
                duration=length, timezone=name)
        for number, (name, day, clock, length) in enumerate(spans, 1)
    )  # fmt: skip
    return Schedule(Calendar(id="instants", name="Instants"), sessions)


def read_spans(reader: str, schedule: Schedule, folder: Path) -> list[tuple[str, str]]:
    feed = render_feed(schedule, stamp=STAMP).ics
    assert lint_ics(feed) == []
    path = folder / f"{reader}.ics"
    path.write_bytes(feed)
    return [(event.start, event.end) for event in READERS[reader](path)]


def expected_spans(spans: list[tuple[str, date, time, timedelta]]) -> list[tuple[str, str]]:
    return [utc_span(day, clock, length, name) for name, day, clock, length in spans]


# Found wrong in every reader or some of them: an end in the hour the clocks repeat.
REPEATED_HOUR_ENDS = {
    "New York, ends as the clocks go back": (
        ("America/New_York", date(2026, 11, 1), time(0, 0), timedelta(hours=2)),
        ("2026-11-01T04:00:00Z", "2026-11-01T06:00:00Z"),
    ),
    "Dublin, negative summer time": (
        ("Europe/Dublin", date(2026, 10, 25), time(0, 0), timedelta(hours=2, minutes=30)),
        ("2026-10-24T23:00:00Z", "2026-10-25T01:30:00Z"),
    ),
    "London, ends in the first of two 01:30s": (
        ("Europe/London", date(2027, 10, 31), time(0, 30), timedelta(hours=1)),
        ("2027-10-30T23:30:00Z", "2027-10-31T00:30:00Z"),
    ),
    "Lord Howe, a half-hour change": (
        ("Australia/Lord_Howe", date(2026, 4, 5), time(1, 0), timedelta(hours=1)),
        ("2026-04-04T14:00:00Z", "2026-04-04T15:00:00Z"),
    ),
}


@pytest.mark.parametrize("reader", reader_params(READERS))
@pytest.mark.parametrize("case", sorted(REPEATED_HOUR_ENDS))
def test_an_end_in_a_repeated_hour_is_one_instant(reader: str, case: str, tmp_path: Path) -> None:
    span, expected = REPEATED_HOUR_ENDS[case]
    assert read_spans(reader, schedule_of([span]), tmp_path) == [expected]
    assert expected_spans([span]) == [expected]  # the reference agrees with the hand-written


# Zones with every kind of change: both hemispheres, half hours, negative summer time,
# changes at midnight, zones that dropped or changed their rules, a day skipped.
ZONE_YEARS = [
    ("Africa/Casablanca", 2026), ("America/Havana", 2026), ("America/New_York", 2026),
    ("America/Santiago", 2026), ("America/Sao_Paulo", 2018), ("America/St_Johns", 2026),
    ("America/Vancouver", 2026), ("Antarctica/Troll", 2026), ("Asia/Gaza", 2026),
    ("Asia/Seoul", 1987), ("Asia/Tehran", 2021), ("Australia/Lord_Howe", 2026),
    ("Australia/Sydney", 2026), ("Europe/Dublin", 2026), ("Europe/London", 2037),
    ("Europe/Moscow", 2011), ("Pacific/Apia", 2011), ("Pacific/Chatham", 2026), ("UTC", 2026),
]  # fmt: skip
CLOCKS = [time(hour, minute) for hour in (0, 1, 2, 3, 22, 23) for minute in (0, 30)]
LENGTHS = [timedelta(minutes=minutes) for minutes in (30, 60, 90, 150, 240)]


def change_days(name: str, year: int) -> list[date]:
    """The local days on which the zone's offset changes in `year`, by zoneinfo."""
    days, moment = [], datetime(year, 1, 1, tzinfo=timezone.utc)
    offset = moment.astimezone(zone(name)).utcoffset()
    while moment.year == year:
        moment += timedelta(hours=1)
        now = moment.astimezone(zone(name))
        if now.utcoffset() != offset:
            offset = now.utcoffset()
            days.append(now.date())
    return days


def spans_around_changes(name: str, year: int) -> list[tuple[str, date, time, timedelta]]:
    days = sorted({day + timedelta(days=shift) for day in change_days(name, year)
                   for shift in (-1, 0)} or {date(year, 6, 1)})  # fmt: skip
    return [
        (name, day, clock, length)
        for day in days
        for clock in CLOCKS
        for length in LENGTHS
        if exists_once(day, clock, name)
    ]


@pytest.mark.parametrize("reader", reader_params(READERS))
@pytest.mark.parametrize(("name", "year"), ZONE_YEARS, ids=[name for name, _ in ZONE_YEARS])
def test_sessions_around_every_change_are_read_as_zoneinfo_says(
    reader: str, name: str, year: int, tmp_path: Path
) -> None:
    spans = spans_around_changes(name, year)
    assert len(spans) >= 60 if name != "UTC" else spans
    assert read_spans(reader, schedule_of(spans), tmp_path) == expected_spans(spans)


ZONES = sorted(
    {name for name, _ in ZONE_YEARS}
    | {"Asia/Kolkata", "Asia/Kathmandu", "Africa/Abidjan", "Etc/UTC"}
)


@st.composite
def timed_sessions(draw: st.DrawFn) -> list[tuple[str, date, time, timedelta]]:
    spans = []
    for _ in range(draw(st.integers(1, 6))):
        name = draw(st.sampled_from(ZONES))
        day = draw(st.dates(min_value=date(1980, 1, 1), max_value=date(2037, 12, 31)))
        clock = time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45])))
        length = timedelta(minutes=draw(st.integers(1, 24 * 60)))
        if exists_once(day, clock, name):
            spans.append((name, day, clock, length))
    return spans


@pytest.mark.slow
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(spans=timed_sessions())
def test_any_zone_date_time_and_length_reads_the_same_everywhere(
    spans: list[tuple[str, date, time, timedelta]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("feed")
    schedule = schedule_of(spans)
    for reader in sorted(READERS):
        assert read_spans(reader, schedule, folder) == expected_spans(spans), reader


def test_the_page_and_google_link_use_the_instants() -> None:
    name, day, clock, length = REPEATED_HOUR_ENDS["New York, ends as the clocks go back"][0]
    schedule = schedule_of([(name, day, clock, length)])
    html = "".join(
        render_page(schedule, feed_file="f.ics", session_files={"s-1": "sessions/s-1.ics"})
    )
    # Two hours from midnight EDT is 01:00 EST, not the 02:00 that clock arithmetic gives.
    assert "Sunday, November 1, 2026, 00:00\u2009–\u200901:00 (America/New_York)" in html  # noqa: RUF001
    assert local_end(day, clock, length, name).strftime("%H:%M") == "01:00"
    fields = parse_qs(urlsplit(google_event_link(schedule.sessions[0], "en")).query)
    assert fields["dates"] == ["20261101T040000Z/20261101T060000Z"]
    assert fields["ctz"] == [name]


def test_the_reference_knows_a_repeated_and_a_skipped_time() -> None:
    assert not exists_once(date(2026, 11, 1), time(1, 30), "America/New_York")
    assert not exists_once(date(2026, 3, 8), time(2, 30), "America/New_York")
    assert exists_once(date(2026, 3, 8), time(3, 30), "America/New_York")
    assert local(date(2026, 7, 6), time(9), "Asia/Seoul").utcoffset() == timedelta(hours=9)


def test_the_feed_is_the_same_whatever_the_machines_own_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sessions = (
        Session(week=1, key="week-1", date=date(2026, 10, 25), title="In UTC",
                start=time(0, 30), timezone="UTC"),
        # 00:30 EDT to 01:30, an hour that comes twice that night: the end goes in UTC.
        Session(week=2, key="week-2", date=date(2026, 11, 1), title="Twice",
                start=time(0, 30), timezone="America/New_York"),
    )  # fmt: skip
    schedule = Schedule(Calendar("demo", "Demo"), sessions)
    feeds = []
    for machine in ("UTC", "Asia/Kolkata", "America/Los_Angeles"):
        monkeypatch.setenv("TZ", machine)
        time_module.tzset()
        try:
            feeds.append(render_feed(schedule, stamp=STAMP).ics)
        finally:
            monkeypatch.undo()
            time_module.tzset()
    assert feeds[1] == feeds[0]
    assert feeds[2] == feeds[0]
    unfolded = feeds[0].decode("utf-8").replace("\r\n ", "").split("\r\n")
    assert "DTSTART:20261025T003000Z" in unfolded
    assert "DTEND:20261025T013000Z" in unfolded
    assert "DTSTART;TZID=America/New_York:20261101T003000" in unfolded
    assert "DTEND:20261101T053000Z" in unfolded


def test_reminders_are_written_as_iCalendar_durations() -> None:
    lengths = {"-P1DT2H": timedelta(days=1, hours=2), "-P1D": timedelta(days=1),
               "-PT1H30M": timedelta(minutes=90), "-PT5M": timedelta(minutes=5)}  # fmt: skip
    session = Session(week=1, key="week-1", date=date(2026, 7, 6), title="One", start=time(19),
                      timezone="Asia/Seoul", reminders=tuple(lengths.values()))  # fmt: skip
    ics = render_feed(Schedule(Calendar("demo", "Demo"), (session,)), stamp=STAMP).ics
    triggers = [line for line in ics.decode("utf-8").split("\r\n") if line.startswith("TRIGGER")]
    assert sorted(triggers) == sorted(f"TRIGGER:{duration}" for duration in lengths)


def test_a_zone_is_described_from_the_first_year_it_is_used_to_the_last() -> None:
    sessions = tuple(
        Session(week=week, key=f"week-{week}", date=day, title="Talk", start=time(19),
                timezone="America/New_York")
        for week, day in ((1, date(2026, 7, 6)), (2, date(2031, 7, 7)))
    )  # fmt: skip
    ics = render_feed(Schedule(Calendar("demo", "Demo"), sessions), stamp=STAMP).ics.decode()
    zone = ics[ics.index("BEGIN:VTIMEZONE") : ics.index("END:VTIMEZONE")].split("\r\n")
    # The rules in force since 2007, from the year before the first session's.
    assert "DTSTART:20250309T020000" in zone
    assert "DTSTART:20251102T020000" in zone
    assert "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3" in zone


def test_a_zone_only_a_carried_over_end_uses_is_described_too() -> None:
    calendar = Calendar("demo", "Demo")
    moved = Session(week=2, key="week-2", date=date(2026, 7, 13), title="Two", start=time(19),
                    timezone="Asia/Seoul")  # fmt: skip
    first = Session(week=1, key="week-1", date=date(2026, 7, 6), title="One")
    published = render_feed(Schedule(calendar, (first, moved)), stamp=STAMP).ics
    # Edited by hand: the session removed next ends in another zone than it starts in.
    published = published.replace(
        b"DTEND;TZID=Asia/Seoul:20260713T200000", b"DTEND;TZID=Asia/Tokyo:20260713T200000"
    )
    previous = read_previous_feed(published, source="demo.ics", calendar="demo")
    ics = render_feed(Schedule(calendar, (first,)), stamp=STAMP, previous=previous).ics
    assert b"DTEND;TZID=Asia/Tokyo:20260713T200000\r\n" in ics
    assert b"BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\n" in ics
