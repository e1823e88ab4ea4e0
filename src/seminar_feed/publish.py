"""Lay out and write the published folder: every file whole, old or new, and never
over a file that this tool did not write."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import stat
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from .errors import Problem, Where
from .feed import Feed
from .group import Group, site_feed_url
from .ics import PRODID, unfold
from .model import Schedule
from .page import Hub, render_page
from .schema import group_schema_json, schema_json

if TYPE_CHECKING:
    from .hub import HubSeries

FILE_MODE = 0o644  # served as static files: readable by the web server's user
FOLDER_MODE = 0o755
SESSIONS = "sessions"
PAGE = "index.html"
SCHEMA = "schedule.schema.json"
GROUP_SCHEMA = "group.schema.json"
STATIC = Path(__file__).parent / "static"  # the favicons, packaged beside the code
# The page links the first; browsers ask a host for the second when a page names none.
FAVICONS = ("favicon.svg", "favicon.ico")
NO_JEKYLL = ".nojekyll"
RESERVED = frozenset({SESSIONS, PAGE, SCHEMA, NO_JEKYLL, *FAVICONS})  # not the feed's to take
TEMPORARY_PREFIX = ".seminar-feed-"
TEMPORARY = re.compile(r"\.seminar-feed-[a-z0-9_]+\.tmp")  # as tempfile names them
MOVE_AWAY = "move it away or choose another output folder"
# Each kind of file we write says so near its start, where a look at its head finds it.
HEAD_BYTES = 4096
PRODID_LINE = f"PRODID:{PRODID}".upper()
PAGE_MARK = b'<meta name="generator" content="seminar-feed">'
OLD_PAGE_END = b"Built with seminar-feed from the seminar's schedule.</footer>"  # before the mark
SCHEMA_MARK = b'"title": "seminar-feed schedule"'
GROUP_SCHEMA_MARK = b'"title": "seminar-feed group"'
UNLOCKABLE = {errno.ENOLCK, errno.EOPNOTSUPP, errno.EBADF, errno.EINVAL}
PAGE_PIECE = 1 << 16  # characters of the page encoded and written at a time

MISSING = "does not exist yet"
OUT_OF_DATE = "out of date"
GONE = "no longer published"
LEFT_BEHIND = "left by a build that was stopped"

Content = Callable[[], Iterable[bytes]]  # a file's bytes in pieces, made afresh on each call


class FolderError(Exception):
    """The output folder holds what a build must not replace; carries each such path."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))


class Stale(NamedTuple):
    """A path that a build would change, and how it differs from what the build writes."""

    path: Path
    state: str


class _Refusal(Exception):
    """Why a build must not replace what is at a path."""


def site_files(schedule: Schedule, feed: Feed, *, feed_name: str) -> dict[str, Content]:
    """Map each file the build publishes, relative to its folder, to the making of its
    bytes; made on demand, so that no more than one file is held at a time."""
    singles = {key: f"{SESSIONS}/{key}.ics" for key in feed.singles}
    files: dict[str, Content] = {path: _single(feed.singles, key) for key, path in singles.items()}
    files[PAGE] = lambda: _page(schedule, feed, feed_name, singles)
    files.update(_folder_files())
    files[feed_name] = fixed_content(feed.ics)
    return files


def _folder_files() -> dict[str, Content]:
    """The files every published folder holds, one schedule's or a group's."""
    files = {
        SCHEMA: fixed_content(schema_json().encode("utf-8")),  # editors find it at a stable URL
        NO_JEKYLL: fixed_content(b""),  # GitHub Pages: serve the files as they are
    }
    for name in FAVICONS:
        files[name] = fixed_content(_favicon(name))
    return files


