"""The ``tradeassure`` command: the library's rules from a shell.

Subcommands: ``demo``, ``replay``, ``book``, ``finance``, ``tier``, ``workdays``,
``diagram``, ``rules`` and ``schema`` (``tradeassure --help`` lists them; docs/cli.md
shows each). Output is plain aligned text by default and JSON with ``--json``;
``schema`` prints JSON only, and ``book`` also CSV (``--csv``) and Parquet
(``--parquet``).

Exit status: 0 when the request is fine, 1 when a business rule refuses it (the rule id
and message on stderr), 2 for malformed input (the problem on stderr); ``book`` reads a
book's refused and unreadable events as rows with an error, which are data: status 0. A
failure prints no part of the report and no traceback: an error the library did not
mean is reported as an internal error, with status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from io import StringIO
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

from tradeassure.errors import InvalidInput, PolicyError, RuleViolation

if TYPE_CHECKING:  # pragma: no cover
    from tradeassure.book import Book, Exposure, OrderSummary
    from tradeassure.escrow import EscrowPolicy, Event, Order
    from tradeassure.money import Money

__all__ = ["main"]

OK, REFUSED, MALFORMED = 0, 1, 2

# Replays at least this long show progress on a terminal.
_PROGRESS_MIN_EVENTS = 1000


class _Malformed(Exception):
    """Input the command cannot use (exit status 2)."""


# -- output helpers ----------------------------------------------------------------------


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], right: Iterable[int] = ()) -> str:
    """Plain aligned text; the columns in ``right`` (numbers, money) align right."""
    body = [list(r) for r in rows]
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *body, strict=True)]
    aligned = set(right)

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if i in aligned else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in body)])


def _when(instant: datetime) -> str:
    return instant.isoformat(sep=" ", timespec="minutes")


def _print_json(data: Any, out: IO[str]) -> None:
    out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# -- argument types ----------------------------------------------------------------------


def _date_arg(text: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: expected YYYY-MM-DD, e.g. 2025-09-26"
        ) from None


def _instant_arg(text: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 instant: expected e.g. 2025-12-01T09:00:00+08:00"
        ) from None
    if instant.utcoffset() is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no offset: give one, e.g. {text}+00:00 (instants are never naive)"
        )
    return instant


def _amount_arg(text: str) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or not re.fullmatch(r"-?\d+(\.\d+)?", text, re.ASCII):
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount: expected e.g. 150000.00")
    return amount


def _count_arg(text: str) -> int:
    # ASCII digits only: int() itself also takes "1_0" and other scripts' digits.
    if not re.fullmatch(r"-?\d+", text, re.ASCII):
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number: expected e.g. 10")
    return int(text)


def _workers_arg(text: str) -> int:
    count = _count_arg(text)
    if count < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of workers: expected 1 or more")
    return count


def _read_input(name: str, stdin: IO[str]) -> str:
    if name == "-":
        # The bytes, decoded as a file is: the text layer's locale or error handler would
        # raise mid-read or let undecodable bytes through as surrogates.
        raw = getattr(stdin, "buffer", None)
        try:
            return stdin.read() if raw is None else raw.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Malformed(f"cannot read standard input: not UTF-8 text ({exc.reason})") from None
    try:
        return Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise _Malformed(f"cannot read {name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise _Malformed(f"cannot read {name}: not UTF-8 text ({exc.reason})") from None


# -- replay and demo ---------------------------------------------------------------------


def _rules_applied(before: Order | None, event: Event) -> tuple[str, ...]:
    """The rule ids an event was judged by: its transition's ``rules`` in the table."""
    from tradeassure.escrow import PLACEMENT_RULES, TRANSITIONS, TimerExpired

    if isinstance(event, TimerExpired):
        return (event.timer,)
    if before is None:
        return PLACEMENT_RULES
    transition = TRANSITIONS.get((before.status, type(event)))
    return () if transition is None else transition.rules


class _Step:
    """One applied event and what it did, for the timeline and the rule trace."""

    __slots__ = ("after", "before", "event", "index", "rules", "timer")

    def __init__(
        self, index: int, event: Event, before: Order | None, after: Order, timer: bool
    ) -> None:
        self.index = index
        self.event = event
        self.before = before
        self.after = after
        self.timer = timer
        self.rules = _rules_applied(before, event)

    @property
    def redelivered(self) -> bool:
        return self.before is not None and self.after is self.before


