"""A book's rows as an Arrow table, and through it as pandas and polars frames: exact
decimal columns for money (``decimal128``, at the widest minor unit among the book's
currencies), UTC timestamps for instants (the ``book`` extra: pyarrow, pandas, polars).
The table of columns and kinds is the book's; the table is built by the views' builder
(``tradeassure._frames``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from tradeassure._frames import arrow_table, module, pandas_frame, polars_frame
from tradeassure.book._summary import OrderSummary
from tradeassure.money import minor_unit

__all__ = ["COLUMNS", "cell", "to_arrow", "to_pandas", "to_polars", "write_parquet"]

#: The table's columns, in order, each with its kind (how it is written): every
#: OrderSummary field, its error in four (``error_*``). The CSV of ``tradeassure book``
#: is written from the same table.
COLUMNS: Final = (
    ("order_id", "text"),
    ("buyer", "text"),
    ("supplier", "text"),
    ("currency", "text"),
    ("status", "enum"),
    ("total", "money"),
    ("paid", "money"),
    ("held", "money"),
    ("released", "money"),
    ("refunded", "money"),
    ("covered", "money"),
    ("limit", "money"),
    ("next_deadline", "instant"),
    ("next_rule", "text"),
    ("next_party", "enum"),
    ("due", "rules"),
    ("held_since", "instant"),
    ("dispute_reason", "enum"),
    ("dispute_stage", "text"),
    ("events", "count"),
    ("source", "text"),
    ("error_rule", "text"),
    ("error_message", "text"),
    ("error_position", "count"),
    ("error_where", "text"),
    ("late_events", "count"),
)


def cell(row: OrderSummary, column: str) -> Any:
    """The raw value of one column of a row (an ``error_*`` column from its error)."""
    if column.startswith("error_"):
        return None if row.error is None else getattr(row.error, column[len("error_") :])
    return getattr(row, column)


def to_arrow(rows: Sequence[OrderSummary], as_of: datetime | None = None) -> Any:
    """``rows`` as a ``pyarrow.Table`` of :data:`COLUMNS` (the shared table builder,
    ``tradeassure._frames``): money as ``decimal128(20 + s, s)`` with ``s`` the widest minor
    unit of the currencies present, or more where an amount has more places (every
    amount exact; the currency in its own column), instants as ``timestamp("us",
    "UTC")``, enums by name, ``due`` as a list of timer ids; ``as_of``, when given, in
    the schema's metadata. (``decimal256`` where 38 digits cannot hold 20 before the
    point and the places after it.)"""
    scale = max((minor_unit(r.currency) for r in rows if r.currency), default=2)
    return arrow_table(
        rows,
        COLUMNS,
        cell,
        money_scale=scale,
        metadata=None if as_of is None else {"as_of": as_of.isoformat()},
        extra="book",
    )


def to_pandas(rows: Sequence[OrderSummary]) -> Any:
    """``rows`` as a pandas ``DataFrame`` backed by Arrow: money columns stay exact
    decimals (``decimal128``), instants UTC."""
    return pandas_frame(to_arrow(rows), extra="book")


def to_polars(rows: Sequence[OrderSummary]) -> Any:
    """``rows`` as a polars ``DataFrame``: ``Decimal`` money columns, UTC datetimes."""
    return polars_frame(to_arrow(rows), extra="book")


def write_parquet(rows: Sequence[OrderSummary], path: str, as_of: datetime | None = None) -> None:
    """``rows`` written to a Parquet file at ``path``, with the table's types (and
    ``as_of`` in its metadata)."""
    parquet = module("pyarrow.parquet", "book")
    parquet.write_table(to_arrow(rows, as_of), path)