def stale_files(
    folder: Path, files: Mapping[str, Content], *, gone: Collection[str] = ()
) -> list[Stale]:
    """List what a build would write or remove in `folder`; raise FolderError, naming
    every such path, if a build must not replace what is there or cannot read it.

    Session files beside every page written (or in `gone`) that the build no longer
    publishes are removed, as is each file named in `gone`, relative to `folder`.
    """
    pages = {(folder / name).parent for name in (*files, *gone) if Path(name).name == PAGE}
    swept = sorted(page / SESSIONS for page in pages | {folder})
    for place in swept:
        refuse_blocked(place)
    problems: list[Problem] = []
    places = sorted({folder, *swept, *((folder / name).parent for name in files)})
    listed = {place: _listing(place, problems) for place in places}
    stale = []
    for name, content in files.items():
        path = folder / name
        if listed[path.parent] is not None:  # else the folder itself is the problem
            try:
                state = _state(path, content)
            except _Refusal as refusal:
                problems.append(_problem(path, str(refusal)))
            else:
                if state:
                    stale.append(Stale(path, state))
    leaving = [
        place / name
        for place in swept
        for name in sorted(listed[place] or ())
        if _is_session(name) and (place / name).relative_to(folder).as_posix() not in files
    ]
    leaving += [folder / name for name in sorted(gone) if name not in files]
    for path in leaving:
        try:
            state = _state(path, None)
        except _Refusal as refusal:
            problems.append(_problem(path, str(refusal)))
        else:
            if state != MISSING:
                stale.append(Stale(path, GONE))
    stale += _emptied(folder, files, [*swept, *((folder / name).parent for name in gone)], stale)
    for place, names in listed.items():
        stale += [
            Stale(place / name, LEFT_BEHIND)
            for name in sorted(names or ())
            if TEMPORARY.fullmatch(name)
        ]
    if problems:
        raise FolderError(problems)
    return stale


def _emptied(
    folder: Path, files: Mapping[str, Content], places: Iterable[Path], stale: list[Stale]
) -> list[Stale]:
    """List the folders of session files and of gone pages that a build leaves empty,
    deepest first, to remove them too: a folder left empty would stay published."""
    kept = {parent for name in files for parent in (folder / name).parents}
    going = {path for path, state in stale if state == GONE}
    emptied = []
    # A path sorts after the folders above it: in reverse, each comes before its folder.
    for place in sorted(set(places) - kept, reverse=True):
        if place.is_symlink():
            continue
        try:
            names = os.listdir(place)
        except OSError:  # missing, or not ours to judge; the build names what it cannot read
            continue
        if all(place / name in going for name in names):
            emptied.append(Stale(place, GONE))
            going.add(place)
    return emptied


def other_feeds(folder: Path, feed_name: str) -> list[Path]:
    """List the feeds this tool wrote in `folder` other than `feed_name`: a feed left
    there when calendar.id changed, which its subscribers still read."""
    found = []
    for path in sorted(folder.glob("*.ics")) if folder.is_dir() else []:
        if path.name == feed_name or not path.is_file() or path.is_symlink():
            continue
        try:
            with path.open("rb") as file:
                ours = _written_here(path.name, file)
        except OSError:
            continue  # the ownership check of the build names what it cannot read
        if ours:
            found.append(path)
    return found


def is_group_folder(folder: Path) -> bool:
    """Tell whether a group's build wrote `folder`: it alone publishes the group's schema."""
    try:
        with (folder / GROUP_SCHEMA).open("rb") as file:
            return _written_here(GROUP_SCHEMA, file)
    except OSError:
        return False


def write_site(
    folder: Path, files: Mapping[str, Content], *, feed_name: str, gone: Collection[str] = ()
) -> None:
    """Write the files that changed and remove session files no longer published (and
    those in `gone`); raise FolderError, having written nothing, if that would replace
    what this tool did not write, and OSError naming the file if writing fails.

    Builds of one folder take turns, so the folder ends as one of them wrote it. The
    feed is written last, so an error leaves it as it was; each file is replaced in one
    step, so a killed build leaves every file old or new and whole. Only the feed also
    waits until it is on disk: a flush per session file would cost more than the build.
    """
    places = sorted({folder, *((folder / name).parent for name in files)})
    for place in places:
        refuse_blocked(place)
    feed = folder / feed_name
    try:
        _make_folders(folder)
        with _turn(folder):
            stale = stale_files(folder, files, gone=gone)
            for place in places:  # only once nothing stands in the way
                _make_folders(place)
            for path, state in stale:
                if path == feed:
                    continue
                if state in (MISSING, OUT_OF_DATE):
                    name = path.relative_to(folder).as_posix()
                    write_atomically(path, files[name](), durable=False)
                elif path.is_dir() and not path.is_symlink():
                    with suppress(FileNotFoundError):  # another build may have removed it
                        path.rmdir()
                else:
                    path.unlink(missing_ok=True)  # another build may have removed it first
            if any(path == feed for path, _ in stale):
                write_atomically(feed, files[feed_name](), durable=True)
    except OSError as error:
        if error.filename is None:
            raise OSError(error.errno, error.strerror, str(folder)) from error
        raise


