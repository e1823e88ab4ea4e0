"""The schedule as plain values: what the loader produces and the renderers consume."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

LANGUAGES = ("en", "ko")


@dataclass(frozen=True)
class Calendar:
    """Facts about the whole series that are not tied to one session."""

    id: str
    name: str
    description: str | None = None
    url: str | None = None
    feed_url: str | None = None
    timezone: str | None = None
    language: str = "en"


@dataclass(frozen=True)
class Session:
    """One meeting, with the calendar's defaults already applied."""

    week: int
    key: str
    date: date
    title: str
    presenter: str | None = None
    description: str | None = None
    url: str | None = None
    start: time | None = None
    duration: timedelta = timedelta(hours=1)
    timezone: str | None = None
    location: str | None = None
    cancelled: bool = False
    reason: str | None = None
    reminders: tuple[timedelta, ...] = ()

    @property
    def all_day(self) -> bool:
        return self.start is None


@dataclass(frozen=True)
class Schedule:
    """A calendar and its sessions, in week order."""

    calendar: Calendar
    sessions: tuple[Session, ...]
