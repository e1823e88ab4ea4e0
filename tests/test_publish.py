"""The published folder: only our own files are replaced, each in one step, and a folder
that cannot be written or checked is reported, never a traceback."""

from __future__ import annotations

import errno
import fcntl
import os
import pathlib
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from seminar_feed import publish
from seminar_feed.cli import main
from seminar_feed.errors import Problem, Where
from seminar_feed.feed import render_feed
from seminar_feed.load import load_schedule
from seminar_feed.publish import (
    FolderError,
    other_feeds,
    site_files,
    write_atomically,
    write_site,
)
from tools import MINIMAL_SCHEDULE, require

OURS = b"-//seminar-feed//seminar-feed//EN"

ENV = {"SOURCE_DATE_EPOCH": "1780304400"}
SCHEDULE = MINIMAL_SCHEDULE + "  - week: 2\n    date: 2026-07-13\n    title: Two\n"
PUBLISHED = [
    "sessions/week-1.ics",
    "sessions/week-2.ics",
    "index.html",
    "schedule.schema.json",
    ".nojekyll",
    "favicon.svg",
    "favicon.ico",
    "demo.ics",
]
MOVE_AWAY = "move it away or choose another output folder"
NEW = "week 1: new\nweek 2: new\n"
# Root writes through permission bits; without these capabilities it obeys them.
AS_ORDINARY_USER = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV, catch_exceptions=False)


@pytest.fixture
def schedule(write_schedule: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_schedule(SCHEDULE)
    monkeypatch.chdir(path.parent)
    return path


def contents(folder: Path) -> dict[str, bytes]:
    """Every file under the folder, by its path relative to it."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def require_ordinary_user() -> list[str]:
    """A prefix that runs a command without root's power over permission bits."""
    if os.geteuid() != 0:
        return []
    require(shutil.which("setpriv") is not None, "setpriv", "apt-get install util-linux")
    return AS_ORDINARY_USER


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("index.html", b"<!DOCTYPE html>\n<title>Our lab</title>\n"),
        ("schedule.schema.json", b'{"title": "another schema"}\n'),
        (".nojekyll", b"keep\n"),
        ("sessions/week-1.ics", b"BEGIN:VCALENDAR\r\nPRODID:-//Other//EN\r\nEND:VCALENDAR\r\n"),
        ("sessions/party.ics", b"BEGIN:VCALENDAR\r\nPRODID:-//Other//EN\r\nEND:VCALENDAR\r\n"),
        ("demo.ics", b"BEGIN:VCALENDAR\r\nPRODID:-//Other//EN\r\nEND:VCALENDAR\r\n"),
        ("sessions/week-1.ics", b"BEGIN:VCALENDAR\r\nPRODID:-//Caf\xe9//EN\r\nEND:VCALENDAR\r\n"),
        ("sessions/week-1.ics", b"BEGIN:VCALENDAR\r\nPRODID:" + OURS + b"X\r\nEND:VCALENDAR\r\n"),
        ("sessions/week-1.ics", b"BEGIN:VCALENDAR\r\nPRODID:" + OURS + b"\x0b\r\n"
         b"END:VCALENDAR\r\n"),
        # Ours say so in their first lines; a mention further down is someone else's text.
        ("sessions/week-1.ics", b"BEGIN:VCALENDAR\r\n" + (b"X-NOTE:" + b"a" * 66 + b"\r\n") * 60
         + b"PRODID:" + OURS + b"\r\nEND:VCALENDAR\r\n"),
    ],
    ids=["page", "schema", "nojekyll", "session", "removed session", "feed",
         "not UTF-8", "another product", "vertical tab", "mark past the head"],
)  # fmt: skip
def test_a_file_we_did_not_write_stops_the_build_before_anything_is_written(
    schedule: Path, name: str, data: bytes
) -> None:
    dist = schedule.parent / "dist"
    (dist / "sessions").mkdir(parents=True)
    (dist / name).write_bytes(data)
    for command in (["build", "--previous", "none"], ["build", "--previous", "none", "--check"]):
        result = run(*command)
        assert (result.exit_code, result.stderr) == (
            1,
            f"{NEW}dist/{name}: not written by seminar-feed; {MOVE_AWAY}\n",
        )
        assert contents(dist) == {name: data}


