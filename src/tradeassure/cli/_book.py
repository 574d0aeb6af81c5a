"""``book`` and ``sort``: a book's files read (standard input via a scratch file, on
the engine asked for), its rows renamed as shown, and its report as text, JSON, CSV or
Parquet; the bundled sample book for ``demo``."""

from __future__ import annotations

import contextlib
import importlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, Final

from tradeassure.cli._io import _IO, _Malformed, _many, _when
from tradeassure.errors import InvalidInput

if TYPE_CHECKING:  # pragma: no cover
    from tradeassure.book import Book, Exposure, OrderSummary
    from tradeassure.escrow import EscrowPolicy
    from tradeassure.money import Money

#: Rows of a grouped table, and error rows, the text report shows (--json and --csv give
#: them all).
_TOP_ROWS, _TOP_ERRORS = 20, 10

#: How ``-`` reads in the rows' ``source`` and ``where``: standard input is written to a
#: scratch file first, so a row's error can name its line.
_STDIN_NAME = "<stdin>"

#: The bundled sample book, as the demo names it.
_SAMPLE_BOOK = "examples/book.jsonl.gz"


def _csv_text(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "money":
        return format(value.amount, "f")
    if kind == "enum":
        return str(value.name)
    if kind == "instant":
        return str(value.isoformat())
    if kind == "rules":
        return " ".join(value)
    return str(value)


def _renamed_row(row: OrderSummary, names: Mapping[str, str]) -> OrderSummary:
    """``row`` with each file in ``names`` (a scratch copy of stdin, the bundled book)
    called what ``names`` says wherever it names one: its ``source``, its error's
    ``where`` and message, the id of an order read from no order's line."""
    import attrs

    if not names:
        return row

    def shown(text: str) -> str:
        for path, name in names.items():
            text = text.replace(path, name)
        return text

    error = row.error
    if error is not None:
        where = None if error.where is None else shown(error.where)
        error = attrs.evolve(error, where=where, message=shown(error.message))
    source = None if row.source is None else shown(row.source)
    return attrs.evolve(row, order_id=shown(row.order_id), source=source, error=error)


def _money_sum(amounts: Iterable[Money | None], currency: str) -> Money:
    from tradeassure.money import Money

    total = Money(0, currency)
    for amount in amounts:
        if amount is not None:
            total += amount
    return total


# Each grouping's rows, as dicts of column name to value (text, a count, Money or None),
# in the order they are shown: each currency's rows together, the most held first.
_Group = dict[str, Any]


def _by_supplier(book: Book) -> list[_Group]:
    return [
        {
            "supplier": e.supplier,
            "currency": e.currency,
            "orders": e.orders,
            "held": e.held,
            "covered": e.covered,
            "limit": e.limit,
        }
        for e in book.exposure
    ]


def _by_currency(book: Book) -> list[_Group]:
    exposure: dict[str, list[Exposure]] = {}
    for e in book.exposure:
        exposure.setdefault(e.currency, []).append(e)
    return [
        {
            "currency": currency,
            "suppliers": len(rows),
            "orders": sum(e.orders for e in rows),
            "held": _money_sum((e.held for e in rows), currency),
            "covered": _money_sum((e.covered for e in rows), currency),
        }
        for currency, rows in sorted(exposure.items())
    ]


def _by_status(book: Book) -> list[_Group]:
    from tradeassure.escrow import OrderStatus

    found: dict[tuple[OrderStatus, str], list[OrderSummary]] = {}
    for row in book.orders:
        if row.error is None and row.status is not None and row.currency is not None:
            found.setdefault((row.status, row.currency), []).append(row)
    rank = {status: i for i, status in enumerate(OrderStatus)}
    money = ("total", "paid", "held", "released", "refunded")
    return [
        {"status": status.name, "currency": currency, "orders": len(rows)}
        | {name: _money_sum((getattr(r, name) for r in rows), currency) for name in money}
        for (status, currency), rows in sorted(
            found.items(), key=lambda kv: (kv[0][1], rank[kv[0][0]])
        )
    ]


#: ``--group-by``: each grouping's rows, its table's heading, and whether the text
#: report shows only the top rows (a book has suppliers without bound; statuses and
#: currencies are few).
_GROUPINGS: Final[dict[str, tuple[Callable[[Book], list[_Group]], str, bool]]] = {
    "supplier": (_by_supplier, "Held by supplier, beside its protection limit", True),
    "currency": (_by_currency, "Held by currency", False),
    "status": (_by_status, "Orders and their money by status", False),
}


def _top(rows: list[_Group], count: int) -> list[_Group]:
    """The first ``count`` rows, shown in ``rows``' order, taken first from those that
    hold money, each currency's in turn (its most held, then every currency's second,
    ...): amounts in different currencies do not compare, so none crowds out another."""
    seen: Counter[str] = Counter()
    ranked = []
    for i, row in enumerate(rows):
        currency = row["currency"]
        ranked.append((not row["held"].amount, seen[currency], currency, i))
        seen[currency] += 1
    return [rows[i] for i in sorted(i for *_, i in sorted(ranked)[:count])]


def _shown(value: Any) -> str:
    if value is None:
        return "no limit"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


#: The grouped tables' columns of text (the others, counts and money, align right).
_TEXT_COLUMNS: Final = frozenset({"supplier", "currency", "status"})


def _book_json(
    book: Book, count: int, errors: Sequence[OrderSummary], group_by: str
) -> dict[str, Any]:
    """The book as one JSON document: every sum, and the rows with an error."""
    from tradeassure.money import Money
    from tradeassure.serialization import to_dict

    grouped, _, _ = _GROUPINGS[group_by]
    return {
        "as_of": book.as_of.isoformat(),
        "orders": count,
        "rows_with_errors": len(errors),
        "group_by": group_by,
        "groups": [
            {k: to_dict(v) if isinstance(v, Money) else v for k, v in row.items()}
            for row in grouped(book)
        ],
        "aging": [
            {"currency": currency, "age": age, "held": to_dict(held)}
            for (currency, age), held in book.aging.items()
        ],
        "disputes": [
            {"reason": reason.name, "stage": stage, "orders": n}
            for (reason, stage), n in book.disputes.items()
        ],
        "due": dict(book.due),
        "platform_overdue": dict(book.platform_overdue),
        "platform_waiting": dict(book.platform_waiting),
        "errors": [to_dict(row) for row in errors],
    }


def _book_text(
    book: Book, count: int, errors: Sequence[OrderSummary], group_by: str, policy: str, io: _IO
) -> None:
    """The book's text report: the header line, the grouped table and the other sums,
    and the first error rows."""
    from tradeassure.book import AGES, STAGES

    io.line(
        f"Book: {_many(count, 'order')}, {len(errors):,} with errors (left out of the "
        f"sums); as of {_when(book.as_of)} (policy: {policy})",
        "bold",
    )
    grouped, heading, top = _GROUPINGS[group_by]
    groups = grouped(book)
    shown = _top(groups, _TOP_ROWS) if top else groups
    io.heading(heading)
    if not shown:
        io.line("  none")
    else:
        headers = list(shown[0])
        right = [i for i, h in enumerate(headers) if h not in _TEXT_COLUMNS]
        io.table(headers, ([_shown(v) for v in row.values()] for row in shown), right)
        if len(shown) < len(groups):
            io.line(
                f"  … {len(groups) - len(shown):,} more (shown: the most held, each "
                "currency's in turn; --json or --csv for all)"
            )

    io.heading("Held money by age (since its first payment into escrow)")
    currencies = sorted({currency for currency, _ in book.aging})
    labels = [label for label, _ in AGES]
    aging = [
        [currency, *(_cell_or_blank(book.aging.get((currency, label))) for label in labels)]
        for currency in currencies
    ]
    if aging:
        io.table(["currency", *labels], aging, range(1, 5))
    else:
        io.line("  none")

    io.heading("Disputes by reason and stage (each order's latest)")
    reasons = sorted({reason for reason, _ in book.disputes}, key=lambda r: r.name)
    disputes = [
        [
            reason.value.replace("_", " "),
            *(_cell_or_blank(book.disputes.get((reason, stage))) for stage in STAGES),
        ]
        for reason in reasons
    ]
    if disputes:
        io.table(["reason", *STAGES], disputes, range(1, 5))
    else:
        io.line("  none")

    io.heading(f"Timers due at {_when(book.as_of)}, not yet run")
    due = [[rule, f"{n:,}"] for rule, n in book.due.items()]
    if due:
        io.table(["timer", "orders"], due, [1])
    else:
        io.line("  none")

    io.heading("Waiting on the platform")
    platform = [
        [
            rule,
            _cell_or_blank(book.platform_overdue.get(rule)),
            _cell_or_blank(book.platform_waiting.get(rule)),
        ]
        for rule in sorted({*book.platform_overdue, *book.platform_waiting})
    ]
    if platform:
        io.table(["rule", "past a deadline", "with no deadline"], platform, [1, 2])
    else:
        io.line("  none")

    if errors:
        first = errors[:_TOP_ERRORS]
        many = (
            _many(len(errors), "row")
            if len(first) == len(errors)
            else f"the first {len(first):,} of {len(errors):,} rows"
        )
        io.heading(f"Errors: {many} (each order's row stops at its error)")
        table = [
            [row.order_id, row.error.rule or "-", row.error.where or "-", row.error.message]
            for row in first
            if row.error is not None
        ]
        io.table(["order", "rule", "where", "message"], table)


def _cell_or_blank(value: Money | int | None) -> str:
    if value is None:
        return ""
    return f"{value:,}" if isinstance(value, int) else str(value)


def _book_csv(rows: Iterable[OrderSummary], out: IO[str]) -> None:
    """One CSV row per order, with the book's table's columns (``book._frames``),
    written as each row is read: no copy of the book is built."""
    import csv

    from tradeassure.book._frames import COLUMNS, cell

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in COLUMNS])
    for row in rows:
        writer.writerow([_csv_text(cell(row, name), kind) for name, kind in COLUMNS])


