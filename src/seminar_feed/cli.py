"""The seminar-feed command: parses the command line, runs the pipeline, and reports.

Rendering libraries are imported inside the commands that need them, so that
`check` and `--help` stay quick enough for pre-commit hooks.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from contextlib import suppress
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from .errors import Problem, ScheduleError
from .model import Schedule, Session
from .starter import DEFAULT_NAME, DEFAULT_WEEKS

if TYPE_CHECKING:
    from .pipeline import Note
    from .publish import Content

# pytz lists a zone only once it has opened the zone's file, all ~600 of them, the first
# time any zone is looked up; its wheel ships every file, so skip that (pytz's own switch
# for this: a few milliseconds off every command that reads a schedule).
os.environ.setdefault("PYTZ_SKIPEXISTSCHECK", "1")

STARTER_OPTIONS = {"id": "--id", "name": "--name", "time": "--time", "timezone": "--timezone"}
LAST_EPOCH = 253_402_300_799  # 9999-12-31T23:59:59Z: iCalendar years have four digits

QUIET = "seminar_feed.quiet"  # where -q is kept, in the Click context's meta

schedule_argument = click.argument(
    "schedule", type=click.Path(path_type=Path), default="schedule.yaml", required=False
)


def _set_quiet(context: click.Context, _: click.Parameter, quiet: bool) -> None:
    context.meta[QUIET] = quiet


quiet_option = click.option(
    "-q",
    "--quiet",
    is_flag=True,
    expose_value=False,
    callback=_set_quiet,
    help="Print only errors, for scripts.",
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
@quiet_option
def build(
    schedule: Path,
    output: str | None,
    check: bool,
    previous: str | None,
    drop_removed: bool,
    new_id: bool,
) -> None:
    """Build the feed, its page and session files from SCHEDULE (default: ./schedule.yaml),
    or every feed of a group from its folder or group.yaml.

    Each session keeps its identity across builds. A session whose dates or
    text changed gets a higher SEQUENCE, so subscribed calendars update it in
    place; an unchanged schedule rebuilds to identical bytes. Build time is
    SOURCE_DATE_EPOCH when set, else now. Beside the feed go the page,
    index.html, and one file per session in sessions/.

    \b
    Examples:
      seminar-feed build
      seminar-feed build --check          # in CI: is dist/ up to date?
      seminar-feed build -q && git add schedule.yaml dist/
      seminar-feed build -o site/seminar.ics --previous dist/seminar.ics
      seminar-feed build seminars/        # a group: every series, the hub, one feed of all
    """
    from .group import group_file
    from .pipeline import (
        BuildError,
        load,
        published_feed,
        refuse_group_folder,
        render_build,
        write_build,
    )

    group = group_file(schedule)
    if group is not None:
        if previous is not None or new_id or output == "-":
            given = "--previous" if previous is not None else "--new-id" if new_id else "-o -"
            raise click.UsageError(
                f"{given} is for a single schedule; a group builds every feed in its folder"
            )
        _build_group(group, Path(output) if output else None, check=check, drop=drop_removed)
        return
    try:
        loaded = load(schedule)
        default_output = published_feed(schedule, loaded)
        target = None if output == "-" else Path(output) if output else default_output
        if output and target is not None:
            _refuse_output(output, target)
        if target is not None or check:
            refuse_group_folder(schedule, (target or default_output).parent)
        previous_path: Path | None = default_output if target is None else target
        if previous is not None:
            previous_path = None if previous.lower() == "none" else Path(previous)
        built = render_build(
            loaded,
            stamp=_build_time(),
            previous=previous_path,
            named=previous is not None,
            drop_removed=drop_removed,
        )
        _report(built.report)
        if target is None:
            if not check:
                sys.stdout.buffer.write(built.feed.ics)
                return
            target = default_output
        if check:
            _check_current(target.parent, built.files(target.name))
            return
        if not new_id:
            _refuse_stranding(target)
        write_build(built, target)
    except BuildError as error:
        _exit_with(error.problems)
    sessions = _count(len(built.feed.singles), "file")
    _say(
        f"wrote {target} ({_count(built.feed.event_count, 'event')}), "
        f"{target.parent / 'index.html'} and {target.parent / 'sessions'}/ ({sessions})"
    )


def _build_group(group: Path, output: Path | None, *, check: bool, drop: bool) -> None:
    """Build a group's folder: `output`, or dist/ beside its group file."""
    from .group import published_folder
    from .group_build import load_folder, refuse_unwritable, render_group, write_group
    from .pipeline import BuildError

    target = output or published_folder(group)
    try:
        refuse_unwritable(target)
        built = render_group(
            load_folder(group), stamp=_build_time(), published=target, drop_removed=drop
        )
        _report(built.report)
        if check:
            _check_current(target, built.files(), gone=built.gone())
            return
        write_group(built, target)
    except BuildError as error:
        _exit_with(error.problems)
    _say(
        f"wrote {target / built.combined_name} ({_count(built.combined.event_count, 'event')}), "
        f"{target / 'index.html'} and "
        f"{_count(len(built.series) + len(built.past), 'series', 'series')} in {target}/"
    )


