"""The escrow lifecycle as a hypothesis state machine, for this project's tests and
for yours: subclass :class:`EscrowMachine` and add invariants about your own
projection of the order (a read model, a ledger, an API's answers)."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from hypothesis import note
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tradeassure.errors import RuleViolation
from tradeassure.escrow import (
    Event,
    Order,
    PaymentReceived,
    ReceiptConfirmed,
    advance,
    allowed_events,
    apply,
    check,
    place,
    replay,
)
from tradeassure.escrow.policy import ESCROW_EDITIONS, EscrowPolicy
from tradeassure.money import Money
from tradeassure.testing._escrow import any_events, candidates, orders_placed, policy_currency

__all__ = ["EscrowMachine", "assert_sound", "released_from_escrow"]


def released_from_escrow(order: Order) -> Money:
    """What escrow has paid the supplier: ``released`` less the money paid straight to
    the supplier outside the checkout (TA-CHECKOUT-ONLY), which never passed through it."""
    outside = Money.zero(order.total.currency)
    for event in order.events:
        if isinstance(event, PaymentReceived) and not event.via_checkout:
            outside = outside + event.amount
    return order.released - outside


def assert_sound(order: Order) -> None:
    """ESC-CONSERVATION: paid = held + released + refunded, nothing negative, neither
    paid nor shipped over the total; and money follows the goods (ESC-RELEASE): escrow
    never pays the supplier more than the value shipped. An ``AssertionError`` naming
    the order if not."""
    assert order.paid == order.held + order.released + order.refunded, order
    for amount in (order.paid, order.held, order.released, order.refunded, order.shipped):
        assert not amount.is_negative, order
    assert order.paid <= order.total, order
    assert order.shipped <= order.total, order
    assert released_from_escrow(order) <= order.shipped, order


class EscrowMachine(RuleBasedStateMachine):
    """Drives one order with arbitrary events: accepted ones move it, refused ones must
    leave it exactly as it was, and the invariants hold after every step.

    Attributes:
        policies: the escrow policies an order may run under (every edition by
            default); override it in a subclass to test one.
        order: the order as it stands.
        policy: the policy this run drew.

    Run it with ``TestMyMachine = MyMachine.TestCase`` in a pytest module.
    """

    policies: ClassVar[st.SearchStrategy[EscrowPolicy]] = st.sampled_from(
        list(ESCROW_EDITIONS.values())
    )
    order: Order
    policy: EscrowPolicy
    _earlier: list[tuple[Order, tuple[Event, ...], frozenset[str | Event]]]

    @initialize(data=st.data())
    def start(self, data: st.DataObject) -> None:
        self.policy = data.draw(self.policies, label="policy")
        placed = data.draw(orders_placed(currency=policy_currency(self.policy)), label="placed")
        self.order = place(placed, self.policy)
        self._earlier = []

    @rule(data=st.data())
    def try_any_event(self, data: st.DataObject) -> None:
        """Any event at all: what ``check`` refuses, ``apply`` refuses with the same
        rule, and the order stays as it was."""
        before = self.order
        event = data.draw(any_events(after=before.updated_at, currency=before.total.currency))
        violations = check(before, event, self.policy)
        note(f"{event!r} -> {violations!r}")
        if not violations:
            self.order = apply(before, event, self.policy)
            return
        refused_by = None
        try:
            apply(before, event, self.policy)
        except RuleViolation as refusal:
            refused_by = refusal.rule
        assert refused_by == violations[0].rule, f"check refused {event!r}; apply: {refused_by}"
        assert self.order is before

    @rule(data=st.data())
    def take_a_valid_step(self, data: st.DataObject) -> None:
        """An event of a type the order may take now, once time has passed."""
        kinds = sorted(allowed_events(self.order, self.policy), key=lambda k: k.__name__)
        if not kinds:
            return
        kind = data.draw(st.sampled_from(kinds))
        at = self.order.updated_at + timedelta(hours=data.draw(st.integers(0, 24 * 20)))
        self.order = advance(self.order, at, self.policy)
        event = data.draw(candidates(self.order, kind, max(at, self.order.updated_at), self.policy))
        if event is not None and not check(self.order, event, self.policy):
            self.order = apply(self.order, event, self.policy)

    @rule(hours=st.integers(0, 24 * 120))
    def let_time_pass(self, hours: int) -> None:
        """Time passes: every timer that falls due fires."""
        self.order = advance(
            self.order, self.order.updated_at + timedelta(hours=hours), self.policy
        )

    @invariant()
    def money_is_conserved(self) -> None:
        assert_sound(self.order)

    @invariant()
    def closed_orders_accept_nothing(self) -> None:
        if self.order.is_closed:
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
        for order, events, ids in self._earlier:
            assert order.events == events
            assert frozenset(order.seen) == ids
        self._earlier.append((self.order, self.order.events, frozenset(self.order.seen)))
