"""Byte-level checks that iCalendar parsers let pass but real clients trip over."""

from __future__ import annotations

import re

MAX_OCTETS = 75


def lint_ics(data: bytes) -> list[str]:
    """Return every way `data` breaks RFC 5545's line rules or our shape (empty if none)."""
    problems = []
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append("starts with a byte order mark")
    if not data.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    lines = data.split(b"\r\n")
    if not lines[-1]:
        lines.pop()  # what follows the final CRLF
    for number, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number}: a bare LF or CR")
        if not line:
            problems.append(f"line {number}: blank")
        if len(line) > MAX_OCTETS:
            problems.append(f"line {number}: {len(line)} octets")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number}: a fold splits a UTF-8 character")
    text = data.decode("utf-8", "replace")
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    if not unfolded.startswith("BEGIN:VCALENDAR\r\n") or not unfolded.endswith("END:VCALENDAR\r\n"):
        problems.append("not one VCALENDAR")
    names = [line.split(":", 1)[0].split(";", 1)[0] for line in unfolded.split("\r\n")]
    for forbidden in ("METHOD", "ORGANIZER", "ATTENDEE"):
        if forbidden in names:
            problems.append(f"has {forbidden}")
    heads = [line.split(":", 1)[0] for line in unfolded.split("\r\n")]  # name and parameters
    used = {match for head in heads for match in re.findall(r";TZID=([^;]+)", head)}
    declared = set(re.findall(r"\r\nTZID:([^\r]+)", unfolded))
    if used != declared:
        problems.append(f"TZIDs used {sorted(used)} but VTIMEZONEs for {sorted(declared)}")
    # Whole lines only: a title may well read "END:VEVENT".
    for block in re.findall(r"\r\nBEGIN:VEVENT\r\n(.*?\r\n)END:VEVENT\r\n", unfolded, re.S):
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY"):
            if not re.search(rf"^{required}[;:]", block, re.M):
                problems.append(f"an event without {required}")
        start = re.search(r"^DTSTART[;:](.*)$", block, re.M)
        end = re.search(r"^DTEND[;:](.*)$", block, re.M)
        if start and end and start.group(1) == end.group(1):
            problems.append("an event ends when it starts")
        if re.search(r"^DT(START|END):\d{8}T\d{6}\r?$", block, re.M):
            problems.append("a floating time")
        alarm = block.find("BEGIN:VALARM")
        if alarm != -1 and re.search(r"^END:VALARM\r\n(?!BEGIN:VALARM)\S", block[alarm:], re.M):
            problems.append("a property after a VALARM")
    return problems
