"""A group's seminars in one folder: the group file, its schedules, and the checks
that span them (calendar ids unique across series, series named in the group file
that exist).

The group file is tiny and its keys are few, so it is read here with its own
small table of keys; the schedules are read by the loader, one file each.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .errors import Problem, ScheduleError, Where
from .load import _compose as compose_yaml  # the loader's YAML errors, with their positions
from .load import _decode as decode_text
from .load import load_schedule
from .model import Schedule
from .values import MAX_ID_CHARACTERS, MAX_LINE_CHARACTERS, MAX_TEXT_CHARACTERS

GROUP_FILE = "group.yaml"
# Both endings YAML files go by: a series whose file ends in .yml is a series too.
SCHEDULE_SUFFIXES = (".yaml", ".yml")
MAX_GROUP_BYTES = 100_000  # five keys and two lists of ids
ID = re.compile(r"[a-z0-9-]+")
TOP_KEYS = ("group", "leave_combined", "drop")
LIST_KEYS = ("leave_combined", "drop")

# Each key of `group:`, what it must be, and how the JSON Schema says so.
GROUP_FIELDS: dict[str, dict[str, Any]] = {
    "id": {
        "type": "string", "pattern": "^[a-z0-9-]+$", "maxLength": MAX_ID_CHARACTERS,
        "description": "Names the combined feed, <id>.ics; never change it once published",
    },
    "name": {"type": "string", "minLength": 1, "maxLength": MAX_LINE_CHARACTERS,
             "description": "The combined calendar's name in every client"},
    "description": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARACTERS,
                    "description": "Plain text; may span lines"},
    "url": {"type": "string", "pattern": "^https?://\\S+$", "description": "The group's website"},
    "site_url": {"type": "string", "pattern": "^https://\\S+/$",
                 "description": "The https URL the published folder is served at, ending in /; "
                 "only needed for subscribe buttons that work without the page's script"},
}  # fmt: skip
GROUP_REQUIRED = ("id", "name")


@dataclass(frozen=True)
class Group:
    """The group as its file describes it."""

    id: str
    name: str
    description: str | None = None
    url: str | None = None
    site_url: str | None = None
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


def group_file(path: Path) -> Path | None:
    """Say which group file `path` names (the file itself, or the folder holding it);
    None when it names a single schedule."""
    if path.is_dir():
        return path / GROUP_FILE
    return path if path.name == GROUP_FILE else None


def schedule_files(group: Path) -> list[Path]:
    """List the schedules of the group whose file is `group`: every other .yaml or .yml
    file beside it, by name."""
    return sorted(
        path
        for path in group.parent.iterdir()
        if path.suffix in SCHEDULE_SUFFIXES and path.name != GROUP_FILE
    )


def load_group_folder(path: Path) -> GroupFolder:
    """Read and validate the group file and every schedule beside it; raise
    ScheduleError listing every problem of every file."""
    problems: list[Problem] = []
    group: Group | None = None
    try:
        group = load_group_file(path)
    except ScheduleError as error:
        problems += error.problems
    series = []
    for schedule in schedule_files(path):
        try:
            series.append(Series(schedule, load_schedule(schedule)))
        except ScheduleError as error:
            problems += error.problems
    problems += _span_problems(path, group, series)
    if problems or group is None:
        raise ScheduleError(problems)
    return GroupFolder(path, group, tuple(series))


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
            problems.append(Problem(_calendar_id_at(one.path), message))
        elif calendar in first:
            message = (
                f"calendar id {calendar!r} is also the id of {first[calendar].name}; "
                "each series needs its own, or their feeds and events would be one"
            )
            problems.append(Problem(_calendar_id_at(one.path), message))
        else:
            first[calendar] = one.path
        if group is not None and calendar in group.drop:
            message = (
                f"series {calendar!r} is listed under 'drop' in {path.name} but still has "
                "this schedule; remove the file to drop the series, or remove it from 'drop'"
            )
            problems.append(Problem(_calendar_id_at(one.path), message))
    return problems


def _calendar_id_at(path: Path) -> Where:
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
    root = compose_yaml(decode_text(data, source), source)
    reader = _GroupReader(source)
    group = reader.document(root)
    if reader.problems or group is None:
        raise ScheduleError(reader.problems)
    return group


def _single(source: str, message: str) -> ScheduleError:
    return ScheduleError([Problem(Where(source), message)])


class _GroupReader:
    """Walks the group file's nodes, collecting every problem."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(Where(self.source, mark.line + 1, mark.column + 1), message))

    def mapping(
        self, node: yaml.Node, what: str, known: tuple[str, ...], required: tuple[str, ...]
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"expected {what} as a mapping of keys, got {_kind(node)}")
            return {}
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if not isinstance(name, str):
                self.fail(key, f"expected a key name, got {_kind(key)}")
            elif name in entries:
                line = entries[name][0].start_mark.line + 1
                self.fail(key, f"duplicate key '{name}' (first on line {line}); keep one")
            elif name not in known:
                self.fail(key, f"unknown key {name!r} in {what}{_hint(name, known)}")
            else:
                entries[name] = (key, value)
        misspelt = {_meant(name, known) for name in _keys(node) if name not in known}
        for name in required:
            if name not in entries and name not in misspelt:
                self.fail(node, f"{what} is missing the required key '{name}'")
        return entries

    def scalar(self, node: yaml.Node, expected: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
            self.fail(node, f"expected {expected}, got {_kind(node)}")
            return None
        return str(node.value).strip()

    def text(self, node: yaml.Node, *, multiline: bool = False) -> str | None:
        value = self.scalar(node, "text")
        if value is None:
            return None
        limit = MAX_TEXT_CHARACTERS if multiline else MAX_LINE_CHARACTERS
        if not value:
            self.fail(node, "expected text, got an empty value; give a value or remove the key")
        elif len(value) > limit:
            self.fail(node, f"this text is {len(value)} characters long; keep it under {limit}")
        elif not multiline and any(char in value for char in "\n\r\t"):
            self.fail(node, "this value must fit on one line, without tabs")
        elif any(
            unicodedata.category(char) in ("Cc", "Cs") and char not in "\n\t" for char in value
        ):
            self.fail(node, "control characters are not allowed here; remove them")
        else:
            return value
        return None

    def identifier(self, node: yaml.Node) -> str | None:
        value = self.scalar(node, "an id")
        if value is None:
            return None
        if not ID.fullmatch(value) or len(value) > MAX_ID_CHARACTERS:
            expected = f"lowercase letters, digits and hyphens (at most {MAX_ID_CHARACTERS})"
            self.fail(node, f"expected {expected}, like 2026-fall-flows, got {value!r}")
            return None
        return value

    def link(self, node: yaml.Node, *, site: bool = False) -> str | None:
        value = self.scalar(node, "a URL")
        if value is None:
            return None
        parts = urlsplit(value)
        schemes = ("https",) if site else ("http", "https")
        if parts.scheme not in schemes or not parts.netloc or re.search(r"\s", value):
            example = "https://example.org/seminars/" if site else "https://example.org/"
            kind = "the https URL the folder is served at" if site else "an http(s) URL"
            self.fail(node, f"expected {kind}, like {example}, got {value!r}")
            return None
        if site and not value.endswith("/"):
            self.fail(node, f"expected the folder's URL to end in '/', got {value!r}; "
                            f"did you mean {value + '/'!r}?")  # fmt: skip
            return None
        return value

    def ids(self, node: yaml.Node, key: str) -> tuple[str, ...]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"expected '{key}' as a list of calendar ids, got {_kind(node)}")
            return ()
        found: list[str] = []
        for item in node.value:
            value = self.identifier(item)
            if value in found:
                self.fail(item, f"{value!r} is listed twice in '{key}'; keep one")
            elif value is not None:
                found.append(value)
        return tuple(found)

    def document(self, root: yaml.Node) -> Group | None:
        top = self.mapping(root, "the group file", TOP_KEYS, ("group",))
        lists = {key: self.ids(top[key][1], key) if key in top else () for key in LIST_KEYS}
        if "group" not in top:
            return None
        fields = self.mapping(top["group"][1], "group", tuple(GROUP_FIELDS), GROUP_REQUIRED)
        readers: dict[str, Callable[[yaml.Node], str | None]] = {
            "id": self.identifier,
            "name": self.text,
            "description": lambda node: self.text(node, multiline=True),
            "url": self.link,
            "site_url": lambda node: self.link(node, site=True),
        }
        values = {key: readers[key](value) for key, (_, value) in fields.items()}
        if "id" not in values or "name" not in values or None in values.values():
            return None
        both = set(lists["drop"]) & set(lists["leave_combined"])
        for name in sorted(both):
            message = (
                f"{name!r} is under both 'drop' and 'leave_combined'; "
                "a dropped series has left the combined feed already"
            )
            self.fail(top["drop"][1], message)
        return Group(
            id=values["id"] or "",
            name=values["name"] or "",
            description=values.get("description"),
            url=values.get("url"),
            site_url=values.get("site_url"),
            leave_combined=lists["leave_combined"],
            drop=lists["drop"],
        )


def _keys(node: yaml.Node) -> Iterator[str]:
    for key, _ in node.value if isinstance(node, yaml.MappingNode) else ():
        if isinstance(key, yaml.ScalarNode):
            yield str(key.value)


def _meant(word: str, choices: tuple[str, ...]) -> str | None:
    import difflib  # only needed once something is wrong

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def _hint(word: str, choices: tuple[str, ...]) -> str:
    meant = _meant(word, choices)
    return f"; did you mean '{meant}'?" if meant else f"; expected one of: {', '.join(choices)}"


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag.endswith(":null"):
        return "nothing"
    return repr(str(node.value)[:60])


def group_schema_json() -> str:
    """Give the JSON Schema of the group file, from the same table its reader checks."""
    ids = {"type": "array", "uniqueItems": True, "items": GROUP_FIELDS["id"]}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "seminar-feed group",
        "type": "object",
        "additionalProperties": False,
        "required": ["group"],
        "properties": {
            "group": {
                "type": "object",
                "additionalProperties": False,
                "required": list(GROUP_REQUIRED),
                "properties": GROUP_FIELDS,
            },
            "leave_combined": {**ids, "description": "Series kept out of the combined feed"},
            "drop": {**ids, "description": "Removed series no longer published at all"},
        },
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
