"""The subscribe page and the single-session files beside it."""

from __future__ import annotations

import re
import time as clock
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import babel.dates
import pytest

from seminar_feed.feed import render_feed
from seminar_feed.load import load_schedule, parse_schedule
from seminar_feed.model import Calendar, Material, Schedule, Session
from seminar_feed.page import google_event_link, render_page, subscribe_links
from seminar_feed.publish import site_files
from tools import html_errors, rasterise_svg, read_qr_codes

ROOT = Path(__file__).parent.parent
HYBRID = Path(__file__).parent / "cases" / "valid" / "hybrid.yaml"
STAMP = datetime(2026, 6, 1, tzinfo=timezone.utc)
BASE_TIMED = """\
calendar:
  id: demo
  name: Demo
  timezone: Asia/Seoul
sessions:
  - week: 1
    date: 2026-07-06
    title: One
    time: "{start}"
    duration: {length}
"""


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
    assert "Monday, July 6, 2026" in text
    assert "Monday, August 24, 2026" in text


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
    # The <time> names the instant too, for the script that shows it in the visitor's zone.
    assert '<time datetime="2026-07-06">' in html
    assert '<time datetime="2026-07-13T19:00+09:00">' in html
    assert "19:00\u2009\u2013\u200920:30 (Asia/Seoul)</time> · Room 101</p>" in html
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


def test_with_a_feed_url_the_page_shows_a_qr_code_that_subscribes() -> None:
    schedule = load_schedule(ROOT / "schedule.yaml")
    calendar = Calendar(**{**vars(schedule.calendar), "feed_url": "https://example.org/dm.ics"})
    html = "".join(
        render_page(
            Schedule(calendar, schedule.sessions),
            feed_file="dm.ics",
            session_files={s.key: f"sessions/{s.key}.ics" for s in schedule.sessions},
        )
    )
    (svg,) = re.findall(r"<svg.*?</svg>", html, re.S)
    assert read_qr_codes(rasterise_svg(svg.encode(), width=400)) == ["webcal://example.org/dm.ics"]


def test_without_a_feed_url_the_page_shows_no_qr_code() -> None:
    html = shipped_site()["index.html"].decode()
    assert "<svg" not in html
    assert "QR code" not in html


@pytest.mark.usefixtures("machine_in_new_york")
def test_google_event_links_carry_the_session() -> None:
    timed = Session(week=2, key="week-2", date=date(2026, 3, 9), title="Flows, & more",
                    presenter="Kim", start=time(18, 30), duration=timedelta(minutes=90),
                    timezone="Europe/London", location="Room 1")  # fmt: skip
    fields = parse_qs(urlsplit(google_event_link(timed, "en")).query)
    assert fields == {
        "action": ["TEMPLATE"],
        "text": ["Week 2: Flows, & more (Kim)"],
        "dates": ["20260309T183000Z/20260309T200000Z"],  # London is on GMT until 29 March
        "details": ["Presenter: Kim"],
        "location": ["Room 1"],
        "ctz": ["Europe/London"],
    }
    all_day = Session(week=1, key="week-1", date=date(2026, 12, 31), title="Year end")
    fields = parse_qs(urlsplit(google_event_link(all_day, "en")).query)
    assert fields["dates"] == ["20261231/20270101"]
    # A day is a day in every zone: Google is told no zone for it.
    in_seoul = Session(week=1, key="week-1", date=date(2026, 12, 31), title="Year end",
                       timezone="Asia/Seoul")  # fmt: skip
    assert "ctz" not in parse_qs(urlsplit(google_event_link(in_seoul, "en")).query)


def hybrid_page() -> str:
    schedule = load_schedule(HYBRID)
    files = {session.key: f"sessions/{session.key}.ics" for session in schedule.sessions}
    return "".join(render_page(schedule, feed_file="hybrid-demo.ics", session_files=files))


