"""Every escrow event type is complete: adding one means its class and its spec, and
this module fails until each part exists (docs/design.md, "How to add an event type").

The parts: the class in ``escrow.events`` (registered in ``EVENT_TYPES``, final), its
spec in ``escrow.handlers`` (handler, rows of the state machine, the rule that refuses
it out of turn, a description and its figures in words), a value example
(``tests/value_examples/escrow.py``), and a JSON round trip; the edges read the rest:
the diagram draws its rows, the views and the CLI describe it from the spec, and the
strategies build it from its fields.
"""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import pytest
from hypothesis import HealthCheck, find, given, settings

from escrow_builders import at, placed, shipped, usd
from tradeassure import diagram
from tradeassure.errors import InvalidInput
from tradeassure.escrow import (
    TRANSITIONS,
    CancellationAgreed,
    CancellationDeclined,
    CancellationRequested,
    CancellationWithdrawn,
    ContractConfirmed,
    Event,
    Order,
    OrderStatus,
    Party,
    PaymentReceived,
    allowed_events,
    allowed_moves,
    apply,
    brief,
    describe,
    place,
    replay,
)
from tradeassure.escrow._draft import Draft, thaw
from tradeassure.escrow.events import EVENT_TYPES, TIMERS, OrderPlaced, TimerExpired
from tradeassure.escrow.handlers import EVENT_SPECS
from tradeassure.escrow.timers import TIMER_TABLE
from tradeassure.money import Money
from tradeassure.rules import RULES
from tradeassure.serialization import from_json
from tradeassure.terms import PaymentMethod
from tradeassure.testing import any_events, order_histories
from value_examples.escrow import EXAMPLES
from wire import as_json

KINDS = list(EVENT_TYPES.values())
EXAMPLE_EVENTS = {type(e): e for e in EXAMPLES if isinstance(e, Event)}
#: Types no party sends: the first event of every order, and the timers.
NOT_SENT = (OrderPlaced, TimerExpired)


def paid() -> Order:
    """A USD 10,000 order, confirmed and paid in full by T/T."""
    return replay(
        [
            placed(),
            ContractConfirmed(at=at(hours=1), by=Party.BUYER),
            PaymentReceived(at=at(days=1), amount=usd(10_000), method=PaymentMethod.TT),
        ]
    )


def _id(kind: type) -> str:
    return kind.__name__


@pytest.mark.parametrize("kind", KINDS, ids=_id)
def test_every_event_type_has_a_spec(kind: type[Event]) -> None:
    spec = EVENT_SPECS[kind]
    assert spec.event is kind
    assert spec.rules, "name the rule ids its handler applies"
    assert all(rule in RULES for rule in spec.rules)


@pytest.mark.parametrize("kind", [k for k in KINDS if k is not OrderPlaced], ids=_id)
def test_every_event_type_after_placement_has_a_handler_and_rows(kind: type[Event]) -> None:
    spec = EVENT_SPECS[kind]
    assert spec.handler is not None
    assert spec.rows, "give it at least one row: the statuses it may happen in"
    for status, row in spec.rows.items():
        assert TRANSITIONS[status, kind].targets == row.targets
        assert TRANSITIONS[status, kind].handler is spec.handler


def test_the_table_has_no_row_without_a_spec() -> None:
    assert {kind for _, kind in TRANSITIONS} <= set(EVENT_SPECS)
    assert set(EVENT_SPECS) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS, ids=_id)
def test_every_event_type_names_the_rule_that_refuses_it_out_of_turn(kind: type[Event]) -> None:
    spec = EVENT_SPECS[kind]
    example = EXAMPLE_EVENTS[kind]
    for status in OrderStatus:
        if status not in spec.rows:
            assert spec.out_of_turn(example, status) in RULES


@pytest.mark.parametrize("kind", KINDS, ids=_id)
def test_every_event_type_has_an_example_that_is_described_and_round_trips(
    kind: type[Event],
) -> None:
    example = EXAMPLE_EVENTS.get(kind)
    assert example is not None, f"add a {kind.__name__} to tests/value_examples/escrow.py"
    sentence = describe(example)
    assert sentence
    assert sentence != kind.__name__
    assert "\n" not in sentence
    assert isinstance(brief(example), str)
    assert from_json(as_json(example), Event) == example


@pytest.mark.parametrize("kind", [k for k in KINDS if k is not OrderPlaced], ids=_id)
def test_every_event_type_with_rows_is_drawn_in_the_diagram(kind: type[Event]) -> None:
    assert any(kind.__name__ in names for _, _, names in diagram.edges())


