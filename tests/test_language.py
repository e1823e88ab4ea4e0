"""The seminar's language: every word the tool writes, on the page and in the feed, comes
from the language's catalog, and a feed written in one language is read in any."""

from __future__ import annotations

import gettext
import re
import subprocess
import sys
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from babel.messages.pofile import read_po

from seminar_feed import language
from seminar_feed.feed import render_feed
from seminar_feed.group import load_group_folder
from seminar_feed.group_build import render_group, write_group
from seminar_feed.ics import unescape_text, unfold
from seminar_feed.load import parse_schedule
from seminar_feed.model import LANGUAGES
from seminar_feed.page import CLIENTS
from seminar_feed.previous import read_previous_feed
from seminar_feed.publish import site_files

ROOT = Path(__file__).parent.parent
TEMPLATES = ROOT / "src" / "seminar_feed" / "templates"
STAMP = datetime(2026, 6, 1, tzinfo=timezone.utc)
FEED_URL = "  feed_url: https://example.org/group/reading.ics\n"
KOREAN = """\
calendar:
  id: reading
  name: Reading Group
  description: Chapters of a book, one a week.
  url: https://example.org/group/
  timezone: Asia/Seoul
  language: ko
  reminders: [1d]
sessions:
  - week: 1
    date: 2026-07-06
    title: Score <b>Matching</b>
    presenter: Ada Lovelace
    time: "19:00"
    duration: 1h30m
    location: Room 101
    online: https://example.org/call
    description: Read chapter one.
    url: https://example.org/group/1/
    materials:
      - title: Slides
        url: https://example.org/slides.pdf
  - week: 2
    date: 2026-07-13
    title: Flows
    presenter: Grace Hopper
    cancelled: true
    reason: The room is <i>closed</i>.
  - week: 3
    date: 2026-07-20
    title: Guidance
"""
REMOVED = """\
  - week: 4
    date: 2026-07-27
    title: Removed Later
    presenter: Katherine Johnson
"""
# What the schedule says in its own words, and the names of calendar programs and devices,
# which stay as they are in every language.
OWN_WORDS = (
    "Reading Group", "Chapters of a book, one a week.", "Score <b>Matching</b>",
    "Ada Lovelace", "Room 101", "Read chapter one.", "Flows", "Grace Hopper",
    "The room is <i>closed</i>.", "Guidance", "Removed Later", "Katherine Johnson",
    "Asia/Seoul", "https://example.org/group/1/", "https://example.org/group/",
    "https://example.org/call", "Slides", "https://example.org/slides.pdf",
)  # fmt: skip
NAMES = (
    "Google Calendar", "Apple Calendar", "Outlook.com", "Microsoft 365", "Outlook", "Google",
    "Microsoft", "Mac", "iPhone", "iPad", "seminar-feed", ".ics",
    "URL로 추가",  # Google Calendar's own menu item, as its Korean version names it
    "QR",  # as Korean writes it too
)  # fmt: skip
GROUP = """\
group:
  id: lab
  name: Lab Seminars
  description: Every reading group of the lab.
  url: https://example.org/lab/
  language: ko
"""
# A series with no sessions yet, and one of a single session whose schedule is removed
# after a first build, so that the hub lists a past series too.
EMPTY = "calendar:\n  id: planned\n  name: Planned Group\nsessions: []\n"
SHORT = """\
calendar:
  id: short
  name: Short Group
sessions:
  - week: 1
    date: 2026-05-04
    title: Alone
"""
GROUP_WORDS = (
    "Lab Seminars", "Every reading group of the lab.", "https://example.org/lab/",
    "Planned Group", "Short Group",
)  # fmt: skip
READ_ATTRIBUTES = (
    "aria-label", "title", "alt", "placeholder", "data-past", "data-next", "data-your-time",
)  # fmt: skip