class _Progress:
    """``replaying events: n/total`` on a terminal's stderr, for long histories."""

    def __init__(self, total: int, err: IO[str]) -> None:
        self.total = total
        self.err = err
        self.on = total >= _PROGRESS_MIN_EVENTS and err.isatty()
        self.every = max(1, total // 100)

    def update(self, done: int) -> None:
        if self.on and (done % self.every == 0 or done == self.total):
            self.err.write(f"\rreplaying events: {done:,}/{self.total:,}")
            self.err.flush()

    def close(self) -> None:
        if self.on:
            self.err.write("\r\033[K")
            self.err.flush()


def _replay_steps(
    events: Sequence[Event], policy: EscrowPolicy, at: datetime | None, err: IO[str]
) -> list[_Step]:
    from tradeassure.escrow import apply, due_events, steps

    progress = _Progress(len(events), err)
    out: list[_Step] = []
    order: Order | None = None
    folding = steps(events, policy)
    try:
        for i in range(1, len(events) + 1):
            try:
                before, event, order = next(folding)
            except RuleViolation as refusal:
                raise _Refusal(refusal, i, events[i - 1]) from None
            except InvalidInput as exc:
                raise _Malformed(f"event {i} ({type(events[i - 1]).__name__}): {exc}") from None
            out.append(_Step(i, event, before, order, timer=False))
            progress.update(i)
    finally:
        progress.close()
    if order is None:
        raise _Malformed("the history is empty: it needs at least its OrderPlaced event")
    if at is not None:
        for timer in due_events(order, at, policy):
            after = apply(order, timer, policy)
            out.append(_Step(len(out) + 1, timer, order, after, timer=True))
            order = after
    return out


class _Refusal(Exception):
    def __init__(self, violation: RuleViolation, index: int, event: Event) -> None:
        super().__init__(str(violation))
        self.violation = violation
        self.index = index
        self.event = event


def _money_rows(order: Order, policy: EscrowPolicy) -> list[tuple[str, Money]]:
    from tradeassure.escrow import covered_amount

    return [
        ("total", order.total),
        ("paid", order.paid),
        ("held", order.held),
        ("released", order.released),
        ("refunded", order.refunded),
        ("shipped", order.shipped),
        ("covered", covered_amount(order, policy)),
    ]


def _moved(before: Money | None, after: Money) -> str:
    if before is None or before == after:
        return ""
    delta = after - before
    return f"+{delta}" if not delta.is_negative else f"-{-delta}"


def _deadline_rows(order: Order, policy: EscrowPolicy) -> list[tuple[str, str]]:
    import attrs

    from tradeassure.escrow import deadlines

    due = deadlines(order, policy)
    rows: list[tuple[str, str]] = []
    for field in attrs.fields(type(due)):
        value = getattr(due, field.name)
        if value is None:
            continue
        if isinstance(value, tuple):
            shown = f"{value[0]} to {value[1]}"
        elif isinstance(value, datetime):
            shown = _when(value)
        else:
            shown = str(value)
        rows.append((field.name.replace("_", " "), shown))
    return rows


def _report_data(steps: list[_Step], policy: EscrowPolicy) -> dict[str, Any]:
    """The replay's report as JSON data."""
    from tradeassure.escrow import deadlines
    from tradeassure.serialization import to_dict

    order = steps[-1].after
    return {
        "order": to_dict(order, edition=policy.edition),
        "money": {name: to_dict(m) for name, m in _money_rows(order, policy)},
        "timeline": [
            {
                "index": s.index,
                "at": s.event.at.isoformat(),
                "type": type(s.event).__name__,
                "status": s.after.status.name,
                "held": to_dict(s.after.held),
                "released": to_dict(s.after.released),
                "refunded": to_dict(s.after.refunded),
                "timer": s.timer,
                "redelivered": s.redelivered,
            }
            for s in steps
        ],
        "deadlines": to_dict(deadlines(order, policy)),
        "trace": [
            {
                "index": s.index,
                "type": type(s.event).__name__,
                "from": None if s.before is None else s.before.status.name,
                "to": s.after.status.name,
                "rules": list(s.rules),
            }
            for s in steps
        ],
    }


def _report(steps: list[_Step], policy: EscrowPolicy, out: IO[str], as_json: bool) -> None:
    from tradeassure.escrow import brief

    if as_json:
        _print_json(_report_data(steps, policy), out)
        return
    order = steps[-1].after
    c = order.contract
    write = out.write
    write(f"Order {order.order_id}: {order.status.label} (policy: {policy.edition})\n")
    write(f"  buyer {c.buyer}, supplier {c.supplier}, total {c.total}, ship-by {order.ship_by}\n")
    write("\nMoney\n")
    write(_table(["", "amount"], [(n, str(m)) for n, m in _money_rows(order, policy)], [1]))
    write("\n\nTimeline\n")
    rows = []
    for s in steps:
        b = s.before
        rows.append(
            (
                str(s.index),
                _when(s.event.at),
                type(s.event).__name__ + (" (redelivered)" if s.redelivered else ""),
                brief(s.event),
                s.after.status.label,
                _moved(None if b is None else b.held, s.after.held),
                _moved(None if b is None else b.released, s.after.released),
                _moved(None if b is None else b.refunded, s.after.refunded),
            )
        )
    headers = ["#", "at", "event", "details", "status", "held", "released", "refunded"]
    write(_table(headers, rows, [0, 5, 6, 7]))
    write("\n\nDeadlines\n")
    due = _deadline_rows(order, policy)
    write(_table(["deadline", "when"], due) if due else "  none pending")
    write("\n\nRule trace\n")
    trace = [
        (
            str(s.index),
            type(s.event).__name__,
            f"{'-' if s.before is None else s.before.status.label} -> {s.after.status.label}",
            ", ".join(s.rules) or "-",
        )
        for s in steps
    ]
    write(_table(["#", "event", "status", "rules"], trace, [0]))
    write("\n")


def _cmd_replay(args: argparse.Namespace, io: _IO) -> int:
    from tradeassure.escrow import ESCROW_EDITIONS
    from tradeassure.serialization import events_from_json_lines

    policy = ESCROW_EDITIONS[args.policy]
    text = _read_input(args.file, io.stdin)
    events = events_from_json_lines(text)
    steps = _replay_steps(events, policy, args.at, io.err)
    _report(steps, policy, io.out, args.json)
    return OK


def _cmd_demo(args: argparse.Namespace, io: _IO) -> int:
    from tradeassure._example import history
    from tradeassure.escrow import DEFAULT_ESCROW
    from tradeassure.serialization import events_to_json_lines

    if args.history:
        io.out.write(events_to_json_lines(history()))
        return OK
    steps = _replay_steps(history(), DEFAULT_ESCROW, None, io.err)
    book, names = _sample_book(io.err)
    if args.json:
        sums = _book_json(book, _renamed(book.orders, names), "supplier")
        _print_json(_report_data(steps, DEFAULT_ESCROW) | {"book": sums}, io.out)
        return OK
    _report(steps, DEFAULT_ESCROW, io.out, as_json=False)
    io.out.write(f"\nThe book: {len(book.orders):,} orders of the bundled sample\n\n")
    _book_output(book, names, io.out)
    return OK


def _sample_book(err: IO[str]) -> tuple[Book, dict[str, str]]:
    """The bundled sample book at its ``as_of``, and its file's name to show."""
    from importlib.resources import as_file, files

    from tradeassure.book import sample
    from tradeassure.escrow import DEFAULT_ESCROW

    with as_file(files("tradeassure").joinpath(_SAMPLE_BOOK)) as path:
        engine = ("local", None, None)
        book = _summarize([str(path)], sample.as_of(sample.START), DEFAULT_ESCROW, engine, err)
        return book, {str(path): f"tradeassure/{_SAMPLE_BOOK}"}


# -- book --------------------------------------------------------------------------------

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


def _renamed(rows: Sequence[OrderSummary], names: Mapping[str, str]) -> list[OrderSummary]:
    """``rows`` with each file in ``names`` (a scratch copy of stdin, the bundled book)
    called what ``names`` says wherever a row names it: its ``source``, its error's
    ``where`` and message, the id of an order read from no order's line."""
    import attrs

    def shown(text: str) -> str:
        for path, name in names.items():
            text = text.replace(path, name)
        return text

    if not names:
        return list(rows)
    out = []
    for row in rows:
        error = row.error
        if error is not None:
            where = None if error.where is None else shown(error.where)
            error = attrs.evolve(error, where=where, message=shown(error.message))
        source = None if row.source is None else shown(row.source)
        out.append(attrs.evolve(row, order_id=shown(row.order_id), source=source, error=error))
    return out


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
        {"status": status.label, "currency": currency, "orders": len(rows)}
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


def _group_table(rows: list[_Group]) -> str:
    headers = list(rows[0])
    right = [i for i, h in enumerate(headers) if h not in _TEXT_COLUMNS]
    return _table(headers, ([_shown(v) for v in row.values()] for row in rows), right)


def _book_json(book: Book, rows: Sequence[OrderSummary], group_by: str) -> dict[str, Any]:
    """The book as one JSON document: every sum, and the rows with an error."""
    from tradeassure.money import Money
    from tradeassure.serialization import to_dict

    grouped, _, _ = _GROUPINGS[group_by]
    return {
        "as_of": book.as_of.isoformat(),
        "orders": len(rows),
        "rows_with_errors": len(book.errors),
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
        "errors": [to_dict(row) for row in rows if row.error is not None],
    }


def _book_text(book: Book, rows: Sequence[OrderSummary], group_by: str, policy: str) -> str:
    """The book's text report: the header line, the grouped table and the other sums,
    and the first error rows."""
    from tradeassure.book import AGES, STAGES

    out: list[str] = []
    errors = [row for row in rows if row.error is not None]
    out.append(
        f"Book: {_many(len(rows), 'order')}, {len(errors):,} with errors (left out of the "
        f"sums); as of {_when(book.as_of)} (policy: {policy})\n"
    )
    grouped, heading, top = _GROUPINGS[group_by]
    groups = grouped(book)
    shown = _top(groups, _TOP_ROWS) if top else groups
    out.append(f"\n{heading}\n")
    if not shown:
        out.append("  none\n")
    else:
        out.append(_group_table(shown) + "\n")
        if len(shown) < len(groups):
            out.append(
                f"  … {len(groups) - len(shown):,} more (shown: the most held, each "
                "currency's in turn; --json or --csv for all)\n"
            )

    out.append("\nHeld money by age (since its first payment into escrow)\n")
    currencies = sorted({currency for currency, _ in book.aging})
    labels = [label for label, _ in AGES]
    aging = [
        [currency, *(_cell_or_blank(book.aging.get((currency, label))) for label in labels)]
        for currency in currencies
    ]
    out.append((_table(["currency", *labels], aging, range(1, 5)) if aging else "  none") + "\n")

    out.append("\nDisputes by reason and stage (each order's latest)\n")
    reasons = sorted({reason for reason, _ in book.disputes}, key=lambda r: r.name)
    disputes = [
        [
            reason.value.replace("_", " "),
            *(_cell_or_blank(book.disputes.get((reason, stage))) for stage in STAGES),
        ]
        for reason in reasons
    ]
    out.append(
        (_table(["reason", *STAGES], disputes, range(1, 5)) if disputes else "  none") + "\n"
    )

    out.append(f"\nTimers due at {_when(book.as_of)}, not yet run\n")
    due = [[rule, f"{n:,}"] for rule, n in book.due.items()]
    out.append((_table(["timer", "orders"], due, [1]) if due else "  none") + "\n")

    out.append("\nWaiting on the platform\n")
    platform = [
        [
            rule,
            _cell_or_blank(book.platform_overdue.get(rule)),
            _cell_or_blank(book.platform_waiting.get(rule)),
        ]
        for rule in sorted({*book.platform_overdue, *book.platform_waiting})
    ]
    out.append(
        (
            _table(["rule", "past a deadline", "with no deadline"], platform, [1, 2])
            if platform
            else "  none"
        )
        + "\n"
    )

    if errors:
        first = errors[:_TOP_ERRORS]
        count = (
            _many(len(errors), "row")
            if len(first) == len(errors)
            else f"the first {len(first):,} of {len(errors):,} rows"
        )
        out.append(f"\nErrors: {count} (each order's row stops at its error)\n")
        table = [
            [
                row.order_id,
                row.error.rule or "-",
                row.error.where or "-",
                row.error.message,
            ]
            for row in first
            if row.error is not None
        ]
        out.append(_table(["order", "rule", "where", "message"], table) + "\n")
    return "".join(out)


def _many(count: int, thing: str) -> str:
    return f"{count:,} {thing}{'' if count == 1 else 's'}"


def _cell_or_blank(value: Money | int | None) -> str:
    if value is None:
        return ""
    return f"{value:,}" if isinstance(value, int) else str(value)


def _book_csv(rows: Sequence[OrderSummary], out: IO[str]) -> None:
    """One CSV row per order, with the book's table's columns (``book._frames``)."""
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
    from tradeassure.errors import InvalidInput

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
    err: IO[str],
) -> Book:
    """The book of ``paths`` on the engine asked for; a file that turns out unreadable
    (a gzip file cut short, say) is malformed input, not a failure of the library."""
    import gzip
    import zlib

    from tradeassure.book import summarize

    name, workers, address = engine
    # No count while it reads: summarize() gives the book whole. A terminal is told it
    # is at work, and the line is wiped before the report.
    tty = err.isatty()
    if tty:
        err.write(f"reading the book ({_many(len(paths), 'file')})…")
        err.flush()
    try:
        with contextlib.ExitStack() as stack:
            client = None if address is None else stack.enter_context(_dask_client(address))
            return summarize(
                paths, as_of=as_of, policy=policy, engine=name, workers=workers, client=client
            )
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise _Malformed(f"cannot read the book: {exc}") from None
    finally:
        if tty:
            err.write("\r\033[K")
            err.flush()


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
    out: IO[str],
    *,
    form: str = "text",
    group_by: str = "supplier",
    policy: str = "default",
    parquet: str | None = None,
) -> None:
    """The book as ``form`` (``text``, grouped by ``group_by``; ``json``; ``csv``;
    ``parquet``, to the file ``parquet``), its files named as ``names`` says."""
    rows = _renamed(book.orders, names)
    if form == "json":
        _print_json(_book_json(book, rows, group_by), out)
    elif form == "csv":
        _book_csv(rows, out)
    elif form == "parquet" and parquet is not None:
        _book_parquet(book, rows, parquet)
        out.write(f"wrote {len(rows):,} rows to {parquet}\n")
    else:
        out.write(_book_text(book, rows, group_by, policy))


