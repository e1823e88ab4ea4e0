"""The seminar-feed command: parses the command line, reports, and writes files.

Rendering libraries are imported inside the commands that need them, so that
`check` and `--help` stay quick enough for pre-commit hooks.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from .errors import FeedError, Problem, ScheduleError
from .model import Schedule, Session
from .starter import DEFAULT_NAME, DEFAULT_WEEKS

if TYPE_CHECKING:
    from .feed import Feed
    from .previous import PublishedFeed
    from .publish import Content

GOOGLE_LIMIT = 1_000_000  # bytes; Google Calendar refuses larger feeds
GOOGLE_WARNING = 900_000
MAX_LISTED_CHANGES = 40  # a longer list scrolls the useful part away
STARTER_OPTIONS = {"id": "--id", "name": "--name", "time": "--time", "timezone": "--timezone"}
LAST_EPOCH = 253_402_300_799  # 9999-12-31T23:59:59Z: iCalendar years have four digits

schedule_argument = click.argument(
    "schedule", type=click.Path(path_type=Path), default="schedule.yaml", required=False
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="seminar-feed", prog_name="seminar-feed")
def main() -> None:
    """Publish a seminar's schedule as a calendar feed people can subscribe to.

    Keep the schedule in schedule.yaml, run `seminar-feed build`, and serve
    the dist/ folder: every subscriber's calendar follows your edits.
    """


@main.command()
@schedule_argument
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="Where to write the feed; '-' for standard output.  [default: dist/<calendar id>.ics "
    "beside the schedule]",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if the published files on disk are not what a build would write.",
)
@click.option(
    "--previous",
    metavar="PATH|none",
    help="The published feed whose revisions to carry over, or 'none' to start afresh.  "
    "[default: the output file]",
)
@click.option(
    "--drop-removed",
    is_flag=True,
    help="Leave out sessions that are gone from the schedule instead of keeping them as cancelled.",
)
@click.option(
    "--new-id",
    is_flag=True,
    help="Publish although the folder holds this tool's feed under another calendar id: "
    "calendar.id was changed on purpose, and that feed's subscribers stay behind on it.",
)
def build(
    schedule: Path,
    output: str | None,
    check: bool,
    previous: str | None,
    drop_removed: bool,
    new_id: bool,
) -> None:
    """Build the feed, its page and session files from SCHEDULE (default: ./schedule.yaml).

    Each session keeps its identity across builds. A session whose dates or
    text changed gets a higher SEQUENCE, so subscribed calendars update it in
    place; an unchanged schedule rebuilds to identical bytes. Build time is
    SOURCE_DATE_EPOCH when set, else now. Beside the feed go the page,
    index.html, and one file per session in sessions/.
    """
    _build(
        schedule,
        output=output,
        check=check,
        previous=previous,
        drop_removed=drop_removed,
        new_id=new_id,
    )


@main.command(short_help="Preview the published folder locally, rebuilding on save.")
@schedule_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "-p",
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to listen on; 0 takes any free one.",
)
def serve(schedule: Path, host: str, port: int) -> None:
    """Build, then serve the published folder for a preview, rebuilding whenever
    SCHEDULE is saved.

    Files are served as a static host should serve them: .ics as text/calendar,
    with ETag and Last-Modified, and 304 Not Modified when nothing changed.
    """
    import threading

    from .serve import make_server, watch

    feed_path = _build(schedule)
    folder, feed = feed_path.parent, feed_path.name
    try:
        server = make_server(folder, host, port)
    except OSError as error:
        click.echo(f"cannot listen on {host}:{port}: {error.strerror or error}", err=True)
        raise SystemExit(1) from None
    base = f"http://{host}:{server.server_port}/"
    click.echo(f"Serving {folder}/ at {base}")
    click.echo(f"  page:      {base}")
    click.echo(f"  feed:      {base}{feed}")
    click.echo(f"  subscribe: webcal://{host}:{server.server_port}/{feed}")

    def rebuild() -> None:
        click.echo(f"{schedule} changed; rebuilding", err=True)
        try:
            _build(schedule)
        except SystemExit:
            click.echo("still serving the last good build", err=True)

    stop, ready = threading.Event(), threading.Event()
    threading.Thread(target=watch, args=(schedule, rebuild, stop, ready), daemon=True).start()
    ready.wait()
    click.echo(f"Rebuilding whenever {schedule} is saved; press Ctrl-C to stop.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()


def _build(
    schedule: Path,
    *,
    output: str | None = None,
    check: bool = False,
    previous: str | None = None,
    drop_removed: bool = False,
    new_id: bool = False,
) -> Path:
    """Build and report; return the feed's path. Exit on a problem."""
    from .feed import render_feed

    loaded = _load_or_exit(schedule)
    default_output = schedule.parent / "dist" / f"{loaded.calendar.id}.ics"
    target = None if output == "-" else Path(output) if output else default_output
    if output and target is not None:
        _refuse_output(output, target)
    previous_path: Path | None = default_output if target is None else target
    if previous is not None:
        previous_path = None if previous.lower() == "none" else Path(previous)
    feed = render_feed(
        loaded,
        stamp=_build_time(),
        # Only the default may be missing (a first build): a named feed that is not
        # there is a typo, and starting afresh would reset every revision.
        previous=_read_previous(previous_path, loaded.calendar.id, named=previous is not None),
        drop_removed=drop_removed,
    )
    _report(feed)
    if target is None and not check:
        sys.stdout.buffer.write(feed.ics)
        return default_output
    from .publish import site_files

    path = target or default_output
    files = site_files(loaded, feed, feed_name=path.name)
    if check:
        _check_current(path.parent, files)
        return path
    if not new_id:
        _refuse_stranding(path)
    _write_or_exit(path, files)
    sessions = _count(len(feed.singles), "file")
    click.echo(
        f"wrote {path} ({_count(feed.event_count, 'event')}), {path.parent / 'index.html'} "
        f"and {path.parent / 'sessions'}/ ({sessions})",
        err=True,
    )
    return path


