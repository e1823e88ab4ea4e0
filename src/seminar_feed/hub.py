"""The hub page of a group: its series, current and upcoming first, each with its own
subscribe links, and the combined feed's at the top.

Only formatting lives here; the template escapes every value it is given. Its words
come from the group's language catalog, its dates from CLDR, as a series page's do.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .page import Link, long_date, paragraphs, subscribe_buttons, subscribe_code, templates


@dataclass(frozen=True)
class HubSeries:
    """What the hub says of one series."""

    id: str
    name: str
    description: str | None
    first: date | None  # its first and last session; None for a series without any
    last: date | None
    sessions: int  # how many, for the template's message in the plural it takes
    feed_url: str | None  # where its feed is served, when known before a visitor comes
    removed: bool = False  # its schedule is gone; it stays published as a past series
    cancelled: int = 0  # of its sessions, those a removed series' feeds keep as cancelled


@dataclass(frozen=True)
class SeriesView:
    """A series as the template shows it, already formatted."""

    id: str
    name: str
    description: list[str]
    first: str | None  # its first and last session's dates, written out; None without any
    last: str | None
    ends: str  # the day after its last session, for the page's script to tell past series
    sessions: int
    cancelled: int  # of its sessions, those a removed series' feeds keep as cancelled
    page: str
    feed_file: str
    feed_url: str | None
    subscribe: list[Link]


def render_hub(
    *,
    name: str,
    language: str,
    description: str | None,
    url: str | None,
    combined_file: str,
    combined_url: str | None,
    series: Sequence[HubSeries],
) -> Iterator[str]:
    """Render the hub in pieces, its words and dates in `language`; file names are
    relative to its folder. Series are listed by their first session; those whose
    schedule is gone are listed as past."""
    ordered = sorted(series, key=lambda one: (one.first or date.max, one.id))
    return (
        templates(language)
        .get_template("hub.html")
        .generate(
            language=language,
            name=name,
            assets="",  # the icon is beside the hub
            description=paragraphs(description),
            url=url,
            feed_file=combined_file,
            feed_url=combined_url,
            subscribe=subscribe_buttons(name, combined_file, combined_url),
            qr_code=subscribe_code(combined_url),
            current=[_view(one, language) for one in ordered if not one.removed],
            # Most recent first: the past series people look for are the last ones.
            past=[_view(one, language) for one in reversed(ordered) if one.removed],
        )
    )


def _view(series: HubSeries, language: str) -> SeriesView:
    feed_file = f"{series.id}.ics"
    return SeriesView(
        id=series.id,
        name=series.name,
        description=paragraphs(series.description),
        first=long_date(series.first, language) if series.first else None,
        last=long_date(series.last, language) if series.last else None,
        ends=(series.last + timedelta(days=1)).isoformat() if series.last else "",
        sessions=series.sessions,
        cancelled=series.cancelled,
        page=f"{series.id}/",
        feed_file=feed_file,
        feed_url=series.feed_url,
        subscribe=subscribe_buttons(series.name, feed_file, series.feed_url),
    )
