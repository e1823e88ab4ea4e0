"""iCalendar text at the level of content lines: escaping, folding and unfolding.

RFC 5545 section 3.1 and 3.3.11. icalendar does this for the components it
builds; these helpers are for the lines the feed compares and carries over
from one build to the next, where bytes must come out exactly the same.
"""

from __future__ import annotations

from icalendar import vText

PRODID = "-//seminar-feed//seminar-feed//EN"
MAX_OCTETS = 75
CRLF = "\r\n"


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


class Text(vText):
    """TEXT that icalendar serialises with our escaping.

    icalendar turns a literal backslash-N into a line break before escaping, so
    a title naming a folder like C:\\New would reach every reader broken.
    """

    __slots__ = ()

    def to_ical(self) -> bytes:
        return escape_text(str(self)).encode("utf-8")


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


def unfold(text: str) -> list[str]:
    """Split iCalendar text into logical lines; tolerate LF-only line ends."""
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


def split_line(line: str) -> tuple[str, dict[str, str], str]:
    """Split a content line into its name, parameters and value."""
    head, _, value = line.partition(":")
    name, *parameters = head.split(";")
    params = dict(parameter.partition("=")[::2] for parameter in parameters)
    return name.upper(), params, value