def _make_folders(path: Path) -> None:
    """Make `path` and the folders above it that are missing, readable by a web server
    whatever the umask, as the files in them are."""
    for place in reversed([path, *path.parents]):
        if not place.is_dir():
            place.mkdir(exist_ok=True)  # another build may make it first
            place.chmod(FOLDER_MODE)


def write_atomically(path: Path, pieces: Iterable[bytes], *, durable: bool) -> None:
    """Replace `path` with the pieces in one step; raise OSError naming `path`, leaving
    it as it was.

    durable: also wait until the new file and its name are on disk.
    """
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=TEMPORARY_PREFIX, suffix=".tmp"
        )
    except OSError as error:  # name the file published, not the temporary one
        raise OSError(error.errno, error.strerror, str(path)) from error
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.writelines(pieces)
            file.flush()
            if durable:
                os.fsync(file.fileno())
            os.fchmod(file.fileno(), FILE_MODE)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, str(path)) from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if durable:
        _sync_folder(path.parent)


def _single(singles: Mapping[str, bytes], key: str) -> Content:
    return lambda: (singles[key],)


def fixed_content(data: bytes) -> Content:
    """Make the content of a file whose bytes are already made."""
    return lambda: (data,)


def _page(
    schedule: Schedule,
    feed: Feed,
    feed_name: str,
    session_files: dict[str, str],
    assets: str = "",
    hub: Hub | None = None,
) -> Iterator[bytes]:
    """Encode the page as the template makes it, a piece at a time: whole, it is the
    largest file of a big schedule."""
    pieces: list[str] = []
    size = 0
    page = render_page(
        schedule,
        feed_file=feed_name,
        session_files=session_files,
        removed=feed.removed_sessions,
        assets=assets,
        hub=hub,
    )
    for piece in page:
        pieces.append(piece)
        size += len(piece)
        if size >= PAGE_PIECE:
            yield "".join(pieces).encode("utf-8")
            pieces, size = [], 0
    yield "".join(pieces).encode("utf-8")


def _is_session(name: str) -> bool:
    return name.endswith(".ics") and not name.startswith(".")


def _listing(place: Path, problems: list[Problem]) -> list[str] | None:
    """List a folder the build writes in; None, with the problem noted, if it cannot."""
    try:
        return os.listdir(place)
    except FileNotFoundError:
        return []
    except OSError as error:
        problems.append(_problem(place, f"cannot read: {error.strerror}"))
        return None


def _state(path: Path, content: Content | None) -> str | None:
    """Say how the file differs from the content, None if it holds it; raise _Refusal if
    a build must not replace it. Without content, only check that the build may."""
    try:
        # Not through a symbolic link, and not waiting on a pipe someone left there.
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return MISSING
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _Refusal(
                f"is a symbolic link, not a file seminar-feed wrote; {MOVE_AWAY}"
            ) from None
        raise _Refusal(f"cannot read: {error.strerror}") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise _Refusal(f"is a folder, where the build writes a file; {MOVE_AWAY}")
        if not stat.S_ISREG(mode):
            raise _Refusal(f"is not a regular file; {MOVE_AWAY}")
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            if not _written_here(path.name, file):
                raise _Refusal(f"not written by seminar-feed; {MOVE_AWAY}")
            if content is None:
                return None
            file.seek(0)
            # Compared as made, holding one piece at a time.
            differs = any(file.read(len(piece)) != piece for piece in content())
            return OUT_OF_DATE if differs or file.read(1) else None
    except OSError as error:
        raise _Refusal(f"cannot read: {error.strerror}") from None
    finally:
        os.close(descriptor)


