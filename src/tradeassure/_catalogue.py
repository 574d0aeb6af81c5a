"""The rule catalogue's data: every rule id, once, with its summary and sources.

This is the table to edit when a rule is added; :mod:`tradeassure.rules` is its public
face. It imports nothing of the library, so that :mod:`tradeassure.errors` can check a
``RuleViolation``'s id against it and :mod:`tradeassure.rules` can raise
``InvalidInput`` for an unknown id, without the two importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, final

import attrs

__all__ = ["DOCS_URL", "RULES", "SOURCES", "Rule"]

#: Where the documentation site is published (mkdocs.yml's ``site_url``, kept equal by a
#: test). A rule's entry is at ``DOCS_URL + "rules/#" + anchor``; a site built from a
#: checkout (``mkdocs build``) holds the same page, ``rules/index.html``, at that anchor.
DOCS_URL: Final = "https://tradeassure.readthedocs.io/en/latest/"

#: The documents the rules were read from (``shared/seeds/NNN_*.txt``), by number.
SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "000": "Marketplace help-centre FAQ: buyer identity, account security, e-Credit Line, "
        "PayPal, shipping windows",
        "001": "Secure Payment service guide: ordering, payment methods, disputes, refunds",
        "002": "Sourcing agent's guide to Trade Assurance and other payment options",
        "003": "News report on the Trade Assurance expansion and the Australian e-Credit Line",
        "004": "Buyer's guide to Trade Assurance: checkout, contracts, inspection, limits",
        "RULES.md": "A decision recorded in the rule catalogue itself",
        "help pages": "The platform's public help pages and peer buyer-protection schemes "
        "(RULES.md section 6)",
        "library": "A rule the library adds where RULES.md gives no id (its summary says "
        "what it decides; its anchor is the rule it serves)",
    }
)


@final
@attrs.frozen
class Rule:
    """One business rule.

    Attributes:
        id: stable identifier, e.g. ``ESC-HOLD``; named in every refusal.
        section: the RULES.md section (``escrow``, ``coverage``, ``shipping``, ``credit``,
            ``identity``, ``timers``).
        summary: one line saying what the rule decides.
        sources: keys of :data:`SOURCES` the rule was read from.
    """

    id: str
    section: str
    summary: str
    sources: tuple[str, ...]

    @property
    def anchor(self) -> str:
        """The id of the rule's entry in the catalogue page (docs/rules.md): the rule id
        in lower case, ``ESC-HOLD`` -> ``esc-hold``."""
        return self.id.lower()

    @property
    def url(self) -> str:
        """The address of the rule's entry on the published site (:data:`DOCS_URL`)."""
        return f"{DOCS_URL}rules/#{self.anchor}"


def _table(section: str, *rows: tuple[str, str, tuple[str, ...]]) -> list[Rule]:
    return [Rule(id=i, section=section, summary=s, sources=src) for i, s, src in rows]


