"""The page in a real browser: headless Chromium, driven through Selenium, loading the
published folder from the preview server, below a sub-path as GitHub Pages serves a
project site."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import urlopen
from zoneinfo import ZoneInfo

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

from seminar_feed.feed import render_feed
from seminar_feed.group_build import load_folder, render_group, write_group
from seminar_feed.load import parse_schedule
from seminar_feed.previous import PublishedFeed, read_previous_feed
from seminar_feed.publish import site_files, write_site
from seminar_feed.serve import make_server
from tools import NODE_TOOLS, read_qr_codes, require

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
AXE = NODE_TOOLS / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or shutil.which("google-chrome")
CHROMEDRIVER = shutil.which("chromedriver")
OPENSSL = shutil.which("openssl")
SHIPPED = "seminars/2026-summer-diffusion/"  # the shipped schedule, no calendar.feed_url
FIXED = "fixed/"  # the shipped schedule with a feed_url
FEATURES = "features/"  # every feature the page has
KOREAN = "korean/"  # the shipped schedule with a feed_url, in Korean
FEATURES_KOREAN = "features-korean/"  # every feature, in Korean
HUB = "lab/"  # a group of three series: one past, one running, one to come on SUNDAY
HUB_FIXED = "lab-fixed/"  # the same, saying where it is served
FEED_URL = "https://example.org/feeds/2026-summer-diffusion.ics"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The visitor's clock for views that show past and next sessions: Sunday 19 July 2026,
# noon in Seoul, the day before week 3.
SUNDAY = "2026-07-19T12:00:00+09:00"
BEFORE = "2026-06-01T09:00:00+09:00"  # before the first session: nothing is past yet
# Headless, runnable as root in CI, and quiet: no background calls home offline. The
# https server's certificate is made by the test and trusted by no one.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--ignore-certificate-errors",
)
FEATURES_SCHEDULE = """\
calendar:
  id: features
  name: Every Feature Seminar
  description: >-
    A schedule with every field the page shows: times in a zone, a place, a
    video call, materials, a cancelled session with its reason, sessions with
    and without a presenter or a link, and descriptions long enough to wrap
    many times on a phone.

    A second paragraph, written on a line of its own.
  url: https://example.org/seminar/
  feed_url: https://example.org/features/features.ics
  timezone: Asia/Seoul
  location: Room 101, Building 302
  reminders: [1d, 30m]
sessions:
  - week: 1
    date: 2026-07-06
    title: "Timed, with a very long title that wraps: Score-Based Generative Modeling \
through Stochastic Differential Equations"
    presenter: Ada Lovelace
    time: "19:00"
    duration: 1h30m
    description: >-
      Supercalifragilisticexpialidociouslylongwordsthatmustwrap and a long
      description that runs on for several lines, describing the chapter, the
      exercises and what to read before the meeting, with a second sentence for
      good measure and a third that makes it longer still.

      Bring a laptop.
    url: https://example.org/seminar/week-1/
    online: https://meet.example.org/features-week-1
    materials:
      - title: Slides
        url: https://example.org/seminar/week-1/slides.pdf
      - title: Notes
        url: https://example.org/seminar/week-1/notes.html
      - title: Recording
        url: https://video.example.org/features-week-1
  - week: 2
    date: 2026-07-13
    title: Cancelled, with a reason
    presenter: Grace Hopper
    cancelled: true
    reason: The room is closed for the holiday.
  - week: 3
    date: 2026-07-20
    title: All day, with no presenter and no link
  - week: 4
    date: 2026-07-27
    title: Timed, on the day before in UTC
    presenter: Alan Turing
    time: "08:30"
    duration: 2h
    online: https://meet.example.org/features-week-4
    url: https://example.org/seminar/week-4/
    materials:
      # A link pasted as its own title: one word far wider than a phone.
      - title: https://example.org/seminar/week-4/the-chapter-notes-with-every-proof-written-out-in-full.pdf
        url: https://example.org/seminar/week-4/the-chapter-notes-with-every-proof-written-out-in-full.pdf
"""


# Published once, then removed from the schedule: the feed keeps it, cancelled.
REMOVED_WEEK = """\
  - week: 5
    date: 2026-08-03
    title: Removed after it was published
    presenter: Katherine Johnson
