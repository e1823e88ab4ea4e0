"""A group's build without a command line: every series built as a single schedule is,
the combined feed of them all, and the hub, written into one folder in one turn.

Each series costs what its sessions cost: its feed is rendered once, and the combined
feed takes each event's lines from it instead of rendering them again.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from .changes import published_session, removed_session
from .errors import Problem, ScheduleError, Where
from .feed import Feed, language_of, render_combined, render_feed, render_withdrawn
from .group import (
    Group,
    GroupFolder,
    calendar_id_at,
    load_group_folder,
    published_folder,
    site_feed_url,
    unknown_listed,
)
from .hub import HubSeries
from .ics import parse_line, unescape_text, unfold
from .model import Calendar, Schedule, Session
from .pipeline import (
    GOOGLE_LIMIT,
    GOOGLE_WARNING,
    Build,
    BuildError,
    Note,
    read_previous,
    report_on,
)
from .previous import OUR_UID, PublishedFeed, Revision
from .publish import (
    PAGE,
    Content,
    FolderError,
    group_site_files,
    other_feeds,
    refuse_blocked,
    series_files,
    write_site,
)

NAME_BYTES = 4096  # a feed's name comes before its first event
CALENDAR_TEXT = ("X-WR-CALDESC", "X-WR-TIMEZONE")  # what a feed says of its calendar, as text


@dataclass(frozen=True)
class PastSeries:
    """A series whose schedule is gone but whose feed and page stay published, with its
    sessions still to come kept as cancelled."""

    id: str
    name: str
    first: date | None
    last: date | None
    feed: Feed  # as published, its sessions to come cancelled
    schedule: Schedule  # read back from the feed, for a page that shows them cancelled


@dataclass(frozen=True)
class GroupBuild:
    """Every series rendered, the combined feed, and what the build has to say."""

    folder: GroupFolder
    series: tuple[Build, ...]
    combined: Feed
    past: tuple[PastSeries, ...]
    report: tuple[Note, ...]

    @property
    def combined_name(self) -> str:
        return f"{self.folder.group.id}.ics"

    def files(self) -> dict[str, Content]:
        """Lay out the published folder."""
        hub = [_hub_entry(self.folder, build) for build in self.series]
        hub += [
            HubSeries(one.id, one.name, None, one.first, one.last, one.feed.event_count,
                      site_feed_url(self.folder.group, one.id), removed=True,
                      cancelled=sum("STATUS:CANCELLED" in lines for lines in one.feed.events))
            for one in self.past
        ]  # fmt: skip
        pairs = [(build.schedule, build.feed) for build in self.series]
        # A past series is left as published, unless it has sessions still to come: its
        # page and their files then show them cancelled, as its feed does.
        pairs += [(one.schedule, one.feed) for one in self.past if one.feed.removed]
        return group_site_files(self.folder.group, pairs, self.combined, hub)

    def gone(self) -> tuple[str, ...]:
        """The files of the series dropped from the group, for the build to remove."""
        return tuple(name for calendar in self.folder.group.drop for name in series_files(calendar))


def load_folder(path: Path) -> GroupFolder:
    """Read and validate the group file and its schedules; raise BuildError listing
    every problem of every file."""
    try:
        return load_group_folder(path)
    except ScheduleError as error:
        raise BuildError(error.problems) from None


def refuse_unwritable(target: Path) -> None:
    """Refuse, before anything is built or said, an output folder that is a file; raise
    BuildError."""
    try:
        refuse_blocked(target)
    except FolderError as error:
        raise BuildError(error.problems) from None


def render_group(
    folder: GroupFolder, *, stamp: datetime, published: Path, drop_removed: bool = False
) -> GroupBuild:
    """Render every series over its feed published in the folder `published`, and the
    combined feed over the combined feed there; raise BuildError."""
    group = folder.group
    current = {one.schedule.calendar.id for one in folder.series}
    past = _past_series(published, group, current | set(group.drop), stamp)
    previous = read_previous(
        published / f"{group.id}.ics", frozenset(current | {p.id for p in past}), named=False
    )
    sources = _sources(folder, previous, past, published)
    builds = []
    for one in folder.series:
        calendar = one.schedule.calendar.id
        before = read_previous(published / f"{calendar}.ics", calendar, named=False)
        if before is None and previous is not None:  # a dropped series restored, or a new one
            before = PublishedFeed({}, _of_series(previous.dropped, calendar))
        feed = render_feed(one.schedule, stamp=stamp, previous=before, drop_removed=drop_removed)
        builds.append(Build(one.schedule, feed, report_on(feed)))
    combined = render_combined(
        Calendar(group.id, group.name, group.description, group.url),
        [
            *((b.schedule.calendar.id, b.schedule.calendar.name, b.feed) for b in builds),
            *((one.id, one.name, one.feed) for one in past),
        ],
        stamp=stamp,
        previous=previous,
        leaving={*group.leave_combined, *group.drop},
        sources=sources,
        remembered=_dropped_revisions(published, group.drop),
    )
    report = _report(folder.path.name, group.id, builds, combined, past)
    report += tuple(
        Note(f"warning: {problem}", warning=True) for problem in unknown_listed(folder, published)
    )
    return GroupBuild(folder, tuple(builds), combined, past, report)


def write_group(build: GroupBuild, target: Path) -> Mapping[str, Content]:
    """Write the group's folder at `target`; return what was laid out. Raise BuildError,
    the folder unchanged, if it holds what a build must not replace, or naming the file
    that could not be written."""
    files = build.files()
    try:
        write_site(target, files, feed_name=build.combined_name, gone=build.gone())
    except FolderError as error:
        raise BuildError(error.problems) from None
    except OSError as error:
        where = error.filename or target
        message = f"cannot write: {error.strerror or error}; the published feeds are unchanged"
        raise BuildError([Problem(Where(str(where)), message)]) from None
    return files


def group_into(path: Path, target: Path, *, stamp: datetime) -> GroupBuild:
    """Build the group whose file is `path` into `target`, over the feeds it publishes,
    so that `target` holds what subscribers would get, past series included; raise
    BuildError."""
    published = published_folder(path)
    build = render_group(load_folder(path), stamp=stamp, published=published)
    files = write_group(build, target)
    for one in build.past:  # what a build leaves as published; the preview starts empty
        if f"{one.id}.ics" not in files:
            shutil.copyfile(published / f"{one.id}.ics", target / f"{one.id}.ics")
        if f"{one.id}/{PAGE}" not in files and (published / one.id).is_dir():
            shutil.copytree(published / one.id, target / one.id, dirs_exist_ok=True)
    return build


def _report(
    group_file: str, group: str, builds: list[Build], combined: Feed, past: tuple[PastSeries, ...]
) -> tuple[Note, ...]:
    """Say what changed in each series, then in the combined feed alone."""
    notes = []
    told = set()
    for build in builds:
        calendar = build.schedule.calendar.id
        told |= {f"{calendar} {change.label}" for change in build.feed.changes}
        for note in build.report:
            text = note.text.removeprefix("warning: ")
            shown = f"warning: {calendar}: {text}" if note.warning else f"{calendar}: {text}"
            notes.append(Note(shown, note.warning))
    for one in past:
        told |= {f"{one.id} {change.label}" for change in one.feed.changes}
        notes += [Note(f"{one.id}: {change}") for change in one.feed.changes]
    left = Counter(
        change.label.split(" ", 1)[0]
        for change in combined.changes
        if change.details == ("left the combined feed",)
    )
    notes += [
        Note(f"{group}.ics: {change}")
        for change in combined.changes
        if change.label not in told and change.details != ("left the combined feed",)
    ]
    notes += [
        Note(f"{group}.ics: {calendar} left the combined feed ({count} events)")
        for calendar, count in sorted(left.items())
    ]
    notes += [
        Note(
            f"warning: {one.id}: its schedule is gone from {group_file}'s folder; "
            f"{_kept_cancelled(one)}it stays published as a past series (list it under "
            "'drop' to remove it)",
            warning=True,
        )
        for one in past
    ]
    if len(combined.ics) > GOOGLE_WARNING:
        notes.append(
            Note(
                f"warning: {group}.ics is {len(combined.ics) // 1000} kB; Google Calendar "
                f"refuses feeds over about {GOOGLE_LIMIT // 1_000_000} MB: list past series "
                f"under 'leave_combined' in {group_file} (they keep their own feeds)",
                warning=True,
            )
        )
    return tuple(notes)


def _of_series(revisions: Mapping[str, Revision], calendar: str) -> dict[str, Revision]:
    """Pick the revisions of one series' events out of a combined feed's."""
    return {
        uid: revision
        for uid, revision in revisions.items()
        if (found := OUR_UID.fullmatch(uid)) is not None and found.group(1) == calendar
    }


def _dropped_revisions(published: Path, drop: tuple[str, ...]) -> dict[str, Revision]:
    """Read the revisions of the events of dropped series whose feeds are still there,
    for the combined feed to remember: a series' own feed may be ahead of it."""
    revisions: dict[str, Revision] = {}
    for calendar in drop:
        feed = read_previous(published / f"{calendar}.ics", calendar, named=False)
        if feed is not None:
            revisions |= {uid: event.revision for uid, event in feed.events.items()}
            revisions |= feed.dropped
    return revisions


