"""The subscribe page and the single-session files beside it."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, datetime, time, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

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
    """The parts of the page the tests look at: links, and text by element id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (text, href)
        self.text: list[str] = []
        self.tags: list[str] = []
        self._href: str | None = None
        self._label: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self._href, self._label = dict(attrs).get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((" ".join("".join(self._label).split()), self._href))
            self._href = None

    def handle_data(self, data: str) -> None:
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
    assert "Monday 6 July 2026" in text
    assert "Monday 24 August 2026" in text
    assert page.hrefs("Open session") == [s.url for s in schedule.sessions]
    assert page.hrefs("Add to calendar") == [f"sessions/week-{n}.ics" for n in range(1, 9)]
    assert len(page.hrefs("Add to Google Calendar")) == 8


def test_without_a_feed_url_the_page_offers_the_download_and_says_what_to_set() -> None:
    page = Page(shipped_site()["index.html"].decode())
    assert page.hrefs("Download the calendar") == ["2026-summer-diffusion.ics"]
    assert page.hrefs("Google Calendar") == []
    assert "calendar.feed_url" in " ".join(page.text)


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
    calendar = Calendar(**{**vars(schedule.calendar), "feed_url": "https://example.org/dm.ics"})
    html = "".join(
        render_page(
            Schedule(calendar, schedule.sessions),
            feed_file="dm.ics",
            session_files={s.key: f"sessions/{s.key}.ics" for s in schedule.sessions},
        )
    )
    page = Page(html)
    assert page.hrefs("Apple Calendar") == ["webcal://example.org/dm.ics"]
    assert page.hrefs("Google Calendar") == [
        "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fexample.org%2Fdm.ics"
    ]
    assert page.hrefs("download the file") == ["dm.ics"]
    assert 'value="https://example.org/dm.ics"' in html


def test_google_event_links_carry_the_session() -> None:
    timed = Session(week=2, key="week-2", date=date(2026, 3, 9), title="Flows, & more",
                    presenter="Kim", start=time(18, 30), duration=timedelta(minutes=90),
                    timezone="Europe/London", location="Room 1")  # fmt: skip
    fields = parse_qs(urlsplit(google_event_link(timed)).query)
    assert fields == {
        "action": ["TEMPLATE"],
        "text": ["Week 2: Flows, & more (Kim)"],
        "dates": ["20260309T183000/20260309T200000"],
        "details": ["Presenter: Kim"],
        "location": ["Room 1"],
        "ctz": ["Europe/London"],
    }
    all_day = Session(week=1, key="week-1", date=date(2026, 12, 31), title="Year end")
    assert parse_qs(urlsplit(google_event_link(all_day)).query)["dates"] == ["20261231/20270101"]


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
    html = render_page(schedule, feed_file="hostile.ics", session_files={"week-1": "s/w.ics"})
    page = Page("".join(html))
    assert "script" not in page.tags
    assert "img" not in page.tags
    assert "b" not in page.tags
    assert "<script>alert('name')</script>" in page.text
    assert all(href.startswith(("https://", "s/", "hostile.ics")) for _, href in page.links)
    assert page.hrefs("Open session") == ['https://example.org/?q="><script>alert(4)</script>']


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
