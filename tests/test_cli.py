"""The command line, through Click's runner and once through a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from seminar_feed.cli import main
from tools import MINIMAL_SCHEDULE

EPOCH = "1780304400"  # 2026-06-01T09:00:00Z
WROTE = "wrote dist/demo.ics (2 events), dist/index.html and dist/sessions/ (2 files)\n"
SCHEDULE = """\
calendar:
  id: demo
  name: Demo
sessions:
  - week: 1
    date: 2026-07-06
    title: One
    presenter: Ko
  - week: 2
    date: 2026-07-13
    title: Two
    presenter: 김민준
"""


def run(*args: str, epoch: str | None = EPOCH) -> Result:
    env = {"SOURCE_DATE_EPOCH": epoch}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def schedule(write_schedule: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_schedule(SCHEDULE)
    monkeypatch.chdir(path.parent)
    return path


def test_build_writes_the_feed_beside_the_schedule(schedule: Path) -> None:
    result = run("build")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "week 1: new\nweek 2: new\n" + WROTE
    feed = (schedule.parent / "dist" / "demo.ics").read_bytes()
    assert feed.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"DTSTAMP:20260601T090000Z" in feed


def test_rebuilding_an_unchanged_schedule_is_byte_identical(schedule: Path) -> None:
    run("build")
    first = (schedule.parent / "dist" / "demo.ics").read_bytes()
    result = run("build", epoch="1790000000")
    assert result.stderr == WROTE
    assert (schedule.parent / "dist" / "demo.ics").read_bytes() == first


def test_build_to_standard_output_writes_no_file(schedule: Path) -> None:
    result = run("build", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert not (schedule.parent / "dist").exists()


def test_build_check_tells_whether_the_feed_is_current(schedule: Path) -> None:
    missing = run("build", "--check")
    assert missing.exit_code == 1
    assert missing.stderr.splitlines()[2:] == [
        "dist/sessions/week-1.ics: does not exist yet",
        "dist/sessions/week-2.ics: does not exist yet",
        "dist/index.html: does not exist yet",
        "dist/schedule.schema.json: does not exist yet",
        "dist/.nojekyll: does not exist yet",
        "dist/favicon.svg: does not exist yet",
        "dist/favicon.ico: does not exist yet",
        "dist/demo.ics: does not exist yet",
        "run seminar-feed build to bring dist/ up to date",
    ]
    run("build")
    current = run("build", "--check")
    assert (current.exit_code, current.stderr) == (0, "dist/: up to date (8 files)\n")
    schedule.write_text(SCHEDULE.replace("2026-07-13", "2026-07-20"), encoding="utf-8")
    before = (schedule.parent / "dist" / "demo.ics").read_bytes()
    stale = run("build", "--check")
    assert stale.exit_code == 1
    assert stale.stderr == (
        "week 2: date 2026-07-13 → 2026-07-20\n"
        "dist/sessions/week-2.ics: out of date\n"
        "dist/index.html: out of date\n"
        "dist/demo.ics: out of date\n"
        "run seminar-feed build to bring dist/ up to date\n"
    )
    assert (schedule.parent / "dist" / "demo.ics").read_bytes() == before


def test_invalid_schedule_reports_positions_and_keeps_the_old_feed(schedule: Path) -> None:
    run("build")
    before = (schedule.parent / "dist" / "demo.ics").read_bytes()
    schedule.write_text(
        SCHEDULE.replace("presenter: Ko", "presentr: Ko").replace("2026-07-13", "13/07/2026"),
        encoding="utf-8",
    )
    result = run("build")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "schedule.yaml:8:5: unknown key 'presentr' in a session; did you mean 'presenter'?\n"
        "schedule.yaml:10:11: expected a date like 2026-07-06, got '13/07/2026'\n"
    )
    assert (schedule.parent / "dist" / "demo.ics").read_bytes() == before


def test_check_validates_without_writing(schedule: Path) -> None:
    result = run("check")
    assert (result.exit_code, result.stdout) == (0, "schedule.yaml: ok (2 sessions)\n")
    assert not (schedule.parent / "dist").exists()
    schedule.write_text("calendar: {}\n", encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "schedule.yaml:1:1: the schedule is missing the required key 'sessions'\n"
        "schedule.yaml:1:11: calendar is missing the required key 'id'\n"
        "schedule.yaml:1:11: calendar is missing the required key 'name'\n"
    )


def test_a_missing_schedule_is_a_user_error(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "gone.yaml"))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"{tmp_path / 'gone.yaml'}: no such file; create it or name another schedule\n"
    )


def test_an_output_folder_that_is_a_file_is_reported_without_a_traceback(schedule: Path) -> None:
    blocker = schedule.parent / "blocker"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    result = run("build", "-o", "blocker/demo.ics")
    assert result.exit_code == 1
    assert result.stderr == (
        "week 1: new\nweek 2: new\n"
        "blocker: is not a folder, where the build needs one; "
        "move it away or choose another output folder\n"
    )
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"


def test_a_foreign_feed_is_neither_read_nor_overwritten(schedule: Path) -> None:
    (schedule.parent / "dist").mkdir()
    other = b"BEGIN:VCALENDAR\r\nPRODID:-//Other//EN\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    (schedule.parent / "dist" / "demo.ics").write_bytes(other)
    refused = run("build")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "dist/demo.ics: was not written by seminar-feed; name another file or pass "
        "--previous none to start afresh (every event then counts as new)\n"
    )
    assert (schedule.parent / "dist" / "demo.ics").read_bytes() == other
    afresh = run("build", "--previous", "none")
    assert (afresh.exit_code, afresh.stderr) == (
        1,
        "week 1: new\nweek 2: new\ndist/demo.ics: not written by seminar-feed; "
        "move it away or choose another output folder\n",
    )
    assert (schedule.parent / "dist" / "demo.ics").read_bytes() == other
    assert not (schedule.parent / "dist" / "index.html").exists()


def test_a_damaged_previous_feed_is_refused(schedule: Path) -> None:
    (schedule.parent / "dist").mkdir()
    (schedule.parent / "dist" / "demo.ics").write_bytes(b"\x00\xffnot a calendar")
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith("dist/demo.ics: ")
    assert "--previous none" in result.stderr


def test_a_bad_source_date_epoch_is_reported(schedule: Path) -> None:
    result = run("build", epoch="yesterday")
    assert (result.exit_code, result.stderr) == (
        1,
        "SOURCE_DATE_EPOCH: expected whole seconds since 1970, got 'yesterday'\n",
    )


def test_list_prints_an_aligned_table(schedule: Path) -> None:
    result = run("list")
    assert result.stdout == (
        "WEEK  DATE        PRESENTER  TITLE\n"
        "1     2026-07-06  Ko         One\n"
        "2     2026-07-13  김민준     Two\n"
    )


def test_list_json_is_for_programs(schedule: Path) -> None:
    sessions = json.loads(run("list", "--json").stdout)
    assert [(s["week"], s["date"], s["presenter"], s["time"]) for s in sessions] == [
        (1, "2026-07-06", "Ko", None),
        (2, "2026-07-13", "김민준", None),
    ]


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("build", "[OPTIONS] [SCHEDULE]"),
        ("check", "[OPTIONS] [SCHEDULES]..."),
        ("list", "[OPTIONS] [SCHEDULE]"),
        ("serve", "[OPTIONS] [SCHEDULE]"),
        ("schema", "[OPTIONS]"),
    ],
)
def test_every_command_has_help(command: str, usage: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: main {command} {usage}\n")


def test_version_is_reported() -> None:
    assert run("--version").stdout == "seminar-feed, version 0.1.0\n"


def test_a_real_process_builds_and_exits_cleanly(schedule: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    command = [sys.executable, "-m", "seminar_feed"]
    built = subprocess.run([*command, "build"], capture_output=True, env=env, check=False)
    assert (built.returncode, built.stderr.decode().splitlines()[-1]) == (
        0,
        WROTE.strip(),
    )
    schedule.write_text(SCHEDULE.replace("week: 2", "week: two"), encoding="utf-8")
    failed = subprocess.run([*command, "build"], capture_output=True, env=env, check=False)
    assert failed.returncode == 1
    assert failed.stderr.decode() == (
        "schedule.yaml:9:11: expected a week number like 1, got 'two'\n"
    )
    usage = subprocess.run([*command, "build", "--nope"], capture_output=True, check=False)
    assert usage.returncode == 2
    assert b"Traceback" not in failed.stderr + usage.stderr


def test_a_long_list_of_changes_is_cut_short(write_schedule: Callable[[str], Path]) -> None:
    sessions = "".join(
        f"  - week: {week}\n    date: 2026-{1 + week // 28:02d}-{1 + week % 28:02d}\n"
        f"    title: T{week}\n"
        for week in range(1, 46)
    )
    path = write_schedule("calendar:\n  id: many\n  name: Many\nsessions:\n" + sessions)
    result = run("build", str(path))
    lines = result.stderr.splitlines()
    assert lines[:2] == ["week 1: new", "week 2: new"]
    assert lines[40] == "and 5 more changes"
    assert lines[41].startswith(f"wrote {path.parent}/dist/many.ics (45 events), ")


def test_a_feed_near_googles_limit_is_warned_about(write_schedule: Callable[[str], Path]) -> None:
    sessions = "".join(
        f"  - week: {week}\n    title: T{week}\n    description: {'x' * 9_000}\n"
        for week in range(1, 110)
    )
    path = write_schedule(
        "calendar:\n  id: big\n  name: Big\n  starts: 2026-01-05\nsessions:\n" + sessions
    )
    warning = run("build", str(path)).stderr.splitlines()[-2]
    assert warning.startswith("warning: the feed is 1")
    assert warning.endswith(
        "kB; Google Calendar refuses feeds over about 1 MB: shorten descriptions or move past "
        "sessions to an archive schedule"
    )


def test_check_takes_several_schedules_as_a_pre_commit_hook_passes_them(
    schedule: Path,
) -> None:
    (schedule.parent / "bad.yaml").write_text("calendar: {}\nsessions: []\n", encoding="utf-8")
    result = run("check", "schedule.yaml", "bad.yaml")
    assert result.exit_code == 1
    assert result.stdout == "schedule.yaml: ok (2 sessions)\n"
    assert result.stderr.splitlines() == [
        "bad.yaml:1:11: calendar is missing the required key 'id'",
        "bad.yaml:1:11: calendar is missing the required key 'name'",
    ]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_scripts_are_offered(shell: str) -> None:
    env = {"_SEMINAR_FEED_COMPLETE": f"{shell}_source"}
    result = CliRunner().invoke(main, [], prog_name="seminar-feed", env=env)
    assert result.exit_code == 0
    assert "_SEMINAR_FEED_COMPLETE" in result.stdout


REMOVED = (
    "warning: week 2 is no longer in the schedule; it stays in the feed as cancelled so "
    "subscribers see it go (--drop-removed leaves it out)"
)
RED, YELLOW, PLAIN = "\x1b[31m", "\x1b[33m", "\x1b[0m"


def build_without_week_2(
    schedule: Path, *options: str, color: bool = False, no_color: str = ""
) -> Result:
    run("build")
    schedule.write_text(SCHEDULE.split("  - week: 2")[0], encoding="utf-8")
    env = {"SOURCE_DATE_EPOCH": EPOCH, "NO_COLOR": no_color}
    return CliRunner().invoke(main, ["build", *options], env=env, color=color)


def test_warnings_are_yellow_on_a_terminal(schedule: Path) -> None:
    result = build_without_week_2(schedule, color=True)
    assert result.stderr == (
        "week 2: cancelled: no longer in the schedule\n"
        f"{YELLOW}{REMOVED}{PLAIN}\n"
        "wrote dist/demo.ics (2 events), dist/index.html and dist/sessions/ (1 file)\n"
    )


def test_errors_are_red_on_a_terminal(schedule: Path) -> None:
    schedule.write_text(SCHEDULE.replace("week: 2", "week: two"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build"], env={"NO_COLOR": ""}, color=True)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{RED}schedule.yaml:9:11: expected a week number like 1, got 'two'{PLAIN}\n"
    )


def test_no_colour_when_piped_or_when_no_color_is_set(schedule: Path) -> None:
    piped = build_without_week_2(schedule)
    assert f"\n{REMOVED}\n" in piped.stderr
    assert "\x1b" not in piped.stderr
    asked = CliRunner().invoke(main, ["build"], env={"NO_COLOR": "1"}, color=True)
    assert asked.stderr == (
        f"{REMOVED}\nwrote dist/demo.ics (2 events), dist/index.html and dist/sessions/ (1 file)\n"
    )


def test_quiet_prints_only_errors(schedule: Path) -> None:
    assert run("check", "-q").output == ""
    quiet = build_without_week_2(schedule, "-q")
    assert (quiet.exit_code, quiet.output) == (0, "")
    assert b"STATUS:CANCELLED" in (schedule.parent / "dist" / "demo.ics").read_bytes()
    assert run("build", "--check", "--quiet").output == ""
    schedule.write_text(SCHEDULE.replace("week: 2", "week: two"), encoding="utf-8")
    failed = run("build", "--quiet")
    assert (failed.exit_code, failed.stderr) == (
        1,
        "schedule.yaml:9:11: expected a week number like 1, got 'two'\n",
    )
    assert run("init", "-q", "next.yaml").output == ""
    assert (schedule.parent / "next.yaml").is_file()


@pytest.mark.parametrize("command", ["build", "check", "init", "list", "schema", "serve"])
def test_every_command_ends_its_help_with_examples(command: str) -> None:
    text = run(command, "--help").stdout
    examples = text.split("\n  Examples:\n", 1)[1].split("\n\nOptions:\n", 1)[0]
    lines = examples.splitlines()
    assert lines
    assert all(line.startswith(f"    seminar-feed {command}") for line in lines), lines


def test_list_json_carries_each_sessions_call_and_materials(
    write_schedule: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = MINIMAL_SCHEDULE + (
        "    online: https://example.org/meet\n"
        "    materials:\n"
        "      - {title: Slides, url: 'https://example.org/1.pdf'}\n"
        "      - {title: Notes, url: 'http://example.org/notes'}\n"
        "  - week: 2\n    date: 2026-07-13\n    title: Two\n"
    )
    monkeypatch.chdir(write_schedule(text).parent)
    one, two = json.loads(run("list", "--json").stdout)
    assert (one["online"], one["materials"]) == ("https://example.org/meet", [
        {"title": "Slides", "url": "https://example.org/1.pdf"},
        {"title": "Notes", "url": "http://example.org/notes"},
    ])  # fmt: skip
    assert (two["online"], two["materials"]) == (None, [])