def _cmd_book(args: argparse.Namespace, io: _IO) -> int:
    import tempfile

    from tradeassure.escrow import ESCROW_EDITIONS

    policy = ESCROW_EDITIONS[args.policy]
    if args.parquet is not None:
        _pyarrow()  # before reading a book it could not write
    # The command's edge reads the clock when not told the instant; the library never does.
    as_of = args.as_of or datetime.now(UTC)
    engine = (
        ("dask", None, args.dask)
        if args.dask is not None
        else ("processes", args.workers, None)
        if args.workers is not None
        else ("local", None, None)
    )
    with tempfile.TemporaryDirectory(prefix="tradeassure-book-") as scratch:
        paths, names = _book_sources(args.file, io.stdin, scratch)
        book = _summarize(paths, as_of, policy, engine, io.err)
        form = (
            "json"
            if args.json
            else "csv"
            if args.csv
            else "parquet"
            if args.parquet is not None
            else "text"
        )
        _book_output(
            book,
            names,
            io.out,
            form=form,
            group_by=args.group_by,
            policy=args.policy,
            parquet=args.parquet,
        )
    return OK


# -- finance -----------------------------------------------------------------------------


def _cmd_finance(args: argparse.Namespace, io: _IO) -> int:
    from tradeassure.credit import FINANCING_EDITIONS, CreditLine, quote
    from tradeassure.money import Money
    from tradeassure.serialization import to_dict

    policy = FINANCING_EDITIONS[args.policy]
    currency = args.currency or policy.currency

    def money(amount: Decimal | None) -> Money | None:
        return None if amount is None else Money(amount, currency)

    line = CreditLine(
        limit=Money(args.limit, currency),
        **{
            k: v
            for k, v in (
                ("outstanding", money(args.outstanding)),
                ("drawn_total", money(args.drawn_total)),
            )
            if v is not None
        },
        fully_repaid_once=args.repaid_once,
    )
    offer = quote(line, Money(args.payable, currency), policy)
    binding = offer.binding_index
    if args.json:
        _print_json({"quote": to_dict(offer), "binding_cap": binding}, io.out)
        return OK
    write = io.out.write
    write(f"Financeable: {offer.amount} (bound by {offer.limited_by}; policy: {policy.edition})\n")
    write(f"  line: limit {line.limit}, outstanding {line.outstanding}, drawn in all ")
    write(f"{line.drawn_total}; trade payable {Money(args.payable, currency)}\n\n")
    rows = [
        (cap.rule, cap.label, str(cap.amount), "<- binding" if i == binding else "")
        for i, cap in enumerate(offer.caps)
    ]
    write(_table(["rule", "cap", "amount", ""], rows, [2]))
    write(f"\n\nInsurance fee: {offer.insurance_fee}\n")
    return OK


