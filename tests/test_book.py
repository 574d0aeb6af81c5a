"""The book (tradeassure.book): one row per order from files, gzip files or envelopes;
errors that stop an order's row but never the book; the sums; and the same book on every
engine."""

from __future__ import annotations

import gzip
import itertools
import json
from datetime import UTC, datetime, timedelta, timezone
from importlib.resources import files
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from escrow_builders import at, money_of, placed, usd
from tradeassure.book import AGES, Book, sample, summarize
from tradeassure.book import _read as book_read
from tradeassure.book._book import Totals, totals_of
from tradeassure.errors import InvalidInput
from tradeassure.escrow import (
    DEFAULT_ESCROW,
    ContractConfirmed,
    DisputeOpened,
    DisputeReason,
    Event,
    OrderStatus,
    Party,
    PaymentMethod,
    PaymentReceived,
    ReceiptConfirmed,
    Shipped,
    replay,
)
from tradeassure.money import Money
from tradeassure.serialization import Envelope, events_to_json_lines, to_dict

AS_OF = at(30)


def _history(n: int, *, supplier: str = "Shenzhen Parts Co", path: str = "held") -> list[Event]:
    """Order PO-n: placed, confirmed, paid in full on day 1 (and more by path)."""
    order_id = f"PO-{n}"
    events: list[Event] = [
        placed(order_id=order_id, supplier=supplier, total=usd(1_000 * (n + 1))),
        ContractConfirmed(at=at(hours=2), by=Party.BUYER),
        PaymentReceived(at=at(1), amount=usd(1_000 * (n + 1)), method=PaymentMethod.TT),
    ]
    if path in ("shipped", "disputed", "received"):
        events.append(Shipped(at=at(10), value=usd(1_000 * (n + 1)), final=True))
    if path == "disputed":
        events.append(
            DisputeOpened(
                at=at(12), reason=DisputeReason.DAMAGED, claim=usd(100), evidence=("a.jpg",)
            )
        )
    if path == "received":
        events.append(ReceiptConfirmed(at=at(15)))
    return events


PATHS = ["held", "shipped", "disputed", "received", "held", "shipped"]
BOOK: list[list[Event]] = [
    _history(n, supplier=f"Supplier {n % 2}", path=p) for n, p in enumerate(PATHS)
]


def _lines(book: list[list[Event]] = BOOK) -> str:
    return "".join(events_to_json_lines(h) for h in book)


def _file(tmp_path: Path, text: str, name: str = "book.jsonl") -> Path:
    path = tmp_path / name
    if name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode(), mtime=0))
    else:
        path.write_text(text, encoding="utf-8")
    return path


# -- one row per order ------------------------------------------------------------------------


def test_each_order_is_a_row_with_its_state_and_money() -> None:
    book = summarize([to_dict(e) if i == 0 else to_dict(e, order_id=h[0].order_id)  # type: ignore[attr-defined]
                      for h in BOOK for i, e in enumerate(h)], as_of=AS_OF)  # fmt: skip
    assert [r.order_id for r in book.orders] == [f"PO-{n}" for n in range(len(PATHS))]
    for row, history in zip(book.orders, BOOK, strict=True):
        order = replay(history)
        assert row.status is order.status
        assert money_of(row) == money_of(order)
        assert row.events == len(history)
        assert row.error is None
    assert book.orders[3].status is OrderStatus.COMPLETED
    assert book.orders[2].dispute_reason is DisputeReason.DAMAGED
    assert book.orders[2].dispute_stage == "with the supplier"
    assert book.errors == ()


def test_a_file_a_gzip_file_and_envelopes_give_the_same_book(tmp_path: Path) -> None:
    text = _lines()
    plain = summarize(_file(tmp_path, text), as_of=AS_OF)
    zipped = summarize(str(_file(tmp_path, text, "book.jsonl.gz")), as_of=AS_OF)
    values = summarize(
        [Envelope(h[0].order_id, e) for h in BOOK for e in h],  # type: ignore[attr-defined]
        as_of=AS_OF,
    )
    assert [r.order_id for r in plain] == [r.order_id for r in values]
    strip = [attrs.evolve(r, source=None) for r in plain.orders]
    assert strip == [attrs.evolve(r, source=None) for r in zipped.orders]
    assert strip == [attrs.evolve(r, source=None) for r in values.orders]
    assert plain.orders[0].source == f"{tmp_path / 'book.jsonl'}:1"
    assert values.orders[1].source == "item 4"


