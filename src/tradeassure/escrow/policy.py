"""The escrow's policy: every figure the order lifecycle, coverage and disputes use
(ESC-*, TA-*, TMR-*), in named editions.

No rule function holds a number of its own: each takes a policy argument whose default
is :data:`DEFAULT_ESCROW`. Editions exist where the documents show the rules changing,
so the same history can be judged under either (``ESCROW_EDITIONS``, by name):

- ``DEFAULT_ESCROW``: the source documents' own figures (the supplier's 15 days,
  PayPal refused, no minimum order since 2015, no claim after a completed order) and,
  where they give none, the help-pages figures of RULES.md section 6.
- ``HELP_PAGES_ESCROW``: RULES.md section 6 throughout: the supplier answers a dispute
  in 3 days, the buyer may escalate from day 4, escalation is automatic on day 8, and a
  quality claim may be filed up to 30 days after confirmed receipt.
- ``LAUNCH_2014_ESCROW``: the programme at launch: only T/T payments covered, and a
  USD 1,000 minimum per protected order (TA-METHODS, TA-MIN-ORDER).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import final

import attrs

from tradeassure._checks import day_count_field as _days
from tradeassure._checks import of_type, positive_money_field, text_field, tuple_of, validator
from tradeassure.errors import InvalidInput
from tradeassure.money import Money, _figure
from tradeassure.shipping import DEFAULT_SHIPPING, ShippingPolicy
from tradeassure.terms import PaymentMethod

__all__ = [
    "DEFAULT_ESCROW",
    "ESCROW_EDITIONS",
    "HELP_PAGES_ESCROW",
    "LAUNCH_2014_ESCROW",
    "EscrowPolicy",
]

_ALL_METHODS = frozenset(PaymentMethod)
#: A policy's money figure: None, or Money of more than zero (checked without loading the
#: ISO 4217 table, so that importing the library stays light).
_optional_money = attrs.validators.optional(positive_money_field)


def _methods(values: Iterable[PaymentMethod]) -> frozenset[PaymentMethod]:
    return frozenset(tuple_of(values, PaymentMethod, "payment methods"))


@final
@attrs.frozen
class EscrowPolicy:
    """Figures for the order lifecycle, coverage and disputes (ESC-*, TA-*, TMR-*).

    Every figure in days is a whole number from 0 to 73,413 (``MAX_DAYS``, the length of
    the supported dates: docs/design.md), so that no deadline an order reaches leaves
    Python's dates; ``shipping`` is a :class:`~tradeassure.shipping.ShippingPolicy`.

    Attributes:
        edition: the edition's name, as in :data:`ESCROW_EDITIONS`.
        accepted_methods: methods that may pay into escrow at all (TA-METHODS).
        covered_methods: methods whose payments protection covers (TA-METHODS; T/T only
            at launch). Always a subset of ``accepted_methods``.
        min_protected_order: smallest order total that protection covers, or None
            (TA-MIN-ORDER).
        default_protection_limit: the cap on coverage when an order names none, or None
            for no cap (TA-LIMIT).
        supplier_window_days: calendar days from a dispute's opening the supplier has to
            resolve it before the platform may rule (TA-SUPPLIER-15-DAYS,
            TMR-SUPPLIER-RESPONSE); the buyer may escalate once it has passed (from day
            4 under the help pages).
        auto_escalate_days: calendar days after the opening at which the dispute
            escalates to the platform automatically (TMR-SUPPLIER-RESPONSE).
        evidence_days: calendar days after the opening by which a claim about the goods
            carries evidence (the buyer's, or an inspection report rejecting the goods);
            one still without any is withdrawn and the order goes on (TMR-EVIDENCE; the
            sources give no figure: a week, as Alibaba asks for uploads "within due
            time" and Stripe gives each dispute an ``evidence_details.due_by``).
        confirm_days: calendar days a contract may wait for confirmation (TMR-CONFIRM).
        pay_days: calendar days a confirmed order may wait to be paid in full (TMR-PAY);
            a deposit order waits this long for its deposit only.
        balance_due_days: days after the ship-by day at whose end the balance of a
            deposit order falls due (TMR-BALANCE; 0: the balance is due before shipment,
            at the latest on the ship-by day, ESC-DEPOSIT).
        cancel_request_days: calendar days a cancellation request waits for the other
            party's answer before it lapses, as declined, and the order resumes; the
            order's clocks stand still meanwhile (TMR-CANCEL-LAPSE; the sources give no
            figure: a week, like the evidence deadline).
        ship_overdue_days: days after the ship-by day at whose end a funded order still
            not fully shipped is cancelled for its unshipped part and that part refunded
            (TMR-SHIP-OVERDUE; the sources give no figure: 30 days, where AliExpress
            closes and refunds an order its seller has not shipped at once).
        in_transit_days: days after a shipment during which its goods count as in
            transit: a not-received claim waits for them to pass (SHIP-IN-TRANSIT; 0 in
            the shipped editions, as the sources give no figure: a user edition sets one).
        auto_complete_days: calendar days after the final shipment at which an order
            nobody confirmed or disputed completes (TMR-AUTO-COMPLETE).
        receipt_extension_days: days one party's single extension adds to that deadline
            (TMR-RECEIPT-EXTEND).
        receipt_extension_max_days: most days all extensions together add
            (TMR-RECEIPT-EXTEND).
        claim_after_receipt_days: calendar days after confirmed receipt during which a
            claim about the goods may still be filed; 0 under the documents
            (TMR-CLAIM-AFTER-RECEIPT, ESC-DISPUTE-COMPLETED).
        refund_start_business_days: business days after an outcome by which the platform
            starts the refund (TMR-REFUND-START).
        shipping: ship-by and refund-arrival figures.
    """

    edition: str = attrs.field(validator=text_field)
    accepted_methods: frozenset[PaymentMethod] = attrs.field(
        default=_ALL_METHODS - {PaymentMethod.PAYPAL}, converter=_methods
    )
    covered_methods: frozenset[PaymentMethod] = attrs.field(
        default=_ALL_METHODS - {PaymentMethod.PAYPAL}, converter=_methods
    )
    min_protected_order: Money | None = attrs.field(default=None, validator=_optional_money)
    default_protection_limit: Money | None = attrs.field(default=None, validator=_optional_money)
    supplier_window_days: int = attrs.field(default=15, validator=_days)
    auto_escalate_days: int = attrs.field(default=15, validator=_days)
    evidence_days: int = attrs.field(default=7, validator=_days)
    confirm_days: int = attrs.field(default=30, validator=_days)
    pay_days: int = attrs.field(default=60, validator=_days)
    balance_due_days: int = attrs.field(default=0, validator=_days)
    auto_complete_days: int = attrs.field(default=60, validator=_days)
    cancel_request_days: int = attrs.field(default=7, validator=_days)
    ship_overdue_days: int = attrs.field(default=30, validator=_days)
    in_transit_days: int = attrs.field(default=0, validator=_days)
    receipt_extension_days: int = attrs.field(default=15, validator=_days)
    receipt_extension_max_days: int = attrs.field(default=30, validator=_days)
    claim_after_receipt_days: int = attrs.field(default=0, validator=_days)
    refund_start_business_days: int = attrs.field(default=7, validator=_days)
    shipping: ShippingPolicy = attrs.field(
        default=DEFAULT_SHIPPING, validator=validator(of_type, ShippingPolicy)
    )

    def __attrs_post_init__(self) -> None:
        if not self.covered_methods <= self.accepted_methods:
            extra = sorted(m.name for m in self.covered_methods - self.accepted_methods)
            raise InvalidInput(f"covered_methods must be accepted too; not accepted: {extra}")
        if self.auto_escalate_days < self.supplier_window_days:
            raise InvalidInput(
                "auto_escalate_days must not fall inside the supplier's window "
                f"({self.auto_escalate_days} < {self.supplier_window_days})"
            )


DEFAULT_ESCROW = EscrowPolicy(edition="default")
HELP_PAGES_ESCROW = EscrowPolicy(
    edition="help-pages",
    supplier_window_days=3,
    auto_escalate_days=7,
    claim_after_receipt_days=30,
)
LAUNCH_2014_ESCROW = EscrowPolicy(
    edition="launch-2014",
    covered_methods=frozenset({PaymentMethod.TT}),
    min_protected_order=_figure("1000.00", "USD"),
)

#: Escrow editions by name, for a CLI flag or a stored setting.
ESCROW_EDITIONS: Mapping[str, EscrowPolicy] = MappingProxyType(
    {p.edition: p for p in (DEFAULT_ESCROW, HELP_PAGES_ESCROW, LAUNCH_2014_ESCROW)}
)
