"""The subscribe page: the schedule as people read it, with one-click ways to add it.

Only formatting lives here; the template escapes every value it is given. Its words
come from the schedule's language catalog, its dates and times from CLDR through
Babel, imported here so that only the commands that render a page load it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from heapq import merge
from typing import NamedTuple
from urllib.parse import quote, urlencode

import jinja2
from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton
from markupsafe import Markup

from .feed import session_description, session_location, session_summary, timed_span
from .language import translations
from .model import Material, Schedule, Session
from .qr import code_svg, subscribe_address
from .templating import NEWSTYLE_GETTEXT, CompiledTemplates, template_environment

GOOGLE_RENDER = "https://calendar.google.com/calendar/render"
OUTLOOK_ADD = "https://{host}/calendar/0/addfromweb"
# Browsers and Google's servers refuse addresses far shorter than a session's text
# can make (100 materials and a long description give 68 kB): the link to add one
# session is kept to this many characters, its description cut short first.
MAX_GOOGLE_LINK = 8_000
CUT = "…"

# (client, label, who it suits, translated on the page); the page's script fills in
# the links when the schedule does not say where the feed is served.
CLIENTS = (
    ("google", "Google Calendar", "Any Google account."),
    ("outlook-com", "Outlook.com", "Personal Microsoft accounts."),
    ("microsoft-365", "Microsoft 365", "Work and school accounts."),
    ("apple", "Apple Calendar", "Mac, iPhone and iPad."),
)


class Link(NamedTuple):
    client: str
    label: str
    href: str
    note: str


class Hub(NamedTuple):
    """The group a series page belongs to, and its hub page, relative to the page."""

    name: str
    page: str


class SessionView(NamedTuple):
    """What the page shows of one session, already formatted."""

    anchor: str  # the element's id: week-N, or removed-<id> for a session no longer listed
    week: int
    title: str
    presenter: str | None
    when: str
    machine_when: str  # the same in the form a <time> element's datetime wants
    # When it begins and ends, for the page's script to tell past from next: a date
    # (the end the day after) for an all-day session, an instant in UTC otherwise.
    starts: str
    ends: str
    description: list[str]
    url: str | None
    location: str | None
    online: str | None
    materials: tuple[Material, ...]
    cancelled: bool
    reason: str | None
    download: str
    google: str


def render_page(
    schedule: Schedule,
    *,
    feed_file: str,
    session_files: dict[str, str],
    removed: Sequence[Session] = (),
    assets: str = "",
    hub: Hub | None = None,
) -> Iterator[str]:
    """Render the page in pieces, for writing as they come; file names are relative to
    the page's folder, and `assets` leads from it to the icon (a group's series pages
    share their group's, and link back to its `hub`). Sessions removed from the schedule
    but kept in the feed show as cancelled among the others, by date, as calendars show
    them."""
    info = schedule.calendar
    language = info.language
    return (
        templates(language)
        .get_template("page.html")
        .generate(
            language=language,
            name=info.name,
            assets=assets,
            hub=hub,
            description=paragraphs(info.description),
            url=info.url,
            feed_file=feed_file,
            feed_url=info.feed_url,
            subscribe=subscribe_buttons(info.name, feed_file, info.feed_url),
            qr_code=subscribe_code(info.feed_url),
            # One session at a time: the views of a long schedule take as much memory as the page.
            sessions=(
                _view(session, language, session_files[session.key], f"week-{session.week}")
                if session.key in session_files
                else _view(session, language, "", f"removed-{session.key}")
                for session in merge(schedule.sessions, sorted(removed, key=_day), key=_day)
            ),
        )
    )


@cache
def templates(language: str) -> jinja2.Environment:
    """Load the package's templates once for each language, as compiled when the package
    was built: a group fills the page in once per series."""
    environment = template_environment(jinja2.PackageLoader("seminar_feed"), CompiledTemplates())
    environment.install_gettext_translations(  # type: ignore[attr-defined]
        translations(language), newstyle=NEWSTYLE_GETTEXT
    )
    return environment


def subscribe_buttons(name: str, feed_file: str, feed_url: str | None) -> list[Link]:
    """Give each client's subscribe button: its link when the feed's address is known
    now, else the feed's file, which the page's script points at the feed as served."""
    if feed_url:
        return subscribe_links(name, feed_url)
    return [Link(client, label, feed_file, note) for client, label, note in CLIENTS]


def subscribe_code(feed_url: str | None) -> Markup | None:
    """Draw the QR code that subscribes to the feed, when its address is known now: the
    page's script finds the feed only later, in the visitor's browser."""
    return Markup(code_svg(subscribe_address(feed_url))) if feed_url else None


def subscribe_links(name: str, feed_url: str) -> list[Link]:
    """Give the link each client subscribes with; each wants the feed URL its own way."""
    webcal = subscribe_address(feed_url)
    outlook = urlencode({"url": feed_url, "name": name}, quote_via=quote)
    hrefs = {
        "google": f"{GOOGLE_RENDER}?cid={quote(webcal, safe='')}",
        "outlook-com": f"{OUTLOOK_ADD.format(host='outlook.live.com')}?{outlook}",
        "microsoft-365": f"{OUTLOOK_ADD.format(host='outlook.office.com')}?{outlook}",
        "apple": webcal,
    }
    return [Link(client, label, hrefs[client], note) for client, label, note in CLIENTS]


def google_event_link(session: Session, language: str) -> str:
    """Link to Google Calendar's form for adding this one session as an event."""
    if session.start is None:
        end = session.date + timedelta(days=1)
        dates = f"{session.date:%Y%m%d}/{end:%Y%m%d}"
    else:
        span = timed_span(session)
        # Google reads local times in ctz by clock arithmetic; UTC instants are exact.
        dates = "/".join(f"{moment.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}" for moment in span)
    fields = {
        "action": "TEMPLATE",
        "text": session_summary(session, language),
        "dates": dates,
        "details": session_description(session, language),
    }
    location = session_location(session)
    if location:
        fields["location"] = location
    if session.timezone and session.start is not None:
        fields["ctz"] = session.timezone
    # Cut short, the description still ends with the session's own page, which has it all.
    ending = f"\n\n{session.url}" if session.url else ""
    link = _google_link(fields)
    for key, kept in (("details", ending), ("location", ""), ("text", "")):
        if len(link) <= MAX_GOOGLE_LINK:
            break
        if key in fields:
            fields[key] = _shortened(fields, key, kept)
            link = _google_link(fields)
    return link


