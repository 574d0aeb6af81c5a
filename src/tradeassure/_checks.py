"""The one set of argument and field checks: each job written once, in two shapes.

A *plain check* ``name(value, what)`` returns ``value`` when it is well-formed and
otherwise raises :class:`~tradeassure.errors.InvalidInput` saying what ``what`` must be
and what it got. A *field validator* is the attrs validator built from it
(:func:`validator`): the same check, its message naming ``ClassName.field``.

>>> plain_date(date(2025, 3, 1), "as_of")
datetime.date(2025, 3, 1)
>>> plain_date(datetime(2025, 3, 1, 9, 0), "as_of")
Traceback (most recent call last):
...
tradeassure.errors.InvalidInput: as_of must be a datetime.date (not a datetime), got datetime...

Every date, instant and span of days lies in one stated domain (:data:`FIRST_DAY` to
:data:`LAST_DAY`, :data:`MAX_DAYS`; docs/design.md, "The supported domain"), checked here
and nowhere else, so a value outside it is refused where it enters, naming the range:

>>> plain_date(date(9999, 12, 20), "as_of")
Traceback (most recent call last):
...
tradeassure.errors.InvalidInput: as_of must be from 1900-01-01 to 2100-12-31 (the supported
dates), got 9999-12-20
>>> day_count(10**18, "confirm_days")
Traceback (most recent call last):
...
tradeassure.errors.InvalidInput: confirm_days must be zero or more and at most 73,413 days ...

The escrow's events use the field validators (:data:`aware_field`, :data:`date_field`,
:data:`positive_whole_money_field`, :data:`non_negative_whole_money_field`,
:data:`text_field`, :data:`optional_text_field`, :data:`free_text_field`,
:func:`tuple_of`, :func:`member`, :data:`boolean_field`); amounts entering escrow are
whole minor units. Every text check refuses a lone surrogate (:func:`writable`), which
JSON text could not carry back. Two jobs keep the
wording of both their callers: a date field "must be a date" where an argument "must be
a datetime.date", and a Money field "must not be negative" where an argument "must be
zero or more".

This module imports only ``errors``, ``money`` and ``rules``, so any domain module may
use it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import ROUND_DOWN, Decimal
from typing import Any, Final, TypeAlias, TypeVar

import attrs

from tradeassure.errors import InvalidInput
from tradeassure.money import MAX_DECIMAL_PLACES, Money, _one_minor_unit
from tradeassure.rules import RULES

__all__ = [
    "FIRST_COUNTED_DAY",
    "FIRST_DAY",
    "LAST_COUNTED_DAY",
    "LAST_DAY",
    "MAX_DAYS",
    "MAX_MONTHS",
    "MAX_YEARS",
    "Strings",
    "Validator",
    "aware",
    "aware_field",
    "boolean",
    "boolean_field",
    "calendar_date",
    "calendar_year",
    "count",
    "count_field",
    "currency_code",
    "date_field",
    "day_count",
    "day_count_field",
    "derived_date_field",
    "derived_instant",
    "derived_instant_field",
    "duration",
    "duration_field",
    "exact",
    "fixed_offset",
    "free_text",
    "free_text_field",
    "frozenset_of",
    "instances",
    "integer",
    "member",
    "money",
    "money_field",
    "month_count",
    "month_count_field",
    "non_negative_money",
    "non_negative_money_field",
    "non_negative_whole_money",
    "non_negative_whole_money_field",
    "of_type",
    "optional_fixed_offset",
    "optional_text",
    "optional_text_field",
    "plain_date",
    "positive_money",
    "positive_money_field",
    "positive_whole_money",
    "positive_whole_money_field",
    "registered",
    "registered_field",
    "share",
    "share_field",
    "strings",
    "text",
    "text_field",
    "tuple_of",
    "validator",
    "where",
    "whole_minor_units",
    "writable",
    "year_count",
    "year_count_field",
]

_T = TypeVar("_T")
_A = TypeVar("_A", bound=attrs.AttrsInstance)

#: What a field of several strings takes (evidence, specifications, reasons): a tuple or
#: a list of them. Not ``Iterable[str]``: a lone ``str`` is itself one, so a checker
#: would pass ``evidence="photo.jpg"``, which the converter refuses at run time.
Strings: TypeAlias = tuple[str, ...] | list[str]

#: What attrs calls with ``(instance, attribute, value)``.
Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

_NON_EMPTY: Final = "be a non-empty string"

# -- the supported domain -------------------------------------------------------------------

#: The first and the last day the library is given: every date it takes (an argument, a
#: field of a value or an event) lies from FIRST_DAY to LAST_DAY, inclusive, and every
#: instant within them in UTC. LAST_DAY is where the ``holidays`` package's calendars end
#: (their ``end_year`` is 2100 for all but two countries, which end earlier): past it no
#: public holiday is known, so a working day could only be guessed. No contract, check or
#: drawdown this library judges predates FIRST_DAY; a date before it is a typo (year 25
#: for 2025), and is refused as one.
FIRST_DAY: Final = date(1900, 1, 1)
LAST_DAY: Final = date(2100, 12, 31)
#: The most a count of days (calendar or working days), months or years may be: about
#: the length of the supported dates. A policy figure or an argument beyond it would put
#: every deadline past LAST_DAY, so it can only be a mistake (``confirm_days=10**9``).
MAX_DAYS: Final = (LAST_DAY - FIRST_DAY).days
MAX_YEARS: Final = LAST_DAY.year - FIRST_DAY.year
MAX_MONTHS: Final = 12 * MAX_YEARS
#: The dates a working calendar counts on (``tradeassure.shipping``): the supported
#: dates, the century before them (the supplier's day of an instant early on FIRST_DAY
#: in UTC, a count back), and the nine after, where deadlines counted from a supported
#: date fall. A rule derives a date at most a few day counts past LAST_DAY (a supported
#: day plus a pause of at most MAX_DAYS and a count of at most MAX_DAYS working days
#: stays before 2600: past LAST_DAY no holiday is known and no country's weekend is
#: longer than two days, so five days in seven are working days), and an instant at
#: most four (before 2905), so nothing a rule computes ever leaves Python's dates.
FIRST_COUNTED_DAY: Final = date(1800, 1, 1)
LAST_COUNTED_DAY: Final = date(2999, 12, 31)

_SUPPORTED: Final = "the supported dates"
_COUNTED: Final = "the dates working calendars count on"
_FIRST_INSTANT: Final = datetime.combine(FIRST_DAY, time(), UTC)
_LAST_INSTANT: Final = datetime.combine(LAST_DAY, time.max, UTC)
_HUGE: Final = 10**30
_LOG10_2: Final = math.log10(2)


def where(instance: object, attribute: attrs.Attribute[Any]) -> str:
    """``ClassName.field``: how a field validator's message names the field."""
    return f"{type(instance).__name__}.{attribute.name}"