def test_two_files_are_one_book(tmp_path: Path) -> None:
    first = _file(tmp_path, _lines(BOOK[:2]), "a.jsonl")
    second = _file(tmp_path, _lines(BOOK[2:]), "b.jsonl")
    book = summarize([str(first), str(second)], as_of=AS_OF)
    assert len(book.orders) == len(BOOK)
    assert book.orders[2].source == f"{second}:1"


# -- errors stop an order, never the book -----------------------------------------------------


def test_a_refused_event_ends_its_orders_row_and_the_book_goes_on(tmp_path: Path) -> None:
    early = ReceiptConfirmed(at=at(2))  # nothing shipped yet: ESC-RELEASE
    bad = [*BOOK[0][:3], early, Shipped(at=at(10), value=usd(1_000), final=True)]
    book = summarize(_file(tmp_path, _lines([bad, *BOOK[1:]])), as_of=AS_OF)
    row = book.orders[0]
    assert row.error is not None
    assert row.error.rule == "ESC-RELEASE"
    assert row.error.position == 4
    assert row.error.where == f"{tmp_path / 'book.jsonl'}:4"
    assert row.late_events == 1
    assert row.status is OrderStatus.FUNDS_HELD  # as it stood before the refusal
    assert book.errors == (row,)
    assert len(book.orders) == len(BOOK)
    # PO-2 (disputed, 3,000) and PO-4 (5,000); PO-0's row carries an error, so no sum has it
    assert book.held_by_supplier["Supplier 0", "USD"] == usd(8_000)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: "not json at all {", "$"),
        (lambda d: json.dumps({**d, "type": "Teleported"}), "$.type"),
        (
            lambda d: json.dumps(
                {**d, "event": {**d["event"], "amount": {"amount": 10.5, "currency": "USD"}}}
            ),
            "$.event.amount.amount",
        ),
        (
            lambda d: json.dumps({**d, "event": {**d["event"], "at": "2025-09-02T09:00:00"}}),
            "$.event.at",
        ),
    ],
    ids=["not-json", "unknown-type", "float-amount", "naive-instant"],
)
def test_a_malformed_line_ends_its_orders_row_naming_the_line_and_path(
    tmp_path: Path, change: object, path: str
) -> None:
    lines = _lines().splitlines()
    lines[2] = change(json.loads(lines[2]))  # type: ignore[operator]
    book = summarize(_file(tmp_path, "\n".join(lines) + "\n"), as_of=AS_OF)
    row = book.orders[0]
    assert row.order_id == "PO-0"
    assert row.error is not None
    assert row.error.rule is None
    assert row.error.where == f"{tmp_path / 'book.jsonl'}:3"
    assert path in row.error.message
    assert row.error.position == 3
    assert len(book.orders) == len(BOOK)
    assert [r.order_id for r in book.errors] == ["PO-0"]


def test_a_line_that_is_not_utf8_is_an_error_row(tmp_path: Path) -> None:
    path = tmp_path / "book.jsonl"
    lines = _lines().encode().splitlines()
    lines[1] = b"\xff\xfe not text"
    path.write_bytes(b"\n".join(lines) + b"\n")
    row = summarize(path, as_of=AS_OF).orders[0]
    assert row.error is not None
    assert "not UTF-8" in row.error.message
    assert row.late_events == len(BOOK[0]) - 2


def test_an_order_whose_events_come_again_later_gets_a_second_row_saying_so(
    tmp_path: Path,
) -> None:
    lines = _lines(BOOK[:2]).splitlines()
    # PO-0's last event moved after PO-1's events: the book is not grouped by order.
    text = "\n".join([*lines[:2], *lines[3:], lines[2]]) + "\n"
    book = summarize(_file(tmp_path, text), as_of=AS_OF)
    assert [r.order_id for r in book.orders] == ["PO-0", "PO-1", "PO-0"]
    stray = book.orders[2]
    assert stray.error is not None
    assert "come again after other orders'" in stray.error.message
    assert f"{tmp_path / 'book.jsonl'}:1" in stray.error.message
    assert book.orders[0].error is None


def test_an_order_written_twice_is_summed_once(tmp_path: Path) -> None:
    # The second copy replays as well as the first, so its part counts it; once the
    # whole book shows it a stray, the sums leave it out again.
    text = _lines(BOOK[:2]) + _lines(BOOK[:1])
    book = summarize(_file(tmp_path, text), as_of=AS_OF)
    assert [r.order_id for r in book.orders] == ["PO-0", "PO-1", "PO-0"]
    assert book.orders[2].held == usd(1_000)
    assert book.orders[2].error is not None
    assert dict(book.held_by_supplier) == {
        ("Supplier 0", "USD"): usd(1_000),
        ("Supplier 1", "USD"): usd(2_000),
    }
    assert book == Book(AS_OF, book.orders, totals_of(book.orders, AS_OF))  # type: ignore[arg-type]


