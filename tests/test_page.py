"""The subscribe page and the single-session files beside it."""

from __future__ import annotations

import json
import shutil
import subprocess
import time as clock
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from seminar_feed.feed import render_feed
from seminar_feed.load import load_schedule, parse_schedule
from seminar_feed.model import Calendar, Schedule, Session
from seminar_feed.page import google_event_link, render_page, subscribe_links
from seminar_feed.publish import site_files
from tools import NODE_TOOLS, require

ROOT = Path(__file__).parent.parent
STAMP = datetime(2026, 6, 1, tzinfo=timezone.utc)
VNU = NODE_TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


class Page(HTMLParser):
    """The parts of the page the tests look at: links, and the text people read."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (text, href)
        self.text: list[str] = []
        self.tags: list[str] = []
        self._href: str | None = None
        self._label: list[str] = []
        self._code = False  # inside a script or a style sheet
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._code = tag in ("script", "style")
        if tag == "a":
            self._href, self._label = dict(attrs).get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        self._code = False
        if tag == "a" and self._href is not None:
            self.links.append((" ".join("".join(self._label).split()), self._href))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._code:
            return
        self.text.append(data)
        if self._href is not None:
            self._label.append(data)

    def hrefs(self, text: str) -> list[str]:
        return [href for label, href in self.links if label.startswith(text)]


def shipped_site() -> dict[str, bytes]:
    schedule = load_schedule(ROOT / "schedule.yaml")
    feed = render_feed(schedule, stamp=STAMP)
    files = site_files(schedule, feed, feed_name="2026-summer-diffusion.ics")
    return {name: b"".join(content()) for name, content in files.items()}


def test_the_page_shows_every_session_of_the_seminar() -> None:
    page = Page(shipped_site()["index.html"].decode())
    text = " ".join(" ".join(page.text).split())
    schedule = load_schedule(ROOT / "schedule.yaml")
    for session in schedule.sessions:
        assert f"Week {session.week}" in text
        assert session.title in text
        assert session.presenter is not None
        assert session.presenter in text
        assert session.url is not None
        n = session.week
        assert page.hrefs(session.title) == [session.url]
        assert page.hrefs(f"Add week {n} to Google Calendar ↗ (another site)") != []
        assert page.hrefs(f"Download week {n} as an .ics file") == [f"sessions/week-{n}.ics"]
    assert "Monday 6 July 2026" in text
    assert "Monday 24 August 2026" in text


def test_only_the_whole_seminars_actions_are_buttons() -> None:
    html = shipped_site()["index.html"].decode()
    buttons = [line for line in html.splitlines() if 'class="button' in line]
    assert len(buttons) == 5  # four calendar programs and the download
    assert "download>Download the whole seminar (.ics)</a>" in buttons[-1]


@pytest.fixture
def machine_in_new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's own zone, which no instant on the page may depend on."""
    monkeypatch.setenv("TZ", "America/New_York")
    clock.tzset()
    yield
    monkeypatch.undo()
    clock.tzset()


@pytest.mark.usefixtures("machine_in_new_york")
def test_each_session_says_when_it_begins_and_ends_for_the_pages_script() -> None:
    text = """\
calendar:
  id: demo
  name: Demo
  timezone: Asia/Seoul
sessions:
  - week: 1
    date: 2026-07-06
    title: All day
  - week: 2
    date: 2026-07-13
    title: Evening
    time: "19:00"
    duration: 1h30m
    location: Room 101
"""
    schedule = parse_schedule(text.encode(), source="s.yaml")
    html = "".join(render_page(schedule, feed_file="demo.ics", session_files={
        "week-1": "sessions/week-1.ics", "week-2": "sessions/week-2.ics"
    }))  # fmt: skip
    assert 'data-starts="2026-07-06" data-ends="2026-07-07"' in html
    # 19:00 in Seoul is 10:00 UTC.
    assert 'data-starts="2026-07-13T10:00:00Z" data-ends="2026-07-13T11:30:00Z"' in html
    assert "19:00–20:30 (Asia/Seoul)</time> · Room 101</p>" in html  # noqa: RUF001 (an en dash)
    assert '<time datetime="2026-07-06">' in html
    assert '<time datetime="2026-07-13T19:00">' in html
    first = html.split('<li id="week-1"', 1)[1].split("</li>", 1)[0]
    assert "<p>" not in first, "a session without a description has no paragraphs"


