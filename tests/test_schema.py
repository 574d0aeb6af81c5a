"""The JSON Schema of the event envelope (``tradeassure.schema``): what the library
writes validates, and what its reader refuses for a reason the schema can say is
refused by the schema too, checked with the ``jsonschema`` package."""

from __future__ import annotations

import copy
import enum
import json
import runpy
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from tradeassure import _checks, serialization
from tradeassure._example import history
from tradeassure.errors import InvalidJSON
from tradeassure.escrow import (
    EVENT_TYPES,
    TIMERS,
    Event,
    EvidenceSubmitted,
    FeedbackLeft,
    OrderPlaced,
    PaymentReceived,
    TimerExpired,
)
from tradeassure.money import Money
from tradeassure.schema import SCHEMA_ID, _constraint, _type_schema, json_schema
from tradeassure.serialization import (
    SCHEMA_VERSION,
    Envelope,
    events_to_json_lines,
    from_dict,
    to_dict,
    to_json,
)
from tradeassure.terms import Party, PaymentMethod
from tradeassure.testing import any_events, order_histories, orders_placed
from value_examples.escrow import EXAMPLES
from wire import as_dict

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json_schema()
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
T0 = datetime.fromisoformat("2025-09-02T09:00:00+08:00")


def valid(data: object) -> bool:
    return VALIDATOR.is_valid(data)


def valid_as(name: str, data: object) -> bool:
    """Whether ``data`` is a ``$defs[name]`` of the schema."""
    schema = {"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{name}"}
    checker = Draft202012Validator.FORMAT_CHECKER
    return Draft202012Validator(schema, format_checker=checker).is_valid(data)


def read(data: object) -> bool:
    """Whether the library's reader takes ``data`` as an envelope."""
    try:
        from_dict(data, Envelope)
    except InvalidJSON:
        return False
    return True


def assert_valid(data: object) -> None:
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)
    ]
    assert not errors, "\n".join(errors)


# -- the schema itself -----------------------------------------------------------------------


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"] == SCHEMA_ID
    assert SCHEMA["title"]
    assert SCHEMA["description"]


def test_its_branches_are_the_event_types_each_naming_its_type_and_the_schema_version() -> None:
    names = [branch["$ref"].removeprefix("#/$defs/") for branch in SCHEMA["oneOf"]]
    assert names == list(EVENT_TYPES)
    for name in names:
        envelope = SCHEMA["$defs"][name]["properties"]
        assert envelope["type"] == {"const": name}
        assert envelope["schema"] == {"const": SCHEMA_VERSION}


def test_an_event_requires_the_fields_without_defaults_and_allows_no_others() -> None:
    for name, cls in EVENT_TYPES.items():
        event = SCHEMA["$defs"][name]["properties"]["event"]
        fields = attrs.fields(cls)
        assert list(event["properties"]) == [f.name for f in fields]
        assert event["required"] == [f.name for f in fields if f.default is attrs.NOTHING]
        assert event["additionalProperties"] is False


def test_the_schema_is_the_same_each_time_and_a_caller_cannot_change_the_next() -> None:
    first = json_schema()
    first["$defs"]["Money"]["properties"].clear()
    assert json_schema() == SCHEMA
    assert json.dumps(json_schema()) == json.dumps(SCHEMA)


def test_fields_are_described_from_the_attributes_blocks() -> None:
    placed = SCHEMA["$defs"]["OrderPlaced"]["properties"]["event"]["properties"]
    assert placed["at"]["description"].startswith("when it happened, timezone-aware")
    assert placed["buyer"]["description"] == "the buyer's identifier."
    assert "`lead_days`" in placed["ship_by"]["description"]
    assert SCHEMA["$defs"]["Party"] == {
        "description": "Who acts on an order.",
        "enum": ["BUYER", "SUPPLIER", "PLATFORM"],
    }


def test_every_field_validator_is_said_by_the_schema_or_is_an_enum_check_its_type_says() -> None:
    unsaid = {
        f"{cls.__name__}.{f.name}": f.type
        for cls in map(attrs.resolve_types, EVENT_TYPES.values())
        for f in attrs.fields(cls)
        if _constraint(f) is None
    }
    assert "PaymentReceived.method" in unsaid  # member(PaymentMethod): the enum says it
    others = [name for name, t in unsaid.items() if not issubclass(t, enum.Enum)]
    assert others == [], "say what their validators check in schema._CONSTRAINTS"