def _sources(
    folder: GroupFolder,
    previous: PublishedFeed | None,
    past: tuple[PastSeries, ...],
    published: Path,
) -> dict[str, str]:
    """Map each series' file to its calendar id, past series' as last recorded; raise
    BuildError where a file's series was published under another id that is still
    published, which would publish the series twice, under both ids."""
    recorded = dict(previous.sources) if previous is not None else {}
    past_ids = {one.id for one in past}
    problems = []
    for one in folder.series:
        calendar = one.schedule.calendar.id
        # A combined feed written before files were recorded: a file named after its id.
        was = recorded.get(one.path.name, one.path.stem)
        if was != calendar and was in past_ids:
            message = (
                f"calendar id {calendar!r} was {was!r} when {one.path.name} was last built, "
                f"and {published / was}.ics still publishes it, so the series would be "
                f"published twice; restore 'id: {was}', or list {was!r} under 'drop' in "
                f"{folder.path.name} to move the series to {calendar}.ics on purpose (its old feed "
                "and page are removed: its subscribers must subscribe again)"
            )
            problems.append(Problem(calendar_id_at(one.path), message))
    if problems:
        raise BuildError(problems)
    sources = {name: calendar for name, calendar in recorded.items() if calendar in past_ids}
    return sources | {one.path.name: one.schedule.calendar.id for one in folder.series}


