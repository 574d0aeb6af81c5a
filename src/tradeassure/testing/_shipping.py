"""Strategies for working calendars and the dates counted in them: the supported dates,
and the wider span working calendars count on (docs/design.md, "The supported domain")."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from tradeassure._checks import FIRST_COUNTED_DAY, FIRST_DAY, LAST_COUNTED_DAY, LAST_DAY
from tradeassure.shipping import WorkingCalendar, calendar_for

__all__ = [
    "CALENDAR_COUNTRIES",
    "calendar_dates",
    "calendars",
    "supported_dates",
    "working_days_start",
]

#: Countries with a make-up-day schedule (CN), statute calendars (US, AU) and a
#: Friday-Saturday weekend (SA).
CALENDAR_COUNTRIES = ("CN", "US", "AU", "SA")


def supported_dates(
    min_value: date = FIRST_DAY, max_value: date = LAST_DAY
) -> st.SearchStrategy[date]:
    """Dates the library accepts wherever it takes a date: from 1900-01-01 to 2100-12-31,
    or the part of that span from ``min_value`` to ``max_value``."""
    return st.dates(max(min_value, FIRST_DAY), min(max_value, LAST_DAY))


def calendar_dates(
    min_value: date = FIRST_COUNTED_DAY, max_value: date = LAST_COUNTED_DAY
) -> st.SearchStrategy[date]:
    """Dates ``tradeassure.shipping`` counts on: from 1800-01-01 to 2999-12-31 (the
    supported dates and the deadlines counted from them), or the part of that span from
    ``min_value`` to ``max_value``."""
    return st.dates(max(min_value, FIRST_COUNTED_DAY), min(max_value, LAST_COUNTED_DAY))


def _official_bounds(calendar: WorkingCalendar, first: int, last: int) -> tuple[date, date]:
    years = [y for y in range(first, last + 1) if y in calendar.official_years]
    if not years:
        raise ValueError(f"{calendar.country} has no official year from {first} to {last}")
    return date(min(years), 1, 1), date(max(years), 12, 31)


@st.composite
def calendars(
    draw: st.DrawFn, countries: tuple[str, ...] = CALENDAR_COUNTRIES, closed: bool = True
) -> WorkingCalendar:
    """A national calendar of one of ``countries``, with some extra closed dates (a
    factory's shutdown) when ``closed`` is true."""
    calendar = calendar_for(draw(st.sampled_from(countries)))
    if closed and draw(st.booleans()):
        shutdown = draw(st.frozensets(st.dates(date(2024, 1, 1), date(2026, 12, 31)), max_size=20))
        calendar = calendar.with_closed(shutdown)
    return calendar


@st.composite
def working_days_start(
    draw: st.DrawFn,
    country: str | WorkingCalendar = "CN",
    first_year: int = 2020,
    last_year: int = 2026,
) -> date:
    """A working day of ``country``'s calendar in its official years from ``first_year``
    to ``last_year``."""
    calendar = country if isinstance(country, WorkingCalendar) else calendar_for(country)
    low, high = _official_bounds(calendar, first_year, last_year)
    day = calendar.add_working_days(draw(st.dates(low, high)), 0)
    # The next working day after the last official date may fall in an estimated year.
    return day if day <= high else calendar.add_working_days(day, -1)
