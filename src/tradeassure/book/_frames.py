"""A book's rows as an Arrow table, and through it as pandas and polars frames: exact
decimal columns for money (``decimal128``, at the widest minor unit among the book's
currencies), UTC timestamps for instants (the ``book`` extra: pyarrow, pandas, polars)."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import datetime
from decimal import Context, Decimal, localcontext
from typing import Any

from tradeassure.book._summary import OrderSummary
from tradeassure.errors import InvalidInput
from tradeassure.money import minor_unit

__all__ = ["COLUMNS", "to_arrow", "to_pandas", "to_polars", "write_parquet"]

#: The table's columns, in order: every OrderSummary field, its error in four.
COLUMNS = (
    "order_id",
    "buyer",
    "supplier",
    "currency",
    "status",
    "total",
    "paid",
    "held",
    "released",
    "refunded",
    "covered",
    "limit",
    "next_deadline",
    "next_rule",
    "next_party",
    "due",
    "held_since",
    "dispute_reason",
    "dispute_stage",
    "events",
    "source",
    "error_rule",
    "error_message",
    "error_position",
    "error_where",
    "late_events",
)
_MONEY = ("total", "paid", "held", "released", "refunded", "covered", "limit")


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
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    places = 0  # more than the currencies' minor units, where an amount has them
    for row in rows:
        for name in (
            "order_id", "buyer", "supplier", "currency", "next_rule", "dispute_stage",
            "events", "source", "late_events", "next_deadline", "held_since",
        ):  # fmt: skip
            columns[name].append(getattr(row, name))
        for name in _MONEY:
            amount = getattr(row, name)
            if amount is None:
                columns[name].append(None)
                continue
            exponent = amount.amount.as_tuple().exponent
            if isinstance(exponent, int) and -exponent > places:
                places = -exponent
            columns[name].append(amount.amount)
        for name in ("status", "next_party", "dispute_reason"):
            member = getattr(row, name)
            columns[name].append(None if member is None else member.name)
        columns["due"].append(list(row.due))
        error = row.error
        columns["error_rule"].append(None if error is None else error.rule)
        columns["error_message"].append(None if error is None else error.message)
        columns["error_position"].append(None if error is None else error.position)
        columns["error_where"].append(None if error is None else error.where)
    scale = max(scale, places)  # so that every amount fits exactly
    # 16 digits before the point hold the largest amount (10**15); 38 in all fit in 128 bits.
    money = pa.decimal128(38, scale) if 16 + scale <= 38 else pa.decimal256(76, scale)
    instant = pa.timestamp("us", tz="UTC")
    types = {
        **dict.fromkeys(_MONEY, money),
        "next_deadline": instant,
        "held_since": instant,
        "due": pa.list_(pa.string()),
        "events": pa.int64(),
        "late_events": pa.int64(),
        "error_position": pa.int64(),
    }
    quantum = Decimal(1).scaleb(-scale)
    with localcontext(Context(prec=80)):  # exact: no amount needs more digits
        for name in _MONEY:
            columns[name] = [None if v is None else v.quantize(quantum) for v in columns[name]]
    schema = pa.schema(
        [pa.field(name, types.get(name, pa.string())) for name in COLUMNS],
        metadata=None if as_of is None else {"as_of": as_of.isoformat()},
    )
    arrays = [pa.array(columns[name], type=schema.field(name).type) for name in COLUMNS]
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
