"""tradeassure._checks: every argument and field check, once, and the events' wording kept."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradeassure import _checks
from tradeassure.errors import InvalidInput
from tradeassure.events import (
    ContractConfirmed,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    Event,
    OrderPlaced,
    PaymentReceived,
    Shipped,
)
from tradeassure.money import Money
from tradeassure.terms import Party, PaymentMethod
from tradeassure.testing import supported_dates

T0 = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
USD10 = Money(10, "USD")
_PLACED = {
    "at": T0,
    "order_id": "PO-1",
    "buyer": "Acme Ltd",
    "supplier": "Ningbo Tools Co",
    "total": Money(100, "USD"),
    "ship_by": date(2025, 4, 15),
}


def _refusal(build: Callable[[], object]) -> str:
    with pytest.raises(InvalidInput) as refused:
        build()
    return str(refused.value)


# -- the events' validators, as the events word them today ---------------------------------

# (event class, its field, a bad value, the _checks validator that serves that field)
EVENT_FIELDS: list[tuple[type[Event], str, object, _checks.Validator]] = [
    (Event, "at", datetime(2025, 3, 1, 9, 0), _checks.aware_field),
    (Event, "at", "2025-03-01", _checks.aware_field),
    (Event, "event_id", " ", _checks.optional_text_field),
    (OrderPlaced, "order_id", "", _checks.text_field),
    (OrderPlaced, "ship_by", datetime(2025, 4, 15, tzinfo=UTC), _checks.date_field),
    (OrderPlaced, "total", Money(0, "USD"), _checks.positive_money_field),
    (OrderPlaced, "total", 100, _checks.positive_money_field),
    (OrderPlaced, "drafted_by", "buyer", _checks.member(Party)),
    (OrderPlaced, "protected", 1, _checks.boolean_field),
    (PaymentReceived, "method", "TT", _checks.member(PaymentMethod)),
    (PaymentReceived, "amount", Decimal(10), _checks.positive_money_field),
    (Shipped, "final", None, _checks.boolean_field),
    (ContractConfirmed, "by", None, _checks.member(Party)),
    (DisputeSettled, "refund", Money(-1, "USD"), _checks.non_negative_money_field),
    (DisputeSettled, "refund", "1", _checks.non_negative_money_field),
]

_GOOD: dict[type[Event], dict[str, object]] = {
    Event: {"at": T0},
    OrderPlaced: _PLACED,
    PaymentReceived: {"at": T0, "amount": USD10, "method": PaymentMethod.TT},
    Shipped: {"at": T0, "value": USD10, "final": True},
    ContractConfirmed: {"at": T0, "by": Party.BUYER},
    DisputeSettled: {"at": T0, "refund": USD10},
}


@pytest.mark.parametrize(
    ("cls", "field", "bad", "check"), EVENT_FIELDS, ids=lambda v: getattr(v, "__name__", None)
)
def test_a_field_validator_refuses_as_the_event_records_do(
    cls: type[Event], field: str, bad: object, check: _checks.Validator
) -> None:
    event_says = _refusal(lambda: cls(**{**_GOOD[cls], field: bad}))  # type: ignore[arg-type]
    shell = object.__new__(cls)
    assert _refusal(lambda: check(shell, attrs.fields_dict(cls)[field], bad)) == event_says


@pytest.mark.parametrize("bad", ["photos.zip", ["photos.zip", 7], None, ["\ud800"]])
def test_a_collection_of_text_is_refused_as_tuple_of_refuses_it_naming_the_field(
    bad: object,
) -> None:
    good = {"at": T0, "reason": DisputeReason.DAMAGED, "claim": USD10}
    event_says = _refusal(lambda: DisputeOpened(**good, evidence=bad))  # type: ignore[arg-type]
    assert _refusal(lambda: _checks.tuple_of(bad, str, "DisputeOpened.evidence")) == event_says
    assert "DisputeOpened.evidence" in event_says or "surrogate" in event_says


def test_the_strings_converter_keeps_a_list_of_strings_as_a_tuple() -> None:
    assert _checks.strings(["a", "b"]) == ("a", "b")


# -- plain checks: both sides of each boundary ----------------------------------------------


class _Colour(enum.Enum):
    RED = "red"


# (check, extra args, accepted value, refused value, words of the refusal)
PLAIN: list[tuple[Callable[..., object], tuple[Any, ...], object, object, str]] = [
    (_checks.plain_date, (), date(2025, 1, 1), datetime(2025, 1, 1), "must be a datetime.date"),
    (_checks.aware, (), T0, datetime(2025, 1, 1), "is naive"),
    (_checks.money, (), USD10, 10, "must be Money"),
    (_checks.positive_money, (), Money("0.01", "USD"), Money(0, "USD"), "more than zero"),
    (_checks.non_negative_money, (), Money(0, "USD"), Money("-0.01", "USD"), "zero or more"),
    (_checks.text, (), "x", " \t", "must be a non-empty string"),
    (_checks.optional_text, (), None, "", "must be a non-empty string"),
    (_checks.boolean, (), False, 0, "must be True or False"),
    (_checks.integer, (), 0, True, "must be an int"),
    (_checks.count, (), 0, -1, "must be zero or more"),
    (_checks.of_type, (_Colour,), _Colour.RED, "red", "must be a _Colour"),
    (_checks.registered, (), "CR-80", "CR-81", "registered rule id"),
    (_checks.duration, (), timedelta(0), timedelta(seconds=-1), "timedelta of zero or more"),
    (_checks.exact, (), Decimal("0.5"), "0.5", "must be a Decimal"),
    (_checks.share, (), Decimal(1), Decimal("1.01"), "share from 0 to 1"),
    (_checks.share, (), 0, Decimal("-0.01"), "share from 0 to 1"),
]


@pytest.mark.parametrize(
    ("check", "args", "good", "bad", "words"), PLAIN, ids=lambda v: getattr(v, "__name__", None)
)
def test_a_plain_check_returns_what_it_accepts_and_names_what_it_refuses(
    check: Callable[..., object], args: tuple[Any, ...], good: object, bad: object, words: str
) -> None:
    assert check(good, "the_value", *args) is good
    message = _refusal(lambda: check(bad, "the_value", *args))
    assert message.startswith("the_value ")
    assert words in message


@pytest.mark.parametrize(
    ("check", "args", "good", "bad", "words"), PLAIN, ids=lambda v: getattr(v, "__name__", None)
)
def test_a_field_validator_is_its_plain_check_naming_class_and_field(
    check: Callable[..., object], args: tuple[Any, ...], good: object, bad: object, words: str
) -> None:
    @attrs.frozen
    class Holder:
        value: object = attrs.field(validator=_checks.validator(check, *args))

    assert Holder(good).value is good
    assert _refusal(lambda: Holder(bad)) == _refusal(lambda: check(bad, "Holder.value", *args))


def test_a_float_is_refused_as_inexact_with_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"rate 0\.1 is a float, which is inexact"):
        _checks.exact(0.1, "rate")


def test_the_text_check_says_what_the_caller_asks_for() -> None:
    with pytest.raises(InvalidInput, match=r"^source must name the notice, got ''$"):
        _checks.text("", "source", must="name the notice")


@pytest.mark.parametrize("bad", ["ab", b"ab", 3, None])
def test_a_collection_is_never_a_lone_string_or_a_non_collection(bad: object) -> None:
    with pytest.raises(InvalidInput, match="items must be a tuple or list of int values"):
        _checks.tuple_of(bad, int, "items")


def test_a_collection_refuses_an_item_of_another_kind_and_a_bool_for_an_int() -> None:
    assert _checks.tuple_of([1, 2], int, "items") == (1, 2)
    with pytest.raises(InvalidInput, match="items must hold int values only, not True"):
        _checks.tuple_of([1, True], int, "items")


@given(supported_dates())
def test_every_plain_date_passes_and_every_instant_on_it_is_refused(day: date) -> None:
    assert _checks.plain_date(day, "day") == day
    instant = datetime(day.year, day.month, day.day, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="not a datetime"):
        _checks.plain_date(instant, "day")


@given(st.integers(-(10**6), 10**6))
def test_a_count_accepts_exactly_the_ints_of_zero_or_more(n: int) -> None:
    if n >= 0:
        assert _checks.count(n, "n") == n
    else:
        with pytest.raises(InvalidInput, match="n must be zero or more"):
            _checks.count(n, "n")


# -- the written-out field validators: validator(check) exactly, only cheaper ------------

# (the written-out field validator, the validator(check) it stands for)
WRITTEN_OUT: list[tuple[_checks.Validator, _checks.Validator]] = [
    (_checks.aware_field, _checks.validator(_checks.aware)),
    (_checks.boolean_field, _checks.validator(_checks.boolean)),
    (_checks.day_count_field, _checks.validator(_checks.day_count)),
    (_checks.text_field, _checks.validator(_checks.text)),
    (_checks.optional_text_field, _checks.validator(_checks.optional_text)),
    (_checks.free_text_field, _checks.validator(_checks.free_text)),
    (_checks.positive_whole_money_field, _checks.validator(_checks.positive_whole_money)),
    (
        _checks.non_negative_whole_money_field,
        _checks.validator(_checks.non_negative_whole_money),
    ),
    (_checks.date_field, lambda o, a, v: _checks._date(v, _checks.where(o, a), "date")),
    (_checks.member(Party), _checks.validator(_checks.of_type, Party)),
    (_checks.member(Event), _checks.validator(_checks.of_type, Event)),
    (_checks.member(int), _checks.validator(_checks.of_type, int)),
    (_checks.member(bool), _checks.validator(_checks.of_type, bool)),
]

_OFFSETS = st.one_of(
    st.none(),
    st.just(UTC),
    st.timedeltas(timedelta(hours=-23, minutes=-59), timedelta(hours=23, minutes=59)).map(timezone),
    st.sampled_from([ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York")]),
)
_ODD_TEXT = st.text(st.sampled_from(["a", " ", "\t", "\u00a0", "\u2028", "é", "\ud800", "\x1c"]))
_VALUES = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=_OFFSETS),
    st.dates(),
    _ODD_TEXT,
    st.text(max_size=5),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.sampled_from([*Party, *PaymentMethod, T0, 0.5, Decimal(1), USD10]),
    st.builds(
        Money,
        st.decimals(-(10**6), 10**6, places=4, allow_nan=False, allow_infinity=False),
        st.sampled_from(["USD", "JPY", "BHD"]),
    ),
    st.builds(ContractConfirmed, at=st.just(T0), by=st.sampled_from(Party)),
)


def _outcome(check: _checks.Validator, value: object) -> str | None:
    shell = object.__new__(PaymentReceived)
    try:
        check(shell, attrs.fields_dict(PaymentReceived)["amount"], value)
    except (InvalidInput, TypeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


@pytest.mark.parametrize(
    ("written", "plain"), WRITTEN_OUT, ids=lambda v: getattr(v, "__name__", "")
)
@given(value=_VALUES)
def test_a_written_out_field_validator_accepts_and_refuses_as_its_plain_check(
    written: _checks.Validator, plain: _checks.Validator, value: object
) -> None:
    assert _outcome(written, value) == _outcome(plain, value)


@pytest.mark.parametrize(
    "at",
    [
        datetime(1901, 1, 1, tzinfo=timezone(timedelta(hours=23, minutes=59))),
        datetime(2099, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-23, minutes=-59))),
        datetime(1900, 1, 1, tzinfo=UTC),
        datetime(1900, 1, 1, tzinfo=timezone(timedelta(hours=1))),
        datetime(2100, 12, 31, 23, 59, tzinfo=UTC),
        datetime(2100, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-1))),
    ],
)
def test_the_instant_check_keeps_its_range_at_the_ends_of_the_years_it_vouches_for(
    at: datetime,
) -> None:
    plain = _checks.validator(_checks.aware)
    assert _outcome(_checks.aware_field, at) == _outcome(plain, at)
