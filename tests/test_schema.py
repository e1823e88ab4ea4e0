"""The published JSON Schema: current, in step with the loader, and right about examples."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from seminar_feed.load import CALENDAR_KEYS, SESSION_KEYS
from seminar_feed.schema import FIELDS, schedule_schema, schema_json
from tools import MINIMAL_SCHEDULE

ROOT = Path(__file__).parent.parent
VALID = sorted(
    [ROOT / "schedule.yaml", *(Path(__file__).parent / "cases" / "valid").glob("*.yaml")]
)


class Yaml12Loader(yaml.SafeLoader):
    """Read YAML as editors' language servers do (YAML 1.2): 18:30 and 2026-07-06 stay text."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [
        (tag, pattern) for tag, pattern in resolvers if not tag.endswith((":timestamp", ":int"))
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)


def read(text: str) -> Any:
    return yaml.load(text, Loader=Yaml12Loader)


VALIDATOR = jsonschema.Draft202012Validator(schedule_schema())


def test_the_schema_is_valid_and_published_as_generated() -> None:
    jsonschema.Draft202012Validator.check_schema(schedule_schema())
    assert (ROOT / "dist" / "schedule.schema.json").read_text(encoding="utf-8") == schema_json()


def test_the_schema_knows_every_key_the_loader_does() -> None:
    properties = schedule_schema()["properties"]
    assert list(properties["calendar"]["properties"]) == list(CALENDAR_KEYS)
    assert list(properties["sessions"]["items"]["properties"]) == list(SESSION_KEYS)
    assert set(FIELDS) == set(CALENDAR_KEYS) | set(SESSION_KEYS)


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