# -- the sums ---------------------------------------------------------------------------------


def test_held_money_is_summed_by_supplier_and_currency_beside_its_limit() -> None:
    book = summarize([Envelope(h[0].order_id, e) for h in BOOK for e in h], as_of=AS_OF)  # type: ignore[attr-defined]
    held = {
        key: sum((r.held for r in book.orders if (r.supplier, r.currency) == key), usd(0))
        for key in {(r.supplier, r.currency) for r in book.orders}
    }
    assert dict(book.held_by_supplier) == held
    exposure = {(e.supplier, e.currency): e for e in book.exposure}
    zero = exposure["Supplier 0", "USD"]
    assert zero.orders == 3
    assert zero.held == book.held_by_supplier["Supplier 0", "USD"]
    assert zero.limit is None
    assert [e.held for e in book.exposure] == sorted((e.held for e in book.exposure), reverse=True)


SAMPLE = summarize(
    str(files("tradeassure").joinpath("examples/book.jsonl.gz")), as_of=sample.as_of()
)


SAMPLE_ROWS = list(SAMPLE.orders)
SAMPLE_TOTALS = totals_of(SAMPLE_ROWS, SAMPLE.as_of)


@given(st.lists(st.integers(0, len(SAMPLE_ROWS)), max_size=6))
def test_sums_counted_part_by_part_and_merged_are_the_sums_of_the_whole(
    cuts: list[int],
) -> None:
    # Each engine counts its parts' sums as their rows are made and merges them in the
    # parts' order: wherever the book is cut, that is the sum over every row at once.
    bounds = [0, *sorted(cuts), len(SAMPLE_ROWS)]
    merged = Totals()
    for start, end in itertools.pairwise(bounds):
        merged.merge(totals_of(SAMPLE_ROWS[start:end], SAMPLE.as_of))
    assert merged == SAMPLE_TOTALS


def test_rows_built_unchecked_pass_every_check_of_the_row_type() -> None:
    # A replayed order's row is built without OrderSummary's field checks (its values
    # were checked on the way in): building each again with them gives the same row.
    assert [attrs.evolve(row) for row in SAMPLE_ROWS] == SAMPLE_ROWS
    assert {row.status for row in SAMPLE_ROWS} >= {OrderStatus.FUNDS_HELD, OrderStatus.COMPLETED}


def test_a_sum_past_what_money_holds_is_refused_naming_it() -> None:
    big = usd(900_000_000_000_000)

    def held(order_id: str) -> list[Envelope]:
        history = [
            placed(order_id=order_id, total=big),
            ContractConfirmed(at=at(hours=2), by=Party.BUYER),
            PaymentReceived(at=at(1), amount=big, method=PaymentMethod.TT),
        ]
        return [Envelope(order_id, e) for e in history]

    one = held("PO-B")
    assert summarize(one, as_of=AS_OF).held_by_supplier["Shenzhen Parts Co", "USD"] == big
    with pytest.raises(InvalidInput, match=r"\('Shenzhen Parts Co', 'USD'\).*beyond"):
        summarize(one + held("PO-C"), as_of=AS_OF)


def test_held_money_is_aged_from_when_it_was_first_held() -> None:
    history = _history(0)
    paid_at = history[-1].at
    envelopes = [Envelope("PO-0", e) for e in history]
    ages = [(7, "0-7 days"), (7.000001, "8-30 days"), (30, "8-30 days"), (91, "over 90 days")]
    for days, label in ages:
        book = summarize(envelopes, as_of=paid_at + timedelta(days=days))
        assert dict(book.aging) == {("USD", label): usd(1_000)}, days
    assert [label for label, _ in AGES] == ["0-7 days", "8-30 days", "31-90 days", "over 90 days"]


def test_timers_due_at_the_books_instant_are_listed_not_applied() -> None:
    history = _history(0)[:2]  # confirmed, never paid: TMR-PAY
    order = replay(history)
    from tradeassure.escrow import next_timer

    timer = next_timer(order)
    assert timer is not None
    assert timer.at is not None
    before = summarize(
        [Envelope("PO-0", e) for e in history], as_of=timer.at - timedelta(microseconds=1)
    )
    due = summarize([Envelope("PO-0", e) for e in history], as_of=timer.at)
    assert before.orders[0].due == ()
    assert due.orders[0].due == ("TMR-PAY",)
    assert due.orders[0].status is OrderStatus.AWAITING_PAYMENT
    assert dict(due.due) == {"TMR-PAY": 1}


