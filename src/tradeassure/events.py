"""The events of an order's life; they live in :mod:`tradeassure.escrow.events`.

This module keeps the import path ``tradeassure.events`` working: every name it exports
is the escrow's own.
"""

from __future__ import annotations

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

__all__ = [
    "EVENT_TYPES",
    "TIMERS",
    "BankAccountProvided",
    "CancellationAgreed",
    "CancellationDeclined",
    "CancellationRequested",
    "CancellationWithdrawn",
    "ContractConfirmed",
    "DisputeEscalated",
    "DisputeOpened",
    "DisputeReason",
    "DisputeSettled",
    "DisputeWithdrawn",
    "Event",
    "EvidenceSubmitted",
    "FeedbackLeft",
    "InspectionReported",
    "OrderPlaced",
    "PaymentReceived",
    "PlatformRuled",
    "ReceiptConfirmed",
    "ReceiptDeadlineExtended",
    "RefundIssued",
    "Shipped",
    "ShippingDateExtended",
    "TimerExpired",
]