def test_a_session_with_a_video_call_has_a_join_link_and_its_materials() -> None:
    page = Page(hybrid_page())
    week_1 = [(label, href) for label, href in page.links if "week 1" in label]
    assert week_1[1:5] == [
        ("Join week 1 online ↗ (another site)", "https://meet.example.org/reading-group?pwd=AbC123"),
        ("Slides for week 1 ↗ (another site)", "https://example.org/week-1/slides.pdf"),
        ("Notes: proofs, with errata for week 1 ↗ (another site)",
         "https://example.org/week-1/notes.html#errata"),
        ("Recording for week 1 ↗ (another site)", "http://video.example.org/v/12345"),
    ]  # fmt: skip
    text = " ".join(" ".join(page.text).split())
    # The text is read with its spaces, thin ones around the dash too, made plain.
    meta = (
        "Ada Lovelace · Monday, September 7, 2026, 19:00 \u2013 20:00 (Asia/Seoul)"
        " · Room 101 · Join"
    )
    assert meta in text
    assert "Materials: Slides for week 1" in text
    assert page.hrefs("Join week 2 online") == ["https://other.example.org/j/987654321"]
    assert page.hrefs("Join week 3") == []  # online: none
    assert page.hrefs("Join week 4") == []  # cancelled


def test_google_event_links_put_the_call_where_there_is_no_room() -> None:
    online = Session(week=2, key="week-2", date=date(2026, 3, 9), title="Flows",
                     online="https://example.org/meet")  # fmt: skip
    fields = parse_qs(urlsplit(google_event_link(online, "en")).query)
    assert fields["location"] == ["https://example.org/meet"]
    assert fields["details"] == ["Join online: https://example.org/meet"]


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
    url: "https://example.org/?q='onmouseover='alert(4)'&x=1"
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
        "https://example.org/?q='onmouseover='alert(4)'&x=1"
    ]


# Every shape of URL the loader takes, each in every place a page shows one.
URL_SHAPES = [
    "HTTPS://Example.org/a%20b?q=1&r=(2);s=3,4*5+6!$'@:~_.-#top",
    "http://127.0.0.1:8080/",
    "https://[::1]:65535/x",
    "https://xn--bcher-kva.example./",
    "https://e.org?q",
    "https://e.org#f",
    "https://e.org",
]


def url_shapes_page() -> str:
    sessions = "".join(
        f"""\
  - week: {week}
    date: 2026-07-{5 + week:02}
    title: Shape {week}
    url: "{url}"
    online: "{url.replace("http://", "https://")}"
    materials: [{{title: "{url}", url: "{url}"}}]
"""
        for week, url in enumerate(URL_SHAPES, start=1)
    )
    text = f"""\
calendar:
  id: shapes
  name: Shapes
  url: "{URL_SHAPES[0]}"
  feed_url: "HTTPS://e.org:8443/a;b/%7Eme/shapes.ics?x=1#y"
sessions:
{sessions}"""
    schedule = parse_schedule(text.encode(), source="s.yaml")
    files = {s.key: f"sessions/{s.key}.ics" for s in schedule.sessions}
    return "".join(render_page(schedule, feed_file="shapes.ics", session_files=files))


@pytest.mark.slow
def test_the_nu_html_checker_finds_no_errors(tmp_path: Path) -> None:
    schedule = load_schedule(ROOT / "schedule.yaml")

    def page_with(**calendar: str) -> bytes:
        changed = Calendar(**{**vars(schedule.calendar), **calendar})
        files = {s.key: f"sessions/{s.key}.ics" for s in schedule.sessions}
        page = render_page(Schedule(changed, schedule.sessions), feed_file="dm.ics",
                           session_files=files)  # fmt: skip
        return "".join(page).encode()

    pages = {
        "korean.html": page_with(language="ko"),
        "plain.html": shipped_site()["index.html"],
        "subscribe.html": page_with(feed_url="https://example.org/dm.ics"),
        "hybrid.html": hybrid_page().encode(),
        "urls.html": url_shapes_page().encode(),
    }
    for name, data in pages.items():
        (tmp_path / name).write_bytes(data)
    assert html_errors(sorted(tmp_path.iterdir())) == []