def test_the_committed_schema_file_is_generated() -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "gen_schema.py"))
    committed = (ROOT / "schema" / "envelope.schema.json").read_text(encoding="utf-8")
    assert committed == script["render"](), "regenerate: python scripts/gen_schema.py"
    assert json.loads(committed) == SCHEMA


# -- what the library writes validates -------------------------------------------------------


def test_every_event_of_the_example_history_validates() -> None:
    lines = events_to_json_lines(history()).splitlines()
    assert len(lines) == len(history())
    for line in lines:
        assert_valid(json.loads(line))


EVENT_EXAMPLES = [e for e in EXAMPLES if type(e) in EVENT_TYPES.values()]
ENVELOPE_EXAMPLES = [e for e in EXAMPLES if isinstance(e, Envelope)]


def test_the_examples_hold_every_event_type() -> None:
    assert {type(e) for e in EVENT_EXAMPLES} == set(EVENT_TYPES.values())


@pytest.mark.parametrize("event", EVENT_EXAMPLES, ids=lambda e: type(e).__name__)
def test_every_event_example_validates(event: Event) -> None:
    assert_valid(as_dict(event))


@pytest.mark.parametrize("envelope", ENVELOPE_EXAMPLES, ids=lambda e: type(e.event).__name__)
def test_every_envelope_example_validates(envelope: Envelope) -> None:
    assert_valid(to_dict(envelope))


def test_the_bare_event_base_class_is_not_an_event_a_producer_sends() -> None:
    # The reader takes it ("type": "Event"), but no order's status accepts one.
    bare = [e for e in EXAMPLES if type(e) is Event]
    assert bare
    assert not valid(to_dict(bare[0], order_id="PO-1"))


@given(any_events(after=T0))
def test_any_event_validates(event: Event) -> None:
    assert_valid(json.loads(to_json(event, order_id="PO-1")))


@given(orders_placed())
def test_any_order_placed_validates(event: OrderPlaced) -> None:
    assert_valid(as_dict(event))


@given(order_histories())
def test_every_event_of_any_history_validates(events: tuple[Event, ...]) -> None:
    for line in events_to_json_lines(events).splitlines():
        assert_valid(json.loads(line))


# -- what the schema refuses, the reader refuses ---------------------------------------------

PAID = to_dict(
    PaymentReceived(at=T0, amount=Money("3600.00", "USD"), method=PaymentMethod.TT),
    order_id="PO-7",
)


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    *parents, last = path.split(".")

    def change(data: dict[str, Any]) -> None:
        for key in parents:
            data = data[key]
        data[last] = value

    return change


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    *parents, last = path.split(".")

    def change(data: dict[str, Any]) -> None:
        for key in parents:
            data = data[key]
        del data[last]

    return change


REFUSED = {
    "an unknown type": _set("type", "PaymentSent"),
    "the bare base type": _set("type", "Event"),
    "schema version 1": _set("schema", 1),
    "the schema version as text": _set("schema", "2"),
    "no order_id": _drop("order_id"),
    "an empty order_id": _set("order_id", ""),
    "a blank order_id": _set("order_id", "  "),
    "no event": _drop("event"),
    "a key the envelope does not have": _set("version", 2),
    "a float amount": _set("event.amount.amount", 3600.0),
    "a decimal with an underscore": _set("event.amount.amount", "3_600"),
    "a decimal in other digits": _set("event.amount.amount", "٣٦٠٠"),
    "a zero payment": _set("event.amount.amount", "0.00"),
    "a negative payment": _set("event.amount.amount", "-5"),
    "a naive instant": _set("event.at", "2025-09-02T09:00:00"),
    "an instant without a time": _set("event.at", "2025-09-02"),
    "an unknown key in the event": _set("event.amount_due", None),
    "a lowercase currency": _set("event.amount.currency", "usd"),
    "an unknown key in the money": _set("event.amount.cents", 0),
    "an enum by value instead of name": _set("event.method", "tt"),
    "an unknown enum name": _set("event.method", "BITCOIN"),
    "a missing required field": _drop("event.amount"),
    "a missing at": _drop("event.at"),
    "a boolean as text": _set("event.via_checkout", "true"),
    "an empty event_id": _set("event.event_id", ""),
}