# -- tier --------------------------------------------------------------------------------


def _cmd_tier(args: argparse.Namespace, io: _IO) -> int:
    from tradeassure.serialization import from_json
    from tradeassure.verification import (
        BuyerProfile,
        IdentityField,
        fields_to_verify,
        identity_tier,
        max_order_for,
        verified_until,
    )

    profile = from_json(_read_input(args.file, io.stdin), BuyerProfile)
    # The command's edge reads the clock when not told the day; the library never does.
    as_of = args.as_of or datetime.now(UTC).date()
    tier = identity_tier(profile, as_of)
    until = verified_until(profile)
    missing = [f for f in IdentityField if f in fields_to_verify(profile, as_of)]
    limit = max_order_for(profile)
    if args.json:
        from tradeassure.serialization import to_dict

        _print_json(
            {
                "as_of": as_of.isoformat(),
                "tier": tier.name,
                "rule": tier.rule,
                "verified_until": None if until is None else until.isoformat(),
                "fields_to_verify": [f.name for f in missing],
                "max_order": None if limit is None else to_dict(limit),
            },
            io.out,
        )
        return OK
    rows = [
        ("tier", f"{tier.name} ({tier.rule})"),
        ("as of", as_of.isoformat()),
        ("verified until", "never verified in full" if until is None else until.isoformat()),
        ("fields to verify", ", ".join(f.name for f in missing) or "none"),
        ("largest order", "no limit" if limit is None else f"{limit} (ID-BUSINESS-NAME)"),
    ]
    io.out.write(_table(["", ""], rows).split("\n", 2)[2] + "\n")
    return OK


