"""Our feeds read back the same by independent parsers, and as the schedule says."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from readers import CALENDAR_READERS, READERS, Conference, expected_events, reader_params
from seminar_feed.feed import render_feed
from seminar_feed.load import load_schedule
from seminar_feed.model import Calendar, Schedule, Session

ROOT = Path(__file__).parent.parent
VALID = Path(__file__).parent / "cases" / "valid"
STAMP = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)


def feed_file(tmp_path: Path, schedule: Schedule) -> Path:
    path = tmp_path / "feed.ics"
    path.write_bytes(render_feed(schedule, stamp=STAMP).ics)
    return path


@pytest.mark.parametrize("reader", reader_params(READERS))
@pytest.mark.parametrize(
    "source",
    [ROOT / "schedule.yaml", VALID / "timed.yaml", VALID / "hybrid.yaml", VALID / "korean.yaml"],
    ids=lambda p: p.name,
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


@pytest.mark.parametrize("reader", reader_params(READERS))
@pytest.mark.parametrize("zone", sorted(CLOCK_CHANGES))
def test_every_reader_computes_the_tz_database_instants(
    reader: str, zone: str, tmp_path: Path
) -> None:
    schedule = zone_schedule(zone, CLOCK_CHANGES[zone])
    seen = READERS[reader](feed_file(tmp_path, schedule))
    assert [(e.start, e.end) for e in seen] == [(e.start, e.end) for e in expected_events(schedule)]
    offsets = {datetime.fromisoformat(e.start.replace("Z", "+00:00")).hour for e in seen}
    assert len(offsets) == (1 if zone == "Asia/Seoul" else 2), "the sessions must straddle a change"


# ics reads an escaped backslash before an n as a line break: its own unescaping order.
@pytest.mark.parametrize("reader", reader_params(set(READERS) - {"ics"}))
def test_escapes_survive_every_reader(reader: str, tmp_path: Path) -> None:
    # icalendar's own escaping reads a literal backslash-N as a line break.
    tricky = "C:\\New\\notes, a;b \\, \\; \\\\"
    session = Session(week=1, key="week-1", date=date(2026, 7, 6), title=tricky, presenter=tricky)
    schedule = Schedule(Calendar(id="escapes", name=tricky), (session,))
    (seen,) = READERS[reader](feed_file(tmp_path, schedule))
    assert seen.summary == f"Week 1: {tricky} ({tricky})"
    assert seen.description == f"Presenter: {tricky}"


HOSTILE = (
    "Line one\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil@example.org\nSUMMARY:Injected\n"
    "carriage\rreturn, line\u2028separator, paragraph\u2029separator; "
    'commas, semicolons; back\\slash "quotes" \u202eright-to-left\u202c 🙂 e\u0301 확산'
)


@pytest.mark.parametrize("reader", reader_params(READERS))
def test_text_cannot_break_out_of_its_property(reader: str, tmp_path: Path) -> None:
    document = {
        "calendar": {"id": "hostile", "name": "Name, with; specials\\"},
        "sessions": [
            {"week": 1, "date": "2026-07-06", "title": "Title: \u202eevil", "description": HOSTILE},
            {"week": 2, "date": "2026-07-13", "title": "Two", "presenter": "\u05d3\u05e0\u05d4"},
        ],
    }
    path = tmp_path / "schedule.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    schedule = load_schedule(path)
    seen = READERS[reader](feed_file(tmp_path, schedule))
    assert [event.uid for event in seen] == [
        "week-1.hostile@seminar-feed",
        "week-2.hostile@seminar-feed",
    ]
    expected_text = HOSTILE.replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    assert seen[0].description == expected_text
    assert seen == expected_events(schedule)


@pytest.mark.parametrize("reader", reader_params(CALENDAR_READERS))
@pytest.mark.parametrize("name", ["Diffusion Seminar", "Flows, Scores; and C:\\Notes"])
def test_the_calendar_name_reads_as_written(reader: str, name: str, tmp_path: Path) -> None:
    description = "Mondays, 18:30; bring the book"
    schedule = Schedule(Calendar(id="named", name=name, description=description), ())
    texts = CALENDAR_READERS[reader](feed_file(tmp_path, schedule))
    for key, value in texts.items():
        assert value == (name if key in ("NAME", "X-WR-CALNAME") else description), key
    assert {"NAME", "DESCRIPTION"} <= set(texts)


@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_hybrid_session_carries_its_room_call_and_materials(reader: str, tmp_path: Path) -> None:
    (first, second, third, _) = READERS[reader](
        feed_file(tmp_path, load_schedule(VALID / "hybrid.yaml"))
    )
    call = "https://meet.example.org/reading-group?pwd=AbC123"
    assert (first.location, first.conference) == (
        "Room 101",
        (Conference(call, "VIDEO", "Join online"),),
    )
    assert first.attachments == (
        "https://example.org/week-1/slides.pdf",
        "https://example.org/week-1/notes.html#errata",
        "http://video.example.org/v/12345",
    )
    assert first.description == (
        "Presenter: Ada Lovelace\n\nChapter 3.\n\n"
        f"Join online: {call}\n\n"
        "Materials:\n"
        "Slides: https://example.org/week-1/slides.pdf\n"
        "Notes: proofs, with errata: https://example.org/week-1/notes.html#errata\n"
        "Recording: http://video.example.org/v/12345\n\n"
        "https://example.org/reading/week-1/"
    )
    # A call and no room: the call is the place too.
    assert second.location == "https://other.example.org/j/987654321"
    assert second.description == "Join online: https://other.example.org/j/987654321"
    assert (third.location, third.conference, third.description) == ("Room 102", (), "")


# vobject reads a property it does not know as a list of texts, cut at each comma.
@pytest.mark.parametrize("reader", sorted(set(READERS) - {"vobject"}))
def test_a_video_call_link_with_commas_and_semicolons_reads_whole(
    reader: str, tmp_path: Path
) -> None:
    link = "https://example.org/meet?rooms=1,2;x"
    session = Session(week=1, key="week-1", date=date(2026, 7, 6), title="One", online=link)
    (seen,) = READERS[reader](feed_file(tmp_path, Schedule(Calendar(id="c", name="C"), (session,))))
    assert (seen.location, seen.conference) == (link, (Conference(link, "VIDEO", "Join online"),))
    assert seen.description == f"Join online: {link}"