@main.command(short_help="Write a starter schedule for a new term.")
@click.argument("schedule", type=click.Path(path_type=Path), default="schedule.yaml")
@click.option("--name", default=DEFAULT_NAME, show_default=True, help="The seminar's name.")
@click.option("--id", "calendar_id", help="The calendar id.  [default: made from the name]")
@click.option(
    "--starts",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="The date of week 1.  [default: next Monday]",
)
@click.option(
    "--weeks", type=click.IntRange(1, 3100), default=DEFAULT_WEEKS, show_default=True,
    help="How many weekly sessions.",
)  # fmt: skip
@click.option("--time", "start", metavar="HH:MM", help="Start time; with --timezone.")
@click.option("--timezone", metavar="ZONE", help="IANA time zone, like Asia/Seoul; with --time.")
def init(
    schedule: Path,
    name: str,
    calendar_id: str | None,
    starts: datetime | None,
    weeks: int,
    start: str | None,
    timezone: str | None,
) -> None:
    """Write a starter schedule to SCHEDULE (default: ./schedule.yaml): one session a
    week, ready to build, with every optional key shown in a comment.

    It never overwrites a file.

    \b
    Examples:
      seminar-feed init
      seminar-feed init --name "Flow Matching Seminar" --starts 2026-09-07 --weeks 12
      seminar-feed init --time 18:30 --timezone Asia/Seoul
    """
    from .starter import Starter, calendar_id_from, next_monday, starter_schedule

    if (start is None) != (timezone is None):
        raise click.UsageError("--time and --timezone go together: give both or neither")
    first = starts.date() if starts else next_monday(datetime.now().date())
    starter = Starter(name, calendar_id or calendar_id_from(name), first, weeks, start, timezone)
    text = starter_schedule(starter)
    _check_starter(text, schedule)
    try:
        with schedule.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        click.echo(f"{schedule}: already exists; init never overwrites a file: "
                   "name another file or move this one away", err=True)  # fmt: skip
        raise SystemExit(1) from None
    except OSError as error:
        click.echo(f"{schedule}: cannot write: {error.strerror}", err=True)
        raise SystemExit(1) from None
    last = first + timedelta(weeks=weeks - 1)
    click.echo(f"wrote {schedule} ({_count(weeks, 'weekly session')}, {first} to {last}); "
               f"edit it, then run seminar-feed build", err=True)  # fmt: skip


def _check_starter(text: str, schedule: Path) -> None:
    """Judge the options by the loader's own rules, blaming the option that set the value."""
    from .load import parse_schedule

    try:
        parse_schedule(text.encode("utf-8"), source=str(schedule))
    except ScheduleError as error:
        lines = text.splitlines()
        for problem in error.problems:
            key = lines[problem.where.line - 1].split(":")[0].strip(" -")
            option = STARTER_OPTIONS.get(key, "--starts/--weeks")
            click.echo(f"{option}: {problem.message}", err=True)
        raise SystemExit(2) from None


