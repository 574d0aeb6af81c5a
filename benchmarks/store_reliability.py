"""The store under load and faults, at full size: 8 writer processes appending
interleaved histories to 1,000 shared orders (retrying on conflicts, redelivering now
and then), on an SQLite file and on PostgreSQL; then every order is checked (its stream
is its history exactly, it replays to its projection row, its money is conserved).

Run: ``pip install -e '.[test]' && python benchmarks/store_reliability.py
[--postgresql URL] [--writers 8] [--orders 1000]``. The faults (a writer and a
sweeper killed mid-transaction) run in ``tests/test_store_concurrency.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import store_workload
from store_backends import _empty


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgresql", default=os.environ.get("TRADEASSURE_TEST_POSTGRESQL_URL", "")
    )
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--orders", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        backends = [("SQLite (file, WAL)", f"sqlite:///{Path(scratch) / 'orders.db'}")]
        if args.postgresql:
            _empty(args.postgresql)
            backends.append(("PostgreSQL", args.postgresql))
        for name, url in backends:
            report = store_workload.run(url, args.writers, args.orders)
            print(
                f"{name}: {report.writers} writers, {report.orders:,} orders, "
                f"{report.stored:,} events stored in {report.seconds:.1f} s "
                f"({report.appends_per_second:,.0f} appends/s); {report.conflicts:,} "
                f"conflicts retried, {report.redelivered:,} redeliveries, "
                f"{report.appended:,} appends answered; every order checked: its stream is "
                "its history, it replays to its projection row, money conserved"
            )


if __name__ == "__main__":
    main()
