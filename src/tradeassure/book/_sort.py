"""Sorting a book: the lines of JSON-lines files (plain or gzip) written again with each
order's events together, for a book whose orders' events are interleaved (a log in time
order). SQLite sorts them, on disk, so a book of any size sorts in a few MB of memory."""

from __future__ import annotations

import gzip
import os
import secrets
import sqlite3
import tempfile
import zlib
from collections.abc import Iterator
from typing import Final, final

import attrs

from tradeassure._checks import count_field
from tradeassure.book._read import Part, _order_of, raw_lines
from tradeassure.errors import InvalidInput

__all__ = ["Sorted", "sort_book"]

#: Lines written to SQLite at a time.
_BATCH: Final = 10_000


@final
@attrs.frozen
class Sorted:
    """What :func:`sort_book` wrote.

    Attributes:
        lines: the lines written (blank lines are left out).
        orders: the orders they name.
    """

    lines: int = attrs.field(validator=count_field)
    orders: int = attrs.field(validator=count_field)


def _raw_lines(path: str) -> Iterator[bytes]:
    """The non-blank lines of a file as they are (:func:`raw_lines`), bytes that are not
    UTF-8 kept, for the book to report."""
    try:
        for _, line in raw_lines(Part(path)):
            if line.strip():
                yield line
    except (OSError, EOFError, zlib.error) as error:  # a gzip file cut short, say
        raise InvalidInput(f"cannot read the book file {path}: {error}") from None


def _keyed(paths: list[str]) -> Iterator[tuple[str, bytes]]:
    """Every non-blank line of the files, in order, with the order it belongs to: the
    one it names, or, for a line naming none (malformed), the line's before it, as the
    book reads it."""
    order = ""
    for path in paths:
        for line in _raw_lines(path):
            order = _order_of(line.decode("utf-8", "replace")) or order
            yield order, line


def sort_book(
    source: str | os.PathLike[str] | list[str] | tuple[str, ...], out: str | os.PathLike[str]
) -> Sorted:
    """Write the lines of ``source`` (a JSON-lines file, plain or ``.gz``, or a list of
    them) to ``out`` (gzip if it ends in ``.gz``) with each order's events together,
    orders by id and each order's lines in the order they were read, ready for
    :func:`summarize`. A line naming no order stays with the line before it. ``out``
    appears whole or not at all; it may not be one of the sources."""
    given = list(source) if isinstance(source, list | tuple) else [source]
    if not given or not all(isinstance(p, str | os.PathLike) for p in [*given, out]):
        raise InvalidInput(
            "sort_book needs a book file's path or a list of them, and a path to write, "
            f"got {source!r} and {out!r}"
        )
    paths = [os.fspath(p) for p in given]
    target = os.fspath(out)
    missing = [p for p in paths if not os.path.isfile(p)]
    if missing:
        raise InvalidInput(f"no such book file: {', '.join(missing)}")
    if any(os.path.exists(target) and os.path.samefile(p, target) for p in paths):
        raise InvalidInput(f"the sorted book {target} is one of the files sorted: name another")
    directory = os.path.dirname(os.path.abspath(target))
    with tempfile.TemporaryDirectory(prefix="tradeassure-sort-") as scratch:
        db = sqlite3.connect(os.path.join(scratch, "lines.sqlite"))
        try:
            db.executescript(
                "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE;"
                "CREATE TABLE line (seq INTEGER PRIMARY KEY, order_id TEXT, body BLOB);"
            )
            batch: list[tuple[str, bytes]] = []
            for keyed in _keyed(paths):
                batch.append(keyed)
                if len(batch) == _BATCH:
                    db.executemany("INSERT INTO line (order_id, body) VALUES (?, ?)", batch)
                    batch = []
            db.executemany("INSERT INTO line (order_id, body) VALUES (?, ?)", batch)
            (orders,) = db.execute("SELECT COUNT(DISTINCT order_id) FROM line").fetchone()
            # A file of its own beside the target, made as open() makes one (the umask's
            # mode, not mkstemp's 0600), then renamed over the target.
            written = os.path.join(directory, f".tradeassure-sort-{secrets.token_hex(8)}")
            os.close(os.open(written, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            try:
                lines = _write(db, written, gzip_it=target.endswith(".gz"))
                os.replace(written, target)
            except BaseException:
                os.unlink(written)
                raise
        finally:
            db.close()
    return Sorted(lines, orders)


def _write(db: sqlite3.Connection, path: str, *, gzip_it: bool) -> int:
    """The lines in order of (order id, line read) written to ``path``."""
    opener = gzip.open if gzip_it else open
    count = 0
    with opener(path, "wb") as file:
        for (body,) in db.execute("SELECT body FROM line ORDER BY order_id, seq"):
            file.write(body + b"\n")
            count += 1
    return count
