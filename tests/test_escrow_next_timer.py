"""escrow.next_timer, what a scheduler indexes orders on (the store's due index): it
names exactly the timer due_events fires first, from exactly its instant."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from escrow_builders import paid, placed, shipped
from tradeassure.errors import InvalidInput, TradeAssureError
from tradeassure.escrow import (
    ESCROW_EDITIONS,
    HELP_PAGES_ESCROW,
    EscrowPolicy,
    Party,
    ShippingDateExtended,
    apply,
    deadlines,
    due_events,
    next_due,
    next_move,
    next_timer,
    replay,
)
from tradeassure.testing import order_histories

_TICK = timedelta(microseconds=1)


@given(history=order_histories())
def test_the_next_timer_is_the_first_timer_due_events_fires_and_when(history: tuple) -> None:
    order = replay(history)
    timer = next_timer(order)
    if timer is None:
        assert due_events(order, order.updated_at + timedelta(days=20_000)) == ()
        return
    assert timer.at is not None
    assert timer.at.utcoffset() == timedelta(0)
    if timer.at > order.updated_at:
        assert due_events(order, timer.at - _TICK) == ()
    fired = due_events(order, max(timer.at, order.updated_at))
    assert fired
    assert fired[0].timer == timer.rule


@given(history=order_histories(), edition=st.sampled_from(sorted(ESCROW_EDITIONS)))
def test_next_move_is_the_deadlines_next_move_worked_out_alone(
    history: tuple, edition: str
) -> None:
    policy = ESCROW_EDITIONS[edition]
    try:
        order = replay(history, policy)
    except TradeAssureError:
        return  # a history drawn for the default edition that this one refuses
    assert next_move(order, policy) == deadlines(order, policy).next_move
    move = next_move(order, policy)
    assert next_due(order, policy) == (None if move is None else move.at)


@given(history=order_histories(policy=HELP_PAGES_ESCROW))
def test_the_next_timer_follows_the_policy(history: tuple) -> None:
    order = replay(history, HELP_PAGES_ESCROW)
    timer = next_timer(order, HELP_PAGES_ESCROW)
    fired = due_events(order, order.updated_at + timedelta(days=20_000), HELP_PAGES_ESCROW)
    assert (timer is None) == (fired == ())
    if timer is not None:
        assert fired[0].timer == timer.rule


def test_a_placed_contract_waits_for_the_other_party_under_tmr_confirm() -> None:
    supplier_drafted = replay([placed()])
    timer = next_timer(supplier_drafted)
    assert timer is not None
    assert (timer.rule, timer.party) == ("TMR-CONFIRM", Party.BUYER)
    assert timer.at == placed().at + timedelta(days=30)
    buyer_drafted = replay([placed(drafted_by=Party.BUYER)])
    assert next_timer(buyer_drafted).party is Party.SUPPLIER  # type: ignore[union-attr]


def test_a_paid_order_runs_the_shipping_timer_and_a_shipped_one_auto_completion() -> None:
    for order, rule in [(paid(), "TMR-SHIP-OVERDUE"), (shipped(), "TMR-AUTO-COMPLETE")]:
        timer = next_timer(order)
        assert timer is not None
        assert timer.rule == rule
        assert due_events(order, timer.at - _TICK) == ()  # type: ignore[operator]
        assert due_events(order, timer.at)[0].timer == rule  # type: ignore[arg-type]


def test_the_next_timer_is_the_next_move_when_a_timer_comes_first() -> None:
    order = shipped()
    assert next_timer(order) == deadlines(order).next_move


def test_a_closed_order_runs_no_timer() -> None:
    order = replay([placed()])
    cancelled = replay([placed(), *due_events(order, order.updated_at + timedelta(days=31))])
    assert next_timer(cancelled) is None


def test_a_placed_contract_runs_tmr_confirm_under_every_edition() -> None:
    for policy in ESCROW_EDITIONS.values():
        assert isinstance(policy, EscrowPolicy)
        timer = next_timer(replay([placed()], policy), policy)
        assert timer is not None
        assert timer.rule == "TMR-CONFIRM"
        assert timer.at == placed().at + timedelta(days=policy.confirm_days)


def test_an_event_may_not_take_the_id_a_timer_event_will_have() -> None:
    order = paid()
    reserved = f"{order.order_id}:TMR-SHIP-OVERDUE:2025-10-20T16:00:00+00:00"
    extend = ShippingDateExtended(
        at=order.updated_at + timedelta(days=1),
        new_ship_by=date(2025, 10, 25),
        buyer_agrees=True,
        supplier_agrees=True,
        event_id=reserved,
    )
    with pytest.raises(InvalidInput, match="ORDER:TMR-") as caught:
        apply(order, extend)
    assert reserved in str(caught.value)
    fine = attrs.evolve(extend, event_id=f"{order.order_id}:extension")
    assert apply(order, fine).ship_by == date(2025, 10, 25)
    elsewhere = attrs.evolve(extend, event_id="PO-other:TMR-SHIP-OVERDUE:2025-10-20")
    assert apply(order, elsewhere).ship_by == date(2025, 10, 25)
    fired = due_events(order, order.updated_at + timedelta(days=400))
    assert fired[0].event_id.startswith(f"{order.order_id}:TMR-")  # type: ignore[union-attr]
