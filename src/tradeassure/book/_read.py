"""Reading a book: envelopes from JSON-lines files (plain or gzip), or from an iterable
of envelopes as dicts, grouped into each order's history; and the parts of a plain file
that hold whole orders, for the engines that read a book in parallel."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from itertools import pairwise
from typing import Any, Final, TypeAlias

import attrs

from tradeassure.book._summary import BookError
from tradeassure.errors import InvalidInput, InvalidJSON
from tradeassure.escrow import Event
from tradeassure.serialization import Envelope, envelope_from_json, from_dict

__all__ = ["Group", "Part", "groups", "parts", "raw_lines", "read_items", "read_part"]

#: One read event of an order with where it was read (``FILE:LINE`` or ``item N``), or
#: the error that stood in its place.
Item: TypeAlias = tuple[Event | BookError, str | None]


@attrs.frozen
class Group:
    """One order's consecutive events, as read."""

    order_id: str
    items: list[Item]


@attrs.frozen
class Part:
    """A part of a book to read on its own: the bytes ``[start, end)`` of a plain file,
    which hold whole orders, or a whole file (gzip, or a file not cut); ``lines_before``
    the file's lines before ``start``, so its lines are numbered as in the file."""

    path: str
    start: int = 0
    end: int | None = None
    lines_before: int = 0


def _problems(error: InvalidJSON) -> str:
    return "; ".join(f"{path}: {message}" for path, message in error.problems)


def _order_of(line: str) -> str | None:
    """The order a line names, read leniently (the line may be malformed): None unless
    it is text that names one (and that UTF-8 can write)."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return None
    order_id = data.get("order_id") if isinstance(data, dict) else None
    return order_id if _named(order_id) else None


def _named(order_id: object) -> bool:
    if not isinstance(order_id, str) or not order_id.strip():
        return False
    try:
        order_id.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(path: str) -> str:
    """A path as text a row can hold: undecodable bytes of a file name escaped."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _record(line: str, where: str) -> tuple[str | None, Event | BookError]:
    """The order a line names and its event, or the error it makes."""
    try:
        return envelope_from_json(line)
    except InvalidJSON as error:
        return _order_of(line), BookError(None, _problems(error), 0, where)
    except InvalidInput as error:
        return _order_of(line), BookError(None, str(error), 0, where)


def raw_lines(part: Part) -> Iterator[tuple[int, bytes]]:
    """The part's lines as bytes (number within the part, counting from 1, and the line
    without its line break), read as a stream; a byte-order mark at the start of a file
    left out."""
    opener = gzip.open if part.path.endswith(".gz") else open
    with opener(part.path, "rb") as raw:
        if part.start:
            raw.seek(part.start)
        left = None if part.end is None else part.end - part.start
        for number, line in enumerate(raw, start=1):
            if left is not None:
                if left <= 0:
                    return
                left -= len(line)
            if number == 1 and part.start == 0 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            yield number, line.rstrip(b"\r\n")


def _lines(part: Part) -> Iterator[tuple[int, str, bool]]:
    """The part's lines (:func:`raw_lines`) as text, and whether each was UTF-8:
    otherwise the text has the bad bytes replaced, to find the order it names; blank
    lines skipped."""
    for number, line in raw_lines(part):
        try:
            text, utf8 = line.decode("utf-8"), True
        except UnicodeDecodeError:
            text, utf8 = line.decode("utf-8", "replace"), False
        if text.strip():
            yield number, text, utf8


def read_part(part: Part) -> Iterator[tuple[str | None, Event | BookError, str]]:
    """Every line of a part as the order it names, its event (or error) and where it
    is (``FILE:LINE``)."""
    shown = _shown(part.path)
    for number, line, utf8 in _lines(part):
        where = f"{shown}:{part.lines_before + number}"
        if not utf8:  # its order as the cuts between parts read it, so engines agree
            yield _order_of(line), BookError(None, "$: not UTF-8 text", 0, where), where
            continue
        order_id, item = _record(line, where)
        yield order_id, item, where


def read_items(
    items: Iterable[Mapping[str, Any] | Envelope],
) -> Iterator[tuple[str | None, Event | BookError, str]]:
    """Every envelope of an iterable (dicts as ``serialization.to_dict`` writes them,
    or ``Envelope`` values) as its order, its event (or error) and ``item N``."""
    for number, item in enumerate(items, start=1):
        where = f"item {number}"
        if isinstance(item, Envelope):
            yield item.order_id, item.event, where
            continue
        try:
            envelope = from_dict(item, Envelope)
        except InvalidJSON as error:
            order_id = item.get("order_id") if isinstance(item, Mapping) else None
            named = order_id if _named(order_id) else None
            yield named, BookError(None, _problems(error), 0, where), where
            continue
        yield envelope.order_id, envelope.event, where


def groups(records: Iterable[tuple[str | None, Event | BookError, str]]) -> Iterator[Group]:
    """The records' orders, each order's consecutive events together. A record naming
    no order (unreadable) belongs to the order around it, or starts one named by where
    it is. (An order whose events come again after another order's makes a second
    group: the book marks it, since only the whole book can tell.)"""
    current: Group | None = None
    for order_id, item, where in records:
        if current is not None and (order_id is None or order_id == current.order_id):
            current.items.append((item, where))
            continue
        if current is not None:
            yield current
        current = Group(order_id if order_id is not None else f"?{where}", [(item, where)])
    if current is not None:
        yield current


#: How far past a cut a part's end is moved to find the first line of the next order.
_SCAN: Final = 1 << 16


def parts(path: str, count: int) -> list[Part]:
    """``path`` cut into at most ``count`` parts of whole orders: each cut moved to the
    start of the first line whose order differs from the line before it. A gzip file,
    or one too small to cut, is one part."""
    size = os.path.getsize(path)
    if path.endswith(".gz") or count <= 1 or size < count * _SCAN:
        return [Part(path)]
    cuts = [0]
    with open(path, "rb") as file:
        for k in range(1, count):
            cut = _order_start(file, k * size // count)
            if cut is not None and cut > cuts[-1]:
                cuts.append(cut)
    cuts.append(size)
    found: list[Part] = []
    lines = 0
    with open(path, "rb") as file:
        for start, end in pairwise(cuts):
            if end > start:
                found.append(Part(path, start, end, lines))
            lines += _newlines(file, start, end)
    return found


def _newlines(file: Any, start: int, end: int) -> int:
    """The line breaks in bytes ``[start, end)`` of ``file``."""
    file.seek(start)
    count = 0
    left = end - start
    while left > 0:
        chunk = file.read(min(left, 1 << 20))
        if not chunk:
            break
        count += chunk.count(b"\n")
        left -= len(chunk)
    return count


def _order_start(file: Any, offset: int) -> int | None:
    """The offset of the first line at or after ``offset``'s next line whose order is
    not its predecessor's; None if there is none before the end."""
    file.seek(offset)
    file.readline()  # the rest of a line cut in the middle
    previous: str | None = None
    while True:
        start = file.tell()
        line = file.readline()
        if not line:
            return None
        order_id = _order_of(line.decode("utf-8", errors="replace"))
        if previous is not None and order_id is not None and order_id != previous:
            return int(start)
        if order_id is not None:
            previous = order_id
