"""Read schedule.yaml into a Schedule, or report everything that is wrong with it.

Scalars are taken from the YAML node tree as the text the user wrote and parsed
here: PyYAML's own typing would read ``18:30`` as the integer 1110 and keep the
last of two duplicate keys without a word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple, TypeVar
from urllib.parse import urlsplit

import pytz
import yaml

from .errors import Problem, ScheduleError, Where
from .model import Calendar, Schedule, Session

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

T = TypeVar("T")

TOP_KEYS = ("calendar", "sessions")
CALENDAR_KEYS = (
    "id", "name", "description", "url", "feed_url", "timezone",
    "time", "duration", "location", "starts", "reminders",
)  # fmt: skip
SESSION_KEYS = (
    "week", "id", "date", "title", "presenter", "description", "url",
    "time", "duration", "timezone", "location", "cancelled", "reason", "reminders",
)  # fmt: skip
CALENDAR_REQUIRED = ("id", "name")
SESSION_REQUIRED = ("week", "title")
DEFAULT_DURATION = timedelta(hours=1)
MAX_FILE_BYTES = 10_000_000  # about 25,000 sessions; bounds time and memory on hostile input
MAX_LINE_CHARACTERS = 300
MAX_TEXT_CHARACTERS = 10_000
NULL_TAG = "tag:yaml.org,2002:null"
LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

ID_PATTERN = re.compile(r"[a-z0-9-]+")
DATE_PATTERN = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
TIME_PATTERN = re.compile(r"(\d{1,2}):(\d{2})")
LENGTH_PATTERN = re.compile(r"(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?")


def load_schedule(path: Path) -> Schedule:
    """Read and validate a schedule file; raise ScheduleError listing every problem."""
    source = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _single(source, "no such file; create it or name another schedule") from None
    except IsADirectoryError:
        raise _single(source, "is a folder; name the schedule file inside it") from None
    except OSError as error:
        raise _single(source, f"cannot read the file: {error.strerror}") from None
    return parse_schedule(data, source=source)


def parse_schedule(data: bytes, *, source: str) -> Schedule:
    """Validate schedule bytes; `source` names them in messages. Raise ScheduleError."""
    if len(data) > MAX_FILE_BYTES:
        raise _single(
            source,
            f"the file is {len(data) / 1e6:.1f} MB; a schedule may be at most "
            f"{MAX_FILE_BYTES / 1e6:.0f} MB",
        )
    text = _decode(data, source)
    root = _compose(text, source)
    reader = _Reader(source)
    schedule = reader.schedule(root)
    if reader.problems or schedule is None:
        raise ScheduleError(reader.problems)
    return schedule


def _single(source: str, message: str, line: int = 0, column: int = 0) -> ScheduleError:
    return ScheduleError([Problem(Where(source, line, column), message)])


def _decode(data: bytes, source: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        byte = data[error.start]
        raise _single(
            source,
            f"the file is not UTF-8 text (byte 0x{byte:02x}); save it with UTF-8 encoding",
            line,
            column,
        ) from None


def _compose(text: str, source: str) -> yaml.Node:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        if _character_at(text, line, column) == "\t":
            raise _single(source, "a tab cannot indent YAML; use spaces", line, column) from None
        raise _single(source, _describe_yaml_error(error), line, column) from None
    except yaml.reader.ReaderError as error:
        line, column = _position(text, error.position)
        raise _single(
            source,
            f"the character U+{error.character:04X} is not allowed in YAML; remove it"
            if isinstance(error.character, int)
            else f"invalid character {error.character!r}; remove it",
            line,
            column,
        ) from None
    except RecursionError:  # PyYAML without libyaml has no depth limit of its own
        raise _single(source, "invalid YAML: nested too deeply to be a schedule") from None
    if root is None:
        raise _single(source, "the file is empty; a schedule needs 'calendar' and 'sessions'")
    return root


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _character_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if not 0 < line <= len(lines) or not 0 < column <= len(lines[line - 1]):
        return ""
    return lines[line - 1][column - 1]


def _describe_yaml_error(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "invalid YAML"
    hint = {
        "found undefined alias": "an alias (*name) refers to no anchor (&name)",
        "could not find expected ':'": "a key is missing its ':' (or a line is misindented)",
        "found duplicate anchor": "two anchors share a name",
        "exceeded maximum nesting depth": "nested too deeply to be a schedule",
    }
    for start, text in hint.items():
        if problem.startswith(start):
            return f"invalid YAML: {text}"
    context = f" {error.context}" if error.context else ""
    return f"invalid YAML: {problem}{context}"


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"{node.value!r}"


def _suggest(word: str, choices: Sequence[str]) -> str:
    import difflib  # only needed once something is wrong

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class _Entry(NamedTuple):
    key: yaml.Node
    value: yaml.Node


class _Reader:
    """Walks the node tree, collecting problems instead of stopping at the first."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def where(self, node: yaml.Node) -> Where:
        mark = node.start_mark
        return Where(self.source, mark.line + 1, mark.column + 1)

    def fail(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.where(node), message))

    # -- structure --------------------------------------------------------------

    def mapping(
        self, node: yaml.Node, *, what: str, known: tuple[str, ...], required: tuple[str, ...]
    ) -> dict[str, _Entry] | None:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"expected {what} as a mapping of keys, got {_kind(node)}")
            return None
        entries: dict[str, _Entry] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.fail(key_node, f"expected a key name, got {_kind(key_node)}")
            elif key in entries:
                first = entries[key].key.start_mark.line + 1
                self.fail(key_node, f"duplicate key '{key}' (first on line {first}); keep one")
            elif key == "<<":
                self.fail(key_node, "merge keys ('<<') are not supported; write the keys out")
            elif key not in known:
                hint = _suggest(key, known) or f"; expected one of: {', '.join(known)}"
                self.fail(key_node, f"unknown key '{key}' in {what}{hint}")
            else:
                entries[key] = _Entry(key_node, value_node)
        for key in required:
            if key not in entries:
                self.fail(node, f"{what} is missing the required key '{key}'")
        return entries

    # -- scalars ----------------------------------------------------------------

    def scalar(self, node: yaml.Node, expected: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"expected {expected}, got {_kind(node)}")
            return None
        if node.tag == NULL_TAG:
            self.fail(node, f"expected {expected}, got nothing; give a value or remove the key")
            return None
        return str(node.value)

    def parsed(self, node: yaml.Node, parse: Callable[[str], T | None], expected: str) -> T | None:
        text = self.scalar(node, expected)
        if text is None:
            return None
        value = parse(text.strip())
        if value is None:
            self.fail(node, f"expected {expected}, got {text!r}")
        return value

    def text(self, node: yaml.Node, *, multiline: bool = False) -> str | None:
        raw = self.scalar(node, "text")
        if raw is None:
            return None
        value = LINE_BREAKS.sub("\n", raw).strip() if multiline else raw.strip()
        if not value:
            self.fail(node, "expected text, got an empty value; give a value or remove the key")
            return None
        limit = MAX_TEXT_CHARACTERS if multiline else MAX_LINE_CHARACTERS
        if len(value) > limit:
            self.fail(node, f"this text is {len(value)} characters long; keep it under {limit}")
            return None
        for char in value:
            if char == "\n" and multiline:
                continue
            if char in "\n\r\x85\u2028\u2029":
                self.fail(node, "this value must fit on one line; remove the line break")
                return None
            if unicodedata.category(char) == "Cc":
                self.fail(node, f"control character U+{ord(char):04X} is not allowed; remove it")
                return None
        return value

    def paragraphs(self, node: yaml.Node) -> str | None:
        return self.text(node, multiline=True)

    def week(self, node: yaml.Node) -> int | None:
        return self.parsed(node, _parse_positive, "a week number like 1")

    def identifier(self, node: yaml.Node) -> str | None:
        return self.parsed(
            node,
            lambda s: s if ID_PATTERN.fullmatch(s) else None,
            "lowercase letters, digits and hyphens, like 2026-summer-diffusion",
        )

    def date(self, node: yaml.Node) -> date | None:
        text = self.scalar(node, "a date like 2026-07-06")
        if text is None:
            return None
        match = DATE_PATTERN.fullmatch(text.strip())
        if not match:
            self.fail(node, f"expected a date like 2026-07-06, got {text!r}")
            return None
        try:
            return date(*map(int, match.groups()))
        except ValueError as error:
            self.fail(node, f"there is no date {text.strip()} ({error})")
            return None

    def time(self, node: yaml.Node) -> time | None:
        return self.parsed(node, _parse_time, "a 24-hour time like 18:30")

    def duration(self, node: yaml.Node) -> timedelta | None:
        length = self.parsed(node, _parse_length, "a length like 90m, 2h or 1h30m")
        if length is None:
            return None
        if not timedelta(0) < length <= timedelta(days=1):
            self.fail(node, "a session must last more than 0 minutes and at most 24h")
            return None
        return length

    def timezone(self, node: yaml.Node) -> str | None:
        name = self.scalar(node, "a time zone like Asia/Seoul")
        if name is None:
            return None
        name = name.strip()
        if name in pytz.all_timezones_set:
            return name
        matches = [z for z in pytz.all_timezones if z.lower().endswith("/" + name.lower())]
        hint = f"; did you mean '{matches[0]}'?" if matches else _suggest(name, pytz.all_timezones)
        self.fail(node, f"unknown time zone {name!r}{hint or '; use an IANA name like Asia/Seoul'}")
        return None

    def url(self, node: yaml.Node) -> str | None:
        return self.parsed(node, _parse_url, "an http(s) URL like https://example.org/")

    def feed_url(self, node: yaml.Node) -> str | None:
        # Outlook and Google subscribe only over https.
        return self.parsed(
            node,
            lambda s: s if _parse_url(s) and s.startswith("https://") else None,
            "the https URL the feed will be served at, like https://example.org/seminar.ics",
        )

    def flag(self, node: yaml.Node) -> bool | None:
        return self.parsed(node, {"true": True, "false": False}.get, "true or false")

    def reminders(self, node: yaml.Node) -> tuple[timedelta, ...] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"expected a list of reminders like [1d, 30m], got {_kind(node)}")
            return None
        found: list[timedelta] = []
        for item in node.value:
            before = self.parsed(item, _parse_length, "a reminder like 1d, 2h or 30m")
            if before is None:
                continue
            if before > timedelta(weeks=4):
                self.fail(item, "a reminder can come at most 4 weeks (28d) before a session")
            elif before in found:
                self.fail(item, f"the reminder {item.value} is listed twice; keep one")
            else:
                found.append(before)
        return tuple(found)

    # -- the document -----------------------------------------------------------

    def schedule(self, root: yaml.Node) -> Schedule | None:
        top = self.mapping(root, what="the schedule", known=TOP_KEYS, required=TOP_KEYS)
        if top is None:
            return None
        defaults = self.calendar(top["calendar"].value) if "calendar" in top else _NO_DEFAULTS
        sessions: list[tuple[Session, _SessionNodes]] = []
        if "sessions" in top:
            node = top["sessions"].value
            if not isinstance(node, yaml.SequenceNode):
                self.fail(node, f"expected a list of sessions, got {_kind(node)}")
            else:
                for item in node.value:
                    read = self.session(item, defaults)
                    if read is not None:
                        sessions.append(read)
        if self.problems:
            return None
        self.check_sessions(sessions)
        ordered = sorted((session for session, _ in sessions), key=lambda s: s.week)
        return Schedule(calendar=defaults.calendar, sessions=tuple(ordered))

    def calendar(self, node: yaml.Node) -> _Defaults:
        fields = self.mapping(
            node, what="calendar", known=CALENDAR_KEYS, required=CALENDAR_REQUIRED
        )
        if fields is None:
            return _NO_DEFAULTS
        values = _Values(fields)
        calendar_id = values.read("id", self.identifier)
        name = values.read("name", self.text)
        calendar = Calendar(
            id=calendar_id or "",
            name=name or "",
            description=values.read("description", self.paragraphs),
            url=values.read("url", self.url),
            feed_url=values.read("feed_url", self.feed_url),
            timezone=values.read("timezone", self.timezone),
        )
        start = values.read("time", self.time)
        if "time" in fields and "timezone" not in fields:
            self.fail(
                fields["time"].value,
                "a time of day needs a time zone; add calendar.timezone, like Asia/Seoul",
            )
        return _Defaults(
            calendar=calendar,
            start=start,
            duration=values.read("duration", self.duration) or DEFAULT_DURATION,
            location=values.read("location", self.text),
            first_date=values.read("starts", self.date),
            reminders=values.read("reminders", self.reminders) or (),
            has_timezone="timezone" in fields,
        )

    def session(self, node: yaml.Node, defaults: _Defaults) -> tuple[Session, _SessionNodes] | None:
        fields = self.mapping(node, what="a session", known=SESSION_KEYS, required=SESSION_REQUIRED)
        if fields is None:
            return None
        values = _Values(fields)
        week = values.read("week", self.week)
        title = values.read("title", self.text)
        on = values.read("date", self.date)
        cancelled = values.read("cancelled", self.flag)
        optional = {
            "presenter": values.read("presenter", self.text),
            "description": values.read("description", self.paragraphs),
            "url": values.read("url", self.url),
            "reason": values.read("reason", self.paragraphs),
            "start": values.read("time", self.time, defaults.start),
            "duration": values.read("duration", self.duration, defaults.duration),
            "timezone": values.read("timezone", self.timezone, defaults.calendar.timezone),
            "location": values.read("location", self.text, defaults.location),
            "reminders": values.read("reminders", self.reminders, defaults.reminders),
        }
        key = values.read("id", self.identifier)
        if "date" not in fields and defaults.first_date is None and "week" in fields:
            self.fail(
                fields["week"].key,
                "this session has no date; add date: YYYY-MM-DD or set calendar.starts",
            )
        if "reason" in fields and cancelled is not True:
            self.fail(fields["reason"].key, "a reason is only shown with cancelled: true")
        if "time" in fields and "timezone" not in fields and not defaults.has_timezone:
            self.fail(
                fields["time"].value,
                "a time of day needs a time zone; add timezone here or in calendar",
            )
        if "date" not in fields and defaults.first_date is not None and week is not None:
            on = defaults.first_date + timedelta(weeks=week - 1)
        if week is None or title is None or on is None:
            return None
        session = Session(
            week=week,
            key=key or f"week-{week}",
            date=on,
            title=title,
            cancelled=cancelled is True,
            **optional,  # type: ignore[arg-type]
        )
        nodes = _SessionNodes(
            item=node,
            week=fields["week"].value,
            date=fields["date"].value if "date" in fields else fields["week"].value,
            time=fields["time"].value if "time" in fields else None,
        )
        if session.start is not None and session.timezone is not None:
            self.check_local_time(session, nodes.time or nodes.date)
        return session, nodes

    def check_local_time(self, session: Session, node: yaml.Node) -> None:
        assert session.start is not None
        assert session.timezone is not None
        local = datetime.combine(session.date, session.start)
        zone = pytz.timezone(session.timezone)
        when = f"{session.start:%H:%M} on {session.date}"
        try:
            zone.localize(local, is_dst=None)
        except pytz.NonExistentTimeError:
            self.fail(
                node,
                f"{when} does not exist in {session.timezone} (the clocks skip it); "
                "choose another time",
            )
        except pytz.AmbiguousTimeError:
            self.fail(
                node,
                f"{when} happens twice in {session.timezone} (the clocks go back); "
                "choose another time",
            )

    def check_sessions(self, sessions: list[tuple[Session, _SessionNodes]]) -> None:
        by_week: dict[int, _SessionNodes] = {}
        by_key: dict[str, Session] = {}
        by_date: dict[date, Session] = {}
        for session, nodes in sessions:
            if session.week in by_week:
                line = by_week[session.week].week.start_mark.line + 1
                self.fail(nodes.week, f"week {session.week} is already used on line {line}")
                continue
            by_week[session.week] = nodes
            if session.key in by_key:
                other = by_key[session.key].week
                self.fail(nodes.item, f"id '{session.key}' already names week {other}")
            by_key.setdefault(session.key, session)
            if session.date in by_date:
                other = by_date[session.date].week
                self.fail(nodes.date, f"week {other} is on {session.date} too; one session a day")
            by_date.setdefault(session.date, session)
        ordered = sorted((pair for pair in sessions if by_week[pair[0].week] is pair[1]),
                         key=lambda pair: pair[0].week)  # fmt: skip
        for (earlier, _), (later, nodes) in pairwise(ordered):
            if earlier.date > later.date:
                self.fail(
                    nodes.date,
                    f"week {later.week} ({later.date}) comes before week {earlier.week} "
                    f"({earlier.date}); dates must follow the week numbers",
                )