def _pyarrow() -> None:
    # Checked before a book is read that could not be written (the book extra).
    try:
        importlib.import_module("pyarrow.parquet")
    except ImportError:
        raise _Malformed("--parquet needs pyarrow: pip install 'tradeassure[book]'") from None


def _book_parquet(book: Book, rows: Sequence[OrderSummary], path: str) -> None:
    """Write the rows to a Parquet file (``tradeassure.book``'s table: amounts as exact
    decimals at the finest scale any of them needs, instants as UTC timestamps)."""
    from tradeassure.book._frames import write_parquet

    try:
        write_parquet(rows, path, book.as_of)
    except InvalidInput:  # no pyarrow
        raise _Malformed("--parquet needs pyarrow: pip install 'tradeassure[book]'") from None
    except OSError as exc:
        raise _Malformed(f"cannot write {path}: {exc.strerror or exc}") from None


def _book_sources(
    names: Sequence[str], stdin: IO[str], scratch: str
) -> tuple[list[str], dict[str, str]]:
    """The book's file paths (``-`` written to a scratch file, so its rows name its
    lines), and the scratch file's name to show, ``<stdin>``."""
    paths: list[str] = []
    shown: dict[str, str] = {}
    for name in names:
        if name != "-":
            try:
                with open(name, "rb"):
                    pass
            except OSError as exc:
                raise _Malformed(f"cannot read {name}: {exc.strerror or exc}") from None
            paths.append(name)
            continue
        if shown:
            raise _Malformed("standard input (-) can be read once only")
        raw = getattr(stdin, "buffer", None)
        data = stdin.read().encode("utf-8") if raw is None else raw.read()
        # A gzip stream keeps its suffix, which is how the reader tells it.
        path = os.path.join(scratch, "stdin.jsonl.gz" if data[:2] == b"\x1f\x8b" else "stdin.jsonl")
        with open(path, "wb") as file:
            file.write(data)
        paths.append(path)
        shown[path] = _STDIN_NAME
    return paths, shown


