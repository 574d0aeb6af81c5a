"""The store's two tables, in SQLAlchemy Core: the streams of events and one projection
row per order. The same definitions serve SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

__all__ = ["EVENTS", "METADATA", "ORDERS", "UTCInstant"]


class UTCInstant(TypeDecorator[datetime]):
    """An aware instant stored in UTC: ``timestamptz`` on PostgreSQL, and on SQLite
    (which has no time type) the UTC wall time as fixed-width text, which sorts as the
    instants do. Reads back aware, in UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


METADATA: Final = MetaData()

#: Every order's events, one row each, in the order they were taken: ``version`` counts
#: from 1 within the order; ``body`` is the event's envelope as JSON (schema 2); ``chain``
#: the SHA-256 of the previous event's chain and this body, so one row vouches for the
#: whole stream up to it. The primary key makes two writers of the same version collide;
#: the unique event id makes a redelivery impossible to store twice.
EVENTS: Final = Table(
    "tradeassure_events",
    METADATA,
    Column("order_id", Text, primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("event_id", Text, nullable=True),
    Column("type", Text, nullable=False),
    Column("at", UTCInstant, nullable=False),
    Column("body", Text, nullable=False),
    Column("chain", Text, nullable=False),
    UniqueConstraint("order_id", "event_id", name="tradeassure_events_event_id"),
)

#: One row per order, written in the transaction of every append: its version, the
#: policy edition it is judged under, its state and money (exact, as whole minor units of
#: ``currency``: SQLite has no exact decimal type, and integer sums stay exact in SQL),
#: the next move (a party's or a timer's) and the next timer, which ``due`` reads.
ORDERS: Final = Table(
    "tradeassure_orders",
    METADATA,
    Column("order_id", Text, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("edition", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("buyer", Text, nullable=False),
    Column("supplier", Text, nullable=False),
    Column("currency", Text, nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    Column("paid_minor", BigInteger, nullable=False),
    Column("held_minor", BigInteger, nullable=False),
    Column("released_minor", BigInteger, nullable=False),
    Column("refunded_minor", BigInteger, nullable=False),
    Column("next_deadline_at", UTCInstant, nullable=True),
    Column("next_rule", Text, nullable=True),
    Column("next_party", Text, nullable=True),
    Column("next_timer_at", UTCInstant, nullable=True),
    Column("next_timer", Text, nullable=True),
    Column("next_timer_party", Text, nullable=True),
    Column("updated_at", UTCInstant, nullable=False),
    Index("tradeassure_orders_next_timer", "next_timer_at"),
)