# -- workdays ----------------------------------------------------------------------------


def _cmd_workdays(args: argparse.Namespace, io: _IO) -> int:
    from tradeassure.shipping import calendar_for

    calendar = calendar_for(args.country)
    if args.action == "add":
        result = calendar.add_working_days(args.start, args.days, strict=args.strict)
        years = {args.start.year, result.year}
        answer: dict[str, Any] = {
            "start": args.start.isoformat(),
            "working_days": args.days,
            "result": result.isoformat(),
        }
        text = (
            f"{args.days} working days after {args.start} in {args.country}: {result} ({result:%A})"
        )
    else:
        count = calendar.working_days_between(args.start, args.end, strict=args.strict)
        years = {args.start.year, args.end.year}
        answer = {
            "start": args.start.isoformat(),
            "end": args.end.isoformat(),
            "working_days": count,
        }
        text = f"working days after {args.start} up to {args.end} in {args.country}: {count}"
    estimated = sorted(y for y in years if calendar.is_estimated(y))
    answer |= {"country": args.country, "estimated_years": estimated}
    if args.json:
        _print_json(answer, io.out)
        return OK
    io.out.write(text + "\n")
    if estimated:
        io.out.write(
            f"  note: {', '.join(map(str, estimated))} not yet published for {args.country}; "
            "the answer is estimated (--strict refuses it)\n"
        )
    return OK