@pytest.mark.parametrize(
    ("language", "hours", "whole_day"),
    [
        ("en", "Monday, July 6, 2026, 23:00\u2009\u2013\u200901:00 (Asia/Seoul)",
         "Monday, July 6, 2026, 00:00\u2009\u2013\u2009Tue, Jul 7, 00:00 (Asia/Seoul)"),
        ("ko", "2026년 7월 6일 월요일 23:00 ~ 01:00 (Asia/Seoul)",
         "2026년 7월 6일 월요일 00:00 ~ 7월 7일 (화) 00:00 (Asia/Seoul)"),
    ],
)  # fmt: skip
def test_times_past_midnight_and_a_whole_day_are_said_in_the_language(
    language: str, hours: str, whole_day: str
) -> None:
    def when(start: time, duration: timedelta) -> str:
        session = Session(week=1, key="week-1", date=date(2026, 7, 6), title="T",
                          start=start, duration=duration, timezone="Asia/Seoul")  # fmt: skip
        calendar = Calendar(id="c", name="C", timezone="Asia/Seoul", language=language)
        html = "".join(render_page(Schedule(calendar, (session,)), feed_file="c.ics",
                                   session_files={"week-1": "s.ics"}))  # fmt: skip
        found = re.search(r"<time datetime=[^>]*>([^<]*)</time>", html)
        assert found is not None
        return found.group(1)

    assert when(time(23, 0), timedelta(hours=2)) == hours
    assert when(time(0, 0), timedelta(hours=24)) == whole_day


def test_an_online_session_in_a_calendar_with_a_room_has_its_call_as_its_place() -> None:
    text = """\
calendar:
  id: demo
  name: Demo
  location: Room 101
  online: https://example.org/meet
sessions:
  - week: 1
    date: 2026-07-06
    title: One
    location: none
"""
    schedule = parse_schedule(text.encode(), source="s.yaml")
    feed = render_feed(schedule, stamp=STAMP).ics.decode()
    assert "LOCATION:https://example.org/meet\r\n" in feed
    assert "none" not in feed
    fields = parse_qs(urlsplit(google_event_link(schedule.sessions[0], "en")).query)
    assert fields["location"] == ["https://example.org/meet"]


def test_a_session_ending_two_days_later_names_the_day() -> None:
    # 23:30 on the eve of New York's spring change, for 24 hours of elapsed time.
    text = BASE_TIMED.format(start="23:30", length="24h").replace(
        "2026-07-06", "2026-03-07").replace("Asia/Seoul", "America/New_York")  # fmt: skip
    schedule = parse_schedule(text.encode(), source="s.yaml")
    html = "".join(render_page(schedule, feed_file="d.ics", session_files={"week-1": "w.ics"}))
    assert (
        "Saturday, March 7, 2026, 23:30\u2009\u2013\u2009Mon, Mar 9, 00:30"
        " (America/New_York)</time>"
    ) in html


def test_the_google_link_of_a_long_session_is_cut_to_a_length_browsers_take() -> None:
    description = "Read the chapter. " * 500  # 9,000 characters
    materials = tuple(Material(f"Part {n}", f"https://example.org/part-{n}.pdf")
                      for n in range(1, 101))  # fmt: skip
    session = Session(week=1, key="week-1", date=date(2026, 7, 6), title="Long",
                      description=description, materials=materials,
                      url="https://example.org/week-1/")  # fmt: skip
    link = google_event_link(session, "en")
    assert 7_000 < len(link) <= 8_000
    (details,) = parse_qs(urlsplit(link).query)["details"]
    assert details.startswith("Read the chapter. Read the chapter.")
    assert details.endswith("…\n\nhttps://example.org/week-1/")
    assert parse_qs(urlsplit(link).query)["text"] == ["Week 1: Long"]


GOOGLE = "https://calendar.google.com/calendar/render?"
WEEK_1 = "https://example.org/week-1/"


def long_sessions_link(details: str) -> str:
    """The link to add an all-day "Long" on 6 July 2026, as Google's form reads it."""
    fields = {"action": "TEMPLATE", "text": "Week 1: Long", "dates": "20260706/20260707",
              "details": details}  # fmt: skip
    return GOOGLE + urlencode(fields, quote_via=quote)


