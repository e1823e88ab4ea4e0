"""Read schedule.yaml into a Schedule, or report everything that is wrong with it.

Scalars are taken from the YAML node tree as the text the user wrote and parsed
here: PyYAML's own typing would read ``18:30`` as the integer 1110 and keep the
last of two duplicate keys without a word.
"""

from __future__ import annotations

import os
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import NamedTuple, TypeVar, cast
from urllib.parse import unquote, urlsplit, urlunsplit

import pytz
import yaml

from .errors import Problem, ScheduleError, Where
from .model import LANGUAGES, Calendar, Schedule, Session

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

T = TypeVar("T")

TOP_KEYS = ("calendar", "sessions")
CALENDAR_KEYS = (
    "id", "name", "description", "url", "feed_url", "timezone",
    "time", "duration", "location", "starts", "reminders", "language",
)  # fmt: skip
SESSION_KEYS = (
    "week", "id", "date", "title", "presenter", "description", "url",
    "time", "duration", "timezone", "location", "cancelled", "reason", "reminders",
)  # fmt: skip
CALENDAR_REQUIRED = ("id", "name")
SESSION_REQUIRED = ("week", "title")
DEFAULT_DURATION = timedelta(hours=1)
# pytz's tables are exact only up to 2037, and before 1980 some zones still kept
# local mean time, with offsets in seconds that calendars round differently.
# All-day sessions keep to the same range, so that adding a time never breaks one.
FIRST_SUPPORTED_DATE = date(1980, 1, 1)
LAST_SUPPORTED_DATE = date(2037, 12, 31)
# One session a day over the supported dates: about what fits in MAX_FILE_BYTES,
# and a bound on the work a file of aliases repeating one session can cause.
MAX_SESSIONS = (LAST_SUPPORTED_DATE - FIRST_SUPPORTED_DATE).days + 1
MAX_WEEK = MAX_SESSIONS
MAX_FILE_BYTES = 10_000_000  # bounds time and memory on hostile input
MAX_LINE_CHARACTERS = 300
MAX_TEXT_CHARACTERS = 10_000
MAX_ID_CHARACTERS = 64  # an id names a published file and is part of every UID
MAX_DURATION_MINUTES = 24 * 60
MAX_REMINDER_MINUTES = 28 * 24 * 60
MAX_PROBLEMS = 200  # enough to fix a file by; more only scrolls the first ones away
SHOWN_CHARACTERS = 60  # of a wrong value quoted back in a message
NULL_TAG = "tag:yaml.org,2002:null"
LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

# ASCII digits only: the schema's patterns say [0-9], and \d would take any script's digits.
ID_PATTERN = re.compile(r"[a-z0-9-]+")
DATE_PATTERN = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
TIME_PATTERN = re.compile(r"([0-9]{1,2}):([0-9]{2})")
LENGTH_PATTERN = re.compile(r"(?=[0-9])(?:([0-9]+)d)?(?: *([0-9]+)h)?(?: *([0-9]+)m)?")
# How YAML 1.2, which editors checking the schema speak, reads a plain scalar.
YAML12_BOOLEANS = {"true": True, "True": True, "TRUE": True,
                   "false": False, "False": False, "FALSE": False}  # fmt: skip
YAML12_NUMBER = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
IMPLICIT_TAGS = yaml.resolver.Resolver()


def load_schedule(path: Path) -> Schedule:
    """Read and validate a schedule file; raise ScheduleError listing every problem."""
    source = str(path)
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise _too_large(source, size)
            # /dev/zero and pipes report no size: read no more than enough to tell.
            data = file.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                raise _too_large(source, None)
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
        raise _too_large(source, len(data))
    text = _decode(data, source)
    root = _compose(text, source)
    reader = _Reader(source)
    schedule = reader.schedule(root)
    if reader.problems or schedule is None:
        raise ScheduleError(reader.problems)
    return schedule