# -- diagram and rules -------------------------------------------------------------------


def _cmd_diagram(args: argparse.Namespace, io: _IO) -> int:
    from tradeassure.diagram import dot, edges, mermaid, terminal_statuses

    if args.json:
        _print_json(
            {
                "edges": [
                    {"from": a.name, "to": b.name, "events": list(names)} for a, b, names in edges()
                ],
                "terminal": [s.name for s in terminal_statuses()],
            },
            io.out,
        )
        return OK
    io.out.write(dot() if args.format == "dot" else mermaid())
    return OK


def _cmd_rules(args: argparse.Namespace, io: _IO) -> int:
    from tradeassure.rules import RULES, SOURCES
    from tradeassure.serialization import to_dict

    words = [w.lower() for w in args.query]
    found = [
        r
        for r in RULES.values()
        if (args.section is None or r.section == args.section)
        and all(w in f"{r.id} {r.section} {r.summary}".lower() for w in words)
    ]
    if args.json:
        _print_json([to_dict(r) for r in found], io.out)
        return OK
    if not found:
        io.out.write("no rule matches\n")
        return OK
    if len(found) == 1:
        r = found[0]
        io.out.write(f"{r.id} ({r.section})\n  {r.summary}\n  sources:\n")
        for key in r.sources:
            io.out.write(f"    {key}: {SOURCES[key]}\n")
        return OK
    io.out.write(
        _table(["id", "section", "summary"], [(r.id, r.section, r.summary) for r in found])
    )
    io.out.write("\n")
    return OK