def test_disputes_are_counted_by_reason_and_stage() -> None:
    book = summarize([Envelope(h[0].order_id, e) for h in BOOK for e in h], as_of=AS_OF)  # type: ignore[attr-defined]
    assert dict(book.disputes) == {(DisputeReason.DAMAGED, "with the supplier"): 1}


# -- engines ----------------------------------------------------------------------------------


def _big_book(tmp_path: Path) -> Path:
    histories = [
        _history(n, supplier=f"Supplier {n % 7}", path=PATHS[n % len(PATHS)]) for n in range(60)
    ]
    return _file(tmp_path, _lines(histories))


def test_the_processes_engine_gives_the_local_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(book_read, "_SCAN", 256)  # cut this small file into parts
    path = _big_book(tmp_path)
    assert len(book_read.parts(str(path), 8)) > 2
    local = summarize(path, as_of=AS_OF)
    assert summarize(path, as_of=AS_OF, engine="processes", workers=2) == local
    assert len(local.orders) == 60


def test_the_dask_engine_gives_the_local_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr(book_read, "_SCAN", 256)
    path = _big_book(tmp_path)
    local = summarize(path, as_of=AS_OF)
    assert summarize(path, as_of=AS_OF, engine="dask", workers=2) == local


def test_parts_hold_whole_orders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(book_read, "_SCAN", 256)
    path = _big_book(tmp_path)
    found = book_read.parts(str(path), 8)
    seen: list[str] = []
    for part in found:
        ids = [order_id for order_id, _, _ in book_read.read_part(part)]
        assert ids
        assert not set(ids) & set(seen)
        seen += list(dict.fromkeys(ids))
    assert seen == [f"PO-{n}" for n in range(60)]
    lines = [where for part in found for _, _, where in book_read.read_part(part)]
    assert lines == [f"{path}:{n}" for n in range(1, len(lines) + 1)]


# -- arguments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"as_of": datetime(2026, 1, 1)}, "naive"),
        ({"engine": "spark"}, "engine must be one of local, processes, dask"),
        ({"workers": 0}, "workers must be"),
        ({"workers": True}, "workers must be"),
        ({"policy": "default"}, "policy must be an EscrowPolicy"),
        ({"client": object()}, "client is for the dask engine"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, object], says: str) -> None:
    arguments: dict[str, object] = {"as_of": AS_OF, **kwargs}
    with pytest.raises(InvalidInput, match=says):
        summarize([], **arguments)  # type: ignore[arg-type]


def test_a_missing_file_or_a_lone_string_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such book file"):
        summarize(tmp_path / "nope.jsonl", as_of=AS_OF)
    with pytest.raises(InvalidInput, match="source must be"):
        summarize({"type": "OrderPlaced"}, as_of=AS_OF)  # type: ignore[arg-type]


def test_an_empty_book_has_no_rows_and_no_sums() -> None:
    book = summarize([], as_of=AS_OF)
    assert isinstance(book, Book)
    assert book.orders == ()
    assert dict(book.held_by_supplier) == {}
    assert repr(book) == f"<Book as of {AS_OF.isoformat()}: 0 orders, 0 with errors>"


def test_money_in_two_currencies_is_kept_apart() -> None:
    euro = [
        placed(order_id="PO-E", total=Money(500, "EUR")),
        ContractConfirmed(at=at(hours=2), by=Party.BUYER),
        PaymentReceived(at=at(1), amount=Money(500, "EUR"), method=PaymentMethod.TT),
    ]
    book = summarize(
        [*(Envelope("PO-0", e) for e in BOOK[0]), *(Envelope("PO-E", e) for e in euro)],
        as_of=AS_OF,
    )
    assert dict(book.held_by_supplier) == {
        ("Supplier 0", "USD"): usd(1_000),
        ("Shenzhen Parts Co", "EUR"): Money(500, "EUR"),
    }


def test_the_sample_books_rows_are_its_plans() -> None:

    from tradeassure.book import sample

    path = files("tradeassure").joinpath("examples/book.jsonl.gz")
    book = summarize(str(path), as_of=sample.as_of(sample.START))
    assert len(book.orders) == 1_000
    for n, row in enumerate(book.orders, start=1):
        plan = sample.plan(n)
        assert row.order_id == plan.order_id
        assert row.events == plan.events
        if plan.rule is None:
            assert row.error is None, row
        else:
            assert row.error is not None
            assert plan.refused_at is not None
            assert (row.error.rule, row.error.position) == (plan.rule, plan.refused_at + 1)


