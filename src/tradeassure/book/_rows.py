"""A book's rows, kept compact: a column per field, amounts as whole minor units and
instants as microseconds in typed arrays, repeated text shared. A row becomes an
``OrderSummary`` again when it is asked for, so a million rows fit in a few hundred MB
instead of a few GB, and a part's rows travel between processes as a few arrays."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Final, overload

import attrs

from tradeassure.book._summary import BookError, OrderSummary
from tradeassure.escrow import DisputeReason, OrderStatus, Party
from tradeassure.money import Money, minor_unit

__all__ = ["Rows"]

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_NONE: Final = -(2**63)  # an empty cell of an array of integers
_MONEY: Final = ("total", "paid", "held", "released", "refunded", "covered")
_TEXT: Final = ("buyer", "supplier", "currency", "next_rule", "dispute_stage")
_ENUMS: Final = (
    ("status", tuple(OrderStatus)),
    ("next_party", tuple(Party)),
    ("dispute_reason", tuple(DisputeReason)),
)
_INSTANTS: Final = ("next_deadline", "held_since")
_FIELDS: Final = tuple(f.name for f in attrs.fields(OrderSummary))


def _micros(value: datetime | None) -> int:
    return _NONE if value is None else (value - _EPOCH) // timedelta(microseconds=1)


def _instant(value: int) -> datetime | None:
    return None if value == _NONE else _EPOCH + timedelta(microseconds=value)


def _build(values: dict[str, Any]) -> OrderSummary:
    # The values were an OrderSummary's, checked when it was built: set them as they are.
    row = object.__new__(OrderSummary)
    for name in _FIELDS:
        object.__setattr__(row, name, values[name])
    return row


class Rows(Sequence[OrderSummary]):
    """The rows of a book, in order; appended to, never changed but by
    :meth:`replace`."""

    def __init__(self, rows: Iterable[OrderSummary] = ()) -> None:
        self._ids: list[str] = []
        self._shared: dict[object, object] = {}
        self._text: dict[str, list[str | None]] = {name: [] for name in _TEXT}
        self._money: dict[str, array[int]] = {name: array("q") for name in _MONEY}
        self._odd: dict[tuple[str, int], Money] = {}  # amounts no array cell can hold
        self._limits: list[Money | None] = []
        self._enums: dict[str, array[int]] = {name: array("b") for name, _ in _ENUMS}
        self._instants: dict[str, array[int]] = {name: array("q") for name in _INSTANTS}
        self._due: list[tuple[str, ...]] = []
        self._counts: dict[str, array[int]] = {"events": array("q"), "late_events": array("q")}
        self._sources: list[str | None] = []
        self._errors: dict[int, BookError] = {}
        for row in rows:
            self.append(row)

    def _share(self, value: Any) -> Any:
        return value if value is None else self._shared.setdefault(value, value)

    def append(self, row: OrderSummary) -> None:
        """Keep ``row`` as the last one."""
        index = len(self._ids)
        self._ids.append(row.order_id)
        for name in _TEXT:
            self._text[name].append(self._share(getattr(row, name)))
        for name in _MONEY:
            amount: Money | None = getattr(row, name)
            cell = _NONE
            if amount is not None:
                scaled = amount.amount.scaleb(minor_unit(amount.currency))
                if (
                    amount.currency == row.currency
                    and scaled == scaled.to_integral_value()
                    and abs(scaled) < 2**62
                ):
                    cell = int(scaled)
                else:  # another currency than the row's, or not whole minor units
                    self._odd[name, index] = amount
            self._money[name].append(cell)
        self._limits.append(self._share(row.limit))
        for name, members in _ENUMS:
            member = getattr(row, name)
            self._enums[name].append(-1 if member is None else members.index(member))
        for name in _INSTANTS:
            self._instants[name].append(_micros(getattr(row, name)))
        self._due.append(self._share(row.due))
        self._counts["events"].append(row.events)
        self._counts["late_events"].append(row.late_events)
        self._sources.append(row.source)
        if row.error is not None:
            self._errors[index] = row.error

    def extend(self, rows: Iterable[OrderSummary]) -> None:
        for row in rows:
            self.append(row)

    def replace(self, index: int, row: OrderSummary) -> None:
        """Put ``row`` in place of the row at ``index`` (the same order: only its error
        may differ)."""
        if row.order_id != self._ids[index]:
            raise ValueError("replace() keeps each row's order")
        if row.error is None:
            self._errors.pop(index, None)
        else:
            self._errors[index] = row.error

    def order_ids(self) -> list[str]:
        """Every row's order id, in order, without building the rows."""
        return self._ids

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> OrderSummary: ...

    @overload
    def __getitem__(self, index: slice) -> list[OrderSummary]: ...

    def __getitem__(self, index: int | slice) -> OrderSummary | list[OrderSummary]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("row index out of range")
        values: dict[str, Any] = {"order_id": self._ids[index]}
        for name in _TEXT:
            values[name] = self._text[name][index]
        currency = values["currency"]
        for name in _MONEY:
            cell = self._money[name][index]
            if cell != _NONE:
                values[name] = Money(Decimal(cell).scaleb(-minor_unit(currency)), currency)
            else:
                values[name] = self._odd.get((name, index))
        values["limit"] = self._limits[index]
        for name, members in _ENUMS:
            at = self._enums[name][index]
            values[name] = None if at < 0 else members[at]
        for name in _INSTANTS:
            values[name] = _instant(self._instants[name][index])
        values["due"] = self._due[index]
        values["events"] = self._counts["events"][index]
        values["late_events"] = self._counts["late_events"][index]
        values["source"] = self._sources[index]
        values["error"] = self._errors.get(index)
        return _build(values)

    def __iter__(self) -> Iterator[OrderSummary]:
        for index in range(len(self)):
            yield self[index]

    def with_errors(self) -> list[OrderSummary]:
        """The rows that carry an error, in order."""
        return [self[i] for i in sorted(self._errors)]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{len(self):,} rows>"


def concatenate(parts: Sequence[Rows]) -> Rows:
    """The rows of every part, in the parts' order, column by column (no row built)."""
    if len(parts) == 1:
        return parts[0]
    out = Rows()
    for part in parts:
        offset = len(out._ids)
        out._ids += part._ids
        for name in _TEXT:
            out._text[name] += [out._share(value) for value in part._text[name]]
        for name in _MONEY:
            out._money[name] += part._money[name]
        out._odd.update({(name, i + offset): m for (name, i), m in part._odd.items()})
        out._limits += [out._share(value) for value in part._limits]
        for name, _ in _ENUMS:
            out._enums[name] += part._enums[name]
        for name in _INSTANTS:
            out._instants[name] += part._instants[name]
        out._due += [out._share(value) for value in part._due]
        for name in out._counts:
            out._counts[name] += part._counts[name]
        out._sources += part._sources
        out._errors.update({i + offset: e for i, e in part._errors.items()})
    return out
