from datetime import UTC, date, datetime, timedelta

from tradeassure.escrow import (
    TRANSITIONS,
    BankAccountProvided,
    CancellationAgreed,
    CancellationDeclined,
    CancellationRequest,
    CancellationRequested,
    CancellationWithdrawn,
    ContractConfirmed,
    Deadlines,
    DisputeEscalated,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    DisputeWithdrawn,
    Event,
    EvidenceSubmitted,
    FeedbackLeft,
    Inspection,
    InspectionReported,
    Milestones,
    NextMove,
    OrderPlaced,
    OrderStatus,
    Party,
    PaymentMethod,
    PaymentReceived,
    PlatformRuled,
    ReceiptConfirmed,
    ReceiptDeadlineExtended,
    RefundIssued,
    Shipped,
    ShippingDateExtended,
    TimerExpired,
    replay,
)
from tradeassure.money import Money
from tradeassure.serialization import Envelope

T0 = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
USD = "USD"


def _at(days: float) -> datetime:
    return T0 + timedelta(days=days)


PLACED = OrderPlaced(
    order_id="PO-1",
    at=T0,
    buyer="Acme Ltd",
    supplier="Ningbo Tools Co",
    total=Money("12000.00", USD),
    ship_by=date(2025, 4, 15),
    deposit=Money("3600.00", USD),
    specifications=("M6 bolts, ISO 4017, zinc plated",),
    event_id="e-0",
)
HISTORY = [
    PLACED,
    ContractConfirmed(at=_at(0.1), by=Party.BUYER, event_id="e-1"),
    PaymentReceived(at=_at(1), amount=Money("12000.00", USD), method=PaymentMethod.TT),
    Shipped(at=_at(30), value=Money("12000.00", USD), final=True),
    DisputeOpened(
        at=_at(45),
        reason=DisputeReason.QUALITY_MISMATCH,
        claim=Money("4000.00", USD),
        evidence=("photos.zip",),
    ),
    InspectionReported(at=_at(50), passed=False, report="thread pitch off"),
]

EXAMPLES: list[object] = [
    *HISTORY,
    Event(at=T0),
    ShippingDateExtended(
        at=_at(2), new_ship_by=date(2025, 4, 30), buyer_agrees=True, supplier_agrees=True
    ),
    ReceiptConfirmed(at=_at(40)),
    ReceiptDeadlineExtended(at=_at(40), by=Party.BUYER),
    FeedbackLeft(at=_at(41), rating=4, comment="good"),
    CancellationRequested(at=_at(2), by=Party.BUYER),
    CancellationAgreed(at=_at(3), by=Party.SUPPLIER),
    CancellationDeclined(at=_at(3), by=Party.SUPPLIER),
    DisputeSettled(at=_at(55), refund=Money("1000.00", USD)),
    PlatformRuled(at=_at(70), refund=Money("4000.00", USD)),
    RefundIssued(at=_at(71), amount=Money("4000.00", USD), bank_account="DE89 3704"),
    BankAccountProvided(at=_at(70), account="DE89 3704 0044 0532 0130 00"),
    CancellationWithdrawn(at=_at(12), by=Party.BUYER),
    EvidenceSubmitted(at=_at(46), by=Party.SUPPLIER, items=("packing-list.pdf",)),
    DisputeEscalated(at=_at(61)),
    DisputeWithdrawn(at=_at(47)),
    TimerExpired(at=_at(30), timer="TMR-CONFIRM"),
    replay(HISTORY),
    replay(HISTORY[:3]),
    replay(HISTORY).contract,
    replay(HISTORY).dispute,
    Inspection(passed=True, at=T0, report=""),
    Milestones(),
    Milestones(confirmed_at=T0, feedback=5),
    CancellationRequest(by=Party.BUYER, at=T0, prior_status=OrderStatus.FUNDS_HELD),
    Deadlines(),
    Deadlines(ship_by=date(2025, 4, 15)),
    NextMove(at=T0, rule="TMR-PAY", party=Party.BUYER),
    NextMove(at=None, rule="TA-SUPPLIER-15-DAYS", party=Party.PLATFORM),
    TRANSITIONS[OrderStatus.SHIPPED, ReceiptConfirmed],
    Envelope("PO-1", ReceiptConfirmed(at=_at(40), event_id="e-40")),
    Envelope(HISTORY[0].order_id, HISTORY[0]),
]