def validator(check: Callable[..., object], *args: Any, **kwargs: Any) -> Validator:
    """The attrs validator of the plain ``check``: it runs
    ``check(value, "ClassName.field", *args, **kwargs)``.

    >>> @attrs.frozen
    ... class Note:
    ...     text: str = attrs.field(validator=validator(text, must="say something"))
    >>> Note(" ")
    Traceback (most recent call last):
    ...
    tradeassure.errors.InvalidInput: Note.text must say something, got ' '
    """

    def validate(obj: object, attribute: attrs.Attribute[Any], value: object) -> None:
        check(value, where(obj, attribute), *args, **kwargs)

    return validate


def _a(name: str) -> str:
    return f"an {name}" if name[:1].lower() in set("aeiou") else f"a {name}"


# -- kinds ----------------------------------------------------------------------------------


def of_type(value: object, what: str, kind: type[_T]) -> _T:
    """``value`` if it is a ``kind`` (an enum member, a policy, a value class...). A bool
    is no int here, though Python says it is."""
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise InvalidInput(f"{what} must be {_a(kind.__name__)}, got {value!r}")
    return value


def member(kind: type[Any]) -> Validator:
    """The field validator of :func:`of_type` for ``kind`` (an enum, in the events)."""

    def validate(obj: object, attribute: attrs.Attribute[Any], value: object) -> None:
        # A ``kind`` that is no bool is what of_type accepts as it is (bool has no
        # subclasses, so ``type(value) is bool`` is of_type's isinstance test): only
        # anything else needs the check, and the field's name for its message.
        if not isinstance(value, kind) or type(value) is bool:
            of_type(value, where(obj, attribute), kind)

    return validate


