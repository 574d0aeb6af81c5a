"""A shared workload for the store: many orders' histories written at once by several
writer processes, each retrying on ``ConcurrencyConflict`` and now and then redelivering
an event already stored; then a check that nothing was lost, doubled or miscounted.
``tests/test_store_concurrency.py`` runs it small; ``benchmarks/store_reliability.py``
runs it at full size (8 writers, 1,000 orders) and reports the figures."""

from __future__ import annotations

import multiprocessing
import random
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs

from escrow_builders import money_of
from tradeassure.errors import ConcurrencyConflict
from tradeassure.escrow import (
    ContractConfirmed,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    Event,
    FeedbackLeft,
    OrderPlaced,
    Party,
    PaymentMethod,
    PaymentReceived,
    ReceiptConfirmed,
    RefundIssued,
    Shipped,
    replay,
)
from tradeassure.money import Money
from tradeassure.store import open

T0 = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)


def history(n: int) -> tuple[Event, ...]:
    """Order ``PO-n``'s history, one of four paths (paid and shipped at once; paid and
    shipped in two parts each, 8 events; shipped in two parts; disputed and settled
    with a refund), every event with an id and all within the timers, so no timer falls
    due between them."""
    rng = random.Random(n)
    order_id = f"PO-{n:05d}"
    total = rng.randrange(100, 100_000) * 100
    t = T0 + timedelta(minutes=n)

    def usd(cents: int) -> Money:
        return Money(Decimal(cents).scaleb(-2), "USD")

    def at(days: float) -> datetime:
        return t + timedelta(days=days)

    events: list[Event] = [
        OrderPlaced(
            order_id=order_id,
            at=t,
            buyer=f"Buyer {n % 37}",
            supplier=f"Supplier {n % 11}",
            total=usd(total),
            ship_by=(t + timedelta(days=40)).date(),
        ),
        ContractConfirmed(at=at(0.1), by=Party.BUYER),
    ]
    path = n % 4
    if path == 1:
        first = total // 2
        events += [
            PaymentReceived(at=at(1), amount=usd(first), method=PaymentMethod.TT),
            PaymentReceived(at=at(2), amount=usd(total - first), method=PaymentMethod.TT),
        ]
    else:
        events.append(PaymentReceived(at=at(1), amount=usd(total), method=PaymentMethod.VISA))
    if path in (1, 2):
        half = total // 2
        events += [
            Shipped(at=at(5), value=usd(half), final=False),
            Shipped(at=at(8), value=usd(total - half), final=True),
        ]
    else:
        events.append(Shipped(at=at(5), value=usd(total), final=True))
    if path == 3:
        refund = total // 10
        events += [
            DisputeOpened(
                at=at(9),
                reason=DisputeReason.DAMAGED,
                claim=usd(refund),
                evidence=("photo.jpg",),
            ),
            DisputeSettled(at=at(10), refund=usd(refund)),
            RefundIssued(at=at(11), amount=usd(refund)),
        ]
    else:
        events += [ReceiptConfirmed(at=at(9)), FeedbackLeft(at=at(10), rating=1 + n % 5)]
    return tuple(
        attrs.evolve(e, event_id=f"{order_id}/{i}")  # type: ignore[misc]
        for i, e in enumerate(events)
    )


@attrs.frozen
class WriterReport:
    """What one writer did: events of its appends that returned a version (stored, or
    found already stored by another writer: a redelivery), conflicts it retried, and
    redeliveries it sent on purpose."""

    appended: int
    conflicts: int
    redelivered: int


def write(url: str, orders: Sequence[int], seed: int, redeliver: float = 0.1) -> WriterReport:
    """Write every history of ``orders``, in an order shuffled by ``seed``, beside
    other writers doing the same: each step reads an order's version and appends its
    next one to three events at that version, reading again on a conflict (another
    writer stored some of them first; a batch it finds wholly stored is a redelivery);
    with probability ``redeliver`` it first sends the latest stored event again."""
    rng = random.Random(seed)
    histories = {n: history(n) for n in orders}
    pending = list(orders)
    appended = conflicts = redelivered = 0
    with open(url) as store:
        while pending:
            n = rng.choice(pending)
            events = histories[n]
            order_id = events[0].order_id  # type: ignore[attr-defined]
            version = store.version(order_id)
            if version >= len(events):
                pending.remove(n)
                continue
            if version and rng.random() < redeliver:
                assert store.append(order_id, [events[version - 1]], max(version - 2, 0)) >= version
                redelivered += 1
            batch = events[version : version + rng.randint(1, 3)]
            try:
                store.append(order_id, batch, version)
                appended += len(batch)
            except ConcurrencyConflict:
                conflicts += 1
    return WriterReport(appended, conflicts, redelivered)


def _write(args: tuple[str, Sequence[int], int]) -> WriterReport:
    return write(*args)


@attrs.frozen
class RunReport:
    """A run of :func:`run`: the events stored, the writers' sums, the wall time."""

    writers: int
    orders: int
    stored: int
    appended: int
    conflicts: int
    redelivered: int
    seconds: float

    @property
    def appends_per_second(self) -> float:
        """Events stored per second of wall time, every writer together."""
        return self.stored / self.seconds


def run(url: str, writers: int, orders: int) -> RunReport:
    """``writers`` processes writing ``orders`` shared orders at once (every writer
    writes every order, so they collide), then :func:`check`."""
    numbers = list(range(orders))
    jobs = [(url, numbers, seed) for seed in range(writers)]
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(writers) as pool:
        reports = pool.map(_write, jobs)
    seconds = time.perf_counter() - start
    check(url, numbers)
    return RunReport(
        writers,
        orders,
        sum(len(history(n)) for n in numbers),
        sum(r.appended for r in reports),
        sum(r.conflicts for r in reports),
        sum(r.redelivered for r in reports),
        seconds,
    )


def check(url: str, orders: Sequence[int]) -> None:
    """Every order's stream is its history exactly (nothing lost, nothing doubled), it
    replays to the state of its projection row, and its money is conserved there."""
    with open(url, cache_size=0) as store:
        for n in orders:
            events = history(n)
            order_id = events[0].order_id  # type: ignore[attr-defined]
            order = store.load(order_id)
            assert tuple(order.events) == events, f"{order_id}: the stream is not its history"
            assert order == replay(events)
            row = store.projection(order_id)
            assert row.version == len(events)
            assert row.status is order.status
            assert money_of(row) == money_of(order)
            assert row.paid == row.held + row.released + row.refunded


def _sweep(args: tuple[str, datetime, int]) -> int:
    url, now, batch = args
    with open(url) as store:
        return store.sweep(now, batch)


def sweep_at_once(url: str, sweepers: int, now: datetime, batch: int) -> list[int]:
    """What ``sweepers`` processes sweeping the store at ``url`` at once each fired."""
    with multiprocessing.get_context("spawn").Pool(sweepers) as pool:
        return pool.map(_sweep, [(url, now, batch)] * sweepers)