@main.command(short_help="Preview the site in a browser, rebuilding on save; writes no dist/.")
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
    """Preview what a build of SCHEDULE would publish, rebuilding whenever it is
    saved, without touching the published dist/ folder.

    Each build goes to a temporary folder, removed on exit, over the published
    feed (dist/<calendar id>.ics beside the schedule): the preview shows what
    subscribers would get, and each rebuild says what would change for them.
    Files are served as a static host should serve them: .ics as text/calendar,
    with ETag and Last-Modified, and 304 Not Modified when nothing changed.

    \b
    Examples:
      seminar-feed serve
      seminar-feed serve --port 0         # any free port
      seminar-feed serve --host ::1 -p 8080
      seminar-feed serve seminars/        # a group, rebuilt when any of its files is saved
    """
    import signal
    import tempfile
    import threading

    from .group import group_file
    from .group_build import group_into
    from .pipeline import Build, BuildError, build_into
    from .serve import make_server, site_url, watch

    group = group_file(schedule)
    # Stopped by a signal too, at any point, the preview removes its folder on the way out.
    for each in signal.SIGINT, signal.SIGTERM, signal.SIGHUP:
        signal.signal(each, _stop_on_signal)

    def build_site(folder: Path) -> tuple[str, tuple[Note, ...]]:
        """Build into the folder; give the feed's name and the report."""
        if group is not None:
            built_group = group_into(group, folder, stamp=_build_time())
            return built_group.combined_name, built_group.report
        built: Build = build_into(schedule, folder, stamp=_build_time())
        return f"{built.schedule.calendar.id}.ics", built.report

    with tempfile.TemporaryDirectory(prefix="seminar-feed-preview-") as temporary:
        folder = Path(temporary)
        try:
            feed, report = build_site(folder)
        except BuildError as error:
            _exit_with(error.problems)
        _report(report)
        try:
            server = make_server(folder, host, port)
        except OSError as error:
            address = site_url("http", host, port).removeprefix("http://").rstrip("/")
            _error(f"cannot listen on {address}: {error.strerror or error}")
            raise SystemExit(1) from None
        base = site_url("http", host, server.server_port)
        click.echo(f"Previewing {schedule} at {base} (dist/ is left as it is)")
        click.echo(f"  page:      {base}")
        click.echo(f"  feed:      {base}{feed}")
        click.echo(f"  subscribe: {site_url('webcal', host, server.server_port)}{feed}")

        def rebuild() -> None:
            click.echo(f"{schedule} changed; rebuilding", err=True)
            try:
                _report(build_site(folder)[1])
            except BuildError as error:
                for problem in error.problems:
                    _error(str(problem))
                _warning("still serving the last good build")
            except OSError as error:
                _error(f"{error.filename or folder}: {error.strerror or error}")
                _warning("still serving the last good build")

        stop, ready = threading.Event(), threading.Event()
        watched = group.parent if group is not None else schedule
        watcher = threading.Thread(target=watch, args=(watched, rebuild, stop, ready))
        watcher.start()
        ready.wait()
        click.echo(f"Rebuilding whenever {schedule} is saved; press Ctrl-C to stop.")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            watcher.join()  # not removing the folder under a rebuild
            server.server_close()


