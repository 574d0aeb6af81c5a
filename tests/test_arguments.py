"""Every public function refuses an argument of the wrong kind with ``InvalidInput``
naming the argument, never with an ``AttributeError`` or ``TypeError`` from deep inside:
one table of calls, each argument of each replaced by values of other kinds."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any, Final, NamedTuple

import pytest

from tradeassure import credit, escrow, serialization
from tradeassure.credit import CreditLine, Drawdown, Repayment
from tradeassure.errors import InvalidInput, TradeAssureError
from tradeassure.escrow import ReceiptConfirmed
from tradeassure.money import Money
from tradeassure.shipping import WorkingCalendar, YearSchedule
from value_examples.escrow import HISTORY

ORDER: Final = escrow.replay(HISTORY)
NOW: Final = datetime(2025, 6, 1, tzinfo=UTC)
LINE: Final = CreditLine(limit=Money(2_000_000, "USD"), outstanding=Money(100_000, "USD"))
USD: Final = Money(10_000, "USD")
DAY: Final = date(2025, 3, 1)
SCHEDULE_2027: Final = YearSchedule(
    year=2027, days_off=frozenset(), working_days=frozenset(), source="none"
)
CN: Final = WorkingCalendar("CN")


#: A history's items are events: a refusal of one names the event.
EVENTS: Final = {"events": "event"}
#: A draw's amount is named as what it is.
DRAW: Final = {"amount": "a draw"}


class Call(NamedTuple):
    """A call that succeeds (or is refused by a rule) as written, and the arguments to
    spoil one at a time; ``names`` says what the message calls each (default: its own
    name)."""

    function: Callable[..., Any]
    kwargs: dict[str, Any]
    names: Mapping[str, str] = MappingProxyType({})


def _list(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` drained, for a generator (``steps``)."""

    def drained(*args: Any, **kwargs: Any) -> Any:
        return list(function(*args, **kwargs))

    drained.__name__ = function.__name__
    return drained


CALLS: Final = [
    # -- the escrow ---------------------------------------------------------------------
    Call(
        escrow.apply,
        {"order": ORDER, "event": ReceiptConfirmed(at=NOW), "policy": escrow.DEFAULT_ESCROW},
    ),
    Call(
        escrow.check,
        {"order": ORDER, "event": ReceiptConfirmed(at=NOW), "policy": escrow.DEFAULT_ESCROW},
    ),
    Call(escrow.replay, {"events": HISTORY, "policy": escrow.DEFAULT_ESCROW}, EVENTS),
    Call(_list(escrow.steps), {"events": HISTORY, "policy": escrow.DEFAULT_ESCROW}, EVENTS),
    Call(escrow.place, {"event": HISTORY[0], "policy": escrow.DEFAULT_ESCROW}),
    Call(escrow.deadlines, {"order": ORDER, "policy": escrow.DEFAULT_ESCROW}),
    Call(escrow.next_due, {"order": ORDER, "policy": escrow.DEFAULT_ESCROW}),
    Call(escrow.allowed_events, {"order": ORDER, "policy": escrow.DEFAULT_ESCROW}),
    Call(escrow.covered_amount, {"order": ORDER, "policy": escrow.DEFAULT_ESCROW}),
    Call(escrow.due_events, {"order": ORDER, "now": NOW, "policy": escrow.DEFAULT_ESCROW}),
    Call(escrow.advance, {"order": ORDER, "now": NOW, "policy": escrow.DEFAULT_ESCROW}),
    Call(escrow.brief, {"event": HISTORY[2]}),
    Call(escrow.describe, {"event": HISTORY[2]}),
    # -- JSON ---------------------------------------------------------------------------
    Call(serialization.to_json, {"value": ORDER, "indent": 2, "edition": "default"}),
    Call(serialization.to_dict, {"value": ORDER, "edition": "default"}),
    Call(
        serialization.from_json,
        {"text": '{"amount": "1", "currency": "USD"}', "cls": Money},
        {"text": "JSON"},  # bytes are read as UTF-8 JSON text
    ),
    Call(
        serialization.from_dict,
        {"data": {"amount": "1", "currency": "USD"}, "cls": Money},
        {"data": "cannot read Money from JSON"},  # a document that describes no Money
    ),
    Call(serialization.events_to_json_lines, {"events": HISTORY}, EVENTS),
    Call(
        serialization.events_from_json_lines, {"text": serialization.events_to_json_lines(HISTORY)}
    ),
    # -- credit -------------------------------------------------------------------------
    Call(credit.quote, {"line": LINE, "payable": USD, "policy": credit.DEFAULT_FINANCING}),
    Call(
        credit.check,
        {"line": LINE, "amount": USD, "payable": USD, "policy": credit.DEFAULT_FINANCING},
        DRAW,
    ),
    Call(
        credit.apply,
        {"line": LINE, "amount": USD, "payable": USD, "policy": credit.DEFAULT_FINANCING},
        DRAW,
    ),
    Call(
        credit.draw,
        {"line": LINE, "amount": USD, "payable": USD, "policy": credit.DEFAULT_FINANCING},
        DRAW,
    ),
    Call(credit.repay, {"line": LINE, "amount": USD}, {"amount": "a repayment"}),
    Call(credit.interest, {"principal": USD, "days": 30, "policy": credit.DEFAULT_FINANCING}),
    Call(
        credit.repayment_schedule,
        {
            "drawdowns": [Drawdown("PO-7", DAY, USD)],
            "repayments": [Repayment("PO-7", DAY, USD)],
            "as_of": DAY,
            "policy": credit.DEFAULT_FINANCING,
        },
    ),
    # -- working calendars --------------------------------------------------------------
    Call(
        WorkingCalendar,
        {"country": "CN", "subdivision": None, "closed": frozenset({DAY}), "schedules": ()},
    ),
    Call(CN.with_schedule, {"schedule": SCHEDULE_2027}),
    Call(CN.with_closed, {"days": [DAY]}),
    Call(CN.is_estimated, {"year": 2025}),
    Call(CN.holiday_name, {"day": DAY}),
    Call(CN.is_working_day, {"day": DAY, "strict": False}),
    Call(CN.add_working_days, {"start": DAY, "n": 10, "strict": False}),
    Call(CN.working_days_between, {"start": DAY, "end": date(2025, 4, 1), "strict": False}),
    Call(CN.month_rows, {"year": 2025, "month": 3}),
    Call(CN.month_html, {"year": 2025, "month": 3}),
]