def boolean(value: object, what: str) -> bool:
    """``value`` if it is True or False (not 1, not "yes")."""
    if not isinstance(value, bool):
        raise InvalidInput(f"{what} must be True or False, got {value!r}")
    return value


def integer(value: object, what: str) -> int:
    """``value`` if it is an int (a bool is refused)."""
    return of_type(value, what, int)


def _shown(number: int) -> str:
    """``number`` as a message shows it: in full, or as its order of magnitude when it is
    too long to print (``10**1000010`` has a million digits, more than ``str`` will
    write)."""
    if -_HUGE < number < _HUGE:
        return str(number)
    sign = "-" if number < 0 else ""
    return f"{sign}about 10**{round((abs(number).bit_length() - 1) * _LOG10_2)}"


def count(value: object, what: str) -> int:
    """``value`` if it is an int of zero or more: a number of items (activities,
    transactions, characters). Spans of time are :func:`day_count`, :func:`month_count`
    and :func:`year_count`."""
    number = integer(value, what)
    if number < 0:
        raise InvalidInput(f"{what} must be zero or more, got {_shown(number)}")
    return number


def _span(value: object, what: str, most: int, unit: str, signed: bool) -> int:
    number = integer(value, what)
    if not (-most if signed else 0) <= number <= most:
        within = f"from -{most:,} to {most:,}" if signed else f"zero or more and at most {most:,}"
        raise InvalidInput(
            f"{what} must be {within} {unit} (the length of {_SUPPORTED}, {FIRST_DAY} to "
            f"{LAST_DAY}), got {_shown(number)}"
        )
    return number


def day_count(value: object, what: str, *, signed: bool = False) -> int:
    """``value`` if it is a whole number of days, calendar or working, from zero to
    :data:`MAX_DAYS` (from ``-MAX_DAYS`` when ``signed``): a policy figure, a lead time,
    the days interest runs."""
    return _span(value, what, MAX_DAYS, "days", signed)


def month_count(value: object, what: str) -> int:
    """``value`` if it is a whole number of months from zero to :data:`MAX_MONTHS`."""
    return _span(value, what, MAX_MONTHS, "months", False)


def year_count(value: object, what: str) -> int:
    """``value`` if it is a whole number of years from zero to :data:`MAX_YEARS`."""
    return _span(value, what, MAX_YEARS, "years", False)


def currency_code(value: object, what: str) -> str:
    """``value`` if it has the shape of an ISO 4217 code, three upper-case letters
    (``"USD"``). Whether the code is in the ISO table is ``Money``'s to say, with the
    first amount in it: a policy checks the shape only, so that importing the library
    does not load the table."""
    if not (
        isinstance(value, str)
        and len(value) == 3
        and value.isascii()
        and value.isalpha()
        and value.isupper()
    ):
        raise InvalidInput(
            f"{what} must be an ISO 4217 currency code of three upper-case letters, such "
            f"as 'USD', got {value!r}"
        )
    return value


def registered(value: object, what: str) -> str:
    """``value`` if it is a rule id registered in ``tradeassure.rules``."""
    if not isinstance(value, str) or value not in RULES:
        raise InvalidInput(f"{what} must be a registered rule id, got {value!r}")
    return value


# -- text -----------------------------------------------------------------------------------