@pytest.mark.parametrize("kind", [k for k in KINDS if k not in NOT_SENT], ids=_id)
def test_the_strategies_build_every_event_type_from_its_fields(kind: type[Event]) -> None:
    after = datetime(2025, 1, 1, tzinfo=UTC)
    quick = settings(database=None, max_examples=2000, suppress_health_check=list(HealthCheck))
    found = find(any_events(after=after), lambda e: type(e) is kind, settings=quick)
    assert type(found) is kind


def test_the_timer_ids_an_event_may_carry_are_the_timer_table_s() -> None:
    assert {timer.id for timers in TIMER_TABLE.values() for timer in timers} == TIMERS


def test_the_draft_holds_every_order_field() -> None:
    assert {f.name for f in attrs.fields(Order)} <= set(Draft.__slots__)


def test_an_event_type_cannot_be_extended() -> None:
    with pytest.raises(TypeError, match="PaymentReceived is final"):

        class CardPayment(PaymentReceived):  # type: ignore[misc]
            pass


# -- an Order cannot be built invalid (ESC-CONSERVATION as the value's invariant) --------


def test_an_order_cannot_hold_money_never_paid() -> None:
    order = place(placed())
    with pytest.raises(InvalidInput, match="ESC-CONSERVATION") as info:
        attrs.evolve(order, held=usd(5))
    assert "paid must equal held + released + refunded" in str(info.value)


def test_an_order_whose_money_adds_up_can_be_evolved() -> None:
    order = paid()
    moved = attrs.evolve(order, held=usd(4_000), released=usd(6_000))
    assert moved.held == usd(4_000)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held": usd(-1), "released": usd(10_001)}, "no amount is negative"),
        ({"shipped": usd(10_001)}, "over its total"),
        ({"paid": usd(10_001), "held": usd(10_001)}, "over its total"),
        ({"shipped": usd(10_000)}, None),  # the whole total may ship
    ],
)
def test_an_order_s_figures_stay_within_its_total_and_never_go_negative(
    changes: dict[str, object], message: str | None
) -> None:
    order = paid()
    if message is None:
        assert attrs.evolve(order, **changes).shipped == usd(10_000)
        return
    with pytest.raises(InvalidInput, match=message):
        attrs.evolve(order, **changes)


def test_an_order_s_figures_are_in_its_currency() -> None:
    with pytest.raises(InvalidInput, match=r"Order\.shipped is in EUR but order PO-7 is in USD"):
        attrs.evolve(paid(), shipped=Money(0, "EUR"))
    with pytest.raises(InvalidInput, match=r"Order\.held must be Money"):
        attrs.evolve(paid(), held=10_000)


# -- who sends each event type (allowed_moves) ---------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=_id)
def test_every_event_type_but_the_timer_names_who_sends_it(kind: type[Event]) -> None:
    senders = EVENT_SPECS[kind].senders(thaw(place(placed())))
    assert senders <= set(Party)
    assert bool(senders) is (kind is not TimerExpired)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(order_histories())
def test_every_event_the_fold_took_was_one_its_sender_was_allowed(
    history: tuple[Event, ...],
) -> None:
    order = place(history[0])
    for event in history[1:]:
        moves = allowed_moves(order)
        assert frozenset().union(*moves.values()) == allowed_events(order)
        if type(event) is not TimerExpired:
            sender = getattr(event, "by", None)
            if sender is None:
                assert any(type(event) in kinds for kinds in moves.values())
            else:
                assert type(event) in moves[sender], (event, moves)
        order = apply(order, event)


def test_only_the_party_that_did_not_draft_may_confirm() -> None:
    for drafter, confirmer in ((Party.SUPPLIER, Party.BUYER), (Party.BUYER, Party.SUPPLIER)):
        moves = allowed_moves(place(placed(drafted_by=drafter)))
        assert ContractConfirmed in moves[confirmer]
        assert ContractConfirmed not in moves[drafter]
        assert moves[Party.PLATFORM] == frozenset()


def test_the_party_that_did_not_ask_to_cancel_answers_and_the_asker_withdraws() -> None:
    asked = apply(paid(), CancellationRequested(at=at(days=2), by=Party.BUYER))
    moves = allowed_moves(asked)
    assert {CancellationAgreed, CancellationDeclined} <= moves[Party.SUPPLIER]
    assert CancellationWithdrawn not in moves[Party.SUPPLIER]
    assert CancellationWithdrawn in moves[Party.BUYER]
    assert not {CancellationAgreed, CancellationDeclined} & moves[Party.BUYER]


def test_once_the_goods_shipped_only_the_buyer_may_ask_to_cancel() -> None:
    moves = allowed_moves(shipped())
    assert CancellationRequested in moves[Party.BUYER]
    assert CancellationRequested not in moves[Party.SUPPLIER]
