"""The store under several writers at once, and writers killed mid-transaction: run
for real, in processes, on SQLite files and on PostgreSQL (tests/store_backends.py)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import store_workload
from escrow_builders import at
from store_backends import SHARED_BACKENDS, url_for
from tradeassure.escrow import TimerExpired, replay
from tradeassure.store import open


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_writers_at_once_lose_and_double_nothing(backend: str, tmp_path: Path) -> None:
    url = url_for(backend, tmp_path)
    report = store_workload.run(url, writers=3, orders=12)  # run() checks every order
    assert report.stored == sum(len(store_workload.history(n)) for n in range(12))
    assert report.appended >= report.stored  # each event was stored once, or found stored
    assert report.redelivered > 0


def _killed(url: str, code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a process that opens the store at ``url`` as ``store``, with
    ``kill_after(n)`` making the n-th write transaction's end kill the process (SIGKILL)
    after its rows are written and before it commits."""
    program = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path[:0] = {[str(Path(__file__).parent), *sys.path]!r}
        from tradeassure.store import _store, open
        import store_workload

        def kill_after(n):
            original = _store.EventStore._write
            calls = []
            def write(self, *args, **kwargs):
                original(self, *args, **kwargs)
                calls.append(1)
                if len(calls) == n:
                    os.kill(os.getpid(), signal.SIGKILL)
            _store.EventStore._write = write

        store = open({url!r})
        """
    ) + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_a_writer_killed_mid_transaction_leaves_no_half_written_order(
    backend: str, tmp_path: Path
) -> None:
    url = url_for(backend, tmp_path)
    events = store_workload.history(0)
    with open(url) as store:
        store.append("PO-00000", events[:2], 0)
    done = _killed(
        url,
        """
        events = store_workload.history(0)
        kill_after(1)
        store.append("PO-00000", events[2:], 2)
        """,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    with open(url, cache_size=0) as store:
        assert store.version("PO-00000") == 2
        assert store.load("PO-00000") == replay(events[:2])
        assert store.projection("PO-00000").version == 2
        assert store.append("PO-00000", events[2:], 2) == len(events)
    store_workload.check(url, [0])


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_a_sweeper_killed_mid_batch_fires_no_timer_twice(backend: str, tmp_path: Path) -> None:
    url = url_for(backend, tmp_path)
    placements = [store_workload.history(n)[0] for n in range(5)]
    with open(url) as store:
        for event in placements:
            store.append(event.order_id, [event], 0)  # type: ignore[attr-defined]
    later = at(400)
    # Batches of 2: the first commits, the second dies after one of its two orders.
    done = _killed(
        url,
        f"""
        from datetime import datetime
        kill_after(3)
        store.sweep(datetime.fromisoformat({later.isoformat()!r}), batch=2)
        """,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    with open(url, cache_size=0) as store:
        versions = sorted(store.version(e.order_id) for e in placements)  # type: ignore[attr-defined]
        assert versions == [1, 1, 1, 2, 2]
        assert store.sweep(later) == 3
        for event in placements:
            order = store.load(event.order_id)  # type: ignore[attr-defined]
            timers = [e for e in order.events if isinstance(e, TimerExpired)]
            assert [t.timer for t in timers] == ["TMR-CONFIRM"]
        assert store.due(later) == []


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_sweepers_at_once_fire_each_timer_once(backend: str, tmp_path: Path) -> None:
    url = url_for(backend, tmp_path)
    placements = [store_workload.history(n)[0] for n in range(40)]
    with open(url) as store:
        for event in placements:
            store.append(event.order_id, [event], 0)  # type: ignore[attr-defined]
    fired = store_workload.sweep_at_once(url, sweepers=3, now=at(400), batch=4)
    assert sum(fired) == len(placements)
    with open(url, cache_size=0) as store:
        for event in placements:
            order = store.load(event.order_id)  # type: ignore[attr-defined]
            assert [type(e).__name__ for e in order.events] == ["OrderPlaced", "TimerExpired"]