"""


def build(folder: Path, schedule_text: str, previous: PublishedFeed | None = None) -> None:
    schedule = parse_schedule(schedule_text.encode(), source="schedule.yaml")
    stamp = datetime(2026, 6, 1, tzinfo=timezone.utc)
    feed = render_feed(schedule, stamp=stamp, previous=previous)
    name = f"{schedule.calendar.id}.ics"
    write_site(folder, site_files(schedule, feed, feed_name=name), feed_name=name)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    shipped = (ROOT / "schedule.yaml").read_text(encoding="utf-8")
    url_line = "  url: https://snuuq.github.io/seminars/2026-summer-diffusion/\n"
    build(root / SHIPPED, shipped)
    build(root / FIXED, shipped.replace(url_line, f"{url_line}  feed_url: {FEED_URL}\n"))
    korean = f"{url_line}  feed_url: {FEED_URL}\n  language: ko\n"
    build(root / KOREAN, shipped.replace(url_line, korean))
    build(root / FEATURES, FEATURES_SCHEDULE + REMOVED_WEEK)
    published = root / FEATURES / "features.ics"
    previous = read_previous_feed(published.read_bytes(), source="f", calendar="features")
    build(root / FEATURES, FEATURES_SCHEDULE, previous)
    korean_features = FEATURES_SCHEDULE.replace("  reminders:", "  language: ko\n  reminders:")
    build(root / FEATURES_KOREAN, korean_features)
    return root


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """Serve the folder over plain http, as the preview does."""
    http = make_server(site, "127.0.0.1", 0)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{http.server_port}/"
    http.shutdown()
    http.server_close()


@pytest.fixture(scope="module")
def secure_server(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the folder over https, as a static host does."""
    require(OPENSSL is not None, "openssl", "apt-get install openssl")
    assert OPENSSL is not None
    keys = tmp_path_factory.mktemp("keys")
    key, certificate = keys / "key.pem", keys / "cert.pem"
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    https = make_server(site, "127.0.0.1", 0)
    https.socket = context.wrap_socket(https.socket, server_side=True)
    threading.Thread(target=https.serve_forever, daemon=True).start()
    yield f"https://localhost:{https.server_port}/"
    https.shutdown()
    https.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    installed = CHROMIUM is not None and CHROMEDRIVER is not None
    require(installed, "Chromium", "apt-get install chromium chromium-driver")
    assert CHROMIUM is not None
    assert CHROMEDRIVER is not None
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in CHROMIUM_FLAGS:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Asia/Seoul"})
    yield driver
    driver.quit()


def visit(
    browser: webdriver.Chrome,
    url: str,
    *,
    width: str = "desktop",
    scheme: str = "light",
    clock: str | None = None,
    script: bool = True,
) -> None:
    """Load the page as a visitor whose screen, colour scheme and clock are given."""
    browser.set_window_size(*WIDTHS[width])
    scheme_query = {"name": "prefers-color-scheme", "value": scheme}
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [scheme_query]})
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": not script})
    added = None
    if clock is not None:
        # Every `new Date()` and `Date.now()` on the page says `clock`.
        fixed_clock = f"""(() => {{
            const fixed = Date.parse("{clock}");
            class FixedDate extends Date {{
                constructor(...given) {{ given.length ? super(...given) : super(fixed); }}
                static now() {{ return fixed; }}
            }}
            globalThis.Date = FixedDate;
        }})();"""
        added = browser.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": fixed_clock}
        )["identifier"]
    browser.get_log("performance")  # forget earlier pages' requests
    try:
        browser.get(url)
    finally:
        if added is not None:
            browser.execute_cdp_cmd(
                "Page.removeScriptToEvaluateOnNewDocument", {"identifier": added}
            )
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def requests(browser: webdriver.Chrome) -> list[tuple[str, str]]:
    """Give (address, how it ended) for every request since the last look: the status
    of the answer, or the error that stopped it."""
    seen = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.responseReceived":
            seen.append((params["response"]["url"], str(params["response"]["status"])))
        elif message["method"] == "Network.loadingFailed":
            seen.append((params.get("type", ""), params["errorText"]))
    return seen


def failed_requests(browser: webdriver.Chrome) -> list[tuple[str, str]]:
    return [(url, ending) for url, ending in requests(browser) if not ending.startswith(("2", "3"))]


def names(browser: webdriver.Chrome) -> dict[str, list[str]]:
    """Each link's accessible name, as assistive technology reads it, and its targets."""
    found: dict[str, list[str]] = {}
    for anchor in browser.find_elements(By.TAG_NAME, "a"):
        if anchor.is_displayed() or anchor.get_attribute("class") == "skip":
            found.setdefault(anchor.accessible_name, []).append(anchor.get_attribute("href") or "")
    return found


def session(browser: webdriver.Chrome, week: int) -> WebElement:
    return browser.find_element(By.ID, f"week-{week}")


