"""A group's series in one folder, through every command: check, build, list and serve,
the combined feed read by every parser, and revisions that stay with their series."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from lint import lint_ics
from readers import READERS
from seminar_feed.cli import main
from seminar_feed.group_build import group_into
from seminar_feed.serve import watch
from test_serve import fetch, snapshot, until
from tools import html_errors

ROOT = Path(__file__).parent.parent
STAMP = "1780000000"  # 2026-05-28T20:26:40Z
LATER = "1790000000"  # 2026-09-21T14:13:20Z
GROUP = """\
group:
  id: lab-seminars
  name: Lab Seminars
  description: Every reading seminar of the lab, one term at a time.
  url: https://example.org/lab/
"""
SPRING = """\
calendar:
  id: 2026-spring-scores
  name: Score Seminar
sessions:
  - week: 1
    date: 2026-03-02
    title: Score Matching
  - week: 2
    date: 2026-03-09
    title: Langevin Dynamics
"""
FALL = """\
calendar:
  id: 2026-fall-flows
  name: Flow Seminar
  timezone: Asia/Seoul
  time: "18:30"
sessions:
  - week: 1
    date: 2026-09-07
    title: Flow Matching Basics
    presenter: Ada Lovelace
  - week: 2
    date: 2026-09-14
    title: Rectified Flows
"""
WINTER = """\
calendar:
  id: 2026-winter-solvers
  name: Solver Seminar
sessions:
  - week: 1
    date: 2026-12-07
    title: Fast Samplers