def _summarize(
    paths: list[str],
    as_of: datetime,
    policy: EscrowPolicy,
    engine: tuple[str, int | None, str | None],
    io: _IO,
) -> Book:
    """The book of ``paths`` on the engine asked for; a file that turns out unreadable
    (a gzip file cut short, say) is malformed input, not a failure of the library."""
    import gzip
    import zlib

    from tradeassure.book import summarize

    name, workers, address = engine
    with contextlib.ExitStack() as stack:
        if io.err.isatty():
            # summarize() gives the book whole, with no count while it reads: a bar that
            # pulses says it is at work, and is wiped before the report.
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            bar = stack.enter_context(
                Progress(
                    TextColumn(f"reading the book ({_many(len(paths), 'file')})"),
                    BarColumn(),
                    TimeElapsedColumn(),
                    console=io.err_console,
                    transient=True,
                )
            )
            bar.add_task("book", total=None)
        try:
            client = None if address is None else stack.enter_context(_dask_client(address))
            return summarize(
                paths, as_of=as_of, policy=policy, engine=name, workers=workers, client=client
            )
        except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise _Malformed(f"cannot read the book: {exc}") from None


def _dask_client(address: str) -> Any:
    # Imported by name: the dask extra is optional, and distributed has no type hints.
    try:
        distributed: Any = importlib.import_module("distributed")
    except ImportError:
        raise _Malformed("--dask needs the dask extra: pip install 'tradeassure[dask]'") from None
    try:
        return distributed.Client(address)
    except (OSError, ValueError, TypeError) as exc:
        raise _Malformed(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def _book_output(
    book: Book,
    names: Mapping[str, str],
    io: _IO,
    *,
    form: str = "text",
    group_by: str = "supplier",
    policy: str = "default",
    parquet: str | None = None,
) -> None:
    """The book as ``form`` (``text``, grouped by ``group_by``; ``json``; ``csv``,
    streamed; ``parquet``, to the file ``parquet``), its files named as ``names`` says:
    the rows shown are renamed one at a time, the error rows alone for text and JSON."""
    from tradeassure.book._rows import Mapped

    count = len(book.orders)
    renamed = Mapped(book.orders, lambda row: _renamed_row(row, names))
    if form == "csv":
        _book_csv(renamed, io.stream)
    elif form == "parquet" and parquet is not None:
        _book_parquet(book, renamed, parquet)
        io.line(f"wrote {count:,} rows to {parquet}")
    else:
        errors = [_renamed_row(row, names) for row in book.errors]
        if form == "json":
            io.json(_book_json(book, count, errors, group_by))
        else:
            _book_text(book, count, errors, group_by, policy, io)


def _sample_book(io: _IO) -> tuple[Book, dict[str, str]]:
    """The bundled sample book at its ``as_of``, and its file's name to show."""
    from importlib.resources import as_file, files

    from tradeassure.book import sample
    from tradeassure.escrow import DEFAULT_ESCROW

    with as_file(files("tradeassure").joinpath(_SAMPLE_BOOK)) as path:
        engine = ("local", None, None)
        book = _summarize([str(path)], sample.as_of(sample.START), DEFAULT_ESCROW, engine, io)
        return book, {str(path): f"tradeassure/{_SAMPLE_BOOK}"}