def text(value: object, what: str, *, must: str = _NON_EMPTY) -> str:
    """``value`` if it is a string with more than white space in it; ``must`` says what
    the message asks for instead (default: "be a non-empty string")."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{what} must {must}, got {value!r}")
    return writable(value, what)


def optional_text(value: object, what: str, *, must: str = _NON_EMPTY) -> str | None:
    """``value`` if it is None or :func:`text`."""
    return None if value is None else text(value, what, must=must)


def _collect(values: object, kind: type[_T], single: str, stray: str) -> tuple[_T, ...]:
    """``values`` as a tuple of ``kind``; ``single`` and ``stray`` word the refusal of a
    lone string (or non-collection) and of an item of another kind."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidInput(single.format(values))
    out = tuple(values)
    for item in out:
        if not isinstance(item, kind) or (isinstance(item, bool) and kind is not bool):
            raise InvalidInput(stray.format(item))
    return out


def tuple_of(values: object, kind: type[_T], what: str) -> tuple[_T, ...]:
    """``values`` (a tuple, list or other iterable, never a lone string) as a tuple, each
    item a ``kind``: the converter of a collection field."""
    name = kind.__name__
    out = _collect(
        values,
        kind,
        f"{what} must be a tuple or list of {name} values, not {{!r}}",
        f"{what} must hold {name} values only, not {{!r}}",
    )
    if kind is str:
        for item in out:
            writable(item, f"each item of {what}")  # type: ignore[arg-type]
    return out


def strings(values: Iterable[str]) -> tuple[str, ...]:
    """``values`` as a tuple of strings, refusing a lone string: the converter of the
    events' string collections (evidence, specifications)."""
    out = _collect(
        values,
        str,
        "expected a sequence of strings, not the single string {!r}",
        "expected strings, got {!r}",
    )
    for item in out:
        writable(item, "each string")
    return out


# -- time -----------------------------------------------------------------------------------


def _day(value: object, what: str, noun: str) -> date:
    # A datetime is a date subclass: refused, since which day it falls on depends on a zone.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInput(f"{what} must be {_a(noun)} (not a datetime), got {value!r}")
    return value


def _date(
    value: object,
    what: str,
    noun: str,
    first: date = FIRST_DAY,
    last: date = LAST_DAY,
    span: str = _SUPPORTED,
) -> date:
    day = _day(value, what, noun)
    if not first <= day <= last:
        raise InvalidInput(f"{what} must be from {first} to {last} ({span}), got {day}")
    return day


def plain_date(value: object, what: str) -> date:
    """``value`` if it is a calendar day, a ``date`` that is not a ``datetime``, from
    :data:`FIRST_DAY` to :data:`LAST_DAY`."""
    return _date(value, what, "datetime.date")


def calendar_date(value: object, what: str) -> date:
    """``value`` if it is a calendar day a working calendar counts on, from
    :data:`FIRST_COUNTED_DAY` to :data:`LAST_COUNTED_DAY`: the supported dates and the
    deadlines counted from them."""
    return _date(value, what, "datetime.date", FIRST_COUNTED_DAY, LAST_COUNTED_DAY, _COUNTED)


def calendar_year(value: object, what: str) -> int:
    """``value`` if it is a year a working calendar counts in (see :func:`calendar_date`)."""
    year = integer(value, what)
    first, last = FIRST_COUNTED_DAY.year, LAST_COUNTED_DAY.year
    if not first <= year <= last:
        raise InvalidInput(
            f"{what} must be from {first} to {last} ({_COUNTED}), got {_shown(year)}"
        )
    return year