class Words(HTMLParser):
    """What a visitor reads on a page: its text, and the attributes shown or spoken."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.read: list[str] = []
        self.language: str | None = None
        self._code = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._code = tag in ("script", "style")
        found = dict(attrs)
        if tag == "html":
            self.language = found.get("lang")
        # The script puts the days until the next session where {when} stands.
        said = [found[name] or "" for name in READ_ATTRIBUTES if name in found]
        self.read += [words.replace("{when}", "") for words in said]

    def handle_endtag(self, tag: str) -> None:
        self._code = False

    def handle_data(self, data: str) -> None:
        if not self._code:
            self.read.append(data)


def english_left(texts: list[str]) -> list[str]:
    """Give the Latin-letter words left once the schedule's own text and names are gone."""
    text = " ".join(texts)
    for phrase in sorted(OWN_WORDS + GROUP_WORDS + NAMES, key=len, reverse=True):
        text = text.replace(phrase, " ")
    return re.findall(r"[A-Za-z]{2,}", text)


def build(text: str, previous: bytes | None = None) -> tuple[bytes, str]:
    schedule = parse_schedule(text.encode(), source="schedule.yaml")
    published = (
        read_previous_feed(previous, source="reading.ics", calendar="reading")
        if previous is not None
        else None
    )
    feed = render_feed(schedule, stamp=STAMP, previous=published)
    files = site_files(schedule, feed, feed_name="reading.ics")
    return feed.ics, b"".join(files["index.html"]()).decode()


def build_group(folder: Path, group: str) -> Path:
    """Build a group of the Korean schedule, an empty one and a past one; give its folder."""
    folder.mkdir()
    (folder / "group.yaml").write_text(group, encoding="utf-8")
    for name, text in (("reading", KOREAN), ("planned", EMPTY), ("short", SHORT)):
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    dist = folder / "dist"
    for _ in range(2):
        write_group(render_group(load_group_folder(folder / "group.yaml"), stamp=STAMP,
                                 published=dist), dist)  # fmt: skip
        (folder / "short.yaml").unlink(missing_ok=True)  # the second build finds it past
    return dist


def feed_texts(ics: bytes) -> dict[str, list[str]]:
    """The text of each SUMMARY and DESCRIPTION in a feed, alarms' included, unescaped."""
    found: dict[str, list[str]] = {"SUMMARY": [], "DESCRIPTION": []}
    for _, line in unfold(ics.decode()):
        name, _, value = line.partition(":")
        if name in found:
            found[name].append(unescape_text(value))
    return found


@pytest.mark.parametrize("served_at", ["", FEED_URL], ids=["beside the page", "feed_url"])
def test_a_korean_page_has_no_english_word_of_its_own(served_at: str) -> None:
    text = KOREAN.replace("  language: ko\n", f"  language: ko\n{served_at}")
    english, _ = build(text + REMOVED)
    _, html = build(text, previous=english)
    page = Words(html)
    assert page.language == "ko"
    assert english_left(page.read) == []
    visible = " ".join(" ".join(page.read).split())
    assert "1주차" in visible
    assert "2026년 7월 6일 월요일 19:00 ~ 20:30 (Asia/Seoul)" in visible
    assert "<strong>취소됨:</strong> The room is &lt;i&gt;closed&lt;/i&gt;." in html
    assert "취소됨: 일정에서 빠진 모임입니다." in visible  # week 4, kept as cancelled
    assert 'data-past="지난 모임" data-next="다음 모임, {when}"' in html


@pytest.mark.parametrize(
    "served_at", ["", "  site_url: https://example.org/lab/\n"], ids=["beside", "site_url"]
)
def test_a_korean_hub_has_no_english_word_of_its_own(tmp_path: Path, served_at: str) -> None:
    dist = build_group(tmp_path / "seminars", GROUP + served_at)
    hub = Words((dist / "index.html").read_text(encoding="utf-8"))
    assert hub.language == "ko"
    assert english_left(hub.read) == []
    visible = " ".join(" ".join(hub.read).split())
    assert "모든 세미나를 내 캘린더에 추가하기" in visible
    assert "2026년 7월 6일 월요일 ~ 2026년 7월 20일 월요일 · 모임 3회" in visible
    assert "아직 모임 없음 · 모임 0회" in visible
    assert "지난 시리즈 Short Group 2026년 5월 4일 월요일 · 모임 1회" in visible
    # The series page stays in its own schedule's language, its link back in it too.
    page = (dist / "reading" / "index.html").read_text(encoding="utf-8")
    assert "Lab Seminars의 모든 세미나" in page


