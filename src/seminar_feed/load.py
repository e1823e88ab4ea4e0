"""Read schedule.yaml into a Schedule, or report everything that is wrong with it.

Each key is read by its kind, as the format's table says (`fields`, `values`);
what is left here are the file, the document's shape and the rules across keys:
defaults a session takes from the calendar, dates in week order, a time needs a
zone, one session a day.
"""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit, urlunsplit

import pytz
import yaml

from .errors import Problem, ScheduleError, Where
from .fields import keys_in
from .model import Calendar, Material, Schedule, Session
from .values import (
    LAST_SUPPORTED_DATE,
    MAX_SESSIONS,
    NO_LINK,
    NO_ROOM,
    SUPPORTED,
    ValueReader,
    kind_of,
)

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

TOP_KEYS = ("calendar", "sessions")
DEFAULT_DURATION = timedelta(hours=1)
MAX_FILE_BYTES = 10_000_000  # bounds time and memory on hostile input


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


def _compose(
    text: str, source: str, *, kind: str = "schedule", needs: str = "'calendar' and 'sessions'"
) -> yaml.Node:
    """Compose the YAML document of a `kind` of file (a schedule, or a group file), which
    needs the top-level keys `needs`; raise ScheduleError at the place YAML stops."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        if _character_at(text, line, column) == "\t":
            raise _single(source, "a tab cannot indent YAML; use spaces", line, column) from None
        raise _single(source, _describe_yaml_error(error, kind), line, column) from None
    except yaml.reader.ReaderError as error:
        line, column = _position(text, error.position)
        # Given text, as here, both of PyYAML's readers name the character by its number.
        message = f"the character U+{error.character:04X} is not allowed in YAML; remove it"
        raise _single(source, message, line, column) from None
    except RecursionError:  # PyYAML without libyaml has no depth limit of its own
        raise _single(source, f"invalid YAML: nested too deeply to be a {kind}") from None
    if root is None:
        raise _single(source, f"the file is empty; a {kind} needs {needs}")
    return root


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _character_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if not 0 < line <= len(lines) or not 0 < column <= len(lines[line - 1]):
        return ""
    return lines[line - 1][column - 1]


def _describe_yaml_error(error: yaml.MarkedYAMLError, kind: str) -> str:
    problem = error.problem or "invalid YAML"
    hint = {
        "found undefined alias": "an alias (*name) refers to no anchor (&name)",
        "could not find expected ':'": "a key is missing its ':' (or a line is misindented)",
        "found duplicate anchor": "two anchors share a name",
        "exceeded maximum nesting depth": f"nested too deeply to be a {kind}",
        "but found another document": "a second document (---) follows the first; "
        f"a {kind} is one document",
    }
    for start, text in hint.items():
        # Some say what is wrong in the context, like "found duplicate anchor 'x'; first
        # occurrence", and where the problem is: "second occurrence".
        if problem.startswith(start) or (error.context or "").startswith(start):
            return f"invalid YAML: {text}"
    context = f" {error.context}" if error.context else ""
    return f"invalid YAML: {problem}{context}"


class _Reader(ValueReader):
    """Walks the document, adding to the readers of values the rules across keys."""

    def schedule(self, root: yaml.Node) -> Schedule | None:
        top = self.mapping(root, what="the schedule", known=TOP_KEYS, required=TOP_KEYS)
        if top is None:
            return None
        defaults = self.calendar(top["calendar"].value) if "calendar" in top else _NO_DEFAULTS
        sessions: list[tuple[Session, _SessionNodes]] = []
        if "sessions" in top:
            node = top["sessions"].value
            if not isinstance(node, yaml.SequenceNode):
                self.fail(node, f"expected a list of sessions, got {kind_of(node)}")
            elif len(node.value) > MAX_SESSIONS:
                self.fail(node, f"this list has {len(node.value):,} sessions; a schedule holds at "
                                f"most {MAX_SESSIONS:,}, one a day over {SUPPORTED}")  # fmt: skip
            elif self.untagged(node):
                sessions = self.sessions(node.value, defaults)
        self.check_sessions(sessions)
        self.note_omitted()
        if self.problems:
            return None
        ordered = sorted((session for session, _ in sessions), key=lambda s: s.week)
        return Schedule(calendar=defaults.calendar, sessions=tuple(ordered))

    def calendar(self, node: yaml.Node) -> _Defaults:
        read = self.read_mapping(node, "calendar", "calendar")
        if read is None:
            return _NO_DEFAULTS
        fields, values = read
        calendar = Calendar(
            id=values.get("id") or "",
            name=values.get("name") or "",
            description=values.get("description"),
            url=values.get("url"),
            feed_url=values.get("feed_url"),
            timezone=values.get("timezone"),
            language=values.get("language") or "en",
        )
        if calendar.feed_url and calendar.id:
            self.check_feed_name(fields["feed_url"].value, calendar.feed_url, calendar.id)
        if "time" in fields and "timezone" not in fields:
            self.fail(
                fields["time"].value,
                "a time of day needs a time zone; add calendar.timezone, like Asia/Seoul",
            )
        return _Defaults(
            calendar=calendar,
            start=values.get("time"),
            duration=values.get("duration") or DEFAULT_DURATION,
            location=values.get("location"),
            online=values.get("online"),
            first_date=values.get("starts"),
            reminders=values.get("reminders") or (),
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
        read = self.read_mapping(node, "session", "a session")
        if read is None:
            return None
        fields, values = read
        week, title, on = values.get("week"), values.get("title"), values.get("date")
        cancelled = values.get("cancelled")
        online = values.get("online", defaults.online)
        location = values.get("location", defaults.location)
        materials: tuple[Material, ...] = values.get("materials") or ()
        optional = {
            "presenter": values.get("presenter"),
            "description": values.get("description"),
            "url": values.get("url"),
            "reason": values.get("reason"),
            "start": values.get("time", defaults.start),
            "duration": values.get("duration", defaults.duration),
            "timezone": values.get("timezone", defaults.calendar.timezone),
            "location": None if location == NO_ROOM else location,
            "online": None if online == NO_LINK else online,
            "materials": materials,
            "reminders": values.get("reminders", defaults.reminders),
        }
        key = values.get("id")
        no_date = "date" not in fields and not self.misspelt(node, "date", keys_in("session"))
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
                          f"seminar-feed supports, {SUPPORTED}; give this session a date or "
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
            **optional,
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


class _Defaults(NamedTuple):
    calendar: Calendar
    start: time | None
    duration: timedelta
    location: str | None
    online: str | None
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
    online=None,
    first_date=None,
    reminders=(),
    has_timezone=True,
    has_time=True,
    has_starts=True,
)


class _SessionNodes(NamedTuple):
    """Where a session's parts were written, for cross-session messages."""

    item: yaml.Node
    week: yaml.Node
    date: yaml.Node
    time: yaml.Node | None