def test_the_page_shows_every_session_and_the_feed_urls_subscribe_links(
    browser: webdriver.Chrome, server: str
) -> None:
    visit(browser, server + FIXED, clock=BEFORE)
    assert browser.title == "Diffusion Seminar"
    sessions = browser.find_elements(By.CSS_SELECTOR, "ol.sessions > li")
    titles = [item.find_element(By.TAG_NAME, "h3").text.split("\n")[0] for item in sessions]
    assert titles[::7] == [
        "Variational Perspective: From VAEs to DDPMs",
        "Distillation-Based Methods & Learning Fast Generators from Scratch",
    ]
    assert len(sessions) == 8
    found = names(browser)
    assert found["Subscribe in Google Calendar (another site) Any Google account."] == [
        "https://calendar.google.com/calendar/render?cid="
        "webcal%3A%2F%2Fexample.org%2Ffeeds%2F2026-summer-diffusion.ics"
    ]
    outlook = (
        "url=https%3A%2F%2Fexample.org%2Ffeeds%2F2026-summer-diffusion.ics&name=Diffusion%20Seminar"
    )
    assert found["Subscribe in Outlook.com (another site) Personal Microsoft accounts."] == [
        f"https://outlook.live.com/calendar/0/addfromweb?{outlook}"
    ]
    assert found["Subscribe in Microsoft 365 (another site) Work and school accounts."] == [
        f"https://outlook.office.com/calendar/0/addfromweb?{outlook}"
    ]
    assert found["Subscribe in Apple Calendar Mac, iPhone and iPad."] == [
        "webcal://example.org/feeds/2026-summer-diffusion.ics"
    ]
    assert found["Download the whole seminar (.ics)"] == [
        f"{server}{FIXED}2026-summer-diffusion.ics"
    ]
    for week in range(1, 9):
        assert found[f"Download week {week} as an .ics file"] == [
            f"{server}{FIXED}sessions/week-{week}.ics"
        ]
        (google,) = found[f"Add week {week} to Google Calendar (another site)"]
        assert google.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&")
    field = browser.find_element(By.ID, "feed-url")
    assert field.get_attribute("value") == FEED_URL


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_qr_code_on_the_page_reads_as_the_feeds_subscribe_address(
    browser: webdriver.Chrome, server: str, scheme: str
) -> None:
    visit(browser, server + FIXED, width="phone", scheme=scheme)
    code = browser.find_element(By.CLASS_NAME, "qr-code")
    assert code.accessible_name == "QR code that subscribes to the calendar"
    assert read_qr_codes(code.screenshot_as_png) == [
        "webcal://example.org/feeds/2026-summer-diffusion.ics"
    ]
    visit(browser, server + SHIPPED)  # where the feed is found only in the browser: no code
    assert browser.find_elements(By.CLASS_NAME, "qr-code") == []


def test_every_link_says_what_and_which_and_whether_it_leaves_the_site(
    browser: webdriver.Chrome, server: str, hub: str
) -> None:
    sessions, series = ("Skip to the sessions", "#sessions"), ("Skip to the series", "#current")
    for page, (skip, target) in (
        (SHIPPED, sessions), (FIXED, sessions), (FEATURES, sessions), (hub, series)
    ):  # fmt: skip
        visit(browser, server + page, clock=BEFORE)
        found = names(browser)
        assert found[skip] == [f"{server}{page}{target}"]
        for name, targets in found.items():
            assert len(set(targets)) == 1, f"{name!r} leads to {targets}"
            target = urlsplit(targets[0])
            leaves = target.scheme in ("http", "https") and target.netloc != urlsplit(server).netloc
            assert leaves == ("(another site)" in name), name
    visit(browser, server + SHIPPED, clock=BEFORE)
    found = names(browser)
    assert found["Variational Perspective: From VAEs to DDPMs (week 1 on the seminar's "
                 "website) (another site)"] == [
        "https://snuuq.github.io/seminars/2026-summer-diffusion/dm-2026-week-1/"
    ]  # fmt: skip
    assert found["The seminar's website (another site)"] == [
        "https://snuuq.github.io/seminars/2026-summer-diffusion/"
    ]


def test_under_a_sub_path_the_page_subscribes_to_the_feed_beside_it(
    browser: webdriver.Chrome, server: str, secure_server: str
) -> None:
    host = urlsplit(secure_server).netloc
    visit(browser, secure_server + SHIPPED)
    feed = f"{host}/seminars/2026-summer-diffusion/2026-summer-diffusion.ics"
    outlook = f"url=https%3A%2F%2F{feed.replace(':', '%3A').replace('/', '%2F')}" \
              "&name=Diffusion%20Seminar"  # fmt: skip
    expected = {
        "Subscribe in Google Calendar (another site) Any Google account.": [
            "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F"
            + feed.replace(":", "%3A").replace("/", "%2F")
        ],
        "Subscribe in Outlook.com (another site) Personal Microsoft accounts.": [
            f"https://outlook.live.com/calendar/0/addfromweb?{outlook}"
        ],
        "Subscribe in Microsoft 365 (another site) Work and school accounts.": [
            f"https://outlook.office.com/calendar/0/addfromweb?{outlook}"
        ],
        "Subscribe in Apple Calendar Mac, iPhone and iPad.": [f"webcal://{feed}"],
    }
    found = names(browser)
    assert {name: found.get(name) for name in expected} == expected
    assert browser.find_element(By.ID, "feed-url").get_attribute("value") == f"https://{feed}"
    assert not browser.find_element(By.ID, "by-hand").is_displayed()
    assert failed_requests(browser) == []
    # The same page as index.html, with a query and a fragment, gives the same feed.
    visit(browser, secure_server + SHIPPED + "index.html?from=mail#week-3")
    assert browser.find_element(By.ID, "feed-url").get_attribute("value") == f"https://{feed}"


