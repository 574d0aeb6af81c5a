"""What one question costs on a short history and on a long one: ``covered_amount``,
``apply`` of a refund, and a platform ruling, each on an order of about 10 events and
on one of about 100,000 (a refund paid out a cent at a time). Flat means the same
figure on both: none of them reads the history back.

Run: ``pip install -e '.[test]' && python benchmarks/bench_flat.py``. Microseconds per
call, the best of 3.
"""

from __future__ import annotations

import sys
import timeit
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from escrow_builders import at, placed, usd
from test_escrow_cost import CENT, partial_refunds
from tradeassure.escrow import (
    ContractConfirmed,
    DisputeEscalated,
    DisputeOpened,
    DisputeReason,
    Event,
    Party,
    PaymentMethod,
    PaymentReceived,
    PlatformRuled,
    RefundIssued,
    Shipped,
    apply,
    covered_amount,
    replay,
)


def _paid(n: int) -> list[Event]:
    """A shipped order paid by T/T in ``n`` parts (``n`` divides 100,000), so its
    history is about ``n`` long."""
    part = usd(100_000 // n)  # n divides it
    return [
        placed(total=usd(100_000)),
        ContractConfirmed(at=at(hours=1), by=Party.BUYER),
        *(
            PaymentReceived(at=at(1) + timedelta(seconds=i), amount=part, method=PaymentMethod.TT)
            for i in range(n)
        ),
        Shipped(at=at(2.5), value=usd(100_000), final=True),
    ]


def _per_call(call: object, number: int = 2_000) -> float:
    return min(timeit.repeat(call, number=number, repeat=3)) / number * 1e6  # type: ignore[arg-type]


def main() -> None:
    for n in (10, 100_000):
        refunding = partial_refunds(n, PaymentMethod.TT)  # the cost tests' own order
        order = replay(refunding)
        refund = RefundIssued(at=refunding[-1].at + timedelta(seconds=1), amount=CENT)
        paid = replay(_paid(n))
        disputed = apply(
            apply(
                paid,
                DisputeOpened(
                    at=at(3), reason=DisputeReason.DAMAGED, claim=usd(100), evidence=("a.jpg",)
                ),
            ),
            DisputeEscalated(at=at(19)),
        )
        ruling = PlatformRuled(at=at(20), refund=usd(50))
        print(
            f"{len(order.history):>7,} / {len(disputed.history):>7,} events: "
            f"covered_amount {_per_call(lambda o=order: covered_amount(o)):7.1f} us, "
            f"apply(RefundIssued) {_per_call(lambda o=order, e=refund: apply(o, e)):7.1f} us, "
            f"a ruling {_per_call(lambda o=disputed, e=ruling: apply(o, e)):7.1f} us"
        )


if __name__ == "__main__":
    main()
