"""seminar-feed init: a new term's schedule that check accepts and build builds as it is."""

from __future__ import annotations

import resource
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from readers import read_icalendar
from seminar_feed.cli import main
from seminar_feed.starter import calendar_id_from, next_monday


def run(folder: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, env={"COLUMNS": "80"})
    return result.exit_code, result.stderr


def test_twelve_weeks_from_a_date_check_and_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(tmp_path, "init", "--starts", "2026-09-07", "--weeks", "12") == (
        0,
        "wrote schedule.yaml (12 weekly sessions, 2026-09-07 to 2026-11-23); "
        "edit it, then run seminar-feed build\n",
    )
    text = (tmp_path / "schedule.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=dist/schedule.schema.json\n")
    assert "  # feed_url: https://example.org/reading-seminar.ics" in text
    assert "  # language: ko " in text
    assert run(tmp_path, "check")[0] == 0
    assert run(tmp_path, "build")[0] == 0
    events = read_icalendar(tmp_path / "dist" / "reading-seminar.ics")
    assert [event.start for event in events][:2] == ["2026-09-07", "2026-09-14"]
    assert events[-1].start == "2026-11-23"
    assert len(events) == 12
    assert events[0].summary == "Week 1: To be announced"


def test_every_optional_key_is_shown_where_it_belongs(tmp_path: Path) -> None:
    path = tmp_path / "schedule.yaml"
    assert run(tmp_path, "init", str(path), "--starts", "2026-09-07", "--weeks", "2")[0] == 0
    calendar, sessions = path.read_text(encoding="utf-8").split("\nsessions:\n")
    week_1, week_2 = sessions.split("  - week: 2\n")
    for key in (
        "description",
        "url",
        "feed_url",
        "timezone",
        "time",
        "duration",
        "location",
        "online",
        "starts",
        "reminders",
        "language",
    ):
        assert f"\n  # {key}: " in calendar, key
    for key in (
        "id",
        "presenter",
        "description",
        "url",
        "time",
        "duration",
        "timezone",
        "location",
        "online",
        "reminders",
        "materials",
        "cancelled",
        "reason",
    ):
        assert f"\n    # {key}: " in week_1, key
    assert "    # online: https://example.org/meeting" in week_1
    assert "#" not in week_2


def test_a_time_and_zone_make_timed_sessions(tmp_path: Path) -> None:
    path = tmp_path / "flows.yaml"
    options = ["--name", 'Flows: "ODEs", SDEs', "--starts", "2026-09-07", "--weeks", "2"]
    status, _ = run(
        tmp_path, "init", str(path), *options, "--time", "18:30", "--timezone", "Asia/Seoul"
    )
    assert status == 0
    assert run(tmp_path, "build", str(path))[0] == 0
    events = read_icalendar(tmp_path / "dist" / "flows-odes-sdes.ics")
    assert [(event.start, event.end) for event in events] == [
        ("2026-09-07T09:30:00Z", "2026-09-07T10:30:00Z"),  # 18:30 in Seoul, UTC+9, for 1h
        ("2026-09-14T09:30:00Z", "2026-09-14T10:30:00Z"),
    ]


def test_it_never_overwrites_a_file(tmp_path: Path) -> None:
    path = tmp_path / "schedule.yaml"
    path.write_text("mine\n", encoding="utf-8")
    assert run(tmp_path, "init", str(path)) == (
        1,
        f"{path}: already exists; init never overwrites a file: "
        "name another file or move this one away\n",
    )
    assert path.read_text(encoding="utf-8") == "mine\n"


def test_a_schedule_cut_short_by_a_full_disk_is_not_left_behind(tmp_path: Path) -> None:
    def limit() -> None:  # a file size limit fails a write as a full disk does
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    path = tmp_path / "schedule.yaml"
    command = [sys.executable, "-m", "seminar_feed", "init", str(path), "--weeks", "200"]
    ended = subprocess.run(command, capture_output=True, preexec_fn=limit, check=False)
    assert (ended.returncode, ended.stderr.decode()) == (
        1,
        f"{path}: cannot write: File too large\n",
    )
    assert not path.exists()  # which would stop init from being run again


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--time", "25:00", "--timezone", "Asia/Seoul"],
         "--time: expected a 24-hour time like 18:30, got '25:00'"),
        (["--time", "18:30", "--timezone", "Asia/Seol"],
         "--timezone: unknown time zone 'Asia/Seol'; did you mean 'Asia/Seoul'?"),
        (["--id", "Spring 2027"],
         "--id: expected lowercase letters, digits and hyphens, like 2026-summer-diffusion, "
         "got 'Spring 2027'"),
        (["--starts", "2037-12-28", "--weeks", "2"],
         "--starts/--weeks: 2038-01-04 is outside"),
    ],
)  # fmt: skip
def test_bad_options_are_judged_by_the_schedule_rules(
    tmp_path: Path, options: list[str], message: str
) -> None:
    path = tmp_path / "schedule.yaml"
    status, stderr = run(tmp_path, "init", str(path), *options)
    assert (status, stderr.splitlines()[0][: len(message)]) == (2, message)
    assert not path.exists()


def test_a_time_needs_its_zone(tmp_path: Path) -> None:
    status, stderr = run(tmp_path, "init", str(tmp_path / "s.yaml"), "--time", "18:30")
    assert status == 2
    assert stderr.endswith("Error: --time and --timezone go together: give both or neither\n")


def test_ids_and_mondays() -> None:
    assert (
        calendar_id_from("Flow Matching Seminar, Fall 2026!") == "flow-matching-seminar-fall-2026"
    )
    assert calendar_id_from("확산 세미나") == "seminar"
    assert next_monday(date(2026, 11, 27)) == date(2026, 11, 30)  # a Friday
    assert next_monday(date(2026, 11, 29)) == date(2026, 11, 30)  # a Sunday
    assert next_monday(date(2026, 11, 30)) == date(2026, 12, 7)  # a Monday: the one after