def test_over_plain_http_the_page_offers_what_works_there(
    browser: webdriver.Chrome, server: str
) -> None:
    visit(browser, server + SHIPPED)
    feed = f"{urlsplit(server).netloc}/seminars/2026-summer-diffusion/2026-summer-diffusion.ics"
    shown = [
        link.accessible_name.split(" (another")[0].split(" Mac")[0]
        for link in browser.find_elements(By.CSS_SELECTOR, ".clients a")
        if link.is_displayed()
    ]
    assert shown == ["Subscribe in Google Calendar", "Subscribe in Apple Calendar"]  # not Outlook
    apple = browser.find_element(By.CSS_SELECTOR, "[data-client=apple] a")
    assert apple.get_attribute("href") == f"webcal://{feed}"
    assert browser.find_element(By.ID, "feed-url").get_attribute("value") == f"http://{feed}"


def test_without_javascript_the_page_offers_the_download_and_instructions(
    browser: webdriver.Chrome, server: str
) -> None:
    visit(browser, server + SHIPPED, clock=SUNDAY, script=False)
    assert [link for link in browser.find_elements(By.CSS_SELECTOR, ".clients a")
            if link.is_displayed()] == []  # fmt: skip
    assert not browser.find_element(By.ID, "feed-address").is_displayed()
    assert "Copy link address" in browser.find_element(By.ID, "by-hand").text
    download = browser.find_element(By.LINK_TEXT, "Download the whole seminar (.ics)")
    assert download.get_attribute("href") == f"{server}{SHIPPED}2026-summer-diffusion.ics"
    # It reads as a plain schedule: nothing is marked past or next.
    assert browser.find_elements(By.CSS_SELECTOR, ".past, .next") == []
    assert not browser.find_element(By.ID, "ended").is_displayed()


@pytest.mark.parametrize(
    ("page", "clock", "past", "upcoming"),
    [
        (SHIPPED, BEFORE, [], "Week 1 · next, in 35 days"),
        (SHIPPED, "2026-07-15T23:59:00+09:00", [1, 2], "Week 3 · next, in 5 days"),
        (SHIPPED, SUNDAY, [1, 2], "Week 3 · next, tomorrow"),
        (SHIPPED, "2026-07-20T00:00:00+09:00", [1, 2], "Week 3 · next, today"),
        (SHIPPED, "2026-08-24T23:59:00+09:00", [1, 2, 3, 4, 5, 6, 7], "Week 8 · next, today"),
        (KOREAN, BEFORE, [], "1주차 · 다음 모임, 35일 후"),
        (KOREAN, SUNDAY, [1, 2], "3주차 · 다음 모임, 내일"),
        (KOREAN, "2026-07-20T00:00:00+09:00", [1, 2], "3주차 · 다음 모임, 오늘"),
    ],
)
def test_the_visitors_clock_marks_past_sessions_and_the_next_one(
    browser: webdriver.Chrome, server: str, page: str, clock: str, past: list[int], upcoming: str
) -> None:
    visit(browser, server + page, clock=clock)
    marked = browser.find_elements(By.CSS_SELECTOR, ".session.past")
    assert [item.get_attribute("id") for item in marked] == [f"week-{n}" for n in past]
    # The week's line is in capitals, as the style sheet sets it; Korean has none.
    said_past = {SHIPPED: "· past", KOREAN: "· 지난 모임"}[page].upper()
    assert all(item.find_element(By.CLASS_NAME, "week").text.endswith(said_past) for item in marked)
    (following,) = browser.find_elements(By.CSS_SELECTOR, ".session.next")
    assert following.find_element(By.CLASS_NAME, "week").text == upcoming.upper()
    assert not browser.find_element(By.ID, "ended").is_displayed()


