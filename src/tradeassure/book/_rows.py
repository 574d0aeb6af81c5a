"""A book's rows, kept compact and, past a block's worth, on disk: a column per field in
blocks of rows (amounts as whole minor units and instants as microseconds in typed
arrays, repeated text shared), each full block written to the book's scratch file once
the rows in memory pass ``BLOCK``. A row becomes an ``OrderSummary`` again when it is
asked for, so the memory a book takes stays flat however many orders it has, and a
part's rows travel between processes as its blocks' pickles."""

from __future__ import annotations

import pickle
import tempfile
import threading
import zlib
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import IO, Any, Final, TypeAlias, overload

import attrs

from tradeassure.book._summary import BookError, OrderSummary
from tradeassure.escrow import DisputeReason, OrderStatus, Party
from tradeassure.money import Money, minor_unit

__all__ = ["BLOCK", "Mapped", "RowSequence", "Rows", "joined"]

#: The rows a block holds, and the most rows a book keeps in memory beside the block it
#: is filling: past that its full blocks go to a scratch file (``tempfile``'s directory,
#: ``TMPDIR``), deleted when the rows are.
BLOCK: Final = 32_768

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
_PROTOCOL: Final = 5


def _micros(value: datetime | None) -> int:
    return _NONE if value is None else (value - _EPOCH) // timedelta(microseconds=1)


def _instant(value: int) -> datetime | None:
    return None if value == _NONE else _EPOCH + timedelta(microseconds=value)


def _crc(order_id: str) -> int:
    """A checksum of an order id, the same in every process (``hash`` is not)."""
    return zlib.crc32(order_id.encode("utf-8", "surrogatepass"))


def _build(values: dict[str, Any]) -> OrderSummary:
    # The values were an OrderSummary's, checked when it was built: set them as they are.
    row = object.__new__(OrderSummary)
    for name in _FIELDS:
        object.__setattr__(row, name, values[name])
    return row


class _Block:
    """Some consecutive rows, a column per field (their errors are kept by the
    ``Rows``)."""

    __slots__ = (
        "counts",
        "due",
        "enums",
        "ids",
        "instants",
        "limits",
        "money",
        "odd",
        "shared",
        "sources",
        "text",
    )

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.shared: dict[object, object] = {}
        self.text: dict[str, list[str | None]] = {name: [] for name in _TEXT}
        self.money: dict[str, array[int]] = {name: array("q") for name in _MONEY}
        self.odd: dict[tuple[str, int], Money] = {}  # amounts no array cell can hold
        self.limits: list[Money | None] = []
        self.enums: dict[str, array[int]] = {name: array("b") for name, _ in _ENUMS}
        self.instants: dict[str, array[int]] = {name: array("q") for name in _INSTANTS}
        self.due: list[tuple[str, ...]] = []
        self.counts: dict[str, array[int]] = {"events": array("q"), "late_events": array("q")}
        self.sources: list[str | None] = []

    def __getstate__(self) -> tuple[Any, ...]:
        # What is shared stays shared in one pickle; the table of it is not needed.
        return tuple(getattr(self, name) for name in self.__slots__ if name != "shared")

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.shared = {}
        for name, value in zip(
            (name for name in self.__slots__ if name != "shared"), state, strict=True
        ):
            setattr(self, name, value)

    def __len__(self) -> int:
        return len(self.ids)

    def _share(self, value: Any) -> Any:
        return value if value is None else self.shared.setdefault(value, value)

    def append(self, row: OrderSummary) -> None:
        index = len(self.ids)
        self.ids.append(row.order_id)
        for name in _TEXT:
            self.text[name].append(self._share(getattr(row, name)))
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
                    self.odd[name, index] = amount
            self.money[name].append(cell)
        self.limits.append(self._share(row.limit))
        for name, members in _ENUMS:
            member = getattr(row, name)
            self.enums[name].append(-1 if member is None else members.index(member))
        for name in _INSTANTS:
            self.instants[name].append(_micros(getattr(row, name)))
        self.due.append(self._share(row.due))
        self.counts["events"].append(row.events)
        self.counts["late_events"].append(row.late_events)
        self.sources.append(row.source)

    def row(self, index: int, error: BookError | None) -> OrderSummary:
        values: dict[str, Any] = {"order_id": self.ids[index]}
        for name in _TEXT:
            values[name] = self.text[name][index]
        currency = values["currency"]
        for name in _MONEY:
            cell = self.money[name][index]
            if cell != _NONE:
                values[name] = Money(Decimal(cell).scaleb(-minor_unit(currency)), currency)
            else:
                values[name] = self.odd.get((name, index))
        values["limit"] = self.limits[index]
        for name, members in _ENUMS:
            at = self.enums[name][index]
            values[name] = None if at < 0 else members[at]
        for name in _INSTANTS:
            values[name] = _instant(self.instants[name][index])
        values["due"] = self.due[index]
        values["events"] = self.counts["events"][index]
        values["late_events"] = self.counts["late_events"][index]
        values["source"] = self.sources[index]
        values["error"] = error
        return _build(values)