def date_field(obj: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The field validator of :func:`plain_date`, worded as the event records word it."""
    # A date itself (no datetime) on a supported day is what _date accepts as it is.
    if type(value) is not date or not FIRST_DAY <= value <= LAST_DAY:
        _date(value, where(obj, attribute), "date")


def derived_date_field(obj: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The field validator of a date a rule derives from supported ones (the start of a
    look-back window), which may lie before :data:`FIRST_DAY`: any ``date``."""
    _day(value, where(obj, attribute), "date")


def aware(value: object, what: str) -> datetime:
    """``value`` if it is a timezone-aware ``datetime``, an instant, on a supported date
    in UTC (:data:`FIRST_DAY` to :data:`LAST_DAY`)."""
    if not isinstance(value, datetime):
        raise InvalidInput(f"{what} must be a timezone-aware datetime, not {type(value).__name__}")
    if value.utcoffset() is None:
        raise InvalidInput(
            f"{what} {value.isoformat()} is naive: pass a timezone-aware datetime "
            "(e.g. with tzinfo=timezone.utc)"
        )
    # Aware instants compare by their UTC value without converting (no overflow at the
    # ends of Python's dates).
    if not _FIRST_INSTANT <= value <= _LAST_INSTANT:
        raise InvalidInput(
            f"{what} {value.isoformat()} is outside {_SUPPORTED}: expected an instant from "
            f"{FIRST_DAY} to {LAST_DAY} (UTC)"
        )
    return value


_LONGEST: Final = timedelta(days=MAX_DAYS)


def duration(value: object, what: str) -> timedelta:
    """``value`` if it is a ``timedelta`` of zero or more, at most :data:`MAX_DAYS` days."""
    if not isinstance(value, timedelta) or not timedelta(0) <= value <= _LONGEST:
        raise InvalidInput(
            f"{what} must be a timedelta of zero or more and at most {MAX_DAYS:,} days (the "
            f"length of {_SUPPORTED}), got {value!r}"
        )
    return value


# -- money and exact numbers ----------------------------------------------------------------


def money(value: object, what: str) -> Money:
    """``value`` if it is ``Money``."""
    if not isinstance(value, Money):
        raise InvalidInput(f"{what} must be Money, got {value!r}")
    return value


def positive_money(value: object, what: str) -> Money:
    """``value`` if it is ``Money`` of more than zero."""
    amount = money(value, what)
    if amount.amount <= 0:
        raise InvalidInput(f"{what} must be more than zero, got {amount}")
    return amount


def whole_minor_units(value: Money, what: str) -> Money:
    """``value`` if its amount is whole minor units of its currency (USD 100.01, not
    USD 100.005; JPY 333,333, not JPY 333,333.5): where money moves, nothing is finer."""
    if not value.is_whole_minor_units():
        unit = _one_minor_unit(value.currency)
        raise InvalidInput(
            f"{what} {value.amount} {value.currency} is not in whole minor units of "
            f"{value.currency} (one unit is {unit}): expected e.g. {value.rounded(ROUND_DOWN)}"
        )
    return value


def positive_whole_money(value: object, what: str) -> Money:
    """``value`` if it is ``Money`` of more than zero, in whole minor units."""
    return whole_minor_units(positive_money(value, what), what)


def non_negative_whole_money(value: object, what: str) -> Money:
    """``value`` if it is ``Money`` of zero or more, in whole minor units."""
    return whole_minor_units(_non_negative(value, what, "not be negative"), what)


def _non_negative(value: object, what: str, must: str) -> Money:
    amount = money(value, what)
    if amount.is_negative:
        raise InvalidInput(f"{what} must {must}, got {amount}")
    return amount


def non_negative_money(value: object, what: str) -> Money:
    """``value`` if it is ``Money`` of zero or more."""
    return _non_negative(value, what, "be zero or more")


def non_negative_money_field(obj: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The field validator of :func:`non_negative_money`, worded as the event records
    word it."""
    _non_negative(value, where(obj, attribute), "not be negative")


def exact(value: object, what: str) -> Decimal | int:
    """``value`` if it is an exact number, a finite ``Decimal`` (not NaN, not an
    infinity) or an int. A float is refused with ``TypeError``: it would carry its binary
    error into money math (``Fraction(0.0004)`` is not 0.0004)."""
    if isinstance(value, float):
        raise TypeError(
            f"{what} {value!r} is a float, which is inexact: pass a Decimal, such as "
            "Decimal('0.0004')"
        )
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise InvalidInput(f"{what} must be a Decimal, got {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise InvalidInput(f"{what} must be a finite Decimal, got {value}")
    return value


def share(value: object, what: str) -> Decimal | int:
    """``value`` if it is an exact number from 0 to 1, a rate or a share, with at most
    ``MAX_DECIMAL_PLACES`` digits after the point (as an amount of Money): finer digits
    mean nothing, and the exact arithmetic of every use would grow with them."""
    number = exact(value, what)
    if not 0 <= number <= 1:
        raise InvalidInput(f"{what} must be a share from 0 to 1, got {number}")
    exponent = number.as_tuple().exponent if isinstance(number, Decimal) else 0
    assert isinstance(exponent, int)  # finite, checked above
    if exponent < -MAX_DECIMAL_PLACES:
        raise InvalidInput(
            f"{what} must have at most {MAX_DECIMAL_PLACES} digits after the point; it has "
            f"{-exponent}"
        )
    return number


# -- field validators -----------------------------------------------------------------------

count_field: Final = validator(count)
duration_field: Final = validator(duration)
money_field: Final = validator(money)
month_count_field: Final = validator(month_count)
positive_money_field: Final = validator(positive_money)
registered_field: Final = validator(registered)
share_field: Final = validator(share)
year_count_field: Final = validator(year_count)

# The validators every event runs, written out: each asks a quick test first, true only
# of values its plain check accepts as they are, and calls the check (and builds the
# field's name for its message) only when the test cannot vouch for the value. So each
# accepts and refuses exactly as ``validator(check)`` does, with the same message; the
# quick tests are what make reading a book of events cheap.


def aware_field(obj: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The field validator of :func:`aware`."""
    # A datetime whose tzinfo is a fixed ``timezone`` has an offset (never None), of less
    # than a day either way, so one dated 1901 to 2099 in that offset falls from
    # 1900-12-31 to 2100-01-01 in UTC: within the supported dates.
    if (
        type(value) is not datetime
        or type(value.tzinfo) is not timezone
        or not (1900 < value.year < 2100)
    ):
        aware(value, where(obj, attribute))


def boolean_field(obj: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The field validator of :func:`boolean`."""
    if value is not True and value is not False:
        boolean(value, where(obj, attribute))


def day_count_field(obj: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The field validator of :func:`day_count`."""
    if type(value) is not int or not 0 <= value <= MAX_DAYS:
        day_count(value, where(obj, attribute))


def text_field(obj: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The field validator of :func:`text`."""
    # ASCII text is text UTF-8 writes; ``strip()`` is text()'s own test for "more than
    # white space".
    if type(value) is not str or not value.isascii() or not value.strip():
        text(value, where(obj, attribute))


def optional_text_field(obj: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The field validator of :func:`optional_text`."""
    if value is not None and (type(value) is not str or not value.isascii() or not value.strip()):
        optional_text(value, where(obj, attribute))


def positive_whole_money_field(obj: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The field validator of :func:`positive_whole_money`."""
    # Money is final, so its type is the isinstance test of money().
    if type(value) is not Money or not value.amount > 0 or not value.is_whole_minor_units():
        positive_whole_money(value, where(obj, attribute))


def non_negative_whole_money_field(
    obj: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    """The field validator of :func:`non_negative_whole_money`."""
    # An amount is finite, so "not below zero" (is_negative, negated) is ">= 0".
    if type(value) is not Money or not value.amount >= 0 or not value.is_whole_minor_units():
        non_negative_whole_money(value, where(obj, attribute))


# -- what can be stored ---------------------------------------------------------------------


def writable(value: str, what: str) -> str:
    """``value`` if UTF-8 can write it. A lone surrogate (``"\\ud800"``, what a lenient
    decoder leaves of broken bytes) cannot be written as UTF-8, so JSON text holding one
    can be neither saved nor read back: it is refused where it enters."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput(
                f"{what} must be text UTF-8 can write, got {value!r}, which holds a lone surrogate"
            ) from None
    return value


def free_text(value: object, what: str) -> str:
    """``value`` if it is a string, empty or not, that UTF-8 can write: a comment, a
    report, a label."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be a string, got {value!r}")
    return writable(value, what)


def frozenset_of(values: object, what: str, kind: type[_T]) -> frozenset[_T]:
    """``values`` if it is a frozenset of ``kind`` items (a set field takes no list: a
    list read back from JSON would come back a set, unequal to what was stored)."""
    if not isinstance(values, frozenset):
        raise InvalidInput(f"{what} must be a frozenset of {kind.__name__} values, got {values!r}")
    for item in values:
        of_type(item, what, kind)
    return values


def instances(kind: type[Any]) -> Validator:
    """The field validator of :func:`frozenset_of` for ``kind``."""
    return validator(frozenset_of, kind)


def fixed_offset(value: datetime) -> datetime:
    """``value``, but an instant whose named zone leaves it in doubt with that zone's
    offset fixed: a local time that a clock change repeats or skips. Python compares
    such a time unequal to every instant in another zone (PEP 495), so JSON, which
    writes the offset, could not give it back equal; with its offset fixed it is the
    same instant and reads back equal. The converter of instant fields: anything else
    is returned as it is, for the field's validator to judge."""
    if isinstance(value, datetime):
        zone = value.tzinfo
        if zone is not None and type(zone) is not timezone:
            offset = value.utcoffset()
            if offset is not None and offset != value.replace(fold=1 - value.fold).utcoffset():
                return value.replace(tzinfo=timezone(offset), fold=0)
    return value


def optional_fixed_offset(value: datetime | None) -> datetime | None:
    """:func:`fixed_offset` for a field that may be None."""
    return fixed_offset(value) if value is not None else None


def derived_instant(value: object, what: str) -> datetime:
    """``value`` if it is a timezone-aware ``datetime`` that a rule derives from supported
    ones (a deadline), which may lie past :data:`LAST_DAY`: any aware instant, as
    :func:`derived_date_field` takes any date."""
    if not isinstance(value, datetime):
        raise InvalidInput(f"{what} must be a timezone-aware datetime, not {type(value).__name__}")
    if value.utcoffset() is None:
        raise InvalidInput(f"{what} {value.isoformat()} is naive: a deadline is an instant")
    return value


derived_instant_field: Final = validator(derived_instant)


def free_text_field(obj: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The field validator of :func:`free_text`."""
    if type(value) is not str or not value.isascii():
        free_text(value, where(obj, attribute))


def checkless(cls: type[_A]) -> Callable[..., _A]:
    """``cls``'s constructor without its field checks: the same keywords and defaults,
    written out from its field list (as ``escrow._draft`` writes ``thaw`` and
    ``freeze``), for values known to be valid already."""
    fields = attrs.fields(cls)
    if any(isinstance(f.default, attrs.Factory) for f in fields):  # type: ignore[arg-type]
        raise TypeError(f"{cls.__name__}: a factory default needs its own line here")
    params = ", ".join(
        f.name if f.default is attrs.NOTHING else f"{f.name}=default_{f.name}" for f in fields
    )
    source = "\n".join(
        [
            f"def make(*, {params}):",
            "    value = new(cls)",
            *(f"    set(value, {f.name!r}, {f.name})" for f in fields),
            "    return value",
        ]
    )
    namespace: dict[str, Any] = {"new": object.__new__, "set": object.__setattr__, "cls": cls}
    namespace |= {f"default_{f.name}": f.default for f in fields if f.default is not attrs.NOTHING}
    name = f"<{cls.__module__} {cls.__name__} without checks>"
    exec(compile(source, name, "exec"), namespace)
    make: Callable[..., _A] = namespace["make"]
    return make