def test_removed_sessions_take_their_places_by_date() -> None:
    kept = Session(week=2, key="week-2", date=date(2026, 7, 13), title="Kept")
    late = Session(week=1, key="week-1", date=date(2026, 7, 20), title="Late", cancelled=True)
    early = Session(week=3, key="week-3", date=date(2026, 7, 6), title="Early", cancelled=True)
    schedule = load_schedule(ROOT / "schedule.yaml")
    html = "".join(
        render_page(
            Schedule(schedule.calendar, (kept,)),
            feed_file="demo.ics",
            session_files={"week-2": "sessions/week-2.ics"},
            removed=[late, early],
        )
    )
    anchors = [part.split('"', 1)[0] for part in html.split('<li id="')[1:]]
    assert anchors == ["removed-week-3", "week-2", "removed-week-1"]


def test_the_site_has_a_favicon_of_its_own() -> None:
    files = shipped_site()
    assert files["favicon.svg"].startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
    assert files["favicon.ico"].startswith(b"\x00\x00\x01\x00\x01\x00")  # an icon, one image
    assert (
        '<link rel="icon" href="favicon.svg" type="image/svg+xml">' in files["index.html"].decode()
    )


def test_without_a_feed_url_the_page_offers_the_download_and_plain_instructions() -> None:
    html = shipped_site()["index.html"].decode()
    page = Page(html)
    text = " ".join(" ".join(page.text).split())
    assert page.hrefs("Download the whole seminar (.ics)") == ["2026-summer-diffusion.ics"]
    assert "Copy link address" in text
    assert "New Calendar Subscription" in text
    # The page's script fills in the buttons from where it is served; until then they
    # are hidden, and nothing speaks to the organiser.
    assert 'data-feed="2026-summer-diffusion.ics"' in html
    assert html.count('<li data-client="') == html.count('hidden><a class="button"') == 4
    assert "feed_url" not in text


def test_subscribe_links_use_each_clients_own_url_form() -> None:
    links = {link.label: link.href for link in subscribe_links(
        "Diffusion Seminar", "https://example.org/feeds/dm 2026.ics"
    )}  # fmt: skip
    assert links == {
        "Google Calendar": "https://calendar.google.com/calendar/render?cid="
        "webcal%3A%2F%2Fexample.org%2Ffeeds%2Fdm%202026.ics",
        "Outlook.com": "https://outlook.live.com/calendar/0/addfromweb?"
        "url=https%3A%2F%2Fexample.org%2Ffeeds%2Fdm%202026.ics&name=Diffusion%20Seminar",
        "Microsoft 365": "https://outlook.office.com/calendar/0/addfromweb?"
        "url=https%3A%2F%2Fexample.org%2Ffeeds%2Fdm%202026.ics&name=Diffusion%20Seminar",
        "Apple Calendar": "webcal://example.org/feeds/dm 2026.ics",
    }


def test_with_a_feed_url_the_page_has_subscribe_buttons() -> None:
    schedule = load_schedule(ROOT / "schedule.yaml")
    feed_url = "https://example.org/2026-summer-diffusion.ics"
    calendar = Calendar(**{**vars(schedule.calendar), "feed_url": feed_url})
    html = "".join(
        render_page(
            Schedule(calendar, schedule.sessions),
            feed_file="2026-summer-diffusion.ics",
            session_files={s.key: f"sessions/{s.key}.ics" for s in schedule.sessions},
        )
    )
    page = Page(html)
    assert page.hrefs("Subscribe in Apple Calendar") == [
        "webcal://example.org/2026-summer-diffusion.ics"
    ]
    assert page.hrefs("Subscribe in Google Calendar ↗ (another site)") == [
        "https://calendar.google.com/calendar/render?cid="
        "webcal%3A%2F%2Fexample.org%2F2026-summer-diffusion.ics"
    ]
    outlook = "url=https%3A%2F%2Fexample.org%2F2026-summer-diffusion.ics&name=Diffusion%20Seminar"
    assert page.hrefs("Subscribe in Outlook.com ↗ (another site)") == [
        f"https://outlook.live.com/calendar/0/addfromweb?{outlook}"
    ]
    assert page.hrefs("Download the whole seminar") == ["2026-summer-diffusion.ics"]
    for client, note in [
        ("google", "Any Google account."),
        ("outlook-com", "Personal Microsoft accounts."),
        ("microsoft-365", "Work and school accounts."),
        ("apple", "Mac, iPhone and iPad."),
    ]:
        item = html.split(f'<li data-client="{client}">', 1)[1].split("</li>", 1)[0]
        assert f'<span class="note">{note}</span>' in item
    assert f'value="{feed_url}"' in html
    assert "data-feed=" not in html
    assert " hidden>" not in html.split('id="subscribe"')[1].split("</section>")[0]


