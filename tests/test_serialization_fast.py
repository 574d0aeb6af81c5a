"""The fast envelope reader (serialization._fast) against the strict one: on text the
library writes it answers, and equally; on any text at all it answers only where the
strict reader accepts, and as it would. So ``from_json`` gives what the strict reader
gives, value or error, whichever path read it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradeassure import Money
from tradeassure.errors import InvalidJSON
from tradeassure.escrow import Event, OrderPlaced, PaymentMethod, PaymentReceived
from tradeassure.money import _plain_money, minor_unit
from tradeassure.serialization import (
    _CURRENCY,
    _INSTANT,
    Envelope,
    _fast_reader,
    _load,
    envelope_from_json,
    events_to_json_lines,
    from_dict,
    from_json,
)
from tradeassure.serialization._fast import _WRITTEN, _payable
from tradeassure.testing import any_events, order_histories
from wire import WIRE_ORDER, as_json

FAST = _fast_reader()
pytestmark = pytest.mark.skipif(FAST is None, reason="msgspec (the fast extra) is missing")


def _strict(text: str, cls: type = Envelope) -> object:
    """What the strict reader gives: the value, or the InvalidJSON's problems."""
    try:
        return from_dict(_load(text, cls.__name__), cls)
    except InvalidJSON as error:
        return error.problems


def _public(text: str | bytes, cls: type = Envelope) -> object:
    try:
        return from_json(text, cls)
    except InvalidJSON as error:
        return error.problems


@given(any_events(after=datetime(2025, 1, 1, tzinfo=UTC)))
def test_any_event_the_library_writes_is_read_fast_and_equally(event: Event) -> None:
    text = as_json(event)
    assert FAST is not None
    found = FAST(text)
    assert found is not None, text
    order_id = event.order_id if isinstance(event, OrderPlaced) else WIRE_ORDER
    assert found == (order_id, event)
    assert _strict(text) == Envelope(order_id, event)


@given(order_histories())
def test_every_line_of_a_history_is_read_fast(history: tuple[Event, ...]) -> None:
    assert FAST is not None
    for line in events_to_json_lines(history).splitlines():
        assert FAST(line) is not None, line


# -- any text: the fast path answers only as the strict reader would ----------------------

_PAYMENT = json.loads(
    as_json(
        PaymentReceived(
            at=datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
            amount=Money("12.50", "USD"),
            method=PaymentMethod.TT,
            event_id="p-1",
        )
    )
)