"""


def make_group(folder: Path, **series: str) -> Path:
    """Write the group file and the schedules named in `series` (file stem → text)."""
    folder.mkdir(exist_ok=True)
    (folder / "group.yaml").write_text(GROUP, encoding="utf-8")
    for stem, text in series.items():
        (folder / f"{stem}.yaml").write_text(text, encoding="utf-8")
    return folder


def run(*arguments: str, stamp: str = STAMP) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(arguments), env={"SOURCE_DATE_EPOCH": stamp})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def seminars(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_group(
        tmp_path / "seminars",
        **{"2026-spring-scores": SPRING, "2026-fall-flows": FALL, "2026-winter": WINTER},
    )


def events_of(feed: Path) -> dict[str, bytes]:
    """Each event of a feed, as its bytes, by UID."""
    data = feed.read_bytes()
    events = {}
    for block in data.split(b"BEGIN:VEVENT\r\n")[1:]:
        body = block.split(b"END:VEVENT\r\n")[0]
        uid = body.split(b"\r\nUID:")[1].split(b"\r\n")[0].decode()
        events[uid] = body
    return events


# -- check ---------------------------------------------------------------------


def test_check_validates_the_group_file_and_every_schedule(seminars: Path) -> None:
    assert run("check", "seminars") == (0, "seminars/group.yaml: ok (3 series)\n"
        "seminars/2026-fall-flows.yaml: ok (2 sessions)\n"
        "seminars/2026-spring-scores.yaml: ok (2 sessions)\n"
        "seminars/2026-winter.yaml: ok (1 session)\n", "")  # fmt: skip
    assert run("check", "-q", "seminars/group.yaml") == (0, "", "")


def test_a_series_whose_file_ends_in_yml_is_a_series_too(seminars: Path) -> None:
    (seminars / "2026-winter.yaml").rename(seminars / "2026-winter.yml")
    checked = run("check", "seminars")[1].splitlines()
    assert checked[-1] == "seminars/2026-winter.yml: ok (1 session)"
    assert run("build", "seminars")[0] == 0
    assert (
        b"Solver Seminar \xc2\xb7 Week 1: Fast Samplers"
        in (seminars / "dist" / "lab-seminars.ics").read_bytes()
    )
    assert (seminars / "dist" / "2026-winter-solvers.ics").is_file()


def test_the_preview_watches_a_series_whose_file_ends_in_yml(seminars: Path) -> None:
    (seminars / "2026-winter.yaml").rename(seminars / "2026-winter.yml")
    changed, stop, ready = threading.Event(), threading.Event(), threading.Event()
    watcher = threading.Thread(target=watch, args=(seminars, changed.set, stop, ready))
    watcher.start()
    try:
        ready.wait()
        (seminars / "2026-winter.yml").write_text(WINTER.replace("Fast", "Faster"), "utf-8")
        assert changed.wait(timeout=10)
    finally:
        stop.set()
        watcher.join()


def test_check_reports_every_problem_of_every_file_with_its_place(seminars: Path) -> None:
    (seminars / "group.yaml").write_text(
        "group:\n  id: Lab Seminars\n  nmae: Lab\n  site_url: https://example.org/lab\n"
        "drop: [2026-fall-flows]\n",
        encoding="utf-8",
    )
    (seminars / "2026-winter.yaml").write_text(
        WINTER.replace("2026-winter-solvers", "2026-spring-scores"), encoding="utf-8"
    )
    (seminars / "2026-fall-flows.yaml").write_text(
        FALL.replace("date: 2026-09-14", "date: 14 Sep"), encoding="utf-8"
    )
    code, out, err = run("check", "seminars")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "seminars/2026-fall-flows.yaml:12:11: expected a date like 2026-07-06, got '14 Sep'",
        "seminars/2026-winter.yaml:2:7: calendar id '2026-spring-scores' is also the id of "
        "2026-spring-scores.yaml; each series needs its own, or their feeds and events would "
        "be one",
        "seminars/group.yaml:2:7: expected lowercase letters, digits and hyphens, like "
        "2026-summer-diffusion, got 'Lab Seminars'",
        "seminars/group.yaml:3:3: unknown key 'nmae' in group; did you mean 'name'?",
        "seminars/group.yaml:4:13: expected the folder's URL to end in '/', got "
        "'https://example.org/lab'; did you mean 'https://example.org/lab/'?",
    ]


def test_a_current_series_cannot_be_dropped_and_the_group_id_is_its_own(
    seminars: Path,
) -> None:
    (seminars / "group.yaml").write_text(
        GROUP.replace("lab-seminars", "2026-winter-solvers") + "drop: [2026-fall-flows]\n",
        encoding="utf-8",
    )
    code, _, err = run("check", "seminars")
    assert code == 1
    assert err.splitlines() == [
        "seminars/2026-fall-flows.yaml:2:7: series '2026-fall-flows' is listed under 'drop' "
        "in group.yaml but still has this schedule; remove the file to drop the series, or "
        "remove it from 'drop'",
        "seminars/2026-winter.yaml:2:7: calendar id '2026-winter-solvers' is the group's id, "
        "and both feeds would be 2026-winter-solvers.ics; choose another calendar id or "
        "group id",
    ]


def test_a_folder_without_a_group_file_says_what_it_needs(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = run("check", str(tmp_path / "empty"))
    assert code == 1
    assert err == (
        f"{tmp_path}/empty/group.yaml: no such file; a group's folder holds its group.yaml "
        "(see the README), or name a schedule file\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "group:\n  id: a\n---\ngroup: {}\n",
            "invalid YAML: a second document (---) follows the first; a group file is one document",
        ),
        ("group: " + "[" * 2000, "invalid YAML: nested too deeply to be a group file"),
    ],
    ids=["two-documents", "nested-deeply"],
)
def test_the_group_file_is_spoken_of_as_a_group_file(
    seminars: Path, text: str, message: str
) -> None:
    (seminars / "group.yaml").write_text(text, encoding="utf-8")
    code, _, err = run("check", "seminars")
    assert code == 1
    assert err.startswith("seminars/group.yaml:")
    assert err.endswith(f": {message}\n")


def test_a_group_file_ending_in_yml_is_the_group_file(seminars: Path) -> None:
    (seminars / "group.yaml").rename(seminars / "group.yml")
    code, _, err = run("check", "seminars")
    assert (code, err) == (0, "")
    assert run("build", "-q", "seminars")[0] == 0
    assert (seminars / "dist" / "lab-seminars.ics").exists()

    (seminars / "group.yaml").write_text(GROUP, encoding="utf-8")
    code, _, err = run("check", "seminars")
    assert code == 1
    assert err == (
        "seminars/group.yaml: group.yml is in the same folder, and a group has one group "
        "file; keep one of them\n"
    )


def test_the_group_schema_accepts_the_group_file_and_refuses_an_unknown_key() -> None:
    import jsonschema
    import yaml

    code, schema, _ = run("schema", "--group")
    assert code == 0
    validator = jsonschema.Draft202012Validator(json.loads(schema))
    assert list(validator.iter_errors(yaml.safe_load(GROUP + "leave_combined: [a-b]\n"))) == []
    wrong = yaml.safe_load(GROUP.replace("  url:", "  link:"))
    assert [error.message for error in validator.iter_errors(wrong)] == [
        "Additional properties are not allowed ('link' was unexpected)"
    ]


# -- build -----------------------------------------------------------------------


def test_build_publishes_each_series_where_a_single_schedule_would_and_the_hub(
    seminars: Path,
) -> None:
    code, _, err = run("build", "seminars/")
    assert code == 0
    assert err.splitlines()[-1] == (
        "wrote seminars/dist/lab-seminars.ics (5 events), seminars/dist/index.html and "
        "3 series in seminars/dist/"
    )
    published = sorted(snapshot(seminars / "dist"))
    series = {
        "2026-fall-flows": ["week-1", "week-2"],
        "2026-spring-scores": ["week-1", "week-2"],
        "2026-winter-solvers": ["week-1"],
    }
    expected = [".nojekyll", "favicon.ico", "favicon.svg", "group.schema.json", "index.html",
                "lab-seminars.ics", "schedule.schema.json"]  # fmt: skip
    for calendar, keys in series.items():
        expected += [f"{calendar}.ics", f"{calendar}/index.html"]
        expected += [f"{calendar}/sessions/{key}.ics" for key in keys]
    assert published == sorted(expected)
    # The series' page finds its feed at the top of the folder, where subscribers hold it.
    page = (seminars / "dist" / "2026-fall-flows" / "index.html").read_text(encoding="utf-8")
    assert 'data-feed="../2026-fall-flows.ics"' in page
    assert 'href="sessions/week-1.ics" download' in page
    assert '<link rel="icon" href="../favicon.svg"' in page  # the group's, one for all
    assert run("build", "--check", "seminars") == (0, "", "seminars/dist/: up to date (18 files)\n")


def test_each_series_page_links_back_to_the_hub(seminars: Path) -> None:
    assert run("build", "seminars")[0] == 0
    for calendar in ("2026-fall-flows", "2026-spring-scores", "2026-winter-solvers"):
        page = (seminars / "dist" / calendar / "index.html").read_text(encoding="utf-8")
        link = '<a href="../"><span aria-hidden="true">← </span>Every series of Lab Seminars</a>'
        assert link in page, calendar
    hub = (seminars / "dist" / "index.html").read_text(encoding="utf-8")
    assert "Every series of" not in hub


def test_a_series_feed_in_a_group_is_the_feed_its_schedule_builds_alone(
    seminars: Path, tmp_path: Path
) -> None:
    assert run("build", "seminars")[0] == 0
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "schedule.yaml").write_text(FALL, encoding="utf-8")
    assert run("build", str(alone / "schedule.yaml"))[0] == 0
    assert (seminars / "dist" / "2026-fall-flows.ics").read_bytes() == (
        alone / "dist" / "2026-fall-flows.ics"
    ).read_bytes()


def test_a_single_schedule_repository_builds_the_committed_dist_byte_for_byte(
    tmp_path: Path,
) -> None:
    (tmp_path / "schedule.yaml").write_bytes((ROOT / "schedule.yaml").read_bytes())
    (tmp_path / "dist").mkdir()
    feed = "2026-summer-diffusion.ics"
    (tmp_path / "dist" / feed).write_bytes((ROOT / "dist" / feed).read_bytes())
    assert run("build", str(tmp_path / "schedule.yaml"))[0] == 0
    assert snapshot(tmp_path / "dist") == snapshot(ROOT / "dist")


def test_options_for_one_feed_are_refused_for_a_group(seminars: Path) -> None:
    code, _, err = run("build", "--previous", "none", "seminars")
    assert code == 2
    assert "--previous is for a single schedule; a group builds every feed in its folder" in err


# -- the combined feed -------------------------------------------------------------


def utc(year: int, month: int, day: int, hour: int, minute: int, zone: str) -> str:
    moment = datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("reader", sorted(READERS))
def test_every_reader_sees_every_series_in_the_combined_feed(seminars: Path, reader: str) -> None:
    assert run("build", "seminars")[0] == 0
    seen = READERS[reader](seminars / "dist" / "lab-seminars.ics")
    assert sorted((e.uid, e.summary, e.start, e.end, e.sequence, e.status) for e in seen) == [
        ("week-1.2026-fall-flows@seminar-feed",
         "Flow Seminar \u00b7 Week 1: Flow Matching Basics (Ada Lovelace)",
         utc(2026, 9, 7, 18, 30, "Asia/Seoul"), utc(2026, 9, 7, 19, 30, "Asia/Seoul"), 0,
         "CONFIRMED"),
        ("week-1.2026-spring-scores@seminar-feed", "Score Seminar \u00b7 Week 1: Score Matching",
         "2026-03-02", "2026-03-03", 0, "CONFIRMED"),
        ("week-1.2026-winter-solvers@seminar-feed", "Solver Seminar \u00b7 Week 1: Fast Samplers",
         "2026-12-07", "2026-12-08", 0, "CONFIRMED"),
        ("week-2.2026-fall-flows@seminar-feed", "Flow Seminar \u00b7 Week 2: Rectified Flows",
         utc(2026, 9, 14, 18, 30, "Asia/Seoul"), utc(2026, 9, 14, 19, 30, "Asia/Seoul"), 0,
         "CONFIRMED"),
        ("week-2.2026-spring-scores@seminar-feed",
         "Score Seminar \u00b7 Week 2: Langevin Dynamics", "2026-03-09", "2026-03-10", 0,
         "CONFIRMED"),
    ]  # fmt: skip


def test_the_combined_feed_is_named_after_the_group(seminars: Path) -> None:
    assert run("build", "seminars")[0] == 0
    data = (seminars / "dist" / "lab-seminars.ics").read_bytes()
    assert b"\r\nX-WR-CALNAME:Lab Seminars\r\n" in data
    assert b"\r\nBEGIN:VTIMEZONE\r\nTZID:Asia/Seoul\r\n" in data  # for the timed series


def test_a_change_in_one_series_bumps_only_its_events_in_the_combined_feed(
    seminars: Path,
) -> None:
    assert run("build", "seminars")[0] == 0
    dist = seminars / "dist"
    before = snapshot(dist)
    combined_before = events_of(dist / "lab-seminars.ics")
    (seminars / "2026-fall-flows.yaml").write_text(
        FALL.replace("Rectified Flows", "Rectified Flow"), encoding="utf-8"
    )
    code, _, err = run("build", "seminars", stamp=LATER)
    assert code == 0
    assert (
        err.splitlines()[0] == "2026-fall-flows: week 2: title 'Rectified Flows' → 'Rectified Flow'"
    )
    after = snapshot(dist)
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert changed == ["2026-fall-flows.ics", "2026-fall-flows/index.html",
                       "2026-fall-flows/sessions/week-2.ics", "lab-seminars.ics"]  # fmt: skip
    combined_after = events_of(dist / "lab-seminars.ics")
    uid = "week-2.2026-fall-flows@seminar-feed"
    assert {u for u in combined_after if combined_after[u] != combined_before[u]} == {uid}
    revision = b"DTSTAMP:20260921T141320Z\r\nLAST-MODIFIED:20260921T141320Z\r\nSEQUENCE:1\r\n"
    assert combined_after[uid].startswith(revision)
    # The same revision as in the series' own feed.
    assert events_of(dist / "2026-fall-flows.ics")[uid].startswith(revision)
    assert run("build", "seminars", stamp=LATER) == (
        0, "", "wrote seminars/dist/lab-seminars.ics (5 events), seminars/dist/index.html and "
        "3 series in seminars/dist/\n")  # fmt: skip
    assert snapshot(dist) == after


def test_a_new_series_adds_its_events_and_a_renamed_one_updates_them(seminars: Path) -> None:
    (seminars / "2026-winter.yaml").unlink()
    assert run("build", "seminars")[0] == 0
    (seminars / "2026-winter.yaml").write_text(WINTER, encoding="utf-8")
    (seminars / "2026-spring-scores.yaml").write_text(
        SPRING.replace("Score Seminar", "Score-Based Seminar"), encoding="utf-8"
    )
    code, _, err = run("build", "seminars", stamp=LATER)
    assert code == 0
    assert err.splitlines()[:3] == [
        "2026-winter-solvers: week 1: new",
        "lab-seminars.ics: 2026-spring-scores week 1: title 'Score Seminar \u00b7 Week 1: Score "
        "Matching' → 'Score-Based Seminar \u00b7 Week 1: Score Matching'",
        "lab-seminars.ics: 2026-spring-scores week 2: title 'Score Seminar \u00b7 Week 2: "
        "Langevin Dynamics' → 'Score-Based Seminar \u00b7 Week 2: Langevin Dynamics'",
    ]
    combined = events_of(seminars / "dist" / "lab-seminars.ics")
    assert (
        b"\r\nSEQUENCE:1\r\nSUMMARY:Score-Based Seminar"
        in b"\r\n" + combined["week-1.2026-spring-scores@seminar-feed"]
    )
    assert b"\r\nSEQUENCE:0\r\n" in combined["week-1.2026-winter-solvers@seminar-feed"]


def test_a_removed_series_stays_published_as_past_until_it_is_dropped(seminars: Path) -> None:
    assert run("build", "seminars")[0] == 0
    dist = seminars / "dist"
    spring = {name: data for name, data in snapshot(dist).items() if "spring" in name}
    combined = events_of(dist / "lab-seminars.ics")
    (seminars / "2026-spring-scores.yaml").unlink()

    code, _, err = run("build", "seminars", stamp=LATER)
    assert code == 0
    assert err.splitlines()[0] == (
        "warning: 2026-spring-scores: its schedule is gone from group.yaml's folder; it stays "
        "published as a past series (list it under 'drop' to remove it)"
    )
    assert {name: data for name, data in snapshot(dist).items() if "spring" in name} == spring
    assert events_of(dist / "lab-seminars.ics") == combined  # its sessions took place
    hub = (dist / "index.html").read_text(encoding="utf-8")
    past = hub.split('id="past"')[1]
    assert '<a href="2026-spring-scores/">Score Seminar</a>' in past
    assert "Monday, March 2, 2026 to Monday, March 9, 2026 · 2 sessions" in past
    assert run("build", "--check", "seminars", stamp=LATER)[0] == 0

    (seminars / "group.yaml").write_text(GROUP + "drop: [2026-spring-scores]\n", encoding="utf-8")
    code, _, err = run("build", "seminars", stamp=LATER)
    assert code == 0
    assert (
        err.splitlines()[0]
        == "lab-seminars.ics: 2026-spring-scores left the combined feed (2 events)"
    )
    assert [name for name in snapshot(dist) if "spring" in name] == []
    unfolded = (dist / "lab-seminars.ics").read_bytes().replace(b"\r\n ", b"")
    assert (
        b"\r\nX-SEMINAR-FEED-DROPPED;X-SEQUENCE=0;X-DTSTAMP=20260528T202640Z:week-1.2026-"
        b"spring-scores@seminar-feed\r\n" in unfolded
    )
    assert b"Score Seminar" not in (dist / "index.html").read_bytes()


def test_a_series_whose_id_changed_is_refused_until_the_old_id_is_dropped(
    seminars: Path,
) -> None:
    assert run("build", "seminars")[0] == 0
    dist = seminars / "dist"
    published = snapshot(dist)
    schedule = seminars / "2026-winter.yaml"  # not named after its id: the feed remembers it
    schedule.write_text(WINTER.replace("2026-winter-solvers", "2026-winter-samplers"), "utf-8")
    line = WINTER.splitlines().index("  id: 2026-winter-solvers") + 1

    code, _, err = run("build", "seminars", stamp=LATER)
    assert code == 1
    assert err == (
        f"seminars/2026-winter.yaml:{line}:7: calendar id '2026-winter-samplers' was "
        "'2026-winter-solvers' when 2026-winter.yaml was last built, and "
        "seminars/dist/2026-winter-solvers.ics still publishes it, so the series would be "
        "published twice; restore 'id: 2026-winter-solvers', or list '2026-winter-solvers' "
        "under 'drop' in group.yaml to move the series to 2026-winter-samplers.ics on purpose "
        "(its old feed and page are removed: its subscribers must subscribe again)\n"
    )
    assert snapshot(dist) == published

    (seminars / "group.yaml").write_text(GROUP + "drop: [2026-winter-solvers]\n", "utf-8")
    assert run("build", "seminars", stamp=LATER)[0] == 0
    combined = events_of(dist / "lab-seminars.ics")
    winter = [uid for uid in combined if "winter" in uid]
    assert winter == ["week-1.2026-winter-samplers@seminar-feed"]
    assert not (dist / "2026-winter-solvers.ics").exists()


def test_a_combined_feed_that_names_no_files_matches_a_series_by_its_file_name(
    seminars: Path,
) -> None:
    assert run("build", "seminars")[0] == 0
    combined = seminars / "dist" / "lab-seminars.ics"
    lines = combined.read_bytes().split(b"\r\n")
    combined.write_bytes(b"\r\n".join(line for line in lines if b"FEED-SERIES" not in line))
    schedule = seminars / "2026-fall-flows.yaml"
    schedule.write_text(FALL.replace("2026-fall-flows", "2026-autumn-flows"), "utf-8")
    code, _, err = run("build", "-q", "seminars", stamp=LATER)
    assert code == 1
    assert err.startswith(
        "seminars/2026-fall-flows.yaml:2:7: calendar id '2026-autumn-flows' was '2026-fall-flows'"
    )


def test_a_removed_series_keeps_its_sessions_to_come_as_cancelled_in_both_feeds(
    seminars: Path,
) -> None:
    assert run("build", "seminars")[0] == 0
    dist = seminars / "dist"
    before = events_of(dist / "2026-fall-flows.ics")
    (seminars / "2026-fall-flows.yaml").unlink()
    between = str(int(datetime(2026, 9, 10, tzinfo=timezone.utc).timestamp()))  # weeks 1 and 2

    code, _, err = run("build", "seminars", stamp=between)
    assert code == 0
    assert err.splitlines()[:2] == [
        "2026-fall-flows: week 2: cancelled: its series' schedule is gone",
        "warning: 2026-fall-flows: its schedule is gone from group.yaml's folder; its session "
        "still to come is kept in its feeds as cancelled, so subscribers see them go, and it "
        "stays published as a past series (list it under 'drop' to remove it)",
    ]
    own = events_of(dist / "2026-fall-flows.ics")
    combined = events_of(dist / "lab-seminars.ics")
    first, second = "week-1.2026-fall-flows@seminar-feed", "week-2.2026-fall-flows@seminar-feed"
    assert own[first] == before[first]  # it took place
    assert b"STATUS:CONFIRMED\r\n" in combined[first]
    for event in (own[second], combined[second]):
        assert b"STATUS:CANCELLED\r\n" in event
        assert b"SEQUENCE:1\r\n" in event
    assert b"SUMMARY:Cancelled: Week 2: Rectified Flows\r\n" in own[second]
    assert (
        b"SUMMARY:Cancelled: Flow Seminar \xc2\xb7 Week 2: Rectified Flows\r\n"
        in (combined[second])
    )
    past = (dist / "index.html").read_text(encoding="utf-8").split('id="past"')[1]
    assert '<a href="2026-fall-flows/">Flow Seminar</a>' in past
    assert "2 sessions, 1 cancelled" in past
    # Its own page and the session's file say so too, and offer nothing to add.
    page = (dist / "2026-fall-flows" / "index.html").read_text(encoding="utf-8")
    assert '<li id="week-1" class="session" ' in page
    assert '<li id="week-2" class="session cancelled" ' in page
    assert 'href="sessions/week-1.ics"' in page
    assert 'href="sessions/week-2.ics"' not in page
    assert "Rectified%20Flows" not in page  # no Google Calendar link either
    single = (dist / "2026-fall-flows" / "sessions" / "week-2.ics").read_bytes()
    assert b"\r\nSTATUS:CANCELLED\r\n" in single
    assert b"\r\nSEQUENCE:1\r\n" in single
    assert run("build", "--check", "seminars", stamp=LATER)[0] == 0  # no later build changes it


def test_a_dropped_series_restored_comes_back_above_every_revision_in_both_feeds(
    seminars: Path,
) -> None:
    group = seminars / "group.yaml"
    schedule = seminars / "2026-winter.yaml"
    group.write_text(GROUP + "leave_combined: [2026-winter-solvers]\n", encoding="utf-8")
    assert run("build", "-q", "seminars")[0] == 0
    schedule.write_text(WINTER.replace("Fast Samplers", "Faster Samplers"), encoding="utf-8")
    assert run("build", "-q", "seminars")[0] == 0  # revision 1 in its own feed alone
    schedule.unlink()
    group.write_text(GROUP + "drop: [2026-winter-solvers]\n", encoding="utf-8")
    assert run("build", "-q", "seminars")[0] == 0
    schedule.write_text(WINTER, encoding="utf-8")
    group.write_text(GROUP, encoding="utf-8")

    assert run("build", "-q", "seminars", stamp=LATER)[0] == 0
    uid = "week-1.2026-winter-solvers@seminar-feed"
    for feed in ("2026-winter-solvers.ics", "lab-seminars.ics"):
        event = events_of(seminars / "dist" / feed)[uid]
        assert b"\r\nSEQUENCE:2\r\n" in event, feed


def test_a_removed_series_is_cancelled_in_the_language_it_was_written_in(
    seminars: Path,
) -> None:
    schedule = seminars / "2026-winter.yaml"
    schedule.write_text(WINTER.replace("  name:", "  language: ko\n  name:"), encoding="utf-8")
    assert run("build", "-q", "seminars")[0] == 0
    schedule.unlink()
    assert run("build", "-q", "seminars", stamp=LATER)[0] == 0
    event = events_of(seminars / "dist" / "2026-winter-solvers.ics")
    summary = "취소됨: 1주차: Fast Samplers"
    assert f"SUMMARY:{summary}\r\n".encode() in event["week-1.2026-winter-solvers@seminar-feed"]


def test_a_series_that_leaves_the_combined_feed_keeps_its_own(seminars: Path) -> None:
    assert run("build", "seminars")[0] == 0
    own = (seminars / "dist" / "2026-spring-scores.ics").read_bytes()
    (seminars / "group.yaml").write_text(
        GROUP + "leave_combined: [2026-spring-scores]\n", encoding="utf-8"
    )
    assert run("build", "seminars", stamp=LATER)[0] == 0
    assert (seminars / "dist" / "2026-spring-scores.ics").read_bytes() == own
    combined = events_of(seminars / "dist" / "lab-seminars.ics")
    assert sorted(combined) == [
        "week-1.2026-fall-flows@seminar-feed",
        "week-1.2026-winter-solvers@seminar-feed",
        "week-2.2026-fall-flows@seminar-feed",
    ]


def test_a_removed_session_is_kept_cancelled_in_both_feeds(seminars: Path) -> None:
    assert run("build", "seminars")[0] == 0
    (seminars / "2026-fall-flows.yaml").write_text(FALL.split("  - week: 2")[0], encoding="utf-8")
    assert run("build", "seminars", stamp=LATER)[0] == 0
    uid = "week-2.2026-fall-flows@seminar-feed"
    combined = events_of(seminars / "dist" / "lab-seminars.ics")[uid]
    assert b"SUMMARY:Cancelled: Flow Seminar \xc2\xb7 Week 2: Rectified Flows\r\n" in combined
    assert b"STATUS:CANCELLED\r\n" in combined
    assert b"SEQUENCE:1\r\n" in combined


# -- list and serve ------------------------------------------------------------------


def test_list_shows_every_series_in_date_order(seminars: Path) -> None:
    assert run("list", "seminars") == (0, """\
