"""The words the tool writes, in the schedule's language.

Messages come from the gettext catalogs in locale/, compiled into .mo files when the
package is built or installed. They are written in English, so English needs no
catalog: a copy of every message as its own translation could only drift. Dates are
formatted from CLDR by the page, the one place that shows them.
"""

from __future__ import annotations

import gettext
import re
from functools import cache
from pathlib import Path

from .model import LANGUAGES

CATALOGS = Path(__file__).parent / "locale"
DOMAIN = "seminar_feed"
SOURCE_LANGUAGE = "en"
PLACEHOLDER = re.compile(r"%\((\w+)\)([ds])")
# The feed's words: feed.py writes them, changes.py reads them back in every language.
WEEK = "Week %(week)d: %(title)s"
CANCELLED_SUMMARY = "Cancelled: %(summary)s"
CANCELLED_REASON = "Cancelled: %(reason)s"
CANCELLED = "Cancelled."
PRESENTER = "Presenter: %(presenter)s"
REMOVED_NOTE = "Cancelled: this session was removed from the schedule."
JOIN_ONLINE = "Join online"  # the video call's label
JOIN_ONLINE_LINE = "Join online: %(link)s"  # its line of the description
MATERIALS = "Materials:"  # heads the description's list of a session's materials


@cache
def translations(language: str) -> gettext.NullTranslations:
    """Give the messages of `language`; raise FileNotFoundError when its catalog was never
    compiled, which reinstalling the package does."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, CATALOGS, languages=[language])


@cache
def written_forms(message: str) -> tuple[re.Pattern[str], ...]:
    """Match text written from `message` in any language, each %(name)d or %(name)s a
    named group: a feed written before the language changed is read back all the same."""
    forms = dict.fromkeys(translations(language).gettext(message) for language in LANGUAGES)
    return tuple(map(_pattern, forms))


def _pattern(message: str) -> re.Pattern[str]:
    pieces = PLACEHOLDER.split(message)
    regex = ""
    for literal, name, kind in zip(pieces[::3], pieces[1::3], pieces[2::3], strict=False):
        regex += re.escape(literal) + (f"(?P<{name}>[0-9]+)" if kind == "d" else f"(?P<{name}>.*)")
    return re.compile(regex + re.escape(pieces[-1]), re.DOTALL)
