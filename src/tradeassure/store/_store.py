"""The event store: versioned streams, a projection row per order, the due-timer sweep."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from decimal import Decimal, localcontext
from hashlib import sha256
from types import TracebackType
from typing import Any, Final, final

import attrs
from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    Row,
    and_,
    bindparam,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError

from tradeassure._checks import (
    aware,
    aware_field,
    count,
    count_field,
    member,
    non_negative_whole_money_field,
    text,
    text_field,
    tuple_of,
)
from tradeassure.errors import (
    ConcurrencyConflict,
    InvalidInput,
    OrderNotFound,
    SweepIncomplete,
    TradeAssureError,
)
from tradeassure.escrow import (
    EscrowPolicy,
    Event,
    NextMove,
    Order,
    OrderPlaced,
    OrderStatus,
    Party,
    TimerExpired,
    apply,
    deadlines,
    due_events,
    next_timer,
    replay,
)
from tradeassure.money import Money, _private_context, minor_unit
from tradeassure.serialization import Envelope, from_json, to_json
from tradeassure.store._tables import EVENTS, ORDERS, UTCInstant

__all__ = ["EventStore", "Projection"]


@final
@attrs.frozen
class Projection:
    """An order's projection row, as the store keeps it current on every append.

    Attributes:
        order_id: the order.
        version: the number of events in its stream.
        edition: the escrow policy edition it is judged under (a name in the store's
            registry, ``policy.ESCROW_EDITIONS`` by default), fixed at placement.
        status: its status after the latest event.
        buyer: the buyer, as placed.
        supplier: the supplier, as placed.
        total: the contract's total (exact, in its currency, as every sum here).
        paid: what the buyer has paid.
        held: what escrow holds now.
        released: what has gone to the supplier.
        refunded: what has gone back to the buyer.
        next_move: the move it waits for (``Deadlines.next_move``): whose, by when, the
            rule; None when nothing is awaited.
        next_timer: the timer running on it (``escrow.next_timer``), which the sweep
            fires when its instant has passed; None when none runs.
        updated_at: the instant of its latest event, in UTC.
    """

    order_id: str = attrs.field(validator=text_field)
    version: int = attrs.field(validator=count_field)
    edition: str = attrs.field(validator=text_field)
    status: OrderStatus = attrs.field(validator=member(OrderStatus))
    buyer: str = attrs.field(validator=text_field)
    supplier: str = attrs.field(validator=text_field)
    total: Money = attrs.field(validator=non_negative_whole_money_field)
    paid: Money = attrs.field(validator=non_negative_whole_money_field)
    held: Money = attrs.field(validator=non_negative_whole_money_field)
    released: Money = attrs.field(validator=non_negative_whole_money_field)
    refunded: Money = attrs.field(validator=non_negative_whole_money_field)
    next_move: NextMove | None = attrs.field(validator=attrs.validators.optional(member(NextMove)))
    next_timer: NextMove | None = attrs.field(validator=attrs.validators.optional(member(NextMove)))
    updated_at: datetime = attrs.field(validator=aware_field)


def _minor(amount: Money) -> int:
    with localcontext(_private_context()):
        return int(amount.amount.scaleb(minor_unit(amount.currency)))


def _money(minor: int, currency: str) -> Money:
    with localcontext(_private_context()):
        return Money(Decimal(minor).scaleb(-minor_unit(currency)), currency)


def _row_of(order: Order, version: int, edition: str, policy: EscrowPolicy) -> dict[str, Any]:
    """The projection row's columns for ``order`` at ``version``."""
    move = deadlines(order, policy).next_move
    timer = next_timer(order, policy)
    contract = order.contract
    return {
        "order_id": order.order_id,
        "version": version,
        "edition": edition,
        "status": order.status.name,
        "buyer": contract.buyer,
        "supplier": contract.supplier,
        "currency": contract.total.currency,
        "total_minor": _minor(contract.total),
        "paid_minor": _minor(order.paid),
        "held_minor": _minor(order.held),
        "released_minor": _minor(order.released),
        "refunded_minor": _minor(order.refunded),
        "next_deadline_at": None if move is None else move.at,
        "next_rule": None if move is None else move.rule,
        "next_party": None if move is None else move.party.name,
        "next_timer_at": None if timer is None else timer.at,
        "next_timer": None if timer is None else timer.rule,
        "next_timer_party": None if timer is None else timer.party.name,
        "updated_at": order.updated_at,
    }


