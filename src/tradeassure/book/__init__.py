"""The book: every order of a marketplace at once.

:func:`summarize` reads a book of orders' events (JSON-lines files, plain or gzip, or
an iterable of envelopes) and gives a :class:`Book`: one :class:`OrderSummary` per order
(its state, money, next deadline and the timers due at ``as_of``, or the error that
stopped its history) and the sums a marketplace asks for: held money by supplier and
currency beside the supplier's protection limit, the age of held money, disputes by
reason and stage, and what waits on the platform.

- **Input.** Each order's events in time order, and each order's events together (a
  store's export by order, or ``tradeassure.book.sample``): a book is read as a stream
  and each order summarized and dropped as the next one begins. An order whose events
  come again after other orders' gets a second row carrying that error;
  :func:`sort_book` (``tradeassure sort``) puts a log's interleaved orders together.
- **Bad input never stops the book.** A refused event ends its order's row with the
  rule id, message and position; an unreadable line (not JSON, an unknown event type, a
  float amount, a naive instant) does the same with the file, line and JSON path; the
  events after it are counted, not applied.
- **State as recorded.** Rows give the state the events leave; timers due at ``as_of``
  are listed (``due``), not applied, so the book says what the rules would do next.
- **Engines.** ``"local"`` (this process), ``"processes"`` (a pool, one per core by
  default) and ``"dask"`` (a ``distributed.Client``; a ``LocalCluster`` by default) read
  the book in parts of whole orders and give the same book.

>>> from datetime import datetime, timezone
>>> from tradeassure.book import summarize
>>> from tradeassure.serialization import events_to_json_lines, to_dict
>>> from tradeassure._example import history
>>> envelopes = [to_dict(e, order_id="PO-0917") for e in history()]
>>> book = summarize(envelopes, as_of=datetime(2026, 1, 1, tzinfo=timezone.utc))
>>> row = book.orders[0]
>>> row.order_id, row.status.name, str(row.refunded), row.error
('PO-0917', 'REFUNDED', 'USD 1,800.00', None)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, cast

from tradeassure._checks import aware
from tradeassure.book._book import AGES, Book, Exposure, mark_strays, totals_of
from tradeassure.book._engines import ENGINES, run
from tradeassure.book._sort import Sorted, sort_book
from tradeassure.book._summary import STAGES, BookError, OrderSummary
from tradeassure.errors import InvalidInput
from tradeassure.escrow import DEFAULT_ESCROW, EscrowPolicy
from tradeassure.serialization import Envelope

__all__ = [
    "AGES",
    "ENGINES",
    "STAGES",
    "Book",
    "BookError",
    "Exposure",
    "OrderSummary",
    "Sorted",
    "sort_book",
    "summarize",
]


def _paths(source: object) -> list[str] | None:
    """``source`` as a list of file paths, or None when it is no path or list of them."""
    if isinstance(source, str | os.PathLike):
        found = [os.fspath(source)]
    elif (
        isinstance(source, list | tuple)
        and source
        and all(isinstance(p, str | os.PathLike) for p in source)
    ):
        found = [os.fspath(p) for p in source]
    else:
        return None
    paths = [p if isinstance(p, str) else p.decode() for p in found]
    missing = [p for p in paths if not os.path.isfile(p)]
    if missing:
        raise InvalidInput(f"no such book file: {', '.join(missing)}")
    return paths


def summarize(
    source: str | os.PathLike[str] | list[str] | Iterable[Mapping[str, Any] | Envelope],
    *,
    as_of: datetime,
    policy: EscrowPolicy | None = None,
    engine: str = "local",
    workers: int | None = None,
    client: Any = None,
) -> Book:
    """The book of ``source`` (a JSON-lines file, plain or ``.gz``; a list of them; or
    an iterable of envelopes, as dicts or ``Envelope`` values), every order judged under
    ``policy`` (``DEFAULT_ESCROW`` when None), due timers and ages counted at
    ``as_of``, read on ``engine`` with ``workers`` processes (every core by default) or
    on Dask's ``client``."""
    as_of = aware(as_of, "as_of")
    if policy is None:
        policy = DEFAULT_ESCROW
    if not isinstance(policy, EscrowPolicy):
        raise InvalidInput(f"policy must be an EscrowPolicy or None, got {policy!r}")
    if engine not in ENGINES:
        raise InvalidInput(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise InvalidInput(f"workers must be a whole number of 1 or more, got {workers!r}")
    if client is not None and engine != "dask":
        raise InvalidInput(f"client is for the dask engine, not {engine!r}")
    paths = _paths(source)
    if paths is None and isinstance(source, str | bytes | Mapping):
        raise InvalidInput(
            "source must be a book file's path, a list of paths or an iterable of "
            f"envelopes, got {type(source).__name__}"
        )
    found = paths if paths is not None else cast("Iterable[Mapping[str, Any] | Envelope]", source)
    rows, totals = run(found, policy, as_of, engine, workers, client)
    if mark_strays(rows):  # rows now with an error were counted: count again, without
        totals = totals_of(rows, as_of)
    return Book(as_of, rows, totals)
