"""VTIMEZONE lines, spelled out from the tz database's rules for a few zones and years.

Calendar programs read a well-known TZID from their own tz database, so the interop tests
cannot see a wrong VTIMEZONE; these read the lines themselves.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from seminar_feed.zones import _offset, timezone_lines


def observance(
    kind: str, start: str, name: str, before: str, after: str, rule: str = ""
) -> list[str]:
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{start}",
        *([f"RRULE:{rule}"] if rule else []),
        f"TZNAME:{name}",
        f"TZOFFSETFROM:{before}",
        f"TZOFFSETTO:{after}",
        f"END:{kind}",
    ]


def test_a_european_zone_has_two_yearly_rules_each_to_the_second() -> None:
    # The European Union's rule: summer time from 01:00 UTC on the last Sunday of March
    # to 01:00 UTC on the last Sunday of October.
    assert timezone_lines("Europe/London", 2023, 2023) == [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/London",
        *observance(
            "STANDARD", "20221030T020000", "GMT", "+0100", "+0000",
            "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        ),
        *observance(
            "DAYLIGHT", "20220327T010000", "BST", "+0000", "+0100",
            "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        ),
        "END:VTIMEZONE",
    ]  # fmt: skip


def test_a_zone_that_never_changes_has_one_observance_from_the_year_before() -> None:
    assert timezone_lines("Asia/Kolkata", 2026, 2026) == [
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Kolkata",
        *observance("STANDARD", "20250101T000000", "IST", "+0530", "+0530"),
        "END:VTIMEZONE",
    ]


def test_a_change_in_january_of_the_year_before_is_part_of_the_yearly_rule() -> None:
    # Fiji, 2015 to 2018: summer time from the first Sunday of November at 02:00 to the
    # third Sunday of January at 03:00; the year before 2017 starts with the end of one.
    assert timezone_lines("Pacific/Fiji", 2017, 2017) == [
        "BEGIN:VTIMEZONE",
        "TZID:Pacific/Fiji",
        *observance(
            "STANDARD", "20160117T030000", "+12", "+1300", "+1200",
            "FREQ=YEARLY;BYDAY=3SU;BYMONTH=1",
        ),
        *observance(
            "DAYLIGHT", "20161106T020000", "+13", "+1200", "+1300",
            "FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
        ),
        "END:VTIMEZONE",
    ]  # fmt: skip


def test_a_single_change_is_preceded_by_the_state_before_it() -> None:
    # Venezuela moved from -04:30 to -04:00 at 02:30 on 1 May 2016.
    assert timezone_lines("America/Caracas", 2016, 2016) == [
        "BEGIN:VTIMEZONE",
        "TZID:America/Caracas",
        *observance("STANDARD", "20150101T000000", "-0430", "-0430", "-0430"),
        *observance("STANDARD", "20160501T023000", "-04", "-0430", "-0400"),
        "END:VTIMEZONE",
    ]


def test_irregular_changes_are_each_written_from_summer_time_at_the_start() -> None:
    # Chile, 2010 and 2011: summer time (-03) on 1 January 2010, ending on 4 April 2010
    # and, stretched after the earthquake, on 8 May 2011; back on 10 October 2010 and
    # 21 August 2011; each change at midnight local time.
    assert timezone_lines("America/Santiago", 2011, 2011) == [
        "BEGIN:VTIMEZONE",
        "TZID:America/Santiago",
        *observance("DAYLIGHT", "20100101T000000", "-03", "-0300", "-0300"),
        *observance("STANDARD", "20100404T000000", "-04", "-0300", "-0400"),
        *observance("STANDARD", "20110508T000000", "-04", "-0300", "-0400"),
        *observance("DAYLIGHT", "20101010T000000", "-03", "-0400", "-0300"),
        *observance("DAYLIGHT", "20110821T000000", "-03", "-0400", "-0300"),
        "END:VTIMEZONE",
    ]


def test_a_fourth_sunday_late_in_the_month_is_not_the_last() -> None:
    # Paraguay, 2010 to 2024: summer time from the first Sunday of October to the fourth
    # Sunday of March; on 24 March 2019 that is not the last Sunday (the 31st).
    assert timezone_lines("America/Asuncion", 2018, 2019) == [
        "BEGIN:VTIMEZONE",
        "TZID:America/Asuncion",
        *observance(
            "STANDARD", "20170326T000000", "-04", "-0300", "-0400",
            "FREQ=YEARLY;BYDAY=4SU;BYMONTH=3",
        ),
        *observance(
            "DAYLIGHT", "20171001T000000", "-03", "-0400", "-0300",
            "FREQ=YEARLY;BYDAY=1SU;BYMONTH=10",
        ),
        "END:VTIMEZONE",
    ]  # fmt: skip


def test_changes_at_other_times_of_day_share_no_yearly_rule() -> None:
    # Britain, 1980 and 1981: summer time from 16 March 1980 and 29 March 1981, to
    # 26 October 1980 and 25 October 1981, both last Sundays; the changes moved from
    # 02:00 GMT to 01:00 GMT in 1981, so no one rule gives both years.
    assert timezone_lines("Europe/London", 1981, 1981) == [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/London",
        *observance("STANDARD", "19800101T000000", "GMT", "+0000", "+0000"),
        *observance("STANDARD", "19801026T030000", "GMT", "+0100", "+0000"),
        *observance("STANDARD", "19811025T020000", "GMT", "+0100", "+0000"),
        *observance("DAYLIGHT", "19800316T020000", "BST", "+0000", "+0100"),
        *observance("DAYLIGHT", "19810329T010000", "BST", "+0000", "+0100"),
        "END:VTIMEZONE",
    ]


def test_two_changes_nine_days_apart_are_both_found() -> None:
    # Paraguay, 2024: summer time ended on 24 March and began on 6 October; on
    # 15 October -03 became its standard time. Each change at midnight local time.
    assert timezone_lines("America/Asuncion", 2025, 2025) == [
        "BEGIN:VTIMEZONE",
        "TZID:America/Asuncion",
        *observance("DAYLIGHT", "20240101T000000", "-03", "-0300", "-0300"),
        *observance("STANDARD", "20240324T000000", "-04", "-0300", "-0400"),
        *observance("STANDARD", "20241015T000000", "-03", "-0300", "-0300"),
        *observance("DAYLIGHT", "20241006T000000", "-03", "-0400", "-0300"),
        "END:VTIMEZONE",
    ]


def test_a_change_just_after_the_last_year_is_left_out() -> None:
    # Sao Tome moved to West Africa Time at 01:00 on 1 January 2018 and back to GMT on
    # 1 January 2019. From 1 January 2013, the year before 2014, to 1 January 2019 is a
    # whole number of weeks: the search for changes ends exactly where the next begins.
    assert timezone_lines("Africa/Sao_Tome", 2014, 2018) == [
        "BEGIN:VTIMEZONE",
        "TZID:Africa/Sao_Tome",
        *observance("STANDARD", "20130101T000000", "GMT", "+0000", "+0000"),
        *observance("STANDARD", "20180101T010000", "WAT", "+0000", "+0100"),
        "END:VTIMEZONE",
    ]


@pytest.mark.parametrize(
    ("offset", "written"),
    [
        (timedelta(hours=5, minutes=30), "+0530"),
        (timedelta(hours=-3, minutes=-30), "-0330"),
        (timedelta(0), "+0000"),
        (timedelta(hours=13, minutes=45), "+1345"),
        # Liberia's offset until 1972, before the dates a schedule may hold.
        (-timedelta(minutes=44, seconds=30), "-004430"),
    ],
)
def test_an_offset_is_written_with_seconds_only_when_it_has_them(
    offset: timedelta, written: str
) -> None:
    assert _offset(offset) == written