#: Where a block written to the scratch file is: its offset and size in bytes.
_Span: TypeAlias = tuple[int, int]
#: A full block: in memory, as it is or as its pickle (as it came from another
#: process), or in the scratch file.
_Full: TypeAlias = "_Block | bytes | _Span"


class RowSequence(Sequence[OrderSummary]):
    """A sequence of a book's rows, each made when it is asked for (:meth:`_row`): the
    indexing and slicing every such sequence shares."""

    def _row(self, index: int) -> OrderSummary:
        """The row at ``index``, from 0 to ``len(self) - 1``."""
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> OrderSummary: ...

    @overload
    def __getitem__(self, index: slice) -> list[OrderSummary]: ...

    def __getitem__(self, index: int | slice) -> OrderSummary | list[OrderSummary]:
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("row index out of range")
        return self._row(index)


class Mapped(RowSequence):
    """Another sequence's rows, each passed through ``change`` as it is read, none
    kept."""

    def __init__(
        self, rows: Sequence[OrderSummary], change: Callable[[OrderSummary], OrderSummary]
    ) -> None:
        self._rows, self._change = rows, change

    def __len__(self) -> int:
        return len(self._rows)

    def _row(self, index: int) -> OrderSummary:
        return self._change(self._rows[index])

    def __iter__(self) -> Iterator[OrderSummary]:
        return map(self._change, self._rows)


