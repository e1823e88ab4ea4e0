"""A build that dies, races another build, or cannot write never leaves a broken feed."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from lint import lint_ics
from tools import require

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1780304400"}
SESSIONS_TO_KILL = 800  # enough that writing the files takes a good part of a build
KILLS = 8
# Root writes through permission bits; without these capabilities it obeys them.
AS_ORDINARY_USER = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def schedule_text(sessions: int, title: str) -> str:
    lines = ["calendar:", "  id: demo", "  name: Demo", "  starts: 1990-01-01", "sessions:"]
    for week in range(1, sessions + 1):
        lines += [
            f"  - week: {week}",
            f"    title: {title} {week}",
            "    description: " + "x" * 300,
        ]
    return "\n".join(lines) + "\n"


def build(folder: Path, *args: str, prefix: tuple[str, ...] = ()) -> subprocess.Popen[bytes]:
    command = [*prefix, sys.executable, "-m", "seminar_feed", "build", *args]
    return subprocess.Popen(
        command, cwd=folder, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def finish(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    _, error = process.communicate()
    return process.returncode, error.decode()


def built(folder: Path, text: str, *args: str) -> bytes:
    (folder / "schedule.yaml").write_text(text, encoding="utf-8")
    status, error = finish(build(folder, *args))
    assert status == 0, error
    return (folder / "dist" / "demo.ics").read_bytes()


def published(folder: Path) -> dict[str, bytes]:
    """Every file a build publishes in the folder, by its path relative to it."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and not path.name.endswith(".tmp")
    }