def _cmd_schema(args: argparse.Namespace, io: _IO) -> int:
    from tradeassure.schema import json_schema

    _print_json(json_schema(), io.out)
    return OK


# -- the parser --------------------------------------------------------------------------


class _IO:
    __slots__ = ("err", "out", "stdin")

    def __init__(self, out: IO[str], err: IO[str], stdin: IO[str]) -> None:
        self.out, self.err, self.stdin = out, err, stdin


def _parser() -> argparse.ArgumentParser:
    from tradeassure.credit import FINANCING_EDITIONS
    from tradeassure.escrow import ESCROW_EDITIONS
    from tradeassure.rules import RULES

    parser = argparse.ArgumentParser(
        prog="tradeassure",
        description="The buyer-protection rules of cross-border B2B trade, from a shell.",
        epilog="Exit status: 0 fine, 1 refused by a business rule, 2 malformed input.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str,
        help_text: str,
        run: Callable[[argparse.Namespace, _IO], int],
        json_flag: bool = True,
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(run=run)
        if json_flag:
            p.add_argument("--json", action="store_true", help="print JSON instead of tables")
        return p

    demo = command(
        "demo",
        "replay the bundled example order: its states, money movements and deadlines",
        _cmd_demo,
    )
    demo.add_argument(
        "--history",
        action="store_true",
        help="print the example's history as JSON lines instead (for `replay -`)",
    )

    book = command(
        "book",
        "summarize a book of orders: held money beside limits, ages, disputes, timers, errors",
        _cmd_book,
        json_flag=False,
    )
    book.add_argument(
        "file",
        nargs="+",
        metavar="FILE",
        help="a JSON-lines book, plain or .gz (each order's events together, in time order); "
        "or - for stdin, copied to a scratch file first so its error rows name <stdin>:LINE",
    )
    book.add_argument(
        "--as-of",
        type=_instant_arg,
        metavar="INSTANT",
        help="the ISO 8601 instant, with its offset, that due timers and ages are counted at "
        "(default: now, UTC, read from this machine's clock; the library never reads one)",
    )
    book.add_argument(
        "--group-by",
        choices=tuple(_GROUPINGS),
        default="supplier",
        help="the first table: held money by supplier beside its limit (default), by "
        "currency, or orders and their money by status",
    )
    book.add_argument(
        "--policy", choices=sorted(ESCROW_EDITIONS), default="default", help="escrow edition"
    )
    engine = book.add_mutually_exclusive_group()
    engine.add_argument(
        "--workers", type=_workers_arg, metavar="N", help="read on a pool of N processes"
    )
    engine.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="read on the Dask scheduler at ADDRESS (needs the dask extra)",
    )
    form = book.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print the sums and error rows as JSON")
    form.add_argument("--csv", action="store_true", help="print one CSV row per order")
    form.add_argument(
        "--parquet",
        metavar="OUT",
        help="write one row per order to the Parquet file OUT (needs the book extra: pyarrow)",
    )

    replay = command(
        "replay",
        "replay a JSON-lines event history: final state, money, timeline, deadlines, rules",
        _cmd_replay,
    )
    replay.add_argument("file", metavar="FILE", help="a JSON-lines history, or - for stdin")
    replay.add_argument(
        "--at",
        type=_instant_arg,
        metavar="INSTANT",
        help="advance time to this ISO 8601 instant first, firing due timers",
    )
    replay.add_argument(
        "--policy", choices=sorted(ESCROW_EDITIONS), default="default", help="escrow edition"
    )

    finance = command(
        "finance", "quote how much of a trade an e-Credit Line finances, cap by cap", _cmd_finance
    )
    finance.add_argument("--limit", type=_amount_arg, required=True, help="the credit limit")
    finance.add_argument(
        "--payable", type=_amount_arg, required=True, help="the trade's total payable amount"
    )
    finance.add_argument("--outstanding", type=_amount_arg, help="financing not yet repaid")
    finance.add_argument(
        "--drawn-total", type=_amount_arg, help="all financing ever drawn (default: outstanding)"
    )
    finance.add_argument(
        "--repaid-once",
        action="store_true",
        help="the line has been fully repaid once (CR-NEW-CUSTOMER no longer applies)",
    )
    finance.add_argument("--currency", help="ISO 4217 code of every amount (default: the policy's)")
    finance.add_argument(
        "--policy", choices=sorted(FINANCING_EDITIONS), default="default", help="financing edition"
    )

    tier = command(
        "tier", "a buyer's identity tier and verified-until date from its profile", _cmd_tier
    )
    tier.add_argument("file", metavar="FILE", help="a BuyerProfile as JSON, or - for stdin")
    tier.add_argument(
        "--as-of", type=_date_arg, metavar="DATE", help="the day to judge (default: today, UTC)"
    )

    workdays = command("workdays", "add or count working days in a country", _cmd_workdays)
    actions = workdays.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="the date N working days after START")
    add.add_argument("start", type=_date_arg, metavar="START")
    add.add_argument("days", type=_count_arg, metavar="N")
    count = actions.add_parser("count", help="working days after START up to END")
    count.add_argument("start", type=_date_arg, metavar="START")
    count.add_argument("end", type=_date_arg, metavar="END")
    for p in (add, count):
        p.add_argument("--country", default="CN", help="ISO 3166 code (default CN)")
        p.add_argument(
            "--strict", action="store_true", help="refuse years whose schedule is unpublished"
        )
        # SUPPRESS: a default here would overwrite `workdays --json ACTION`'s True.
        p.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")

    diagram = command(
        "diagram", "the escrow state machine as Mermaid or Graphviz DOT", _cmd_diagram
    )
    diagram.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")

    rules = command("rules", "list and search the rule catalogue", _cmd_rules)
    rules.add_argument("query", nargs="*", metavar="WORD", help="words every match contains")
    rules.add_argument(
        "--section", choices=sorted({r.section for r in RULES.values()}), help="one section only"
    )

    command(
        "schema",
        "the JSON Schema (draft 2020-12) of the event envelope, for producers in other languages",
        _cmd_schema,
        json_flag=False,
    )
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    stdin: IO[str] | None = None,
) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); returns the exit status.

    A command's report is built whole before anything is written, so a failure leaves
    standard output empty: its message goes to stderr, with status 1 for a refusal by a
    rule and 2 for anything else (input the library refuses, or, should one slip
    through, an error of the library's own, reported as such and never as a traceback).
    """
    out, err = stdout or sys.stdout, stderr or sys.stderr
    report = StringIO()
    parser = _parser()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse: --help (0) or a usage error (2)
        return int(exit_.code or 0)
    status = _run(args, _IO(report, err, stdin or sys.stdin))
    if status == OK:
        try:
            out.write(report.getvalue())
            out.flush()
        except BrokenPipeError:  # pragma: no cover - e.g. `tradeassure rules | head`
            pass
        except UnicodeEncodeError as exc:  # a terminal or pipe in ASCII, say
            err.write(
                f"tradeassure {args.command}: error: standard output cannot show the report "
                f"in {exc.encoding} ({exc.reason}); set PYTHONIOENCODING=utf-8\n"
            )
            return MALFORMED
    return status


def _run(args: argparse.Namespace, io: _IO) -> int:
    """Run the command; every failure becomes one message on stderr and its status."""
    command = f"tradeassure {args.command}"
    try:
        status: int = args.run(args, io)
    except _Refusal as refusal:
        io.err.write(
            f"refused: event {refusal.index} ({type(refusal.event).__name__}): "
            f"{refusal.violation}\n"
        )
        return REFUSED
    except (RuleViolation, PolicyError) as error:
        io.err.write(f"refused: {error}\n")
        return REFUSED
    except (InvalidInput, _Malformed) as error:
        io.err.write(f"{command}: error: {error}\n")
        return MALFORMED
    except Exception as error:  # the last line of defence: never a traceback
        # Not a refusal the library means: an input it failed to check. Said as such,
        # with status 2 (the input caused it), for a person to report.
        io.err.write(
            f"{command}: internal error: the library failed on this input "
            f"({type(error).__name__}: {error}); please report it with the input\n"
        )
        return MALFORMED
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
