"""Orders kept as streams of events in a database: the edge a backend embeds.

``open(url)`` gives an :class:`EventStore` over SQLite (``sqlite:///PATH``, or
``sqlite://`` in memory: the embedded default, nothing to install but the ``store``
extra) or PostgreSQL (``postgresql://USER:PASSWORD@HOST/DB``, the production server,
through psycopg 3). The database layer is SQLAlchemy Core 2: the same tables and
statements on both, with the dialect's own locking.

- :meth:`~EventStore.append` judges events with the escrow before writing them, and
  writes them with the order's projection row in one transaction, at the version the
  caller expected (optimistic concurrency: :class:`~tradeassure.errors.ConcurrencyConflict`
  otherwise). Redelivered events are harmless.
- :meth:`~EventStore.load` replays an order under the policy edition recorded at its
  placement; :meth:`~EventStore.projection` reads its row: status, money, next move,
  next timer.
- :meth:`~EventStore.due` and :meth:`~EventStore.sweep` find and fire the timers that
  have fallen due, safely from several sweepers at once.

The core never imports this package.

>>> from datetime import date, datetime, timedelta, timezone
>>> from tradeassure import Money
>>> from tradeassure.escrow import ContractConfirmed, OrderPlaced, Party
>>> t0 = datetime(2025, 9, 1, 9, 0, tzinfo=timezone.utc)
>>> with open("sqlite://") as store:
...     placed = OrderPlaced(order_id="PO-7", at=t0, buyer="Acme Ltd",
...                          supplier="Shenzhen Co", total=Money(10_000, "USD"),
...                          ship_by=date(2025, 10, 20))
...     store.append("PO-7", [placed], expected_version=0)
...     store.append("PO-7", [ContractConfirmed(at=t0 + timedelta(hours=2), by=Party.BUYER)], 1)
...     print(store.projection("PO-7").status, store.due(t0 + timedelta(days=61)))
...     print(store.sweep(t0 + timedelta(days=61)), store.load("PO-7").status)
1
2
OrderStatus.AWAITING_PAYMENT ['PO-7']
1 OrderStatus.CANCELLED
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tradeassure.errors import InvalidInput, StoreUnavailable
from tradeassure.escrow import ESCROW_EDITIONS, EscrowPolicy
from tradeassure.store._store import CACHE_SIZE, EventStore, Projection

if TYPE_CHECKING:  # pragma: no cover
    from sqlalchemy import Engine

__all__ = ["EventStore", "Projection", "open"]

_SCHEMES = "sqlite:///PATH, sqlite:// (in memory) or postgresql://USER:PASSWORD@HOST/DB"


def open(
    url: str,
    *,
    editions: Mapping[str, EscrowPolicy] = ESCROW_EDITIONS,
    default_edition: str = "default",
    cache_size: int = CACHE_SIZE,
) -> EventStore:
    """The event store at ``url`` (its tables created when missing).

    ``editions`` is the one registry through which an order's recorded edition name is
    resolved to its policy (``policy.ESCROW_EDITIONS`` unless given); a new order is
    placed under ``default_edition`` unless its first append names another.
    ``cache_size`` orders stay decoded between calls (0: none). A database that
    cannot be reached or opened (or a file that is no SQLite database) raises
    :class:`~tradeassure.errors.StoreUnavailable`; a failure of the database after that
    is SQLAlchemy's error (``sqlalchemy.exc.DBAPIError`` and its kinds).
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DBAPIError
    from sqlalchemy.pool import StaticPool

    from tradeassure._checks import count
    from tradeassure.store._tables import METADATA

    if not isinstance(url, str):
        raise InvalidInput(f"url must be a database URL ({_SCHEMES}), got {url!r}")
    if not isinstance(editions, Mapping) or not all(
        isinstance(p, EscrowPolicy) for p in editions.values()
    ):
        raise InvalidInput("editions must map edition names to EscrowPolicy values")
    if default_edition not in editions:
        raise InvalidInput(
            f"default_edition {default_edition!r} is not among the editions: {', '.join(editions)}"
        )
    cache_size = count(cache_size, "cache_size")
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidInput(f"url must be a database URL ({_SCHEMES}), got {url!r}") from None
    driver = parsed.drivername
    options: dict[str, Any] = {}
    serialize = memory = False
    if driver in ("sqlite", "sqlite+pysqlite"):
        memory = parsed.database in (None, "", ":memory:")
        options["connect_args"] = {"check_same_thread": False, "timeout": 30}
        if memory:
            options["poolclass"] = StaticPool
            serialize = True
    elif driver in ("postgresql", "postgres", "postgresql+psycopg"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    else:
        raise InvalidInput(f"url must be a database URL ({_SCHEMES}), got {url!r}")
    if driver.startswith("postgres"):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise InvalidInput(
                "a postgresql:// store needs psycopg: pip install 'tradeassure[postgresql]'"
            ) from None
    engine = create_engine(parsed, **options)
    if driver.startswith("sqlite"):
        _sqlite_transactions(engine, memory)
    store = EventStore(
        engine, editions, default_edition, cache_size=cache_size, serialize=serialize
    )
    try:
        with store._transaction(write=True) as conn:
            if engine.dialect.name == "postgresql":
                # Writers opening one database at once create its tables once.
                conn.execute(text("SELECT pg_advisory_xact_lock(7305092025)"))
            METADATA.create_all(conn)
    except DBAPIError as exc:
        engine.dispose()
        where = parsed.render_as_string(hide_password=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreUnavailable(f"cannot open the store at {where}: {reason}") from None
    return store


def _sqlite_transactions(engine: Engine, memory: bool) -> None:
    """SQLite transactions as the store needs them: a writer takes the database's write
    lock when it begins (``BEGIN IMMEDIATE``), so two writers queue instead of failing
    at commit; a file database runs in WAL mode, so readers do not wait for writers."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def connect(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None  # the begin hook below starts each one
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(conn: Any) -> None:
        write = conn.get_execution_options().get("tradeassure_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
