"""The build's report names what changed in the schedule's own words."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from seminar_feed.cli import main

BEFORE = """\
calendar:
  id: demo
  name: Demo
  timezone: Europe/London
sessions:
  - week: 1
    id: first
    date: 2026-07-06
    time: "18:30"
    duration: 1h30m
    title: "Flows (and more)"
    presenter: Dayeon Yoon
    description: Read chapter 5.
    url: https://example.org/week-1/
    location: Room 101
    reminders: [1d]
"""

EDITS = {
    "a presenter swap": (
        ("presenter: Dayeon Yoon", "presenter: Kyeongtae Ko"),
        "presenter 'Dayeon Yoon' → 'Kyeongtae Ko'",
    ),
    "a new title": (
        ('title: "Flows (and more)"', "title: Flow Matching"),
        "title 'Flows (and more)' → 'Flow Matching'",
    ),
    "a new date": (("date: 2026-07-06", "date: 2026-07-13"), "date 2026-07-06 → 2026-07-13"),
    "a new time": (('time: "18:30"', 'time: "19:00"'), "time 18:30 → 19:00"),
    "a new length": (("duration: 1h30m", "duration: 2h"), "duration 1h30m → 2h"),
    "a new zone": (
        ("  timezone: Europe/London", "  timezone: Europe/Paris"),
        "timezone Europe/London → Europe/Paris",
    ),
    "all day": (('    time: "18:30"\n    duration: 1h30m\n', ""), "time 18:30 → all day"),
    "a new room": (
        ("location: Room 101", "location: Room 202"),
        "location 'Room 101' → 'Room 202'",
    ),
    "a new description": (("Read chapter 5.", "Read chapter 6."), "description"),
    "a new link": (("example.org/week-1/", "example.org/w1/"), "link"),
    "new reminders": (("reminders: [1d]", "reminders: [1d, 30m]"), "reminders"),
    "a renumbered week": (("week: 1", "week: 2"), "week 1 → 2"),
    "a video call": (
        ("    reminders: [1d]\n", "    reminders: [1d]\n    online: https://example.org/meet\n"),
        "online none → https://example.org/meet",
    ),
    "a video call and no room": (
        ("    location: Room 101\n", "    online: https://example.org/meet\n"),
        "location 'Room 101' → none, online none → https://example.org/meet",
    ),
    "slides added after the session": (
        (
            "    reminders: [1d]\n",
            "    reminders: [1d]\n    materials:\n"
            "      - {title: Slides, url: 'https://example.org/1.pdf'}\n",
        ),
        "materials",
    ),
    "a cancellation": (
        ("    reminders: [1d]\n", "    reminders: [1d]\n    cancelled: true\n    reason: Ill.\n"),
        "cancelled",
    ),
}


def build(folder: Path, text: str, epoch: int) -> str:
    (folder / "schedule.yaml").write_text(text, encoding="utf-8")
    env = {"SOURCE_DATE_EPOCH": str(epoch)}
    result = CliRunner().invoke(main, ["build", str(folder / "schedule.yaml")], env=env,
                                catch_exceptions=False)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return result.stderr.splitlines()[0]


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_each_field_is_named_as_the_schedule_names_it(edit: str, tmp_path: Path) -> None:
    (old, new), expected = EDITS[edit]
    build(tmp_path, BEFORE, 1_780_000_000)
    assert old in BEFORE
    label = "week 2" if edit == "a renumbered week" else "week 1"
    assert build(tmp_path, BEFORE.replace(old, new), 1_780_000_060) == f"{label}: {expected}"


def test_a_restored_session_and_a_new_reason(tmp_path: Path) -> None:
    cancelled = BEFORE + "    cancelled: true\n    reason: Ill.\n"
    build(tmp_path, cancelled, 1_780_000_000)
    assert build(tmp_path, cancelled.replace("Ill.", "Away."), 1_780_000_060) == "week 1: reason"
    assert build(tmp_path, BEFORE, 1_780_000_120) == "week 1: restored"


def test_several_changes_in_one_session_are_listed_in_order(tmp_path: Path) -> None:
    build(tmp_path, BEFORE, 1_780_000_000)
    edited = (
        BEFORE.replace("Dayeon Yoon", "Kyeongtae Ko")
        .replace("Room 101", "Hall")
        .replace("2026-07-06", "2026-07-07")
    )
    assert build(tmp_path, edited, 1_780_000_060) == (
        "week 1: date 2026-07-06 → 2026-07-07, presenter 'Dayeon Yoon' → 'Kyeongtae Ko', "
        "location 'Room 101' → 'Hall'"
    )


ONLINE = BEFORE.replace("    location: Room 101\n", "    online: https://example.org/meet\n") + (
    "    materials:\n      - {title: Slides, url: 'https://example.org/1.pdf'}\n"
)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "https://example.org/meet",
            "https://example.org/room-2",
            "online https://example.org/meet → https://example.org/room-2",
        ),
        ("title: Slides", "title: Slides (corrected)", "materials"),
        ("1.pdf", "1-v2.pdf", "materials"),
        (
            "    online: https://example.org/meet\n",
            "    online: none\n",
            "online https://example.org/meet → none",
        ),
    ],
)
def test_a_changed_call_or_material_is_a_change_subscribers_get(
    old: str, new: str, expected: str, tmp_path: Path
) -> None:
    build(tmp_path, ONLINE, 1_780_000_000)
    assert old in ONLINE
    assert build(tmp_path, ONLINE.replace(old, new), 1_780_000_060) == f"week 1: {expected}"
    assert b"SEQUENCE:1\r\n" in (tmp_path / "dist" / "demo.ics").read_bytes()


CALL = "https://example.org/meet"


def events(folder: Path) -> list[str]:
    feed = (folder / "dist" / "demo.ics").read_bytes().decode().replace("\r\n ", "")
    return feed.split("BEGIN:VEVENT")[1:]


def test_cancelling_leaves_the_call_out_and_restoring_brings_it_back(tmp_path: Path) -> None:
    online = BEFORE.replace("    location: Room 101\n", f"    online: {CALL}\n")
    build(tmp_path, online, 1_780_000_000)
    (event,) = events(tmp_path)
    assert (event.count(CALL), "CONFERENCE" in event, "Join online" in event) == (3, True, True)
    cancelled = online + "    cancelled: true\n"
    assert build(tmp_path, cancelled, 1_780_000_060) == "week 1: cancelled"
    (event,) = events(tmp_path)
    assert (CALL in event, "CONFERENCE" in event, "Join online" in event) == (False,) * 3
    assert build(tmp_path, online, 1_780_000_120) == "week 1: restored"
    (event,) = events(tmp_path)
    assert (event.count(CALL), "CONFERENCE" in event, "SEQUENCE:2" in event) == (3, True, True)


def test_a_removed_session_keeps_no_call(tmp_path: Path) -> None:
    two = "  - week: 2\n    date: 2026-07-13\n    title: Two\n    location: Hall\n"
    online = BEFORE + two + f"    online: {CALL}\n"
    build(tmp_path, online, 1_780_000_000)
    assert build(tmp_path, BEFORE, 1_780_000_060) == "week 2: cancelled: no longer in the schedule"
    removed = events(tmp_path)[1]
    assert "STATUS:CANCELLED" in removed
    assert "LOCATION:Hall" in removed
    assert (CALL in removed, "CONFERENCE" in removed, "Join online" in removed) == (False,) * 3


def test_a_removed_session_published_with_its_call_loses_it(tmp_path: Path) -> None:
    two = "  - week: 2\n    date: 2026-07-13\n    title: Two\n"
    build(tmp_path, BEFORE + two + f"    online: {CALL}\n", 1_780_000_000)
    feed = tmp_path / "dist" / "demo.ics"
    # As an earlier version cancelled it: with its call.
    confirmed, cancelled = (f"STATUS:{status}\r\nTRANSP:TRANSPARENT".encode()
                            for status in ("CONFIRMED", "CANCELLED"))  # fmt: skip
    feed.write_bytes(feed.read_bytes().replace(confirmed, cancelled))
    assert "CONFERENCE" in events(tmp_path)[1]
    assert build(tmp_path, BEFORE, 1_780_000_060) == f"week 2: online {CALL} → none"
    assert "CONFERENCE" not in events(tmp_path)[1]


def test_a_long_call_link_is_cut_short_in_the_report(tmp_path: Path) -> None:
    old, new = "https://example.org/" + "a" * 50 + "/1", "https://example.org/" + "a" * 50 + "/2"
    build(tmp_path, BEFORE + f"    online: {old}\n", 1_780_000_000)
    # The first and last 30 characters of each.
    shown = ["https://example.org/aaaaaaaaaa…" + "a" * 28 + f"/{end}" for end in (1, 2)]
    assert build(tmp_path, BEFORE + f"    online: {new}\n", 1_780_000_060) == (
        f"week 1: online {shown[0]} → {shown[1]}"
    )
