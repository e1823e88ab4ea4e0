from __future__ import annotations

import os
import zoneinfo
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# Parsers that know a TZID by name (icalendar, ical) read it from zoneinfo, not from the
# feed's VTIMEZONE. The machine's tz database can be years older or newer than pytz's:
# take zoneinfo's from the tzdata package, the release pytz carries, on every machine.
zoneinfo.reset_tzpath(to=[])

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the output"
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, bytes], None]:
    def check(name: str, actual: bytes) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(actual)
        assert actual == path.read_bytes(), f"{name} changed; rerun with --update-golden"

    return check


@pytest.fixture
def write_schedule(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str) -> Path:
        path = tmp_path / "schedule.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


# A few hundred examples per property in every run, new ones on every laptop run; CI
# draws the same examples every time, so a red CI is never a roll of the dice.
# HYPOTHESIS_PROFILE=long searches deeper before a release (about ten minutes). No
# profile has a deadline: an example slowed by a busy machine is no failure, and speed
# is the benchmark's to judge.
settings.register_profile("default", max_examples=200, deadline=None)
settings.register_profile("ci", max_examples=200, derandomize=True, database=None, deadline=None)
settings.register_profile("long", max_examples=10_000, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)
