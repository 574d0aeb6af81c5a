"""The escrow order lifecycle: a pure fold of events into an order's state.

A backend stores an order's events and asks this module what state the order is in
(:func:`replay`), whether the next event is allowed (:func:`check`, :func:`apply`),
what may happen next, and from whom (:func:`allowed_events`, :func:`allowed_moves`), by
when (:func:`deadlines`, :func:`due_events`), and who gets the money (``Order.held``,
``released``, ``refunded``; :func:`covered_amount`). Nothing here reads a clock: "now" is always an
event's ``at`` or an argument.

The state machine is one table, :data:`TRANSITIONS` (status x event type -> handler),
read by :func:`apply`, :func:`allowed_events`, the docs and the diagram alike, and
built from one spec per event type (``tradeassure.escrow.handlers``). A refused event
raises :class:`~tradeassure.errors.RuleViolation` naming the rule.

The package, one module per part of the design:

- ``events``: the event classes; ``order``: the order's state and its parts;
  ``policy``: the escrow's figures and editions;
- ``handlers``: one spec per event type (its handler, table rows, out-of-turn rule and
  descriptions); ``timers``: the time-driven rules and :func:`deadlines`;
- ``fold``: :func:`place`, :func:`apply`, :func:`check`, :func:`replay`,
  :func:`steps`, :func:`allowed_events`, :func:`allowed_moves`, :func:`covered_amount`,
  :func:`due_events`, :func:`advance`;
- ``_draft``: the fold's private working copy, and what the three above share.

>>> from datetime import date, datetime, timedelta, timezone
>>> from tradeassure.money import Money
>>> t0 = datetime(2025, 9, 1, 9, 0, tzinfo=timezone.utc)
>>> usd = lambda amount: Money(amount, "USD")
>>> order = replay([
...     OrderPlaced(order_id="PO-7", at=t0, buyer="Acme Ltd", supplier="Shenzhen Co",
...                 total=usd(10_000), ship_by=date(2025, 10, 20)),
...     ContractConfirmed(at=t0 + timedelta(hours=2), by=Party.BUYER),
...     PaymentReceived(at=t0 + timedelta(days=1), amount=usd(10_000),
...                     method=PaymentMethod.TT),
...     Shipped(at=t0 + timedelta(days=30), value=usd(10_000), final=True),
... ])
>>> order.status, str(order.held)
(<OrderStatus.SHIPPED: 'shipped'>, 'USD 10,000.00')
>>> done = apply(order, ReceiptConfirmed(at=t0 + timedelta(days=50)))
>>> done.status, str(done.released)
(<OrderStatus.COMPLETED: 'completed'>, 'USD 10,000.00')
>>> late = DisputeOpened(at=t0 + timedelta(days=51), reason=DisputeReason.DAMAGED,
...                      claim=usd(500), evidence=("photo.jpg",))
>>> for violation in check(done, late):
...     print(violation)
ESC-DISPUTE-COMPLETED: order PO-7 was completed on 2025-10-21; a completed order cannot
be disputed
"""

from __future__ import annotations

from tradeassure.errors import EventIdConflict
from tradeassure.escrow.events import (
    EVENT_TYPES,
    TIMERS,
    BankAccountProvided,
    CancellationAgreed,
    CancellationDeclined,
    CancellationRequested,
    CancellationWithdrawn,
    ContractConfirmed,
    DisputeEscalated,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    DisputeWithdrawn,
    Event,
    EvidenceSubmitted,
    FeedbackLeft,
    InspectionReported,
    OrderPlaced,
    PaymentReceived,
    PlatformRuled,
    ReceiptConfirmed,
    ReceiptDeadlineExtended,
    RefundIssued,
    Shipped,
    ShippingDateExtended,
    TimerExpired,
)
from tradeassure.escrow.fold import (
    Step,
    advance,
    allowed_events,
    allowed_moves,
    apply,
    check,
    covered_amount,
    due_events,
    place,
    replay,
    steps,
)
from tradeassure.escrow.handlers import PLACEMENT_RULES, TRANSITIONS, Transition, brief, describe
from tradeassure.escrow.order import (
    CancellationRequest,
    Contract,
    Dispute,
    Inspection,
    Milestones,
    Order,
    OrderStatus,
)
from tradeassure.escrow.policy import (
    DEFAULT_ESCROW,
    ESCROW_EDITIONS,
    HELP_PAGES_ESCROW,
    LAUNCH_2014_ESCROW,
    EscrowPolicy,
)
from tradeassure.escrow.timers import (
    Deadlines,
    NextMove,
    deadlines,
    next_due,
    next_move,
    next_timer,
)
from tradeassure.terms import Party, PaymentMethod

__all__ = [
    "DEFAULT_ESCROW",
    "ESCROW_EDITIONS",
    "EVENT_TYPES",
    "HELP_PAGES_ESCROW",
    "LAUNCH_2014_ESCROW",
    "PLACEMENT_RULES",
    "TIMERS",
    "TRANSITIONS",
    "BankAccountProvided",
    "CancellationAgreed",
    "CancellationDeclined",
    "CancellationRequest",
    "CancellationRequested",
    "CancellationWithdrawn",
    "Contract",
    "ContractConfirmed",
    "Deadlines",
    "Dispute",
    "DisputeEscalated",
    "DisputeOpened",
    "DisputeReason",
    "DisputeSettled",
    "DisputeWithdrawn",
    "EscrowPolicy",
    "Event",
    "EventIdConflict",
    "EvidenceSubmitted",
    "FeedbackLeft",
    "Inspection",
    "InspectionReported",
    "Milestones",
    "NextMove",
    "Order",
    "OrderPlaced",
    "OrderStatus",
    "Party",
    "PaymentMethod",
    "PaymentReceived",
    "PlatformRuled",
    "ReceiptConfirmed",
    "ReceiptDeadlineExtended",
    "RefundIssued",
    "Shipped",
    "ShippingDateExtended",
    "Step",
    "TimerExpired",
    "Transition",
    "advance",
    "allowed_events",
    "allowed_moves",
    "apply",
    "brief",
    "check",
    "covered_amount",
    "deadlines",
    "describe",
    "due_events",
    "next_due",
    "next_move",
    "next_timer",
    "place",
    "replay",
    "steps",
]
