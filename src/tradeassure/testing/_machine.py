"""The escrow lifecycle as a hypothesis state machine, for this project's tests and
for yours: subclass :class:`EscrowMachine` and add invariants about your own
projection of the order (a read model, a ledger, an API's answers)."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar, Final
from zoneinfo import ZoneInfo

from hypothesis import note
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tradeassure.errors import RuleViolation
from tradeassure.escrow import (
    CancellationDeclined,
    CancellationRequested,
    CancellationWithdrawn,
    Event,
    Order,
    OrderStatus,
    Party,
    PaymentReceived,
    ReceiptConfirmed,
    advance,
    allowed_events,
    apply,
    check,
    deadlines,
    replay,
)
from tradeassure.escrow.policy import ESCROW_EDITIONS, EscrowPolicy
from tradeassure.money import Money
from tradeassure.testing._escrow import (
    any_events,
    candidates,
    forward_events,
    order_histories,
    policy_currency,
)

__all__ = ["FOREVER", "EscrowMachine", "assert_live", "assert_sound", "released_from_escrow"]

#: Long enough for every timer of the shipped editions to have fired: silence forever.
FOREVER: Final = timedelta(days=3650)


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


def _terminal(order: Order) -> bool:
    """Closed with nothing held, or completed with nothing held: nothing to wait for."""
    return order.is_closed or (order.status is OrderStatus.COMPLETED and order.held.is_zero)


def _left_waiting(order: Order, policy: EscrowPolicy) -> str | None:
    """Why ``order``, after silence, still waits on a party, or None when all it waits
    for is the platform's ruling on an escalated dispute, the platform's payout of a
    decided refund (TMR-REFUND-START) or the buyer's bank account for one
    (ESC-REFUND-WINDOW)."""
    if _terminal(order):
        return None
    move = deadlines(order, policy).next_move
    dispute = order.dispute
    escalated = (
        order.status is OrderStatus.DISPUTED
        and dispute is not None
        and dispute.is_open
        and dispute.escalated_at is not None
    )
    allowed = {(Party.PLATFORM, "TMR-REFUND-START"), (Party.BUYER, "ESC-REFUND-WINDOW")}
    if escalated:
        allowed.add((Party.PLATFORM, "TA-SUPPLIER-15-DAYS"))
    if move is not None and (move.party, move.rule) in allowed:
        return None
    return f"{order.status.label}, holding {order.held}, waiting for {move}"


def assert_live(order: Order, policy: EscrowPolicy, forever: timedelta = FOREVER) -> None:
    """Liveness (ESC-STATES, RULES.md section 6): every state but a terminal one names
    its next move (``deadlines(order).next_move``), and if no party ever acts again,
    time alone (``advance`` by ``forever``) ends the order with nothing held, or leaves
    only the platform's ruling on an escalated dispute, the platform's payout of a
    decided refund, or the buyer's bank account for it. An ``AssertionError`` saying
    what waits, if not."""
    move = deadlines(order, policy).next_move
    if _terminal(order):
        assert move is None, f"{order.status.label} with nothing held names {move}: {order!r}"
    else:
        assert move is not None, f"{order.status.label} names no next move: {order!r}"
    later = advance(order, order.updated_at + forever, policy)
    waiting = _left_waiting(later, policy)
    assert waiting is None, f"silence leaves {order!r} {waiting}"


#: The statuses a cancellation request may wait in, whatever party asked.
_REQUESTABLE: Final = frozenset(
    {
        OrderStatus.PARTIALLY_PAID,
        OrderStatus.FUNDS_HELD,
        OrderStatus.PARTIALLY_SHIPPED,
        OrderStatus.SHIPPED,
    }
)


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
        # From a valid history of some length (none, often): runs start at every stage
        # of the lifecycle, disputes and refunds included, not only at the contract.
        history = data.draw(
            order_histories(self.policy, currency=policy_currency(self.policy)), label="history"
        )
        self.order = replay(history, self.policy)
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

    @rule(data=st.data(), hours=st.integers(0, 72))
    def move_the_order_on(self, data: st.DataObject, hours: int) -> None:
        """A party's move within three days, drawn as ``order_histories`` draws its
        steps (progress likelier than detours), so that runs reach shipment, disputes and
        their outcomes rather than ending early in a cancellation."""
        at = self.order.updated_at + timedelta(hours=hours)
        self.order = advance(self.order, at, self.policy)
        event = data.draw(forward_events(self.order, max(at, self.order.updated_at), self.policy))
        if event is not None:
            self.order = apply(self.order, event, self.policy)

    @rule(hours=st.integers(0, 24 * 120))
    def let_time_pass(self, hours: int) -> None:
        """Time passes: every timer that falls due fires."""
        self.order = advance(
            self.order, self.order.updated_at + timedelta(hours=hours), self.policy
        )

    @precondition(lambda self: self.order.status in _REQUESTABLE)
    @rule(hours=st.integers(0, 24 * 7 - 1), withdraw=st.booleans())
    def a_request_answered_moves_the_clocks_by_the_wait(self, hours: int, withdraw: bool) -> None:
        """TMR-CANCEL-LAPSE: the buyer asks to cancel, and the request ends without a
        cancellation before it lapses (the supplier declines, or the buyer withdraws):
        the payment and receipt deadlines move by exactly the time waited, the ship-by
        by the supplier's days waited; no clock loses or gains time."""
        at = self.order.updated_at
        order = advance(self.order, at, self.policy)
        if order.status not in _REQUESTABLE:
            self.order = order
            return
        before = deadlines(order, self.policy)
        # Ids of their own: an earlier request and answer at the same instants would be
        # equal events, taken as redeliveries.
        n = len(order.history)
        request = CancellationRequested(at=at, by=Party.BUYER, event_id=f"request-{n}")
        asked = apply(order, request, self.policy)
        waited = timedelta(hours=hours)
        end = (
            CancellationWithdrawn(at=at + waited, by=Party.BUYER, event_id=f"answer-{n}")
            if withdraw
            else CancellationDeclined(at=at + waited, by=Party.SUPPLIER, event_id=f"answer-{n}")
        )
        after_order = apply(asked, end, self.policy)
        after = deadlines(after_order, self.policy)
        assert after_order.status is order.status
        for name in ("pay_by", "receipt_by"):
            was, now = getattr(before, name), getattr(after, name)
            assert (was is None) == (now is None), (name, was, now)
            if was is not None:
                assert now - was == waited, f"{name} moved by {now - was}, not {waited}"
        if before.ship_by is not None:
            zone = ZoneInfo(order.contract.supplier_zone)
            days = (at + waited).astimezone(zone).date() - at.astimezone(zone).date()
            assert after.ship_by == before.ship_by + days, (before.ship_by, after.ship_by, days)
        self.order = after_order

    @invariant()
    def money_is_conserved(self) -> None:
        assert_sound(self.order)

    @invariant()
    def silence_drains_the_hold(self) -> None:
        assert_live(self.order, self.policy)

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
