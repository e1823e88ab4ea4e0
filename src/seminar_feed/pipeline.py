"""The build without a command line: load the schedule, read the published feed,
render, lay out and write a folder, raising on every problem instead of exiting,
so that a build and a preview share one pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .changes import removed_session
from .errors import FeedError, Problem, ScheduleError, Where
from .feed import Feed, render_feed, session_uid
from .group import GROUP_FILES
from .load import load_schedule
from .model import Schedule, Session
from .previous import MAX_BYTES, START_AFRESH, PublishedFeed, read_previous_feed
from .publish import Content, FolderError, is_group_folder, site_files, write_site

GOOGLE_LIMIT = 1_000_000  # bytes; Google Calendar refuses larger feeds
GOOGLE_WARNING = 900_000
MAX_LISTED_CHANGES = 40  # a longer list scrolls the useful part away


class BuildError(Exception):
    """A build cannot go on; carries each problem, with its place."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(map(str, self.problems)))


@dataclass(frozen=True)
class Note:
    """One line of a build's report: what subscribers will see change, or a warning."""

    text: str
    warning: bool = False


@dataclass(frozen=True)
class Build:
    """A rendered schedule: its feed and what the build has to say about it."""

    schedule: Schedule
    feed: Feed
    report: tuple[Note, ...]

    def files(self, feed_name: str) -> dict[str, Content]:
        """Lay out the published folder, the feed named `feed_name`."""
        return site_files(self.schedule, self.feed, feed_name=feed_name)


def load(path: Path) -> Schedule:
    """Read and validate the schedule; raise BuildError listing every problem."""
    try:
        return load_schedule(path)
    except ScheduleError as error:
        raise BuildError(error.problems) from None


def published_feed(path: Path, schedule: Schedule) -> Path:
    """Where a build publishes the schedule at `path` by default: dist/ beside it."""
    return path.parent / "dist" / f"{schedule.calendar.id}.ics"


def removed_sessions(schedule: Schedule, feed: Path) -> list[Session]:
    """Read back, as cancelled sessions, those that left the schedule but stay in its
    published feed; raise BuildError if the feed cannot be read."""
    published = read_previous(feed, schedule.calendar.id, named=False)
    if published is None:
        return []
    current = {session_uid(schedule, session) for session in schedule.sessions}
    return [
        removed_session(uid.split(".", 1)[0], event.lines)
        for uid, event in sorted(published.events.items())
        if uid not in current
    ]


def read_previous(
    path: Path | None, calendar: str | AbstractSet[str], *, named: bool
) -> PublishedFeed | None:
    """Read the published feed at `path`; None if there is none to read. Only a feed
    not `named` may be missing (a first build): a named one that is not there is a
    typo, and starting afresh would reset every revision. Raise BuildError."""
    if path is None:
        return None
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)  # enough to tell it is too long
    except (FileNotFoundError, NotADirectoryError):
        if not named:
            return None
        raise _error(path, f"no such file; name the published feed {START_AFRESH}") from None
    except IsADirectoryError:
        raise _error(path, f"is a folder; name the published feed {START_AFRESH}") from None
    except OSError as error:
        raise _error(path, f"cannot read the previous feed: {error.strerror}") from None
    try:
        return read_previous_feed(data, source=str(path), calendar=calendar)
    except FeedError as error:
        raise BuildError([error.problem]) from None


def refuse_group_folder(schedule: Path, folder: Path) -> None:
    """Refuse to build one schedule into a folder a group publishes: its page would take
    the hub's place and its files would stray among the group's. Raise BuildError."""
    if not is_group_folder(folder):
        return
    group = next(
        (
            place
            for place in (schedule.parent, folder.parent)
            if any((place / name).is_file() for name in GROUP_FILES)
        ),
        None,
    )
    if group is None:
        message = "this folder is published by a group; build the group's folder, or name "
    else:
        message = f"this folder is published by the group in {group}; build the group: "
        message += f"seminar-feed build {group}, or name "
    raise _error(folder, message + "another output folder with -o")


def render_build(
    schedule: Schedule,
    *,
    stamp: datetime,
    previous: Path | None,
    named: bool = False,
    drop_removed: bool = False,
) -> Build:
    """Render the schedule over the feed published at `previous`; raise BuildError."""
    feed = render_feed(
        schedule,
        stamp=stamp,
        previous=read_previous(previous, schedule.calendar.id, named=named),
        drop_removed=drop_removed,
    )
    return Build(schedule, feed, report_on(feed))


def write_build(build: Build, feed: Path) -> Mapping[str, Content]:
    """Write the feed at `feed` and the rest of the site beside it; return what was
    laid out. Raise BuildError, the folder unchanged, if it holds what a build must
    not replace, or naming the file that could not be written."""
    files = build.files(feed.name)
    try:
        write_site(feed.parent, files, feed_name=feed.name)
    except FolderError as error:
        raise BuildError(error.problems) from None
    except OSError as error:
        where = error.filename or feed.parent
        reason = error.strerror or str(error)
        raise _error(where, f"cannot write: {reason}; the published feed is unchanged") from None
    return files


def build_into(path: Path, folder: Path, *, stamp: datetime) -> Build:
    """Build the schedule at `path` into `folder`, carrying revisions over from its
    published feed, so that `folder` holds what subscribers would get; raise BuildError."""
    schedule = load(path)
    published = published_feed(path, schedule)
    build = render_build(schedule, stamp=stamp, previous=published)
    write_build(build, folder / published.name)
    return build


def report_on(feed: Feed) -> tuple[Note, ...]:
    """Say what subscribers will see change, and warn of what they would not."""
    notes = [Note(str(change)) for change in feed.changes[:MAX_LISTED_CHANGES]]
    if len(feed.changes) > MAX_LISTED_CHANGES:
        notes.append(Note(f"and {len(feed.changes) - MAX_LISTED_CHANGES} more changes"))
    notes += [
        Note(
            f"warning: {label} is no longer in the schedule; it stays in the feed as cancelled "
            "so subscribers see it go (--drop-removed leaves it out)",
            warning=True,
        )
        for label in feed.removed
    ]
    if len(feed.ics) > GOOGLE_WARNING:
        notes.append(
            Note(
                f"warning: the feed is {len(feed.ics) // 1000} kB; Google Calendar refuses feeds "
                f"over about {GOOGLE_LIMIT // 1_000_000} MB: shorten descriptions or move past "
                "sessions to an archive schedule",
                warning=True,
            )
        )
    return tuple(notes)


def _error(where: Path | str, message: str) -> BuildError:
    return BuildError([Problem(Where(str(where)), message)])
