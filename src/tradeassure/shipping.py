"""Ship-by dates, lateness, extensions and refund arrival, counted in working days.

A lead time counts in the supplier's working calendar (SHIP-DATE): weekend days and
public holidays are not worked, and a weekend day the country declares a working day
(China's make-up days) is. Calendars come from the ``holidays`` package, loaded a year at
a time on first use. A year whose schedule is not yet published (for China: beyond the
State Council's latest notice) is *estimated*: answers still come, ``strict=True`` refuses
them instead, and :meth:`WorkingCalendar.with_schedule` adds a year's published schedule.
Calendars count on the dates from 1800-01-01 to 2999-12-31: the supported dates
(1900-01-01 to 2100-12-31, where the package's calendars end) and the deadlines counted from
them; a count is at most 73,413 working days. Anything beyond is refused before a year
loads (docs/design.md, "The supported domain").

An order confirmed on Friday 26 September 2025 with 10 working days of lead time in China
ships by 16 October, not the 10 October a weekday count gives: 1-8 October are the National
Day and Mid-Autumn holidays, and Sunday 28 September and Saturday 11 October are worked.

>>> from datetime import date
>>> ship_by(date(2025, 9, 26), 10, "CN")
datetime.date(2025, 10, 16)
>>> is_late(date(2025, 10, 16), shipped_on=None, today=date(2025, 10, 17))
True
>>> refund_arrival(date(2025, 9, 26), "US")
(datetime.date(2025, 10, 7), datetime.date(2025, 10, 10))
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any, Final, Literal, NamedTuple, final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from tradeassure import _display
from tradeassure._checks import (
    FIRST_COUNTED_DAY,
    FIRST_DAY,
    LAST_COUNTED_DAY,
    LAST_DAY,
    boolean,
    calendar_date,
    calendar_year,
    day_count,
    day_count_field,
    integer,
    of_type,
    plain_date,
    text,
    tuple_of,
    validator,
)
from tradeassure.errors import InvalidInput, RuleViolation

__all__ = [
    "DEFAULT_SHIPPING",
    "OFFICIAL_ZONES",
    "YEARS_CACHED",
    "ShippingPolicy",
    "WorkingCalendar",
    "YearSchedule",
    "add_working_days",
    "apply",
    "calendar_for",
    "check",
    "extend",
    "is_late",
    "is_working_day",
    "refund_arrival",
    "ship_by",
    "working_days_between",
    "zone_for",
    "zone_of",
]

_UNNAMED_HOLIDAY = "public holiday"
_FIRST_COUNTED = FIRST_COUNTED_DAY.toordinal()
_LAST_COUNTED = LAST_COUNTED_DAY.toordinal()
_COUNTED = f"working calendars count from {FIRST_COUNTED_DAY} to {LAST_COUNTED_DAY}"
#: How many years each calendar keeps loaded, the most recently used: a generation of
#: orders, enough that the years in use stay loaded, and a bound on what a calendar
#: holds (about 10 kB a year) however many years are asked about.
YEARS_CACHED: Final = 32


# -- the policy --------------------------------------------------------------------------


@final
@attrs.frozen
class ShippingPolicy:
    """Figures for ship-by dates and refund arrival: each a whole number of working days
    from 0 to 73,413 (``MAX_DAYS``, docs/design.md).

    Attributes:
        min_lead_days: shortest lead time, in the supplier's working days (SHIP-WINDOW).
        max_lead_days: longest lead time, in working days (SHIP-WINDOW).
        refund_arrival_min_days: earliest arrival of an issued refund, in business days
            after issue (ESC-REFUND-WINDOW).
        refund_arrival_max_days: latest arrival, in business days (ESC-REFUND-WINDOW).
        ship_extend_cap_days: working days from the lead time's start (in the
            supplier's calendar) that the ship-by date may never pass, however often it
            is extended (TMR-SHIP-EXTEND-CAP). Counted in working days, like the lead
            time itself, and at least ``max_lead_days``, so every lead time SHIP-WINDOW
            allows can still be extended (90 calendar days from a mid-December start
            fall before a 60-working-day ship-by over the Spring Festival).
        lead_time_start: the day a lead time counts from, ``"confirmation"`` (the
            contract's confirmation, the default) or ``"placement"`` (its drafting):
            the ship-by must lie ``min_lead_days`` to ``max_lead_days`` working days
            after it (SHIP-WINDOW), checked when that day is recorded.
    """

    min_lead_days: int = attrs.field(default=3, validator=day_count_field)
    max_lead_days: int = attrs.field(default=60, validator=day_count_field)
    refund_arrival_min_days: int = attrs.field(default=7, validator=day_count_field)
    refund_arrival_max_days: int = attrs.field(default=10, validator=day_count_field)
    ship_extend_cap_days: int = attrs.field(default=90, validator=day_count_field)
    lead_time_start: Literal["confirmation", "placement"] = "confirmation"

    def __attrs_post_init__(self) -> None:
        if self.min_lead_days > self.max_lead_days:
            raise InvalidInput("min_lead_days must not exceed max_lead_days")
        if self.ship_extend_cap_days < self.max_lead_days:
            raise InvalidInput(
                f"ship_extend_cap_days ({self.ship_extend_cap_days}) must be at least "
                f"max_lead_days ({self.max_lead_days}), so that every lead time SHIP-WINDOW "
                "allows can still be extended"
            )
        if self.lead_time_start not in ("confirmation", "placement"):
            raise InvalidInput(
                "lead_time_start must be 'confirmation' or 'placement', not "
                f"{self.lead_time_start!r}"
            )
        if self.refund_arrival_min_days > self.refund_arrival_max_days:
            raise InvalidInput("refund_arrival_min_days must not exceed refund_arrival_max_days")


DEFAULT_SHIPPING = ShippingPolicy()


# -- the package's data ------------------------------------------------------------------


@cache
def _supported() -> dict[str, list[str]]:
    import holidays

    return holidays.list_supported_countries(include_aliases=False)


def _country(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(
            f"{what} must be an ISO 3166 alpha-2 code string, not {type(value).__name__}"
        )
    if value not in _supported():
        raise InvalidInput(
            f"unknown country code {value!r}: expected an upper-case ISO 3166 alpha-2 code "
            "that the holidays package supports, such as 'CN', 'US' or 'AU'"
        )
    return value


@cache
def _package_official_years(country: str) -> range:
    """The years whose schedule the package holds as published.

    A country whose tables move days off onto weekdays and declare weekend days worked
    (China, Russia, Vietnam...) publishes its schedule year by year: official years are
    those its tables cover. Any other country's holidays follow statute, so every year
    the package supports is official.
    """
    import holidays

    # Some tables are attached to the instance (the package's StaticHolidays group).
    data = holidays.country_holidays(country)
    scheduled: set[int] = set()
    for name in dir(data):
        if name.startswith("special_") and name.endswith("holidays"):
            table = getattr(data, name)
            if not isinstance(table, dict):
                continue
            for year, entries in table.items():
                rows = entries if entries and isinstance(entries[0], tuple) else (entries,)
                # A 4- or 5-tuple moves a day off from one date to another.
                if any(len(row) >= 4 for row in rows):
                    scheduled.add(year)
    if scheduled:
        return range(min(scheduled), max(scheduled) + 1)
    return range(data.start_year, data.end_year + 1)


class _Source(NamedTuple):
    days_off: frozenset[date]
    working_days: frozenset[date]
    # The package's name for each public holiday of the year, weekend ones included.
    names: Mapping[date, str] = MappingProxyType({})


def _package_source(country: str, subdivision: str | None, year: int) -> _Source:
    import holidays

    data = holidays.country_holidays(country, subdiv=subdivision, years=range(year, year + 2))
    names = {d: name for d, name in data.items() if d.year == year}
    days_off = frozenset(names)
    # Make-up days of next year's holidays may fall at the end of this year.
    worked = frozenset(d for d in getattr(data, "weekend_workdays", ()) if d.year == year)
    return _Source(days_off, worked, MappingProxyType(names))


def _weekend(country: str) -> frozenset[int]:
    import holidays

    return frozenset(holidays.country_holidays(country).weekend)


# -- values ------------------------------------------------------------------------------


def _dates(values: Iterable[date], what: str) -> frozenset[date]:
    if isinstance(values, date | str) or not isinstance(values, Iterable):
        raise InvalidInput(f"{what} must be a collection of dates, not the single value {values!r}")
    return frozenset(plain_date(d, f"each date of {what}") for d in values)


# The converters of the fields of dates, each naming its field.


def _days_off(values: Iterable[date]) -> frozenset[date]:
    return _dates(values, "YearSchedule.days_off")


def _working_days(values: Iterable[date]) -> frozenset[date]:
    return _dates(values, "YearSchedule.working_days")


def _closed(values: Iterable[date]) -> frozenset[date]:
    return _dates(values, "WorkingCalendar.closed")


def _year_number(value: object, what: str) -> int:
    year = integer(value, what)
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise InvalidInput(
            f"{what} must be a year from {FIRST_DAY.year} to {LAST_DAY.year} (the supported "
            f"dates), not {year}"
        )
    return year


@final
@attrs.frozen
class YearSchedule:
    """One year's published working schedule, supplied by the user: it replaces the
    package's data (official or estimated) for that year.

    Attributes:
        year: the year the notice is for, from 1900 to 2100 (the supported dates).
        days_off: every public holiday of the year that falls on a working weekday,
            including days off moved from a weekend (a notice's 放假 dates). Dates in
            ``year``.
        working_days: weekend days declared working days (调休 make-up days). Dates in
            ``year``, or late in the year before (a January holiday's make-up day).
        source: the notice the dates come from (title or address).
    """

    year: int = attrs.field(validator=validator(_year_number))
    days_off: frozenset[date] = attrs.field(converter=_days_off)
    working_days: frozenset[date] = attrs.field(converter=_working_days)
    source: str = attrs.field(
        validator=validator(text, must="name the notice the schedule comes from")
    )

    def __attrs_post_init__(self) -> None:
        stray = sorted(d for d in self.days_off if d.year != self.year)
        if stray:
            raise InvalidInput(f"days_off of the {self.year} schedule include {stray[0]}")
        stray = sorted(d for d in self.working_days if d.year not in (self.year, self.year - 1))
        if stray:
            raise InvalidInput(
                f"working_days of the {self.year} schedule include {stray[0]}: expected dates "
                f"in {self.year - 1} or {self.year}"
            )
        both = sorted(self.days_off & self.working_days)
        if both:
            raise InvalidInput(f"{both[0]} is listed both as a day off and as a working day")


def _schedules(values: Iterable[YearSchedule]) -> tuple[YearSchedule, ...]:
    out = tuple_of(values, YearSchedule, "schedules")
    years = [s.year for s in out]
    if len(set(years)) != len(years):
        raise InvalidInput("a calendar takes at most one schedule per year")
    return tuple(sorted(out, key=lambda s: s.year))


class _Year(NamedTuple):
    """One loaded year: its working days as sorted ordinals, whether it is estimated, and
    the name of each public holiday."""

    ords: tuple[int, ...]
    estimated: bool
    names: Mapping[date, str]


@final
@attrs.frozen
class WorkingCalendar:
    """The working days of one country, and of one factory within it.

    A day is a working day when it is not a weekend day and not a public holiday, or when
    it is a weekend day declared a working day; a ``closed`` date is never one. Years load
    on first use and are cached on the calendar, the :data:`YEARS_CACHED` most recently
    used (invisible to equality, hashing and pickling; loading a year twice from two
    threads is harmless). The calendar counts on the dates from 1800-01-01 to 2999-12-31.

    Attributes:
        country: ISO 3166 alpha-2 code, upper case (``"CN"``).
        subdivision: a state or province code the package knows (``"NSW"``), or None for
            national holidays only.
        closed: extra dates the business does not work (a factory's own shutdown),
            supported dates (1900-01-01 to 2100-12-31).
        schedules: published schedules supplied for years the package does not have yet,
            one per year (see :class:`YearSchedule`).
    """

    country: str = attrs.field(validator=validator(_country))
    subdivision: str | None = None
    closed: frozenset[date] = attrs.field(default=frozenset(), converter=_closed)
    schedules: tuple[YearSchedule, ...] = attrs.field(default=(), converter=_schedules)
    # The year cache: this calendar's loader behind a bounded LRU (see _fresh_cache).
    _years: Callable[[int], _Year] = attrs.field(init=False, eq=False, hash=False, repr=False)
    # Set after validation: the package cannot be asked about an unknown country.
    _weekend: frozenset[int] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.subdivision is not None and self.subdivision not in _supported()[self.country]:
            raise InvalidInput(
                f"unknown subdivision {self.subdivision!r} of {self.country}: expected one of "
                f"{', '.join(_supported()[self.country]) or 'none (national only)'}"
            )
        object.__setattr__(self, "_weekend", _weekend(self.country))
        self._fresh_cache()

    def _fresh_cache(self) -> None:
        # lru_cache is thread-safe, and bounded: the years asked about most recently stay.
        object.__setattr__(self, "_years", lru_cache(maxsize=YEARS_CACHED)(self._load))

    # The cache is not part of the value: pickles carry the fields only.
    def __getstate__(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "subdivision": self.subdivision,
            "closed": self.closed,
            "schedules": self.schedules,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_weekend", _weekend(self.country))
        self._fresh_cache()

    # -- estimated years ------------------------------------------------------------------

    @property
    def official_years(self) -> frozenset[int]:
        """Years whose schedule is published: in the package's data, or supplied here."""
        return frozenset(_package_official_years(self.country)) | {s.year for s in self.schedules}

    def is_estimated(self, year: int) -> bool:
        """Whether answers about ``year`` rest on an estimate rather than a published
        schedule (the year is not in :attr:`official_years`)."""
        return self._year(calendar_year(year, "year")).estimated

    def with_schedule(self, schedule: YearSchedule) -> WorkingCalendar:
        """This calendar with ``schedule`` in place of the package's data for its year."""
        of_type(schedule, "schedule", YearSchedule)
        kept = [s for s in self.schedules if s.year != schedule.year]
        return attrs.evolve(self, schedules=(*kept, schedule))

    def with_closed(self, days: Iterable[date]) -> WorkingCalendar:
        """This calendar with ``days`` closed as well."""
        return attrs.evolve(self, closed=self.closed | _dates(days, "days"))

    # -- loading ----------------------------------------------------------------------------

    def _year(self, year: int) -> _Year:
        if not FIRST_COUNTED_DAY.year <= year <= LAST_COUNTED_DAY.year:
            raise InvalidInput(f"working days in {year} cannot be counted: {_COUNTED}")
        return self._years(year)

    def _source(self, year: int) -> _Source:
        for s in self.schedules:
            if s.year == year:
                # A notice's dates carry no names here: each day off is a public holiday.
                names = dict.fromkeys(s.days_off, _UNNAMED_HOLIDAY)
                return _Source(s.days_off, s.working_days, MappingProxyType(names))
        return _package_source(self.country, self.subdivision, year)

    def _load(self, year: int) -> _Year:
        this, following = self._source(year), self._source(year + 1)
        worked = {d for d in this.working_days | following.working_days if d.year == year}
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        weekend = self._weekend
        ords = tuple(
            o
            for o in range(first, last + 1)
            if (d := date.fromordinal(o)) not in self.closed
            and (d in worked if d.weekday() in weekend else d not in this.days_off)
        )
        official = year in _package_official_years(self.country) or any(
            s.year == year for s in self.schedules
        )
        return _Year(ords, not official, this.names)

    def _refuse_estimate(self, year: int) -> None:
        published = _package_official_years(self.country)
        raise InvalidInput(
            f"{self.country} {year} is an estimated year: the holidays package has its "
            f"published schedule for {published.start}-{published.stop - 1} only; supply the "
            f"{year} schedule with WorkingCalendar.with_schedule(), or pass strict=False to "
            "accept an estimate"
        )

    # -- answers ----------------------------------------------------------------------------

    @property
    def weekend(self) -> frozenset[int]:
        """The country's weekend days, as ``date.weekday()`` numbers (Monday is 0)."""
        return self._weekend

    def holiday_name(self, day: date) -> str | None:
        """The name of the public holiday on ``day``, or None when it is none.

        Names come from the ``holidays`` package (a day off moved from a weekend is named
        as such); a day off from a supplied :class:`YearSchedule` is named
        ``"public holiday"``. A ``closed`` date is not a public holiday. A public holiday
        may fall on a weekend day, which was no working day anyway.
        """
        calendar_date(day, "day")
        return self._year(day.year).names.get(day)

    def is_working_day(self, day: date, *, strict: bool = False) -> bool:
        """Whether ``day`` is a working day of this calendar (SHIP-DATE)."""
        calendar_date(day, "day")
        boolean(strict, "strict")
        loaded = self._year(day.year)
        if strict and loaded.estimated:
            self._refuse_estimate(day.year)
        ords = loaded.ords
        o = day.toordinal()
        i = bisect_left(ords, o)
        return i < len(ords) and ords[i] == o

    def add_working_days(self, start: date, n: int, *, strict: bool = False) -> date:
        """The date ``n`` working days after ``start`` (start not counted); ``n = 0`` gives
        ``start`` if it is a working day, else the next one; a negative ``n`` counts back
        (SHIP-DATE). ``n`` is at most 73,413 either way, and a count whose answer would
        fall outside the dates calendars count on is refused before a year loads."""
        calendar_date(start, "start")
        day_count(n, "n", signed=True)
        boolean(strict, "strict")
        o = start.toordinal()
        # n working days span at least n calendar days: refuse what cannot fit at once.
        if not _FIRST_COUNTED <= o + n <= _LAST_COUNTED:
            way = "after" if n > 0 else "before"
            raise InvalidInput(
                f"{abs(n):,} working days {way} {start} fall outside the dates calendars "
                f"count on: {_COUNTED}"
            )
        year = start.year
        loaded = self._year(year)
        if strict and loaded.estimated:
            self._refuse_estimate(year)
        if n > 0:
            k = bisect_right(loaded.ords, o) + n - 1
        elif n == 0:
            k = bisect_left(loaded.ords, o)
        else:
            k = bisect_left(loaded.ords, o) + n
        while k >= len(loaded.ords):
            k -= len(loaded.ords)
            year += 1
            loaded = self._year(year)
            if strict and loaded.estimated:
                self._refuse_estimate(year)
        while k < 0:
            year -= 1
            loaded = self._year(year)
            if strict and loaded.estimated:
                self._refuse_estimate(year)
            k += len(loaded.ords)
        return date.fromordinal(loaded.ords[k])

    def working_days_between(self, start: date, end: date, *, strict: bool = False) -> int:
        """Working days in ``(start, end]``; the negative count of ``(end, start]`` when
        ``end`` is earlier (SHIP-DATE)."""
        calendar_date(start, "start")
        calendar_date(end, "end")
        boolean(strict, "strict")
        if end < start:
            return -self.working_days_between(end, start, strict=strict)
        total = 0
        for year in range(start.year, end.year + 1):
            loaded = self._year(year)
            if strict and loaded.estimated:
                self._refuse_estimate(year)
            ords = loaded.ords
            upto = bisect_right(ords, end.toordinal()) if year == end.year else len(ords)
            before = bisect_right(ords, start.toordinal()) if year == start.year else 0
            total += upto - before
        return total

    # -- notebook views: tradeassure.views registers them (tradeassure._display) -----------

    def month_rows(self, year: int, month: int) -> _display.Rows:
        """One plain dict per day of the month: ``date``, ``weekday``, ``working``,
        ``why`` and ``estimated`` (see :func:`tradeassure.views.calendar_month_rows`)."""
        return _display.rows("calendar_month_rows", self, year, month)

    def month_html(self, year: int, month: int) -> str:
        """The month as an HTML grid for a notebook: working days, weekends, holidays,
        make-up working days and closed dates marked apart, an estimated year flagged."""
        return _display.html("calendar_month_html", self, year, month)


# -- time zones: the supplier's day ------------------------------------------------------

#: A country's legal time where the tz database lists other zones beside it: China keeps
#: one legal time, Beijing Time (UTC+8), nationwide; Asia/Urumqi is listed for the
#: Xinjiang time some people keep informally.
OFFICIAL_ZONES: Final[Mapping[str, str]] = MappingProxyType({"CN": "Asia/Shanghai"})

#: Two instants at which zones are compared (a winter and a summer day): zones of one
#: country that keep the same offset at both are one zone for the calendar's purpose.
_SAME_AT: Final = (datetime(2025, 1, 15, 12, tzinfo=UTC), datetime(2025, 7, 15, 12, tzinfo=UTC))


@cache
def _zones_by_country() -> Mapping[str, tuple[str, ...]]:
    """Each ISO 3166 country's zones, in the order of the tz database's ``zone.tab``
    (read from the ``tzdata`` package, so no system files are needed)."""
    table = files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    zones: dict[str, list[str]] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, _, name = line.split("\t")[:3]
            zones.setdefault(code, []).append(name)
    return MappingProxyType({code: tuple(names) for code, names in zones.items()})


@cache
def zone_for(country: str) -> str | None:
    """The time zone (an IANA name) a country's days are counted in, or None when the
    country has several that keep different offsets (the United States, Russia,
    Brazil...): then a contract must name it. Zones that keep the same offsets count as
    one (Germany's Europe/Busingen is Europe/Berlin's time); :data:`OFFICIAL_ZONES`
    names a country's legal time where the database lists others (China).

    >>> zone_for("CN"), zone_for("DE"), zone_for("US")
    ('Asia/Shanghai', 'Europe/Berlin', None)
    """
    code = text(country, "country")
    if code in OFFICIAL_ZONES:
        return OFFICIAL_ZONES[code]
    names = _zones_by_country().get(code)
    if names is None:
        raise InvalidInput(f"no time zone is known for country {country!r}: give the zone")
    offsets = {
        tuple(at.astimezone(ZoneInfo(name)).utcoffset() for at in _SAME_AT) for name in names
    }
    return names[0] if len(offsets) == 1 else None


def zone_of(name: str) -> ZoneInfo:
    """The zone an IANA name names (``Asia/Shanghai``); InvalidInput for another name."""
    try:
        return _zone(text(name, "zone"))
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"{name!r} is not a time zone of the IANA database: expected a name such as "
            "'Asia/Shanghai' or 'Europe/Berlin'"
        ) from None


@cache
def _zone(name: str) -> ZoneInfo:
    """``ZoneInfo(name)``, kept: ZoneInfo itself keeps only its last 8 zones, and a book's
    orders name more, each miss a read of the zone's file (a refusal raises, so only the
    zones of the database are kept, and they are ZoneInfo's own objects)."""
    return ZoneInfo(name)


# -- module functions --------------------------------------------------------------------


@cache
def _calendar(country: str) -> WorkingCalendar:
    return WorkingCalendar(country)


def calendar_for(country: str) -> WorkingCalendar:
    """The national working calendar of ``country`` (ISO 3166 alpha-2), shared and cached;
    an unknown code raises ``InvalidInput`` naming it."""
    return _calendar(_country(country, "country"))


def _resolve(country: str | WorkingCalendar) -> WorkingCalendar:
    if isinstance(country, WorkingCalendar):
        return country
    return calendar_for(country)


def is_working_day(
    day: date, country: str | WorkingCalendar = "CN", *, strict: bool = False
) -> bool:
    """Whether ``day`` is a working day in ``country``'s calendar (SHIP-DATE)."""
    return _resolve(country).is_working_day(day, strict=strict)


def add_working_days(
    start: date, n: int, country: str | WorkingCalendar = "CN", *, strict: bool = False
) -> date:
    """The date ``n`` working days after ``start`` in ``country``'s calendar (SHIP-DATE).

    ``start`` itself is not counted; ``n = 0`` returns ``start`` if it is a working day,
    else the next working day; a negative ``n`` counts backwards.
    """
    return _resolve(country).add_working_days(start, n, strict=strict)


def working_days_between(
    start: date, end: date, country: str | WorkingCalendar = "CN", *, strict: bool = False
) -> int:
    """Working days in ``(start, end]`` in ``country``'s calendar; negative if ``end`` is
    before ``start`` (SHIP-DATE)."""
    return _resolve(country).working_days_between(start, end, strict=strict)


def ship_by(
    confirmed_on: date,
    lead_days: int,
    country: str | WorkingCalendar = "CN",
    policy: ShippingPolicy = DEFAULT_SHIPPING,
    *,
    strict: bool = False,
) -> date:
    """The latest ship date: ``lead_days`` working days after confirmation, in the
    supplier's calendar (SHIP-DATE). A lead time outside the policy's window is refused
    (SHIP-WINDOW)."""
    calendar_date(confirmed_on, "confirmed_on")
    day_count(lead_days, "lead_days", signed=True)
    policy = of_type(policy, "policy", ShippingPolicy)
    if not policy.min_lead_days <= lead_days <= policy.max_lead_days:
        raise RuleViolation(
            "SHIP-WINDOW",
            f"a lead time of {lead_days} working days is outside "
            f"{policy.min_lead_days} to {policy.max_lead_days}; agree a lead time of "
            f"{policy.min_lead_days} to {policy.max_lead_days} working days",
        )
    return _resolve(country).add_working_days(confirmed_on, lead_days, strict=strict)


def is_late(ship_by: date, shipped_on: date | None, today: date) -> bool:
    """Whether the order is late: nothing final shipped by the end of ``ship_by``, i.e. the
    final shipment went out after it, or has not gone and ``today`` is past it
    (SHIP-LATE-REFUND, TA-LATE-SHIPMENT)."""
    calendar_date(ship_by, "ship_by")
    calendar_date(today, "today")
    if shipped_on is None:
        return today > ship_by
    calendar_date(shipped_on, "shipped_on")
    if shipped_on > today:
        raise InvalidInput(
            f"shipped_on {shipped_on} is after today {today}: a shipment cannot be recorded "
            "before it happens"
        )
    return shipped_on > ship_by


def check(
    ship_by: date,
    new_date: date,
    buyer_agrees: bool,
    supplier_agrees: bool,
    *,
    confirmed_on: date | None = None,
    country: str | WorkingCalendar = "CN",
    policy: ShippingPolicy = DEFAULT_SHIPPING,
) -> tuple[RuleViolation, ...]:
    """Every reason the ship-by date may not move from ``ship_by`` to ``new_date``;
    empty when it may. The date moves only when buyer and supplier both agree
    (SHIP-EXTEND), only later (SHIP-EXTEND) and, given ``confirmed_on``, no further than
    the policy's cap of working days from confirmation in ``country``'s calendar
    (TMR-SHIP-EXTEND-CAP), as the escrow counts it.

    Raises ``InvalidInput`` for a malformed argument (a ``datetime`` for a date, an
    agreement that is not True or False).
    """
    calendar_date(ship_by, "ship_by")
    calendar_date(new_date, "new_date")
    boolean(buyer_agrees, "buyer_agrees")
    boolean(supplier_agrees, "supplier_agrees")
    if confirmed_on is not None:
        calendar_date(confirmed_on, "confirmed_on")
    policy = of_type(policy, "policy", ShippingPolicy)
    found: list[RuleViolation] = []
    missing = [
        who
        for who, agrees in (("buyer", buyer_agrees), ("supplier", supplier_agrees))
        if not agrees
    ]
    if missing:
        found.append(
            RuleViolation(
                "SHIP-EXTEND",
                f"the {' and the '.join(missing)} did not agree to move the ship-by date "
                f"from {ship_by} to {new_date}; it moves only when buyer and supplier both "
                "agree",
            )
        )
    if new_date <= ship_by:
        found.append(
            RuleViolation(
                "SHIP-EXTEND",
                f"the new date {new_date} is not later than the ship-by date {ship_by}; an "
                f"extension moves it to a date after {ship_by}",
            )
        )
    if confirmed_on is not None:
        cap = _resolve(country).add_working_days(confirmed_on, policy.ship_extend_cap_days)
        if new_date > cap:
            found.append(
                RuleViolation(
                    "TMR-SHIP-EXTEND-CAP",
                    f"the new date {new_date} is more than {policy.ship_extend_cap_days} "
                    f"working days after confirmation on {confirmed_on}; extend to {cap} at "
                    "the latest",
                )
            )
    return tuple(found)


def apply(
    ship_by: date,
    new_date: date,
    buyer_agrees: bool,
    supplier_agrees: bool,
    *,
    confirmed_on: date | None = None,
    country: str | WorkingCalendar = "CN",
    policy: ShippingPolicy = DEFAULT_SHIPPING,
) -> date:
    """The new ship-by date, ``new_date``, when :func:`check` finds nothing against the
    move; otherwise raises the first violation it finds as ``RuleViolation``
    (SHIP-EXTEND, TMR-SHIP-EXTEND-CAP)."""
    found = check(
        ship_by,
        new_date,
        buyer_agrees,
        supplier_agrees,
        confirmed_on=confirmed_on,
        country=country,
        policy=policy,
    )
    if found:
        raise found[0]
    return new_date


#: The name :func:`apply` had before the verb pair; existing callers keep it.
extend = apply


def refund_arrival(
    issued_on: date,
    country: str | WorkingCalendar = "CN",
    policy: ShippingPolicy = DEFAULT_SHIPPING,
    *,
    strict: bool = False,
) -> tuple[date, date]:
    """The earliest and latest arrival of a refund issued on ``issued_on``, in business
    days of the buyer's bank's country (ESC-REFUND-WINDOW)."""
    calendar_date(issued_on, "issued_on")
    policy = of_type(policy, "policy", ShippingPolicy)
    calendar = _resolve(country)
    return (
        calendar.add_working_days(issued_on, policy.refund_arrival_min_days, strict=strict),
        calendar.add_working_days(issued_on, policy.refund_arrival_max_days, strict=strict),
    )