def _too_large(source: str, size: int | None) -> ScheduleError:
    found = f"{size / 1e6:.1f} MB" if size is not None else f"over {MAX_FILE_BYTES / 1e6:.0f} MB"
    return _single(
        source, f"the file is {found}; a schedule may be at most {MAX_FILE_BYTES / 1e6:.0f} MB"
    )


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
        "but found another document": "a second document (---) follows the first; "
        "a schedule is one document",
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
    if node.tag == NULL_TAG:
        return "nothing"
    return _shown(str(node.value))


def _shown(text: str) -> str:
    """Quote a value back to the user, cut short so that a huge one cannot flood the output."""
    if len(text) <= SHOWN_CHARACTERS:
        return repr(text)
    return f"{text[:SHOWN_CHARACTERS]!r}… ({len(text):,} characters)"


def _suggest(word: str, choices: Sequence[str]) -> str:
    meant = _meant(word, choices)
    return f"; did you mean '{meant}'?" if meant else ""


def _meant(word: str, choices: Sequence[str]) -> str | None:
    """The choice a misspelt word most likely stands for, if one is close."""
    import difflib  # only needed once something is wrong

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def _quoted(node: yaml.ScalarNode) -> bool:
    # PyYAML marks a plain scalar with None, libyaml with ''.
    return bool(node.style)


def _explicit_tag(node: yaml.Node) -> str | None:
    """The tag written on a node (like !!binary), if it differs from what YAML infers."""
    if isinstance(node, yaml.ScalarNode):
        plain = not _quoted(node)
        implicit = IMPLICIT_TAGS.resolve(  # type: ignore[no-untyped-call]
            yaml.ScalarNode, node.value, (plain, not plain)
        )
    else:
        implicit = IMPLICIT_TAGS.resolve(type(node), None, (True, False))  # type: ignore[no-untyped-call]
    return None if node.tag == implicit else node.tag


class _Entry(NamedTuple):
    key: yaml.Node
    value: yaml.Node


