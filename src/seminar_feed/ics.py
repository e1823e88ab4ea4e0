"""iCalendar text at the level of content lines: escaping, folding, unfolding and
taking lines apart.

RFC 5545 section 3.1 and 3.3.11. The feed is written line by line, and lines are
compared and carried over from one build to the next, where bytes must come out
exactly the same. icalendar's own escaping is not used: it turns a literal
backslash-N, as in a folder named C:\\New, into a line break.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple

PRODID = "-//seminar-feed//seminar-feed//EN"
UID_DOMAIN = "seminar-feed"
MAX_OCTETS = 75
CRLF = "\r\n"
LINE_END = re.compile(r"\r\n|\r|\n")
NAME = re.compile(r"[A-Za-z0-9-]+")
PARAMETER_VALUE = re.compile(r'"[^"]*"|[^";:,]*')
NEEDS_QUOTES = re.compile(r"[;:,']")
BASIC_MOMENT = re.compile(r"[0-9]{8}(?:T[0-9]{6})?")


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash first, then the separators and line breaks."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\n", "\\n")


def unescape_text(value: str) -> str:
    """Undo escape_text (and accept the capital \\N that RFC 5545 also allows)."""
    out, index = [], 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            following = value[index + 1]
            out.append("\n" if following in "nN" else following)
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= MAX_OCTETS:
        return line + CRLF
    parts, start, limit = [], 0, MAX_OCTETS
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        while end < len(encoded) and encoded[end] & 0xC0 == 0x80:  # inside a character
            end -= 1
        parts.append(encoded[start:end].decode("utf-8"))
        start, limit = end, MAX_OCTETS - 1  # continuation lines begin with a space
    return (CRLF + " ").join(parts) + CRLF


def basic_moment(value: str) -> datetime:
    """Read a DATE (20260706) or a DATE-TIME without its Z (20260706T190000) as a
    naive datetime; raise ValueError unless it is a real one. By hand, because
    strptime's first use imports the locale machinery, a tenth of a build's time."""
    if not BASIC_MOMENT.fullmatch(value):
        raise ValueError(f"not a date or time in basic form: {value!r}")
    day, clock = value[:8], value[9:] or "000000"
    return datetime(
        int(day[:4]), int(day[4:6]), int(day[6:]), int(clock[:2]), int(clock[2:4]), int(clock[4:])
    )


def unfold(text: str) -> list[tuple[int, str]]:
    """Split iCalendar text into logical lines, each with the number of the line it starts on.

    As lenient as calendar software: CRLF, LF or CR line ends, a space or a tab
    before each continuation, blank lines skipped.
    """
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(LINE_END.split(text), 1):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + raw[1:])
        elif raw:
            lines.append((number, raw))
    return lines


class ContentLine(NamedTuple):
    """A content line taken apart: names in capitals, parameter values unquoted."""

    name: str
    parameters: tuple[tuple[str, tuple[str, ...]], ...]
    value: str


def parse_line(line: str) -> ContentLine:
    """Split a content line as RFC 5545 section 3.1 reads it; raise ValueError if it is none.

    A quoted parameter value may hold ';', ':' and ',', so the value starts at
    the first colon outside quotes, not at the first colon.
    """
    name = NAME.match(line)
    if name is None:
        raise ValueError("a content line starts with a name like SUMMARY")
    index, parameters = name.end(), []
    while line.startswith(";", index):
        key = NAME.match(line, index + 1)
        if key is None or not line.startswith("=", key.end()):
            raise ValueError("a parameter reads like TZID=Asia/Seoul")
        values, index = [], key.end()
        while index == key.end() or line.startswith(",", index):
            found = PARAMETER_VALUE.match(line, index + 1)
            assert found is not None, "the pattern matches the empty string"
            values.append(found.group().removeprefix('"').removesuffix('"'))
            index = found.end()
        parameters.append((key.group().upper(), tuple(values)))
    if not line.startswith(":", index):
        raise ValueError("a colon separates the name and parameters from the value")
    return ContentLine(name.group().upper(), tuple(parameters), line[index + 1 :])


def canonical_line(line: str) -> str:
    """Write a content line in the one form we compare lines in.

    Names and component names in capitals, parameter values quoted only where
    they must be, no blanks at the end: what calendar software takes to mean
    the same, written the same.
    """
    return format_line(parse_line(line.rstrip(" \t")))


def format_line(parsed: ContentLine) -> str:
    """Write a parsed content line in canonical form (see canonical_line)."""
    value = parsed.value.upper() if parsed.name in ("BEGIN", "END") else parsed.value
    parameters = "".join(
        f";{key}={','.join(_quoted(item) for item in values)}" for key, values in parsed.parameters
    )
    return f"{parsed.name}{parameters}:{value}"


def _quoted(value: str) -> str:
    return f'"{value}"' if NEEDS_QUOTES.search(value) else value


def split_line(line: str) -> tuple[str, dict[str, str], str]:
    """Split a content line into its name, parameters and value."""
    parsed = parse_line(line)
    parameters = {key: ",".join(values) for key, values in parsed.parameters}
    return parsed.name, parameters, parsed.value