def test_a_korean_pages_links_say_what_they_do_in_korean(
    browser: webdriver.Chrome, server: str
) -> None:
    visit(browser, server + KOREAN, clock=BEFORE)
    found = names(browser)
    assert found["일정으로 건너뛰기"] == [f"{server}{KOREAN}#sessions"]
    assert found["구독하기: Google Calendar (다른 사이트) 모든 Google 계정"] == [
        "https://calendar.google.com/calendar/render?cid="
        "webcal%3A%2F%2Fexample.org%2Ffeeds%2F2026-summer-diffusion.ics"
    ]
    assert found["구독하기: Apple Calendar Mac, iPhone, iPad"] == [
        "webcal://example.org/feeds/2026-summer-diffusion.ics"
    ]
    assert found["3주차 내려받기: .ics 파일"] == [f"{server}{KOREAN}sessions/week-3.ics"]
    (google,) = found["3주차 추가: Google Calendar (다른 사이트)"]
    assert google.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&")
    for name, targets in found.items():
        target = urlsplit(targets[0])
        leaves = target.scheme in ("http", "https") and target.netloc != urlsplit(server).netloc
        assert leaves == ("(다른 사이트)" in name), name
    body = browser.find_element(By.TAG_NAME, "body")
    assert body.value_of_css_property("word-break") == "keep-all"  # breaks between words
    visit(browser, server + KOREAN, clock="2026-08-25T00:00:00+09:00")
    assert browser.find_element(By.ID, "ended").text == (
        "세미나가 끝났습니다. 아래 모임은 모두 지난 모임입니다."
    )


def test_once_the_last_session_has_passed_the_page_says_the_seminar_has_ended(
    browser: webdriver.Chrome, server: str
) -> None:
    visit(browser, server + SHIPPED, clock="2026-08-25T00:00:00+09:00")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".session.past")) == 8
    assert browser.find_elements(By.CSS_SELECTOR, ".session.next") == []
    assert browser.find_element(By.ID, "ended").text == (
        "The seminar has ended: every session below is past."
    )


@pytest.mark.parametrize(
    ("clock", "week_1"),
    [
        ("2026-07-06T20:29:00+09:00", "WEEK 1 · NEXT, TODAY"),  # it ends at 20:30 in Seoul
        ("2026-07-06T20:30:00+09:00", "WEEK 1 · PAST"),
    ],
)
def test_a_timed_session_is_past_once_it_ends_and_cancelled_ones_are_never_next(
    browser: webdriver.Chrome, server: str, clock: str, week_1: str
) -> None:
    visit(browser, server + FEATURES, clock=clock)
    assert session(browser, 1).find_element(By.CLASS_NAME, "week").text == week_1
    (following,) = browser.find_elements(By.CSS_SELECTOR, ".session.next")
    # Week 2 is cancelled: the next meeting is week 3, in 14 days.
    expected = "week-1" if "NEXT" in week_1 else "week-3"
    assert following.get_attribute("id") == expected


@pytest.fixture
def visitor_zone(browser: webdriver.Chrome) -> Iterator[Callable[[str], None]]:
    """Set the browser's time zone for one test, then give it back Seoul's."""

    def set_zone(zone: str) -> None:
        browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": zone})

    yield set_zone
    set_zone("Asia/Seoul")


# The timed sessions of FEATURES_SCHEDULE: (week, local start, length), in Asia/Seoul.
TIMED = [(1, datetime(2026, 7, 6, 19, 0), timedelta(minutes=90)),
         (4, datetime(2026, 7, 27, 8, 30), timedelta(hours=2))]  # fmt: skip


KOREAN_WEEKDAYS = ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일")


def your_time(language: str, begins: datetime, ends: datetime, seminar_day: date) -> str:
    """Spell out the visitor's line as the page's language writes a range of times: the
    day too where the visitor's is not the seminar's, and at both ends over midnight
    (Chromium's CLDR data writes plain spaces around the dash, where Babel's are thin)."""
    if language == "en":
        day = f"{begins:%A}, {begins:%B} {begins.day}"
        if ends.date() > begins.date():
            until = f"{ends:%A}, {ends:%B} {ends.day} at {ends:%H:%M}"
            return f"Your time: {day} at {begins:%H:%M} \u2013 {until}"
        if begins.date() != seminar_day:
            return f"Your time: {day}, {begins:%H:%M} \u2013 {ends:%H:%M}"
        return f"Your time: {begins:%H:%M} \u2013 {ends:%H:%M}"

    def korean(moment: datetime) -> str:
        return f"{moment.month}월 {moment.day}일 {KOREAN_WEEKDAYS[moment.weekday()]}"

    if ends.date() > begins.date():
        return f"내 시간대로는 {korean(begins)} {begins:%H:%M} ~ {korean(ends)} {ends:%H:%M}"
    if begins.date() != seminar_day:
        return f"내 시간대로는 {korean(begins)} {begins:%H:%M} ~ {ends:%H:%M}"
    return f"내 시간대로는 {begins:%H:%M} ~ {ends:%H:%M}"