@pytest.mark.parametrize(
    "description",
    [
        "ab " * 3_000,
        # Over by two characters once whole, the cut lands inside the session's own link.
        "a" * (8_002 - len(long_sessions_link(f"\n\n{WEEK_1}"))),
        "a" + " " * 9_000,  # the blanks before the mark go too
    ],
    ids=["far-over", "just-over", "trailing-blanks"],
)
def test_the_google_link_keeps_as_much_of_the_description_as_fits(description: str) -> None:
    session = Session(week=1, key="week-1", date=date(2026, 7, 6), title="Long",
                      description=description, url=WEEK_1)  # fmt: skip
    assert len(long_sessions_link(f"{description}\n\n{WEEK_1}")) > 8_000
    kept = len(description)
    while len(long_sessions_link(f"{description[:kept].rstrip()}…\n\n{WEEK_1}")) > 8_000:
        kept -= 1
    expected = long_sessions_link(f"{description[:kept].rstrip()}…\n\n{WEEK_1}")
    assert google_event_link(session, "en") == expected


def test_a_google_link_of_exactly_the_longest_length_is_left_whole() -> None:
    description = "a" * (8_000 - len(long_sessions_link(f"\n\n{WEEK_1}")))
    session = Session(week=1, key="week-1", date=date(2026, 7, 6), title="Long",
                      description=description, url=WEEK_1)  # fmt: skip
    link = google_event_link(session, "en")
    assert link == long_sessions_link(f"{description}\n\n{WEEK_1}")
    assert len(link) == 8_000


def test_a_page_without_assets_finds_its_icon_beside_it() -> None:
    schedule = load_schedule(ROOT / "schedule.yaml")
    html = "".join(render_page(schedule, feed_file="dm.ics", session_files={}))
    assert '<link rel="icon" href="favicon.svg" type="image/svg+xml">' in html


def test_the_page_writes_times_in_its_language_whatever_the_machines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Finnish writes 19.00: a time formatted in the machine's locale would show it.
    monkeypatch.setattr(babel.dates, "LC_TIME", "fi_FI")
    session = Session(week=1, key="week-1", date=date(2026, 7, 6), title="T", start=time(19, 0),
                      duration=timedelta(hours=24), timezone="Asia/Seoul")  # fmt: skip
    calendar = Calendar(id="c", name="C", timezone="Asia/Seoul")
    html = "".join(render_page(Schedule(calendar, (session,)), feed_file="c.ics",
                               session_files={"week-1": "s.ics"}))  # fmt: skip
    assert "Monday, July 6, 2026, 19:00\u2009\u2013\u2009Tue, Jul 7, 19:00 (Asia/Seoul)" in html


def test_the_google_link_fits_even_with_every_field_at_its_longest() -> None:
    wide = "\U0001f600" * 300  # a one-line field's limit, 12 characters each in a link
    session = Session(week=1, key="week-1", date=date(2026, 7, 6), title=wide, presenter=wide,
                      location=wide, description="x" * 10_000,
                      url="https://example.org/" + "a" * 1980)  # fmt: skip
    link = google_event_link(session, "en")
    assert len(link) <= 8_000
    fields = parse_qs(urlsplit(link).query)
    assert fields["details"] == ["…\n\nhttps://example.org/" + "a" * 1980]  # nothing more fits
    assert fields["location"] == ["…"]  # then the place
    assert fields["text"][0].startswith("Week 1: \U0001f600")  # and last the title
    assert fields["text"][0].endswith("\U0001f600…")


def test_a_long_sessions_google_link_without_a_page_ends_at_the_mark() -> None:
    description = "ab " * 3_000
    session = Session(week=1, key="week-1", date=date(2026, 7, 6), title="Long",
                      description=description)  # fmt: skip
    (details,) = parse_qs(urlsplit(google_event_link(session, "en")).query)["details"]
    assert details.endswith("ab…")
    assert description.startswith(details.removesuffix("…"))


def test_a_short_sessions_google_link_is_whole() -> None:
    session = Session(week=1, key="week-1", date=date(2026, 7, 6), title="Short",
                      description="Read chapter 1.", url="https://example.org/week-1/")  # fmt: skip
    (details,) = parse_qs(urlsplit(google_event_link(session, "en")).query)["details"]
    assert details == "Read chapter 1.\n\nhttps://example.org/week-1/"