SERIES               WEEK  DATE        TIME     PRESENTER     TITLE
2026-spring-scores   1     2026-03-02  all day                Score Matching
2026-spring-scores   2     2026-03-09  all day                Langevin Dynamics
2026-fall-flows      1     2026-09-07  18:30    Ada Lovelace  Flow Matching Basics
2026-fall-flows      2     2026-09-14  18:30                  Rectified Flows
2026-winter-solvers  1     2026-12-07  all day                Fast Samplers
""", "")  # fmt: skip
    code, out, _ = run("list", "--json", "seminars")
    assert code == 0
    assert [(e["series"], e["week"]) for e in json.loads(out)] == [
        ("2026-spring-scores", 1), ("2026-spring-scores", 2), ("2026-fall-flows", 1),
        ("2026-fall-flows", 2), ("2026-winter-solvers", 1),
    ]  # fmt: skip


def test_serve_previews_the_group_and_rebuilds_when_a_series_is_saved(seminars: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "SOURCE_DATE_EPOCH": STAMP}
    with subprocess.Popen(
        [sys.executable, "-m", "seminar_feed", "serve", "--port", "0", "seminars"],
        cwd=seminars.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as process:
        try:
            assert process.stdout is not None
            errors: list[str] = []
            threading.Thread(
                target=lambda: errors.extend(process.stderr or ()), daemon=True
            ).start()
            lines = [process.stdout.readline() for _ in range(5)]
            feed_url = lines[2].split()[-1]
            assert feed_url.endswith("/lab-seminars.ics")
            assert b"Flow Seminar \xc2\xb7 Week 2: Rectified Flows" in fetch(feed_url)[2]
            page = feed_url.replace("lab-seminars.ics", "2026-fall-flows/")
            assert b"<h1>Flow Seminar</h1>" in fetch(page)[2]
            (seminars / "2026-fall-flows.yaml").write_text(
                FALL.replace("Rectified Flows", "Straight Flows"), encoding="utf-8"
            )
            until(lambda: b"Week 2: Straight Flows" in fetch(feed_url)[2])
        finally:
            process.terminate()
    assert not (seminars / "dist").exists()


def test_hub_lists_series_by_first_session_with_their_dates(seminars: Path) -> None:
    assert run("build", "seminars")[0] == 0
    hub = (seminars / "dist" / "index.html").read_text(encoding="utf-8")
    current = hub.split('id="current"')[1].split('id="past"')[0]
    names = [part.split("</a>")[0] for part in current.split('/">')[1:]]
    assert names == ["Score Seminar", "Flow Seminar", "Solver Seminar"]
    assert 'data-ends="2026-09-15"' in current  # the day after the last session
    assert 'href="lab-seminars.ics" download' in hub
    # What group.yaml says of the group, above its series.
    assert "<p>Every reading seminar of the lab, one term at a time.</p>" in hub
    assert '<p><a href="https://example.org/lab/">The group\'s website' in hub


def test_the_nu_html_checker_finds_no_errors_on_the_hub_and_a_series_page(
    seminars: Path,
) -> None:
    assert run("build", "seminars")[0] == 0  # a hub whose script finds the feeds
    unserved = seminars / "hub-without-site-url.html"
    unserved.write_bytes((seminars / "dist" / "index.html").read_bytes())
    (seminars / "group.yaml").write_text(
        GROUP + "  site_url: https://example.org/lab/\n", encoding="utf-8"
    )
    assert run("build", "seminars")[0] == 0
    pages = [seminars / "dist" / "index.html", seminars / "dist" / "2026-fall-flows" / "index.html"]
    assert html_errors([*pages, unserved]) == []
    # Where the folder is served is known: the hub's buttons work without its script.
    hub = pages[0].read_text(encoding="utf-8")
    assert 'href="webcal://example.org/lab/lab-seminars.ics"' in hub
    assert 'href="webcal://example.org/lab/2026-fall-flows.ics"' in hub


# -- the group file's mistakes, and the folder's -------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "group.yaml: the file is empty; a group file needs 'group' with its 'id' and 'name'"),
        ("group: [a, b]\n", "group.yaml:1:8: expected group as a mapping of keys, got a list"),
        ("group:\n  id: lab\n", "group.yaml:2:3: group is missing the required key 'name'"),
        ("group:\n\tid: lab\n", "group.yaml:2:1: a tab cannot indent YAML; use spaces"),
        (GROUP + "grop: x\n", "group.yaml:6:1: unknown key 'grop' in the group file; did you "
         "mean 'group'?"),
        (GROUP + "  name: Again\n", "group.yaml:6:3: duplicate key 'name' (first on line 3); "
         "keep one"),
        (GROUP.replace("https://example.org/lab/", "ftp://example.org/"), "group.yaml:5:8: "
         "expected an http(s) URL like https://example.org/, got 'ftp://example.org/'"),
        (GROUP + "  site_url: http://example.org/lab/\n", "group.yaml:6:13: expected the https "
         "URL the folder is served at, like https://example.org/seminars/, got "
         "'http://example.org/lab/'"),
        (GROUP.replace("name: Lab Seminars", "name: Lab\\tSeminars").replace("  name", '  "name')
         .replace('"name:', "name:"), None),
        (GROUP + "drop: 2026-fall-flows\n", "group.yaml:6:7: expected a list of calendar "
         "ids like [2025-fall-flows], got '2026-fall-flows'"),
        (GROUP + "leave_combined: [a, a]\n", "group.yaml:6:21: 'a' is listed twice; keep one"),
        (GROUP + "  language: fr\n", "group.yaml:6:13: expected one of en, ko, got 'fr'"),
        # Room left for a series' id and .ics in a feed's address that fits a QR code.
        (GROUP + f"  site_url: https://e.org/{'a' * 1518}/\n", "group.yaml:6:13: this URL is "
         "1,533 characters long; keep it to 1,532, which a QR code holds"),
        (GROUP + "drop: [a]\nleave_combined: [a]\n", "group.yaml:6:7: 'a' is under both 'drop' "
         "and 'leave_combined'; a dropped series has left the combined feed already"),
    ],
)  # fmt: skip
def test_each_mistake_in_the_group_file_is_named_at_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str | None
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("group.yaml").write_text(text, encoding="utf-8")
    code, _, err = run("check", "group.yaml")
    if message is None:  # an escape that is not one in plain YAML is just text
        assert code == 0
        return
    assert (code, err) == (1, message + "\n")


def test_a_group_file_of_many_mistakes_shows_the_first_ones_and_counts_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    wrong = "".join(f"  - Wrong{number}\n" for number in range(250))
    Path("group.yaml").write_text(GROUP + "drop:\n" + wrong, encoding="utf-8")
    code, _, err = run("check", "group.yaml")
    lines = err.splitlines()
    assert (code, len(lines)) == (1, 201)
    assert lines[0] == "group.yaml: showing the first 200 problems found; 50 more are not shown"
    assert lines[1].startswith("group.yaml:7:5: expected lowercase letters, digits and hyphens")


def test_a_build_replaces_nothing_in_the_folder_it_did_not_write(seminars: Path) -> None:
    page = seminars / "dist" / "2026-fall-flows" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<!DOCTYPE html><title>Someone's own page</title>", encoding="utf-8")
    code, _, err = run("build", "-q", "seminars")
    assert code == 1
    assert err == (
        "seminars/dist/2026-fall-flows/index.html: not written by seminar-feed; move it away "
        "or choose another output folder\n"
    )
    assert sorted(path.name for path in (seminars / "dist").rglob("*")) == [
        "2026-fall-flows", "index.html"
    ]  # fmt: skip


def test_build_check_names_what_dropping_a_series_will_remove(seminars: Path) -> None:
    assert run("build", "seminars")[0] == 0
    (seminars / "2026-winter.yaml").unlink()
    (seminars / "group.yaml").write_text(GROUP + "drop: [2026-winter-solvers]\n", encoding="utf-8")
    code, _, err = run("build", "--check", "-q", "seminars")
    assert code == 1
    assert err.splitlines() == [
        "seminars/dist/index.html: out of date",
        "seminars/dist/lab-seminars.ics: out of date",
        "seminars/dist/2026-winter-solvers/sessions/week-1.ics: no longer published",
        "seminars/dist/2026-winter-solvers.ics: no longer published",
        "seminars/dist/2026-winter-solvers/index.html: no longer published",
        "seminars/dist/2026-winter-solvers/sessions: no longer published",
        "seminars/dist/2026-winter-solvers: no longer published",
        "run seminar-feed build to bring seminars/dist/ up to date",
    ]
    assert run("build", "-q", "seminars")[0] == 0
    assert not (seminars / "dist" / "2026-winter-solvers").exists()


def test_one_schedule_of_a_group_is_not_built_into_the_groups_folder(seminars: Path) -> None:
    assert run("build", "seminars")[0] == 0
    published = snapshot(seminars / "dist")
    for options in ([], ["--new-id"], ["--check"]):
        code, _, err = run("build", "seminars/2026-fall-flows.yaml", *options)
        assert code == 1
        assert err == (
            "seminars/dist: this folder is published by the group in seminars; build the "
            "group: seminar-feed build seminars, or name another output folder with -o\n"
        )
    assert snapshot(seminars / "dist") == published


def test_build_check_of_a_group_names_a_folder_it_does_not_publish(seminars: Path) -> None:
    assert run("build", "seminars")[0] == 0
    (seminars / "dist" / "sessions").mkdir()  # left by a build of one series
    code, _, err = run("build", "--check", "-q", "seminars")
    assert code == 1
    assert err.splitlines()[0] == "seminars/dist/sessions: no longer published"
    assert run("build", "-q", "seminars")[0] == 0
    assert not (seminars / "dist" / "sessions").exists()


def test_a_misspelt_series_under_leave_combined_is_warned_of(seminars: Path) -> None:
    (seminars / "group.yaml").write_text(
        GROUP + "leave_combined: [2026-spring-score]\n", encoding="utf-8"
    )
    line = len(GROUP.splitlines()) + 1
    warning = (
        f"warning: seminars/group.yaml:{line}:18: 2026-spring-score is under 'leave_combined' "
        "but no series of the group has that calendar id; check its spelling\n"
    )
    for command in ("check", "build"):
        code, _, err = run(command, "seminars")
        assert code == 0
        assert warning in err


def test_a_misspelt_series_under_drop_is_warned_of_but_a_dropped_one_is_not(
    seminars: Path,
) -> None:
    assert run("build", "-q", "seminars")[0] == 0
    (seminars / "2026-winter.yaml").unlink()
    (seminars / "group.yaml").write_text(
        GROUP + "drop: [2026-winter-solvers, 2026-spring-score]\n", encoding="utf-8"
    )
    for _ in range(2):  # the dropped series' feed is gone after the first
        code, _, err = run("build", "seminars")
        assert code == 0
        assert [line for line in err.splitlines() if line.startswith("warning")] == [
            f"warning: seminars/group.yaml:{len(GROUP.splitlines()) + 1}:29: 2026-spring-score "
            "is under 'drop' but no series of the group has that calendar id; check its spelling"
        ]


def test_list_build_and_the_hub_count_a_removed_series_still_published(seminars: Path) -> None:
    assert run("build", "-q", "seminars")[0] == 0
    (seminars / "2026-spring-scores.yaml").unlink()
    code, _, err = run("build", "seminars", stamp=LATER)
    assert code == 0
    assert err.splitlines()[-1] == (
        "wrote seminars/dist/lab-seminars.ics (5 events), seminars/dist/index.html and "
        "3 series in seminars/dist/"
    )
    code, out, _ = run("list", "seminars")
    assert code == 0
    assert [" ".join(line.split()) for line in out.splitlines()[1:3]] == [
        "2026-spring-scores 1 2026-03-02 all day Score Matching (removed)",
        "2026-spring-scores 2 2026-03-09 all day Langevin Dynamics (removed)",
    ]


def test_hidden_and_irregular_files_are_not_read_as_schedules(seminars: Path) -> None:
    (seminars / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    (seminars / "notes.yaml").write_text("todo: write\n", encoding="utf-8")
    os.mkfifo(seminars / "pipe.yaml")
    code, _, err = run("check", "seminars")
    assert code == 1
    assert err.splitlines() == [
        "seminars/notes.yaml:1:1: the schedule is missing the required key 'calendar'; move "
        "files that are not schedules out of the group's folder",
        "seminars/notes.yaml:1:1: the schedule is missing the required key 'sessions'",
        "seminars/notes.yaml:1:1: unknown key 'todo' in the schedule; expected one of: "
        "calendar, sessions",
        "seminars/pipe.yaml: is not a regular file; move files that are not schedules out of "
        "the group's folder",
    ]


def test_an_output_that_is_a_file_is_refused_before_any_report(seminars: Path) -> None:
    (seminars / "afile").write_text("mine\n", encoding="utf-8")
    code, _, err = run("build", "seminars", "-o", "seminars/afile")
    assert code == 1
    assert err == (
        "seminars/afile: is not a folder, where the build needs one; move it away or choose "
        "another output folder\n"
    )


def test_the_combined_feed_warns_near_google_calendars_limit(
    seminars: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = "\n".join(
        f"  - week: {week}\n    date: 2027-{1 + (week - 1) // 28:02d}-{1 + (week - 1) % 28:02d}\n"
        f"    title: Session {week}\n    description: {'A long description. ' * 490}"
        for week in range(1, 46)
    )
    for number in (1, 2):
        (seminars / f"big-{number}.yaml").write_text(
            f"calendar:\n  id: big-{number}\n  name: Big {number}\nsessions:\n{many}\n",
            encoding="utf-8",
        )
    code, _, err = run("build", "seminars")
    assert code == 0
    size = (seminars / "dist" / "lab-seminars.ics").stat().st_size
    assert 900_000 < size < 1_000_000
    assert (
        f"warning: lab-seminars.ics is {size // 1000} kB; Google Calendar refuses feeds over "
        "about 1 MB: list past series under 'leave_combined' in group.yaml (they keep their "
        "own feeds)\n"
    ) in err
    assert "warning: big-1: warning" not in err  # each series' own feed is under the limit


def test_the_combined_feed_matches_its_golden_file_and_the_line_rules(
    seminars: Path, golden: Callable[[str, bytes], None]
) -> None:
    assert run("build", "seminars")[0] == 0
    data = (seminars / "dist" / "lab-seminars.ics").read_bytes()
    assert lint_ics(data) == []
    golden("lab-seminars.ics", data)


def test_the_preview_shows_past_series_as_the_published_folder_has_them(
    seminars: Path, tmp_path: Path
) -> None:
    assert run("build", "seminars")[0] == 0
    (seminars / "2026-spring-scores.yaml").unlink()
    preview = tmp_path / "preview"
    built = group_into(
        seminars / "group.yaml", preview, stamp=datetime(2026, 9, 1, tzinfo=timezone.utc)
    )
    assert [one.id for one in built.past] == ["2026-spring-scores"]
    published = snapshot(seminars / "dist")
    shown = snapshot(preview)
    for name in ("2026-spring-scores.ics", "2026-spring-scores/index.html",
                 "2026-spring-scores/sessions/week-1.ics"):  # fmt: skip
        assert shown[name] == published[name]


def test_the_preview_shows_a_past_series_sessions_to_come_cancelled(
    seminars: Path, tmp_path: Path
) -> None:
    assert run("build", "seminars")[0] == 0
    (seminars / "2026-fall-flows.yaml").unlink()
    preview = tmp_path / "preview"
    group_into(seminars / "group.yaml", preview, stamp=datetime(2026, 9, 10, tzinfo=timezone.utc))
    page = (preview / "2026-fall-flows" / "index.html").read_text(encoding="utf-8")
    assert '<li id="week-2" class="session cancelled" ' in page
    single = (preview / "2026-fall-flows" / "sessions" / "week-2.ics").read_bytes()
    assert b"\r\nSTATUS:CANCELLED\r\n" in single
    assert (seminars / "dist" / "2026-fall-flows" / "index.html").read_text(encoding="utf-8").count(
        "session cancelled"
    ) == 0  # the published folder is left alone


def test_dropping_series_removes_their_emptied_folders_but_not_a_linked_one(
    seminars: Path,
) -> None:
    assert run("build", "seminars")[0] == 0
    dist = seminars / "dist"
    linked = dist / "2026-winter-solvers" / "sessions"
    elsewhere = seminars.parent / "elsewhere"
    linked.rename(elsewhere)
    linked.symlink_to(elsewhere)
    (seminars / "2026-winter.yaml").unlink()
    (seminars / "2026-fall-flows.yaml").unlink()
    (seminars / "group.yaml").write_text(
        GROUP + "drop: [2026-winter-solvers, 2026-fall-flows]\n", encoding="utf-8"
    )
    assert run("build", "seminars", stamp=LATER)[0] == 0
    assert not (dist / "2026-fall-flows").exists()
    assert linked.is_symlink()  # someone else's link: left as it is
