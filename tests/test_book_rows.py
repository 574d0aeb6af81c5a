"""The book's rows kept compact and, past ``BLOCK`` rows in memory, on disk: they give
back the summaries they keep, in order, however they were cut into blocks and parts,
across processes too; at most two blocks' worth stay in memory; and an order's rows
after its first are found whatever the ids' checksums."""

from __future__ import annotations

import itertools
import pickle
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradeassure.book import BookError, OrderSummary, _rows
from tradeassure.book import _engines as engines
from tradeassure.book._rows import Rows, joined
from tradeassure.money import Money
from value_examples.book import EXAMPLES

KEPT = [e for e in EXAMPLES if isinstance(e, OrderSummary)]
ODD = attrs.evolve(KEPT[0], covered=Money("0.001", "USD"), held=Money("999999999999999", "JPY"))
FAILED = BookError(None, "$: not valid JSON", 1, "book.jsonl:9")


@st.composite
def summaries(draw: st.DrawFn) -> OrderSummary:
    """A kept example under one of a few ids (so that some repeat), with or without an
    error."""
    row = draw(st.sampled_from([*KEPT, ODD]))
    order_id = draw(st.sampled_from(["PO-1", "PO-2", "PO-3", "PO-4", "PO-5", "PO-6"]))
    error = draw(st.sampled_from([row.error, None, FAILED]))
    return attrs.evolve(row, order_id=order_id, error=error)


def _in_memory(rows: Rows) -> int:
    """The rows a Rows holds in memory (its full blocks not written out, and the open
    one)."""
    kept = sum(rows._size(k) for k, b in enumerate(rows._blocks) if not isinstance(b, tuple))
    return kept + len(rows._open)


def _repeats(made: list[OrderSummary]) -> list[tuple[int, int]]:
    first: dict[str, int] = {}
    return [
        (i, first[row.order_id])
        for i, row in enumerate(made)
        if first.setdefault(row.order_id, i) != i
    ]


@given(
    made=st.lists(summaries(), max_size=40),
    block=st.integers(1, 7),
    cuts=st.lists(st.integers(0, 40), max_size=4),
    travelled=st.booleans(),
)
def test_rows_cut_into_blocks_and_parts_give_back_what_they_keep(
    made: list[OrderSummary], block: int, cuts: list[int], travelled: bool
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_rows, "BLOCK", block)
        bounds = [0, *sorted(min(c, len(made)) for c in cuts), len(made)]
        parts = [Rows(made[a:b]) for a, b in itertools.pairwise(bounds)]
        assert all(_in_memory(part) <= 2 * block for part in parts)
        if travelled:  # as from another process: the blocks as pickles
            parts = [pickle.loads(pickle.dumps(part)) for part in parts]
        rows = joined(parts)
        assert _in_memory(rows) <= 2 * block
        assert list(rows) == made
        assert [rows[i] for i in range(len(made))] == made
        assert [rows[-i] for i in range(1, len(made) + 1)] == made[::-1]
        assert rows[1::2] == made[1::2]
        assert rows.with_errors() == [r for r in made if r.error is not None]
        assert rows.repeats() == _repeats(made)
        assert list(pickle.loads(pickle.dumps(rows))) == made
        rows.append(made[0] if made else KEPT[0])
        assert list(rows) == [*made, made[0] if made else KEPT[0]]


def test_rows_past_a_block_in_memory_go_to_the_scratch_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_rows, "BLOCK", 2)
    made = [attrs.evolve(KEPT[0], order_id=f"PO-{n}") for n in range(9)]
    few = Rows(made[:3])
    assert few._scratch is None  # one full block and the open one: all in memory
    many = Rows(made)
    assert many._scratch is not None
    assert _in_memory(many) <= 4
    assert list(many) == made
    assert many[0] == made[0]  # read back from the file
    again = pickle.loads(pickle.dumps(many))
    assert list(again) == made


def test_repeated_checksums_are_told_apart_by_the_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_rows, "_crc", lambda order_id: 7)  # every id's checksum the same
    made = [attrs.evolve(KEPT[0], order_id=f"PO-{n % 3}") for n in range(7)]
    assert Rows(made).repeats() == _repeats(made) == [(3, 0), (4, 1), (5, 2), (6, 0)]


def test_rows_without_a_repeat_have_none() -> None:
    made = [attrs.evolve(KEPT[0], order_id=f"PO-{n}") for n in range(300)]
    assert Rows(made).repeats() == []


def test_replace_keeps_each_rows_order() -> None:
    rows = Rows(KEPT[:2])
    rows.replace(0, attrs.evolve(KEPT[0], error=FAILED))
    assert rows[0].error == FAILED
    with pytest.raises(ValueError, match="keeps each row's order"):
        rows.replace(0, attrs.evolve(KEPT[0], order_id="PO-elsewhere"))


def test_tasks_are_given_out_only_a_few_ahead_of_the_results_taken() -> None:
    given_out: list[int] = []

    class Done:
        def __init__(self, value: int) -> None:
            self.value = value

        def result(self) -> int:
            return self.value

    def submit(task: int) -> Done:
        given_out.append(task)
        return Done(task)

    endless: Iterator[int] = itertools.count()
    results: Iterator[Any] = engines._in_order(submit, endless, 2)  # type: ignore[arg-type]
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    assert len(given_out) == 2 * engines.AHEAD_A_WORKER + 2
