"""The command as a process: how it ends, and what it does when its standard streams fail."""

from __future__ import annotations

import gc
import io
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest
from click.testing import CliRunner

from seminar_feed.__main__ import run
from seminar_feed.cli import main
from tools import MINIMAL_SCHEDULE

EPOCH = "1780304400"  # 2026-06-01T09:00:00Z
COMMAND = [sys.executable, "-m", "seminar_feed"]
FULL = "standard output: cannot write: No space left on device"
# Whether Python buffers standard output: the interpreter's own streams behave apart.
BUFFERING = {"buffered": None, "unbuffered": "1"}


@pytest.fixture
def schedule(write_schedule: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_schedule(MINIMAL_SCHEDULE)
    monkeypatch.chdir(path.parent)
    return path


def environment(unbuffered: str | None) -> dict[str, str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("PYTHONUNBUFFERED", None)
    return env if unbuffered is None else {**env, "PYTHONUNBUFFERED": unbuffered}


def test_a_real_process_writes_the_whole_feed_before_it_ends(schedule: Path) -> None:
    # The process ends without the interpreter's teardown, which is what would otherwise
    # flush standard output: a feed smaller than its buffer must still arrive, whole.
    ended = subprocess.run(
        [*COMMAND, "build", "-o", "-"], capture_output=True, env=environment(None), check=False
    )
    assert ended.returncode == 0
    assert len(ended.stdout) < io.DEFAULT_BUFFER_SIZE
    expected = CliRunner().invoke(main, ["build", "-o", "-"], env={"SOURCE_DATE_EPOCH": EPOCH})
    assert ended.stdout == expected.stdout_bytes
    assert ended.stdout.endswith(b"END:VEVENT\r\nEND:VCALENDAR\r\n")


def test_the_installed_command_exits_with_the_status_of_what_it_ran(schedule: Path) -> None:
    command = str(Path(sys.executable).parent / "seminar-feed")
    version = subprocess.run([command, "--version"], capture_output=True, check=False)
    assert (version.returncode, version.stdout) == (0, b"seminar-feed, version 0.1.0\n")
    assert subprocess.run([command, "check", "missing.yaml"], capture_output=True).returncode == 1
    assert subprocess.run([command, "check", "--nope"], capture_output=True).returncode == 2


@pytest.mark.parametrize("unbuffered", BUFFERING.values(), ids=BUFFERING)
@pytest.mark.parametrize(
    "args",
    [["build", "-o", "-"], ["check"], ["schema"], ["list"], ["list", "--json"], ["--help"]],
    ids=" ".join,
)
def test_a_full_disk_under_standard_output_is_reported_without_a_traceback(
    schedule: Path, args: list[str], unbuffered: str | None
) -> None:
    with Path("/dev/full").open("wb") as full:  # every write to it fails: no space left
        ended = subprocess.run(
            [*COMMAND, *args], stdout=full, stderr=subprocess.PIPE, env=environment(unbuffered),
            check=False,
        )  # fmt: skip
    assert (ended.returncode, ended.stderr.decode().splitlines()[-1]) == (1, FULL)
    assert b"Traceback" not in ended.stderr


@pytest.mark.parametrize("unbuffered", BUFFERING.values(), ids=BUFFERING)
def test_output_cut_short_by_a_file_size_limit_is_reported(
    schedule: Path, unbuffered: str | None
) -> None:
    # A write past the limit takes what fits and reports nothing; Python's unbuffered
    # stream would let the rest go, and the command end as if all were written.
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    written = schedule.parent / "schema.json"
    with written.open("wb") as file:
        ended = subprocess.run(
            [*COMMAND, "schema"], stdout=file, stderr=subprocess.PIPE, preexec_fn=limit,
            env=environment(unbuffered), check=False,
        )  # fmt: skip
    assert (ended.returncode, ended.stderr) == (
        1,
        b"standard output: cannot write: File too large\n",
    )
    assert written.stat().st_size == 4096


def test_a_reader_that_has_gone_ends_the_command_quietly(schedule: Path) -> None:
    with subprocess.Popen(
        [*COMMAND, "schema"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        stdout, stderr = process.stdout, process.stderr
        assert stdout is not None
        assert stderr is not None
        stdout.close()  # before the command can write a line
        said = stderr.read()
    assert (process.returncode, said) == (1, b"")


@pytest.mark.parametrize("unbuffered", BUFFERING.values(), ids=BUFFERING)
def test_a_closed_standard_output_fails_the_commands_that_write_to_it(
    schedule: Path, unbuffered: str | None
) -> None:
    def closed(*args: str) -> subprocess.CompletedProcess[bytes]:
        shell = ["sh", "-c", 'exec "$@" >&-', "sh", *COMMAND, *args]
        return subprocess.run(shell, capture_output=True, env=environment(unbuffered))

    for args in ["build", "-o", "-"], ["check"]:
        ended = closed(*args)
        assert ended.returncode == 1
        assert ended.stderr.decode().splitlines()[-1] == (
            "standard output: cannot write: Bad file descriptor"
        )
    built = closed("build")  # to dist/, writing nothing to standard output
    assert built.returncode == 0
    assert (schedule.parent / "dist" / "demo.ics").is_file()


@pytest.mark.parametrize("unbuffered", BUFFERING.values(), ids=BUFFERING)
def test_messages_that_cannot_be_written_do_not_stop_a_build(
    schedule: Path, unbuffered: str | None
) -> None:
    with Path("/dev/full").open("wb") as full:
        built = subprocess.run(
            [*COMMAND, "build"], stdout=subprocess.PIPE, stderr=full,
            env=environment(unbuffered), check=False,
        )  # fmt: skip
    assert built.returncode == 0
    assert (schedule.parent / "dist" / "demo.ics").is_file()
    shell = ["sh", "-c", 'exec "$@" 2>&-', "sh", *COMMAND, "build", "-o", "-"]
    written = subprocess.run(shell, capture_output=True, env=environment(unbuffered))
    assert written.returncode == 0
    assert written.stdout.startswith(b"BEGIN:VCALENDAR\r\n")


def test_a_real_process_under_a_profiler_ends_as_usual_for_it_to_report(schedule: Path) -> None:
    command = [sys.executable, "-m", "cProfile", "-m", "seminar_feed", "check"]
    ended = subprocess.run(command, capture_output=True, check=True)
    ok, profile = ended.stdout.split(b"\n", 1)
    assert ok == b"schedule.yaml: ok (1 session)"
    assert b" function calls " in profile  # written by the profiler as the process ends


class Ended(Exception):
    """os._exit, told apart from the ways a test process may end."""


@pytest.fixture
def unwatched(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Run in-process as in a process nothing watches, whatever runs these tests; give
    the statuses os._exit was called with."""
    statuses: list[int] = []

    def end(status: int) -> NoReturn:
        statuses.append(status)
        raise Ended

    monkeypatch.setattr(os, "_exit", end)
    monkeypatch.setattr(sys, "stdout", sys.stdout)  # put back when the test ends, as run()
    monkeypatch.setattr(sys, "stderr", sys.stderr)  # reopens the process's own streams
    monkeypatch.setattr(gc, "set_threshold", lambda *_: None)  # this process's collector stays
    monkeypatch.setattr(sys, "gettrace", lambda: None)
    monkeypatch.setattr(sys, "getprofile", lambda: None)
    if sys.version_info >= (3, 12):
        monkeypatch.setattr(sys.monitoring, "get_tool", lambda _: None)
    return statuses


def test_run_ends_the_process_with_the_status_of_the_command(
    schedule: Path,
    unwatched: list[int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv in ["check"], ["check", "missing.yaml"], ["build", "-x"]:
        monkeypatch.setattr(sys, "argv", ["seminar-feed", *argv])
        with pytest.raises(Ended):
            run()
    assert unwatched == [0, 1, 2]
    assert capsys.readouterr().out == "schedule.yaml: ok (1 session)\n"


def test_run_leaves_an_exit_with_a_message_to_python(
    unwatched: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def message(**_: object) -> NoReturn:
        raise SystemExit("stopped")

    monkeypatch.setattr(main, "main", message)
    with pytest.raises(SystemExit) as exited:
        run()
    assert exited.value.code == "stopped"
    assert unwatched == []
