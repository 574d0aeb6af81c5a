"""The engines that read a book: in this process, on a pool of processes, or on Dask.
Each reads the book in parts of whole orders and keeps the parts' order, so all three
give the same rows."""

from __future__ import annotations

import importlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from functools import partial
from typing import Any, Final, TypeAlias

from tradeassure.book._book import Totals, summarize_groups, summarize_records
from tradeassure.book._read import Group, Part, groups, parts, read_items, read_part
from tradeassure.book._rows import Rows, joined
from tradeassure.escrow import EscrowPolicy
from tradeassure.serialization import Envelope

__all__ = ["ENGINES", "Source", "run"]

#: A book's input: JSON-lines files (paths), or envelopes (as dicts or values).
Source: TypeAlias = "list[str] | Iterable[Mapping[str, Any] | Envelope]"
#: A part of the work: a part of a file, or some orders' groups already read.
Task: TypeAlias = "Part | list[Group]"

#: The engines by name.
ENGINES: Final = ("local", "processes", "dask")
#: Orders a task holds when the book comes as envelopes, not files.
GROUPS_A_TASK: Final = 2_000
#: Parts each worker gets, so that uneven parts even out (and a worker that starts late
#: catches up): measured on 2 cores, 8 beat 4 on Dask by 4% and cost nothing elsewhere.
PARTS_A_WORKER: Final = 8
#: Parts a worker may have sent or be working on before the next is given out: the
#: parts' rows are taken in order as they come, so at most these wait in memory.
AHEAD_A_WORKER: Final = 4


def _work(task: Task, policy: EscrowPolicy, as_of: datetime) -> tuple[Rows, Totals]:
    """The rows of one task and their sums (a function at module level, so it
    pickles)."""
    if isinstance(task, Part):
        return summarize_records(read_part(task), policy, as_of)
    return summarize_groups(task, policy, as_of)


def _tasks(source: Source, count: int) -> Iterator[Task]:
    """The book's tasks: each file cut into parts of whole orders, or the envelopes'
    orders in chunks."""
    if isinstance(source, list) and all(isinstance(p, str) for p in source):
        for path in source:
            yield from parts(path, count)
        return
    chunk: list[Group] = []
    for group in groups(read_items(source)):  # type: ignore[arg-type]
        chunk.append(group)
        if len(chunk) == GROUPS_A_TASK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run(
    source: Source,
    policy: EscrowPolicy,
    as_of: datetime,
    engine: str,
    workers: int | None,
    client: Any,
) -> tuple[Rows, Totals]:
    """Every order's row of the book, in the book's order, on ``engine``, and the sums
    over the rows without an error."""
    work = partial(_work, policy=policy, as_of=as_of)
    if engine == "local":
        return _joined(work(task) for task in _tasks(source, 1))
    count = workers or _cores(client) or os.cpu_count() or 1
    tasks = _tasks(source, count * PARTS_A_WORKER)
    if engine == "processes":
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(count, mp_context=context) as pool:
            return _joined(_in_order(partial(pool.submit, work), tasks, count))
    return _on_dask(work, tasks, count, client)


def _cores(client: Any) -> int:
    """The threads of a Dask ``client``'s workers, or 0 for no client."""
    return 0 if client is None else sum(client.nthreads().values())


def _in_order(
    submit: Callable[[Task], Any], tasks: Iterable[Task], count: int
) -> Iterator[tuple[Rows, Totals]]:
    """The tasks' results in the tasks' order, each task given out (``submit``, which
    returns a future) while fewer than ``AHEAD_A_WORKER`` a worker are unfinished or
    untaken: the tasks are read, and their results held, only that far ahead."""
    pending: deque[Any] = deque()
    for task in tasks:
        pending.append(submit(task))
        if len(pending) >= count * AHEAD_A_WORKER:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _joined(results: Iterable[tuple[Rows, Totals]]) -> tuple[Rows, Totals]:
    """The parts' rows and sums, joined in the parts' order as they come."""
    totals = Totals()

    def rows_of() -> Iterator[Rows]:
        for rows, part in results:
            totals.merge(part)
            yield rows

    return joined(rows_of()), totals


def _on_dask(work: Any, tasks: Iterable[Task], count: int, client: Any) -> tuple[Rows, Totals]:
    """The tasks' rows from a Dask cluster: ``client``'s, or a ``LocalCluster`` of
    ``count`` single-threaded worker processes made for the call and closed after."""
    # Imported by name: the dask extra is optional, and distributed has no type hints.
    distributed: Any = importlib.import_module("distributed")
    dask: Any = importlib.import_module("dask")

    def on(cluster_client: Any) -> tuple[Rows, Totals]:
        submit = partial(cluster_client.submit, work, pure=False)
        return _joined(_in_order(submit, tasks, count))

    if client is not None:
        return on(client)
    # Our own cluster's workers run without Dask's sampling profiler, which walks the
    # task's stack every 10 ms: about 4% of a book's CPU, for a picture nobody looks at.
    with (
        dask.config.set({"distributed.worker.profile.enabled": False}),
        distributed.LocalCluster(
            n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as own,
    ):
        return on(own)
