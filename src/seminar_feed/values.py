"""Read one value of the schedule by its kind, as the format's table names it.

Scalars are taken from the YAML node tree as the text the user wrote and parsed
here: PyYAML's own typing would read ``18:30`` as the integer 1110 and keep the
last of two duplicate keys without a word. Each reader records what is wrong
with its value and gives None; rules across keys are the loader's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, time, timedelta
from typing import Any, NamedTuple, TypeVar
from urllib.parse import quote

import pytz
import yaml

from .errors import Problem, Where
from .fields import (
    MAX_FEED_URL_CHARACTERS,
    MAX_MATERIALS,
    MAX_SITE_URL_CHARACTERS,
    MAX_URL_CHARACTERS,
    Kind,
    Place,
    fields_in,
    keys_in,
    required_in,
)
from .model import LANGUAGES, Material

T = TypeVar("T")

# pytz's tables are exact only up to 2037, and before 1980 some zones still kept
# local mean time, with offsets in seconds that calendars round differently.
# All-day sessions keep to the same range, so that adding a time never breaks one.
FIRST_SUPPORTED_DATE = date(1980, 1, 1)
LAST_SUPPORTED_DATE = date(2037, 12, 31)
# One session a day over the supported dates: about what fits in load.MAX_FILE_BYTES,
# and a bound on the work a file of aliases repeating one session can cause.
MAX_SESSIONS = (LAST_SUPPORTED_DATE - FIRST_SUPPORTED_DATE).days + 1
MAX_WEEK = MAX_SESSIONS
MAX_LINE_CHARACTERS = 300
MAX_TEXT_CHARACTERS = 10_000
MAX_ID_CHARACTERS = 64  # an id names a published file and is part of every UID
MAX_DURATION_MINUTES = 24 * 60
MAX_REMINDER_MINUTES = 28 * 24 * 60
MAX_PROBLEMS = 200  # enough to fix a file by; more only scrolls the first ones away
SHOWN_CHARACTERS = 60  # of a wrong value quoted back in a message
NULL_TAG = "tag:yaml.org,2002:null"
NO_LINK = "none"  # a session's online: none, which removes the calendar's link
NO_ROOM = "none"  # a session's location: none, for a session online only
LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# Every character a text may be refused for: the control characters (tabs and line breaks
# among them), the two Unicode line breaks and surrogates. Text without one is read at once.
SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")

# ASCII digits only: the schema's patterns say [0-9], and \d would take any script's digits.
ID_PATTERN = re.compile(r"[a-z0-9-]+")
DATE_PATTERN = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
TIME_PATTERN = re.compile(r"([0-9]{1,2}):([0-9]{2})")
LENGTH_PATTERN = re.compile(r"(?=[0-9])(?:([0-9]+)d)?(?: *([0-9]+)h)?(?: *([0-9]+)m)?")
# A URL as RFC 3986 writes it, in ASCII, without user info: the loader and the JSON
# Schema match the same pattern; the scheme in any case, as browsers take it.
URL_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?"
URL_HOST = f"(?:{URL_LABEL}(?:\\.{URL_LABEL})*\\.?|\\[[0-9A-Fa-f:.]+\\])"
URL_PORT = (
    "(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?"
)
URL_CHARACTER = "(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})"
URL_REST = f"(?:[/?]{URL_CHARACTER}*)?(?:#{URL_CHARACTER}*)?"
HTTP_SCHEME = "[Hh][Tt][Tt][Pp][Ss]?"
HTTPS_SCHEME = "[Hh][Tt][Tt][Pp][Ss]"
# Characters RFC 3986 never allows unescaped; [ and ] only around an IPv6 host.
UNSAFE_IN_URL = '"<>\\^`{|}[]'


def url_pattern(scheme: str) -> str:
    """The pattern of a whole URL with the given scheme pattern, anchored at both ends."""
    return f"^{scheme}://{URL_HOST}{URL_PORT}{URL_REST}$"


HTTP_URL = re.compile(url_pattern(HTTP_SCHEME))
HTTPS_URL = re.compile(url_pattern(HTTPS_SCHEME))
# How YAML 1.2, which editors checking the schema speak, reads a plain scalar.
YAML12_BOOLEANS = {"true": True, "True": True, "TRUE": True,
                   "false": False, "False": False, "FALSE": False}  # fmt: skip
YAML12_NUMBER = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
IMPLICIT_TAGS = yaml.resolver.Resolver()


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == NULL_TAG:
        return "nothing"
    return shown(str(node.value))


def shown(text: str) -> str:
    """Quote a value back to the user, cut short so that a huge one cannot flood the output."""
    if len(text) <= SHOWN_CHARACTERS:
        return repr(text)
    return f"{text[:SHOWN_CHARACTERS]!r}… ({len(text):,} characters)"


def suggest(word: str, choices: Sequence[str]) -> str:
    close = meant(word, choices)
    return f"; did you mean '{close}'?" if close else ""


def meant(word: str, choices: Sequence[str]) -> str | None:
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


class Entry(NamedTuple):
    key: yaml.Node
    value: yaml.Node


class ValueReader:
    """Reads values by their kind, collecting problems instead of stopping at the first."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.unknown_keys: dict[int, list[str]] = {}  # by mapping node, for misspellings
        self.omitted = 0
        self.memo: dict[tuple[int, Kind], object] = {}

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

    def note_omitted(self) -> None:
        """Say, after the problems shown, how many more were found."""
        if self.omitted:
            self.problems.append(
                Problem(
                    Where(self.source),
                    f"showing the first {len(self.problems)} problems found; "
                    f"{self.omitted:,} more are not shown",
                )
            )

    def untagged(self, node: yaml.Node) -> bool:
        tag = _explicit_tag(node)
        if tag is not None:
            written = tag.replace("tag:yaml.org,2002:", "!!", 1)
            self.fail(node, f"YAML tags like {shown(written)} are not supported here; remove it")
        return tag is None

    # -- structure --------------------------------------------------------------

    def mapping(
        self, node: yaml.Node, *, what: str, known: tuple[str, ...], required: tuple[str, ...]
    ) -> dict[str, Entry] | None:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"expected {what} as a mapping of keys, got {kind_of(node)}")
            return None
        if not self.untagged(node):
            return None
        entries: dict[str, Entry] = {}
        unknown = self.unknown_keys.setdefault(id(node), [])
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.fail(key_node, f"expected a key name, got {kind_of(key_node)}")
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
                entries[key] = Entry(key_node, value_node)
        for key in required:
            if key not in entries and not self.misspelt(node, key, known):
                self.fail(node, f"{what} is missing the required key '{key}'")
        return entries

    def misspelt(self, node: yaml.Node, key: str, known: tuple[str, ...]) -> bool:
        """Say whether the mapping has `key` misspelt: reported once, as an unknown key
        with what it stands for, it is not reported again as missing."""
        return any(meant(word, known) == key for word in self.unknown_keys[id(node)])

    @staticmethod
    def unknown(key: str, what: str, known: tuple[str, ...]) -> str:
        hint = suggest(key, known) or f"; expected one of: {', '.join(known)}"
        return f"unknown key {shown(key)} in {what}{hint}"

    # -- by the table -----------------------------------------------------------

    def read_mapping(
        self, node: yaml.Node, where: Place, what: str
    ) -> tuple[dict[str, Entry], dict[str, Any]] | None:
        """Check a mapping's keys against the format's table and read each value by its
        kind: the keys written, each with its value (None where it is wrong)."""
        entries = self.mapping(node, what=what, known=keys_in(where), required=required_in(where))
        if entries is None:
            return None
        values = {
            field.name: self.read(field.kind, entries[field.name].value)
            for field in fields_in(where)
            if field.name in entries
        }
        return entries, values

    def read(self, kind: Kind, node: yaml.Node) -> Any:
        # Each value is read once however many aliases (*name) repeat it, so that a
        # file of aliases costs no more to check than it takes to write, and a bad
        # value is reported once.
        slot = (id(node), kind)
        if slot not in self.memo:
            self.memo[slot] = READERS[kind](self, node)
        return self.memo[slot]

    # -- scalars ----------------------------------------------------------------

    def scalar(self, node: yaml.Node, expected: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"expected {expected}, got {kind_of(node)}")
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
            self.fail(node, f"expected {expected}, got {shown(text)}")
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
        if not SUSPECT.search(value):
            return value
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

    def room(self, node: yaml.Node) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.value == NO_ROOM:
            message = ("expected the sessions' room, got 'none', which only a session can say, "
                       "to leave the calendar's room out; leave the key out here")  # fmt: skip
            self.fail(node, message)
            return None
        return self.text(node)

    def room_or_none(self, node: yaml.Node) -> str | None:
        """Read a session's room, or NO_ROOM where it leaves the calendar's out."""
        if isinstance(node, yaml.ScalarNode) and node.value == NO_ROOM:
            return NO_ROOM
        return self.text(node)

    def paragraphs(self, node: yaml.Node) -> str | None:
        return self.text(node, multiline=True)

    def week(self, node: yaml.Node) -> int | None:
        text = self.scalar(node, "a week number like 1")
        if text is None:
            return None
        number = _yaml12_number(text)
        week = None if number is None else _whole(number)
        if week is None:
            self.fail(node, f"expected a week number like 1, got {shown(text)}")
            return None
        if not 1 <= week <= MAX_WEEK:
            self.fail(node, f"expected a week number from 1 to {MAX_WEEK}, got {shown(text)}")
            return None
        return week if self.unquoted(node, "a week number like 1", text) else None

    def unquoted(self, node: yaml.Node, expected: str, text: str) -> bool:
        """Refuse a number or true/false written in quotes, which YAML (and so the schema
        and every editor) reads as text."""
        assert isinstance(node, yaml.ScalarNode)
        if _quoted(node):
            self.fail(node, f"expected {expected}, got {shown(text)} in quotes, "
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
            self.fail(node, f"expected a date like 2026-07-06, got {shown(text)}")
            return None
        try:
            day = date(*map(int, match.groups()))
        except ValueError as error:
            self.fail(node, f"there is no date {text} ({error})")
            return None
        if not FIRST_SUPPORTED_DATE <= day <= LAST_SUPPORTED_DATE:
            self.fail(node, f"{day} is outside the dates seminar-feed supports, {SUPPORTED}; "
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

    def url(self, node: yaml.Node) -> str | None:
        return self.link(node, "an http(s) URL like https://example.org/")

    def https_url(self, node: yaml.Node) -> str | None:
        # Clients open video calls over https only, and mixed content is refused.
        if isinstance(node, yaml.ScalarNode) and node.value == NO_LINK:
            self.fail(node, "expected an https URL like https://example.org/meeting, got 'none', "
                            "which only a session can say; leave the key out here")  # fmt: skip
            return None
        return self.link(node, "an https URL like https://example.org/meeting", https=True)

    def online(self, node: yaml.Node) -> str | None:
        """Read a session's video call link, or NO_LINK where it removes the calendar's."""
        if isinstance(node, yaml.ScalarNode) and node.value == NO_LINK:
            return NO_LINK
        return self.link(node, "an https URL like https://example.org/meeting, or none", https=True)

    def feed_url(self, node: yaml.Node) -> str | None:
        # Outlook and Google subscribe only over https.
        return self.link(
            node,
            "the https URL the feed will be served at, like https://example.org/seminar.ics",
            https=True,
            limit=MAX_FEED_URL_CHARACTERS,
        )

    def link(
        self, node: yaml.Node, expected: str, *, https: bool = False,
        limit: int = MAX_URL_CHARACTERS,
    ) -> str | None:  # fmt: skip
        """Read a URL, saying what is wrong with one that is not; written with its
        scheme in lower case, as every client expects it."""
        text = self.scalar(node, expected)
        if text is None:
            return None
        if len(text) > limit:
            self.fail(
                node,
                f"this URL is {len(text):,} characters long; keep it to {limit:,}"
                + (", which a QR code holds" if limit < MAX_URL_CHARACTERS else ""),
            )
            return None
        scheme, _, rest = text.partition("://")
        if scheme.lower() not in (("https",) if https else ("http", "https")):
            self.fail(node, f"expected {expected}, got {shown(text)}")
            return None
        mistake = _url_mistake(rest)
        if mistake is None and not (HTTPS_URL if https else HTTP_URL).fullmatch(text):
            mistake = f"expected {expected}, got {shown(text)}"
        if mistake is not None:
            self.fail(node, mistake)
            return None
        return f"{scheme.lower()}://{rest}"

    def language(self, node: yaml.Node) -> str | None:
        return self.parsed(
            node, lambda s: s if s in LANGUAGES else None, f"one of {', '.join(LANGUAGES)}"
        )

    def materials(self, node: yaml.Node) -> tuple[Material, ...] | None:
        expected = "a list of materials like [{title: Slides, url: https://example.org/s.pdf}]"
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"expected {expected}, got {kind_of(node)}")
            return None
        if not self.untagged(node):
            return None
        if len(node.value) > MAX_MATERIALS:
            # At the first one too many, where the list needs cutting.
            self.fail(node.value[MAX_MATERIALS], f"this is material {MAX_MATERIALS + 1} of "
                      f"{len(node.value):,}; a session lists at most {MAX_MATERIALS}")  # fmt: skip
            return None
        found: dict[str, Material] = {}
        for item in node.value:
            read = self.read_mapping(item, "material", "a material")
            if read is None:
                continue
            title, url = read[1].get("title"), read[1].get("url")
            if title is None or url is None:
                continue
            if url in found:
                self.fail(item, f"the link {shown(url)} is listed twice; keep one")
            else:
                found[url] = Material(title, url)
        return tuple(found.values())

    def group(self, node: yaml.Node) -> dict[str, Any] | None:
        """Read a group file's `group:`, each value by its kind (None where it is wrong)."""
        read = self.read_mapping(node, "group", "group")
        return None if read is None else read[1]

    def site_url(self, node: yaml.Node) -> str | None:
        # Relative links from the hub end up below it only when it ends in a slash.
        url = self.link(
            node,
            "the https URL the folder is served at, like https://example.org/seminars/",
            https=True,
            limit=MAX_SITE_URL_CHARACTERS,
        )
        if url is not None and not url.endswith("/"):
            self.fail(node, f"expected the folder's URL to end in '/', got {shown(url)}; "
                            f"did you mean {shown(url + '/')}?")  # fmt: skip
            return None
        return url

    def calendar_ids(self, node: yaml.Node) -> tuple[str, ...] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"expected a list of calendar ids like [2025-fall-flows], "
                            f"got {kind_of(node)}")  # fmt: skip
            return None
        if not self.untagged(node):
            return None
        found: list[str] = []
        for item in node.value:
            calendar = self.identifier(item)
            if calendar is None:
                continue
            if calendar in found:
                self.fail(item, f"{shown(calendar)} is listed twice; keep one")
            else:
                found.append(calendar)
        return tuple(found)

    def flag(self, node: yaml.Node) -> bool | None:
        value = self.parsed(node, YAML12_BOOLEANS.get, "true or false")
        if value is None:
            return None
        return value if self.unquoted(node, "true or false", node.value) else None

    def reminders(self, node: yaml.Node) -> tuple[timedelta, ...] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"expected a list of reminders like [1d, 30m], got {kind_of(node)}")
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


