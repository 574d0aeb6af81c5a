"""JSON: exact round trips for every public type, and every malformed input refused with
the JSON path of each problem (the value contract's JSON half is in
test_value_semantics.py)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradeassure.credit import CreditLine, FinancingQuote, quote
from tradeassure.errors import InvalidInput
from tradeassure.escrow import (
    TRANSITIONS,
    Deadlines,
    Order,
    OrderStatus,
    ReceiptConfirmed,
    Transition,
    deadlines,
    replay,
)
from tradeassure.events import (
    EVENT_TYPES,
    Event,
    OrderPlaced,
    PaymentReceived,
    ReceiptDeadlineExtended,
)
from tradeassure.money import Money
from tradeassure.policy import HELP_PAGES_ESCROW, EscrowPolicy, IdentityPolicy
from tradeassure.serialization import (
    SCHEMA_VERSION,
    Envelope,
    InvalidJSON,
    events_from_json_lines,
    events_to_json_lines,
    from_dict,
    from_json,
    to_dict,
    to_json,
)
from tradeassure.shipping import WorkingCalendar
from tradeassure.terms import Party
from tradeassure.testing import (
    any_events,
    buyer_profiles,
    calendars,
    credit_lines,
    field_checks,
    inquiries,
    money,
    order_histories,
    orders_placed,
    payables,
    supplier_records,
    transactions,
)
from tradeassure.verification import BuyerProfile, FieldCheck, Inquiry, SupplierRecord, Transaction
from value_examples.escrow import HISTORY
from wire import WIRE_ORDER, as_dict, as_json

T0 = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)


def _round_trip(value: object) -> object:
    return from_json(as_json(value), type(value))


def _problems(text: str, cls: type) -> dict[str, str]:
    with pytest.raises(InvalidJSON) as caught:
        from_json(text, cls)
    assert isinstance(caught.value, InvalidInput)
    return dict(caught.value.problems)


def _envelope(kind: str, **fields: object) -> str:
    return json.dumps(
        {"type": kind, "schema": SCHEMA_VERSION, "order_id": WIRE_ORDER, "event": fields}
    )


PAYMENT = {
    "at": "2025-03-04T09:30:00+00:00",
    "amount": {"amount": "12.50", "currency": "USD"},
    "method": "TT",
}

# -- the wire format ---------------------------------------------------------------------


def test_money_is_an_amount_string_and_a_currency() -> None:
    assert as_dict(Money("12.50", "USD")) == {"amount": "12.50", "currency": "USD"}


def test_money_is_written_at_its_currency_scale_both_ways() -> None:
    assert as_json(Money("12.5", "USD")) == '{"amount":"12.50","currency":"USD"}'
    assert as_json(Money(10_000, "USD")) == '{"amount":"10000.00","currency":"USD"}'
    assert as_json(Money("10000.00", "USD")) == '{"amount":"10000.00","currency":"USD"}'
    assert as_json(Money(10_000, "JPY")) == '{"amount":"10000","currency":"JPY"}'
    assert as_json(Money("1.5", "BHD")) == '{"amount":"1.500","currency":"BHD"}'
    back = from_json('{"amount": "12.500", "currency": "USD"}', Money)
    assert back.amount.as_tuple() == Decimal("12.50").as_tuple()


def test_tiny_amounts_are_written_without_an_exponent() -> None:
    assert as_dict(Money("0.0000001", "USD"))["amount"] == "0.0000001"
    assert as_dict(Money("0.00000010", "USD"))["amount"] == "0.0000001"
    assert as_dict(Money(Decimal("-0"), "JPY"))["amount"] == "0"


def test_an_event_travels_in_an_envelope_with_its_type_and_schema() -> None:
    event = HISTORY[2]
    assert as_dict(event) == {
        "type": "PaymentReceived",
        "schema": 2,
        "order_id": WIRE_ORDER,
        "event": {
            "at": "2025-03-04T09:30:00+00:00",
            "event_id": None,
            "amount": {"amount": "12000.00", "currency": "USD"},
            "method": "TT",
            "via_checkout": True,
        },
    }


def test_reading_into_the_base_class_takes_any_event_by_its_type() -> None:
    for event in HISTORY:
        assert from_json(as_json(event), Event) == event


def test_every_event_type_has_its_own_name_on_the_wire() -> None:
    assert set(EVENT_TYPES) == {name for name, cls in EVENT_TYPES.items() if cls.__name__ == name}


def test_enums_go_by_name_and_sets_sorted() -> None:
    data = as_dict(HELP_PAGES_ESCROW)
    assert data["accepted_methods"] == sorted(data["accepted_methods"])
    assert "TT" in data["accepted_methods"]
    assert as_dict(ReceiptDeadlineExtended(at=T0, by=Party.BUYER))["event"]["by"] == "BUYER"


def test_instants_keep_their_offset_and_named_zones_become_offsets() -> None:
    shanghai = datetime(2025, 3, 3, 17, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    event = ReceiptConfirmed(at=shanghai)
    assert as_dict(event)["event"]["at"] == "2025-03-03T17:30:00+08:00"
    back = from_json(as_json(event), ReceiptConfirmed)
    assert back == event
    assert back.at.utcoffset() == timedelta(hours=8)


def test_an_instant_with_z_reads_as_utc() -> None:
    text = _envelope("ReceiptConfirmed", at="2025-03-03T09:30:00Z")
    assert from_json(text, ReceiptConfirmed).at == T0


def test_durations_are_iso_8601() -> None:
    assert as_dict(IdentityPolicy())["max_median_response"] == "P1D"
    assert (
        as_dict(Inquiry(date(2025, 3, 4), timedelta(hours=2, minutes=5)))["response_time"]
        == "PT2H5M"
    )
    text = '{"received_on": "2025-03-04", "response_time": "PT1.5S"}'
    assert from_json(text, Inquiry).response_time == timedelta(seconds=1, microseconds=500_000)


@pytest.mark.parametrize("text", ["P\u0662D", "PT\uff11H"])
def test_a_duration_takes_ascii_digits_only(text: str) -> None:
    problems = _problems(json.dumps({"received_on": "2025-03-04", "response_time": text}), Inquiry)
    assert problems["$.response_time"].startswith("expected an ISO 8601 duration")


@pytest.mark.parametrize("amount", ["+12.50", "12.", ".5", "1E+3", "-0"])
def test_plain_ascii_decimal_notations_are_read(amount: str) -> None:
    read = from_json(json.dumps({"amount": amount, "currency": "USD"}), Money)
    assert read.amount == Decimal(amount)


@given(st.timedeltas())
def test_any_duration_round_trips(duration: timedelta) -> None:
    from tradeassure.serialization import _read_timedelta, _write_timedelta

    assert _read_timedelta(_write_timedelta(duration)) == duration


def test_an_order_is_its_state_its_policy_edition_and_its_events() -> None:
    order = replay(HISTORY)
    data = as_dict(order)
    assert data["status"] == "DISPUTED"
    assert data["policy"] == "default"
    assert [e["type"] for e in data["events"]] == [type(e).__name__ for e in HISTORY]
    assert "seen" not in data
    assert "history" not in data


def test_an_order_judged_under_another_edition_reads_back_under_it() -> None:
    order = replay(HISTORY, HELP_PAGES_ESCROW)
    text = as_json(order, edition="help-pages")
    assert json.loads(text)["policy"] == "help-pages"
    assert from_json(text, Order) == order


def test_an_order_cannot_be_written_under_an_unknown_edition() -> None:
    with pytest.raises(InvalidInput, match="unknown escrow edition"):
        as_json(replay(HISTORY), edition="2030")


def test_a_transition_is_written_as_its_key_in_the_table() -> None:
    row = TRANSITIONS[OrderStatus.SHIPPED, ReceiptConfirmed]
    assert as_dict(row) == {"status": "SHIPPED", "event": "ReceiptConfirmed"}
    assert from_dict({"status": "SHIPPED", "event": "ReceiptConfirmed"}, Transition) is row


def test_a_transition_outside_the_table_cannot_be_written() -> None:
    row = TRANSITIONS[OrderStatus.SHIPPED, ReceiptConfirmed]
    with pytest.raises(InvalidInput, match="TRANSITIONS"):
        as_json(Transition(row.handler, (OrderStatus.CANCELLED,), row.rules))


def test_json_lines_hold_one_envelope_a_line() -> None:
    text = events_to_json_lines(HISTORY)
    lines = text.splitlines()
    assert len(lines) == len(HISTORY)
    assert text.endswith("\n")
    assert all(json.loads(line)["schema"] == 2 for line in lines)
    assert {json.loads(line)["order_id"] for line in lines} == {HISTORY[0].order_id}
    assert events_from_json_lines(text) == tuple(HISTORY)


def test_blank_lines_in_a_history_are_skipped() -> None:
    text = "\n" + events_to_json_lines(HISTORY[:2]).replace("\n", "\n\n")
    assert events_from_json_lines(text) == tuple(HISTORY[:2])


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x1c", "\x1e"])
def test_a_history_keeps_text_that_python_counts_as_a_line_break(separator: str) -> None:
    placed = HISTORY[0]
    assert isinstance(placed, OrderPlaced)
    history = (attrs.evolve(placed, buyer=f"Acme{separator}Trading"), *HISTORY[1:])
    assert events_from_json_lines(events_to_json_lines(history)) == history


def test_a_history_reads_with_windows_line_ends() -> None:
    text = events_to_json_lines(HISTORY[:2]).replace("\n", "\r\n")
    assert events_from_json_lines(text) == tuple(HISTORY[:2])


def test_a_type_that_is_not_a_value_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not a type tradeassure reads"):
        from_json("{}", object)


# -- round trips ---------------------------------------------------------------------------


@given(money(whole_minor_units=False) | money(min_amount=-(10**9)))
def test_money_round_trips_exactly(value: Money) -> None:
    back = _round_trip(value)
    assert back == value
    assert isinstance(back, Money)
    assert back.amount.as_tuple() == value.amount.as_tuple()


@given(
    st.one_of(
        credit_lines(),
        buyer_profiles(),
        field_checks(),
        inquiries(),
        supplier_records(),
        transactions(),
        calendars(),
        orders_placed(),
    )
)
def test_generated_values_round_trip(value: object) -> None:
    assert _round_trip(value) == value


@given(credit_lines(), payables())
def test_quotes_round_trip(line: CreditLine, payable: Money) -> None:
    offer = quote(line, payable)
    assert from_json(as_json(offer), FinancingQuote) == offer


@given(order_histories())
def test_orders_and_their_deadlines_round_trip(history: tuple[Event, ...]) -> None:
    order = replay(history)
    assert from_json(as_json(order), Order) == order
    assert events_from_json_lines(events_to_json_lines(history)) == history
    due = deadlines(order)
    assert from_json(as_json(due), Deadlines) == due


@given(any_events(after=T0))
def test_any_event_round_trips_through_the_base_class(event: Event) -> None:
    assert from_json(as_json(event), Event) == event


@given(st.sampled_from(sorted(TRANSITIONS, key=lambda k: (k[0].name, k[1].__name__))))
def test_every_row_of_the_table_round_trips(key: tuple[OrderStatus, type[Event]]) -> None:
    assert _round_trip(TRANSITIONS[key]) == TRANSITIONS[key]


# -- malformed input -----------------------------------------------------------------------


def test_a_float_amount_is_refused_with_its_path() -> None:
    problems = _problems('{"amount": 12.5, "currency": "USD"}', Money)
    assert problems == {"$.amount": 'expected a decimal string such as "12.50", got float 12.5'}


def test_an_integer_amount_is_refused_too() -> None:
    assert "$.amount" in _problems('{"amount": 12, "currency": "USD"}', Money)


@pytest.mark.parametrize(
    "amount", ["twelve", "NaN", "Infinity", " 1", "1e400", "", "1_000", "\u0661\u0662", "\uff11"]
)
def test_an_amount_that_is_not_a_finite_decimal_string_is_refused(amount: str) -> None:
    assert "$.amount" in _problems(json.dumps({"amount": amount, "currency": "USD"}), Money)


@pytest.mark.parametrize("code", ["ABC", "usd", "US", "XAU", 840, None])
def test_a_wrong_currency_code_is_refused(code: object) -> None:
    assert "$.currency" in _problems(json.dumps({"amount": "1", "currency": code}), Money)


def test_a_valid_currency_code_on_the_other_side_of_the_boundary_is_read() -> None:
    assert from_json('{"amount": "1", "currency": "BHD"}', Money) == Money(1, "BHD")


def test_a_naive_instant_is_refused_with_its_path() -> None:
    problems = _problems(_envelope("ReceiptConfirmed", at="2025-03-03T09:30:00"), Event)
    assert list(problems) == ["$.event.at"]
    assert "naive" in problems["$.event.at"]


@pytest.mark.parametrize("at", ["2025-03-03", "yesterday", 1741000000, "2025-03-03 09:30+00:00x"])
def test_an_instant_that_is_not_iso_8601_is_refused(at: object) -> None:
    assert "$.event.at" in _problems(_envelope("ReceiptConfirmed", at=at), Event)


def test_an_unknown_event_type_is_refused_naming_the_known_ones() -> None:
    problems = _problems(_envelope("PaymentSent", **PAYMENT), Event)
    assert list(problems) == ["$.type"]
    assert "PaymentReceived" in problems["$.type"]


def test_an_event_of_another_type_than_asked_for_is_refused() -> None:
    problems = _problems(_envelope("PaymentReceived", **PAYMENT), ReceiptConfirmed)
    assert problems == {"$.type": "expected a ReceiptConfirmed event, got 'PaymentReceived'"}


def test_the_asked_for_type_is_read() -> None:
    assert isinstance(from_json(_envelope("PaymentReceived", **PAYMENT), PaymentReceived), Event)


@pytest.mark.parametrize("schema", [0, 1, 3, "2", None, True])
def test_another_schema_version_is_refused(schema: object) -> None:
    envelope = {"type": "PaymentReceived", "schema": schema, "order_id": "PO-1", "event": PAYMENT}
    text = json.dumps(envelope)
    assert "$.schema" in _problems(text, Event)


def test_a_missing_field_is_refused_with_its_path() -> None:
    fields = {k: v for k, v in PAYMENT.items() if k != "method"}
    assert _problems(_envelope("PaymentReceived", **fields), Event) == {
        "$.event.method": "required key missing"
    }


def test_an_unknown_key_is_refused_so_typos_are_caught() -> None:
    problems = _problems(_envelope("PaymentReceived", **PAYMENT, via_chekout=False), Event)
    assert list(problems) == ["$.event"]
    assert "via_chekout" in problems["$.event"]


def test_every_problem_of_a_document_is_listed_at_once() -> None:
    fields = {
        "at": "2025-03-04T09:30:00",
        "amount": {"amount": 12.5, "currency": "XXX"},
        "method": "BITCOIN",
        "via_checkout": "yes",
    }
    problems = _problems(_envelope("PaymentReceived", **fields), Event)
    assert set(problems) == {
        "$.event.at",
        "$.event.amount.amount",
        "$.event.amount.currency",
        "$.event.method",
        "$.event.via_checkout",
    }


def test_the_message_lists_every_path() -> None:
    with pytest.raises(InvalidJSON) as caught:
        from_json('{"amount": 12.5, "currency": "usd"}', Money)
    assert str(caught.value).splitlines()[1:] == [
        '  $.amount: expected a decimal string such as "12.50", got float 12.5',
        "  $.currency: expected an upper-case ISO 4217 code such as \"USD\", got string 'usd'",
    ]


def test_a_value_the_class_itself_refuses_is_reported_at_its_path() -> None:
    placed = as_dict(HISTORY[0])
    placed["event"]["deposit"] = {"amount": "99999.00", "currency": "USD"}
    problems = _problems(json.dumps(placed), Event)
    assert list(problems) == ["$.event"]
    assert "exceeds the total" in problems["$.event"]


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("activity_count", "3", "$.activity_count"),
        ("activity_count", 3.0, "$.activity_count"),
        ("activity_count", True, "$.activity_count"),
        ("business_name", 7, "$.business_name"),
        ("checks", "not a list", "$.checks"),
        ("checks", [{"field": "NAME"}], "$.checks[0].field"),
    ],
)
def test_nothing_is_coerced(field: str, value: object, path: str) -> None:
    assert path in _problems(json.dumps({field: value}), BuyerProfile)


def test_a_string_with_a_lone_surrogate_is_refused() -> None:
    # Valid JSON, but not text: it could not be written out again as UTF-8.
    text = _envelope("ReceiptConfirmed", at="2025-03-03T09:30:00+00:00", event_id="e-\ud800")
    assert "\\ud800" in text
    problems = _problems(text, Event)
    assert problems["$.event.event_id"].startswith("expected Unicode text")


def test_a_duplicate_in_a_set_is_refused() -> None:
    data = as_dict(HELP_PAGES_ESCROW)
    data["accepted_methods"].append("TT")
    assert "$.accepted_methods" in _problems(json.dumps(data), EscrowPolicy)


def test_a_duplicate_key_is_refused() -> None:
    assert "$" in _problems('{"amount": "1", "amount": "2", "currency": "USD"}', Money)


def test_text_that_is_not_json_is_refused() -> None:
    problems = _problems("{amount: 1}", Money)
    assert problems["$"].startswith("not valid JSON")


def test_an_array_where_an_object_belongs_is_refused() -> None:
    assert _problems("[]", FieldCheck) == {"$": "expected an object (FieldCheck), got an array"}
    assert _problems('"GOLD_SUPPLIER"', SupplierRecord) == {
        "$": "expected an object (SupplierRecord), got string 'GOLD_SUPPLIER'"
    }


def test_a_wrong_length_pair_is_refused() -> None:
    text = '{"refund_arrival": ["2025-03-01"]}'
    assert "$.refund_arrival" in _problems(text, Deadlines)


@pytest.mark.parametrize("day", ["2025-02-30", "20250301", "2025-03-01T00:00:00+00:00", 20250301])
def test_a_date_must_be_a_real_iso_calendar_day(day: object) -> None:
    assert "$.completed_on" in _problems(
        json.dumps({"completed_on": day, "value": {"amount": "1", "currency": "USD"}}),
        Transaction,
    )


def test_a_calendar_for_an_unknown_country_is_refused() -> None:
    assert "$" in _problems('{"country": "XX"}', WorkingCalendar)


def test_an_order_whose_stated_state_disagrees_with_its_events_is_refused() -> None:
    data = as_dict(replay(HISTORY))
    data["status"] = "SHIPPED"
    data["held"]["amount"] = "1.00"
    problems = _problems(json.dumps(data), Order)
    assert set(problems) == {"$.status", "$.held"}
    assert problems["$.status"] == 'the events give "DISPUTED", not "SHIPPED"'


def test_an_order_whose_events_a_rule_refuses_is_refused_at_that_event() -> None:
    data = as_dict(replay(HISTORY))
    data["events"][2]["event"]["amount"]["amount"] = "99999.00"
    problems = _problems(json.dumps(data), Order)
    assert list(problems) == ["$.events[2]"]
    assert problems["$.events[2]"].startswith("refused by ESC-DEPOSIT")


def test_an_order_with_malformed_events_names_each_path() -> None:
    data = as_dict(replay(HISTORY))
    data["events"][1]["event"]["by"] = "NOBODY"
    del data["events"][3]["event"]["final"]
    problems = _problems(json.dumps(data), Order)
    assert set(problems) == {"$.events[1].event.by", "$.events[3].event.final"}


def test_an_order_needs_a_known_edition_and_its_opening_event() -> None:
    data = as_dict(replay(HISTORY))
    data["policy"] = "2030"
    assert "$.policy" in _problems(json.dumps(data), Order)
    data = as_dict(replay(HISTORY))
    data["events"] = data["events"][1:]
    assert "$.events" in _problems(json.dumps(data), Order)


def test_an_order_without_its_state_fields_is_refused() -> None:
    data = as_dict(replay(HISTORY))
    del data["status"]
    assert _problems(json.dumps(data), Order) == {"$.status": "required key missing"}


def test_a_history_names_the_line_of_every_problem() -> None:
    lines = events_to_json_lines(HISTORY[:3]).splitlines()
    lines[1] = lines[1].replace('"BUYER"', '"NOBODY"')
    lines[2] = lines[2].replace('"12000.00"', "12000.0")
    with pytest.raises(InvalidJSON) as caught:
        events_from_json_lines("\n".join(lines))
    assert [path for path, _ in caught.value.problems] == [
        "line 2: $.event.by",
        "line 3: $.event.amount.amount",
    ]


def test_an_unknown_transition_key_is_refused() -> None:
    text = '{"status": "CANCELLED", "event": "Shipped"}'
    assert "$" in _problems(text, Transition)
    assert "$.event" in _problems('{"status": "SHIPPED", "event": "Teleported"}', Transition)


def test_a_naive_instant_cannot_be_written() -> None:
    with pytest.raises(InvalidInput, match="naive"):
        as_json(Deadlines(confirm_by=datetime(2025, 3, 3)))


def test_an_opening_event_reads_back_as_an_order_placed() -> None:
    assert isinstance(from_json(as_json(HISTORY[0]), Event), OrderPlaced)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000, "not readable JSON: nested too deeply"),
        ("1" * 5_000, "not readable JSON: a number has too many digits"),
        (b"\xff{}", "not UTF-8 text: invalid start byte"),
    ],
)
def test_json_the_parser_cannot_take_is_refused_as_invalid(text: str, message: str) -> None:
    assert _problems(text, Money) == {"$": message}


# -- the envelope names its order ----------------------------------------------------------


def test_an_event_is_written_with_the_order_its_envelope_names() -> None:
    paid = HISTORY[2]
    with pytest.raises(InvalidInput, match="pass order_id="):
        to_json(paid)
    assert json.loads(to_json(paid, order_id="PO-9"))["order_id"] == "PO-9"
    placed = HISTORY[0]
    assert json.loads(to_json(placed))["order_id"] == placed.order_id
    with pytest.raises(InvalidInput, match="not the order its OrderPlaced places"):
        to_json(placed, order_id="PO-other")
    with pytest.raises(InvalidInput, match="order_id is for writing an event"):
        to_json(Money("1", "USD"), order_id="PO-9")


def test_an_envelope_reads_back_with_its_order_and_event() -> None:
    sent = Envelope("PO-9", HISTORY[2])
    assert from_json(to_json(sent), Envelope) == sent
    assert from_json(to_json(sent), PaymentReceived) == HISTORY[2]


@pytest.mark.parametrize("order_id", [None, "", "  ", 7, ["PO-1"]])
def test_an_envelope_without_a_usable_order_id_is_refused(order_id: object) -> None:
    envelope = {"type": "PaymentReceived", "schema": 2, "order_id": order_id, "event": PAYMENT}
    assert "$.order_id" in _problems(json.dumps(envelope), Envelope)
    del envelope["order_id"]
    assert _problems(json.dumps(envelope), Event)["$.order_id"] == "required key missing"


def test_an_order_placed_in_an_envelope_naming_another_order_is_refused() -> None:
    data = json.loads(to_json(HISTORY[0]))
    data["order_id"] = "PO-other"
    problems = _problems(json.dumps(data), Event)
    assert list(problems) == ["$.order_id"]
    assert repr(HISTORY[0].order_id) in problems["$.order_id"]


def test_a_history_is_one_orders_events() -> None:
    lines = events_to_json_lines(HISTORY[:3]).splitlines()
    stray = json.loads(lines[2])
    stray["order_id"] = "PO-other"
    text = "\n".join([lines[0], lines[1], json.dumps(stray)]) + "\n"
    with pytest.raises(InvalidJSON) as caught:
        events_from_json_lines(text)
    (path, message), *_ = caught.value.problems
    assert path == "line 3: $.order_id"
    assert "line 1" in message
    assert "'PO-other'" in message


def test_a_partial_history_names_its_order_when_written() -> None:
    with pytest.raises(InvalidInput, match="pass order_id="):
        events_to_json_lines(HISTORY[1:3])
    text = events_to_json_lines(HISTORY[1:3], order_id="PO-9")
    assert {json.loads(line)["order_id"] for line in text.splitlines()} == {"PO-9"}
    assert events_from_json_lines(text) == tuple(HISTORY[1:3])


def test_a_stored_order_whose_events_name_another_order_is_refused() -> None:
    data = to_dict(replay(HISTORY))
    data["events"][1]["order_id"] = "PO-other"
    problems = _problems(json.dumps(data), Order)
    assert list(problems) == ["$.events[1].order_id"]


@pytest.mark.parametrize(
    "instant",
    [
        "2025-09-02t09:00:00+08:00",
        "2025-W36-2T09:00:00+08:00",
        "20250902T090000+0800",
        "2025-09-02T09+08:00",
        "2025-09-02T09:00:00.1234567+08:00",
        "2025-09-02T09:00:00 +08:00",
        "２０２５-09-02T09:00:00+08:00",
    ],
)
def test_an_instant_in_another_iso_form_than_the_writers_is_refused(instant: str) -> None:
    text = _envelope("ReceiptConfirmed", at=instant)
    assert "$.event.at" in _problems(text, Event)


@pytest.mark.parametrize(
    "instant", ["2025-09-02T09:00Z", "2025-09-02T09:00:00.5-03:00", "1901-01-01T00:00:00+05:53:28"]
)
def test_the_writers_forms_of_an_instant_are_read(instant: str) -> None:
    event = from_json(_envelope("ReceiptConfirmed", at=instant), ReceiptConfirmed)
    assert event.at == datetime.fromisoformat(instant)