def test_every_foreign_file_is_named_at_once(schedule: Path) -> None:
    dist = schedule.parent / "dist"
    (dist / "sessions").mkdir(parents=True)
    for name in ("index.html", "sessions/old.ics", "sessions/week-2.ics"):
        (dist / name).write_text("mine\n", encoding="utf-8")
    result = run("build")
    assert (result.exit_code, result.stderr) == (
        1,
        NEW
        + f"dist/index.html: not written by seminar-feed; {MOVE_AWAY}\n"
        + f"dist/sessions/old.ics: not written by seminar-feed; {MOVE_AWAY}\n"
        + f"dist/sessions/week-2.ics: not written by seminar-feed; {MOVE_AWAY}\n",
    )


def test_a_build_replaces_a_page_written_before_pages_carried_their_mark(schedule: Path) -> None:
    dist = schedule.parent / "dist"
    dist.mkdir()
    (dist / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<body>\n'
        '<footer class="muted">Built with seminar-feed from the seminar\'s schedule.</footer>\n'
        "</body>\n</html>\n",
        encoding="utf-8",
    )
    assert run("build").exit_code == 0
    page = (dist / "index.html").read_text(encoding="utf-8")
    assert '<meta name="generator" content="seminar-feed">' in page.split("</head>")[0]


def test_a_build_into_a_folder_of_other_files_keeps_them(schedule: Path) -> None:
    dist = schedule.parent / "dist"
    (dist / "sessions").mkdir(parents=True)
    others = {"README.md": b"notes\n", "sessions/notes.txt": b"x\n", "sessions/.hidden.ics": b""}
    for name, data in others.items():
        (dist / name).write_bytes(data)
    assert run("build").exit_code == 0
    assert sorted(contents(dist)) == sorted([*others, *PUBLISHED])
    assert {name: contents(dist)[name] for name in others} == others


@pytest.mark.parametrize("name", ["index.html", "demo.ics", "sessions/week-1.ics"])
def test_a_folder_where_a_file_goes_is_reported(schedule: Path, name: str) -> None:
    (schedule.parent / "dist" / name).mkdir(parents=True)
    for command in (["build", "--previous", "none"], ["build", "--previous", "none", "--check"]):
        result = run(*command)
        assert (result.exit_code, result.stderr) == (
            1,
            f"{NEW}dist/{name}: is a folder, where the build writes a file; {MOVE_AWAY}\n",
        )
    assert contents(schedule.parent / "dist") == {}


@pytest.mark.parametrize("blocked", ["dist", "dist/sessions"])
def test_a_file_where_a_folder_goes_is_reported(schedule: Path, blocked: str) -> None:
    (schedule.parent / blocked).parent.mkdir(exist_ok=True)
    (schedule.parent / blocked).write_text("a file\n", encoding="utf-8")
    for command in (["build"], ["build", "--check"]):
        result = run(*command)
        assert (result.exit_code, result.stderr) == (
            1,
            f"{NEW}{blocked}: is not a folder, where the build needs one; {MOVE_AWAY}\n",
        )
    assert (schedule.parent / blocked).read_text(encoding="utf-8") == "a file\n"


def test_symbolic_links_are_not_replaced_but_a_linked_folder_is_written(
    schedule: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_text("someone else's page\n", encoding="utf-8")
    (schedule.parent / "dist").mkdir()
    (schedule.parent / "dist" / "index.html").symlink_to(elsewhere)
    result = run("build")
    assert (result.exit_code, result.stderr) == (
        1,
        f"{NEW}dist/index.html: is a symbolic link, not a file seminar-feed wrote; {MOVE_AWAY}\n",
    )
    assert elsewhere.read_text(encoding="utf-8") == "someone else's page\n"
    (schedule.parent / "real").mkdir()
    (schedule.parent / "linked").symlink_to("real")
    assert run("build", "-o", "linked/demo.ics").exit_code == 0
    assert sorted(contents(schedule.parent / "real")) == sorted(PUBLISHED)


def test_other_feeds_are_ours_under_other_names_but_no_links(tmp_path: Path) -> None:
    ours = b"BEGIN:VCALENDAR\r\nPRODID:" + OURS + b"\r\nEND:VCALENDAR\r\n"
    for name in ("a-current.ics", "b-old.ics", "d-old.ics"):
        (tmp_path / name).write_bytes(ours)
    (tmp_path / "c-other.ics").write_bytes(b"BEGIN:VCALENDAR\r\nPRODID:-//Other//EN\r\n")
    (tmp_path / "e-folder.ics").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "f.ics").write_bytes(ours)
    (tmp_path / "f-link.ics").symlink_to(elsewhere / "f.ics")
    assert other_feeds(tmp_path, "a-current.ics") == [
        tmp_path / "b-old.ics",
        tmp_path / "d-old.ics",
    ]