# New York's week 4 falls on the day before Seoul's; Tonga's 23:00 is Seoul's 19:00, so
# week 1 ends there after midnight.
@pytest.mark.parametrize(
    "zone", ["America/New_York", "Europe/London", "Australia/Adelaide", "Pacific/Tongatapu"]
)
@pytest.mark.parametrize(("page", "language"), [(FEATURES, "en"), (FEATURES_KOREAN, "ko")])
def test_timed_sessions_show_the_visitors_own_time_where_their_zone_differs(
    browser: webdriver.Chrome,
    server: str,
    visitor_zone: Callable[[str], None],
    zone: str,
    page: str,
    language: str,
) -> None:
    visitor_zone(zone)
    visit(browser, server + page, width="phone", clock=SUNDAY)
    for week, start, length in TIMED:
        begins = start.replace(tzinfo=ZoneInfo("Asia/Seoul")).astimezone(ZoneInfo(zone))
        expected = your_time(language, begins, begins + length, start.date()) + f" ({zone})"
        (local,) = session(browser, week).find_elements(By.CLASS_NAME, "local")
        assert local.text == expected
    # All-day sessions fall on their date wherever the visitor is.
    assert browser.find_elements(By.CSS_SELECTOR, "#week-3 .local") == []
    require(AXE.is_file(), "axe-core", "npm ci --ignore-scripts --prefix tests/node")
    assert run_axe(browser) == []


def test_the_visitors_line_reads_as_the_language_writes_it(
    browser: webdriver.Chrome, server: str, visitor_zone: Callable[[str], None]
) -> None:
    visitor_zone("Pacific/Tongatapu")
    visit(browser, server + FEATURES, clock=SUNDAY)
    assert session(browser, 1).find_element(By.CLASS_NAME, "local").text == (
        "Your time: Monday, July 6 at 23:00 \u2013 Tuesday, July 7 at 00:30 (Pacific/Tongatapu)"
    )
    visitor_zone("America/New_York")
    visit(browser, server + FEATURES_KOREAN, clock=SUNDAY)
    assert [one.text for one in browser.find_elements(By.CLASS_NAME, "local")] == [
        "내 시간대로는 06:00 ~ 07:30 (America/New_York)",
        "내 시간대로는 7월 26일 일요일 19:30 ~ 21:30 (America/New_York)",
    ]


@pytest.mark.parametrize("zone", ["Asia/Seoul", "Asia/Tokyo"])  # Tokyo's clocks are Seoul's
def test_a_visitor_whose_clocks_agree_with_the_seminars_sees_one_time(
    browser: webdriver.Chrome, server: str, visitor_zone: Callable[[str], None], zone: str
) -> None:
    visitor_zone(zone)
    visit(browser, server + FEATURES, clock=SUNDAY)
    assert session(browser, 1).find_element(By.TAG_NAME, "time").text == (
        "Monday, July 6, 2026, 19:00\u2009\u2013\u200920:30 (Asia/Seoul)"
    )
    assert browser.find_elements(By.CLASS_NAME, "local") == []


def test_without_javascript_the_page_shows_only_the_seminars_time(
    browser: webdriver.Chrome, server: str, visitor_zone: Callable[[str], None]
) -> None:
    visitor_zone("America/New_York")
    visit(browser, server + FEATURES, clock=SUNDAY, script=False)
    assert browser.find_elements(By.CLASS_NAME, "local") == []


def test_the_page_is_short_on_a_phone(browser: webdriver.Chrome, server: str) -> None:
    for page in (SHIPPED, FIXED):
        visit(browser, server + page, width="phone", clock=SUNDAY)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        assert height <= 3500, f"{page} is {height} px tall at 390 px wide"


@pytest.mark.parametrize(
    ("scheme", "text", "background"),
    [("light", "rgba(27, 31, 36, 1)", "rgba(255, 255, 255, 1)"),
     ("dark", "rgba(232, 234, 237, 1)", "rgba(21, 23, 27, 1)")],
)  # fmt: skip
def test_colours_tap_targets_and_focus_are_the_pages_own(
    browser: webdriver.Chrome, server: str, scheme: str, text: str, background: str
) -> None:
    visit(browser, server + FIXED, width="phone", scheme=scheme)
    body = browser.find_element(By.TAG_NAME, "body")
    assert (body.value_of_css_property("color"), body.value_of_css_property("background-color")) \
        == (text, background)  # fmt: skip
    buttons = browser.find_elements(By.CLASS_NAME, "button")
    assert len(buttons) == 5
    for button in buttons:
        assert button.size["height"] >= 44, button.text
        assert button.size["width"] >= 44, button.text
    body.send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("class") == "skip"
    assert focused.is_displayed()
    assert focused.location["y"] >= 0
    outline = [focused.value_of_css_property(p) for p in ("outline-style", "outline-width")]
    assert outline == ["solid", "3px"]


def test_the_skip_link_leads_the_keyboard_to_the_sessions(
    browser: webdriver.Chrome, server: str
) -> None:
    visit(browser, server + SHIPPED)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert browser.current_url.endswith("#sessions")
    browser.switch_to.active_element.send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.accessible_name.startswith("Variational Perspective: From VAEs to DDPMs")