class _Values:
    """A mapping's entries, each read at most once so a bad value is reported once."""

    def __init__(self, entries: dict[str, _Entry]) -> None:
        self.entries = entries

    def read(
        self, key: str, reader: Callable[[yaml.Node], T | None], default: T | None = None
    ) -> T | None:
        entry = self.entries.get(key)
        return reader(entry.value) if entry is not None else default


class _Defaults(NamedTuple):
    calendar: Calendar
    start: time | None
    duration: timedelta
    location: str | None
    first_date: date | None
    reminders: tuple[timedelta, ...]
    has_timezone: bool


# Stands in for a calendar too broken to read, so the sessions are still checked.
_NO_DEFAULTS = _Defaults(
    calendar=Calendar(id="", name=""),
    start=None,
    duration=DEFAULT_DURATION,
    location=None,
    first_date=None,
    reminders=(),
    has_timezone=True,
)


class _SessionNodes(NamedTuple):
    """Where a session's parts were written, for cross-session messages."""

    item: yaml.Node
    week: yaml.Node
    date: yaml.Node
    time: yaml.Node | None


def _parse_positive(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else None


def _parse_time(text: str) -> time | None:
    match = TIME_PATTERN.fullmatch(text)
    if not match:
        return None
    hour, minute = map(int, match.groups())
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _parse_length(text: str) -> timedelta | None:
    match = LENGTH_PATTERN.fullmatch(text)
    if not text or not match:
        return None
    days, hours, minutes = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


def _parse_url(text: str) -> str | None:
    if any(char.isspace() or unicodedata.category(char) == "Cc" for char in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme in ("http", "https") and parts.hostname else None