@main.command(short_help="Validate schedules and print every problem found.")
@click.argument("schedules", nargs=-1, type=click.Path(path_type=Path))
def check(schedules: tuple[Path, ...]) -> None:
    """Validate each SCHEDULE (default: ./schedule.yaml) and print every problem
    found; exit 1 if there is any."""
    valid = True
    for schedule in schedules or (Path("schedule.yaml"),):
        loaded = _load(schedule)
        if loaded is None:
            valid = False
        else:
            click.echo(f"{schedule}: ok ({_count(len(loaded.sessions), 'session')})")
    if not valid:
        raise SystemExit(1)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the schedule file, for editors.

    build also publishes it as dist/schedule.schema.json. Editors with the YAML
    language server (VS Code's YAML extension, among others) check and complete
    a schedule whose first line is:

    # yaml-language-server: $schema=dist/schedule.schema.json
    """
    from .schema import schema_json

    click.echo(schema_json(), nl=False)


@main.command(name="list")
@schedule_argument
@click.option("--json", "as_json", is_flag=True, help="Print JSON for programs instead of a table.")
def list_sessions(schedule: Path, as_json: bool) -> None:
    """Show the sessions of SCHEDULE in date order, with those removed from it that
    the published feed still holds as cancelled."""
    loaded = _load_or_exit(schedule)
    removed = _removed_sessions(loaded, schedule.parent / "dist" / f"{loaded.calendar.id}.ics")
    sessions = sorted([*loaded.sessions, *removed], key=lambda session: session.date)
    if as_json:
        import json  # only here: --help and check stay quick

        entries = [_as_json(session, removed=session in removed) for session in sessions]
        click.echo(json.dumps(entries, indent=2, ensure_ascii=False))
        return
    timed = any(session.start is not None for session in sessions)
    header = ["WEEK", "DATE", *(["TIME"] if timed else []), "PRESENTER", "TITLE"]
    rows = [header] + [_row(session, timed, removed=session in removed) for session in sessions]
    for row in _aligned(rows):
        click.echo(row)


def _removed_sessions(schedule: Schedule, feed: Path) -> list[Session]:
    """Read the sessions that left the schedule back from the published feed."""
    from .changes import removed_session
    from .feed import session_uid

    published = _read_previous(feed, schedule.calendar.id, named=False)
    if published is None:
        return []
    current = {session_uid(schedule, session) for session in schedule.sessions}
    return [
        removed_session(uid.split(".", 1)[0], event.lines)
        for uid, event in sorted(published.events.items())
        if uid not in current
    ]


def _refuse_output(output: str, target: Path) -> None:
    from .publish import RESERVED

    if target.name in RESERVED:
        beside = target.parent / "seminar.ics"
        problem = f"{target.name} is written beside the feed; name the feed, like {beside}"
    elif output.endswith(("/", os.sep)) or target.is_dir():
        inside = target / "seminar.ics"
        problem = f"{output} names a folder; name the feed file in it, like {inside}"
    else:
        return
    raise click.BadParameter(problem, param_hint="'-o' / '--output'")


def _load(path: Path) -> Schedule | None:
    from .load import load_schedule  # here, not at the top: --help needs no YAML

    try:
        return load_schedule(path)
    except ScheduleError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        return None


def _load_or_exit(path: Path) -> Schedule:
    schedule = _load(path)
    if schedule is None:
        raise SystemExit(1)
    return schedule


def _build_time() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now(timezone.utc).replace(microsecond=0)
    # ASCII digits only: int() would also take '-1', ' 1', '1_0' and other scripts' digits.
    if not re.fullmatch(r"[0-9]{1,12}", epoch):
        click.echo(f"SOURCE_DATE_EPOCH: expected whole seconds since 1970, got {epoch!r}", err=True)
        raise SystemExit(1)
    if int(epoch) > LAST_EPOCH:
        click.echo(
            f"SOURCE_DATE_EPOCH: expected a time before the year 10000 (at most {LAST_EPOCH}), "
            f"got {epoch!r}",
            err=True,
        )
        raise SystemExit(1)
    return datetime.fromtimestamp(int(epoch), timezone.utc)


def _read_previous(path: Path | None, calendar: str, *, named: bool) -> PublishedFeed | None:
    from .previous import MAX_BYTES, START_AFRESH, read_previous_feed

    if path is None:
        return None
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)  # enough to tell it is too long
    except (FileNotFoundError, NotADirectoryError):
        if not named:
            return None  # the first build
        click.echo(f"{path}: no such file; name the published feed {START_AFRESH}", err=True)
        raise SystemExit(1) from None
    except IsADirectoryError:
        click.echo(f"{path}: is a folder; name the published feed {START_AFRESH}", err=True)
        raise SystemExit(1) from None
    except OSError as error:
        click.echo(f"{path}: cannot read the previous feed: {error.strerror}", err=True)
        raise SystemExit(1) from None
    try:
        return read_previous_feed(data, source=str(path), calendar=calendar)
    except FeedError as error:
        click.echo(str(error.problem), err=True)
        raise SystemExit(1) from None


def _report(feed: Feed) -> None:
    for change in feed.changes[:MAX_LISTED_CHANGES]:
        click.echo(str(change), err=True)
    if len(feed.changes) > MAX_LISTED_CHANGES:
        click.echo(f"and {len(feed.changes) - MAX_LISTED_CHANGES} more changes", err=True)
    for label in feed.removed:
        click.echo(
            f"warning: {label} is no longer in the schedule; it stays in the feed as cancelled "
            "so subscribers see it go (--drop-removed leaves it out)",
            err=True,
        )
    if len(feed.ics) > GOOGLE_WARNING:
        click.echo(
            f"warning: the feed is {len(feed.ics) // 1000} kB; Google Calendar refuses feeds over "
            f"about {GOOGLE_LIMIT // 1_000_000} MB: shorten descriptions or move past sessions "
            "to an archive schedule",
            err=True,
        )


def _check_current(folder: Path, files: Mapping[str, Content]) -> None:
    from .publish import FolderError, stale_files

    try:
        stale = stale_files(folder, files)
    except FolderError as error:
        _exit_with(error.problems)
    for path, state in stale:
        click.echo(f"{path}: {state}", err=True)
    if stale:
        click.echo(f"run seminar-feed build to bring {folder}/ up to date", err=True)
        raise SystemExit(1)
    click.echo(f"{folder}/: up to date ({_count(len(files), 'file')})", err=True)


def _refuse_stranding(feed: Path) -> None:
    """Stop a build that would leave the subscribers of this folder's feed behind."""
    from .publish import other_feeds

    others = other_feeds(feed.parent, feed.name)
    for other in others:
        click.echo(
            f"{other}: this folder already publishes a feed under another calendar id; its "
            f"subscribers would stay on it while the schedule goes to {feed.name}: restore "
            "calendar.id, or pass --new-id to publish the new feed beside it on purpose",
            err=True,
        )
    if others:
        raise SystemExit(1)


def _write_or_exit(feed: Path, files: Mapping[str, Content]) -> None:
    from .publish import FolderError, write_site

    folder = feed.parent
    try:
        write_site(folder, files, feed_name=feed.name)
    except FolderError as error:
        _exit_with(error.problems)
    except OSError as error:
        where = error.filename or folder
        reason = error.strerror or str(error)
        click.echo(f"{where}: cannot write: {reason}; the published feed is unchanged", err=True)
        raise SystemExit(1) from None


def _exit_with(problems: Sequence[Problem]) -> NoReturn:
    for problem in problems:
        click.echo(str(problem), err=True)
    raise SystemExit(1)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _row(session: Session, timed: bool, *, removed: bool) -> list[str]:
    mark = " (removed)" if removed else " (cancelled)" if session.cancelled else ""
    title = session.title + mark
    when = [f"{session.start:%H:%M}" if session.start is not None else "all day"] if timed else []
    return [str(session.week), session.date.isoformat(), *when, session.presenter or "", title]


def _width(text: str) -> int:
    # East Asian wide characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _padded(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(_width(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        "  ".join(_padded(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _minutes(length: timedelta) -> int:
    return int(length.total_seconds() // 60)


def _as_json(session: Session, *, removed: bool) -> dict[str, object]:
    return {
        "week": session.week,
        "id": session.key,
        "date": session.date.isoformat(),
        "time": f"{session.start:%H:%M}" if session.start is not None else None,
        "duration_minutes": _minutes(session.duration) if session.start is not None else None,
        "timezone": session.timezone,
        "title": session.title,
        "presenter": session.presenter,
        "description": session.description,
        "url": session.url,
        "location": session.location,
        "cancelled": session.cancelled,
        "removed": removed,
        "reason": session.reason,
        "reminders_minutes": [_minutes(before) for before in session.reminders],
    }