class Rows(RowSequence):
    """The rows of a book, in order; appended to, never changed but by
    :meth:`replace`. Past ``BLOCK`` rows in memory, full blocks go to a scratch file
    and are read back a block at a time."""

    def __init__(self, rows: Iterable[OrderSummary] = ()) -> None:
        self._blocks: list[_Full] = []  # the full blocks, in order
        self._starts: array[int] = array("q")  # each full block's first row
        self._kept = 0  # rows of full blocks still in memory
        self._open = _Block()  # the block rows are appended to
        self._open_start = 0
        self._crcs: array[int] = array("I")  # every row's order id's checksum
        self._errors: dict[int, BookError] = {}
        self._scratch: IO[bytes] | None = None
        self._lock = threading.Lock()
        self._cached: tuple[int, _Block] | None = None
        for row in rows:
            self.append(row)

    # -- building

    def append(self, row: OrderSummary) -> None:
        """Keep ``row`` as the last one."""
        index = len(self)
        self._crcs.append(_crc(row.order_id))
        self._open.append(row)
        if row.error is not None:
            self._errors[index] = row.error
        if len(self._open) == BLOCK:
            self._seal()

    def extend(self, rows: Iterable[OrderSummary]) -> None:
        for row in rows:
            self.append(row)

    def _seal(self) -> None:
        """The open block made a full one, and a new block opened."""
        if len(self._open):
            self._keep(self._open, self._open_start, len(self._open))
            self._open = _Block()
            self._open_start = len(self)

    def _keep(self, block: _Block | bytes | _Span, start: int, rows: int) -> None:
        """``block`` kept as the full block of ``rows`` rows from row ``start``; the
        blocks in memory written out once they hold more than ``BLOCK`` rows."""
        self._starts.append(start)
        self._blocks.append(block)
        if isinstance(block, tuple):
            return
        self._kept += rows
        if self._kept > BLOCK:
            for k, kept in enumerate(self._blocks):
                if isinstance(kept, _Block):
                    kept = pickle.dumps(kept, _PROTOCOL)
                if isinstance(kept, bytes):
                    self._blocks[k] = self._write(kept)
            self._kept = 0

    def _write(self, data: bytes) -> _Span:
        if self._scratch is None:  # open while the rows are; deleted when they are
            self._scratch = tempfile.TemporaryFile(prefix="tradeassure-book-")  # noqa: SIM115
        with self._lock:
            offset = self._scratch.seek(0, 2)
            self._scratch.write(data)
        return offset, len(data)

    def _pickled(self, k: int) -> bytes:
        """Full block ``k`` as its pickle."""
        block = self._blocks[k]
        if isinstance(block, _Block):
            return pickle.dumps(block, _PROTOCOL)
        if isinstance(block, bytes):
            return block
        assert self._scratch is not None
        offset, size = block
        with self._lock:
            self._scratch.seek(offset)
            return self._scratch.read(size)

    def _block(self, k: int) -> _Block:
        """Full block ``k``, unpickled if it is not in memory as it is (the last one
        unpickled is kept)."""
        block = self._blocks[k]
        if isinstance(block, _Block):
            return block
        cached = self._cached
        if cached is not None and cached[0] == k:
            return cached[1]
        found: _Block = pickle.loads(self._pickled(k))
        self._cached = (k, found)
        return found

    def _size(self, k: int) -> int:
        """The rows of full block ``k``."""
        end = self._starts[k + 1] if k + 1 < len(self._starts) else self._open_start
        return end - self._starts[k]

    def take(self, part: Rows) -> None:
        """Append every row of ``part`` (which is not used after), block by block,
        without building a row or unpickling a block."""
        self._seal()
        base = len(self)
        for k, start in enumerate(part._starts):
            block = part._blocks[k]
            kept = part._pickled(k) if isinstance(block, tuple) else block
            self._keep(kept, base + start, part._size(k))
        if len(part._open):
            self._keep(part._open, base + part._open_start, len(part._open))
        self._crcs.extend(part._crcs)
        self._open_start = len(self)
        self._errors.update({base + i: e for i, e in part._errors.items()})

    def replace(self, index: int, row: OrderSummary) -> None:
        """Put ``row`` in place of the row at ``index`` (the same order: only its error
        may differ)."""
        if row.order_id != self.order_id(index):
            raise ValueError("replace() keeps each row's order")
        if row.error is None:
            self._errors.pop(index, None)
        else:
            self._errors[index] = row.error

    # -- reading

    def _locate(self, index: int) -> tuple[_Block, int]:
        if index >= self._open_start:
            return self._open, index - self._open_start
        k = bisect_right(self._starts, index) - 1
        return self._block(k), index - self._starts[k]

    def order_id(self, index: int) -> str:
        """The order id of the row at ``index``, without building the row."""
        block, at = self._locate(index)
        return block.ids[at]

    def repeats(self) -> list[tuple[int, int]]:
        """Each row whose order an earlier row has, with the first such row, in order.
        The ids' checksums are sorted into buckets, so that no table of every id is
        made, and only the rows whose checksums repeat are read back."""
        buckets: list[array[int]] = [array("I") for _ in range(256)]
        for crc in self._crcs:
            buckets[crc & 255].append(crc)
        repeated: set[int] = set()
        for bucket in buckets:
            if len(set(bucket)) < len(bucket):
                repeated.update(crc for crc, n in Counter(bucket).items() if n > 1)
        del buckets
        first: dict[str, int] = {}
        found: list[tuple[int, int]] = []
        for index, crc in enumerate(self._crcs):
            if crc in repeated:
                earlier = first.setdefault(self.order_id(index), index)
                if earlier != index:
                    found.append((index, earlier))
        return found

    def __len__(self) -> int:
        return len(self._crcs)

    def _row(self, index: int) -> OrderSummary:
        block, at = self._locate(index)
        return block.row(at, self._errors.get(index))

    def __iter__(self) -> Iterator[OrderSummary]:
        errors = self._errors
        for k, start in enumerate(self._starts):
            block = self._block(k)
            for at in range(len(block)):
                yield block.row(at, errors.get(start + at))
        open_block, start = self._open, self._open_start
        for at in range(len(open_block)):
            yield open_block.row(at, errors.get(start + at))

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

    # -- between processes: every block as its pickle, kept so on arrival

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        full = [self._pickled(k) for k in range(len(self._blocks))]
        sizes = [self._size(k) for k in range(len(self._blocks))]
        starts = list(self._starts)
        if len(self._open):
            full.append(pickle.dumps(self._open, _PROTOCOL))
            sizes.append(len(self._open))
            starts.append(self._open_start)
        return _rebuilt, (full, starts, sizes, self._crcs, self._errors)


def _rebuilt(
    full: list[bytes],
    starts: list[int],
    sizes: list[int],
    crcs: array[int],
    errors: dict[int, BookError],
) -> Rows:
    rows = Rows()
    for data, start, size in zip(full, starts, sizes, strict=True):
        rows._keep(data, start, size)
    rows._crcs, rows._errors = crcs, errors
    rows._open_start = len(crcs)
    return rows


def joined(parts: Iterable[Rows]) -> Rows:
    """The rows of every part, in the parts' order, block by block (no row built);
    each part is taken over."""
    out: Rows | None = None
    for part in parts:
        if out is None:
            out = part
        else:
            out.take(part)
    return out if out is not None else Rows()