def _google_link(fields: dict[str, str]) -> str:
    return f"{GOOGLE_RENDER}?{urlencode(fields, quote_via=quote)}"


def _shortened(fields: dict[str, str], key: str, ending: str) -> str:
    """Cut one field's text where the link fits, marked and followed by `ending`; at
    nothing but the mark if even that is too long."""
    text = fields[key].removesuffix(ending)

    def cut(length: int) -> str:
        return text[:length].rstrip() + CUT + ending

    shortest, longest = 0, len(text)  # the link fits cut at `shortest`, or nowhere
    while shortest < longest:
        middle = (shortest + longest + 1) // 2
        if len(_google_link({**fields, key: cut(middle)})) <= MAX_GOOGLE_LINK:
            shortest = middle
        else:
            longest = middle - 1
    return cut(shortest)


def _day(session: Session) -> date:
    return session.date


def _view(session: Session, language: str, download: str, anchor: str) -> SessionView:
    if session.start is None:
        starts, ends = session.date.isoformat(), (session.date + timedelta(days=1)).isoformat()
        machine_when = starts
    else:
        span = timed_span(session)
        starts, ends = (f"{moment.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%SZ}" for moment in span)
        # With its offset, the local time names one instant: the page's script shows it
        # in the visitor's zone too.
        machine_when = span[0].isoformat(timespec="minutes")
    return SessionView(
        anchor=anchor,
        week=session.week,
        title=session.title,
        presenter=session.presenter,
        when=_when(session, language),
        machine_when=machine_when,
        starts=starts,
        ends=ends,
        description=paragraphs(session.description),
        url=session.url,
        location=session.location,
        online=session.online,
        materials=session.materials,
        cancelled=session.cancelled,
        reason=session.reason,
        download=download,
        google=google_event_link(session, language),
    )


def _when(session: Session, language: str) -> str:
    """Say when a session is as the language writes a date, and a range of 24-hour times
    as the schedule gives them, in the zone it names."""
    # Formatted by Babel from CLDR, never by strftime, so the page never depends on the
    # machine's locale.
    locale = _locale(language)
    day = long_date(session.date, language)
    if session.start is None:
        return day
    span = timed_span(session)
    # Local clock times, without a zone for Babel to convert them to.
    start, end = (datetime.combine(moment.date(), moment.time()) for moment in span)
    if end - start < timedelta(days=1):
        hours = _hours(start.time(), end.time(), locale)
    else:  # a whole day by the clock: the end needs its day, CLDR has no such range
        on_next_day = locale.datetime_formats["medium"].format(
            format_skeleton("Hm", end, locale=locale), format_skeleton("MMMEd", end, locale=locale)
        )
        hours = locale.interval_formats[None].format(
            format_skeleton("Hm", start, locale=locale), on_next_day
        )
    joined = locale.datetime_formats["medium"].format(hours, day)
    return f"{joined} ({session.timezone})"


def long_date(day: date, language: str) -> str:
    """Write a date in full, weekday first, as the language does."""
    locale = _locale(language)
    return format_date(day, locale.date_formats["full"], locale=locale)


@cache
def _hours(start: time, end: time, locale: Locale) -> str:
    # Made once for each pair of times, which a weekly seminar repeats all term.
    return format_interval(start, end, "Hm", locale=locale)


@cache
def _locale(language: str) -> Locale:
    # Parsed once: Babel parses a locale given by name again in every call it makes.
    return Locale.parse(language)


def paragraphs(text: str | None) -> list[str]:
    """Split a description into its paragraphs: YAML's folded style joins wrapped lines,
    so a line break left in the text is the author's own."""
    return [part.strip() for part in (text or "").splitlines() if part.strip()]
