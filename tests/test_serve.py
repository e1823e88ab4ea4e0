"""The preview server, through real HTTP requests on the loopback address."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from email.utils import formatdate
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from click.testing import CliRunner

from seminar_feed import serve
from seminar_feed.cli import main
from seminar_feed.serve import make_server, watch
from tools import MINIMAL_SCHEDULE, require

SCHEDULE = MINIMAL_SCHEDULE


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "demo.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    (tmp_path / "index.html").write_text("<!DOCTYPE html><title>x</title>", encoding="utf-8")
    server = make_server(tmp_path, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urlopen(Request(url, headers=headers), timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except HTTPError as error:
        return error.code, dict(error.headers), b""


def test_a_feed_is_served_as_a_calendar_with_validators(site: str) -> None:
    status, headers, body = fetch(site + "demo.ics")
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert headers["Content-Length"] == str(len(body))
    assert body.startswith(b"BEGIN:VCALENDAR")
    assert headers["ETag"].startswith('"')
    assert headers["Last-Modified"].endswith(" GMT")


def test_unchanged_files_answer_304(site: str) -> None:
    _, headers, _ = fetch(site + "demo.ics")
    assert fetch(site + "demo.ics", **{"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(site + "demo.ics", **{"If-None-Match": '"other"'})[0] == 200
    assert fetch(site + "demo.ics", **{"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    long_ago = formatdate(0, usegmt=True)
    assert fetch(site + "demo.ics", **{"If-Modified-Since": long_ago})[0] == 200
    assert fetch(site + "demo.ics", **{"If-Modified-Since": "not a date"})[0] == 200
    # An ETag that does not match wins over a date that would.
    both = {"If-None-Match": '"other"', "If-Modified-Since": headers["Last-Modified"]}
    assert fetch(site + "demo.ics", **both)[0] == 200


def test_any_of_several_tags_and_weak_tags_match(site: str) -> None:
    tag = fetch(site + "demo.ics")[1]["ETag"]
    assert fetch(site + "demo.ics", **{"If-None-Match": f'"a", {tag} ,"b"'})[0] == 304
    assert fetch(site + "demo.ics", **{"If-None-Match": f"W/{tag}"})[0] == 304
    assert fetch(site + "demo.ics", **{"If-None-Match": '"a", "b"'})[0] == 200
    assert fetch(site + "demo.ics", **{"If-None-Match": f'"a",{tag}'})[0] == 304
    assert fetch(site + "demo.ics", **{"If-None-Match": "*"})[0] == 304


def test_each_header_says_what_a_static_host_would(site: str, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(b"plain")
    monday = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc).timestamp()
    os.utime(tmp_path / "demo.ics", (monday, monday))
    status, headers, _ = fetch(site + "demo.ics")
    assert status == 200
    assert headers["Last-Modified"] == "Mon, 01 Jun 2026 09:00:00 GMT"
    assert headers["Cache-Control"] == "no-cache"
    status, headers, body = fetch(site + "notes.txt")
    assert (status, headers["Content-Type"], body) == (200, "application/octet-stream", b"plain")


def test_a_missing_file_is_not_found(site: str) -> None:
    with pytest.raises(HTTPError) as missing:
        urlopen(site + "missing.ics", timeout=10)
    missing.value.close()
    assert (missing.value.code, missing.value.reason) == (404, "Not found")


def test_not_modified_sends_headers_and_no_body(site: str) -> None:
    tag = fetch(site + "demo.ics")[1]["ETag"]
    port = int(site.rsplit(":", 1)[1].strip("/"))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        request = f"GET /demo.ics HTTP/1.0\r\nIf-None-Match: {tag}\r\n\r\n"
        connection.sendall(request.encode("ascii"))
        response = b"".join(iter(lambda: connection.recv(4096), b""))
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 304 ")
    assert f"ETag: {tag}".encode() in head.split(b"\r\n")
    assert body == b""


def test_the_tag_follows_the_content_not_the_time(site: str, tmp_path: Path) -> None:
    feed = tmp_path / "demo.ics"
    before = feed.stat()
    _, headers, _ = fetch(site + "demo.ics")
    feed.write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAX\r\n")  # same size, same time
    os.utime(feed, ns=(before.st_atime_ns, before.st_mtime_ns))
    status, changed, body = fetch(site + "demo.ics", **{"If-None-Match": headers["ETag"]})
    assert (status, body) == (200, b"BEGIN:VCALENDAR\r\nEND:VCALENDAX\r\n")
    assert changed["ETag"] != headers["ETag"]


def test_the_watcher_sees_an_edit_that_keeps_size_and_time(tmp_path: Path) -> None:
    schedule = tmp_path / "schedule.yaml"
    schedule.write_text("week: 1\n", encoding="utf-8")
    before = schedule.stat()
    saved, stop, ready = threading.Event(), threading.Event(), threading.Event()
    watcher = threading.Thread(target=watch, args=(schedule, saved.set, stop, ready))
    watcher.start()
    try:
        assert ready.wait(10)
        schedule.write_text("week: 2\n", encoding="utf-8")
        os.utime(schedule, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert saved.wait(10), "the edit went unnoticed"
    finally:
        stop.set()
        watcher.join()


def test_the_watcher_calls_once_per_save_and_never_without_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve, "POLL_SECONDS", 0.01)
    schedule = tmp_path / "schedule.yaml"
    schedule.write_text("week: 1\n", encoding="utf-8")
    calls: list[bytes] = []
    stop, ready = threading.Event(), threading.Event()
    watcher = threading.Thread(
        target=watch, args=(schedule, lambda: calls.append(schedule.read_bytes()), stop, ready)
    )
    watcher.start()
    try:
        assert ready.wait(10)
        time.sleep(0.2)  # twenty polls of an unchanged file
        assert calls == []
        schedule.write_text("week: 2\n", encoding="utf-8")
        deadline = time.monotonic() + 10
        while not calls and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)
        assert calls == [b"week: 2\n"]
    finally:
        stop.set()
        watcher.join()


def test_the_folder_serves_its_page_and_nothing_outside(site: str) -> None:
    status, headers, _ = fetch(site)
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert fetch(site + "missing.ics")[0] == 404
    assert fetch(site + "../../../../etc/passwd")[0] == 404


def test_serve_previews_without_touching_the_published_folder(tmp_path: Path) -> None:
    schedule = tmp_path / "schedule.yaml"
    schedule.write_text(SCHEDULE, encoding="utf-8")
    build = [sys.executable, "-m", "seminar_feed", "build"]
    subprocess.run(build, cwd=tmp_path, check=True, capture_output=True)
    published = snapshot(tmp_path / "dist")
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    with subprocess.Popen(
        [sys.executable, "-m", "seminar_feed", "serve", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(temporary)},
    ) as process:
        try:
            check_serving(process, schedule)
        finally:
            process.terminate()
    assert process.returncode == 0
    assert snapshot(tmp_path / "dist") == published
    assert list(temporary.iterdir()) == [], "the preview left its folder behind"


def long_preview(folder: Path) -> tuple[subprocess.Popen[str], Path]:
    """Preview, from `folder`, a schedule of 2,990 weekly sessions (long.yaml), whose build
    takes long enough to be stopped in; give the process and the folder its temporary
    folder goes in."""
    init = [sys.executable, "-m", "seminar_feed", "init", "long.yaml", "--weeks", "2990"]
    subprocess.run([*init, "--starts", "1980-01-07"], cwd=folder, check=True, capture_output=True)
    temporary = folder / "temporary"
    temporary.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "seminar_feed", "serve", "--port", "0", "long.yaml"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(temporary)},
    )
    return process, temporary


def previews(temporary: Path) -> list[Path]:
    return list(temporary.glob("seminar-feed-preview-*"))


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_preview_stopped_during_its_first_build_removes_its_folder(
    tmp_path: Path, stop: signal.Signals
) -> None:
    process, temporary = long_preview(tmp_path)
    with process:
        until(lambda: bool(previews(temporary)))  # the first build has begun
        process.send_signal(stop)
        _, stderr = process.communicate()
    assert (process.returncode, stderr) == (1, "\nAborted!\n")  # as Click ends on Ctrl-C
    assert previews(temporary) == [], "the preview left its folder behind"


def test_a_preview_stopped_twice_during_a_rebuild_removes_its_folder_once(
    tmp_path: Path,
) -> None:
    process, temporary = long_preview(tmp_path)
    with process:
        stdout, stderr = process.stdout, process.stderr
        assert stdout is not None
        assert stderr is not None
        try:
            while not stdout.readline().startswith("Rebuilding whenever"):
                pass
            schedule = tmp_path / "long.yaml"
            text = schedule.read_text(encoding="utf-8")
            schedule.write_text(text.replace("To be announced", "Announced", 1), encoding="utf-8")
            while stderr.readline() != "long.yaml changed; rebuilding\n":
                pass
            process.send_signal(signal.SIGINT)
            time.sleep(0.05)
            process.send_signal(signal.SIGINT)  # an impatient second Ctrl-C
            _, rest = process.communicate(timeout=60)
        finally:
            process.kill()
    assert process.returncode == 0
    assert "Traceback" not in rest
    assert previews(temporary) == [], "the preview left its folder behind"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def check_serving(process: subprocess.Popen[str], schedule: Path) -> None:
    assert process.stdout is not None
    assert process.stderr is not None
    errors: list[str] = []
    threading.Thread(target=lambda: errors.extend(process.stderr or ()), daemon=True).start()
    lines = [process.stdout.readline() for _ in range(5)]
    assert lines[0].startswith("Previewing schedule.yaml at http://127.0.0.1:")
    assert lines[0].endswith("/ (dist/ is left as it is)\n")
    feed_url = lines[2].split()[-1]
    assert feed_url.endswith("/demo.ics")
    assert lines[3].split()[-1] == feed_url.replace("http://", "webcal://")
    assert lines[4].startswith("Rebuilding whenever schedule.yaml is saved")  # watching now
    status, _, body = fetch(feed_url)
    assert status == 200
    assert b"DTSTART;VALUE=DATE:20260706" in body
    assert errors == []  # the published feed is what a build would write

    moved = SCHEDULE.replace("2026-07-06", "2026-07-13")
    schedule.write_text(moved, encoding="utf-8")
    until(lambda: b"20260713" in fetch(feed_url)[2])
    until(lambda: "week 1: date 2026-07-06 → 2026-07-13\n" in errors)

    # Each save is compared with the published feed, not with the last preview.
    schedule.write_text(moved.replace("title: One", "title: Two"), encoding="utf-8")
    until(lambda: b"SUMMARY:Week 1: Two" in fetch(feed_url)[2])
    until(lambda: "week 1: date 2026-07-06 → 2026-07-13, title 'One' → 'Two'\n" in errors)
    assert b"SEQUENCE:1\r\n" in fetch(feed_url)[2]

    schedule.write_text(SCHEDULE.replace("week: 1", "week: one"), encoding="utf-8")
    until(lambda: "still serving the last good build\n" in errors)
    assert "schedule.yaml:5:11: expected a week number like 1, got 'one'\n" in errors
    assert b"SUMMARY:Week 1: Two" in fetch(feed_url)[2]

    schedule.write_text(SCHEDULE, encoding="utf-8")  # the next good save is served
    until(lambda: b"DTSTART;VALUE=DATE:20260706" in fetch(feed_url)[2])


def until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30  # a guard against a hang, not a speed target
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_a_symbolic_link_out_of_the_folder_is_not_served(site: str, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not for the web", encoding="utf-8")
    (tmp_path / "leak.txt").symlink_to(outside / "secret.txt")
    (tmp_path / "leaks").symlink_to(outside, target_is_directory=True)
    assert fetch(site + "leak.txt")[0] == 404
    assert fetch(site + "leaks/secret.txt")[0] == 404
    assert fetch(site + "demo.ics")[0] == 200


def ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


def test_serve_listens_on_the_ipv6_loopback(tmp_path: Path) -> None:
    require(ipv6_loopback(), "an IPv6 loopback address", "enable IPv6 on the lo interface")
    (tmp_path / "schedule.yaml").write_text(SCHEDULE, encoding="utf-8")
    with subprocess.Popen(
        [sys.executable, "-m", "seminar_feed", "serve", "--host", "::1", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline() for _ in range(4)]
            assert lines[0].startswith("Previewing schedule.yaml at http://[::1]:")
            assert lines[3].startswith("  subscribe: webcal://[::1]:")
            status, _, body = fetch(lines[2].split()[-1])
            assert status == 200
            assert b"DTSTART;VALUE=DATE:20260706" in body
        finally:
            process.terminate()


@pytest.mark.parametrize(("host", "shown"), [("127.0.0.1", "127.0.0.1"), ("::1", "[::1]")])
def test_a_port_in_use_is_named_as_an_address(
    host: str, shown: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as taken:
        try:
            taken.bind((host, 0))
        except OSError:
            require(False, f"a loopback address {host}", "enable it for the tests")
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.chdir(tmp_path)
        (tmp_path / "schedule.yaml").write_text(SCHEDULE, encoding="utf-8")
        result = CliRunner().invoke(main, ["serve", "--host", host, "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"cannot listen on {shown}:{port}: Address already in use"
    )
