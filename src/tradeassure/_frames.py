"""Rows as Arrow tables, and through them pandas and polars frames, with the types a
computation needs: exact decimals for money, UTC timestamps for instants. One table of
columns and kinds says how each column is written; the views' rows and the book's rows
both go through here (the ``frames`` extra: pyarrow, pandas, polars).

The kinds: ``text`` and ``enum`` (by member name) are strings; ``money`` (a ``Money``
or the bare ``Decimal`` of one) is ``decimal128(20 + s, s)`` with ``s`` the widest scale of
the amounts present (Money holds an amount at its currency's minor unit, so that is the
widest minor unit, or more where a finer amount needs it); ``decimal`` likewise, for
shares and rates; ``instant`` is ``timestamp("us", "UTC")`` whatever offsets the values
had; ``date``, ``duration`` (microseconds), ``bool`` and ``count`` (int64) are what they
say; ``rules`` is a list of strings; ``moment`` (a column holding dates and instants
both) becomes two, ``<name>_at`` for the instants and ``<name>_on`` for the dates.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Context, Decimal, localcontext
from enum import Enum
from typing import Any, Final

from tradeassure.errors import InvalidInput
from tradeassure.money import Money

__all__ = ["KINDS", "Rows", "arrow_table", "module", "pandas_frame", "polars_frame"]

#: The kinds a column may have (see the module docstring).
KINDS: Final = frozenset(
    {"text", "enum", "money", "decimal", "instant", "date", "duration", "bool", "count"}
    | {"rules", "moment"}
)
#: Columns and their kinds, in order.
Columns = Sequence[tuple[str, str]]


def module(name: str, extra: str = "frames") -> Any:
    """The module ``name``, or ``InvalidInput`` naming the extra that installs it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        raise InvalidInput(
            f"{name} is needed for this: pip install 'tradeassure[{extra}]'"
        ) from None


def _amount(value: object) -> Decimal | None:
    return value.amount if isinstance(value, Money) else value  # type: ignore[return-value]


def _places(values: Iterable[Decimal | None]) -> int:
    """The most places after the point among ``values`` (0 for none)."""
    most = 0
    for value in values:
        exponent = None if value is None else value.as_tuple().exponent
        if isinstance(exponent, int):
            most = max(most, -exponent)
    return most


def _same(value: Any) -> Any:
    return value


def _instant_or_none(value: object) -> datetime | None:
    return value if isinstance(value, datetime) else None


def _date_or_none(value: object) -> date | None:
    return value if type(value) is date else None


#: Digits a money column has beyond its amounts' own: Arrow widens a sum of columns by
#: a digit per addition, up to 38 (a column's sum, aggregated, is 38 digits anyway).
_HEADROOM: Final = 4


def _decimal_type(pa: Any, scale: int) -> Any:
    """``decimal128(p, scale)``: 16 digits before the point hold the largest amount
    (10**15), and :data:`_HEADROOM` more keep ``a + b + c`` of columns within 38 digits;
    ``decimal256`` where 128 bits cannot hold them."""
    precision = 16 + scale + _HEADROOM
    return pa.decimal128(precision, scale) if precision <= 38 else pa.decimal256(76, scale)