@pytest.mark.parametrize("change", REFUSED.values(), ids=REFUSED.keys())
def test_the_schema_refuses_what_the_reader_refuses(
    change: Callable[[dict[str, Any]], None],
) -> None:
    data = copy.deepcopy(PAID)
    assert valid(data)
    assert read(data)
    change(data)
    assert not valid(data)
    assert not read(data)


@pytest.mark.parametrize(
    ("event", "change", "accepted"),
    [
        # FeedbackLeft.rating: 1 to 5 stars.
        (FeedbackLeft(at=T0, rating=1), _set("event.rating", 0), False),
        (FeedbackLeft(at=T0, rating=1), _set("event.rating", 5), True),
        (FeedbackLeft(at=T0, rating=1), _set("event.rating", 6), False),
        (FeedbackLeft(at=T0, rating=1), _set("event.rating", True), False),
        # TimerExpired.timer: a known timer's rule id.
        (TimerExpired(at=T0, timer="TMR-PAY"), _set("event.timer", "TMR-CONFIRM"), True),
        (TimerExpired(at=T0, timer="TMR-PAY"), _set("event.timer", "TMR-NAP"), False),
        # EvidenceSubmitted.items: at least one.
        (
            EvidenceSubmitted(at=T0, by=Party.BUYER, items=("a.jpg",)),
            _set("event.items", []),
            False,
        ),
        (
            EvidenceSubmitted(at=T0, by=Party.BUYER, items=("a.jpg",)),
            _set("event.items", "a.jpg"),
            False,
        ),
    ],
)
def test_a_field_constraint_agrees_with_the_reader_on_both_sides(
    event: Event, change: Callable[[dict[str, Any]], None], accepted: bool
) -> None:
    data = as_dict(event)
    change(data)
    assert (valid(data), read(data)) == (accepted, accepted)


PLACED = OrderPlaced(
    order_id="PO-7",
    at=T0,
    buyer="Acme",
    supplier="Ningbo Tools",
    total=Money("100.00", "USD"),
    lead_days=10,
)


@pytest.mark.parametrize(
    ("change", "accepted"),
    [
        (_set("event.lead_days", 0), True),
        (_set("event.lead_days", _checks.MAX_DAYS), True),
        (_set("event.lead_days", _checks.MAX_DAYS + 1), False),
        (_set("event.lead_days", -1), False),
        (_set("event.buyer", " "), False),
        (_set("event.total.amount", "0.01"), True),
        (_set("event.total.amount", "0"), False),
        (_set("event.total.amount", "-0.00"), False),
        (_set("event.total.amount", "+1E2"), True),
        (_set("event.deposit", None), True),
        (_set("event.specifications", ["PP, 2 mm wall"]), True),
        (_set("event.specifications", [1]), False),
        (_set("event.drafted_by", "BUYER"), True),
    ],
)
def test_order_placed_constraints_agree_with_the_reader_on_both_sides(
    change: Callable[[dict[str, Any]], None], accepted: bool
) -> None:
    data = as_dict(PLACED)
    change(data)
    assert (valid(data), read(data)) == (accepted, accepted)


@pytest.mark.parametrize(
    "change",
    [
        # Whole minor units depend on the currency; the ISO table, on the code.
        _set("event.total.amount", "100.005"),
        _set("event.total.currency", "ABC"),
        # Rules across fields.
        _set("event.ship_by", "2025-10-01"),
        _set("order_id", "PO-8"),
        _set("event.deposit", {"amount": "200.00", "currency": "USD"}),
        # The supported range.
        _set("event.at", "2200-01-01T00:00:00+00:00"),
        # JSON Schema's integers include 10.0; the reader takes only 10.
        _set("event.lead_days", 10.0),
    ],
    ids=[
        "minor units",
        "unknown code",
        "ship-by and lead time",
        "another order",
        "deposit",
        "2200",
        "10.0",
    ],
)
def test_what_the_schema_leaves_to_the_reader(change: Callable[[dict[str, Any]], None]) -> None:
    data = as_dict(PLACED)
    change(data)
    assert valid(data)
    assert not read(data)


# -- the wire format's own types ------------------------------------------------------------