class _Reader:
    """Walks the node tree, collecting problems instead of stopping at the first."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.unknown_keys: dict[int, list[str]] = {}  # by mapping node, for misspellings
        self.omitted = 0
        # Each value is read once however many aliases (*name) repeat it, so that
        # a file of aliases costs no more to check than it takes to write.
        self.memo: dict[tuple[int, Callable[[yaml.Node], object]], object] = {}

    def where(self, node: yaml.Node) -> Where:
        mark = node.start_mark
        return Where(self.source, mark.line + 1, mark.column + 1)

    def fail(self, node: yaml.Node, message: str | Callable[[], str]) -> None:
        """Record a problem; a callable message is worked out only if it will be shown."""
        if len(self.problems) >= MAX_PROBLEMS:
            self.omitted += 1
            return
        self.problems.append(
            Problem(self.where(node), message if isinstance(message, str) else message())
        )

    def untagged(self, node: yaml.Node) -> bool:
        tag = _explicit_tag(node)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
            self.fail(node, f"YAML tags like {_shown(shown)} are not supported here; remove it")
        return tag is None

    # -- structure --------------------------------------------------------------

    def mapping(
        self, node: yaml.Node, *, what: str, known: tuple[str, ...], required: tuple[str, ...]
    ) -> dict[str, _Entry] | None:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"expected {what} as a mapping of keys, got {_kind(node)}")
            return None
        if not self.untagged(node):
            return None
        entries: dict[str, _Entry] = {}
        unknown = self.unknown_keys.setdefault(id(node), [])
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.fail(key_node, f"expected a key name, got {_kind(key_node)}")
            elif not self.untagged(key_node):
                continue
            elif key in entries:
                first = entries[key].key.start_mark.line + 1
                self.fail(key_node, f"duplicate key '{key}' (first on line {first}); keep one")
            elif key == "<<":
                self.fail(key_node, "merge keys ('<<') are not supported; write the keys out")
            elif key not in known:
                unknown.append(key)
                self.fail(key_node, lambda key=key: self.unknown(key, what, known))  # type: ignore[misc]
            else:
                entries[key] = _Entry(key_node, value_node)
        for key in required:
            if key not in entries and not self.misspelt(node, key, known):
                self.fail(node, f"{what} is missing the required key '{key}'")
        return entries

    def misspelt(self, node: yaml.Node, key: str, known: tuple[str, ...]) -> bool:
        """Say whether the mapping has `key` misspelt: reported once, as an unknown key
        with what it stands for, it is not reported again as missing."""
        return any(_meant(word, known) == key for word in self.unknown_keys.get(id(node), ()))

    @staticmethod
    def unknown(key: str, what: str, known: tuple[str, ...]) -> str:
        hint = _suggest(key, known) or f"; expected one of: {', '.join(known)}"
        return f"unknown key {_shown(key)} in {what}{hint}"

    # -- scalars ----------------------------------------------------------------

    def scalar(self, node: yaml.Node, expected: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"expected {expected}, got {_kind(node)}")
            return None
        if node.tag == NULL_TAG:
            self.fail(node, f"expected {expected}, got nothing; give a value or remove the key")
            return None
        if not self.untagged(node):
            return None
        return str(node.value)

    def parsed(self, node: yaml.Node, parse: Callable[[str], T | None], expected: str) -> T | None:
        text = self.scalar(node, expected)
        if text is None:
            return None
        value = parse(text)
        if value is None:
            self.fail(node, f"expected {expected}, got {_shown(text)}")
        return value

    def text(self, node: yaml.Node, *, multiline: bool = False) -> str | None:
        # Numbers and true/false are text here too: a title may well be 1984.
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
            if char in "\n\t" and multiline:
                continue
            if char in "\n\r\x85\u2028\u2029":
                self.fail(node, "this value must fit on one line; remove the line break")
                return None
            if char == "\t":
                # Clients show a tab in a title as nothing, a space or a wide gap.
                self.fail(node, "a one-line value cannot contain a tab; use a space")
                return None
            category = unicodedata.category(char)
            if category == "Cc":
                self.fail(node, f"control character U+{ord(char):04X} is not allowed; remove it")
                return None
            if category == "Cs":
                self.fail(node, f"U+{ord(char):04X} is half a character (a surrogate); remove it")
                return None
        return value

    def paragraphs(self, node: yaml.Node) -> str | None:
        return self.text(node, multiline=True)

    def week(self, node: yaml.Node) -> int | None:
        text = self.scalar(node, "a week number like 1")
        if text is None:
            return None
        number = _yaml12_number(text)
        week = None if number is None else _whole(number)
        if week is None:
            self.fail(node, f"expected a week number like 1, got {_shown(text)}")
            return None
        if not 1 <= week <= MAX_WEEK:
            self.fail(node, f"expected a week number from 1 to {MAX_WEEK}, got {_shown(text)}")
            return None
        return week if self.unquoted(node, "a week number like 1", text) else None

    def unquoted(self, node: yaml.Node, expected: str, text: str) -> bool:
        """Refuse a number or true/false written in quotes, which YAML (and so the schema
        and every editor) reads as text."""
        assert isinstance(node, yaml.ScalarNode)
        if _quoted(node):
            self.fail(node, f"expected {expected}, got {_shown(text)} in quotes, "
                            "which YAML reads as text; remove the quotes")  # fmt: skip
            return False
        return True

    def identifier(self, node: yaml.Node) -> str | None:
        expected = "lowercase letters, digits and hyphens, like 2026-summer-diffusion"
        key = self.parsed(node, lambda s: s if ID_PATTERN.fullmatch(s) else None, expected)
        if key is None:
            return None
        assert isinstance(node, yaml.ScalarNode)
        if not _quoted(node) and (_yaml12_number(key) is not None or key in YAML12_BOOLEANS):
            self.fail(node, f"expected {expected}, got {key}, which YAML reads as a number or "
                            f"true/false; put it in quotes: '{key}'")  # fmt: skip
            return None
        if len(key) > MAX_ID_CHARACTERS:
            self.fail(node, f"this id is {len(key)} characters long; keep it to "
                            f"{MAX_ID_CHARACTERS}")  # fmt: skip
            return None
        return key

    def date(self, node: yaml.Node) -> date | None:
        text = self.scalar(node, "a date like 2026-07-06")
        if text is None:
            return None
        match = DATE_PATTERN.fullmatch(text)
        if not match:
            self.fail(node, f"expected a date like 2026-07-06, got {_shown(text)}")
            return None
        try:
            day = date(*map(int, match.groups()))
        except ValueError as error:
            self.fail(node, f"there is no date {text} ({error})")
            return None
        if not FIRST_SUPPORTED_DATE <= day <= LAST_SUPPORTED_DATE:
            self.fail(node, f"{day} is outside the dates seminar-feed supports, {_SUPPORTED}; "
                            "choose a date in that range")  # fmt: skip
            return None
        return day

    def time(self, node: yaml.Node) -> time | None:
        return self.parsed(node, _parse_time, "a 24-hour time like 18:30")

    def duration(self, node: yaml.Node) -> timedelta | None:
        minutes = self.parsed(node, _parse_minutes, "a length like 90m, 2h or 1h30m")
        if minutes is None:
            return None
        if not 0 < minutes <= MAX_DURATION_MINUTES:
            self.fail(node, "a session must last more than 0 minutes and at most 24h")
            return None
        return timedelta(minutes=minutes)

    def timezone(self, node: yaml.Node) -> str | None:
        name = self.scalar(node, "a time zone like Asia/Seoul")
        if name is None:
            return None
        if name in pytz.all_timezones_set:
            return name
        self.fail(node, lambda: _unknown_zone(name))
        return None

    def language(self, node: yaml.Node) -> str | None:
        tag = self.scalar(node, "a language tag like en")
        if tag is None or tag in LANGUAGES:
            return tag
        self.fail(node, f"expected one of the languages {', '.join(LANGUAGES)}, got {tag!r}")
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
        value = self.parsed(node, YAML12_BOOLEANS.get, "true or false")
        if value is None:
            return None
        return value if self.unquoted(node, "true or false", node.value) else None

    def reminders(self, node: yaml.Node) -> tuple[timedelta, ...] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"expected a list of reminders like [1d, 30m], got {_kind(node)}")
            return None
        if not self.untagged(node):
            return None
        found: list[timedelta] = []
        for item in node.value:
            minutes = self.parsed(item, _parse_minutes, "a reminder like 1d, 2h or 30m")
            if minutes is None:
                continue
            before = timedelta(minutes=min(minutes, MAX_REMINDER_MINUTES + 1))
            if minutes > MAX_REMINDER_MINUTES:
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
            elif len(node.value) > MAX_SESSIONS:
                self.fail(node, f"this list has {len(node.value):,} sessions; a schedule holds at "
                                f"most {MAX_SESSIONS:,}, one a day over {_SUPPORTED}")  # fmt: skip
            elif self.untagged(node):
                sessions = self.sessions(node.value, defaults)
        self.check_sessions(sessions)
        if self.omitted:
            self.problems.append(
                Problem(
                    Where(self.source),
                    f"showing the first {len(self.problems)} problems found; "
                    f"{self.omitted:,} more are not shown",
                )
            )
        if self.problems:
            return None
        ordered = sorted((session for session, _ in sessions), key=lambda s: s.week)
        return Schedule(calendar=defaults.calendar, sessions=tuple(ordered))

    def calendar(self, node: yaml.Node) -> _Defaults:
        fields = self.mapping(
            node, what="calendar", known=CALENDAR_KEYS, required=CALENDAR_REQUIRED
        )
        if fields is None:
            return _NO_DEFAULTS
        values = _Values(fields, self.memo)
        calendar_id = values.read("id", self.identifier)
        name = values.read("name", self.text)
        calendar = Calendar(
            id=calendar_id or "",
            name=name or "",
            description=values.read("description", self.paragraphs),
            url=values.read("url", self.url),
            feed_url=values.read("feed_url", self.feed_url),
            timezone=values.read("timezone", self.timezone),
            language=values.read("language", self.language) or "en",
        )
        if calendar.feed_url and calendar_id:
            self.check_feed_name(fields["feed_url"].value, calendar.feed_url, calendar_id)
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
            has_time="time" in fields,
            has_starts="starts" in fields,
        )

    def check_feed_name(self, node: yaml.Node, feed_url: str, calendar_id: str) -> None:
        # The build publishes the feed as <id>.ics: a URL naming another file gives
        # subscribe buttons that lead to a missing page.
        parts = urlsplit(feed_url)
        folder, _, name = parts.path.rpartition("/")
        if unquote(name) != f"{calendar_id}.ics":
            hint = urlunsplit(parts._replace(path=f"{folder}/{calendar_id}.ics"))
            self.fail(
                node,
                f"expected the feed's URL to end in /{calendar_id}.ics, the file the build "
                f"publishes, got {feed_url!r}; did you mean {hint!r}?",
            )

    def sessions(
        self, items: list[yaml.Node], defaults: _Defaults
    ) -> list[tuple[Session, _SessionNodes]]:
        read: list[tuple[Session, _SessionNodes]] = []
        seen: set[int] = set()
        repeated: set[int] = set()
        for item in items:
            if id(item) in seen:
                # Its week would always be a duplicate; say so once, not once per alias.
                if id(item) not in repeated:
                    repeated.add(id(item))
                    self.fail(item, "this session is repeated by an alias (*name) further down; "
                                    "write each session out")  # fmt: skip
                continue
            seen.add(id(item))
            session = self.session(item, defaults)
            if session is not None:
                read.append(session)
        return read

    def session(self, node: yaml.Node, defaults: _Defaults) -> tuple[Session, _SessionNodes] | None:
        fields = self.mapping(node, what="a session", known=SESSION_KEYS, required=SESSION_REQUIRED)
        if fields is None:
            return None
        values = _Values(fields, self.memo)
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
        no_date = "date" not in fields and not self.misspelt(node, "date", SESSION_KEYS)
        if no_date and not defaults.has_starts and "week" in fields:
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
        if "time" not in fields and not defaults.has_time:
            # Reminders do apply to all-day events: they count back from midnight.
            for name in ("duration", "timezone"):
                if name in fields:
                    self.fail(fields[name].key, f"{name} has no effect on an all-day session; "
                                                f"add a time or remove {name}")  # fmt: skip
        if "date" not in fields and defaults.first_date is not None and week is not None:
            # MAX_WEEK keeps this far from the last year datetime can count.
            on = defaults.first_date + timedelta(weeks=week - 1)
            if on > LAST_SUPPORTED_DATE:
                self.fail(fields["week"].value, f"week {week} falls on {on}, outside the dates "
                          f"seminar-feed supports, {_SUPPORTED}; give this session a date or "
                          "a lower week number")  # fmt: skip
                on = None
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
        self.check_order(ordered)

    def check_order(self, ordered: list[tuple[Session, _SessionNodes]]) -> None:
        """Blame the sessions whose dates are out of place, not their neighbours."""
        kept = _longest_in_order([session.date.toordinal() for session, _ in ordered])
        for index, (session, nodes) in enumerate(ordered):
            place = bisect_left(kept, index)
            if place < len(kept) and kept[place] == index:
                continue
            before = ordered[kept[place - 1]][0] if place > 0 else None
            if before is not None and session.date < before.date:
                other, relation = before, "before"
            else:
                # Not before the kept session ahead of it, so after the one behind it,
                # or it would extend the longest run.
                other, relation = ordered[kept[place]][0], "after"
            self.fail(
                nodes.date,
                f"week {session.week} ({session.date}) falls {relation} week {other.week} "
                f"({other.date}); dates must follow the week numbers",
            )


def _longest_in_order(days: Sequence[int]) -> list[int]:
    """Positions of a longest non-decreasing run of `days`, keeping the earliest ones."""
    # The longest run that starts at each position, found from the right:
    # starts[k] is minus the latest first day of any run of k + 1 days so far.
    lengths = [0] * len(days)
    starts: list[int] = []
    for index in range(len(days) - 1, -1, -1):
        place = bisect_right(starts, -days[index])
        lengths[index] = place + 1
        if place == len(starts):
            starts.append(-days[index])
        else:
            starts[place] = -days[index]
    kept: list[int] = []
    needed = max(lengths, default=0)
    for index, day in enumerate(days):
        if needed and lengths[index] == needed and (not kept or day >= days[kept[-1]]):
            kept.append(index)
            needed -= 1
    return kept


class _Values:
    """A mapping's entries, each read at most once so a bad value is reported once."""

    def __init__(
        self,
        entries: dict[str, _Entry],
        memo: dict[tuple[int, Callable[[yaml.Node], object]], object],
    ) -> None:
        self.entries = entries
        self.memo = memo

    def read(
        self, key: str, reader: Callable[[yaml.Node], T | None], default: T | None = None
    ) -> T | None:
        entry = self.entries.get(key)
        if entry is None:
            return default
        slot = (id(entry.value), reader)
        if slot not in self.memo:
            self.memo[slot] = reader(entry.value)
        return cast("T | None", self.memo[slot])