_ALL = [
    *_table(
        "escrow",
        (
            "ESC-ORDER-ORIGIN",
            "An order starts from a purchase contract drafted by one party "
            "(the supplier, or the buyer via Buy Now) and confirmed by the other.",
            ("001", "004"),
        ),
        (
            "ESC-CONTRACT-SCOPE",
            "Protection covers only what the contract states: "
            "specifications, quality and quantity; not warranties or after-sale services.",
            ("002", "004"),
        ),
        ("ESC-PAY-AFTER-CONFIRM", "Payment is accepted only on a confirmed order.", ("001",)),
        (
            "ESC-HOLD",
            "A buyer's payment is held in escrow while the order is produced, "
            "shipped and delivered; it is not yet the supplier's.",
            ("001", "002", "003"),
        ),
        (
            "ESC-RELEASE",
            "Held money goes to the supplier only once the whole order has shipped "
            "and the buyer has confirmed receipt.",
            ("001", "002"),
        ),
        (
            "ESC-DEPOSIT",
            "A contract may ask for an initial deposit; partial payments add up to "
            "the total and never exceed it.",
            ("004",),
        ),
        ("ESC-FEEDBACK", "After confirming receipt the buyer may leave feedback, once.", ("001",)),
        (
            "ESC-CANCEL-SHIPPED",
            "After shipment a cancellation needs the supplier's agreement; "
            "before it, an unpaid order may be cancelled by either party and a paid one only by "
            "agreement.",
            ("001", "RULES.md"),
        ),
        (
            "ESC-DISPUTE-OPEN",
            "A buyer who has not received the goods, or finds them short, "
            "damaged or off-specification, may open a dispute.",
            ("001", "002"),
        ),
        ("ESC-DISPUTE-COMPLETED", "A completed order can never be disputed.", ("001",)),
        (
            "ESC-REFUND-WINDOW",
            "An issued refund arrives 7 to 10 business days later; a T/T "
            "refund needs the buyer's bank account details first.",
            ("001",),
        ),
        (
            "ESC-CONSERVATION",
            "Money is conserved: paid = held + released + refunded, none "
            "negative, nothing released or refunded twice.",
            ("001", "002", "003", "004"),
        ),
        (
            "ESC-STATES",
            "The order's state machine: each state accepts only the events its "
            "transitions name; a cancelled or refunded order accepts none, a completed one "
            "only its feedback (and a claim about the goods where an edition allows it).",
            ("RULES.md",),
        ),
    ),
    *_table(
        "coverage",
        (
            "TA-SUPPLIER",
            "Only participating suppliers (reviewed Gold Suppliers) offer "
            "protection; an order with any other supplier has none.",
            ("002", "003", "004"),
        ),
        (
            "TA-CHECKOUT-ONLY",
            "Protection covers only money paid through the platform checkout "
            "to the account it designates.",
            ("004",),
        ),
        ("TA-LIMIT", "Protection covers at most the supplier's protection limit.", ("004", "002")),
        (
            "TA-MIN-ORDER",
            "A minimum protected order value applied before 2015; none since.",
            ("004",),
        ),
        (
            "TA-METHODS",
            "Only the policy's accepted payment methods may pay into escrow "
            "(PayPal refused by default); coverage may be narrower still.",
            ("000", "001", "002", "003", "004"),
        ),
        (
            "TA-LATE-SHIPMENT",
            "Late or no shipment entitles the buyer to a refund of the "
            "deposit, or of the whole order value where paid.",
            ("003", "004", "000"),
        ),
        (
            "TA-QUALITY",
            "Goods off the contract's specifications, or damaged on arrival, "
            "entitle the buyer to a refund.",
            ("002", "003", "004"),
        ),
        (
            "TA-SPEC-QUANTIFIABLE",
            "A quality claim needs measurable specifications; without "
            "them an independent inspection decides.",
            ("004",),
        ),
        ("TA-EVIDENCE", "A claim carries evidence: photos, videos, inspection reports.", ("002",)),
        (
            "TA-INSPECTION",
            "The platform appoints an inspector; if the report rejects the goods "
            "the buyer may file a disagreement.",
            ("004",),
        ),
        (
            "TA-SUPPLIER-15-DAYS",
            "From the disagreement the supplier has 15 days to resolve it; "
            "after that the platform rules (the library counts them from the dispute's "
            "opening, whatever its reason).",
            ("004",),
        ),
        (
            "TA-NO-BUYER-WHIM",
            "No refund merely because the buyer asks: only when the supplier "
            "is at fault against the contract.",
            ("004",),
        ),
        (
            "TA-RULING-WITHIN-CLAIM",
            "The platform's ruling never refunds more than the buyer claimed (anchor: "
            "TA-NO-BUYER-WHIM: the platform refunds what the supplier failed, on the claim "
            "before it).",
            ("library", "004"),
        ),
    ),
    *_table(
        "shipping",
        ("SHIP-WINDOW", "Orders ship within 3 to 60 working days of the agreed start.", ("000",)),
        (
            "SHIP-DATE",
            "The contract fixes a shipping date, counted in the supplier's working days.",
            ("004", "000"),
        ),
        (
            "SHIP-EXTEND",
            "The shipping date moves only when buyer and supplier both agree to a later date.",
            ("000",),
        ),
        (
            "SHIP-IN-TRANSIT",
            "Shipped but not yet received: the parties negotiate a longer "
            "delivery period; no refund right by itself.",
            ("000",),
        ),
        (
            "SHIP-LATE-REFUND",
            "Not shipped by the agreed date: the buyer may agree a new date or request a refund.",
            ("000",),
        ),
        (
            "SHIP-PARTIAL",
            "An order may ship in parts; it is partially shipped until the rest goes.",
            ("000",),
        ),
    ),
    *_table(
        "credit",
        (
            "CR-TIER",
            "The published financing terms apply to credit lines over USD 1,000,000.",
            ("000",),
        ),
        ("CR-80", "At most 80% of the trade's total payable amount is financed.", ("000",)),
        (
            "CR-PER-TRADE",
            "Per trade at most USD 150,000 and at most 30% of the credit limit.",
            ("000",),
        ),
        (
            "CR-OUTSTANDING",
            "Cumulative outstanding financing stays strictly below USD 1,000,000.",
            ("000",),
        ),
        (
            "CR-NEW-CUSTOMER",
            "Until its first full repayment a customer's cumulative financing "
            "may not exceed 50% of the limit.",
            ("000",),
        ),
        ("CR-AVAILABLE", "A draw never exceeds the unused part of the limit.", ("RULES.md",)),
        (
            "CR-INTEREST",
            "Simple interest of 0.04% per day on the principal while outstanding, "
            "rounded once; insurance fee a policy figure.",
            ("000",),
        ),
        (
            "CR-AU-LINE",
            "The Australian partner line: AU$5,000 to AU$300,000 at 1.15% per month.",
            ("003",),
        ),
    ),
    *_table(
        "identity",
        (
            "ID-VERIFIED",
            "Identity Verified: all five identity fields checked against official "
            "or third-party records within the past year.",
            ("000",),
        ),
        (
            "ID-ACTIVITY",
            "Activity: no current verification, but enough platform activity.",
            ("000",),
        ),
        ("ID-UNCLEAR", "Unclear: neither verified nor active.", ("000",)),
        (
            "ID-BUSINESS-NAME",
            "A buyer without a business name trades under a personal name, in small batches only.",
            ("000",),
        ),
        ("ID-SUBACCOUNTS", "Only paid members may have sub-accounts.", ("000",)),
        (
            "ID-STOREFRONT",
            "A participating supplier's storefront shows its badge, 12-month "
            "transactions and response rate and time.",
            ("003", "002"),
        ),
        (
            "SEC-PASSWORD",
            "A password has no spaces and mixes letters and digits (a word with digits, "
            "as in beatlesfan28) or runs words together; it is not one dictionary word on "
            "its own, nor a common password, and holds no personal detail.",
            ("000",),
        ),
    ),
    *_table(
        "timers",
        ("TMR-CONFIRM", "A contract never confirmed is cancelled automatically.", ("help pages",)),
        (
            "TMR-PAY",
            "A confirmed order never paid in full is cancelled automatically; money "
            "paid goes back.",
            ("help pages",),
        ),
        (
            "TMR-AUTO-COMPLETE",
            "A fully shipped order nobody confirms or disputes is completed "
            "and released after a set time.",
            ("help pages",),
        ),
        (
            "TMR-RECEIPT-EXTEND",
            "Each party may extend the receipt deadline once, within a cap.",
            ("help pages",),
        ),
        ("TMR-SHIP-EXTEND-CAP", "Lead time plus extensions stays within a cap.", ("help pages",)),
        (
            "TMR-SHIP-OVERDUE",
            "A funded order not fully shipped a set time after its ship-by is cancelled "
            "for its unshipped part, which is refunded; what shipped goes on to receipt "
            "(anchor: TA-LATE-SHIPMENT).",
            ("library", "000", "003"),
        ),
        (
            "TMR-CANCEL-LAPSE",
            "A cancellation request the other party leaves unanswered lapses, as declined, "
            "after a set time; meanwhile the order's clocks stand still (anchor: "
            "ESC-CANCEL-SHIPPED).",
            ("library", "001"),
        ),
        (
            "TMR-BALANCE",
            "A deposit order whose balance is not paid when it falls due (by default by "
            "its ship-by day) is cancelled and the deposit returned (anchor: ESC-DEPOSIT).",
            ("library", "004"),
        ),
        (
            "TMR-SUPPLIER-RESPONSE",
            "After a dispute opens the supplier answers first; "
            "escalation to the platform follows, automatically at the latest.",
            ("help pages",),
        ),
        (
            "TMR-EVIDENCE",
            "Evidence missing at its deadline closes the claim against the party that owed "
            "it (the library: a claim about the goods without evidence 7 days after its "
            "opening is withdrawn, and the order goes on).",
            ("help pages",),
        ),
        (
            "TMR-CLAIM-AFTER-RECEIPT",
            "How long after confirmed receipt a quality claim may still be filed.",
            ("help pages",),
        ),
        (
            "TMR-REFUND-START",
            "The platform starts a refund within a set number of business days after the outcome.",
            ("help pages",),
        ),
        (
            "ESC-PARTIAL-RELEASE",
            "A hold resolves at most once, in full or in part: what is not refunded is released.",
            ("help pages",),
        ),
    ),
]

#: Every rule, by id, in the order of RULES.md.
RULES: Mapping[str, Rule] = MappingProxyType({r.id: r for r in _ALL})

if len(RULES) != len(_ALL):  # pragma: no cover - guards the table above at import
    raise RuntimeError("a rule id is registered twice in tradeassure.rules")
