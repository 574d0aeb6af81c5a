from datetime import UTC, datetime

from tradeassure.book import BookError, Exposure, OrderSummary, Sorted
from tradeassure.escrow import DisputeReason, OrderStatus, Party
from tradeassure.money import Money

_T = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
_USD = Money("10000.00", "USD")
_NONE = Money("0.00", "USD")

EXAMPLES: list[object] = [
    Sorted(lines=73, orders=12),
    Sorted(lines=0, orders=0),
    BookError("ESC-RELEASE", "nothing has shipped", 4, "book.jsonl:4"),
    BookError(None, "$.event.at: the instant is naive", 2),
    Exposure("Shenzhen Co", "USD", 3, _USD, _USD, None),
    Exposure("Ningbo Tools", "EUR", 1, Money(5, "EUR"), Money(0, "EUR"), Money(30_000, "EUR")),
    OrderSummary(
        order_id="PO-7",
        buyer="Acme Ltd",
        supplier="Shenzhen Co",
        currency="USD",
        status=OrderStatus.DISPUTED,
        total=_USD,
        paid=_USD,
        held=_USD,
        released=_NONE,
        refunded=_NONE,
        covered=_USD,
        limit=None,
        next_deadline=_T,
        next_rule="TA-SUPPLIER-15-DAYS",
        next_party=Party.SUPPLIER,
        due=("TMR-SUPPLIER-RESPONSE",),
        held_since=_T,
        dispute_reason=DisputeReason.DAMAGED,
        dispute_stage="with the supplier",
        events=5,
        source="book.jsonl:1",
    ),
    OrderSummary(
        "?book.jsonl:9",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        (),
        None,
        None,
        None,
        1,
        "book.jsonl:9",
        BookError(None, "$: not valid JSON", 1, "book.jsonl:9"),
        2,
    ),
]
