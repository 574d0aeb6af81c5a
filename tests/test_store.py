"""The event store (tradeassure.store), run on every backend of store_backends: versions
and optimistic concurrency, validation before writing, redelivery, editions, the
projection row, the due index and the sweep."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escrow_builders import T0, at, money_of, placed, usd
from store_backends import SHARED_BACKENDS, url_for
from tradeassure.errors import (
    ConcurrencyConflict,
    EventIdConflict,
    InvalidInput,
    OrderNotFound,
    RuleViolation,
    StoreUnavailable,
    SweepIncomplete,
    TradeAssureError,
)
from tradeassure.escrow import (
    DEFAULT_ESCROW,
    HELP_PAGES_ESCROW,
    ContractConfirmed,
    DisputeOpened,
    DisputeReason,
    Event,
    FeedbackLeft,
    Order,
    OrderStatus,
    Party,
    PaymentMethod,
    PaymentReceived,
    ReceiptConfirmed,
    Shipped,
    TimerExpired,
    deadlines,
    due_events,
    next_timer,
    replay,
)
from tradeassure.money import Money
from tradeassure.store import EventStore, open

CONFIRMED = ContractConfirmed(at=at(hours=2), by=Party.BUYER, event_id="c-1")
PAID = PaymentReceived(at=at(1), amount=usd(10_000), method=PaymentMethod.VISA, event_id="p-1")
SHIPPED = Shipped(at=at(10), value=usd(10_000), final=True, event_id="s-1")
HISTORY: tuple[Event, ...] = (placed(), CONFIRMED, PAID, SHIPPED)


def _stored(store: EventStore, events: tuple[Event, ...] = HISTORY) -> int:
    version = 0
    for event in events:
        version = store.append("PO-7", [event], version)
    return version


def _assert_projection_is_the_replay(store: EventStore, order_id: str) -> None:
    order = store.load(order_id)
    policy = store.policy(order_id)
    row = store.projection(order_id)
    assert row.version == len(order.events)
    assert row.status is order.status
    assert money_of(row) == money_of(order)
    assert row.next_move == deadlines(order, policy).next_move
    assert row.next_timer == next_timer(order, policy)
    assert row.updated_at == order.updated_at


# -- versions ----------------------------------------------------------------------------


def test_each_append_returns_the_new_version_and_load_replays_the_stream(
    store: EventStore,
) -> None:
    assert store.version("PO-7") == 0
    assert store.append("PO-7", [HISTORY[0]], 0) == 1
    assert store.append("PO-7", HISTORY[1:3], 1) == 3
    assert store.append("PO-7", HISTORY[3:], 3) == 4
    assert store.version("PO-7") == 4
    assert store.load("PO-7") == replay(HISTORY)
    _assert_projection_is_the_replay(store, "PO-7")


def test_a_fresh_store_on_the_same_database_reads_the_same_order(store_url: str) -> None:
    with open(store_url) as first:
        _stored(first)
        with open(store_url, cache_size=0) if store_url != "sqlite://" else first as second:
            assert second.load("PO-7") == replay(HISTORY)


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_a_store_brings_an_order_it_decoded_before_up_to_date(backend: str, tmp_path: Path) -> None:
    store_url = url_for(backend, tmp_path)
    with open(store_url) as writer, open(store_url) as reader:
        writer.append("PO-7", HISTORY[:2], 0)
        assert reader.load("PO-7") == replay(HISTORY[:2])
        writer.append("PO-7", HISTORY[2:], 2)
        assert reader.load("PO-7") == replay(HISTORY)


def test_a_stale_expected_version_is_a_conflict_naming_both_and_writes_nothing(
    store: EventStore,
) -> None:
    _stored(store, HISTORY[:3])
    with pytest.raises(ConcurrencyConflict) as caught:
        store.append("PO-7", [SHIPPED], 2)
    conflict = caught.value
    assert isinstance(conflict, TradeAssureError)
    assert (conflict.order_id, conflict.expected, conflict.actual) == ("PO-7", 2, 3)
    assert "version 3" in str(conflict)
    assert "version 2" in str(conflict)
    assert store.version("PO-7") == 3
    assert store.append("PO-7", [SHIPPED], 3) == 4


@pytest.mark.parametrize("expected", [1, 5])
def test_a_new_order_is_appended_at_version_0_only(store: EventStore, expected: int) -> None:
    with pytest.raises(ConcurrencyConflict) as caught:
        store.append("PO-7", [HISTORY[0]], expected)
    assert (caught.value.expected, caught.value.actual) == (expected, 0)
    assert store.version("PO-7") == 0


def test_an_expected_version_ahead_of_the_stream_is_a_conflict(store: EventStore) -> None:
    _stored(store, HISTORY[:2])
    with pytest.raises(ConcurrencyConflict):
        store.append("PO-7", [PAID], 3)


# -- judged before written -----------------------------------------------------------------


def test_a_refused_event_raises_its_rule_and_nothing_of_its_batch_is_written(
    store: EventStore,
) -> None:
    _stored(store, HISTORY[:2])
    receipt = ReceiptConfirmed(at=at(2))  # nothing paid or shipped yet
    with pytest.raises(RuleViolation) as caught:
        store.append("PO-7", [PAID, receipt], 2)
    assert caught.value.rule == "ESC-RELEASE"
    assert store.version("PO-7") == 2
    assert store.load("PO-7") == replay(HISTORY[:2])
    assert store.projection("PO-7").status is OrderStatus.AWAITING_PAYMENT


def test_a_stream_starts_with_the_order_placed_for_it(store: EventStore) -> None:
    with pytest.raises(RuleViolation) as caught:
        store.append("PO-7", [CONFIRMED], 0)
    assert caught.value.rule == "ESC-ORDER-ORIGIN"
    with pytest.raises(InvalidInput, match="places order 'PO-7', not 'PO-8'"):
        store.append("PO-8", [HISTORY[0]], 0)
    assert store.version("PO-7") == store.version("PO-8") == 0


def test_an_event_back_in_time_is_refused_and_writes_nothing(store: EventStore) -> None:
    _stored(store, HISTORY[:3])
    with pytest.raises(InvalidInput, match="earlier than the latest event"):
        store.append("PO-7", [Shipped(at=at(0, 1), value=usd(10_000), final=True)], 3)
    assert store.version("PO-7") == 3


# -- redelivery ------------------------------------------------------------------------------


def test_a_redelivered_batch_is_a_no_op_returning_the_current_version(store: EventStore) -> None:
    _stored(store)
    assert store.append("PO-7", [PAID], 2) == 4  # a stale version does not matter
    assert store.append("PO-7", [CONFIRMED, PAID], 0) == 4
    assert store.append("PO-7", [placed()], 0) == 4  # equal events without an id are one
    assert store.version("PO-7") == 4
    assert store.load("PO-7") == replay(HISTORY)


def test_a_reused_event_id_with_other_content_is_refused(store: EventStore) -> None:
    _stored(store)
    other = PaymentReceived(
        at=at(11), amount=usd(10), method=PaymentMethod.VISA, event_id=PAID.event_id
    )
    with pytest.raises(EventIdConflict, match="'p-1'"):
        store.append("PO-7", [other], 4)
    assert store.version("PO-7") == 4


def test_a_batch_with_old_and_new_events_stores_the_new_ones(store: EventStore) -> None:
    _stored(store, HISTORY[:3])
    assert store.append("PO-7", [PAID, SHIPPED], 3) == 4
    assert store.load("PO-7") == replay(HISTORY)


# -- time -------------------------------------------------------------------------------------


def test_timers_due_before_an_event_are_stored_first(store: EventStore) -> None:
    _stored(store)
    completes = next_timer(replay(HISTORY), DEFAULT_ESCROW)
    assert completes is not None
    assert completes.rule == "TMR-AUTO-COMPLETE"
    feedback = FeedbackLeft(at=completes.at + timedelta(days=1), rating=5)
    assert store.append("PO-7", [feedback], 4) == 6
    order = store.load("PO-7")
    assert order.status is OrderStatus.COMPLETED
    timer = order.events[4]
    assert isinstance(timer, TimerExpired)
    assert timer.timer == "TMR-AUTO-COMPLETE"
    assert order.events[5] == feedback


def test_an_event_refused_once_a_timer_has_fired_writes_neither(store: EventStore) -> None:
    _stored(store)
    completes = next_timer(replay(HISTORY), DEFAULT_ESCROW)
    assert completes is not None
    late = DisputeOpened(
        at=completes.at + timedelta(days=1),
        reason=DisputeReason.DAMAGED,
        claim=usd(500),
        evidence=("photo.jpg",),
    )
    with pytest.raises(RuleViolation) as caught:
        store.append("PO-7", [late], 4)
    assert caught.value.rule == "ESC-DISPUTE-COMPLETED"
    assert store.version("PO-7") == 4


def test_due_lists_an_order_from_the_instant_its_timer_falls_due(store: EventStore) -> None:
    _stored(store, HISTORY[:2])
    timer = store.projection("PO-7").next_timer
    assert timer is not None
    assert timer.rule == "TMR-PAY"
    assert timer.party is Party.BUYER
    assert store.due(timer.at - timedelta(microseconds=1)) == []
    assert store.due(timer.at) == ["PO-7"]
    assert store.due(timer.at, limit=0) == []


def test_due_lists_the_longest_overdue_first_up_to_the_limit(store: EventStore) -> None:
    for n, hours in enumerate([5, 1, 3]):
        order_id = f"PO-{n}"
        store.append(order_id, [placed(order_id=order_id, at=at(hours=hours))], 0)
    later = at(400)
    assert store.due(later) == ["PO-1", "PO-2", "PO-0"]
    assert store.due(later, limit=2) == ["PO-1", "PO-2"]


def test_a_sweep_fires_each_due_timer_once(store: EventStore) -> None:
    _stored(store, HISTORY[:2])
    store.append("PO-8", [placed(order_id="PO-8")], 0)
    confirm_by = store.projection("PO-8").next_timer
    pay_by = store.projection("PO-7").next_timer
    assert confirm_by is not None
    assert pay_by is not None
    assert (confirm_by.rule, pay_by.rule) == ("TMR-CONFIRM", "TMR-PAY")
    assert store.sweep(confirm_by.at - timedelta(microseconds=1)) == 0
    assert store.sweep(confirm_by.at) == 1
    assert store.load("PO-8").status is OrderStatus.CANCELLED
    assert store.load("PO-7").status is OrderStatus.AWAITING_PAYMENT
    assert store.sweep(pay_by.at, batch=1) == 1
    assert store.sweep(pay_by.at) == 0
    assert store.load("PO-7").status is OrderStatus.CANCELLED
    assert store.version("PO-7") == 3
    assert store.due(at(1000)) == []
    _assert_projection_is_the_replay(store, "PO-7")
    _assert_projection_is_the_replay(store, "PO-8")


def test_a_sweep_takes_every_due_order_in_batches(store: EventStore) -> None:
    for n in range(7):
        store.append(f"PO-{n}", [placed(order_id=f"PO-{n}")], 0)
    assert store.sweep(at(400), batch=3) == 7
    assert all(store.version(f"PO-{n}") == 2 for n in range(7))


# -- editions --------------------------------------------------------------------------------


def test_an_order_is_replayed_under_the_edition_it_was_placed_under(store_url: str) -> None:
    opened = open(store_url, default_edition="help-pages")
    with opened as store:
        _stored(store)
        dispute = DisputeOpened(
            at=at(12), reason=DisputeReason.DAMAGED, claim=usd(500), evidence=("a.jpg",)
        )
        store.append("PO-7", [dispute], 4)
        assert store.projection("PO-7").edition == "help-pages"
        assert store.policy("PO-7") is HELP_PAGES_ESCROW
        order = store.load("PO-7")
        assert order == replay([*HISTORY, dispute], HELP_PAGES_ESCROW)
        assert deadlines(order, HELP_PAGES_ESCROW).supplier_deadline == at(15)
        with pytest.raises(InvalidInput, match="'help-pages' it was placed under"):
            store.append("PO-7", [FeedbackLeft(at=at(13), rating=3)], 5, edition="default")


def test_a_new_order_may_name_its_edition(store: EventStore) -> None:
    store.append("PO-7", [placed()], 0, edition="help-pages")
    assert store.projection("PO-7").edition == "help-pages"
    with pytest.raises(InvalidInput, match="unknown escrow edition 'nope'"):
        store.append("PO-8", [placed(order_id="PO-8")], 0, edition="nope")
    assert store.version("PO-8") == 0


# -- the projection ---------------------------------------------------------------------------


def test_money_is_stored_exactly_at_the_bound(store: EventStore) -> None:
    big = Money("999999999999999.99", "USD")
    store.append("PO-7", [placed(total=big)], 0)
    store.append("PO-7", [ContractConfirmed(at=at(hours=2), by=Party.BUYER)], 1)
    store.append("PO-7", [PaymentReceived(at=at(1), amount=big, method=PaymentMethod.TT)], 2)
    row = store.projection("PO-7")
    assert row.total == big
    assert row.held == big
    assert str(row.held.amount) == "999999999999999.99"


def test_amounts_in_a_currency_without_minor_units_are_exact(store: EventStore) -> None:
    yen = Money(123_456_789, "JPY")
    store.append("PO-7", [placed(total=yen)], 0)
    assert store.projection("PO-7").total == yen


#: The history on to its receipt, so that the held money is released and no longer equals
#: what was paid: a projection that mixed up the two would show it.
COMPLETED: tuple[Event, ...] = (*HISTORY, ReceiptConfirmed(at=at(20), event_id="r-1"))


@settings(max_examples=10, deadline=None)
@given(prefix=st.integers(min_value=1, max_value=len(COMPLETED)))
def test_the_projection_is_the_replay_after_any_prefix(prefix: int) -> None:
    with open("sqlite://") as store:
        _stored(store, COMPLETED[:prefix])
        _assert_projection_is_the_replay(store, "PO-7")


# -- bad input ---------------------------------------------------------------------------------


def test_a_missing_order_is_not_found(store: EventStore) -> None:
    with pytest.raises(OrderNotFound, match="no order 'PO-404'") as caught:
        store.load("PO-404")
    assert isinstance(caught.value, LookupError)
    with pytest.raises(OrderNotFound):
        store.projection("PO-404")


@pytest.mark.parametrize(
    ("order_id", "events", "expected", "says"),
    [
        ("", [placed()], 0, "order_id must be a non-empty string"),
        (None, [placed()], 0, "order_id must be a non-empty string"),
        ("PO-7", [], 0, "at least one event"),
        ("PO-7", placed(), 0, "events must be a tuple or list"),
        ("PO-7", ["OrderPlaced"], 0, "events must hold Event values only"),
        ("PO-7", [placed()], -1, "expected_version must be zero or more"),
        ("PO-7", [placed()], True, "expected_version"),
        ("PO-7", [placed()], "0", "expected_version"),
    ],
)
def test_malformed_appends_are_refused_and_write_nothing(
    store: EventStore, order_id: object, events: object, expected: object, says: str
) -> None:
    with pytest.raises(InvalidInput, match=says):
        store.append(order_id, events, expected)  # type: ignore[arg-type]
    assert store.version("PO-7") == 0


def test_malformed_arguments_of_due_and_sweep_are_refused(store: EventStore) -> None:
    with pytest.raises(InvalidInput, match="naive"):
        store.due(T0.replace(tzinfo=None))
    with pytest.raises(InvalidInput, match="limit must be zero or more"):
        store.due(T0, limit=-1)
    with pytest.raises(InvalidInput, match="batch must be 1 or more"):
        store.sweep(T0, batch=0)


@pytest.mark.parametrize(
    "url", ["mysql://localhost/x", "nonsense", "", 42, "sqlite+pysqlcipher:///x.db"]
)
def test_an_unsupported_url_is_refused(url: object) -> None:
    with pytest.raises(InvalidInput, match="url must be a database URL"):
        open(url)  # type: ignore[arg-type]


def test_open_refuses_a_registry_without_its_default_edition(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="default_edition 'default'"):
        open("sqlite://", editions={"help-pages": HELP_PAGES_ESCROW})
    with pytest.raises(InvalidInput, match="EscrowPolicy"):
        open("sqlite://", editions={"default": "strict"})  # type: ignore[dict-item]


def test_a_store_is_a_context_manager_and_names_its_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with open(url) as store:
        assert str(tmp_path / "x.db") in repr(store)
        store.append("PO-7", [placed()], 0)
        assert store._engine.pool.checkedin() == 1
    assert store._engine.pool.checkedin() == 0  # closed: its connections are released


def test_orders_of_the_store_are_plain_orders(store: EventStore) -> None:
    _stored(store)
    assert type(store.load("PO-7")) is Order


def test_a_database_that_cannot_be_opened_is_unavailable(tmp_path: Path) -> None:
    missing = tmp_path / "no such directory" / "orders.db"
    with pytest.raises(StoreUnavailable, match="cannot open the store at sqlite:///"):
        open(f"sqlite:///{missing}")
    with pytest.raises(StoreUnavailable, match=r"\*\*\*@127\.0\.0\.1:1/"):
        open("postgresql://someone:secret@127.0.0.1:1/nothing")


# -- what the review found -------------------------------------------------------------------


def test_a_caller_cannot_fire_a_timer_by_sending_it(store: EventStore) -> None:
    _stored(store)
    early = TimerExpired(at=at(3000), timer="TMR-AUTO-COMPLETE")
    with pytest.raises(InvalidInput, match="timers=True"):
        store.append("PO-7", [early], 4)
    assert store.version("PO-7") == 4
    assert store.projection("PO-7").status is OrderStatus.SHIPPED


def test_a_history_that_carries_its_timers_is_imported_with_timers_true(
    store: EventStore,
) -> None:
    order = replay(HISTORY[:2])
    fired = due_events(order, at(200))
    assert fired
    history = [*HISTORY[:2], *fired]
    assert store.append("PO-7", history, 0, timers=True) == len(history)
    assert store.append("PO-7", history, 0) == len(history)  # a redelivery, timers or not
    assert store.load("PO-7").status is OrderStatus.CANCELLED
    with pytest.raises(InvalidInput, match="timers must be True or False"):
        store.append("PO-8", [placed(order_id="PO-8")], 0, timers=1)  # type: ignore[arg-type]


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_a_sweep_passes_over_an_order_it_cannot_advance_and_names_it(
    backend: str, tmp_path: Path
) -> None:
    store_url = url_for(backend, tmp_path)
    custom = attrs.evolve(DEFAULT_ESCROW, edition="custom")
    editions = {"default": DEFAULT_ESCROW, "custom": custom}
    with open(store_url, editions=editions) as writer:
        for n in range(4):
            order_id = f"PO-{n}"
            edition = "custom" if n == 1 else None
            writer.append(order_id, [placed(order_id=order_id)], 0, edition=edition)
    sweeper = open(store_url)  # the default registry: no "custom" edition
    with pytest.raises(SweepIncomplete) as caught:
        sweeper.sweep(at(400), batch=1)
    assert caught.value.applied == 3
    assert list(caught.value.failed) == ["PO-1"]
    assert "unknown escrow edition 'custom'" in str(caught.value)
    assert [sweeper.version(f"PO-{n}") for n in range(4)] == [2, 1, 2, 2]


def test_a_store_rereads_a_stream_replaced_under_what_it_remembers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'orders.db'}"
    with open(url) as first, open(url) as second:
        _stored(first, HISTORY[:2])
        assert first.load("PO-7").contract.total == usd(10_000)
        with first._transaction(write=True) as conn:  # a restore, say
            conn.exec_driver_sql("DELETE FROM tradeassure_events")
            conn.exec_driver_sql("DELETE FROM tradeassure_orders")
        small = (placed(total=usd(500)), HISTORY[1], attrs.evolve(PAID, amount=usd(500)))
        _stored(second, small)
        assert first.load("PO-7") == replay(small)


def test_the_orders_read_most_recently_stay_remembered(store: EventStore) -> None:
    limited = open("sqlite://", cache_size=2)
    for n in range(3):
        limited.append(f"PO-{n}", [placed(order_id=f"PO-{n}")], 0)
    limited.load("PO-1")
    limited.load("PO-2")
    limited.load("PO-1")  # a hit: PO-1 is the most recent now
    limited.load("PO-0")
    assert list(limited._cache) == ["PO-1", "PO-0"]


def test_a_file_that_is_no_database_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database, just notes\n" * 100)
    with pytest.raises(StoreUnavailable, match=r"notes\.txt"):
        open(f"sqlite:///{path}")


def test_the_databases_own_failures_come_as_sqlalchemys(tmp_path: Path) -> None:
    from sqlalchemy.exc import DBAPIError

    url = f"sqlite:///{tmp_path / 'orders.db'}"
    with open(url, cache_size=0) as store:
        _stored(store, HISTORY[:1])
        with store._transaction(write=True) as conn:
            conn.exec_driver_sql("DROP TABLE tradeassure_events")
        with pytest.raises(DBAPIError):
            store.load("PO-7")
        with pytest.raises(DBAPIError):
            store.append("PO-7", [CONFIRMED], 1)


@pytest.mark.parametrize("size", [1_000_001, 2**63])
def test_a_limit_or_batch_beyond_a_million_orders_is_refused(store: EventStore, size: int) -> None:
    with pytest.raises(InvalidInput, match="at most 1,000,000 orders"):
        store.due(T0, limit=size)
    with pytest.raises(InvalidInput, match="at most 1,000,000 orders"):
        store.sweep(T0, batch=size)


def test_an_expected_version_ahead_says_the_order_has_not_come_that_far(
    store: EventStore,
) -> None:
    with pytest.raises(ConcurrencyConflict, match="has not come that far"):
        store.append("PO-7", [placed()], 3)