@given(st.datetimes(datetime(1900, 1, 2), datetime(2100, 12, 30), timezones=st.timezones()))
def test_every_instant_the_library_writes_is_an_instant(instant: datetime) -> None:
    text = serialization._write_datetime(instant)
    assert valid_as("Instant", text)
    # The same instant (compared in UTC: a zone's repeated hour compares unequal across
    # zones, PEP 495).
    assert serialization._read_datetime(text).timestamp() == instant.timestamp()


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("2025-03-01T09:00:00+00:00", True),
        ("2025-03-01T09:00:00Z", True),
        ("2025-03-01T09:00Z", True),
        ("2025-03-01T09:00:00.123456-05:00", True),
        ("1900-01-01T00:00:00-00:25:21", True),
        ("2025-03-01T09:00:00", False),
        ("2025-03-01 09:00:00+00:00", False),
        ("2025-13-01T09:00:00+00:00", False),
        ("2025-03-01T24:00:00+00:00", False),
    ],
)
def test_an_instant_has_its_offset(text: str, accepted: bool) -> None:
    assert valid_as("Instant", text) is accepted


@pytest.mark.parametrize(
    ("text", "accepted"),
    [("2025-03-01", True), ("2025-02-29", False), ("2025-3-1", False), ("20250301", False)],
)
def test_a_date_is_a_calendar_day(text: str, accepted: bool) -> None:
    assert valid_as("Date", text) is accepted


@given(st.timedeltas(timedelta(days=-(10**5)), timedelta(days=10**5)))
def test_every_duration_the_library_writes_is_a_duration(span: timedelta) -> None:
    text = serialization._write_timedelta(span)
    assert valid_as("Duration", text)
    assert serialization._read_timedelta(text) == span


@pytest.mark.parametrize("text", ["P", "-P", "PT", "P1DT", "P1H", "PT1.1234567S", "p1d", "P1W"])
def test_a_duration_the_reader_refuses_is_no_duration(text: str) -> None:
    assert not valid_as("Duration", text)
    with pytest.raises(serialization._Refused):
        serialization._read_timedelta(text)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None))
def test_every_decimal_the_library_writes_is_a_decimal_string(number: Decimal) -> None:
    text = serialization._decimal_text(number)
    assert valid_as("DecimalString", text) is (len(text) <= 100)


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("12.50", True),
        ("-3", True),
        ("+.5", True),
        ("1E+3", True),
        ("1.", True),
        ("1_000", False),
        ("١٢", False),
        (" 1", False),
        ("NaN", False),
        ("Infinity", False),
        (".", False),
        ("1" * 101, False),
    ],
)
def test_a_decimal_string_is_the_text_money_takes(text: str, accepted: bool) -> None:
    assert valid_as("DecimalString", text) is accepted
    try:
        serialization._read_decimal(text)
    except serialization._Refused:
        assert not accepted
    else:
        assert accepted


# -- the walker over the types the events do not use yet ------------------------------------


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        (Decimal, {"$ref": "#/$defs/DecimalString"}),
        (timedelta, {"$ref": "#/$defs/Duration"}),
        (date, {"$ref": "#/$defs/Date"}),
        (frozenset[str], {"type": "array", "items": {"type": "string"}, "uniqueItems": True}),
        (tuple[int, ...], {"type": "array", "items": {"type": "integer"}}),
        (
            tuple[int, bool],
            {
                "type": "array",
                "prefixItems": [{"type": "integer"}, {"type": "boolean"}],
                "items": False,
                "minItems": 2,
            },
        ),
        (Literal["SHIPPED"], {"const": "SHIPPED"}),
        (Literal["a", "b"], {"enum": ["a", "b"]}),
        (int | str, {"anyOf": [{"type": "integer"}, {"type": "string"}]}),
    ],
)
def test_each_type_has_its_json_form(hint: object, expected: dict[str, Any]) -> None:
    assert _type_schema(hint, {}) == expected


def test_an_enum_is_defined_once_by_its_member_names() -> None:
    defs: dict[str, Any] = {}
    assert _type_schema(tuple[Party, ...], defs) == {
        "type": "array",
        "items": {"$ref": "#/$defs/Party"},
    }
    assert defs["Party"]["enum"] == list(Party.__members__)


def test_a_type_the_wire_format_does_not_know_is_refused() -> None:
    with pytest.raises(TypeError, match="no JSON form"):
        _type_schema(dict[str, int], {})


def test_the_timers_are_the_known_ones() -> None:
    timer = SCHEMA["$defs"]["TimerExpired"]["properties"]["event"]["properties"]["timer"]
    assert timer["enum"] == sorted(TIMERS)