def test_a_feed_that_cannot_be_read_is_passed_over_for_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = b"BEGIN:VCALENDAR\r\nPRODID:" + OURS + b"\r\nEND:VCALENDAR\r\n"
    for name in ("a-current.ics", "b-unreadable.ics", "c-old.ics"):
        (tmp_path / name).write_bytes(ours)
    opened = Path.open

    def open_unless_unreadable(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path.name == "b-unreadable.ics":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return opened(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_unless_unreadable)
    assert other_feeds(tmp_path, "a-current.ics") == [tmp_path / "c-old.ics"]


def test_a_file_is_written_beside_its_place_under_a_name_a_build_cleans_up(
    tmp_path: Path,
) -> None:
    seen: list[str] = []

    def pieces() -> Iterator[bytes]:
        yield b"BEGIN:VCALENDAR\r\n"
        seen.extend(os.listdir(tmp_path))  # while the file is being written
        yield b"END:VCALENDAR\r\n"

    write_atomically(tmp_path / "demo.ics", pieces(), durable=False)
    (temporary,) = seen
    assert re.fullmatch(r"\.seminar-feed-[a-z0-9_]+\.tmp", temporary), temporary
    assert os.listdir(tmp_path) == ["demo.ics"]


def test_a_file_that_cannot_be_started_is_named_not_its_temporary(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "demo.ics"
    with pytest.raises(FileNotFoundError) as failed:
        write_atomically(path, [b"BEGIN:VCALENDAR\r\n"], durable=False)
    error = failed.value
    assert (error.errno, error.strerror, error.filename) == (
        errno.ENOENT,
        "No such file or directory",
        str(path),
    )


@pytest.mark.parametrize(
    "failure",
    [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
    ids=["disk full", "interrupted"],
)
def test_a_write_that_fails_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, failure: BaseException
) -> None:
    path = tmp_path / "demo.ics"
    path.write_bytes(b"old")

    def pieces() -> Iterator[bytes]:
        yield b"BEGIN:VCALENDAR\r\n"
        raise failure

    with pytest.raises(type(failure)) as failed:
        write_atomically(path, pieces(), durable=True)
    assert os.listdir(tmp_path) == ["demo.ics"]
    assert path.read_bytes() == b"old"
    if isinstance(failure, OSError):
        error = failed.value
        assert isinstance(error, OSError)
        assert (error.errno, error.strerror, error.filename) == (
            errno.ENOSPC,
            "No space left on device",
            str(path),
        )


def test_a_folder_error_reads_as_its_problems_in_order_one_a_line() -> None:
    error = FolderError(
        [Problem(Where("dist/b.ics"), "is a folder"), Problem(Where("dist/a.ics"), "cannot read")]
    )
    assert str(error) == "dist/a.ics: cannot read\ndist/b.ics: is a folder"


def test_a_pipe_where_the_page_goes_is_refused_without_waiting(schedule: Path) -> None:
    (schedule.parent / "dist").mkdir()
    os.mkfifo(schedule.parent / "dist" / "index.html")
    result = run("build")
    assert (result.exit_code, result.stderr) == (
        1,
        f"{NEW}dist/index.html: is not a regular file; {MOVE_AWAY}\n",
    )


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("dist", "dist names a folder; name the feed file in it, like dist/seminar.ics"),
        ("new/", "new/ names a folder; name the feed file in it, like new/seminar.ics"),
        ("out/index.html", "index.html is written beside the feed; name the feed, like "
         "out/seminar.ics"),
        ("out/sessions", "sessions is written beside the feed; name the feed, like "
         "out/seminar.ics"),
    ],
)  # fmt: skip
def test_an_output_that_is_not_a_feed_file_is_a_usage_error(
    schedule: Path, output: str, message: str
) -> None:
    (schedule.parent / "dist").mkdir()
    result = run("build", "-o", output)
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: Invalid value for '-o' / '--output': {message}\n")
    assert sorted(path.name for path in schedule.parent.iterdir()) == ["dist", "schedule.yaml"]


def test_a_build_into_a_folder_that_does_not_exist_makes_it(schedule: Path) -> None:
    result = run("build", "-o", "a/b/feed.ics")
    assert result.exit_code == 0
    assert sorted(contents(schedule.parent / "a" / "b")) == sorted([*PUBLISHED[:-1], "feed.ics"])


