"""The hub page of a group: its series, current and upcoming first, each with its own
subscribe links, and the combined feed's at the top.

Only formatting lives here; the template escapes every value it is given.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup

from .page import CLIENTS, Link, long_date, subscribe_links, templates
from .qr import code_svg, subscribe_address

HUB_LANGUAGE = "en"  # a group names no language of its own; its hub is written in English


@dataclass(frozen=True)
class HubSeries:
    """What the hub says of one series."""

    id: str
    name: str
    description: str | None
    first: date | None  # its first and last session; None for a series without any
    last: date | None
    sessions: int
    feed_url: str | None  # where its feed is served, when known before a visitor comes
    removed: bool = False  # its schedule is gone; it stays published as a past series
    cancelled: int = 0  # of its sessions, those a removed series' feeds keep as cancelled


@dataclass(frozen=True)
class SeriesView:
    """A series as the template shows it, already formatted."""

    id: str
    name: str
    description: list[str]
    when: str
    ends: str  # the day after its last session, for the page's script to tell past series
    sessions: str
    page: str
    feed_file: str
    feed_url: str | None
    subscribe: list[Link]


def render_hub(
    *,
    name: str,
    description: str | None,
    url: str | None,
    combined_file: str,
    combined_url: str | None,
    series: Sequence[HubSeries],
) -> Iterator[str]:
    """Render the hub in pieces; file names are relative to its folder. Series are
    listed by their first session; those whose schedule is gone are listed as past."""
    ordered = sorted(series, key=lambda one: (one.first or date.max, one.id))
    return (
        templates(HUB_LANGUAGE)
        .get_template("hub.html")
        .generate(
            name=name,
            description=_paragraphs(description),
            url=url,
            feed_file=combined_file,
            feed_url=combined_url,
            subscribe=_links(name, combined_file, combined_url),
            # Drawn only when the address is known now, as on a series' page.
            qr_code=Markup(code_svg(subscribe_address(combined_url))) if combined_url else None,
            current=[_view(one) for one in ordered if not one.removed],
            # Most recent first: the past series people look for are the last ones.
            past=[_view(one) for one in reversed(ordered) if one.removed],
        )
    )


def _links(name: str, feed_file: str, feed_url: str | None) -> list[Link]:
    if feed_url:
        return subscribe_links(name, feed_url)
    return [Link(client, label, feed_file, note) for client, label, note in CLIENTS]


def _view(series: HubSeries) -> SeriesView:
    feed_file = f"{series.id}.ics"
    return SeriesView(
        id=series.id,
        name=series.name,
        description=_paragraphs(series.description),
        when=_span(series.first, series.last),
        ends=(series.last + timedelta(days=1)).isoformat() if series.last else "",
        sessions=f"{series.sessions} session{'' if series.sessions == 1 else 's'}"
        + (f", {series.cancelled} cancelled" if series.cancelled else ""),
        page=f"{series.id}/",
        feed_file=feed_file,
        feed_url=series.feed_url,
        subscribe=_links(series.name, feed_file, series.feed_url),
    )


def _span(first: date | None, last: date | None) -> str:
    if first is None or last is None:
        return "No sessions yet"
    if first == last:
        return long_date(first, HUB_LANGUAGE)
    return f"{long_date(first, HUB_LANGUAGE)} to {long_date(last, HUB_LANGUAGE)}"


def _paragraphs(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").splitlines() if part.strip()]