def test_a_row_is_kept_as_it_was_made_its_instants_in_utc() -> None:
    from tradeassure.book._summary import summarize_order

    history = _history(0)
    paid = history[-1]
    history[-1] = attrs.evolve(paid, at=paid.at.astimezone(timezone(timedelta(hours=8))))
    made = summarize_order(
        "PO-0", [(e, f"item {i}") for i, e in enumerate(history)], DEFAULT_ESCROW, AS_OF
    )
    assert made.held_since == paid.at
    assert made.held_since is not None
    assert made.held_since.tzinfo is UTC
    book = summarize([Envelope("PO-0", e) for e in history], as_of=AS_OF)
    assert attrs.evolve(book.orders[0], source="item 0") == made


def test_rows_give_back_the_summaries_they_keep() -> None:
    from tradeassure.book._rows import Rows, joined
    from value_examples.book import EXAMPLES

    kept = [e for e in EXAMPLES if type(e).__name__ == "OrderSummary"]
    odd = attrs.evolve(kept[0], covered=Money("0.001", "USD"), held=Money("999999999999999", "JPY"))
    rows = [*kept, odd]
    compact = Rows(rows)
    assert list(compact) == rows
    assert compact[-1] == odd
    assert compact[1:] == rows[1:]
    assert joined([Rows(rows[:1]), Rows(rows[1:])]) == rows
    with pytest.raises(IndexError):
        compact[len(rows)]
    assert compact.with_errors() == [r for r in rows if r.error]


def test_rows_become_frames_with_exact_money_and_utc_instants(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from decimal import Decimal

    import pyarrow as pa

    book = summarize([Envelope(h[0].order_id, e) for h in BOOK for e in h], as_of=AS_OF)  # type: ignore[attr-defined]
    table = book.to_arrow()
    assert table.num_rows == len(BOOK)
    assert table.schema.field("held").type == pa.decimal128(22, 2)
    assert table.schema.field("next_deadline").type == pa.timestamp("us", tz="UTC")
    assert table.column("held").to_pylist()[1] == Decimal("2000.00")
    frame = book.to_pandas()
    assert str(frame["held"].dtype).startswith("decimal128(22, 2)")
    assert frame["held"].sum() == sum((r.held.amount for r in book.orders), Decimal(0))
    polars = book.to_polars()
    assert str(polars.schema["held"]).startswith("Decimal")
    path = tmp_path / "book.parquet"
    book.write_parquet(str(path))
    import pyarrow.parquet as pq

    assert pq.read_table(path).equals(table)


def test_an_order_no_policy_edition_covers_is_an_error_row() -> None:
    from tradeassure.escrow import LAUNCH_2014_ESCROW

    yen = [
        placed(order_id="PO-J", total=Money(500_000, "JPY")),
        ContractConfirmed(at=at(hours=2), by=Party.BUYER),
    ]
    envelopes = [*(Envelope("PO-0", e) for e in BOOK[0]), *(Envelope("PO-J", e) for e in yen)]
    book = summarize(envelopes, as_of=AS_OF, policy=LAUNCH_2014_ESCROW)
    row = book.orders[1]
    assert row.error is not None
    assert row.error.position == 1
    assert "JPY" in row.error.message
    assert book.orders[0].error is None


def test_a_broken_line_at_a_cut_gives_the_same_book_on_every_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(book_read, "_SCAN", 256)
    path = _big_book(tmp_path)
    cut = book_read.parts(str(path), 8)[1].start
    data = path.read_bytes()
    broken = data.index(b'"event_id":', cut) + 3
    path.write_bytes(data[:broken] + b"\xff" + data[broken:])
    local = summarize(path, as_of=AS_OF)
    assert summarize(path, as_of=AS_OF, engine="processes", workers=2) == local
    (row,) = [r for r in local.errors if r.error and "not UTF-8" in r.error.message]
    assert row.error is not None
    assert row.error.position == 1  # the first line of the order it names
    assert len(local.errors) == 1


def test_an_unwritable_order_id_or_a_byte_order_mark_does_not_stop_the_book(
    tmp_path: Path,
) -> None:
    lines = _lines(BOOK[:2]).splitlines()
    lines.insert(2, '{"order_id": "\\ud800", "type": "Nope"}')
    path = tmp_path / "book.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode())
    book = summarize(path, as_of=AS_OF)
    assert [r.order_id for r in book.orders] == ["PO-0", "PO-1"]
    assert book.orders[0].error is not None
    assert book.orders[0].error.where == f"{path}:3"
    assert book.orders[1].error is None
    raw = summarize([{"order_id": "\ud800", "type": "Nope"}], as_of=AS_OF)
    assert raw.orders[0].error is not None