def _stop_on_signal(_signal: int, _frame: object) -> NoReturn:
    """Stop the preview, and ignore the signals that come after: a second Ctrl-C, or a
    hangup as the terminal closes, would cut short the removal of its folder."""
    import signal

    for each in signal.SIGINT, signal.SIGTERM, signal.SIGHUP:
        signal.signal(each, signal.SIG_IGN)
    raise KeyboardInterrupt


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
@quiet_option
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
    created = False
    try:
        with schedule.open("x", encoding="utf-8") as file:
            created = True
            file.write(text)
    except FileExistsError:
        _error(f"{schedule}: already exists; init never overwrites a file: "
               "name another file or move this one away")  # fmt: skip
        raise SystemExit(1) from None
    except OSError as error:
        if created:  # cut short (a full disk): removed, so that init can be run again
            with suppress(OSError):
                schedule.unlink()
        _error(f"{schedule}: cannot write: {error.strerror}")
        raise SystemExit(1) from None
    last = first + timedelta(weeks=weeks - 1)
    _say(f"wrote {schedule} ({_count(weeks, 'weekly session')}, {first} to {last}); "
         "edit it, then run seminar-feed build")  # fmt: skip


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
            _error(f"{option}: {problem.message}")
        raise SystemExit(2) from None


@main.command(short_help="Validate schedules and print every problem found.")
@click.argument("schedules", nargs=-1, type=click.Path(path_type=Path))
@quiet_option
def check(schedules: tuple[Path, ...]) -> None:
    """Validate each SCHEDULE (default: ./schedule.yaml), or a group's folder or
    group.yaml with every schedule beside it, and print every problem found; exit 1
    if there is any.

    \b
    Examples:
      seminar-feed check
      seminar-feed check -q spring.yaml autumn.yaml
      seminar-feed check seminars/
    """
    from .group import group_file

    valid = True
    for schedule in schedules or (Path("schedule.yaml"),):
        group = group_file(schedule)
        if group is not None:
            valid = _check_group(group) and valid
            continue
        loaded = _load(schedule)
        if loaded is None:
            valid = False
        elif not _quiet():
            click.echo(f"{schedule}: ok ({_count(len(loaded.sessions), 'session')})")
    if not valid:
        raise SystemExit(1)


def _check_group(group: Path) -> bool:
    """Validate a group; say so for each of its files. False if anything is wrong."""
    from .group import load_group_folder, published_folder, unknown_listed

    try:
        loaded = load_group_folder(group)
    except ScheduleError as error:
        for problem in error.problems:
            _error(str(problem))
        return False
    for problem in unknown_listed(loaded, published_folder(group)):
        _warning(f"warning: {problem}")
    if not _quiet():
        click.echo(f"{group}: ok ({_count(len(loaded.series), 'series', 'series')})")
        for one in loaded.series:
            click.echo(f"{one.path}: ok ({_count(len(one.schedule.sessions), 'session')})")
    return True


@main.command()
@click.option("--group", "of_group", is_flag=True, help="The schema of group.yaml instead.")
def schema(of_group: bool) -> None:
    """Print the JSON Schema of the schedule file, for editors.

    build also publishes it as dist/schedule.schema.json. Editors with the YAML
    language server (VS Code's YAML extension, among others) check and complete
    a schedule whose first line is:

    # yaml-language-server: $schema=dist/schedule.schema.json

    \b
    Examples:
      seminar-feed schema > schedule.schema.json
      seminar-feed schema --group > group.schema.json
    """
    if of_group:
        from .schema import group_schema_json

        click.echo(group_schema_json(), nl=False)
        return
    from .schema import schema_json

    click.echo(schema_json(), nl=False)