def test_a_session_that_left_the_schedule_is_stale_until_a_build_removes_it(
    schedule: Path,
) -> None:
    run("build")
    schedule.write_text(SCHEDULE.split("  - week: 2")[0], encoding="utf-8")
    stale = run("build", "--drop-removed", "--check")
    assert (stale.exit_code, stale.stderr) == (
        1,
        "week 2: dropped from the feed\n"
        "dist/index.html: out of date\n"
        "dist/demo.ics: out of date\n"
        "dist/sessions/week-2.ics: no longer published\n"
        "run seminar-feed build to bring dist/ up to date\n",
    )
    assert run("build", "--drop-removed").exit_code == 0
    assert not (schedule.parent / "dist" / "sessions" / "week-2.ics").exists()
    current = run("build", "--drop-removed", "--check")
    assert (current.exit_code, current.stderr) == (0, "dist/: up to date (7 files)\n")


def test_what_a_stopped_build_left_is_stale_until_a_build_removes_it(schedule: Path) -> None:
    run("build")
    dist = schedule.parent / "dist"
    left = [dist / ".seminar-feed-k2j4x_9q.tmp", dist / "sessions" / ".seminar-feed-a1b2c3d4.tmp"]
    for path in left:
        path.write_bytes(b"BEGIN:VCAL")
    (dist / ".index.html.swp").write_bytes(b"an editor's")
    stale = run("build", "--check")
    assert (stale.exit_code, stale.stderr) == (
        1,
        "dist/.seminar-feed-k2j4x_9q.tmp: left by a build that was stopped\n"
        "dist/sessions/.seminar-feed-a1b2c3d4.tmp: left by a build that was stopped\n"
        "run seminar-feed build to bring dist/ up to date\n",
    )
    assert run("build").exit_code == 0
    assert [path.exists() for path in left] == [False, False]
    assert (dist / ".index.html.swp").read_bytes() == b"an editor's"


