from datetime import UTC, datetime

from tradeassure.escrow import NextMove, OrderStatus, Party
from tradeassure.money import Money
from tradeassure.store import Projection

_T = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
_USD = Money("10000.00", "USD")
_NONE = Money("0.00", "USD")

EXAMPLES: list[object] = [
    Projection(
        order_id="PO-7",
        version=2,
        edition="default",
        status=OrderStatus.AWAITING_PAYMENT,
        buyer="Acme Ltd",
        supplier="Shenzhen Co",
        total=_USD,
        paid=_NONE,
        held=_NONE,
        released=_NONE,
        refunded=_NONE,
        next_move=NextMove(at=_T, rule="TMR-PAY", party=Party.BUYER),
        next_timer=NextMove(at=_T, rule="TMR-PAY", party=Party.BUYER),
        updated_at=_T,
    ),
]