def run_axe(browser: webdriver.Chrome) -> list[dict[str, Any]]:
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(result => done(result.violations.map("
        "v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))));",
        WCAG_21_AA,
    )
    return violations


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page", [SHIPPED, FEATURES, KOREAN])
def test_axe_finds_no_accessibility_problems(
    browser: webdriver.Chrome, server: str, page: str, scheme: str, width: str
) -> None:
    require(AXE.is_file(), "axe-core", "npm ci --ignore-scripts --prefix tests/node")
    visit(browser, server + page, width=width, scheme=scheme, clock=SUNDAY)
    assert browser.find_elements(By.CSS_SELECTOR, ".past")  # the quieter style is checked too
    assert run_axe(browser) == []
    assert failed_requests(browser) == []


@pytest.mark.parametrize("page", [SHIPPED, FIXED, FEATURES, HUB])
def test_no_request_of_the_page_fails(
    browser: webdriver.Chrome, server: str, hub: str, page: str
) -> None:
    visit(browser, server + page)
    seen = requests(browser)
    deadline = time.monotonic() + 5
    while (f"{server}{page}favicon.svg", "200") not in seen and time.monotonic() < deadline:
        time.sleep(0.1)  # the browser asks for the icon once the page has loaded
        seen += requests(browser)
    assert (f"{server}{page}favicon.svg", "200") in seen
    assert [(url, ending) for url, ending in seen if not ending.startswith(("2", "3"))] == []
    # A host serving the folder at its root answers browsers that ask for /favicon.ico.
    with urlopen(f"{server}{page}favicon.ico") as answer:
        assert answer.read(6) == b"\x00\x00\x01\x00\x01\x00"  # an icon, one image


@pytest.mark.parametrize(
    ("name", "page", "width", "scheme"),
    [("page-phone", FIXED, "phone", "light"), ("page-desktop", FIXED, "desktop", "light"),
     ("page-phone-dark", FIXED, "phone", "dark"),
     ("page-desktop-korean", KOREAN, "desktop", "light")],
)  # fmt: skip
def test_screenshots_at_phone_and_desktop_width(
    browser: webdriver.Chrome,
    server: str,
    name: str,
    page: str,
    width: str,
    scheme: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    visit(browser, server + page, width=width, scheme=scheme, clock=SUNDAY)
    scroll_width = browser.execute_script("return document.documentElement.scrollWidth")
    assert scroll_width <= WIDTHS[width][0], "the page must not scroll sideways"
    shot = tmp_path / f"{name}.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
    if request.config.getoption("--update-golden"):
        DOCS.mkdir(exist_ok=True)
        shutil.copy(shot, DOCS / shot.name)


def test_long_words_and_links_wrap_on_a_phone(
    browser: webdriver.Chrome, server: str, hub: str
) -> None:
    visit(browser, server + hub, width="phone", clock=SUNDAY)
    assert READING_LIST in browser.find_element(By.TAG_NAME, "header").text
    for page in (FEATURES, hub):
        visit(browser, server + page, width="phone", clock=SUNDAY)
        scroll_width = browser.execute_script("return document.documentElement.scrollWidth")
        assert scroll_width <= WIDTHS["phone"][0], f"{page} must not scroll sideways"


def test_a_hybrid_session_with_materials_in_a_screenshot(
    browser: webdriver.Chrome, server: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    visit(browser, server + FEATURES, width="desktop", clock=BEFORE)
    week_1 = session(browser, 1)
    meta = week_1.find_element(By.CLASS_NAME, "meta")
    assert "(Asia/Seoul) · Room 101, Building 302 · Join" in meta.text
    links = week_1.find_elements(By.TAG_NAME, "a")
    assert [link.accessible_name for link in links][1:5] == [
        "Join week 1 online (another site)",
        "Slides for week 1 (another site)",
        "Notes for week 1 (another site)",
        "Recording for week 1 (another site)",
    ]
    assert week_1.find_element(By.CLASS_NAME, "materials").text.startswith("Materials: Slides")
    shot = tmp_path / "session-hybrid.png"
    browser.execute_script("arguments[0].scrollIntoView()", week_1)  # whole, not cut at the fold
    assert week_1.screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
    if request.config.getoption("--update-golden"):
        shutil.copy(shot, DOCS / shot.name)


SITE_URL = "https://example.org/lab/"
LAB = "Every reading seminar of the lab; subscribe once for all of them."
# A link pasted into the group's description: one word far wider than a phone, with no
# hyphen where a browser would break it anyway.
READING_LIST = "https://example.org/lab/everypaperthelabhasreadwithitsnotesandslides.pdf"
SPRING_SERIES = """\
calendar:
  id: 2026-spring-scores
  name: Score Seminar
  description: Score matching from the start, one paper a week.
sessions:
  - week: 1
    date: 2026-03-02
    title: Score Matching
  - week: 2
    date: 2026-03-09
    title: Langevin Dynamics
"""
FALL_SERIES = """\
calendar:
  id: 2026-fall-flows
  name: Flow Matching Seminar
  description: Flow matching and its relatives, autumn 2026.
sessions:
  - week: 1
    date: 2026-09-07
    title: Flow Matching Basics
"""


@pytest.fixture(scope="module")
def hub(site: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Build a group into the served folder; give its path below the server."""
    for folder, description, where in (
        (HUB, f"{LAB} Our reading list is at {READING_LIST}", ""),
        (HUB_FIXED, LAB, f"  site_url: {SITE_URL}\n"),
    ):
        sources = tmp_path_factory.mktemp("seminars")
        (sources / "group.yaml").write_text(
            "group:\n  id: lab-seminars\n  name: Lab Reading Seminars\n"
            f"  description: {description}\n{where}",
            encoding="utf-8",
        )
        shipped = (ROOT / "schedule.yaml").read_bytes()
        (sources / "2026-summer-diffusion.yaml").write_bytes(shipped)
        (sources / "2026-spring-scores.yaml").write_text(SPRING_SERIES, encoding="utf-8")
        (sources / "2026-fall-flows.yaml").write_text(FALL_SERIES, encoding="utf-8")
        stamp = datetime(2026, 6, 1, tzinfo=timezone.utc)
        group = load_folder(sources / "group.yaml")
        write_group(render_group(group, stamp=stamp, published=site / folder), site / folder)
    return HUB


def headings(browser: webdriver.Chrome, section: str) -> list[str]:
    found = browser.find_elements(By.CSS_SELECTOR, f"#{section} .one h3")
    return [heading.text for heading in found]


def test_the_hub_lists_current_series_first_and_past_ones_after(
    browser: webdriver.Chrome, server: str, hub: str
) -> None:
    visit(browser, server + hub, clock=SUNDAY)
    assert headings(browser, "current") == ["Diffusion Seminar", "Flow Matching Seminar"]
    assert headings(browser, "past") == ["Score Seminar"]
    visit(browser, server + hub, clock=BEFORE)  # 1 June: spring is over, summer to come
    assert headings(browser, "current") == ["Diffusion Seminar", "Flow Matching Seminar"]
    visit(browser, server + hub, clock="2026-12-01T09:00:00+09:00")
    assert headings(browser, "current") == []
    assert browser.find_element(By.ID, "none-current").is_displayed()
    assert headings(browser, "past") == [
        "Flow Matching Seminar", "Diffusion Seminar", "Score Seminar"
    ]  # fmt: skip
    visit(browser, server + hub, clock=SUNDAY, script=False)
    assert headings(browser, "current") == [
        "Score Seminar", "Diffusion Seminar", "Flow Matching Seminar"
    ]  # fmt: skip


def test_the_hub_subscribes_to_the_combined_feed_and_to_each_series(
    browser: webdriver.Chrome, server: str, hub: str
) -> None:
    visit(browser, server + hub, clock=SUNDAY)
    found = names(browser)
    combined = f"{server}{hub}lab-seminars.ics"
    webcal = combined.replace("http://", "webcal://")
    assert found["Subscribe in Apple Calendar Mac, iPhone and iPad."] == [webcal]
    assert found["Download every seminar (.ics)"] == [combined]
    assert browser.find_element(By.ID, "feed-url").get_attribute("value") == combined
    series = f"{server}{hub}2026-fall-flows.ics"
    assert found["Subscribe to Flow Matching Seminar in Apple Calendar"] == [
        series.replace("http://", "webcal://")
    ]
    assert found["Download Flow Matching Seminar as an .ics file"] == [series]
    assert found["Flow Matching Seminar"] == [f"{server}{hub}2026-fall-flows/"]
    # Each series' page, one folder down, subscribes to the feed at the top.
    visit(browser, f"{server}{hub}2026-fall-flows/", clock=SUNDAY)
    assert browser.find_element(By.ID, "feed-url").get_attribute("value") == series
    assert failed_requests(browser) == []


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_accessibility_problems_on_the_hub(
    browser: webdriver.Chrome, server: str, hub: str, scheme: str, width: str
) -> None:
    require(AXE.is_file(), "axe-core", "npm ci --ignore-scripts --prefix tests/node")
    visit(browser, server + hub, width=width, scheme=scheme, clock=SUNDAY)
    assert run_axe(browser) == []
    assert failed_requests(browser) == []


def test_screenshot_of_the_hub(
    browser: webdriver.Chrome, server: str, hub: str, tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    visit(browser, server + HUB_FIXED, width="desktop", clock=SUNDAY)
    assert browser.find_element(By.ID, "feed-url").get_attribute("value") == (
        f"{SITE_URL}lab-seminars.ics"
    )
    scroll_width = browser.execute_script("return document.documentElement.scrollWidth")
    assert scroll_width <= WIDTHS["desktop"][0], "the page must not scroll sideways"
    shot = tmp_path / "hub-desktop.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
    if request.config.getoption("--update-golden"):
        shutil.copy(shot, DOCS / shot.name)