@pytest.mark.usefixtures("machine_in_new_york")
def test_google_event_links_carry_the_session() -> None:
    timed = Session(week=2, key="week-2", date=date(2026, 3, 9), title="Flows, & more",
                    presenter="Kim", start=time(18, 30), duration=timedelta(minutes=90),
                    timezone="Europe/London", location="Room 1")  # fmt: skip
    fields = parse_qs(urlsplit(google_event_link(timed)).query)
    assert fields == {
        "action": ["TEMPLATE"],
        "text": ["Week 2: Flows, & more (Kim)"],
        "dates": ["20260309T183000Z/20260309T200000Z"],  # London is on GMT until 29 March
        "details": ["Presenter: Kim"],
        "location": ["Room 1"],
        "ctz": ["Europe/London"],
    }
    all_day = Session(week=1, key="week-1", date=date(2026, 12, 31), title="Year end")
    assert parse_qs(urlsplit(google_event_link(all_day)).query)["dates"] == ["20261231/20270101"]
    # A day is a day in every zone: Google is told no zone for it.
    in_seoul = Session(week=1, key="week-1", date=date(2026, 12, 31), title="Year end",
                       timezone="Asia/Seoul")  # fmt: skip
    assert "ctz" not in parse_qs(urlsplit(google_event_link(in_seoul)).query)


def test_each_session_file_holds_the_feeds_event_alone() -> None:
    files = shipped_site()
    feed = files["2026-summer-diffusion.ics"].decode()
    for week in range(1, 9):
        single = files[f"sessions/week-{week}.ics"].decode()
        event = single[single.index("BEGIN:VEVENT") : single.index("END:VEVENT")]
        assert event in feed
        assert single.count("BEGIN:VEVENT") == 1
        assert f"UID:week-{week}.2026-summer-diffusion@seminar-feed" in event
        assert "X-WR-CALNAME" not in single


def test_hostile_text_stays_text_on_the_page() -> None:
    text = """\
calendar:
  id: hostile
  name: "<script>alert('name')</script>"
  description: "</p><img src=x onerror=alert(1)>"
sessions:
  - week: 1
    date: 2026-07-06
    title: "<b>bold</b> \\" onmouseover=\\"alert(2)"
    presenter: "javascript:alert(3)"
    url: "https://example.org/?q=\\"><script>alert(4)</script>"
"""
    schedule = parse_schedule(text.encode(), source="s.yaml")
    html = "".join(
        render_page(schedule, feed_file="hostile.ics", session_files={"week-1": "s/w.ics"})
    )
    page = Page(html)
    assert page.tags.count("script") == 1  # the page's own
    assert "img" not in page.tags
    assert "b" not in page.tags
    assert "<script>alert('name')</script>" in page.text
    assert all(
        href.startswith(("https://", "s/", "hostile.ics", "#sessions")) for _, href in page.links
    )
    assert page.hrefs('<b>bold</b> " onmouseover="alert(2)') == [
        'https://example.org/?q="><script>alert(4)</script>'
    ]


@pytest.mark.slow
def test_the_nu_html_checker_finds_no_errors(tmp_path: Path) -> None:
    java = shutil.which("java")
    require(java is not None and VNU.is_file(), "the Nu Html Checker", "java, and npm ci")
    assert java is not None
    schedule = load_schedule(ROOT / "schedule.yaml")
    calendar = Calendar(**{**vars(schedule.calendar), "feed_url": "https://example.org/dm.ics"})
    pages = {
        "plain.html": shipped_site()["index.html"],
        "subscribe.html": "".join(
            render_page(
                Schedule(calendar, schedule.sessions),
                feed_file="dm.ics",
                session_files={s.key: f"sessions/{s.key}.ics" for s in schedule.sessions},
            )
        ).encode(),
    }
    for name, data in pages.items():
        (tmp_path / name).write_bytes(data)
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", *map(str, sorted(tmp_path.iterdir()))],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    assert [m for m in messages if m["type"] == "error"] == []
