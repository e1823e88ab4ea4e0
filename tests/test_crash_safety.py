"""A build that dies, races another build, or cannot write never leaves a broken feed."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lint import lint_ics

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1780304400"}
# Root writes through permission bits; without these capabilities it obeys them.
AS_ORDINARY_USER = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def schedule_text(sessions: int, title: str) -> str:
    lines = ["calendar:", "  id: demo", "  name: Demo", "  starts: 2026-01-05", "sessions:"]
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


def test_killing_a_build_leaves_the_old_or_the_new_feed(tmp_path: Path) -> None:
    old = built(tmp_path, schedule_text(2000, "Old"))
    new = built(tmp_path, schedule_text(2000, "New"))
    started = time.monotonic()
    built(tmp_path, schedule_text(2000, "New"))
    duration = time.monotonic() - started
    chance = random.Random(2026)
    for _ in range(20):
        (tmp_path / "dist" / "demo.ics").write_bytes(old)
        process = build(tmp_path)
        time.sleep(chance.uniform(0, duration))
        process.send_signal(signal.SIGKILL)
        finish(process)
        feed = (tmp_path / "dist" / "demo.ics").read_bytes()
        assert feed in (old, new)


def test_two_builds_at_once_leave_one_valid_feed(tmp_path: Path) -> None:
    old = built(tmp_path, schedule_text(200, "Old"))
    (tmp_path / "first.yaml").write_text(schedule_text(300, "First"), encoding="utf-8")
    (tmp_path / "second.yaml").write_text(schedule_text(300, "Second"), encoding="utf-8")
    expected = set()
    for name in ("first", "second"):
        (tmp_path / "dist" / "demo.ics").write_bytes(old)
        assert finish(build(tmp_path, f"{name}.yaml", "-o", "dist/demo.ics"))[0] == 0
        expected.add((tmp_path / "dist" / "demo.ics").read_bytes())
    for _ in range(5):
        (tmp_path / "dist" / "demo.ics").write_bytes(old)
        racers = [
            build(tmp_path, f"{name}.yaml", "-o", "dist/demo.ics") for name in ("first", "second")
        ]
        assert [finish(racer)[0] for racer in racers] == [0, 0]
        feed = (tmp_path / "dist" / "demo.ics").read_bytes()
        assert feed in expected
        assert lint_ics(feed) == []


def test_builds_started_at_once_after_sessions_left_all_succeed(tmp_path: Path) -> None:
    built(tmp_path, schedule_text(200, "Old"))
    sessions = tmp_path / "dist" / "sessions"
    kept = {path.name: path.read_bytes() for path in sessions.iterdir()}
    (tmp_path / "schedule.yaml").write_text(schedule_text(20, "Old"), encoding="utf-8")
    for _ in range(2):  # each build removes the 180 files the others remove too
        for name, data in kept.items():
            (sessions / name).write_bytes(data)
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
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv, nothing is read-only")
    status, error = finish(build(tmp_path, prefix=tuple(AS_ORDINARY_USER) * (os.geteuid() == 0)))
    assert status == 1
    assert error.splitlines()[-1] == (
        "dist/index.html: cannot write: Permission denied; the published feed is unchanged"
    )
    assert (tmp_path / "dist" / "demo.ics").read_bytes() == old
