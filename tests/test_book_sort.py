"""Sorting a book (tradeassure.book.sort_book, ``tradeassure sort``): a log whose
orders' events are interleaved becomes a book with each order's events together, whose
rows are the rows of the same orders written order by order; what the book cannot read
stays with the line before it, byte for byte; the sorted file appears whole or not at
all."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_book import AS_OF, BOOK
from tradeassure.book import OrderSummary, Sorted, _sort, sort_book, summarize
from tradeassure.cli import main
from tradeassure.errors import InvalidInput
from tradeassure.serialization import events_to_json_lines

LINES = [events_to_json_lines(history).splitlines() for history in BOOK]


def _placeless(rows: object) -> list[OrderSummary]:
    return [attrs.evolve(row, source=None) for row in rows]  # type: ignore[attr-defined]


def _interleaved(turns: list[int]) -> str:
    """The book's lines, the orders taking turns as ``turns`` says (each order's lines
    in their order)."""
    taken = [0] * len(LINES)
    out = []
    for order in turns:
        out.append(LINES[order][taken[order]])
        taken[order] += 1
    return "\n".join(out) + "\n"


ALL_TURNS = [order for order, lines in enumerate(LINES) for _ in lines]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=25)
@given(turns=st.permutations(ALL_TURNS))
def test_an_interleaved_log_sorted_is_the_book_written_order_by_order(
    tmp_path: Path, turns: list[int]
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(_interleaved(turns), encoding="utf-8")
    done = sort_book(log, tmp_path / "sorted.jsonl")
    assert done == Sorted(lines=len(ALL_TURNS), orders=len(BOOK))
    grouped = tmp_path / "grouped.jsonl"
    grouped.write_text(_interleaved(sorted(ALL_TURNS)), encoding="utf-8")
    book = summarize(str(tmp_path / "sorted.jsonl"), as_of=AS_OF)
    assert not book.errors
    assert _placeless(book.orders) == _placeless(summarize(str(grouped), as_of=AS_OF).orders)


def test_unreadable_lines_stay_with_the_line_before_them_byte_for_byte(tmp_path: Path) -> None:
    first, second = LINES[0], LINES[1]
    log = tmp_path / "log.jsonl"
    log.write_bytes(
        b"\xef\xbb\xbf"
        + "\n".join([second[0], first[0], "{not json", second[1], "  "]).encode()
        + b"\n\xff\xfe broken\r\n"
        + "\n".join([*first[1:], *second[2:]]).encode()
        + b"\n"
    )
    out = tmp_path / "sorted.jsonl.gz"
    sort_book([str(log)], out)
    written = gzip.decompress(out.read_bytes()).split(b"\n")
    assert written[:3] == [first[0].encode(), b"{not json", first[1].encode()]
    assert b"\xff\xfe broken" in written  # after PO-1's second line, as read
    at = written.index(b"\xff\xfe broken")
    assert written[at - 1] == second[1].encode()
    book = summarize(str(out), as_of=AS_OF)
    assert [(row.order_id, row.error is not None) for row in book.orders] == [
        ("PO-0", True),
        ("PO-1", True),
    ]
    messages = [row.error.message for row in book.orders if row.error is not None]
    assert messages[0].startswith("$: not valid JSON")
    assert messages[1] == "$: not UTF-8 text"


def test_the_sorted_book_is_made_as_any_new_file_is(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(_interleaved(ALL_TURNS), encoding="utf-8")
    sort_book(log, tmp_path / "sorted.jsonl")
    assert (tmp_path / "sorted.jsonl").stat().st_mode == log.stat().st_mode


def test_the_sorted_book_may_not_be_a_source_nor_a_missing_file(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(_interleaved(ALL_TURNS), encoding="utf-8")
    with pytest.raises(InvalidInput, match="is one of the files sorted"):
        sort_book(log, log)
    with pytest.raises(InvalidInput, match="no such book file"):
        sort_book(tmp_path / "absent.jsonl", tmp_path / "out.jsonl")
    assert log.read_text(encoding="utf-8") == _interleaved(ALL_TURNS)
    with pytest.raises(InvalidInput, match="needs a book file's path"):
        sort_book([], tmp_path / "out.jsonl")
    with pytest.raises(InvalidInput, match="needs a book file's path"):
        sort_book([log, 7], tmp_path / "out.jsonl")  # type: ignore[list-item]
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress(_interleaved(ALL_TURNS).encode())[:-20])
    with pytest.raises(InvalidInput, match=f"cannot read the book file {cut}"):
        sort_book((str(cut),), tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_a_sort_that_fails_leaves_no_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(_interleaved(ALL_TURNS), encoding="utf-8")
    out = tmp_path / "sorted.jsonl"
    out.write_text("the book before\n", encoding="utf-8")

    def broken(db: object, path: str, *, gzip_it: bool) -> int:
        Path(path).write_text("half a book", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(_sort, "_write", broken)
    with pytest.raises(OSError, match="disk full"):
        sort_book(log, out)
    assert out.read_text(encoding="utf-8") == "the book before\n"
    assert sorted(os.listdir(tmp_path)) == ["log.jsonl", "sorted.jsonl"]


def test_the_sort_command_says_what_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(_interleaved(ALL_TURNS), encoding="utf-8")
    out = tmp_path / "sorted.jsonl"
    assert main(["sort", str(log), "-o", str(out)]) == 0
    lines, orders = len(ALL_TURNS), len(BOOK)
    assert capsys.readouterr().out == f"sorted {lines} lines of {orders} orders into {out}\n"
    assert main(["sort", str(log), "--output", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "lines": lines,
        "orders": orders,
        "output": str(out),
    }
    assert main(["sort", str(tmp_path / "absent.jsonl"), "-o", str(out)]) == 2
    assert "cannot read" in capsys.readouterr().err