SUPPORTED = f"{FIRST_SUPPORTED_DATE} to {LAST_SUPPORTED_DATE}"


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
    hint = f"; did you mean '{matches[0]}'?" if matches else suggest(name, pytz.all_timezones)
    return f"unknown time zone {shown(name)}{hint or '; use an IANA name like Asia/Seoul'}"


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


def _url_mistake(rest: str) -> str | None:
    """Say what makes a URL, after its scheme://, not one that RFC 3986 allows, if
    anything does."""
    authority = re.split("[/?#]", rest, maxsplit=1)[0]
    for index, char in enumerate(rest):
        if char == " ":
            return "a URL cannot contain a space; write it as %20"
        if unicodedata.category(char) in ("Cc", "Cs"):
            return f"control character U+{ord(char):04X} is not allowed in a URL; remove it"
        if not char.isascii() and index < len(authority):
            return (f"the host name holds {char!r}; write the host in its ASCII form, "
                    "the one that starts with xn--")  # fmt: skip
        if not char.isascii() or (char in UNSAFE_IN_URL and index >= len(authority)):
            return f"a URL cannot hold {char!r} as it is; percent-encode it as {quote(char)}"
    if "@" in authority:
        return ("a URL cannot carry a user name or password (the part before @): the feed "
                "and the page are public; remove it")  # fmt: skip
    host, colon, port = authority.rpartition(":") if ":" in authority.rsplit("]", 1)[-1] else (
        authority, "", "")  # fmt: skip
    if colon and not (port.isdigit() and port.isascii()):
        return f"expected a port number after the host's ':', got {shown(port)}"
    if colon and int(port) > 65_535:
        return f"port {port} is out of range; a port is a number from 0 to 65535"
    if not re.fullmatch(URL_HOST, host):
        found = f"the host name {shown(host)} is not valid" if host else "there is no host name"
        return f"{found}; write one like example.org"
    path = rest[len(authority) :]
    if re.search("%(?![0-9A-Fa-f]{2})", path):
        return "a % in a URL starts an escape like %20; write a % itself as %25"
    if path.count("#") > 1:
        return "a URL has at most one #; percent-encode a later one as %23"
    return None


READERS: dict[Kind, Callable[[ValueReader, yaml.Node], object]] = {
    "id": ValueReader.identifier,
    "line": ValueReader.text,
    "room": ValueReader.room,
    "room_or_none": ValueReader.room_or_none,
    "text": ValueReader.paragraphs,
    "url": ValueReader.url,
    "https_url": ValueReader.https_url,
    "feed_url": ValueReader.feed_url,
    "online": ValueReader.online,
    "timezone": ValueReader.timezone,
    "time": ValueReader.time,
    "length": ValueReader.duration,
    "date": ValueReader.date,
    "reminders": ValueReader.reminders,
    "week": ValueReader.week,
    "flag": ValueReader.flag,
    "language": ValueReader.language,
    "materials": ValueReader.materials,
    "group": ValueReader.group,
    "site_url": ValueReader.site_url,
    "ids": ValueReader.calendar_ids,
}