def arrow_table(
    rows: Sequence[Any],
    columns: Columns,
    cell: Callable[[Any, str], Any],
    *,
    money_scale: int = 0,
    metadata: Mapping[str, str] | None = None,
    extra: str = "frames",
) -> Any:
    """``rows`` as a ``pyarrow.Table`` of ``columns`` (each ``(name, kind)``), reading
    each value with ``cell(row, name)``. Every money column has one scale, the widest
    among the amounts present and at least ``money_scale``, so money columns add up
    with one another; every amount is exact."""
    pa = module("pyarrow", extra)
    values: dict[str, list[Any]] = {name: [] for name, _ in columns}
    for row in rows:  # one pass: a row may be built when it is read (a book's)
        for name, _ in columns:
            values[name].append(cell(row, name))
    money = [_amount(v) for name, kind in columns if kind == "money" for v in values[name]]
    scale = max(money_scale, _places(money))
    types = {
        "text": pa.string(),
        "enum": pa.string(),
        "money": _decimal_type(pa, scale),
        "instant": pa.timestamp("us", tz="UTC"),
        "date": pa.date32(),
        "duration": pa.duration("us"),
        "bool": pa.bool_(),
        "count": pa.int64(),
        "rules": pa.list_(pa.string()),
    }
    quantum = Decimal(1).scaleb(-scale)
    # How a value of each kind is handed to Arrow (a kind not here goes as it is).
    converts: dict[str, Callable[[Any], Any]] = {
        "money": lambda v: _amount(v).quantize(quantum),  # type: ignore[union-attr]
        "enum": lambda v: v.name if isinstance(v, Enum) else v,
        "rules": list,
    }
    fields: list[Any] = []
    arrays: list[Any] = []

    def add(name: str, type_: Any, column: list[Any], convert: Callable[[Any], Any]) -> None:
        fields.append(pa.field(name, type_))
        arrays.append(pa.array([None if v is None else convert(v) for v in column], type=type_))

    with localcontext(Context(prec=80)):  # exact: no amount needs more digits
        for name, kind in columns:
            column = values[name]
            if kind == "moment":  # two columns: the instants, and the dates
                add(name + "_at", types["instant"], column, _instant_or_none)
                add(name + "_on", types["date"], column, _date_or_none)
            elif kind == "decimal":  # its own scale: a share is not an amount
                add(name, _decimal_type(pa, _places(column)), column, _same)
            else:
                add(name, types[kind], column, converts.get(kind, _same))
    schema = pa.schema(fields, metadata=None if metadata is None else dict(metadata))
    return pa.Table.from_arrays(arrays, schema=schema)


def pandas_frame(table: Any, extra: str = "frames") -> Any:
    """``table`` as a pandas ``DataFrame`` on Arrow types (``pandas.ArrowDtype``):
    money stays an exact ``decimal128`` and sums exactly, instants stay UTC."""
    pd = module("pandas", extra)
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def polars_frame(table: Any, extra: str = "frames") -> Any:
    """``table`` as a polars ``DataFrame``: ``Decimal`` money, UTC datetimes."""
    pl = module("polars", extra)
    return pl.from_arrow(table)


def _key(row: Mapping[str, object], name: str) -> object:
    return row[name]


class Rows(list[dict[str, object]]):
    """A view's rows: still a ``list`` of plain ``dict`` rows, which also become typed
    frames (:meth:`to_arrow`, :meth:`to_pandas`, :meth:`to_polars`, with the ``frames``
    extra) from the table of columns and kinds the view declares.

    ``pandas.DataFrame(rows)`` of the plain list gives ``object`` columns for amounts
    (exact ``Decimal``s pandas does not compute on) and for instants in several
    offsets; ``rows.to_pandas()`` gives ``decimal128`` and UTC ``timestamp`` columns.
    """

    __slots__ = ("columns",)

    def __init__(self, rows: Iterable[dict[str, object]], columns: Columns) -> None:
        super().__init__(rows)
        #: The rows' columns and their kinds, in order (:data:`KINDS`).
        self.columns: tuple[tuple[str, str], ...] = tuple(columns)

    def to_arrow(self) -> Any:
        """The rows as a ``pyarrow.Table``: ``decimal128`` money at the widest scale of
        the amounts (the currency's minor unit), ``timestamp[us, UTC]`` instants."""
        return arrow_table(self, self.columns, _key)

    def to_pandas(self) -> Any:
        """The rows as a pandas ``DataFrame`` on Arrow types: money columns are exact
        ``decimal128`` (their sums are exact), instants ``timestamp[us, UTC]``."""
        return pandas_frame(self.to_arrow())

    def to_polars(self) -> Any:
        """The rows as a polars ``DataFrame``: ``Decimal`` money, UTC datetimes."""
        return polars_frame(self.to_arrow())