@main.command(short_help="Write a QR code that subscribes a phone to the feed.")
@schedule_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Write an image, SVG or PNG by the file's extension.  [default: the terminal]",
)
@click.option(
    "--series",
    metavar="ID",
    help="For a group: the code of the series with this calendar id, not the combined feed's.",
)
@quiet_option
def qr(schedule: Path, output: Path | None, series: str | None) -> None:
    """Write a QR code of the address that subscribes a calendar to SCHEDULE's feed
    (default: ./schedule.yaml), or to a group's combined feed, for posters and the
    first slide of each session.

    The code carries the webcal:// form of calendar.feed_url (for a group, of
    group.site_url followed by the feed's name), which an iPhone's camera opens in
    Calendar as a subscription; an https address would import a copy that never
    follows changes. The schedule must set calendar.feed_url; a group, site_url.

    \b
    Examples:
      seminar-feed qr
      seminar-feed qr -o poster-qr.svg
      seminar-feed qr -o slide-qr.png spring.yaml
      seminar-feed qr -o lab-qr.svg seminars/
      seminar-feed qr --series 2026-fall-flows seminars/
    """
    from .group import group_file
    from .qr import IMAGE_KINDS, code_image, code_lines

    kind = output.suffix.lower().removeprefix(".") if output else None
    if output and kind not in IMAGE_KINDS:
        raise click.BadParameter(
            f"{output} is neither .svg nor .png; name an image, like qr.svg or qr.png",
            param_hint="'-o' / '--output'",
        )
    group = group_file(schedule)
    if series is not None and group is None:
        raise click.BadParameter(
            f"{schedule} is a single schedule; --series names a series of a group's folder",
            param_hint="'--series'",
        )
    try:
        address = _code_address(schedule, group, series)
    except ScheduleError as error:
        _exit_with(error.problems)
    if output is None or kind is None:
        # White on black whatever the terminal's colours; plain, the code is drawn in the
        # text's colour on the background, which reads on the usual light-on-dark terminal.
        for line in code_lines(address):
            click.echo(_styled(line, "bright_white", background="black"))
        return
    try:
        output.write_bytes(code_image(address, kind))
    except OSError as error:
        _error(f"{output}: cannot write: {error.strerror}")
        raise SystemExit(1) from None
    _say(f"wrote {output} ({address})")


def _code_address(schedule: Path, group: Path | None, series: str | None) -> str:
    """Find the address a code carries: a schedule's feed, a group's combined feed, or
    one series' of a group; raise ScheduleError."""
    from .group import load_group_file, load_group_folder
    from .qr import code_address, combined_code_address, series_code_address

    if group is None:
        return code_address(_load_or_exit(schedule).calendar, source=str(schedule))
    if series is None:
        return combined_code_address(load_group_file(group), source=str(group))
    return series_code_address(load_group_folder(group), series)


@main.command(name="list")
@schedule_argument
@click.option("--json", "as_json", is_flag=True, help="Print JSON for programs instead of a table.")
def list_sessions(schedule: Path, as_json: bool) -> None:
    """Show the sessions of SCHEDULE (or of every series of a group) in date order,
    with those removed from it that the published feed still holds as cancelled.

    \b
    Examples:
      seminar-feed list
      seminar-feed list --json spring.yaml
      seminar-feed list seminars/
    """
    from .group import group_file
    from .pipeline import BuildError, published_feed, removed_sessions

    group = group_file(schedule)
    series: list[tuple[str, Session]] = []
    removed: list[Session] = []
    try:
        if group is None:
            loaded = _load_or_exit(schedule)
            removed = removed_sessions(loaded, published_feed(schedule, loaded))
            series = [("", session) for session in [*loaded.sessions, *removed]]
        else:
            from .group import published_folder
            from .group_build import load_folder, removed_series_sessions

            folder = load_folder(group)
            for one in folder.series:
                calendar = one.schedule.calendar.id
                feed = published_folder(group) / f"{calendar}.ics"
                gone = removed_sessions(one.schedule, feed)
                removed += gone
                series += [(calendar, session) for session in [*one.schedule.sessions, *gone]]
            past = removed_series_sessions(folder, published_folder(group))
            removed += [session for _, session in past]
            series += past
    except BuildError as error:
        _exit_with(error.problems)
    series.sort(key=lambda pair: (pair[1].date, pair[0]))
    sessions = [session for _, session in series]
    if as_json:
        import json  # only here: --help and check stay quick

        entries = [
            {
                **({"series": calendar} if group else {}),
                **_as_json(session, removed=session in removed),
            }
            for calendar, session in series
        ]
        click.echo(json.dumps(entries, indent=2, ensure_ascii=False))
        return
    timed = any(session.start is not None for session in sessions)
    named = any(session.presenter for session in sessions)  # no empty column before a term
    header = ["WEEK", "DATE", *(["TIME"] * timed), *(["PRESENTER"] * named), "TITLE"]
    rows = [(["SERIES"] if group else []) + header] + [
        ([calendar] if group else []) + _row(session, timed, named, removed=session in removed)
        for calendar, session in series
    ]
    for row in _aligned(rows):
        click.echo(row)


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
            _error(str(problem))
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
        _error(f"SOURCE_DATE_EPOCH: expected whole seconds since 1970, got {epoch!r}")
        raise SystemExit(1)
    if int(epoch) > LAST_EPOCH:
        _error(
            f"SOURCE_DATE_EPOCH: expected a time before the year 10000 (at most {LAST_EPOCH}), "
            f"got {epoch!r}"
        )
        raise SystemExit(1)
    return datetime.fromtimestamp(int(epoch), timezone.utc)


