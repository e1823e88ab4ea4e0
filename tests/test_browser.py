"""The page in a real browser: headless Chromium, driven through Selenium, loading the
page from the preview server."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from seminar_feed.feed import render_feed
from seminar_feed.load import load_schedule
from seminar_feed.publish import site_files, write_site
from seminar_feed.serve import make_server
from tools import require

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
CHROMIUM = shutil.which("chromium") or shutil.which("google-chrome")
CHROMEDRIVER = shutil.which("chromedriver")
FEED_URL = "https://example.org/feeds/2026-summer-diffusion.ics"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
# Headless, runnable as root in CI, and quiet: no background calls home offline.
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
)


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("site")
    text = (ROOT / "schedule.yaml").read_text(encoding="utf-8")
    url_line = "  url: https://snuuq.github.io/seminars/2026-summer-diffusion/\n"
    (folder / "schedule.yaml").write_text(
        text.replace(url_line, f"{url_line}  feed_url: {FEED_URL}\n"), encoding="utf-8"
    )
    schedule = load_schedule(folder / "schedule.yaml")
    feed = render_feed(schedule, stamp=datetime.now(timezone.utc))
    name = "2026-summer-diffusion.ics"
    write_site(folder / "dist", site_files(schedule, feed, feed_name=name), feed_name=name)
    server = make_server(folder / "dist", "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


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
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def links(browser: webdriver.Chrome) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for anchor in browser.find_elements(By.TAG_NAME, "a"):
        label = anchor.text.split("\n")[0].strip()
        found.setdefault(label, []).append(anchor.get_attribute("href") or "")
    return found


def test_the_page_shows_every_session_and_the_right_subscribe_links(
    browser: webdriver.Chrome, page_url: str
) -> None:
    browser.set_window_size(*WIDTHS["desktop"])
    browser.get(page_url)
    assert browser.title == "Diffusion Seminar"
    sessions = browser.find_elements(By.CSS_SELECTOR, "ol.sessions > li")
    assert [item.find_element(By.TAG_NAME, "h3").text for item in sessions][::7] == [
        "Variational Perspective: From VAEs to DDPMs",
        "Distillation-Based Methods & Learning Fast Generators from Scratch",
    ]
    assert len(sessions) == 8
    found = links(browser)
    assert found["Google Calendar"] == [
        "https://calendar.google.com/calendar/render?cid="
        "webcal%3A%2F%2Fexample.org%2Ffeeds%2F2026-summer-diffusion.ics"
    ]
    outlook = (
        "url=https%3A%2F%2Fexample.org%2Ffeeds%2F2026-summer-diffusion.ics&name=Diffusion%20Seminar"
    )
    assert found["Outlook.com"] == [f"https://outlook.live.com/calendar/0/addfromweb?{outlook}"]
    assert found["Microsoft 365"] == [f"https://outlook.office.com/calendar/0/addfromweb?{outlook}"]
    assert found["Apple Calendar"] == ["webcal://example.org/feeds/2026-summer-diffusion.ics"]
    assert found["download the file"] == [page_url + "2026-summer-diffusion.ics"]
    assert found["Add to calendar (.ics)"] == [
        f"{page_url}sessions/week-{week}.ics" for week in range(1, 9)
    ]
    assert all(
        href.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&")
        for href in found["Add to Google Calendar"]
    )
    assert len(found["Open session"]) == 8
    field = browser.find_element(By.ID, "feed-url")
    assert field.get_attribute("value") == FEED_URL


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_screenshots_at_phone_and_desktop_width(
    browser: webdriver.Chrome,
    page_url: str,
    width: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    browser.set_window_size(*WIDTHS[width])
    browser.get(page_url)
    scroll_width = browser.execute_script("return document.documentElement.scrollWidth")
    assert scroll_width <= WIDTHS[width][0], "the page must not scroll sideways"
    shot = tmp_path / f"page-{width}.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
    if request.config.getoption("--update-golden"):
        DOCS.mkdir(exist_ok=True)
        shutil.copy(shot, DOCS / shot.name)