def _move(at: datetime | None, rule: str | None, party: str | None) -> NextMove | None:
    return None if rule is None or party is None else NextMove(at, rule, Party[party])


def _projection(row: Row[Any]) -> Projection:
    cur = row.currency
    return Projection(
        order_id=row.order_id,
        version=row.version,
        edition=row.edition,
        status=OrderStatus[row.status],
        buyer=row.buyer,
        supplier=row.supplier,
        total=_money(row.total_minor, cur),
        paid=_money(row.paid_minor, cur),
        held=_money(row.held_minor, cur),
        released=_money(row.released_minor, cur),
        refunded=_money(row.refunded_minor, cur),
        next_move=_move(row.next_deadline_at, row.next_rule, row.next_party),
        next_timer=_move(row.next_timer_at, row.next_timer, row.next_timer_party),
        updated_at=row.updated_at,
    )


#: An order's stream in one statement: its projection row's version and edition, and its
#: events from version ``since`` on (none, if there are none: the outer join keeps the
#: head). The event at ``since`` itself is the last one decoded before: its chain must be
#: the one remembered, or the stream is not the one that was decoded.
_STREAM: Final = (
    select(
        ORDERS.c.version,
        ORDERS.c.edition,
        EVENTS.c.version.label("number"),
        EVENTS.c.body,
        EVENTS.c.chain,
    )
    .select_from(
        ORDERS.outerjoin(
            EVENTS,
            and_(
                EVENTS.c.order_id == ORDERS.c.order_id,
                EVENTS.c.version >= bindparam("since"),
                EVENTS.c.version <= ORDERS.c.version,
            ),
        )
    )
    .where(ORDERS.c.order_id == bindparam("order_id"))
    .order_by(EVENTS.c.version)
)


#: The writes, with a parameter per column: an event row; a projection row, new or
#: brought from version ``expected`` (a lost race matches no row).
_INSERT_EVENT: Final = insert(EVENTS)
_INSERT_ORDER: Final = insert(ORDERS)
_UPDATE_ORDER: Final = (
    update(ORDERS)
    .where(ORDERS.c.order_id == bindparam("key"))
    .where(ORDERS.c.version == bindparam("expected"))
    .values({c.name: bindparam(c.name) for c in ORDERS.c if c.name != "order_id"})
)
_VERSION: Final = select(ORDERS.c.version).where(ORDERS.c.order_id == bindparam("order_id"))


def _claim(skip_locked: bool) -> Any:
    """Up to ``batch`` orders whose timer fell due by ``now``, the longest overdue first,
    after the order ``(after_at, after_id)`` in that order (so a sweep always moves on);
    on PostgreSQL locked, skipping those another sweeper holds."""
    due_at, order_id = ORDERS.c.next_timer_at, ORDERS.c.order_id
    after_at = bindparam("after_at", type_=UTCInstant)
    claim = (
        select(order_id, due_at)
        .where(due_at <= bindparam("now", type_=UTCInstant))
        .where(or_(due_at > after_at, and_(due_at == after_at, order_id > bindparam("after_id"))))
        .order_by(due_at, order_id)
        .limit(bindparam("batch", type_=Integer))
    )
    return claim.with_for_update(skip_locked=True) if skip_locked else claim


