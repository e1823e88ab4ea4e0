"""The published JSON Schema: current, in step with the loader, and right about examples."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from seminar_feed import fields, schema, values
from seminar_feed.errors import ScheduleError
from seminar_feed.group import load_group_file
from seminar_feed.load import parse_schedule
from seminar_feed.schema import group_schema, schedule_schema, schema_json
from tools import MINIMAL_SCHEDULE, wide

ROOT = Path(__file__).parent.parent
VALID = sorted(
    [ROOT / "schedule.yaml", *(Path(__file__).parent / "cases" / "valid").glob("*.yaml")]
)


class Yaml12Loader(yaml.SafeLoader):
    """Read YAML as editors' language servers do (YAML 1.2's core schema): 18:30 and
    2026-07-06 stay text, yes and on too, 0x10 and 1e3 are numbers."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [
        (tag, pattern)
        for tag, pattern in resolvers
        if not tag.endswith((":timestamp", ":int", ":float", ":bool"))
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)


def construct_yaml12_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    # PyYAML's own reads 010 as octal 8 and refuses 0o10; YAML 1.2 reads 10 and 8.
    text = loader.construct_scalar(node)  # type: ignore[arg-type]
    assert isinstance(text, str)
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", construct_yaml12_int)


def read(text: str) -> Any:
    return yaml.load(text, Loader=Yaml12Loader)