class _Defaults(NamedTuple):
    calendar: Calendar
    start: time | None
    duration: timedelta
    location: str | None
    first_date: date | None
    reminders: tuple[timedelta, ...]
    has_timezone: bool
    has_time: bool
    has_starts: bool


# Stands in for a calendar too broken to read, so the sessions are still checked
# without blaming them for what the calendar may well have said.
_NO_DEFAULTS = _Defaults(
    calendar=Calendar(id="", name=""),
    start=None,
    duration=DEFAULT_DURATION,
    location=None,
    first_date=None,
    reminders=(),
    has_timezone=True,
    has_time=True,
    has_starts=True,
)

_SUPPORTED = f"{FIRST_SUPPORTED_DATE} to {LAST_SUPPORTED_DATE}"


class _SessionNodes(NamedTuple):
    """Where a session's parts were written, for cross-session messages."""

    item: yaml.Node
    week: yaml.Node
    date: yaml.Node
    time: yaml.Node | None


def _yaml12_number(text: str) -> int | float | None:
    """The number YAML 1.2 reads in a plain scalar, or None if it reads text."""
    if not YAML12_NUMBER.fullmatch(text):
        return None
    if text.startswith(("0o", "0x")):
        # Powers-of-two bases have no limit on digits in int().
        return int(text[2:], 8 if text[1] == "o" else 16)
    if text.lower().lstrip("+-") in (".inf", ".nan"):
        return float(text.lower().replace(".", "", 1))
    try:
        return float(text)  # no limit on digits; whole numbers stay exact up to 2**53
    except ValueError:  # digits of another script, were the pattern ever to let them in
        return None