_ODD_VALUES = st.sampled_from(
    [
        None,
        True,
        False,
        0,
        1,
        -1,
        1.5,
        12.5,
        10**20,
        "",
        " ",
        "x",
        "TT",
        "tt",
        "USD",
        "usd",
        "12.50",
        "1_000",
        "1e3",
        "2025-03-04",
        "2025-03-04T09:30:00",
        "2025-03-04T09:30:00+00:00",
        "2025-03-04 09:30:00+00:00",
        "PO-1",
        '\\":',
        [],
        ["x"],
        {},
        {"amount": "1", "currency": "USD"},
        {"amount": 1, "currency": "USD"},
    ]
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    return found


def _set(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = dict(document)
    copy[path[0]] = _set(document.get(path[0]), path[1:], value)
    return copy


def _drop(document: Any, path: tuple[Any, ...]) -> Any:
    copy = dict(document)
    if len(path) == 1:
        copy.pop(path[0])
    else:
        copy[path[0]] = _drop(document[path[0]], path[1:])
    return copy


@st.composite
def _mutants(draw: st.DrawFn) -> str:
    """A payment envelope changed in one to three places, or written oddly."""
    document: Any = _PAYMENT
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(document) if p]
        path = draw(st.sampled_from(paths)) if paths else ()
        action = draw(st.sampled_from(["set", "drop", "add"]))
        if action == "set" or not path:
            document = _set(document, path, draw(_ODD_VALUES))
        elif action == "drop":
            document = _drop(document, path)
        else:
            parent = path[:-1]
            target = document
            for key in parent:
                target = target[key]
            if isinstance(target, dict):
                extra = draw(st.sampled_from(["extra", "at", "amount", "type", "schema"]))
                document = _set(document, (*parent, extra), draw(_ODD_VALUES))
    text = json.dumps(document, separators=draw(st.sampled_from([(",", ":"), (", ", ": ")])))
    if draw(st.booleans()):  # a duplicate key, written as JSON allows and Python collapses
        key = draw(st.sampled_from(['"schema":', '"amount":', '"at":', '"currency":', '"type":']))
        value = draw(
            st.sampled_from(["2", "1", '"USD"', '"x"', "null", '"2025-03-04T09:30:00+00:00"'])
        )
        if key in text:
            text = text.replace(key, f"{key}{value},{key}", 1)
    return text


@given(_mutants())
def test_the_fast_path_answers_only_as_the_strict_reader_would(text: str) -> None:
    assert FAST is not None
    strict = _strict(text)
    found = FAST(text)
    if found is not None:
        assert strict == Envelope(*found), text
    assert _public(text) == strict
    assert _public(text.encode()) == strict  # type: ignore[arg-type]
    assert _public(text, Event) == _strict(text, Event)
    assert _public(text, PaymentReceived) == _strict(text, PaymentReceived)
    assert _parts(text) == (_two(strict) if isinstance(strict, Envelope) else strict)


def _parts(text: str) -> object:
    """What envelope_from_json gives: the order id and event, or the problems."""
    try:
        return envelope_from_json(text)
    except InvalidJSON as error:
        return error.problems


def _two(envelope: object) -> tuple[str, Event]:
    assert isinstance(envelope, Envelope)
    return envelope.order_id, envelope.event


@pytest.mark.parametrize(
    "text",
    [
        '{"type":"PaymentReceived","schema":2,"schema":2,"order_id":"PO-1","event":'
        '{"at":"2025-03-04T09:30:00+00:00","amount":{"amount":"1","currency":"USD"},'
        '"method":"TT"}}',
        '{"type":"PaymentReceived","schema":2,"order_id":"PO-1","event":'
        '{"at":"2025-03-04T09:30:00+00:00","amount":{"amount":"1","currency":"USD",'
        '"currency" : "EUR"},"method":"TT"}}',
    ],
    ids=["envelope", "money-spaced"],
)
def test_a_duplicate_key_is_refused_on_either_path(text: str) -> None:
    assert FAST is not None
    assert FAST(text) is None
    with pytest.raises(InvalidJSON, match="appears twice"):
        from_json(text, Envelope)


def test_an_escaped_quote_before_a_colon_in_a_string_is_read_strictly_and_the_same() -> None:
    event = json.loads(as_json(_fast_event()))
    event["event"]["event_id"] = 'say \\":'
    text = json.dumps(event)
    assert FAST is not None
    assert FAST(text) is None  # it looks like one key more than there is
    assert from_json(text, Envelope).event.event_id == 'say \\":'


def _fast_event() -> PaymentReceived:
    return from_json(json.dumps(_PAYMENT), PaymentReceived)


def test_a_raw_lone_surrogate_is_invalid_json_on_either_path() -> None:
    text = json.dumps(_PAYMENT).replace('"p-1"', '"\ud800"')
    assert FAST is not None
    assert FAST(text) is None
    with pytest.raises(InvalidJSON):
        from_json(text, Envelope)
    with pytest.raises(InvalidJSON):
        from_json('{"\ud800": 1}', Event)


# -- the shortcuts the fast path takes, each held to what it stands for -------------------

_LINE = json.dumps(_PAYMENT, separators=(",", ":"))


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(_PAYMENT, indent=2),
        json.dumps(_PAYMENT, separators=(" , ", " : ")),
        json.dumps(_PAYMENT, indent="\t", separators=("\r\n,", ":\t")).replace("\n", "\r\n"),
    ],
    ids=["indented", "spaced", "tabs-and-line-ends"],
)
def test_white_space_anywhere_is_read_fast_and_equally(text: str) -> None:
    assert FAST is not None
    found = FAST(text)
    assert found is not None
    assert _strict(text) == Envelope(*found)