# Editors check formats such as "date" too.
VALIDATOR = jsonschema.Draft202012Validator(
    schedule_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def test_the_schema_is_valid_and_published_as_generated() -> None:
    jsonschema.Draft202012Validator.check_schema(schedule_schema())
    assert (ROOT / "dist" / "schedule.schema.json").read_text(encoding="utf-8") == schema_json()


def test_the_schema_has_the_tables_keys_in_its_order() -> None:
    properties = schedule_schema()["properties"]
    calendar = properties["calendar"]
    session = properties["sessions"]["items"]
    material = session["properties"]["materials"]["items"]
    assert list(calendar["properties"]) == [
        "id", "name", "description", "url", "feed_url", "timezone", "time", "duration",
        "location", "online", "starts", "reminders", "language",
    ]  # fmt: skip
    assert list(session["properties"]) == [
        "week", "id", "date", "title", "presenter", "description", "url", "time", "duration",
        "timezone", "location", "online", "reminders", "materials", "cancelled", "reason",
    ]  # fmt: skip
    assert list(material["properties"]) == ["title", "url"]
    assert (calendar["required"], session["required"], material["required"]) == (
        ["id", "name"], ["week", "title"], ["title", "url"]
    )  # fmt: skip
    assert calendar["properties"]["online"]["description"] == "Every session's video call link"


def test_the_loader_and_the_schema_know_every_kind_of_value() -> None:
    assert set(fields.KINDS) == set(schema.KINDS) == set(values.READERS)
    assert {field.kind for field in fields.FIELDS} == set(fields.KINDS)


def with_field(field: fields.Field) -> str:
    """The minimal schedule with one of the table's keys set to its example value."""
    assert field.example is not None
    example = field.example.replace("<id>", "demo")
    if field.where == "calendar":
        zone = "  timezone: UTC\n" if field.name == "time" else ""
        return BASE.replace("  name: Demo\n", f"  name: Demo\n{zone}  {field.name}: {example}\n")
    context = {"reason": "    cancelled: true\n", "timezone": "    time: '19:00'\n"}
    if field.name == "date":
        return BASE.replace("2026-07-06", example)
    if field.name in ("time", "duration"):
        return session_with(field.name, example)
    return BASE + context.get(field.name, "") + f"    {field.name}: {example}\n"


@pytest.mark.parametrize(
    "field",
    [field for field in fields.FIELDS if field.example is not None],
    ids=lambda field: f"{field.where}.{field.name}",
)
def test_every_example_in_the_table_is_taken_by_the_loader_and_the_schema(
    field: fields.Field,
) -> None:
    text = with_field(field)
    assert (loader_accepts(text), schema_accepts(text)) == (True, True), text


@pytest.mark.parametrize("path", VALID, ids=lambda path: path.name)
def test_the_schema_accepts_every_valid_example(path: Path) -> None:
    assert list(VALIDATOR.iter_errors(read(path.read_text(encoding="utf-8")))) == []


BASE = MINIMAL_SCHEDULE

INVALID = {
    "unknown key": BASE + "    presentr: Ko\n",
    "missing title": BASE.replace("    title: One\n", ""),
    "missing calendar id": BASE.replace("  id: demo\n", ""),
    "week zero": BASE.replace("week: 1", "week: 0"),
    "week as a word": BASE.replace("week: 1", "week: one"),
    "date not ISO": BASE.replace("2026-07-06", "Jul 6, 2026"),
    "time out of range": BASE + "    time: '25:00'\n",
    "time with seconds": BASE + "    time: 18:30:99\n",
    "ftp url": BASE + "    url: ftp://example.org/\n",
    "http feed url": BASE.replace("  name: Demo", "  name: Demo\n  feed_url: http://x.org/a.ics"),
    "empty title": BASE.replace("title: One", "title: ''"),
    "title on two lines": BASE.replace("title: One", 'title: "One\\nTwo"'),
    "id with capitals": BASE.replace("id: demo", "id: Demo"),
    "cancelled as yes-string": BASE + "    cancelled: 'yes'\n",
    "reminders not a list": BASE + "    reminders: 1d\n",
    "reminder in seconds": BASE + "    reminders: [30s]\n",
    "duration empty": BASE + "    duration: ''\n",
    "sessions not a list": BASE.split("sessions:")[0] + "sessions: 5\n",
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_the_schema_rejects_invalid_examples(name: str) -> None:
    assert list(VALIDATOR.iter_errors(read(INVALID[name]))) != []


def test_the_shipped_schedule_points_editors_at_the_schema() -> None:
    first = (ROOT / "schedule.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=dist/schedule.schema.json"


def loader_accepts(text: str) -> bool:
    try:
        parse_schedule(text.encode(), source="s.yaml")
    except ScheduleError:
        return False
    return True


def schema_accepts(text: str) -> bool:
    return not list(VALIDATOR.iter_errors(read(text)))


def session_with(key: str, value: str) -> str:
    if key == "date":
        return BASE.replace("2026-07-06", value)
    if key in ("week", "title"):
        return BASE.replace(f"{key}: {'1' if key == 'week' else 'One'}", f"{key}: {value}")
    zone = "    timezone: UTC\n" if key in ("time", "duration") else ""
    time = "    time: '19:00'\n" if key == "duration" else ""
    return BASE + zone + time + f"    {key}: {value}\n"


# Values that the loader and an editor checking the schema must both take or both
# refuse, read as YAML 1.2 reads them in the editor.
AGREED = [
    ("week", "1e3", True), ("week", "0x10", True), ("week", "+1", True), ("week", "01", True),
    ("week", "0o7", True), ("week", "1.0", True), ("week", "21185", True),
    ("week", "1_000", False), ("week", "1.5", False), ("week", '"1"', False),
    ("week", "'1'", False),
    ("week", "0", False), ("week", "-1", False), ("week", "21186", False), ("week", "²", False),
    ("week", wide("1"), False), ("week", "!!str 1", False), ("week", ".inf", False),
    ("week", "true", False),
    ("cancelled", "true", True), ("cancelled", "True", True), ("cancelled", "FALSE", True),
    ("cancelled", '"true"', False), ("cancelled", "'false'", False), ("cancelled", "yes", False),
    ("cancelled", "on", False), ("cancelled", "1", False),
    ("date", "2026-07-06", True), ("date", "'2026-07-06'", True), ("date", "2028-02-29", True),
    ("date", "1980-01-01", True), ("date", "2037-12-31", True),
    ("date", "1979-12-31", False), ("date", "2038-01-01", False), ("date", "9999-12-31", False),
    ("date", wide("2026-07-06"), False), ("date", "2026-7-6", False), ("date", "2026-02-30", False),
    ("date", "2027-02-29", False), ("date", "20260706", False), ("date", "'2026-07-06 '", False),
    ("time", "19:00", True), ("time", "'19:00'", True), ("time", "9:00", True),
    ("time", "24:00", False), ("time", f"'{wide('19:00')}'", False), ("time", "1900", False),
    ("time", "19:00:00", False), ("time", "' 19:00'", False),
    ("duration", "1h30m", True), ("duration", "90m", True), ("duration", "1h 30m", True),
    ("duration", "1d", True), ("duration", "1h30", False), ("duration", wide("1") + "h", False),
    ("duration", "' '", False), ("duration", "90", False), ("duration", "''", False),
    ("reminders", "[1d, 30m]", True), ("reminders", "[]", True),
    ("reminders", f"[{wide('1')}d]", False), ("reminders", "[30s]", False),
    ("reminders", "1d", False),
    ("id", "intro", True), ("id", "'2026'", True), ("id", "'true'", True), ("id", "a" * 64, True),
    ("id", "2026", False), ("id", "true", False), ("id", "1e3", False), ("id", "Intro", False),
    ("id", "a" * 65, False),
    ("title", "1984", True), ("title", "true", True), ("title", "1.5", True),
    ("title", "''", False), ("title", "'  '", False), ("title", "~", False),
    ("title", '"a\\tb"', False), ("title", '"a\\u0007b"', False), ("title", "x" * 301, False),
    ("description", '"a\\tb"', True), ("description", '"a\\u2028b"', True),
    ("description", '"a\\u0007b"', False), ("description", "'  '", False),
    ("presenter", "!!binary aGk=", False),
    ("online", "https://example.org/meet", True), ("online", "none", True),
    ("online", "'none'", True), ("online", "http://example.org/meet", False),
    ("online", "None", False), ("online", "~", False), ("online", "''", False),
    ("online", "https://", False),
    ("location", "none", True), ("location", "'none'", True), ("location", "Room 101", True),
    ("materials", "[]", True), ("materials", "[{title: Slides, url: 'https://e.org/s.pdf'}]", True),
    ("materials", "[{title: 1984, url: 'http://e.org/s.pdf'}]", True),
    ("materials", "[{title: Slides}]", False), ("materials", "[{url: 'https://e.org/'}]", False),
    ("materials", "[{title: Slides, url: 'ftp://e.org/'}]", False),
    ("materials", "[{title: Slides, url: 'https://e.org/', kind: pdf}]", False),
    ("materials", "[{title: '', url: 'https://e.org/'}]", False),
    ("materials", "{title: Slides, url: 'https://e.org/'}", False),
    ("materials", "https://e.org/", False),
    ("materials", "[" + ", ".join(["{title: S, url: 'https://e.org/'}"] * 101) + "]", False),
]  # fmt: skip


@pytest.mark.parametrize(("key", "value", "accepted"), AGREED)
def test_the_loader_and_the_schema_agree(key: str, value: str, accepted: bool) -> None:
    text = session_with(key, value)
    assert (loader_accepts(text), schema_accepts(text)) == (accepted, accepted)


# The same for the calendar's own keys.
CALENDAR_AGREED = [
    ("language", "en", True), ("language", "ko", True), ("language", "'ko'", True),
    ("language", "fr", False), ("language", "KO", False), ("language", "ko-KR", False),
    ("language", "~", False),
    ("online", "https://example.org/meet", True), ("online", "none", False),
    ("online", "http://example.org/meet", False),
    ("location", "Room 101", True), ("location", "none", False), ("location", "'none'", False),
    ("location", "None", True),
]  # fmt: skip


@pytest.mark.parametrize(("key", "value", "accepted"), CALENDAR_AGREED)
def test_the_loader_and_the_schema_agree_on_the_calendar(
    key: str, value: str, accepted: bool
) -> None:
    text = BASE.replace("  name: Demo\n", f"  name: Demo\n  {key}: {value}\n")
    assert (loader_accepts(text), schema_accepts(text)) == (accepted, accepted)


GROUP_BASE = "group:\n  id: lab\n  name: Lab Seminars\n"
GROUP_CASES = {
    "minimal": (GROUP_BASE, True),
    "every key": (GROUP_BASE + "  description: |\n    Two\n    lines\n  url: http://example.org/\n"
                  "  site_url: https://example.org/lab/\nleave_combined: [a]\ndrop: [b]\n", True),
    "name as a number": (GROUP_BASE.replace("Lab Seminars", "1984"), True),
    "id as a number": (GROUP_BASE.replace("id: lab", "id: 2026"), False),
    "quoted numeric id": (GROUP_BASE.replace("id: lab", "id: '2026'"), True),
    "site url without slash": (GROUP_BASE + "  site_url: https://example.org/lab\n", False),
    "site url over http": (GROUP_BASE + "  site_url: http://example.org/lab/\n", False),
    "ftp url": (GROUP_BASE + "  url: ftp://example.org/\n", False),
    "unknown key": (GROUP_BASE + "  link: https://example.org/\n", False),
    "missing name": (GROUP_BASE.replace("  name: Lab Seminars\n", ""), False),
    "missing group": ("drop: [a]\n", False),
    "drop not a list": (GROUP_BASE + "drop: a\n", False),
    "id listed twice": (GROUP_BASE + "drop: [a, a]\n", False),
    "id with capitals": (GROUP_BASE + "leave_combined: [A]\n", False),
}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "valid"),
    list(GROUP_CASES.values()),
    ids=[name.replace(" ", "-") for name in GROUP_CASES],
)
def test_the_group_loader_and_the_group_schema_agree(
    tmp_path: Path, text: str, valid: bool
) -> None:
    path = tmp_path / "group.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_group_file(path)
        loaded = True
    except ScheduleError:
        loaded = False
    validator = jsonschema.Draft202012Validator(group_schema())
    assert (loaded, not list(validator.iter_errors(read(text)))) == (valid, valid)


def test_the_group_schema_is_valid_and_says_what_the_table_says() -> None:
    jsonschema.Draft202012Validator.check_schema(group_schema())
    group = group_schema()["properties"]["group"]
    assert group["required"] == ["id", "name"]
    assert list(group["properties"]) == ["id", "name", "description", "url", "site_url", "language"]
    assert group["properties"]["url"]["description"] == "The group's own website"
    assert group["properties"]["language"]["enum"] == ["en", "ko"]


# URLs, each as (an ASCII id, the URL, whether both take it), for every kind of URL key.
URLS = [
    ("plain", "https://example.org/a?b=c#d", True),
    ("scheme-in-capitals", "HTTPS://EXAMPLE.ORG/x", True),
    ("scheme-mixed-case", "Https://example.org/", True),
    ("escapes", "https://e.org/a%20b%C3%A9", True),
    ("ipv6-and-port", "https://[::1]:65535/", True),
    ("longest", "https://e.org/" + "a" * 1986, True),
    ("too-long", "https://e.org/" + "a" * 1987, False),
    ("quote", 'https://e.org/\\"quoted\\"', False),
    ("angle-brackets", "https://e.org/<b>x</b>", False),
    ("backslash", "https://e.org/a\\\\b", False),
    ("user-info", "https://user:pw@e.org/", False),
    ("port-out-of-range", "https://e.org:99999/", False),
    ("port-empty", "https://e.org:/", False),
    ("host-only-a-dot", "https://.", False),
    ("host-missing", "https:///a", False),
    ("non-ascii-path", "https://e.org/caf\\u00e9", False),
    ("non-ascii-host", "https://b\\u00fccher.example/", False),
    ("bare-percent", "https://e.org/100%", False),
    ("two-hashes", "https://e.org/#a#b", False),
    ("space", "https://e.org/a b", False),
    ("ftp", "ftp://e.org/", False),
]


@pytest.mark.parametrize(
    ("key", "url", "accepted"),
    [(key, url, accepted) for key in ("url", "online", "materials") for _, url, accepted in URLS],
    ids=[f"{key}-{name}" for key in ("url", "online", "materials") for name, _, _ in URLS],
)
def test_the_loader_and_the_schema_agree_on_urls(key: str, url: str, accepted: bool) -> None:
    value = f'"{url}"' if key != "materials" else f'[{{title: S, url: "{url}"}}]'
    text = session_with(key, value)
    assert (loader_accepts(text), schema_accepts(text)) == (accepted, accepted)


@pytest.mark.parametrize(
    ("url", "accepted"),
    [("https://e.org/" + "a/" * 789 + "demo.ics", True),
     ("https://e.org/" + "a/" * 790 + "demo.ics", False),
     ("HTTPS://e.org/demo.ics", True), ("http://e.org/demo.ics", False)],
    ids=["longest", "too-long", "scheme-in-capitals", "http"],
)  # fmt: skip
def test_the_loader_and_the_schema_agree_on_the_feed_url(url: str, accepted: bool) -> None:
    text = BASE.replace("  name: Demo\n", f"  name: Demo\n  feed_url: {url}\n")
    assert (loader_accepts(text), schema_accepts(text)) == (accepted, accepted)


def test_a_url_is_written_with_its_scheme_in_lower_case() -> None:
    text = session_with("online", "HTTPS://Example.org/Meet")
    assert parse_schedule(text.encode(), source="s.yaml").sessions[0].online == (
        "https://Example.org/Meet"
    )