def test_every_file_is_replaced_in_one_step(
    schedule: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("build")
    dist = schedule.parent / "dist"
    before = {name: (dist / name).stat().st_ino for name in PUBLISHED}
    replaced: list[str] = []
    replace = os.replace

    def recording(source: str, destination: str) -> None:
        replaced.append(Path(destination).relative_to("dist").as_posix())
        replace(source, destination)

    monkeypatch.setattr(os, "replace", recording)
    schedule.write_text(SCHEDULE.replace("One", "Uno").replace("Two", "Dos"), encoding="utf-8")
    assert run("build").exit_code == 0
    changed = ["sessions/week-1.ics", "sessions/week-2.ics", "index.html", "demo.ics"]
    assert replaced == changed
    after = {name: (dist / name).stat().st_ino for name in PUBLISHED}
    assert [name for name in PUBLISHED if after[name] != before[name]] == changed


def test_a_folder_that_cannot_be_locked_is_still_written(
    schedule: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unsupported(descriptor: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", unsupported)
    assert run("build").exit_code == 0
    assert sorted(contents(schedule.parent / "dist")) == sorted(PUBLISHED)


def build_as_ordinary_user(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [*require_ordinary_user(), sys.executable, "-m", "seminar_feed", "build", *args]
    env = {**os.environ, **ENV}
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=False)


def test_an_unreadable_published_file_is_reported_by_check_and_build(schedule: Path) -> None:
    run("build")
    page = schedule.parent / "dist" / "index.html"
    page.chmod(0o000)
    for args in (["--check"], []):
        result = build_as_ordinary_user(schedule.parent, *args)
        assert (result.returncode, result.stderr) == (
            1,
            "dist/index.html: cannot read: Permission denied\n",
        )


def test_unwritable_sessions_leave_the_feed_as_it_was(schedule: Path) -> None:
    run("build")
    feed = (schedule.parent / "dist" / "demo.ics").read_bytes()
    schedule.write_text(SCHEDULE.replace("One", "Uno"), encoding="utf-8")
    (schedule.parent / "dist" / "sessions").chmod(0o555)
    result = build_as_ordinary_user(schedule.parent)
    assert (result.returncode, result.stderr) == (
        1,
        "week 1: title 'One' → 'Uno'\n"
        "dist/sessions/week-1.ics: cannot write: Permission denied; "
        "the published feed is unchanged\n",
    )
    assert (schedule.parent / "dist" / "demo.ics").read_bytes() == feed


def test_writing_a_long_schedule_holds_less_than_its_page(tmp_path: Path) -> None:
    sessions = "".join(
        f"  - week: {week}\n    title: T{week}\n    description: {'words ' * 150}\n"
        for week in range(1, 1501)
    )
    path = tmp_path / "long.yaml"
    path.write_text(
        f"calendar:\n  id: long\n  name: Long\n  starts: 1990-01-01\nsessions:\n{sessions}"
    )
    schedule = load_schedule(path)
    feed = render_feed(schedule, stamp=datetime(2026, 6, 1, tzinfo=timezone.utc))
    files = site_files(schedule, feed, feed_name="long.ics")
    # Once before measuring: the template compiled, which happens once a process, is no
    # part of what a page costs to write.
    write_site(tmp_path / "warm", files, feed_name="long.ics")
    tracemalloc.start()
    try:
        write_site(tmp_path / "dist", files, feed_name="long.ics")
        _, peak = tracemalloc.get_traced_memory()
        # Nor is Python's table of interned strings, which pathlib adds each new file name
        # to: whenever the names the whole test run has interned fill it, it grows by
        # megabytes, at a moment that depends on which tests ran before.
        interned = tracemalloc.take_snapshot().filter_traces(
            [tracemalloc.Filter(True, pathlib.__file__)]
        )
    finally:
        tracemalloc.stop()
    page = (tmp_path / "dist" / "index.html").stat().st_size
    assert page > 3_000_000
    held = peak - sum(stat.size for stat in interned.statistics("filename"))
    assert held < page / 2  # held whole, the page alone would take more than itself


def test_folders_a_build_makes_are_readable_whatever_the_umask(schedule: Path) -> None:
    previous = os.umask(0o077)
    try:
        assert run("build", "-o", "site/feeds/demo.ics").exit_code == 0
    finally:
        os.umask(previous)
    for folder in ("site", "site/feeds", "site/feeds/sessions"):
        assert stat.S_IMODE((schedule.parent / folder).stat().st_mode) == 0o755, folder
    assert stat.S_IMODE((schedule.parent / "site/feeds/demo.ics").stat().st_mode) == 0o644


def test_a_changed_calendar_id_does_not_strand_subscribers(schedule: Path) -> None:
    assert run("build").exit_code == 0
    schedule.write_text(SCHEDULE.replace("id: demo", "id: renamed"), encoding="utf-8")
    result = run("build")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        1,
        "dist/demo.ics: this folder already publishes a feed under another calendar id; its "
        "subscribers would stay on it while the schedule goes to renamed.ics: restore "
        "calendar.id, or pass --new-id to publish the new feed beside it on purpose",
    )
    assert not (schedule.parent / "dist" / "renamed.ics").exists()
    assert run("build", "--new-id").exit_code == 0
    assert (schedule.parent / "dist" / "renamed.ics").is_file()
    assert (schedule.parent / "dist" / "demo.ics").is_file()  # its subscribers still read it


# The same failures in-process, where a mutation run sees them: the operating system's
# answer is stood in for, since root reads and writes through permission bits.
def refusing(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, path: Path, code: int
) -> None:
    """Make module.name fail with `code` when given `path` first, as the system would."""
    real = getattr(module, name)

    def refused(first: Any, *rest: Any, **options: Any) -> Any:
        if os.fspath(first) == os.fspath(path):
            raise OSError(code, os.strerror(code), os.fspath(first))
        return real(first, *rest, **options)

    monkeypatch.setattr(module, name, refused)


def test_an_unreadable_published_file_stops_check_and_build_in_process(
    schedule: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("build")
    refusing(monkeypatch, os, "open", Path("dist/index.html"), errno.EACCES)
    for args in (["--check"], []):
        result = run("build", *args)
        assert (result.exit_code, result.stderr) == (
            1,
            "dist/index.html: cannot read: Permission denied\n",
        )


def test_a_published_file_that_fails_to_read_stops_the_build(
    schedule: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("build")
    page = os.path.abspath("dist/index.html")
    opened: set[int] = set()
    real_open, real_fstat = os.open, os.fstat

    def tracked(path: Any, *rest: Any, **options: Any) -> int:
        descriptor = real_open(path, *rest, **options)
        if os.path.abspath(path) == page:
            opened.add(descriptor)
        else:  # a number the page's descriptor had, given again
            opened.discard(descriptor)
        return descriptor

    def failing(descriptor: int) -> os.stat_result:
        if descriptor in opened:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_fstat(descriptor)

    monkeypatch.setattr(os, "open", tracked)
    monkeypatch.setattr(os, "fstat", failing)
    result = run("build")
    assert (result.exit_code, result.stderr) == (
        1,
        "dist/index.html: cannot read: Input/output error\n",
    )


def test_an_unreadable_sessions_folder_stops_the_build(
    schedule: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("build")
    refusing(monkeypatch, os, "listdir", Path("dist/sessions"), errno.EACCES)
    result = run("build")
    assert (result.exit_code, result.stderr) == (
        1,
        "dist/sessions: cannot read: Permission denied\n",
    )


def test_unwritable_sessions_leave_the_feed_as_it_was_in_process(
    schedule: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("build")
    feed = (schedule.parent / "dist" / "demo.ics").read_bytes()
    schedule.write_text(SCHEDULE.replace("One", "Uno"), encoding="utf-8")
    real = tempfile.mkstemp

    def refused(*args: Any, **options: Any) -> tuple[int, str]:
        if Path(options["dir"]).name == "sessions":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), options["dir"])
        return real(*args, **options)

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    result = run("build")
    assert (result.exit_code, result.stderr) == (
        1,
        "week 1: title 'One' → 'Uno'\n"
        "dist/sessions/week-1.ics: cannot write: Permission denied; "
        "the published feed is unchanged\n",
    )
    assert (schedule.parent / "dist" / "demo.ics").read_bytes() == feed


def test_only_the_feed_waits_until_it_is_on_disk(
    schedule: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed: list[str] = []
    real = os.fsync

    def recorded(descriptor: int) -> None:
        flushed.append(os.path.basename(os.readlink(f"/proc/self/fd/{descriptor}")))
        real(descriptor)

    monkeypatch.setattr(os, "fsync", recorded)
    assert run("build").exit_code == 0
    # The feed's temporary file before it replaces the feed, then the folder that names it.
    assert len(flushed) == 2
    assert flushed[0].startswith(".seminar-feed-")
    assert flushed[1] == "dist"


def test_a_failure_that_names_no_file_is_reported_at_the_folder(
    schedule: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(descriptor: int, operation: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(fcntl, "flock", failing)
    loaded = load_schedule(schedule)
    feed = render_feed(loaded, stamp=datetime(2026, 6, 1, tzinfo=timezone.utc))
    files = site_files(loaded, feed, feed_name="demo.ics")
    with pytest.raises(OSError, match="Input/output error") as failed:
        write_site(schedule.parent / "dist", files, feed_name="demo.ics")
    error = failed.value
    assert (error.errno, error.strerror, error.filename) == (
        errno.EIO,
        "Input/output error",
        str(schedule.parent / "dist"),
    )
    result = run("build")
    assert (result.exit_code, result.stderr) == (
        1,
        f"{NEW}dist: cannot write: Input/output error; the published feed is unchanged\n",
    )


def long_schedule(folder: Path) -> Path:
    """A schedule whose page runs to many of the pieces a page is written in."""
    sessions = "".join(
        f"  - week: {week}\n    title: T{week}\n    description: {'words ' * 150}\n"
        for week in range(1, 301)
    )
    path = folder / "long.yaml"
    path.write_text(
        f"calendar:\n  id: long\n  name: Long\n  starts: 1990-01-01\nsessions:\n{sessions}"
    )
    return path


def test_a_page_written_in_pieces_is_the_page_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schedule = load_schedule(long_schedule(tmp_path))
    feed = render_feed(schedule, stamp=datetime(2026, 6, 1, tzinfo=timezone.utc))
    files = site_files(schedule, feed, feed_name="long.ics")
    write_site(tmp_path / "pieces", files, feed_name="long.ics")
    monkeypatch.setattr(publish, "PAGE_PIECE", 1 << 40)
    write_site(tmp_path / "whole", files, feed_name="long.ics")
    page = (tmp_path / "whole" / "index.html").read_bytes()
    assert len(page) > 10 * (1 << 16)
    assert (tmp_path / "pieces" / "index.html").read_bytes() == page


def test_a_long_page_rebuilt_unchanged_is_up_to_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    long_schedule(tmp_path)
    assert run("build", "long.yaml").exit_code == 0
    result = run("build", "--check", "long.yaml")
    assert (result.exit_code, result.stderr) == (0, "dist/: up to date (306 files)\n")
