"""The fast envelope reader (serialization._fast) against the strict one: on text the
library writes it answers, and equally; on any text at all it answers only where the
strict reader accepts, and as it would. So ``from_json`` gives what the strict reader
gives, value or error, whichever path read it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradeassure import Money
from tradeassure.errors import InvalidJSON
from tradeassure.escrow import Event, OrderPlaced, PaymentMethod, PaymentReceived
from tradeassure.serialization import (
    Envelope,
    _fast_reader,
    _load,
    events_to_json_lines,
    from_dict,
    from_json,
)
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