def same_file(now: os.stat_result, before: os.stat_result) -> bool:
    return (now.st_ino, now.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def kill_while_writing(
    prepare: Callable[[int], None],
    start: Callable[[], subprocess.Popen[bytes]],
    first_written: Path,
    dist: Path,
    versions: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    """Prepare each round and start a build; once the first file it writes has changed,
    kill it at a random moment while it writes, and check every file is whole, old or
    new. The first build runs to the end, to time its writing."""
    chance = random.Random(2026)
    writing = 0.0
    mixed = 0
    for round_number in range(KILLS + 1):
        prepare(round_number)
        before = first_written.stat()
        process = start()
        while same_file(first_written.stat(), before) and process.poll() is None:
            time.sleep(0.001)
        started = time.monotonic()
        if round_number == 0:
            assert finish(process)[0] == 0
            writing = time.monotonic() - started
            assert published(dist) in versions
            continue
        time.sleep(chance.uniform(0, writing))
        process.send_signal(signal.SIGKILL)
        finish(process)
        files = published(dist)
        assert sorted(files) == sorted(versions[0])
        for name, data in files.items():
            assert data in (versions[0][name], versions[1][name]), name
        mixed += files not in versions
    assert mixed, "no build was killed while it wrote; make the schedule longer"
    assert finish(start())[0] == 0
    assert not list(dist.rglob("*.tmp"))


def test_killing_a_build_while_it_writes_leaves_each_file_old_or_new(tmp_path: Path) -> None:
    # Without revisions carried over, each schedule has one version of every file.
    versions = []
    for title in ("Old", "New"):
        built(tmp_path, schedule_text(SESSIONS_TO_KILL, title), "--previous", "none")
        versions.append(published(tmp_path / "dist"))

    def prepare(round_number: int) -> None:
        text = schedule_text(SESSIONS_TO_KILL, ("Old", "New")[round_number % 2])
        (tmp_path / "schedule.yaml").write_text(text, encoding="utf-8")

    kill_while_writing(
        prepare,
        lambda: build(tmp_path, "--previous", "none"),
        tmp_path / "dist" / "sessions" / "week-1.ics",
        tmp_path / "dist",
        (versions[0], versions[1]),
    )


def group_text(series: int, sessions: int, title: str) -> dict[str, str]:
    """A group file and its series' schedules, by file name."""
    files = {"group.yaml": "group:\n  id: lab\n  name: Lab\n"}
    for number in range(1, series + 1):
        text = schedule_text(sessions, title).replace("id: demo", f"id: series-{number}")
        files[f"series-{number}.yaml"] = text
    return files


def write_files(folder: Path, files: Mapping[str, str | bytes]) -> None:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)


def test_killing_a_group_build_while_it_writes_leaves_each_file_old_or_new(
    tmp_path: Path,
) -> None:
    # A group cannot start afresh with --previous none; every round builds the new
    # schedules over the same old folder, so each file has one old and one new version.
    seminars = tmp_path / "seminars"
    write_files(seminars, group_text(4, SESSIONS_TO_KILL // 4, "Old"))
    assert finish(build(seminars, "."))[0] == 0
    old = published(seminars / "dist")
    write_files(seminars, group_text(4, SESSIONS_TO_KILL // 4, "New"))
    assert finish(build(seminars, "."))[0] == 0
    new = published(seminars / "dist")
    assert sorted(new) == sorted(old)
    for name in ("lab.ics", "series-1.ics", "series-1/index.html"):
        assert old[name] != new[name], name

    kill_while_writing(
        lambda _: write_files(seminars / "dist", old),
        lambda: build(seminars, "."),
        seminars / "dist" / "series-1" / "sessions" / "week-1.ics",
        seminars / "dist",
        (old, new),
    )


def test_two_builds_at_once_leave_all_files_of_one(tmp_path: Path) -> None:
    built(tmp_path, schedule_text(300, "Old"))
    old = published(tmp_path / "dist")
    expected = []
    for name in ("first", "second"):
        (tmp_path / f"{name}.yaml").write_text(schedule_text(300, name), encoding="utf-8")
        assert finish(build(tmp_path, f"{name}.yaml", "--previous", "none"))[0] == 0
        expected.append(published(tmp_path / "dist"))
        for path, data in old.items():
            (tmp_path / "dist" / path).write_bytes(data)
    for _ in range(4):
        racers = [
            build(tmp_path, f"{name}.yaml", "--previous", "none") for name in ("first", "second")
        ]
        assert [finish(racer)[0] for racer in racers] == [0, 0]
        files = published(tmp_path / "dist")
        assert files in expected
        assert lint_ics(files["demo.ics"]) == []
        for path, data in old.items():
            (tmp_path / "dist" / path).write_bytes(data)


def test_builds_started_at_once_after_sessions_left_all_succeed(tmp_path: Path) -> None:
    built(tmp_path, schedule_text(200, "Old"))
    sessions = tmp_path / "dist" / "sessions"
    (tmp_path / "schedule.yaml").write_text(schedule_text(20, "Old"), encoding="utf-8")
    # Each build removes the 180 files that the others remove too.
    racers = [build(tmp_path, "--drop-removed") for _ in range(20)]
    results = [finish(racer) for racer in racers]
    assert [status for status, _ in results] == [0] * 20, results
    assert sorted(path.name for path in sessions.iterdir()) == sorted(
        f"week-{week}.ics" for week in range(1, 21)
    )


def test_a_read_only_dist_gives_a_clear_error(tmp_path: Path) -> None:
    old = built(tmp_path, schedule_text(3, "Old"))
    (tmp_path / "schedule.yaml").write_text(schedule_text(3, "New"), encoding="utf-8")
    (tmp_path / "dist").chmod(0o555)
    (tmp_path / "dist" / "demo.ics").chmod(0o444)
    if os.geteuid() == 0:
        require(shutil.which("setpriv") is not None, "setpriv", "apt-get install util-linux")
    status, error = finish(build(tmp_path, prefix=tuple(AS_ORDINARY_USER) * (os.geteuid() == 0)))
    assert status == 1
    assert error.splitlines()[-1] == (
        "dist/index.html: cannot write: Permission denied; the published feed is unchanged"
    )
    assert (tmp_path / "dist" / "demo.ics").read_bytes() == old
