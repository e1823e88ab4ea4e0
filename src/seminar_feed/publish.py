"""Lay out and write the published folder so that a reader, or a crash, never sees
half of a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .feed import Feed
from .model import Schedule
from .page import render_page
from .schema import schema_json

FILE_MODE = 0o644  # served as static files: readable by the web server's user
SESSIONS = "sessions"
SCHEMA = "schedule.schema.json"


def site_files(schedule: Schedule, feed: Feed, *, feed_name: str) -> dict[str, bytes]:
    """Map each file the build publishes, relative to its folder, to its bytes."""
    singles = {key: f"{SESSIONS}/{key}.ics" for key in feed.singles}
    page = render_page(schedule, feed_file=feed_name, session_files=singles)
    files = {path: feed.singles[key] for key, path in singles.items()}
    files["index.html"] = page.encode("utf-8")
    files[SCHEMA] = schema_json().encode("utf-8")  # editors find it at a stable URL
    files[".nojekyll"] = b""  # GitHub Pages: serve the files as they are
    files[feed_name] = feed.ics  # last: the page and its links are in place first
    return files


def stale_files(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """List what differs on disk from `files`, and session files no longer published."""
    stale = [folder / name for name, data in files.items() if not _holds(folder / name, data)]
    leftovers = sorted((folder / SESSIONS).glob("*.ics")) if (folder / SESSIONS).is_dir() else []
    return stale + [path for path in leftovers if f"{SESSIONS}/{path.name}" not in files]


def write_site(folder: Path, files: dict[str, bytes], *, feed_name: str) -> None:
    """Write the files that changed and remove session files no longer published.

    Files are written in the order given, each replaced in one step, so a killed
    build leaves every file old or new and whole. Only the feed also waits until
    it is on disk: a flush per session file would cost more than the whole build.
    """
    for path in stale_files(folder, files):
        name = path.relative_to(folder).as_posix()
        try:
            if name in files:
                write_atomically(path, files[name], durable=name == feed_name)
            else:
                path.unlink(missing_ok=True)  # another build removed it first
        except OSError as error:  # name the file published, not the temporary one
            raise OSError(error.errno, error.strerror, str(path)) from error


def write_atomically(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace `path` with `data` in one step; raise OSError, leaving `path` as it was.

    durable: also wait until the new file and its name are on disk.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            if durable:
                os.fsync(file.fileno())
            os.fchmod(file.fileno(), FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if durable:
        _sync_folder(path.parent)


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError):
        return False


def _sync_folder(folder: Path) -> None:
    # The rename itself is durable only once the folder's entry is on disk.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
