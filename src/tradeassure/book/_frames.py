"""A book's rows as an Arrow table, and through it as pandas and polars frames: exact
decimal columns for money (``decimal128``, at the widest minor unit among the book's
currencies), UTC timestamps for instants (the ``book`` extra: pyarrow, pandas, polars)."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import datetime
from decimal import Context, Decimal, localcontext
from typing import Any, Final

from tradeassure.book._summary import OrderSummary
from tradeassure.errors import InvalidInput
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


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        raise InvalidInput(f"{name} is needed for this: pip install 'tradeassure[book]'") from None


def to_arrow(rows: Sequence[OrderSummary], as_of: datetime | None = None) -> Any:
    """``rows`` as a ``pyarrow.Table`` of :data:`COLUMNS`: money as ``decimal128(38,
    s)`` with ``s`` the widest minor unit of the currencies present, or more where an
    amount has more places (every amount exact; the currency in its own column),
    instants as ``timestamp("us", "UTC")``, enums by name, ``due`` as a list of timer
    ids; ``as_of``, when given, in the schema's metadata. (``decimal256`` where 38
    digits cannot hold 16 before the point and the places after it.)"""
    pa = _module("pyarrow")
    scale = max((minor_unit(r.currency) for r in rows if r.currency), default=2)
    for row in rows:  # more places than the currencies' minor units, where an amount has them
        for name, kind in COLUMNS:
            amount = cell(row, name) if kind == "money" else None
            exponent = None if amount is None else amount.amount.as_tuple().exponent
            if isinstance(exponent, int):
                scale = max(scale, -exponent)
    # 16 digits before the point hold the largest amount (10**15); 38 in all fit in 128 bits.
    types = {
        "text": pa.string(),
        "enum": pa.string(),
        "money": pa.decimal128(38, scale) if 16 + scale <= 38 else pa.decimal256(76, scale),
        "instant": pa.timestamp("us", tz="UTC"),
        "rules": pa.list_(pa.string()),
        "count": pa.int64(),
    }
    quantum = Decimal(1).scaleb(-scale)

    def arrow(value: Any, kind: str) -> Any:
        if value is None:
            return None
        if kind == "money":
            return value.amount.quantize(quantum)
        if kind == "enum":
            return value.name
        return list(value) if kind == "rules" else value

    schema = pa.schema(
        [pa.field(name, types[kind]) for name, kind in COLUMNS],
        metadata=None if as_of is None else {"as_of": as_of.isoformat()},
    )
    with localcontext(Context(prec=80)):  # exact: no amount needs more digits
        arrays = [
            pa.array([arrow(cell(row, name), kind) for row in rows], type=types[kind])
            for name, kind in COLUMNS
        ]
    return pa.Table.from_arrays(arrays, schema=schema)


def to_pandas(rows: Sequence[OrderSummary]) -> Any:
    """``rows`` as a pandas ``DataFrame`` backed by Arrow: money columns stay exact
    decimals (``decimal128``), instants UTC."""
    pd = _module("pandas")
    return to_arrow(rows).to_pandas(types_mapper=pd.ArrowDtype)


def to_polars(rows: Sequence[OrderSummary]) -> Any:
    """``rows`` as a polars ``DataFrame``: ``Decimal`` money columns, UTC datetimes."""
    pl = _module("polars")
    return pl.from_arrow(to_arrow(rows))


def write_parquet(rows: Sequence[OrderSummary], path: str, as_of: datetime | None = None) -> None:
    """``rows`` written to a Parquet file at ``path``, with the table's types (and
    ``as_of`` in its metadata)."""
    parquet = _module("pyarrow.parquet")
    parquet.write_table(to_arrow(rows, as_of), path)
