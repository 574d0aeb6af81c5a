"""Invariants of the escrow fold over random histories, valid and invalid events alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tradeassure.errors import RuleViolation
from tradeassure.escrow import (
    Event,
    Order,
    OrderStatus,
    ReceiptConfirmed,
    advance,
    allowed_events,
    apply,
    check,
    due_events,
    place,
    replay,
)
from tradeassure.policy import DEFAULT_ESCROW, HELP_PAGES_ESCROW, LAUNCH_2014_ESCROW, EscrowPolicy
from tradeassure.testing import any_events, order_histories, orders_placed
from tradeassure.testing._escrow import _candidate

POLICIES = st.sampled_from([DEFAULT_ESCROW, HELP_PAGES_ESCROW, LAUNCH_2014_ESCROW])
CLOSED = {OrderStatus.CANCELLED, OrderStatus.REFUNDED}


def assert_sound(order: Order) -> None:
    """ESC-CONSERVATION and no negative amounts."""
    assert order.paid == order.held + order.released + order.refunded
    for amount in (order.paid, order.held, order.released, order.refunded, order.shipped):
        assert not amount.is_negative, order
    assert order.paid <= order.total
    assert order.shipped <= order.total


@st.composite
def histories_with_policy(draw: st.DrawFn) -> tuple[EscrowPolicy, tuple[Event, ...]]:
    policy = draw(POLICIES)
    return policy, draw(order_histories(policy=policy))


@given(histories_with_policy())
def test_every_step_of_a_history_conserves_money(
    case: tuple[EscrowPolicy, tuple[Event, ...]],
) -> None:
    policy, history = case
    order = place(history[0], policy)  # type: ignore[arg-type]
    assert_sound(order)
    for event in history[1:]:
        order = apply(order, event, policy)
        assert_sound(order)


@given(histories_with_policy())
def test_replay_equals_the_incrementally_built_order(
    case: tuple[EscrowPolicy, tuple[Event, ...]],
) -> None:
    policy, history = case
    order = place(history[0], policy)  # type: ignore[arg-type]
    for event in history[1:]:
        order = apply(order, event, policy)
    assert replay(history, policy) == order
    assert order.events == history


@given(histories_with_policy(), st.data())
def test_applying_an_applied_event_again_changes_nothing(
    case: tuple[EscrowPolicy, tuple[Event, ...]], data: st.DataObject
) -> None:
    policy, history = case
    order = replay(history, policy)
    again = data.draw(st.sampled_from(history))
    assert again.event_id is not None
    assert apply(order, again, policy) is order


@given(histories_with_policy(), st.integers(0, 400 * 24))
def test_advancing_time_conserves_money_and_replays(
    case: tuple[EscrowPolicy, tuple[Event, ...]], hours: int
) -> None:
    policy, history = case
    order = replay(history, policy)
    now = order.updated_at + timedelta(hours=hours)
    due = due_events(order, now, policy)
    later = advance(order, now, policy)
    assert_sound(later)
    assert replay((*history, *due), policy) == later
    assert due_events(later, now, policy) == ()
    for timer in due:
        assert timer.at <= now


class EscrowMachine(RuleBasedStateMachine):
    """Drives one order with arbitrary events: accepted ones move it, refused ones must
    leave it exactly as it was, and the invariants hold after every step."""

    order: Order
    policy: EscrowPolicy
    earlier: list[tuple[Order, tuple[Event, ...], frozenset[str]]]

    @initialize(placed=orders_placed(), policy=POLICIES)
    def start(self, placed: Event, policy: EscrowPolicy) -> None:
        self.policy = policy
        self.order = place(placed, policy)  # type: ignore[arg-type]
        self.earlier = []

    @rule(data=st.data())
    def try_any_event(self, data: st.DataObject) -> None:
        before = self.order
        event = data.draw(any_events(after=before.updated_at, currency=before.total.currency))
        violations = check(before, event, self.policy)
        note(f"{event!r} -> {violations!r}")
        if violations:
            with pytest.raises(RuleViolation) as info:
                apply(before, event, self.policy)
            assert info.value.rule == violations[0].rule
            assert self.order is before
        else:
            self.order = apply(before, event, self.policy)

    @rule(data=st.data())
    def take_a_valid_step(self, data: st.DataObject) -> None:
        kinds = sorted(allowed_events(self.order, self.policy), key=lambda k: k.__name__)
        if not kinds:
            return
        kind = data.draw(st.sampled_from(kinds))
        at = self.order.updated_at + timedelta(hours=data.draw(st.integers(0, 24 * 20)))
        self.order = advance(self.order, at, self.policy)
        event = _candidate(data.draw, self.order, kind, max(at, self.order.updated_at), self.policy)
        if event is not None and not check(self.order, event, self.policy):
            self.order = apply(self.order, event, self.policy)

    @rule(hours=st.integers(0, 24 * 120))
    def let_time_pass(self, hours: int) -> None:
        self.order = advance(
            self.order, self.order.updated_at + timedelta(hours=hours), self.policy
        )

    @invariant()
    def money_is_conserved(self) -> None:
        assert_sound(self.order)

    @invariant()
    def closed_orders_accept_nothing(self) -> None:
        if self.order.status in CLOSED:
            assert allowed_events(self.order, self.policy) == frozenset()
            late = ReceiptConfirmed(at=self.order.updated_at)
            assert [v.rule for v in check(self.order, late, self.policy)] == ["ESC-STATES"]

    @invariant()
    def the_order_is_its_history(self) -> None:
        assert replay(self.order.events, self.policy) == self.order

    @invariant()
    def an_order_once_returned_never_changes(self) -> None:
        """Later events are decided on working copies that start from an order's
        collections; none of them may reach back into an order already returned."""
        for order, events, ids in self.earlier:
            assert order.events == events
            assert frozenset(order.seen) == ids
        self.earlier.append((self.order, self.order.events, frozenset(self.order.seen)))


TestEscrowMachine = EscrowMachine.TestCase
