"""``tradeassure book``: a book of orders in, its sums out, as tables, JSON, CSV or
Parquet; error rows are data (status 0), bad requests and unreadable files status 2."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from importlib.resources import as_file, files
from pathlib import Path
from typing import Final

import pytest

from tradeassure import cli
from tradeassure.book import OrderSummary, sample, summarize
from tradeassure.serialization import to_dict

AS_OF: Final = sample.as_of(sample.START).isoformat()
SAMPLE_NAME: Final = "tradeassure/examples/book.jsonl.gz"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(
    *argv: str, stdin: str | bytes = "", err: io.StringIO | None = None
) -> tuple[int, str, str]:
    out, err = io.StringIO(), err if err is not None else io.StringIO()
    if isinstance(stdin, bytes):
        source: io.TextIOBase = io.TextIOWrapper(io.BytesIO(stdin), "utf-8")
    else:
        source = io.StringIO(stdin)
    status = cli.main(list(argv), stdout=out, stderr=err, stdin=source)
    return status, out.getvalue(), err.getvalue()


def ok(*argv: str, stdin: str | bytes = "") -> str:
    status, out, err = run(*argv, stdin=stdin)
    assert (status, err) == (0, ""), err
    return out


@pytest.fixture(scope="module")
def bundled() -> Path:
    with as_file(files("tradeassure").joinpath("examples/book.jsonl.gz")) as path:
        return Path(path)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.jsonl"
    sample.write(path, orders=30)
    return path


# -- the text report -----------------------------------------------------------------------


def test_the_sample_book_is_summarized_in_tables(bundled: Path) -> None:
    out = ok("book", str(bundled), "--as-of", AS_OF)
    assert out.startswith(
        "Book: 1,000 orders, 12 with errors (left out of the sums); "
        "as of 2026-01-01 00:00+00:00 (policy: default)\n"
    )
    for heading in (
        "Held by supplier, beside its protection limit",
        "Held money by age (since its first payment into escrow)",
        "Disputes by reason and stage (each order's latest)",
        "Timers due at 2026-01-01 00:00+00:00, not yet run",
        "Waiting on the platform",
        "Errors: the first 10 of 12 rows (each order's row stops at its error)",
    ):
        assert f"\n\n{heading}\n" in out
    assert "supplier                           currency  orders            held" in out
    assert "Busan Hardware Co., Ltd            USD            1  USD 193,263.15" in out
    assert "  … 502 more (shown: the most held, each currency's in turn" in out
    assert "TMR-SHIP-OVERDUE      18" in out
    first_error = out.split("at its error)\n", 1)[1].splitlines()[2].split(None, 3)
    assert first_error == [
        "PO-0000057",
        "ESC-DISPUTE-COMPLETED",
        f"{bundled}:332",
        "order PO-0000057 was completed on 2025-05-24; a completed order cannot be disputed",
    ]


def test_the_supplier_table_shows_20_rows_the_most_held_of_each_currency_in_turn(
    bundled: Path,
) -> None:
    out = ok("book", str(bundled), "--as-of", AS_OF)
    header, _, *table = out.split("protection limit\n", 1)[1].split("\n  … ", 1)[0].splitlines()
    assert len(table) == 20
    at = header.index("currency")
    currencies = [line[at : at + 3] for line in table]
    assert currencies == sorted(currencies)
    assert set(currencies) == {"EUR", "GBP", "JPY", "USD"}
    book = summarize(str(bundled), as_of=sample.as_of(sample.START))
    for currency in ("EUR", "GBP", "USD"):
        rows = [e for e in book.exposure if e.currency == currency]
        assert str(rows[0].held) in out
    # JPY has two suppliers holding money; the rest of its rows hold none and give way.
    assert "JPY 0 " not in out


def test_group_by_currency_sums_held_money_per_currency(bundled: Path) -> None:
    out = ok("book", str(bundled), "--as-of", AS_OF, "--group-by", "currency")
    assert "\n\nHeld by currency\n" in out
    assert "currency  suppliers  orders            held         covered" in out
    assert "USD             292     725  USD 671,087.09  USD 671,087.09" in out
    assert "more (" not in out


def test_group_by_status_gives_orders_and_their_money_per_status_and_currency(
    bundled: Path,
) -> None:
    out = ok("book", str(bundled), "--as-of", AS_OF, "--group-by", "status")
    assert "\n\nOrders and their money by status\n" in out
    assert "COMPLETED       USD          518  USD 8,742,011.29" in out
    data = json.loads(ok("book", str(bundled), "--as-of", AS_OF, "--group-by", "status", "--json"))
    assert sum(g["orders"] for g in data["groups"]) == 1000 - 12


def test_a_book_with_nothing_held_says_none(tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    sample.write(path, orders=1)
    out = ok("book", str(path), "--as-of", AS_OF)
    assert out.startswith("Book: 1 order, 0 with errors")
    assert "Held money by age (since its first payment into escrow)\n  none\n" in out
    assert "Errors" not in out


# -- JSON, CSV, Parquet --------------------------------------------------------------------


def test_json_gives_every_sum_and_the_error_rows(bundled: Path) -> None:
    data = json.loads(ok("book", str(bundled), "--as-of", AS_OF, "--json"))
    book = summarize(str(bundled), as_of=sample.as_of(sample.START))
    assert data["as_of"] == AS_OF
    assert (data["orders"], data["rows_with_errors"], data["group_by"]) == (1000, 12, "supplier")
    assert data["groups"] == [to_dict(e) for e in book.exposure]
    assert data["errors"] == [to_dict(row) for row in book.errors]
    assert {
        "currency": "USD",
        "age": "0-7 days",
        "held": to_dict(book.aging["USD", "0-7 days"]),
    } in (data["aging"])
    assert {"reason": "DAMAGED", "stage": "decided", "orders": 25} in data["disputes"]
    assert data["due"] == {"TMR-BALANCE": 16, "TMR-SHIP-OVERDUE": 18}
    assert (data["platform_overdue"], data["platform_waiting"]) == ({}, {})


def test_csv_has_one_row_per_order_with_every_field(small: Path) -> None:
    out = ok("book", str(small), "--as-of", AS_OF, "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    book = summarize(str(small), as_of=sample.as_of(sample.START))
    assert len(rows) == len(book.orders) == 30
    fields = [a.name for a in OrderSummary.__attrs_attrs__]
    columns = [f for f in fields if f != "error"]
    columns[columns.index("source") + 1 : columns.index("source") + 1] = [
        "error_rule",
        "error_message",
        "error_position",
        "error_where",
    ]
    assert list(rows[0]) == columns
    for got, row in zip(rows, book.orders, strict=True):
        assert got["order_id"] == row.order_id
        assert got["status"] == (row.status.name if row.status else "")
        assert row.total is not None
        assert (Decimal(got["total"]), got["currency"]) == (row.total.amount, row.currency)
        assert got["held_since"] == (row.held_since.isoformat() if row.held_since else "")
        assert got["due"].split() == list(row.due)


def test_csv_writes_an_error_as_its_rule_message_position_and_where(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    lines = list(sample.lines(3))
    lines[2] = lines[2].replace('"type":"', '"type":"Teleported', 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(ok("book", str(path), "--as-of", AS_OF, "--csv"))))
    bad = [r for r in rows if r["error_message"]]
    assert len(bad) == 1
    assert bad[0]["order_id"] == "PO-0000001"
    assert (bad[0]["error_rule"], bad[0]["error_position"]) == ("", "3")
    assert bad[0]["error_where"] == f"{path}:3"
    assert "$.type" in bad[0]["error_message"]


def test_parquet_keeps_exact_decimals_and_utc_instants(small: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out_path = tmp_path / "book.parquet"
    out = ok("book", str(small), "--as-of", AS_OF, "--parquet", str(out_path))
    assert out == f"wrote 30 rows to {out_path}\n"
    table = pq.read_table(out_path)
    assert str(table.schema.field("total").type) == "decimal128(22, 2)"
    assert str(table.schema.field("held_since").type) == "timestamp[us, tz=UTC]"
    assert table.schema.metadata == {b"as_of": AS_OF.encode()}
    book = summarize(str(small), as_of=sample.as_of(sample.START))
    for got, row in zip(table.to_pylist(), book.orders, strict=True):
        assert row.total is not None
        assert got["total"] == row.total.amount
        assert got["held_since"] == row.held_since
        assert got["due"] == list(row.due)
        assert got["status"] == (row.status.name if row.status else None)


def test_parquet_in_yen_and_dollars_has_the_finer_scale(bundled: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out_path = tmp_path / "book.parquet"
    ok("book", str(bundled), "--as-of", AS_OF, "--parquet", str(out_path))
    table = pq.read_table(out_path)
    yen = [r for r in table.to_pylist() if r["currency"] == "JPY"]
    assert yen
    assert all(r["total"] == r["total"].to_integral_value() for r in yen)


def test_parquet_without_pyarrow_exits_2_naming_the_extra(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    out_path = tmp_path / "book.parquet"
    status, out, err = run("book", str(small), "--parquet", str(out_path))
    assert (status, out) == (2, "")
    assert err == (
        "tradeassure book: error: --parquet needs pyarrow: pip install 'tradeassure[book]'\n"
    )
    assert not out_path.exists()


# -- input ---------------------------------------------------------------------------------


def test_a_malformed_line_is_an_error_row_not_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "book.jsonl"
    lines = list(sample.lines(5))
    lines[3] = "{not json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = ok("book", str(path), "--as-of", AS_OF)
    assert "Book: 5 orders, 1 with errors" in out
    assert f"PO-0000001  -     {path}:4  $: not valid JSON" in out


def test_standard_input_is_read_as_a_book_naming_its_lines(small: Path) -> None:
    text = small.read_text(encoding="utf-8")
    from_file = json.loads(ok("book", str(small), "--as-of", AS_OF, "--json"))
    from_stdin = json.loads(ok("book", "-", "--as-of", AS_OF, "--json", stdin=text))
    assert from_stdin == from_file
    rows = csv.DictReader(io.StringIO(ok("book", "-", "--as-of", AS_OF, "--csv", stdin=text)))
    assert next(rows)["source"] == "<stdin>:1"


def test_standard_input_may_be_gzip(small: Path) -> None:
    packed = gzip.compress(small.read_bytes())
    assert ok("book", "-", "--as-of", AS_OF, stdin=packed) == ok(
        "book", "-", "--as-of", AS_OF, stdin=small.read_text(encoding="utf-8")
    )


def test_an_unreadable_line_on_standard_input_names_stdin() -> None:
    out = ok("book", "-", "--as-of", AS_OF, stdin="{not json\n")
    assert "?<stdin>:1  -     <stdin>:1  $: not valid JSON" in out
    assert "tradeassure-book-" not in out


def test_two_files_are_one_book(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl.gz"
    sample.write(first, orders=10)
    sample.write(second, orders=10, first=11)
    whole = tmp_path / "whole.jsonl"
    sample.write(whole, orders=20)
    both = json.loads(ok("book", str(first), str(second), "--as-of", AS_OF, "--json"))
    one = json.loads(ok("book", str(whole), "--as-of", AS_OF, "--json"))
    assert both == one


def test_the_default_instant_is_now() -> None:
    data = json.loads(ok("book", "-", "--json", stdin="\n".join(sample.lines(2)) + "\n"))
    as_of = datetime.fromisoformat(data["as_of"])
    assert as_of.utcoffset() == timedelta(0)
    assert timedelta(0) <= datetime.now(UTC) - as_of < timedelta(minutes=5)


# -- engines -------------------------------------------------------------------------------


def test_a_pool_of_two_workers_gives_the_same_output(small: Path) -> None:
    assert ok("book", str(small), "--as-of", AS_OF, "--workers", "2") == ok(
        "book", str(small), "--as-of", AS_OF
    )


def test_a_dask_scheduler_gives_the_same_output(small: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        on_dask = ok("book", str(small), "--as-of", AS_OF, "--dask", cluster.scheduler_address)
    assert on_dask == ok("book", str(small), "--as-of", AS_OF)


def test_dask_without_distributed_exits_2_naming_the_extra(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    status, out, err = run("book", str(small), "--dask", "tcp://127.0.0.1:8786")
    assert (status, out) == (2, "")
    assert err == (
        "tradeassure book: error: --dask needs the dask extra: pip install 'tradeassure[dask]'\n"
    )


# -- progress ------------------------------------------------------------------------------


def test_a_terminal_is_told_the_book_is_being_read(small: Path) -> None:
    terminal = _Terminal()
    status, _, _ = run("book", str(small), "--as-of", AS_OF, err=terminal)
    assert status == 0
    assert "reading the book (1 file)" in terminal.getvalue()


def test_a_pipe_is_told_nothing(small: Path) -> None:
    assert run("book", str(small), "--as-of", AS_OF)[2] == ""


# -- bad requests: status 2 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        pytest.param(("/no/book.jsonl",), "cannot read /no/book.jsonl: No such", id="no-file"),
        pytest.param(("SMALL", "--as-of", "2026-01-01T00:00"), "has no offset", id="naive-as-of"),
        pytest.param(("SMALL", "--as-of", "soon"), "not an ISO 8601 instant", id="not-an-instant"),
        pytest.param(("SMALL", "--workers", "2", "--dask", "x:1"), "not allowed", id="2-engines"),
        pytest.param(("SMALL", "--workers", "0"), "expected 1 or more", id="no-workers"),
        pytest.param(("SMALL", "--json", "--csv"), "--csv is not allowed", id="two-forms"),
        pytest.param(("SMALL", "--group-by", "buyer"), "is not one of", id="unknown-grouping"),
        pytest.param(("-", "-"), "standard input (-) can be read once only", id="stdin-twice"),
        pytest.param((), "Missing argument 'FILE...'", id="no-file-named"),
    ],
)  # fmt: skip
def test_bad_requests_exit_2_with_nothing_printed(
    argv: tuple[str, ...], says: str, small: Path
) -> None:
    argv = tuple(str(small) if a == "SMALL" else a for a in argv)
    status, out, err = run("book", *argv)
    assert status == 2
    # With --json the failure is JSON on stdout; without, stdout stays empty.
    assert (json.loads(out)["error"]["kind"] if "--json" in argv else out) in {"usage", ""}
    assert says in err
    assert "Traceback" not in err


def test_a_directory_exits_2(tmp_path: Path) -> None:
    status, out, err = run("book", str(tmp_path))
    assert (status, out) == (2, "")
    assert err.startswith("tradeassure book: error: Invalid value for 'FILE...': ")
    assert f"'{tmp_path}' is a directory" in err


def test_a_gzip_file_cut_short_exits_2_without_a_traceback(small: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress(small.read_bytes())[:200])
    status, out, err = run("book", str(cut), "--as-of", AS_OF)
    assert (status, out) == (2, "")
    assert err.startswith("tradeassure book: error: cannot read the book: ")


# -- the demo ------------------------------------------------------------------------------


def test_the_demo_ends_with_the_sample_book_as_book_prints_it(
    bundled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Run from the folder that holds the package, the file is named as the demo names it.
    monkeypatch.chdir(bundled.parent.parent.parent)
    assert Path(SAMPLE_NAME).samefile(bundled)
    book = ok("book", SAMPLE_NAME, "--as-of", AS_OF)
    demo = ok("demo")
    assert demo.endswith("\n\nThe book: 1,000 orders of the bundled sample\n\n" + book)


def test_the_demos_json_holds_the_book_as_book_json_gives_it(
    bundled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(bundled.parent.parent.parent)
    book = json.loads(ok("book", SAMPLE_NAME, "--as-of", AS_OF, "--json"))
    assert json.loads(ok("demo", "--json"))["book"] == book