def _whole(number: int | float) -> int | None:
    if isinstance(number, float):
        return int(number) if number.is_integer() else None
    return number


def _unknown_zone(name: str) -> str:
    matches = [z for z in pytz.all_timezones if z.lower().endswith("/" + name.lower())]
    hint = f"; did you mean '{matches[0]}'?" if matches else _suggest(name, pytz.all_timezones)
    return f"unknown time zone {_shown(name)}{hint or '; use an IANA name like Asia/Seoul'}"


def _parse_time(text: str) -> time | None:
    match = TIME_PATTERN.fullmatch(text)
    if not match:
        return None
    hour, minute = map(int, match.groups())
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _parse_minutes(text: str) -> int | None:
    match = LENGTH_PATTERN.fullmatch(text)
    if not match:
        return None
    days, hours, minutes = (_bounded(part) for part in match.groups())
    return (days * 24 + hours) * 60 + minutes


def _bounded(digits: str | None) -> int:
    # int() refuses over 4300 digits; a number that long is far past every limit anyway.
    significant = (digits or "0").lstrip("0")
    return int(significant or "0") if len(significant) <= 12 else 10**12


def _parse_url(text: str) -> str | None:
    if any(char.isspace() or unicodedata.category(char) == "Cc" for char in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme in ("http", "https") and parts.hostname else None