def _kept_cancelled(past: PastSeries) -> str:
    """Say which of a removed series' sessions its feeds keep as cancelled."""
    count = len(past.feed.removed)
    if not count:
        return ""
    sessions = (
        "its session still to come is" if count == 1 else f"its {count} sessions still to come are"
    )
    return f"{sessions} kept in its feeds as cancelled, so subscribers see them go, and "


def _past_series(
    published: Path, group: Group, known: set[str], stamp: datetime
) -> tuple[PastSeries, ...]:
    """Find the series feeds published in the folder whose schedules are gone."""
    past = []
    for path, feed in _past_feeds(published, group.id, known):
        days = sorted(_first_day(event.lines) for event in feed.events.values())
        first, last = (days[0], days[-1]) if days else (None, None)
        withdrawn = render_withdrawn(feed, stamp=stamp)
        name = _feed_name(path)
        schedule = _withdrawn_schedule(group, Calendar(path.stem, name), feed, withdrawn)
        past.append(PastSeries(path.stem, name, first, last, withdrawn, schedule))
    return tuple(past)


def _withdrawn_schedule(
    group: Group, calendar: Calendar, published: PublishedFeed, withdrawn: Feed
) -> Schedule:
    """Read a past series' schedule back from its feed: what the feed says of the
    calendar, and each event as the withdrawn feed has it."""
    said = {line.name: line for line in map(parse_line, published.header)}
    text = {name: unescape_text(said[name].value) for name in CALENDAR_TEXT if name in said}
    info = replace(
        calendar,
        description=text.get("X-WR-CALDESC"),
        url=said["URL"].value if "URL" in said else None,
        feed_url=site_feed_url(group, calendar.id),
        timezone=text.get("X-WR-TIMEZONE"),
        language=language_of(published.events.values()),
    )
    sessions = []
    for lines in withdrawn.events:
        uid = next(line[4:] for line in lines if line.startswith("UID:"))
        sessions.append(published_session(uid.split(".", 1)[0], lines))
    return Schedule(info, tuple(sorted(sessions, key=lambda session: (session.date, session.week))))


def _past_feeds(published: Path, group: str, known: set[str]) -> list[tuple[Path, PublishedFeed]]:
    """Read the feeds published in the folder of series not in `known`."""
    feeds = []
    for path in other_feeds(published, f"{group}.ics"):
        if path.stem not in known:
            feed = read_previous(path, path.stem, named=True)
            assert feed is not None, "a named feed is read or refused"
            feeds.append((path, feed))
    return feeds


def removed_series_sessions(folder: GroupFolder, published: Path) -> list[tuple[str, Session]]:
    """Read back, as removed sessions by calendar id, those of the series whose schedules
    are gone but whose feeds stay published; raise BuildError."""
    known = {one.schedule.calendar.id for one in folder.series} | set(folder.group.drop)
    return [
        (path.stem, removed_session(uid.split(".", 1)[0], event.lines))
        for path, feed in _past_feeds(published, folder.group.id, known)
        for uid, event in feed.events.items()
    ]


def _first_day(lines: tuple[str, ...]) -> date:
    start = next(line for line in lines if line.startswith("DTSTART"))
    digits = parse_line(start).value[:8]
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def _feed_name(path: Path) -> str:
    """Read a published feed's name, falling back on its file's name."""
    with path.open("rb") as file:
        head = file.read(NAME_BYTES).decode("utf-8", "replace")
    for _, line in unfold(head):
        if line.upper().startswith("X-WR-CALNAME"):
            try:
                return unescape_text(parse_line(line).value)
            except ValueError:
                break
    return path.stem


def _hub_entry(folder: GroupFolder, build: Build) -> HubSeries:
    schedule: Schedule = build.schedule
    days = [session.date for session in schedule.sessions]
    info = schedule.calendar
    return HubSeries(
        id=info.id,
        name=info.name,
        description=info.description,
        first=min(days, default=None),
        last=max(days, default=None),
        sessions=len(schedule.sessions),
        feed_url=info.feed_url or site_feed_url(folder.group, info.id),
    )