def test_an_english_hub_is_caught_by_the_same_check(tmp_path: Path) -> None:
    dist = build_group(tmp_path / "seminars", GROUP.replace("  language: ko\n", ""))
    hub = Words((dist / "index.html").read_text(encoding="utf-8"))
    assert hub.language == "en"
    assert {"Past", "series", "sessions", "Subscribe"} <= set(english_left(hub.read))
    visible = " ".join(" ".join(hub.read).split())
    assert "Monday, July 6, 2026 to Monday, July 20, 2026 · 3 sessions" in visible
    assert "No sessions yet · 0 sessions" in visible
    assert "Monday, May 4, 2026 · 1 session" in visible


def test_a_combined_feed_writes_no_word_of_its_own(tmp_path: Path) -> None:
    dist = build_group(tmp_path / "seminars", GROUP)
    ics = (dist / "lab.ics").read_text(encoding="utf-8")
    # Its name and description are the group's; its events keep their series' words.
    assert ics.split("BEGIN:VTIMEZONE")[0].splitlines() == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//seminar-feed//seminar-feed//EN",
        "CALSCALE:GREGORIAN",
        "DESCRIPTION:Every reading group of the lab.",
        "X-WR-CALDESC:Every reading group of the lab.",
        "NAME:Lab Seminars",
        "X-WR-CALNAME:Lab Seminars",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "URL:https://example.org/lab/",
        "X-PUBLISHED-TTL:PT6H",
        # Which file each series was built from, for calendars to ignore.
        "X-SEMINAR-FEED-SERIES;X-CALENDAR=planned:planned.yaml",
        "X-SEMINAR-FEED-SERIES;X-CALENDAR=reading:reading.yaml",
        "X-SEMINAR-FEED-SERIES;X-CALENDAR=short:short.yaml",
    ]
    assert feed_texts(ics.encode())["SUMMARY"] == [
        "Reading Group · 1주차: Score <b>Matching</b> (Ada Lovelace)",
        "취소됨: Reading Group · 2주차: Flows (Grace Hopper)",
        "Reading Group · 3주차: Guidance",
        "Short Group · Week 1: Alone",  # a past series, after those still published
    ]


def test_the_english_words_around_the_korean_are_the_ones_caught() -> None:
    _, html = build(KOREAN.replace("  language: ko\n", ""))
    assert Words(html).language == "en"
    assert {"Week", "Sessions", "Cancelled", "Subscribe"} <= set(english_left(Words(html).read))


def test_a_korean_feed_writes_its_own_words_in_korean() -> None:
    ics, _ = build(KOREAN)
    texts = feed_texts(ics)
    assert texts["SUMMARY"] == [
        "1주차: Score <b>Matching</b> (Ada Lovelace)",
        "취소됨: 2주차: Flows (Grace Hopper)",
        "3주차: Guidance",
    ]
    assert texts["DESCRIPTION"] == [
        "Chapters of a book, one a week.",  # the calendar's own
        "발표자: Ada Lovelace\n\nRead chapter one.\n\n온라인 참여: https://example.org/call\n\n"
        "자료:\nSlides: https://example.org/slides.pdf\n\nhttps://example.org/group/1/",
        "1주차: Score <b>Matching</b> (Ada Lovelace)",  # the reminder
        "취소됨: The room is <i>closed</i>.\n\n발표자: Grace Hopper",
        "3주차: Guidance",  # the reminder
    ]
    assert english_left(texts["SUMMARY"] + texts["DESCRIPTION"]) == []


def test_a_feed_written_in_english_is_read_back_after_the_language_changes() -> None:
    english, _ = build(KOREAN.replace("  language: ko\n", "") + REMOVED)
    schedule = parse_schedule(KOREAN.encode(), source="schedule.yaml")
    previous = read_previous_feed(english, source="reading.ics", calendar="reading")
    feed = render_feed(schedule, stamp=datetime(2026, 6, 2, tzinfo=timezone.utc), previous=previous)
    # Every event's words changed, so every event is revised once; nothing is new.
    assert [str(change) for change in feed.changes] == [
        "week 1: details",
        "week 2: details",
        "week 3: details",
        "week 4: cancelled: no longer in the schedule",
    ]
    assert feed.ics.count(b"SEQUENCE:1\r\n") == 4
    (kept,) = feed.removed_sessions
    assert (kept.week, kept.title, kept.presenter) == (4, "Removed Later", "Katherine Johnson")
    assert kept.reason == "일정에서 빠진 모임입니다."