def _check_current(folder: Path, files: Mapping[str, Content], gone: Sequence[str] = ()) -> None:
    from .publish import FolderError, stale_files

    try:
        stale = stale_files(folder, files, gone=gone)
    except FolderError as error:
        _exit_with(error.problems)
    for path, state in stale:
        _error(f"{path}: {state}")
    if stale:
        _error(f"run seminar-feed build to bring {folder}/ up to date")
        raise SystemExit(1)
    _say(f"{folder}/: up to date ({_count(len(files), 'file')})")


def _refuse_stranding(feed: Path) -> None:
    """Stop a build that would leave the subscribers of this folder's feed behind."""
    from .publish import other_feeds

    others = other_feeds(feed.parent, feed.name)
    for other in others:
        _error(
            f"{other}: this folder already publishes a feed under another calendar id; its "
            f"subscribers would stay on it while the schedule goes to {feed.name}: restore "
            "calendar.id, or pass --new-id to publish the new feed beside it on purpose"
        )
    if others:
        raise SystemExit(1)


def _exit_with(problems: Sequence[Problem]) -> NoReturn:
    for problem in problems:
        _error(str(problem))
    raise SystemExit(1)


def _report(notes: Sequence[Note]) -> None:
    for note in notes:
        if note.warning:
            _warning(note.text)
        else:
            _say(note.text)


def _quiet() -> bool:
    context = click.get_current_context(silent=True)  # none in the preview's watcher
    return context is not None and bool(context.find_root().meta.get(QUIET))


def _styled(text: str, colour: str, *, background: str | None = None) -> str:
    # Click drops the colour itself when the output is not a terminal.
    if os.environ.get("NO_COLOR"):  # set and not empty, as no-color.org asks
        return text
    return click.style(text, fg=colour, bg=background)


def _error(text: str) -> None:
    click.echo(_styled(text, "red"), err=True)


def _warning(text: str) -> None:
    if not _quiet():
        click.echo(_styled(text, "yellow"), err=True)


def _say(text: str) -> None:
    """Tell what was done, on standard error, unless -q asked for errors only."""
    if not _quiet():
        click.echo(text, err=True)


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _row(session: Session, timed: bool, named: bool, *, removed: bool) -> list[str]:
    mark = " (removed)" if removed else " (cancelled)" if session.cancelled else ""
    title = session.title + mark
    when = [f"{session.start:%H:%M}" if session.start is not None else "all day"] if timed else []
    who = [session.presenter or ""] if named else []
    return [str(session.week), session.date.isoformat(), *when, *who, title]


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
        "online": session.online,
        "materials": [{"title": item.title, "url": item.url} for item in session.materials],
        "cancelled": session.cancelled,
        "removed": removed,
        "reason": session.reason,
        "reminders_minutes": [_minutes(before) for before in session.reminders],
    }
