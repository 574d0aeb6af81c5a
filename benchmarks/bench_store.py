"""The event store's throughput on SQLite and PostgreSQL, each beside a floor measured
in the same run.

Run: ``pip install -e '.[test,bench]' && python benchmarks/bench_store.py [--postgresql URL]``
(the PostgreSQL rows need a server: ``.ci/run`` starts one, or pass its URL).

- **appends/s**: one writer appending orders' histories event by event through
  ``EventStore.append`` (judged, written with the projection row, in one transaction
  each), beside the *floor*: the same event rows inserted by the store's own compiled
  statement on the same pooled DBAPI connection, one transaction each, nothing judged,
  no projection.
- **sweep orders/s**: ``EventStore.sweep`` firing one due timer on each of many orders
  (a batch of them a transaction), beside its floor: one UPDATE per order, one
  transaction each, through the same driver.
- **load**: ``EventStore.load`` of an 8-event order, cold (a store that has decoded
  nothing) and warm (the store decoded it before; one query finds nothing new), beside
  ``escrow.replay`` of the same events from memory. The target: load <= 3x the replay.

Figures are the best of several repeats; ratios are against the floor of the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from sqlalchemy import bindparam

import store_workload
from tradeassure.escrow import replay
from tradeassure.serialization import Envelope, to_json
from tradeassure.store import open
from tradeassure.store._store import _Compiled
from tradeassure.store._tables import METADATA, ORDERS

ORDERS_APPENDED = 150
ORDERS_SWEPT = 400


def _empty(url: str) -> None:
    with open(url) as store, store._transaction(write=True) as conn:
        for table in reversed(METADATA.sorted_tables):
            conn.execute(table.delete())


def _best(run: Callable[[], float], repeats: int = 3) -> float:
    return min(run() for _ in range(repeats))


def appends(url: str) -> tuple[float, float]:
    """Events appended per second through the store, and through the raw floor."""
    histories = [store_workload.history(n) for n in range(ORDERS_APPENDED)]
    count = sum(len(h) for h in histories)

    def through_store() -> float:
        _empty(url)
        with open(url) as store:
            start = time.perf_counter()
            for events in histories:
                order_id = events[0].order_id  # type: ignore[attr-defined]
                for version, event in enumerate(events):
                    store.append(order_id, [event], version)
            return count / (time.perf_counter() - start)

    def floor() -> float:
        _empty(url)
        rows = [
            {
                "order_id": events[0].order_id,  # type: ignore[attr-defined]
                "version": i,
                "event_id": e.event_id,
                "type": type(e).__name__,
                "at": e.at,
                "body": to_json(Envelope(events[0].order_id, e)),  # type: ignore[attr-defined]
                "chain": "-",
            }
            for events in histories
            for i, e in enumerate(events, start=1)
        ]
        with open(url) as store:
            insert = store._insert_event  # the store's own statement, compiled once
            start = time.perf_counter()
            for row in rows:
                with store._raw(write=True) as dbapi:
                    dbapi.cursor().execute(insert.sql, insert.params(**row))
            return count / (time.perf_counter() - start)

    return _best(through_store), _best(floor)


def sweeps(url: str) -> tuple[float, float]:
    """Orders swept per second (one due timer each), and the raw floor's updates."""
    placements = [store_workload.history(n)[0] for n in range(ORDERS_SWEPT)]
    later = store_workload.T0 + store_workload.timedelta(days=400)

    def place() -> None:
        _empty(url)
        with open(url) as store:
            for event in placements:
                store.append(event.order_id, [event], 0)  # type: ignore[attr-defined]

    def through_store() -> float:
        place()
        with open(url, cache_size=0) as store:
            start = time.perf_counter()
            assert store.sweep(later) == ORDERS_SWEPT
            return ORDERS_SWEPT / (time.perf_counter() - start)

    def floor() -> float:
        place()
        statement = (
            ORDERS.update()
            .where(ORDERS.c.order_id == bindparam("key"))
            .values(version=ORDERS.c.version + 1, next_timer_at=bindparam("due"))
        )
        with open(url) as store:
            bump = _Compiled(statement, store._engine.dialect)
            start = time.perf_counter()
            for event in placements:
                with store._raw(write=True) as dbapi:
                    dbapi.cursor().execute(bump.sql, bump.params(key=event.order_id, due=None))  # type: ignore[attr-defined]
            return ORDERS_SWEPT / (time.perf_counter() - start)

    return _best(through_store), _best(floor)


def loads(url: str) -> tuple[float, float, float]:
    """Microseconds to load an 8-event order cold and warm, and to replay it."""
    events = next(h for n in range(8) if len(h := store_workload.history(n)) == 8)
    order_id = events[0].order_id  # type: ignore[attr-defined]
    _empty(url)
    with open(url) as store:
        store.append(order_id, events, 0)
    n = 500
    cold_store = open(url, cache_size=0)
    warm_store = open(url)
    warm_store.load(order_id)
    try:
        cold = min(timeit.repeat(lambda: cold_store.load(order_id), number=n, repeat=3)) / n
        warm = min(timeit.repeat(lambda: warm_store.load(order_id), number=n, repeat=3)) / n
    finally:
        cold_store.close()
        warm_store.close()
    memory = min(timeit.repeat(lambda: replay(events), number=n * 4, repeat=3)) / (n * 4)
    return cold * 1e6, warm * 1e6, memory * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgresql",
        default=os.environ.get("TRADEASSURE_TEST_POSTGRESQL_URL", ""),
        help="a PostgreSQL server's URL (default: $TRADEASSURE_TEST_POSTGRESQL_URL)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        backends = [("SQLite (file, WAL)", f"sqlite:///{Path(scratch) / 'bench.db'}")]
        if args.postgresql:
            backends.append(("PostgreSQL", args.postgresql))
        for name, url in backends:
            print(f"== {name}")
            store_rate, floor_rate = appends(url)
            print(
                f"appends/s     {store_rate:9,.0f}   raw inserts/s {floor_rate:9,.0f}   "
                f"store = {store_rate / floor_rate:.2f} x the floor"
            )
            store_rate, floor_rate = sweeps(url)
            print(
                f"sweep orders/s{store_rate:9,.0f}   raw updates/s {floor_rate:9,.0f}   "
                f"store = {store_rate / floor_rate:.2f} x the floor"
            )
            cold, warm, memory = loads(url)
            print(
                f"load 8 events cold {cold:7.0f} us ({cold / memory:.1f} x replay), "
                f"warm {warm:5.0f} us ({warm / memory:.2f} x replay); "
                f"replay from memory {memory:.0f} us"
            )
        if not args.postgresql:
            print("(no PostgreSQL URL given: pass --postgresql URL for its rows)")


if __name__ == "__main__":
    main()