#: Before every instant a timer can fall due at: where a sweep's claims start.
_DAWN: Final = datetime(1, 1, 2, tzinfo=UTC)
#: The most orders one call of ``due`` lists, or one transaction of ``sweep`` claims.
MOST: Final = 1_000_000


@final
class _Compiled:
    """A statement compiled once by SQLAlchemy for a dialect: its SQL, how its
    parameters go (in order, or by name) and each one's bind processing (an instant in
    UTC, written as SQLite's text), for the DBAPI cursor to run as it is."""

    def __init__(self, statement: Any, dialect: Any) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql: str = str(compiled)
        self._order: tuple[str, ...] | None = (
            tuple(compiled.positiontup) if compiled.positional else None
        )
        processors = {
            key: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for key, bind in compiled.binds.items()
        }
        self._process = {key: p for key, p in processors.items() if p is not None}
        # Values the statement fixed itself (SQLite's OFFSET 0 beside a LIMIT).
        self._fixed = {
            key: bind.value for key, bind in compiled.binds.items() if bind.value is not None
        }

    def params(self, **values: object) -> tuple[object, ...] | dict[str, object]:
        values = {**self._fixed, **values} if self._fixed else values
        for key, process in self._process.items():
            if key in values:
                values[key] = process(values[key])
        if self._order is None:
            return values
        return tuple(values[key] for key in self._order)


#: How many orders the store keeps decoded between calls, by default.
CACHE_SIZE: Final = 1024


