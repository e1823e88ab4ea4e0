"""The QR code of the feed's subscribe address, for posters, slides and the page.

The code carries the webcal:// form of the feed's address, as the page's Apple
Calendar button does, not the https one. A phone's camera opens an https address
in the browser, which downloads the file and imports a copy that never follows
changes (Safari's "Add All" on an iPhone, a downloaded file on Android): the one
outcome the feed exists to avoid. A webcal:// address makes an iPhone or iPad
subscribe in Calendar; Android has no calendar that subscribes from an address on
the phone at all (Google Calendar does so only on the web), so there a code of any
address could at best import a copy. Pasted into Google Calendar, Apple Calendar
or Thunderbird, the webcal:// address subscribes too.

segno is imported only when a code is made, so commands without one stay quick.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from .errors import Problem, ScheduleError, Where
from .group import Group, GroupFolder, site_feed_url
from .model import Calendar

if TYPE_CHECKING:
    import segno

IMAGE_KINDS = ("svg", "png")
SITE_EXAMPLE = "https://example.org/seminars/"
SCALE = 12  # pixels a module: the code of a typical feed address is about 500 px wide
# Up to a quarter of a code printed on a poster can be torn or smudged and still read.
ERROR_LEVEL = "q"
# Half blocks for two rows of modules a line, a pair of modules a character; what
# they draw is the light modules, as in a terminal with light text on dark.
HALF_BLOCKS = {(True, True): " ", (False, True): "▀", (True, False): "▄", (False, False): "█"}


def subscribe_address(feed_url: str) -> str:
    """Give the webcal:// address calendars subscribe with, from the feed's https URL."""
    return "webcal://" + feed_url.removeprefix("https://")


def code_address(calendar: Calendar, *, source: str) -> str:
    """Give the address a code carries; raise ScheduleError naming the key to set when
    the schedule does not say where the feed is served."""
    if calendar.feed_url is None:
        example = f"https://example.org/{calendar.id}.ics"
        message = (
            "a QR code needs the feed's address, and calendar.feed_url is not set: set it "
            f"to the https URL where {calendar.id}.ics is served, like {example}"
        )
        raise ScheduleError([Problem(Where(source), message)])
    return subscribe_address(calendar.feed_url)


def combined_code_address(group: Group, *, source: str) -> str:
    """Give the address the code of a group's combined feed carries; raise ScheduleError
    naming the key to set when the group file does not say where its folder is served."""
    feed_url = site_feed_url(group, group.id)
    if feed_url is None:
        message = (
            "a QR code needs the combined feed's address, and group.site_url is not set: set "
            f"it to the https URL where the published folder (with {group.id}.ics) is served, "
            f"like {SITE_EXAMPLE}"
        )
        raise ScheduleError([Problem(Where(source), message)])
    return subscribe_address(feed_url)


def series_code_address(folder: GroupFolder, calendar_id: str) -> str:
    """Give the address the code of one series of a group carries; raise ScheduleError
    when no series has that calendar id or its feed's address is unknown."""
    found = [one for one in folder.series if one.schedule.calendar.id == calendar_id]
    if not found:
        known = ", ".join(sorted(one.schedule.calendar.id for one in folder.series))
        message = f"no series of the group has the calendar id {calendar_id!r}; its series: {known}"
        raise ScheduleError([Problem(Where(str(folder.path)), message)])
    calendar = found[0].schedule.calendar
    feed_url = calendar.feed_url or site_feed_url(folder.group, calendar_id)
    if feed_url is None:
        message = (
            f"a QR code needs the feed's address, and neither group.site_url nor "
            f"{found[0].path.name}'s calendar.feed_url is set: set group.site_url to the "
            f"https URL the published folder is served at, like {SITE_EXAMPLE}"
        )
        raise ScheduleError([Problem(Where(str(folder.path)), message)])
    return subscribe_address(feed_url)


def code_image(address: str, kind: str) -> bytes:
    """Draw the code as an SVG or PNG image, dark on white with its quiet zone."""
    output = io.BytesIO()
    _code(address).save(output, kind=kind, scale=SCALE, dark="#000", light="#fff")
    return output.getvalue()


def code_svg(address: str) -> str:
    """Draw the code as SVG markup for a page, sized by its style sheet."""
    output = io.BytesIO()
    _code(address).save(
        output,
        kind="svg",
        dark="#000",
        light="#fff",
        xmldecl=False,
        omitsize=True,
        svgclass=None,
        lineclass=None,
    )
    return output.getvalue().decode("utf-8")


def code_lines(address: str) -> list[str]:
    """Draw the code as lines of text for a terminal, with its quiet zone."""
    rows = [[bool(dark) for dark in row] for row in _code(address).matrix_iter(border=4)]
    if len(rows) % 2:
        rows.append([True] * len(rows[0]))  # the line below the quiet zone is left blank
    return [
        "".join(HALF_BLOCKS[pair] for pair in zip(top, bottom, strict=True))
        for top, bottom in zip(rows[::2], rows[1::2], strict=True)
    ]


def _code(address: str) -> segno.QRCode:
    import segno

    return segno.make_qr(address, error=ERROR_LEVEL)