def test_a_feed_written_in_korean_is_read_back_after_the_language_changes() -> None:
    korean, _ = build(KOREAN + REMOVED)
    schedule = parse_schedule(KOREAN.replace("  language: ko\n", "").encode(), source="s.yaml")
    previous = read_previous_feed(korean, source="reading.ics", calendar="reading")
    feed = render_feed(schedule, stamp=datetime(2026, 6, 2, tzinfo=timezone.utc), previous=previous)
    (kept,) = feed.removed_sessions
    assert (kept.week, kept.title, kept.presenter) == (4, "Removed Later", "Katherine Johnson")
    cancelled = previous.events["week-2.reading@seminar-feed"].lines
    assert "SUMMARY:취소됨: 2주차: Flows (Grace Hopper)" in cancelled
    week_2 = schedule.sessions[1]
    assert (week_2.title, week_2.reason) == ("Flows", "The room is <i>closed</i>.")
    assert "week 2: details" in [str(change) for change in feed.changes]


def test_every_language_but_english_has_a_catalog_and_no_catalog_is_left_out() -> None:
    catalogs = {path.parent.parent.name for path in language.CATALOGS.glob("*/LC_MESSAGES/*.po")}
    assert catalogs == {"ko"}
    assert set(LANGUAGES) == {"en", "ko"}
    for name in catalogs:
        assert (language.CATALOGS / name / "LC_MESSAGES" / "seminar_feed.mo").is_file()


def test_the_compiled_catalogs_are_those_of_the_po_files() -> None:
    for source in language.CATALOGS.glob("*/LC_MESSAGES/*.po"):
        with source.open("rb") as po:
            catalog = read_po(po)
        with source.with_suffix(".mo").open("rb") as mo:
            compiled = gettext.GNUTranslations(mo)
        for message in catalog:
            stale = f"{source} changed since it was compiled: pip install -e . compiles it again"
            if message.pluralizable:  # a language of one plural form, as Korean is
                singular, plural = message.id
                written = {compiled.ngettext(singular, plural, count) for count in (0, 1, 2)}
                assert written == {message.string[0]}, stale
            elif message.id:
                assert compiled.gettext(message.id) == message.string, stale


def test_every_message_the_tool_writes_is_translated() -> None:
    environment = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    found = [
        message
        for name in ("page.html", "hub.html", "subscribe-section.html")
        for _, _, message in environment.extract_translations(
            (TEMPLATES / name).read_text(encoding="utf-8")
        )
    ]
    # A message that is not written out, _(link.note), is one of the clients' notes below;
    # a plural one is its singular and plural, each an id of its own in the catalog.
    in_template = {message for message in found if isinstance(message, str)} | {
        form for message in found if isinstance(message, tuple) for form in message if form
    }
    in_code = {
        language.WEEK, language.CANCELLED_SUMMARY, language.CANCELLED_REASON,
        language.CANCELLED, language.PRESENTER, language.REMOVED_NOTE, language.JOIN_ONLINE,
        language.JOIN_ONLINE_LINE, language.MATERIALS,
        *(note for _, _, note in CLIENTS),
    }  # fmt: skip
    assert "Skip to the sessions" in in_template
    assert "(week %(week)s on the seminar's website)" in in_template
    assert {"Past series", "%(count)s sessions"} <= in_template
    for path in language.CATALOGS.glob("*/LC_MESSAGES/*.po"):
        with path.open("rb") as po:
            catalog = read_po(po)
        translated = {
            form
            for message in catalog
            if message.id and (all(message.string) if message.pluralizable else message.string)
            for form in (message.id if message.pluralizable else [message.id])
        }
        assert (in_template | in_code) - translated == set(), path
        assert translated - (in_template | in_code) == set(), f"{path} holds unused messages"


@pytest.mark.parametrize("command", [["--help"], ["check", "schedule.yaml"]])
def test_check_and_help_do_not_load_babel(command: list[str]) -> None:
    script = (
        "import sys\n"
        "from seminar_feed.cli import main\n"
        f"main({command!r}, standalone_mode=False)\n"
        "print('babel' in sys.modules, 'seminar_feed.language' in sys.modules)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert ran.stdout.splitlines()[-1] == "False False"