#: Values of the wrong kind for (nearly) any argument.
SPOILERS: Final = (None, object(), 1.5, b"bytes", ("a", "tuple"))
#: Where a spoiler is of the right kind after all.
_ACCEPTED: Final = {
    ("subdivision", None),
    ("indent", None),
    ("value", None),  # JSON's null
    ("value", ("a", "tuple")),  # an array of strings
}


def _cases() -> list[Any]:
    out = []
    for call, spoiler in itertools.product(CALLS, SPOILERS):
        for name in call.kwargs:
            if (name, spoiler) in _ACCEPTED:
                continue
            label = f"{call.function.__qualname__}-{name}={type(spoiler).__name__}"
            out.append(pytest.param(call, name, spoiler, id=label))
    return out


@pytest.mark.parametrize(("call", "name", "spoiler"), _cases())
def test_an_argument_of_the_wrong_kind_is_refused_naming_it(
    call: Call, name: str, spoiler: object
) -> None:
    kwargs = {**call.kwargs, name: spoiler}
    with pytest.raises(InvalidInput) as refused:
        call.function(**kwargs)
    assert call.names.get(name, name) in str(refused.value)


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.function.__qualname__)
def test_each_call_of_the_table_is_well_formed(call: Call) -> None:
    try:
        call.function(**call.kwargs)
    except InvalidInput as error:  # pragma: no cover - a mistake in the table
        pytest.fail(f"the table's call is malformed: {error}")
    except TradeAssureError:  # a rule may refuse it: only its shape matters here
        pass


def test_an_order_is_not_taken_for_a_history() -> None:
    with pytest.raises(InvalidInput, match="events"):
        escrow.replay(ORDER)  # type: ignore[arg-type]


def test_a_single_event_is_not_taken_for_a_history() -> None:
    with pytest.raises(InvalidInput, match="events"):
        escrow.replay(HISTORY[0])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ({"a": [1, 1.5]}, "at $.a[1], float 1.5 (a float is inexact: pass a Decimal)"),
        ({"a": {1: "x"}}, "at $.a (a key), int 1 (a JSON object's keys are strings)"),
        (("ok", "a\ud800"), "at $[1], str 'a\\ud800' (it holds a lone surrogate"),
        ([object], "at $[0], type <class 'object'> (JSON has no such value)"),
    ],
)
def test_json_is_not_written_for_what_could_not_be_read_back(value: object, says: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        serialization.to_json(value)
    assert str(refused.value).startswith("value cannot be written as JSON: ")
    assert says in str(refused.value)
