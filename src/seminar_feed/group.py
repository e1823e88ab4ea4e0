"""A group's seminars in one folder: the group file, its schedules, and the checks
that span them (calendar ids unique across series, series named in the group file
that exist).

The group file is read by the same table of keys (`fields`) and the same readers of
values (`values`) as a schedule; the schedules are read by the loader, one file each.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import FeedError, Problem, ScheduleError, Where
from .load import _compose as compose_yaml  # the loader's YAML errors, with their positions
from .load import _decode as decode_text
from .load import load_schedule
from .model import Schedule
from .values import ValueReader

GROUP_FILE = "group.yaml"
# A group file may end in .yml, as its schedules may, but a folder holds one of them.
GROUP_FILES = (GROUP_FILE, "group.yml")
# Both endings YAML files go by: a series whose file ends in .yml is a series too.
SCHEDULE_SUFFIXES = (".yaml", ".yml")
NOT_SCHEDULES = "move files that are not schedules out of the group's folder"
NO_CALENDAR = "the schedule is missing the required key 'calendar'"  # as the loader says it
MAX_GROUP_BYTES = 100_000  # five keys and two lists of ids


@dataclass(frozen=True)
class Group:
    """The group as its file describes it."""

    id: str
    name: str
    description: str | None = None
    url: str | None = None
    site_url: str | None = None
    language: str = "en"  # the hub's; each series page follows its own schedule's
    leave_combined: tuple[str, ...] = ()  # series kept out of the combined feed
    drop: tuple[str, ...] = ()  # removed series no longer published at all


@dataclass(frozen=True)
class Series:
    """One schedule of the group, and the file it came from."""

    path: Path
    schedule: Schedule


@dataclass(frozen=True)
class GroupFolder:
    """A group file and every schedule beside it, all valid together."""

    path: Path  # the group file
    group: Group
    series: tuple[Series, ...]  # by file name


def site_feed_url(group: Group, calendar: str) -> str | None:
    """Say where a feed the group publishes as `<calendar>.ics` is served, when the group
    file says where its folder is."""
    return f"{group.site_url}{calendar}.ics" if group.site_url else None


def published_folder(group: Path) -> Path:
    """Where a group publishes by default: dist/ beside its group file."""
    return group.parent / "dist"


def group_file(path: Path) -> Path | None:
    """Say which group file `path` names (the file itself, or the folder holding it);
    None when it names a single schedule."""
    if path.is_dir():
        return next(
            (path / name for name in GROUP_FILES if (path / name).exists()), path / GROUP_FILE
        )
    return path if path.name in GROUP_FILES else None


def schedule_files(group: Path) -> list[Path]:
    """List the schedules of the group whose file is `group`: every other .yaml or .yml
    file beside it, by name, but hidden ones, which tools keep there (.pre-commit-config.yaml)."""
    return sorted(
        path
        for path in group.parent.iterdir()
        if path.suffix in SCHEDULE_SUFFIXES
        and path.name not in GROUP_FILES
        and not path.name.startswith(".")
    )


def load_group_folder(path: Path) -> GroupFolder:
    """Read and validate the group file and every schedule beside it; raise
    ScheduleError listing every problem of every file."""
    problems: list[Problem] = []
    group: Group | None = None
    others = [name for name in GROUP_FILES if name != path.name and (path.parent / name).exists()]
    for other in others:
        message = f"{other} is in the same folder, and a group has one group file; keep one of them"
        problems.append(Problem(Where(str(path)), message))
    try:
        group = load_group_file(path)
    except ScheduleError as error:
        problems += error.problems
    series = []
    for schedule in schedule_files(path):
        if not schedule.is_file():  # a pipe would wait for a writer, a folder cannot be read
            message = f"is not a regular file; {NOT_SCHEDULES}"
            problems.append(Problem(Where(str(schedule)), message))
            continue
        try:
            series.append(Series(schedule, load_schedule(schedule)))
        except ScheduleError as error:
            problems += map(_hinted, error.problems)
    problems += _span_problems(path, group, series)
    if problems or group is None:
        raise ScheduleError(problems)
    return GroupFolder(path, group, tuple(series))


def _hinted(problem: Problem) -> Problem:
    """Add to a file that is no schedule at all how to keep it out of the group."""
    if problem.message != NO_CALENDAR:
        return problem
    return Problem(problem.where, f"{problem.message}; {NOT_SCHEDULES}")


def _span_problems(path: Path, group: Group | None, series: list[Series]) -> list[Problem]:
    """What is wrong only across files: a calendar id taken twice, the group's id
    taken by a series, a current series in `drop`."""
    problems = []
    first: dict[str, Path] = {}
    for one in series:
        calendar = one.schedule.calendar.id
        if group is not None and calendar == group.id:
            message = (
                f"calendar id {calendar!r} is the group's id, and both feeds would be "
                f"{calendar}.ics; choose another calendar id or group id"
            )
            problems.append(Problem(calendar_id_at(one.path), message))
        elif calendar in first:
            message = (
                f"calendar id {calendar!r} is also the id of {first[calendar].name}; "
                "each series needs its own, or their feeds and events would be one"
            )
            problems.append(Problem(calendar_id_at(one.path), message))
        else:
            first[calendar] = one.path
        if group is not None and calendar in group.drop:
            message = (
                f"series {calendar!r} is listed under 'drop' in {path.name} but still has "
                "this schedule; remove the file to drop the series, or remove it from 'drop'"
            )
            problems.append(Problem(calendar_id_at(one.path), message))
    return problems


def unknown_listed(folder: GroupFolder, published: Path) -> list[Problem]:
    """Find the ids under 'leave_combined' and 'drop' that no series has, neither one of
    the folder nor one published in `published` or remembered by its combined feed: a
    misspelt id would leave its series where it is, without a word."""
    # Here, not at the top: checking a single schedule never reads a published feed.
    from .previous import OUR_UID, read_previous_feed

    group = folder.group
    known = {one.schedule.calendar.id for one in folder.series}
    known |= {path.stem for path in published.glob("*.ics")} if published.is_dir() else set()
    try:
        data = (published / f"{group.id}.ics").read_bytes()
        combined = read_previous_feed(data, source=group.id, calendar=frozenset())
    except (OSError, FeedError):  # no combined feed yet, or the build will say what is wrong
        pass
    else:
        uids = (*combined.events, *combined.dropped)
        known |= {found.group(1) for found in map(OUR_UID.fullmatch, uids) if found}
    problems = []
    for key, listed in (("leave_combined", group.leave_combined), ("drop", group.drop)):
        for calendar in listed:
            if calendar not in known:
                message = (
                    f"{calendar} is under '{key}' but no series of the group has that calendar "
                    "id; check its spelling"
                )
                problems.append(Problem(_listed_at(folder.path, key, calendar), message))
    return problems


def _listed_at(path: Path, key: str, calendar: str) -> Where:
    """Find an id in one of the group file's lists, to point at it."""
    root = compose_yaml(decode_text(path.read_bytes(), str(path)), str(path))
    for name, value in root.value:
        if name.value == key and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if item.value == calendar:
                    return Where(str(path), item.start_mark.line + 1, item.start_mark.column + 1)
    return Where(str(path))