@pytest.mark.parametrize(
    "text",
    [
        # The quotes are counted, not the colons: white space before a colon hides nothing.
        _LINE.replace('"method":', '"method" : "VISA" , "method" :'),
        _LINE.replace('"method":', '"method"\n:"VISA",\n"method"\t:'),
        json.dumps(_PAYMENT, indent=2).replace('"event_id":', '"event_id": null,\n"event_id":'),
        _LINE.replace('"currency":', '"currency" :"EUR","currency":'),
        _LINE.replace('"via_checkout":true', '"via_checkout":false,"via_checkout":true'),
        _LINE.replace('"schema":2', '"schema":2,"schema" : 2'),
    ],
    ids=["spaced", "line-ends", "indented-null", "money", "boolean", "envelope"],
)
def test_a_duplicate_key_is_refused_however_it_is_spaced(text: str) -> None:
    assert FAST is not None
    assert FAST(text) is None
    with pytest.raises(InvalidJSON, match="appears twice"):
        from_json(text, Envelope)


@pytest.mark.parametrize("held", ['say \\":', 'a \\" b', '\\"', "x\\u0022y"])
def test_an_escaped_quote_in_a_string_is_read_strictly_and_the_same(held: str) -> None:
    text = _LINE.replace('"p-1"', f'"{held}"')
    assert FAST is not None
    expected = json.loads(text)["event"]["event_id"]
    if '\\"' in held:
        assert FAST(text) is None  # a quote more than the values account for
    assert from_json(text, Envelope).event.event_id == expected
    assert _public(text) == _strict(text)


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 2),
        max_value=datetime(2100, 12, 30),
        timezones=st.timedeltas(
            -timedelta(hours=23, minutes=59), timedelta(hours=23, minutes=59)
        ).map(lambda d: timezone(timedelta(minutes=d // timedelta(minutes=1)))),
    ),
    st.sampled_from(["seconds", "minutes", "microseconds", "milliseconds"]),
    st.sampled_from(["", "Z", "t", " ", "0", "+00:00:00", ".5"]),
)
def test_the_writers_form_of_an_instant_is_read_as_the_strict_reader_reads_it(
    at: datetime, timespec: str, tail: str
) -> None:
    text = at.isoformat(timespec=timespec)
    for odd in (text, text + tail, text.replace("T", tail or "T"), text[:19] + tail):
        if _WRITTEN.fullmatch(odd):
            assert _INSTANT.fullmatch(odd), odd  # the writer's form is one of the strict one's
        line = _LINE.replace('"2025-03-04T09:30:00+00:00"', json.dumps(odd))
        assert FAST is not None
        found = FAST(line)
        strict = _strict(line)
        if found is not None:
            assert strict == Envelope(*found), line
        assert _public(line) == strict


def test_every_currency_msgspec_admits_is_one_the_strict_reader_takes() -> None:
    codes = _payable()
    assert "USD" in codes
    assert "JPY" in codes
    assert "XAU" not in codes  # gold: no minor unit, no currency of payment
    for code in codes:
        assert _CURRENCY.fullmatch(code)
        minor_unit(code)


@given(
    st.one_of(
        st.integers(0, 18)
        .flatmap(lambda p: st.decimals(allow_nan=False, allow_infinity=False, places=p))
        .map(str),
        st.from_regex(r"[0-9.]{0,18}", fullmatch=True),
        st.sampled_from(["1000000000000000", "999999999999999", "999999999999999.", ".5", "5."]),
        st.text(max_size=18),
    ),
    st.sampled_from(["USD", "JPY", "BHD"]),
)
def test_plain_money_is_money_of_the_same_text_or_none(amount: str, currency: str) -> None:
    plain = _plain_money(amount, currency)
    if plain is not None:
        assert plain == Money(amount, currency)
        assert repr(plain) == repr(Money(amount, currency))