def _written_here(name: str, file: BinaryIO) -> bool:
    """Tell from its mark whether this tool wrote the file."""
    head = file.read(HEAD_BYTES)
    if name == NO_JEKYLL:
        return head == b""
    if name in FAVICONS:  # an image has no room for a mark: ours is ours byte for byte
        return head == _favicon(name)
    if name == SCHEMA:
        return SCHEMA_MARK in head
    if name == GROUP_SCHEMA:
        return GROUP_SCHEMA_MARK in head
    if name == PAGE:
        if PAGE_MARK in head:
            return True
        file.seek(max(0, os.fstat(file.fileno()).st_size - HEAD_BYTES))
        return OLD_PAGE_END in file.read()
    # The feed and session files, read as leniently as the previous feed is: an editor
    # may have changed line ends, letter case or folding without making it another's.
    lines = unfold(head.decode("utf-8", "replace"))
    return any(line.rstrip(" \t").upper() == PRODID_LINE for _, line in lines)


@cache
def _favicon(name: str) -> bytes:
    return (STATIC / name).read_bytes()


def refuse_blocked(folder: Path) -> None:
    """Refuse before writing if the folder, or one above it, is something else; raise
    FolderError."""
    for place in (folder, *folder.parents):
        if os.path.lexists(place) and not place.is_dir():
            problem = f"is not a folder, where the build needs one; {MOVE_AWAY}"
            raise FolderError([_problem(place, problem)])


@contextmanager
def _turn(folder: Path) -> Iterator[None]:
    """Hold the folder while this build writes it; other builds wait their turn."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        except OSError as error:
            # Some network file systems lock no folders; builds there write at once,
            # each file still whole.
            if error.errno not in UNLOCKABLE:
                raise
        yield
    finally:
        os.close(descriptor)


def _problem(path: Path, message: str) -> Problem:
    return Problem(Where(str(path)), message)


def _sync_folder(folder: Path) -> None:
    # The rename itself is durable only once the folder's entry is on disk.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def group_site_files(
    group: Group,
    series: Sequence[tuple[Schedule, Feed]],
    combined: Feed,
    hub: Sequence[HubSeries],
) -> dict[str, Content]:
    """Lay out a group's folder: each series' feed at the top under its calendar id, as
    a single schedule publishes it, its page and session files in a folder of that name,
    so that no two series collide; the hub and the combined feed at the top."""
    files: dict[str, Content] = {}
    for schedule, feed in series:
        calendar = schedule.calendar.id
        singles = {key: f"{SESSIONS}/{key}.ics" for key in feed.singles}
        for key, path in singles.items():
            files[f"{calendar}/{path}"] = _single(feed.singles, key)
        page = partial(
            _page, schedule, feed, f"../{calendar}.ics", singles, "../", Hub(group.name, "../")
        )
        files[f"{calendar}/{PAGE}"] = page
        files[f"{calendar}.ics"] = fixed_content(feed.ics)
    combined_name = f"{group.id}.ics"
    files[PAGE] = partial(_hub, group, combined_name, hub)
    files[GROUP_SCHEMA] = fixed_content(group_schema_json().encode("utf-8"))
    files.update(_folder_files())
    files[combined_name] = fixed_content(combined.ics)
    return files


def series_files(calendar: str) -> tuple[str, ...]:
    """Name the files of a series that a group publishes beside its session files,
    for removing them when the series is dropped."""
    return (f"{calendar}.ics", f"{calendar}/{PAGE}")


def _hub(group: Group, combined_name: str, hub: Sequence[HubSeries]) -> Iterator[bytes]:
    from .hub import render_hub  # only a group has a hub: a single schedule's build skips it

    page = render_hub(
        name=group.name,
        language=group.language,
        description=group.description,
        url=group.url,
        combined_file=combined_name,
        combined_url=site_feed_url(group, group.id),
        series=hub,
    )
    yield "".join(page).encode("utf-8")  # a line or two per series: small