def calendar_id_at(path: Path) -> Where:
    """Find `calendar.id` in a valid schedule, to point at it: only when something is
    wrong, so a valid group costs no second read."""
    root = compose_yaml(decode_text(path.read_bytes(), str(path)), str(path))
    for key, value in root.value:
        if key.value == "calendar" and isinstance(value, yaml.MappingNode):
            for inner, node in value.value:
                if inner.value == "id":
                    return Where(str(path), node.start_mark.line + 1, node.start_mark.column + 1)
    return Where(str(path))


def load_group_file(path: Path) -> Group:
    """Read and validate the group file; raise ScheduleError listing every problem."""
    source = str(path)
    if path.exists() and not path.is_file():  # a pipe would wait for a writer
        raise _single(source, "is not a regular file; name the group's folder or its group file")
    try:
        with path.open("rb") as file:
            data = file.read(MAX_GROUP_BYTES + 1)
    except FileNotFoundError:
        raise _single(source, (f"no such file; a group's folder holds its {GROUP_FILE} "
                               "(see the README), or name a schedule file")) from None  # fmt: skip
    except OSError as error:
        raise _single(source, f"cannot read the file: {error.strerror}") from None
    if len(data) > MAX_GROUP_BYTES:
        raise _single(source, f"the file is over {MAX_GROUP_BYTES // 1000} kB; a group file "
                              "holds a few keys and lists of ids")  # fmt: skip
    needs = "'group' with its 'id' and 'name'"
    root = compose_yaml(decode_text(data, source), source, kind="group file", needs=needs)
    reader = _GroupReader(source)
    group = reader.document(root)
    reader.note_omitted()
    if reader.problems or group is None:
        raise ScheduleError(reader.problems)
    return group


def _single(source: str, message: str) -> ScheduleError:
    return ScheduleError([Problem(Where(source), message)])


class _GroupReader(ValueReader):
    """Reads the group file by the format's table, adding the one rule across its keys."""

    def document(self, root: yaml.Node) -> Group | None:
        read = self.read_mapping(root, "group_file", "the group file")
        if read is None:
            return None
        entries, values = read
        group = values.get("group")
        drop, leaving = values.get("drop") or (), values.get("leave_combined") or ()
        for calendar in sorted(set(drop) & set(leaving)):
            message = (
                f"{calendar!r} is under both 'drop' and 'leave_combined'; "
                "a dropped series has left the combined feed already"
            )
            self.fail(entries["drop"].value, message)
        if group is None or "id" not in group or "name" not in group:
            return None
        return Group(
            id=group["id"] or "",
            name=group["name"] or "",
            description=group.get("description"),
            url=group.get("url"),
            site_url=group.get("site_url"),
            language=group.get("language") or "en",
            leave_combined=leaving,
            drop=drop,
        )