class EventStore:
    """Orders as streams of events in a database, with optimistic concurrency.

    Build one with :func:`tradeassure.store.open`. Every method runs in its own
    transaction; the store is safe to share between threads, and several processes (or
    machines, on PostgreSQL) may write the same database at once.
    """

    def __init__(
        self,
        engine: Engine,
        editions: Mapping[str, EscrowPolicy],
        default_edition: str,
        *,
        cache_size: int = CACHE_SIZE,
        serialize: bool = False,
    ) -> None:
        self._engine = engine
        self._editions = dict(editions)
        self._default_edition = default_edition
        # By order id: the version decoded, the order, and the chain of its last event.
        self._cache: OrderedDict[str, tuple[int, Order, str]] = OrderedDict()
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()
        # One in-memory SQLite connection is shared by every thread: one at a time.
        self._serial = threading.RLock() if serialize else None
        self._skip_locked = engine.dialect.name == "postgresql"
        dialect = engine.dialect
        self._sqlite = dialect.name == "sqlite"
        self._collision: type[Exception] = dialect.loaded_dbapi.IntegrityError
        self._failure: type[Exception] = dialect.loaded_dbapi.Error
        self._instant = UTCInstant().dialect_impl(dialect).result_processor(dialect, None)
        self._stream = _Compiled(_STREAM, dialect)
        self._stream_for_update = _Compiled(
            _STREAM.with_for_update(of=ORDERS) if self._skip_locked else _STREAM, dialect
        )
        self._insert_event = _Compiled(_INSERT_EVENT, dialect)
        self._insert_order = _Compiled(_INSERT_ORDER, dialect)
        self._update_order = _Compiled(_UPDATE_ORDER, dialect)
        self._version = _Compiled(_VERSION, dialect)
        self._claim = _Compiled(_claim(self._skip_locked), dialect)
        self._due = _Compiled(_claim(False), dialect)
        self._savepoint = "SAVEPOINT tradeassure_order"

    # -- the context manager ----------------------------------------------------------

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<EventStore {self._engine.url.render_as_string(hide_password=True)}>"

    # -- transactions -----------------------------------------------------------------

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Connection]:
        if self._serial is not None:
            with self._serial, self._connect(write) as conn:
                yield conn
        else:
            with self._connect(write) as conn:
                yield conn

    @contextmanager
    def _raw(self, write: bool) -> Iterator[Any]:
        """A transaction on a pooled DBAPI connection, for the statements compiled
        above: on SQLite a writer takes the write lock as it begins, and a reader runs
        its one statement on its own."""
        with self._serial or nullcontext():
            dbapi = self._engine.raw_connection()
            try:
                if self._sqlite and write:
                    dbapi.cursor().execute("BEGIN IMMEDIATE")
                yield dbapi
                dbapi.commit()
            except BaseException as error:
                dbapi.rollback()
                if isinstance(error, self._failure) and not isinstance(error, self._collision):
                    # The driver's own error, as SQLAlchemy's (as every other call raises).
                    raise DBAPIError.instance(None, None, error, self._failure) from error
                raise
            finally:
                dbapi.close()

    @contextmanager
    def _connect(self, write: bool) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            conn.execution_options(tradeassure_write=write)
            with conn.begin():
                yield conn

    # -- reading ----------------------------------------------------------------------

    def version(self, order_id: str) -> int:
        """The number of events stored for ``order_id``; 0 when there is no such order."""
        order_id = text(order_id, "order_id")
        with self._raw(write=False) as dbapi:
            rows = _run(dbapi, self._version, order_id=order_id)
        return int(rows[0][0]) if rows else 0

    def projection(self, order_id: str) -> Projection:
        """The projection row of ``order_id``; :class:`OrderNotFound` when there is none."""
        order_id = text(order_id, "order_id")
        with self._transaction(write=False) as conn:
            row = conn.execute(select(ORDERS).where(ORDERS.c.order_id == order_id)).first()
        if row is None:
            raise OrderNotFound(order_id)
        return _projection(row)

    def load(self, order_id: str) -> Order:
        """The order ``order_id``'s events give, replayed under the edition recorded at
        its placement; :class:`OrderNotFound` when there is none. An order decoded
        before is brought forward by the events stored since, read in one query."""
        order_id = text(order_id, "order_id")
        with self._raw(write=False) as dbapi:
            order = self._read(dbapi, order_id, lock=False)[0]
        if order is None:
            raise OrderNotFound(order_id)
        return order

    def policy(self, order_id: str) -> EscrowPolicy:
        """The escrow policy ``order_id`` is judged under (its recorded edition)."""
        return self._edition(self.projection(order_id).edition)

    def due(self, now: datetime, limit: int = 100) -> list[str]:
        """The ids of up to ``limit`` orders whose running timer has fallen due by
        ``now``, the longest overdue first: those :meth:`sweep` would advance."""
        now = aware(now, "now")
        limit = _most(limit, "limit")
        with self._raw(write=False) as dbapi:
            rows = _run(dbapi, self._due, now=now, after_at=_DAWN, after_id="", batch=limit)
        return [row[0] for row in rows]

    # -- writing ----------------------------------------------------------------------

    def append(
        self,
        order_id: str,
        events: Iterable[Event],
        expected_version: int,
        *,
        edition: str | None = None,
        timers: bool = False,
    ) -> int:
        """Append ``events`` to ``order_id``'s stream, which must be at
        ``expected_version`` (0: no such order yet), and return its new version.

        The events are judged by the escrow first, in one transaction with their write
        and the projection's: a refused event raises its ``RuleViolation`` and nothing is
        written. Timers that fell due before an event are applied (and stored) first, as
        the passage of time would have. A stale ``expected_version`` raises
        :class:`ConcurrencyConflict`. Events the order has already taken (the same id and
        content, or equal events without ids) are a redelivery: when every event is one,
        nothing is written and the current version is returned, whatever the expected
        one; an id reused for other content raises ``EventIdConflict``. ``edition`` names
        the policy edition of a new order (the store's default when None); an existing
        order keeps the one it was placed under. A ``TimerExpired`` is refused unless
        ``timers`` (to import a history that carries its timer events): time passing
        is the sweep's to store, not a caller's, and a timer dated ahead would fire it
        early.
        """
        order_id = text(order_id, "order_id")
        batch = tuple_of(events, Event, "events")
        if not batch:
            raise InvalidInput("events must hold at least one event to append")
        expected = count(expected_version, "expected_version")
        if edition is not None:
            self._edition(edition)
        if not isinstance(timers, bool):
            raise InvalidInput(f"timers must be True or False, got {timers!r}")
        try:
            with self._raw(write=True) as dbapi:
                order, current, recorded, chain = self._read(dbapi, order_id, lock=True)
                if order is not None:
                    assert recorded is not None
                    if edition is not None and edition != recorded:
                        raise InvalidInput(
                            f"order {order_id} is judged under the edition {recorded!r} it "
                            f"was placed under, not {edition!r}"
                        )
                    policy = self._edition(recorded)
                    if all(_taken(order, e, policy) for e in batch):
                        return current
                if expected != current:
                    raise ConcurrencyConflict(order_id, expected, current)
                if order is None:
                    recorded = edition or self._default_edition
                    policy = self._edition(recorded)
                assert recorded is not None
                order, written = _judge(order_id, order, batch, policy, timers)
                version = current + len(written)
                chain = self._write(
                    dbapi, order_id, current, written, order, recorded, policy, chain
                )
        except _Collided:
            raise ConcurrencyConflict(order_id, expected, self.version(order_id)) from None
        self._remember(order_id, version, order, chain)
        return version

    def sweep(self, now: datetime, batch: int = 100) -> int:
        """Fire every timer due by ``now`` on every order, ``batch`` orders a
        transaction, and return how many timer events were stored. Safe with several
        sweepers at once: on PostgreSQL each claims its orders with ``FOR UPDATE SKIP
        LOCKED``; on SQLite one writer runs at a time. A sweeper stopped mid-batch
        stores nothing of that batch, and the next sweep does it. An order whose timers
        cannot be stored (its history no longer reads, its edition is not in the
        registry) is left as it was and passed over; once every other order is swept,
        :class:`SweepIncomplete` names each with its error."""
        now = aware(now, "now")
        batch = _most(batch, "batch")
        if batch == 0:
            raise InvalidInput("batch must be 1 or more orders a transaction, got 0")
        applied = 0
        after: tuple[datetime, str] = (_DAWN, "")
        failed: dict[str, TradeAssureError] = {}
        while True:
            fired: list[tuple[str, int, Order, str, int]] = []
            try:
                with self._raw(write=True) as dbapi:
                    claimed = _run(
                        dbapi, self._claim, now=now, after_at=after[0], after_id=after[1],
                        batch=batch,
                    )  # fmt: skip
                    for order_id, _ in claimed:
                        done = self._fire(dbapi, order_id, now)
                        if isinstance(done, TradeAssureError):
                            failed[order_id] = done
                        else:
                            fired.append((order_id, *done))
            except _Collided:
                continue  # a writer appended to one of these orders first: claim again
            for order_id, version, order, chain, timers_fired in fired:
                self._remember(order_id, version, order, chain)
                applied += timers_fired
            if len(claimed) < batch:
                break
            last_id, last_due = claimed[-1]
            due_at = self._instant(last_due) if self._instant else last_due
            assert isinstance(due_at, datetime)
            after = due_at, str(last_id)
        if failed:
            raise SweepIncomplete(applied, failed)
        return applied

    def _fire(
        self, dbapi: Any, order_id: str, now: datetime
    ) -> tuple[int, Order, str, int] | TradeAssureError:
        """Store the timers due by ``now`` on one claimed order, inside a savepoint: its
        new version, order, last event's chain and the timers stored; or the library's
        error that stopped it, with the order left as it was."""
        cursor = dbapi.cursor()
        try:
            cursor.execute(self._savepoint)
            try:
                order, current, recorded, chain = self._read(dbapi, order_id, lock=False)
                assert order is not None
                assert recorded is not None
                policy = self._edition(recorded)
                timers = due_events(order, now, policy)
                for event in timers:
                    order = apply(order, event, policy)
                chain = self._write(
                    dbapi, order_id, current, timers, order, recorded, policy, chain
                )
            except TradeAssureError as error:
                cursor.execute(f"ROLLBACK TO {self._savepoint}")
                return error
            cursor.execute(f"RELEASE {self._savepoint}")
        finally:
            cursor.close()
        return current + len(timers), order, chain, len(timers)

    # -- the parts --------------------------------------------------------------------

    def _edition(self, name: str) -> EscrowPolicy:
        policy = self._editions.get(name) if isinstance(name, str) else None
        if policy is None:
            raise InvalidInput(
                f"unknown escrow edition {name!r}: expected one of {', '.join(self._editions)}"
            )
        return policy

    def _read(
        self, dbapi: Any, order_id: str, *, lock: bool, again: bool = False
    ) -> tuple[Order | None, int, str | None, str]:
        """The order as stored (None if there is none), its version, its edition and the
        chain of its last event, read on the DBAPI connection ``dbapi`` in one
        statement: the projection row's head and the events from the version decoded
        before (all of them, the first time); the row locked against other writers when
        ``lock`` (PostgreSQL). A remembered order is brought forward only when the
        stream's event at its version has the chain it remembers, which vouches for
        every event before it: a stream replaced under it (a restore, emptied tables) is
        read from its start."""
        with self._cache_lock:
            cached = self._cache.get(order_id)
            if cached is not None:
                self._cache.move_to_end(order_id)
        since = 0 if cached is None else cached[0]
        statement = self._stream_for_update if lock else self._stream
        rows = _run(dbapi, statement, order_id=order_id, since=since)
        if not rows:
            return None, 0, None, ""
        version, edition = int(rows[0][0]), str(rows[0][1])
        policy = self._edition(edition)
        found = [(number, body, chain) for _, _, number, body, chain in rows if number is not None]
        if cached is not None and found and found[0][0] == since and found[0][2] == cached[2]:
            newer = found[1:]
            if len(newer) == version - since:
                order = cached[1]
                for _, body, _ in newer:
                    order = apply(order, _decode(order_id, body), policy)
                chain = found[-1][2]
                if newer:
                    self._remember(order_id, version, order, chain)
                return order, version, edition, chain
        if since:
            with self._cache_lock:
                self._cache.pop(order_id, None)
            return self._read(dbapi, order_id, lock=lock)
        if len(found) != version and not again:
            # On PostgreSQL a row locked after another writer's commit comes back newer
            # than the events the statement saw: a second statement sees them all.
            return self._read(dbapi, order_id, lock=lock, again=True)
        if len(found) != version:
            raise InvalidInput(
                f"order {order_id}'s projection row says version {version}, but "
                f"{len(found)} of its events are stored: the tables were written by "
                "something else"
            )
        order = replay([_decode(order_id, body) for _, body, _ in found], policy)
        chain = found[-1][2] if found else ""
        self._remember(order_id, version, order, chain)
        return order, version, edition, chain

    def _remember(self, order_id: str, version: int, order: Order, chain: str) -> None:
        if self._cache_size == 0 or not chain:
            return
        with self._cache_lock:
            cached = self._cache.get(order_id)
            if cached is None or cached[0] <= version:
                self._cache[order_id] = (version, order, chain)
            self._cache.move_to_end(order_id)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _write(
        self,
        dbapi: Any,
        order_id: str,
        current: int,
        events: Iterable[Event],
        order: Order,
        edition: str,
        policy: EscrowPolicy,
        chain: str,
    ) -> str:
        """Insert ``events`` as the versions after ``current`` (whose chain is
        ``chain``) and write the order's projection row; the chain of the last event.
        Raises :class:`_Collided` when another writer took those versions first."""
        written = []
        for i, event in enumerate(events, start=1):
            row = _event_row(order_id, current + i, event, chain)
            chain = row["chain"]
            written.append(row)
        rows = [self._insert_event.params(**row) for row in written]
        version = current + len(rows)
        projection = _row_of(order, version, edition, policy)
        cursor = dbapi.cursor()
        try:
            if rows:
                cursor.executemany(self._insert_event.sql, rows)
            if current == 0:
                cursor.execute(self._insert_order.sql, self._insert_order.params(**projection))
            else:
                del projection["order_id"]
                cursor.execute(
                    self._update_order.sql,
                    self._update_order.params(key=order_id, expected=current, **projection),
                )
                if cursor.rowcount != 1:
                    raise _Collided
        except self._collision:
            raise _Collided from None
        finally:
            cursor.close()
        return chain


class _Collided(Exception):
    """Another writer stored the same versions of an order first."""


def _most(value: object, what: str) -> int:
    """``value`` if it is a count of at most :data:`MOST`."""
    number = count(value, what)
    if number > MOST:
        raise InvalidInput(f"{what} must be at most {MOST:,} orders, got {number:,}")
    return number


def _run(dbapi: Any, statement: _Compiled, **values: object) -> list[Any]:
    """The rows of ``statement`` run with ``values`` on the DBAPI connection."""
    cursor = dbapi.cursor()
    try:
        cursor.execute(statement.sql, statement.params(**values))
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _taken(order: Order, event: Event, policy: EscrowPolicy) -> bool:
    """Whether ``order`` has already taken ``event`` (a redelivery); an id reused for
    other content raises ``EventIdConflict``."""
    key: str | Event = event if event.event_id is None else event.event_id
    prior = order.seen.get(key)
    if prior is None:
        return False
    return apply(order, event, policy) is order


def _judge(
    order_id: str,
    order: Order | None,
    batch: tuple[Event, ...],
    policy: EscrowPolicy,
    timers: bool,
) -> tuple[Order, list[Event]]:
    """The order after ``batch`` and the events to store: each new event, after the
    timers that fell due before it; redelivered ones are left out. A new
    ``TimerExpired`` is refused unless ``timers``."""
    written: list[Event] = []
    for event in batch:
        if (
            not timers
            and type(event) is TimerExpired
            and (order is None or not _taken(order, event, policy))
        ):
            raise InvalidInput(
                f"a TimerExpired ({event.timer}) is the passage of time, which the store "
                "stores itself (sweep, and append before a later event); pass timers=True "
                "to import a history that carries its timer events"
            )
        if order is None:
            if isinstance(event, OrderPlaced) and event.order_id != order_id:
                raise InvalidInput(
                    f"the OrderPlaced places order {event.order_id!r}, not {order_id!r}, "
                    "the stream it is appended to"
                )
            order = replay((event,), policy)
            written.append(event)
            continue
        if type(event) is not TimerExpired:
            for timer in due_events(order, event.at, policy):
                order = apply(order, timer, policy)
                written.append(timer)
        after = apply(order, event, policy)
        if after is not order:
            written.append(event)
        order = after
    assert order is not None
    return order, written


def _event_row(order_id: str, version: int, event: Event, previous: str) -> dict[str, Any]:
    """The row of ``event`` at ``version``, chained to the event before (``previous``,
    its chain: empty for the first)."""
    body = to_json(Envelope(order_id, event))
    return {
        "order_id": order_id,
        "version": version,
        "event_id": event.event_id,
        "type": type(event).__name__,
        "at": event.at,
        "body": body,
        "chain": sha256(f"{previous}\n{body}".encode()).hexdigest(),
    }


def _decode(order_id: str, body: str) -> Event:
    envelope = from_json(body, Envelope)
    if envelope.order_id != order_id:
        raise InvalidInput(
            f"a stored event of order {order_id} names order {envelope.order_id!r}: the "
            "store's rows were written by something else"
        )
    return envelope.event
