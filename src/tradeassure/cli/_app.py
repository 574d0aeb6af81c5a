"""The ``tradeassure`` command on click (arguments, help, completion) and rich (tables
fitted to the terminal, colour, progress).

Subcommands: ``demo``, ``replay``, ``book``, ``finance``, ``tier``, ``workdays``,
``diagram``, ``rules``, ``schema`` and ``completion`` (``tradeassure --help`` lists
them; docs/cli.md shows each as a shell session).

Exit status: 0 when the request is fine, 1 when a business rule refuses it (or
``rules`` finds no match), 2 for bad input or usage. With ``--json`` every outcome is
JSON on stdout, a failure ``{"error": {...}}``; without it a failure prints no part of
the report, only its message on stderr, and never a traceback: an error the library did
not mean is reported as an internal error, with status 2. ``book`` reads a book's
refused and unreadable events as rows with an error, which are data: status 0.

Output: tables are as wide as the terminal (``COLUMNS`` when set; in a pipe without
it, as wide as their rows), in colour only on a terminal and never with ``NO_COLOR``.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import re
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from io import StringIO
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, TypeVar, overload

import click
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tradeassure import __version__
from tradeassure.credit import FINANCING_EDITIONS
from tradeassure.errors import InvalidInput, PolicyError, RuleViolation
from tradeassure.escrow import ESCROW_EDITIONS
from tradeassure.rules import RULES

if TYPE_CHECKING:  # pragma: no cover
    from tradeassure.book import Book, Exposure, OrderSummary
    from tradeassure.credit import FinancingPolicy
    from tradeassure.escrow import EscrowPolicy, Event, Order
    from tradeassure.money import Money

__all__ = ["app", "run"]

OK, REFUSED, MALFORMED = 0, 1, 2

# Replays at least this long show progress on a terminal.
_PROGRESS_MIN_EVENTS = 1000

#: The width of output that goes to no terminal and has no ``COLUMNS``: tables as wide
#: as their rows, one row a line, for grep and awk.
_UNBOUNDED: Final = 10_000

#: A table's look: a ruled header, two spaces between columns, no frame; ASCII, so it
#: reads the same in any encoding.
_RULED: Final = box.Box("    \n    \n -  \n    \n    \n    \n    \n    \n", ascii=True)


class _Malformed(Exception):
    """Input the command cannot use (exit status 2)."""


class _Refused(Exception):
    """A refusal in the command's own terms (exit status 1), naming its rule."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule


class _Refusal(Exception):
    """A history's event a rule refused, with its place in the history."""

    def __init__(self, violation: RuleViolation, index: int, event: Event) -> None:
        super().__init__(str(violation))
        self.violation = violation
        self.index = index
        self.event = event


# -- output ------------------------------------------------------------------------------


def _colour(stream: IO[str]) -> bool:
    """Colour on a terminal only, and never with ``NO_COLOR`` set (no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _width(stream: IO[str]) -> int:
    """``COLUMNS`` when set; a terminal's width; else unbounded."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if stream.isatty():
        return shutil.get_terminal_size().columns
    return _UNBOUNDED


def _console(file: IO[str], like: IO[str]) -> Console:
    """A rich console writing to ``file``, styled and sized for the stream ``like``."""
    colour = _colour(like)
    return Console(
        file=file,
        width=_width(like),
        force_terminal=colour,
        color_system="standard" if colour else None,
        no_color=not colour,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )


class _IO:
    """Where a command writes: ``out``, its report, built whole before it is shown (on
    ``console``, sized for the real stdout); ``stream``, the real stdout, for output
    too big to build first (``book --csv``); ``err`` and ``err_console`` for progress."""

    __slots__ = ("as_json", "console", "err", "err_console", "out", "status", "stdin", "stream")

    def __init__(self, stream: IO[str], err: IO[str], stdin: IO[str], as_json: bool) -> None:
        self.stream, self.err, self.stdin, self.as_json = stream, err, stdin, as_json
        self.status = OK
        self.out = StringIO()
        self.console = _console(self.out, stream)
        self.err_console = _console(err, err)

    def line(self, text: str = "", style: str | None = None) -> None:
        """One line of the report, wrapped at the width."""
        self.console.print(Text(text, style=style or ""))

    def heading(self, text: str) -> None:
        self.line()
        self.line(text, "bold")

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[str]],
        right: Iterable[int] = (),
        whole: Iterable[int] = (),
    ) -> None:
        """A table; the columns in ``right`` (numbers, money) align right, and those in
        ``whole`` (names: an event type, a status) are never broken inside a word, the
        other columns wrapping to make room (a word wider than the terminal is folded)."""
        aligned, kept = set(right), set(whole)
        rows = [tuple(row) for row in rows]
        table = Table(
            box=_RULED,
            padding=(0, 1, 0, 0),
            pad_edge=False,
            show_edge=False,
            header_style="bold",
            highlight=False,
        )
        for i, header in enumerate(headers):
            # A kept column wraps between its words only, the others wrap to make room.
            longest = max((len(w) for row in rows for w in row[i].split()), default=0)
            table.add_column(
                header,
                justify="right" if i in aligned else "left",
                overflow="fold",
                no_wrap=i in kept and all(" " not in row[i] for row in rows),
                min_width=max(longest, len(header)) if i in kept else None,
            )
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        self.console.print(table)

    def json(self, data: Any) -> None:
        _print_json(data, self.out)


def _when(instant: datetime) -> str:
    return instant.isoformat(sep=" ", timespec="minutes")


def _print_json(data: Any, out: IO[str]) -> None:
    out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _many(count: int, thing: str) -> str:
    return f"{count:,} {thing}{'' if count == 1 else 's'}"


# -- argument types ----------------------------------------------------------------------


def _date_arg(text: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date: expected YYYY-MM-DD, e.g. 2025-09-26") from None


def _instant_arg(text: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{text!r} is not an ISO 8601 instant: expected e.g. 2025-12-01T09:00:00+08:00"
        ) from None
    if "T" not in text.upper() and " " not in text:
        # A date alone, even with an offset after it, is no instant (fromisoformat reads
        # 2026-01-01+00:00 as a naive midnight): the example is that day's UTC midnight.
        example = instant.replace(tzinfo=UTC).isoformat()
        raise ValueError(
            f"{text!r} is a date, not an instant: give a time and an offset, e.g. {example}"
        )
    if instant.utcoffset() is None:
        raise ValueError(
            f"{text!r} has no offset: give one, e.g. {text}+00:00 (instants are never naive)"
        )
    return instant


def _amount_arg(text: str) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or not re.fullmatch(r"-?\d+(\.\d+)?", text, re.ASCII):
        raise ValueError(f"{text!r} is not an amount: expected e.g. 150000.00")
    return amount


def _count_arg(text: str) -> int:
    # ASCII digits only: int() itself also takes "1_0" and other scripts' digits.
    if not re.fullmatch(r"-?\d+", text, re.ASCII):
        raise ValueError(f"{text!r} is not a whole number: expected e.g. 10")
    return int(text)


def _workers_arg(text: str) -> int:
    count = _count_arg(text)
    if count < 1:
        raise ValueError(f"{text!r} is not a number of workers: expected 1 or more")
    return count


class _Parsed(click.ParamType):  # type: ignore[type-arg]  # generic in new clicks only
    """A click type from a function that takes the text and raises ValueError with the
    message to show."""

    def __init__(self, name: str, parse: Callable[[str], Any]) -> None:
        self.name = name
        self._parse = parse

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return self._parse(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE, INSTANT = _Parsed("DATE", _date_arg), _Parsed("INSTANT", _instant_arg)
AMOUNT, COUNT, WORKERS = (
    _Parsed("AMOUNT", _amount_arg),
    _Parsed("N", _count_arg),
    _Parsed("N", _workers_arg),
)
#: A file argument: a path, or - for standard input (click's Path: shells complete it).
FILE = click.Path(dir_okay=False, allow_dash=True)


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
    """A rich progress bar of the events replayed, on a terminal's stderr, for long
    histories; nothing in a pipe or a file."""

    def __init__(self, total: int, io: _IO) -> None:
        self.bar: Any = None
        if total >= _PROGRESS_MIN_EVENTS and io.err.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(
                TextColumn("replaying events"),
                BarColumn(),
                MofNCompleteColumn(),
                console=io.err_console,
                transient=True,
                auto_refresh=False,
            )
            self.task = self.bar.add_task("replay", total=total)
            self.every = max(1, total // 100)
            self.bar.start()

    def update(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done)
            if done % self.every == 0:
                self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.refresh()
            self.bar.stop()


def _replay_steps(
    events: Sequence[Event], policy: EscrowPolicy, at: datetime | None, io: _IO
) -> list[_Step]:
    from tradeassure.escrow import apply, due_events, steps

    progress = _Progress(len(events), io)
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
    """The order's dated deadlines (its next move is shown under what may happen next)."""
    import attrs

    from tradeassure.escrow import deadlines

    due = deadlines(order, policy)
    rows: list[tuple[str, str]] = []
    for field in attrs.fields(type(due)):
        value = getattr(due, field.name)
        if value is None or field.name == "next_move":
            continue
        if isinstance(value, tuple):
            shown = f"{value[0]} to {value[1]}"
        elif isinstance(value, datetime):
            shown = _when(value)
        else:
            shown = str(value)
        rows.append((field.name.replace("_", " "), shown))
    return rows


def _next_data(order: Order, policy: EscrowPolicy) -> dict[str, Any]:
    """What each party may send the order now (``escrow.allowed_moves``) and the move it
    waits for (``Deadlines.next_move``), as JSON data."""
    from tradeassure.escrow import allowed_moves, deadlines

    move = deadlines(order, policy).next_move
    return {
        "moves": {
            party.name: sorted(kind.__name__ for kind in kinds)
            for party, kinds in allowed_moves(order, policy).items()
        },
        "next_move": None
        if move is None
        else {
            "rule": move.rule,
            "party": move.party.name,
            "at": None if move.at is None else move.at.isoformat(),
        },
    }


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
        "next": _next_data(order, policy),
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


def _report(steps: list[_Step], policy: EscrowPolicy, io: _IO) -> None:
    from tradeassure.escrow import brief

    if io.as_json:
        io.json(_report_data(steps, policy))
        return
    order = steps[-1].after
    c = order.contract
    io.line(f"Order {order.order_id}: {order.status.name} (policy: {policy.edition})", "bold")
    io.line(f"  buyer {c.buyer}, supplier {c.supplier}, total {c.total}, ship-by {order.ship_by}")
    io.heading("Money")
    io.table(["", "amount"], [(n, str(m)) for n, m in _money_rows(order, policy)], [1])
    io.heading("Timeline")
    rows = []
    for s in steps:
        b = s.before
        moves = (
            (name, _moved(None if b is None else getattr(b, name), getattr(s.after, name)))
            for name in ("held", "released", "refunded")
        )
        rows.append(
            (
                str(s.index),
                _when(s.event.at),
                type(s.event).__name__ + (" (redelivered)" if s.redelivered else ""),
                brief(s.event),
                s.after.status.name,
                ", ".join(f"{name} {moved}" for name, moved in moves if moved),
            )
        )
    io.table(["#", "at", "event", "details", "status", "moved"], rows, [0], [1, 2, 4])
    io.heading("Deadlines")
    due = _deadline_rows(order, policy)
    if due:
        io.table(["deadline", "when"], due)
    else:
        io.line("  none pending")
    io.heading("What may happen next")
    upcoming = _next_data(order, policy)
    io.table(
        ["party", "may send"],
        [
            (party.lower(), ", ".join(kinds) or "nothing")
            for party, kinds in upcoming["moves"].items()
        ],
    )
    move = upcoming["next_move"]
    if move is None:
        io.line("  next due: nothing (the order is closed)")
    else:
        by = "no deadline" if move["at"] is None else _when(datetime.fromisoformat(move["at"]))
        io.line(f"  next due: {move['rule']}, the {move['party'].lower()}'s move, by {by}")
    io.heading("Rule trace")
    trace = [
        (
            str(s.index),
            type(s.event).__name__,
            f"{'-' if s.before is None else s.before.status.name} -> {s.after.status.name}",
            ", ".join(s.rules) or "-",
        )
        for s in steps
    ]
    io.table(["#", "event", "status", "rules"], trace, [0])


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


class _Renamed(Sequence["OrderSummary"]):
    """A book's rows, each renamed (:func:`_renamed_row`) as it is read, none kept."""

    def __init__(self, rows: Sequence[OrderSummary], names: Mapping[str, str]) -> None:
        self._rows, self._names = rows, names

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> OrderSummary: ...

    @overload
    def __getitem__(self, index: slice) -> list[OrderSummary]: ...

    def __getitem__(self, index: int | slice) -> OrderSummary | list[OrderSummary]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return _renamed_row(self._rows[index], self._names)

    def __iter__(self) -> Iterator[OrderSummary]:
        for row in self._rows:
            yield _renamed_row(row, self._names)


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
    count = len(book.orders)
    if form == "csv":
        _book_csv(_Renamed(book.orders, names), io.stream)
    elif form == "parquet" and parquet is not None:
        _book_parquet(book, _Renamed(book.orders, names), parquet)
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


# -- finance -----------------------------------------------------------------------------


def _terms_refusal(policy: FinancingPolicy, limit: Money) -> _Refused:
    """CR-TIER (or the edition's terms rule) in the command's terms: the limits the
    edition covers, and the flags that would change the answer."""
    others = ", ".join(name for name in FINANCING_EDITIONS if name != policy.edition)
    return _Refused(
        policy.terms_rule,
        f"the {policy.edition} financing terms cover {policy.granted_limits}; --limit "
        f"{limit.amount} is outside them: give a --limit they cover, or another --policy "
        f"({others})",
    )


def _finance_data(args: Mapping[str, Any], io: _IO) -> int:
    from tradeassure.credit import CreditLine, quote
    from tradeassure.money import Money
    from tradeassure.serialization import to_dict

    policy = FINANCING_EDITIONS[args["policy"]]
    currency = args["currency"] or policy.currency

    def money(amount: Decimal | None) -> Money | None:
        return None if amount is None else Money(amount, currency)

    line = CreditLine(
        limit=Money(args["limit"], currency),
        **{
            k: v
            for k, v in (
                ("outstanding", money(args["outstanding"])),
                ("drawn_total", money(args["drawn_total"])),
            )
            if v is not None
        },
        fully_repaid_once=args["repaid_once"],
    )
    payable = Money(args["payable"], currency)
    try:
        offer = quote(line, payable, policy)
    except PolicyError as error:
        if error.rule != policy.terms_rule:
            raise
        raise _terms_refusal(policy, line.limit) from None
    binding = offer.binding_index
    if io.as_json:
        io.json({"quote": to_dict(offer), "binding_cap": binding})
        return OK
    io.line(
        f"Financeable: {offer.amount} (bound by {offer.limited_by}; policy: {policy.edition})",
        "bold",
    )
    io.line(
        f"  line: limit {line.limit}, outstanding {line.outstanding}, drawn in all "
        f"{line.drawn_total}; trade payable {payable}"
    )
    io.line()
    rows = [
        (cap.rule, cap.label, str(cap.amount), "binding" if i == binding else "")
        for i, cap in enumerate(offer.caps)
    ]
    io.table(["rule", "cap", "amount", "binds"], rows, [2])
    io.line()
    io.line(f"Insurance fee: {offer.insurance_fee}")
    return OK


# -- tier --------------------------------------------------------------------------------


def _tier(file: str, as_of: date | None, io: _IO) -> int:
    from tradeassure.serialization import from_json
    from tradeassure.verification import (
        BuyerProfile,
        IdentityField,
        fields_to_verify,
        identity_tier,
        max_order_for,
        verified_until,
    )

    profile = from_json(_read_input(file, io.stdin), BuyerProfile)
    # The command's edge reads the clock when not told the day; the library never does.
    day = as_of or datetime.now(UTC).date()
    tier = identity_tier(profile, day)
    until = verified_until(profile)
    missing = [f for f in IdentityField if f in fields_to_verify(profile, day)]
    limit = max_order_for(profile)
    if io.as_json:
        from tradeassure.serialization import to_dict

        io.json(
            {
                "as_of": day.isoformat(),
                "tier": tier.name,
                "rule": tier.rule,
                "verified_until": None if until is None else until.isoformat(),
                "fields_to_verify": [f.name for f in missing],
                "max_order": None if limit is None else to_dict(limit),
            }
        )
        return OK
    rows = [
        ("tier", f"{tier.name} ({tier.rule})"),
        ("as of", day.isoformat()),
        ("verified until", "never verified in full" if until is None else until.isoformat()),
        ("fields to verify", ", ".join(f.name for f in missing) or "none"),
        ("largest order", "no limit" if limit is None else f"{limit} (ID-BUSINESS-NAME)"),
    ]
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for name, value in rows:
        table.add_row(Text(name), Text(value))
    io.console.print(table)
    return OK


# -- workdays ----------------------------------------------------------------------------


def _workdays(
    start: date, other: date | int, country: str, strict: bool, action: str, io: _IO
) -> int:
    from tradeassure.shipping import calendar_for

    calendar = calendar_for(country)
    answer: dict[str, Any]
    if isinstance(other, int):
        result = calendar.add_working_days(start, other)
        span = sorted((start.year, result.year))
        answer = {"start": start.isoformat(), "working_days": other, "result": result.isoformat()}
        text = f"{other} working days after {start} in {country}: {result} ({result:%A})"
    else:
        count = calendar.working_days_between(start, other)
        span = sorted((start.year, other.year))
        answer = {"start": start.isoformat(), "end": other.isoformat(), "working_days": count}
        text = f"working days after {start} up to {other} in {country}: {count}"
    estimated = [y for y in range(span[0], span[1] + 1) if calendar.is_estimated(y)]
    if strict and estimated:
        years = ", ".join(map(str, estimated))
        raise _Malformed(
            f"--strict: {country}'s holidays for {years} are not yet published, so the "
            "answer would be an estimate; leave out --strict to accept it"
        )
    answer |= {"country": country, "estimated_years": estimated}
    if io.as_json:
        io.json(answer)
        return OK
    io.line(text)
    if estimated:
        io.line(
            f"  note: {', '.join(map(str, estimated))} not yet published for {country}; "
            "the answer is estimated (--strict refuses it)"
        )
    return OK


# -- rules -------------------------------------------------------------------------------


def _rules(words: Sequence[str], section: str | None, io: _IO) -> int:
    from tradeassure.rules import SOURCES
    from tradeassure.serialization import to_dict

    lowered = [w.lower() for w in words]
    found = [
        r
        for r in RULES.values()
        if (section is None or r.section == section)
        and all(w in f"{r.id} {r.section} {r.summary}".lower() for w in lowered)
    ]
    status = OK if found else REFUSED
    if io.as_json:
        io.json([to_dict(r) for r in found])
        return status
    if not found:
        searched = " ".join(words) or f"--section {section}"
        io.err.write(f"no rule matches {searched}\n")
        return status
    if len(found) == 1:
        r = found[0]
        io.line(f"{r.id} ({r.section})", "bold")
        io.line(f"  {r.summary}")
        io.line("  sources:")
        for key in r.sources:
            io.line(f"    {key}: {SOURCES[key]}")
        return OK
    io.table(["id", "section", "summary"], [(r.id, r.section, r.summary) for r in found])
    return OK


# -- the commands ------------------------------------------------------------------------

_F = TypeVar("_F", bound=Callable[..., Any])

_JSON_HELP = 'print JSON instead of tables (a failure too, as {"error": ...}, on stdout)'


def _json_option(function: _F) -> _F:
    return click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)(function)


def _io(as_json: bool = False) -> _IO:
    io: _IO = click.get_current_context().find_object(_IO)  # type: ignore[assignment]
    io.as_json = io.as_json or as_json
    return io


_EPILOG = (
    "Exit status: 0 fine, 1 refused by a business rule (or no rule matches), 2 bad input "
    'or usage. Shell completion: eval "$(tradeassure completion bash)" (or zsh, fish).'
)


@click.group(
    name="tradeassure",
    epilog=_EPILOG,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(
    __version__, "--version", prog_name="tradeassure", message="%(prog)s %(version)s"
)
def app() -> None:
    """The buyer-protection rules of cross-border B2B trade, from a shell."""


@app.command()
@_json_option
@click.option(
    "--history",
    is_flag=True,
    help="print the example's history as JSON lines instead (for `tradeassure replay -`)",
)
def demo(as_json: bool, history: bool) -> int:
    """Replay the bundled example order: its states, money movements, deadlines and what
    may happen next; then summarize the bundled sample book."""
    from tradeassure._example import history as example
    from tradeassure.escrow import DEFAULT_ESCROW
    from tradeassure.serialization import events_to_json_lines

    io = _io(as_json)
    if history:
        io.out.write(events_to_json_lines(example()))
        return OK
    steps = _replay_steps(example(), DEFAULT_ESCROW, None, io)
    book, names = _sample_book(io)
    if io.as_json:
        errors = [_renamed_row(row, names) for row in book.errors]
        sums = _book_json(book, len(book.orders), errors, "supplier")
        io.json(_report_data(steps, DEFAULT_ESCROW) | {"book": sums})
        return OK
    _report(steps, DEFAULT_ESCROW, io)
    io.line()
    io.line(f"The book: {len(book.orders):,} orders of the bundled sample", "bold")
    io.line()
    _book_output(book, names, io)
    return OK


@app.command()
@click.argument("file", metavar="FILE", type=FILE)
@click.option(
    "--at",
    type=INSTANT,
    metavar="INSTANT",
    help="advance time to this ISO 8601 instant, with its offset, first, firing the timers "
    "due by then (e.g. 2025-12-05T09:00:00+08:00)",
)
@click.option(
    "--policy",
    type=click.Choice(sorted(ESCROW_EDITIONS)),
    default="default",
    show_default=True,
    help="the escrow edition to judge the history under",
)
@_json_option
def replay(file: str, at: datetime | None, policy: str, as_json: bool) -> int:
    """Replay a JSON-lines event history: the order's state, money, timeline, deadlines,
    what each party may do next, and the rules applied.

    FILE is the history, one event envelope a line, or - for standard input.
    """
    from tradeassure.serialization import events_from_json_lines

    io = _io(as_json)
    edition = ESCROW_EDITIONS[policy]
    events = events_from_json_lines(_read_input(file, io.stdin))
    _report(_replay_steps(events, edition, at, io), edition, io)
    return OK


@app.command()
@click.argument("files", metavar="FILE...", nargs=-1, required=True, type=FILE)
@click.option(
    "--as-of",
    type=INSTANT,
    metavar="INSTANT",
    help="the ISO 8601 instant, with its offset, that due timers and ages are counted at "
    "(default: now, UTC, read from this machine's clock; the library never reads one)",
)
@click.option(
    "--group-by",
    type=click.Choice(tuple(_GROUPINGS)),
    default="supplier",
    show_default=True,
    help="the first table: held money by supplier beside its limit, by currency, or "
    "orders and their money by status",
)
@click.option(
    "--policy",
    type=click.Choice(sorted(ESCROW_EDITIONS)),
    default="default",
    show_default=True,
    help="the escrow edition to judge every order under",
)
@click.option("--workers", type=WORKERS, metavar="N", help="read on a pool of N processes")
@click.option(
    "--dask",
    metavar="ADDRESS",
    help="read on the Dask scheduler at ADDRESS (needs the dask extra)",
)
@click.option("--json", "as_json", is_flag=True, help="print the sums and error rows as JSON")
@click.option("--csv", "as_csv", is_flag=True, help="print one CSV row per order, streamed")
@click.option(
    "--parquet",
    metavar="OUT",
    type=click.Path(dir_okay=False),
    help="write one row per order to the Parquet file OUT (needs the book extra: pyarrow)",
)
def book(
    files: tuple[str, ...],
    as_of: datetime | None,
    group_by: str,
    policy: str,
    workers: int | None,
    dask: str | None,
    as_json: bool,
    as_csv: bool,
    parquet: str | None,
) -> int:
    """Summarize a book of orders: held money beside limits, its age, disputes, due
    timers, what waits on the platform, and the rows a rule refused.

    FILE is a JSON-lines book, plain or .gz (each order's events together, in time
    order); several are one book; - reads standard input (copied to a scratch file
    first, so its error rows name <stdin>:LINE).
    """
    import tempfile

    ctx = click.get_current_context()
    if workers is not None and dask is not None:
        raise click.UsageError("--dask is not allowed with --workers: read on one engine", ctx)
    forms = [name for name, on in (("--json", as_json), ("--csv", as_csv)) if on]
    forms += ["--parquet"] if parquet is not None else []
    if len(forms) > 1:
        raise click.UsageError(f"{forms[1]} is not allowed with {forms[0]}: give one form", ctx)
    io = _io(as_json)
    edition = ESCROW_EDITIONS[policy]
    if parquet is not None:
        _pyarrow()  # before reading a book it could not write
    # The command's edge reads the clock when not told the instant; the library never does.
    when = as_of or datetime.now(UTC)
    engine = (
        ("dask", None, dask)
        if dask is not None
        else ("processes", workers, None)
        if workers is not None
        else ("local", None, None)
    )
    form = "json" if as_json else "csv" if as_csv else "text" if parquet is None else "parquet"
    with tempfile.TemporaryDirectory(prefix="tradeassure-book-") as scratch:
        paths, names = _book_sources(files, io.stdin, scratch)
        summary = _summarize(paths, when, edition, engine, io)
        _book_output(
            summary, names, io, form=form, group_by=group_by, policy=policy, parquet=parquet
        )
    return OK


@app.command(name="sort")
@click.argument("files", metavar="FILE...", nargs=-1, required=True, type=FILE)
@click.option(
    "--output",
    "-o",
    metavar="OUT",
    required=True,
    type=click.Path(dir_okay=False),
    help="the sorted book to write (gzip if it ends in .gz); written whole or not at all",
)
@_json_option
def sort_command(files: tuple[str, ...], output: str, as_json: bool) -> int:
    """Sort a book whose orders' events are interleaved (a log in time order) for
    `tradeassure book`: each order's events together, orders by id, each order's lines
    in the order read. SQLite sorts on disk, so a book of any size fits.

    FILE is a JSON-lines book, plain or .gz; several are one book; - reads standard
    input.
    """
    import tempfile

    from tradeassure.book import sort_book

    io = _io(as_json)
    with tempfile.TemporaryDirectory(prefix="tradeassure-sort-") as scratch:
        paths, _ = _book_sources(files, io.stdin, scratch)
        done = sort_book(paths, output)
    if io.as_json:
        io.json({"lines": done.lines, "orders": done.orders, "output": output})
    else:
        io.line(f"sorted {done.lines:,} lines of {done.orders:,} orders into {output}")
    return OK


@app.command()
@click.option("--limit", type=AMOUNT, required=True, help="the credit line's limit, e.g. 2000000")
@click.option(
    "--payable", type=AMOUNT, required=True, help="the trade's total payable amount, e.g. 200000"
)
@click.option("--outstanding", type=AMOUNT, help="financing drawn and not yet repaid (default 0)")
@click.option(
    "--drawn-total", type=AMOUNT, help="all financing ever drawn (default: --outstanding)"
)
@click.option(
    "--repaid-once",
    is_flag=True,
    help="the line has been fully repaid once (CR-NEW-CUSTOMER no longer applies)",
)
@click.option(
    "--currency", metavar="CODE", help="ISO 4217 code of every amount (default: the policy's)"
)
@click.option(
    "--policy",
    type=click.Choice(sorted(FINANCING_EDITIONS)),
    default="default",
    show_default=True,
    help="the financing edition whose caps and terms apply",
)
@_json_option
def finance(**args: Any) -> int:
    """Quote how much of a trade an e-Credit Line finances, cap by cap, and which cap
    binds."""
    return _finance_data(args, _io(args.pop("as_json")))


@app.command()
@click.argument("file", metavar="FILE", type=FILE)
@click.option(
    "--as-of",
    type=DATE,
    metavar="DATE",
    help="the day to judge, YYYY-MM-DD (default: today, UTC)",
)
@_json_option
def tier(file: str, as_of: date | None, as_json: bool) -> int:
    """A buyer's identity tier, verified-until date and fields to verify.

    FILE is a BuyerProfile as JSON, or - for standard input.
    """
    return _tier(file, as_of, _io(as_json))


@app.group()
@_json_option
def workdays(as_json: bool) -> None:
    """Add or count working days in a country (public holidays and adjusted weekends
    included)."""
    _io(as_json)


def _workdays_options(function: _F) -> _F:
    for option in (
        click.option(
            "--country",
            default="CN",
            show_default=True,
            metavar="CODE",
            help="the ISO 3166 code of the country whose calendar counts",
        ),
        click.option(
            "--strict",
            is_flag=True,
            help="refuse years whose holiday schedule is not yet published (exit 2)",
        ),
        _json_option,
    ):
        function = option(function)
    return function


# ignore_unknown_options: N may be negative, and -5 is no option.
@workdays.command(context_settings={"ignore_unknown_options": True})
@click.argument("start", metavar="START", type=DATE)
@click.argument("days", metavar="N", type=COUNT)
@_workdays_options
def add(start: date, days: int, country: str, strict: bool, as_json: bool) -> int:
    """The date N working days after START.

    START is a date, YYYY-MM-DD; N a whole number of working days (negative counts back).
    """
    return _workdays(start, days, country, strict, "add", _io(as_json))


@workdays.command()
@click.argument("start", metavar="START", type=DATE)
@click.argument("end", metavar="END", type=DATE)
@_workdays_options
def count(start: date, end: date, country: str, strict: bool, as_json: bool) -> int:
    """The working days after START up to END.

    START and END are dates, YYYY-MM-DD.
    """
    return _workdays(start, end, country, strict, "count", _io(as_json))


@app.command()
@click.option(
    "--format",
    "form",
    type=click.Choice(("mermaid", "dot")),
    default="mermaid",
    show_default=True,
    help="Mermaid (for Markdown pages) or Graphviz DOT (for `dot -Tsvg`)",
)
@_json_option
def diagram(form: str, as_json: bool) -> int:
    """The escrow state machine, drawn from escrow.TRANSITIONS."""
    from tradeassure.diagram import dot, edges, mermaid, terminal_statuses

    io = _io(as_json)
    if io.as_json:
        io.json(
            {
                "edges": [
                    {"from": a.name, "to": b.name, "events": list(names)} for a, b, names in edges()
                ],
                "terminal": [s.name for s in terminal_statuses()],
            }
        )
        return OK
    io.out.write(dot() if form == "dot" else mermaid())
    return OK


@app.command()
@click.argument("words", metavar="[WORD]...", nargs=-1)
@click.option(
    "--section",
    type=click.Choice(sorted({r.section for r in RULES.values()})),
    help="search one section of the catalogue only",
)
@_json_option
def rules(words: tuple[str, ...], section: str | None, as_json: bool) -> int:
    """List and search the rule catalogue; one match shows its sources.

    WORD: every match's id, section or summary contains each word (any case). No match
    exits 1, as grep does.
    """
    return _rules(words, section, _io(as_json))


@app.command()
@click.option("--json", "as_json", is_flag=True, help="accepted, and changes nothing: it is JSON")
def schema(as_json: bool) -> int:
    """The JSON Schema (draft 2020-12) of the event envelope, for producers in other
    languages."""
    from tradeassure.schema import json_schema

    io = _io(as_json)
    io.json(json_schema())
    return OK


@app.command()
@click.argument("shell", metavar="SHELL", type=click.Choice(("bash", "zsh", "fish")))
def completion(shell: str) -> int:
    """Print the shell completion script for SHELL (bash, zsh or fish).

    Enable it in bash with eval "$(tradeassure completion bash)" in ~/.bashrc; zsh
    likewise in ~/.zshrc; fish: tradeassure completion fish >
    ~/.config/fish/completions/tradeassure.fish.
    """
    from click.shell_completion import get_completion_class

    complete = get_completion_class(shell)
    if complete is None:  # pragma: no cover - click registers each of the choices
        raise _Malformed(f"click has no completion for {shell}")
    io = _io()
    io.out.write(complete(app, {}, "tradeassure", "_TRADEASSURE_COMPLETE").source() + "\n")
    return OK


# -- running -----------------------------------------------------------------------------


def run(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    stdin: IO[str] | None = None,
) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); returns the exit status.

    A command's report is built whole before anything is written, so a failure leaves
    standard output empty but for, with ``--json``, the failure as JSON; its message
    goes to stderr, with status 1 for a refusal by a rule and 2 for anything else
    (usage, input the library refuses, or, should one slip through, an error of the
    library's own, reported as such and never as a traceback).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    out, err = stdout or sys.stdout, stderr or sys.stderr
    options = args[: args.index("--")] if "--" in args else args
    io = _IO(out, err, stdin or sys.stdin, as_json="--json" in options)
    status = _invoke(args, io)
    if status is None:
        return _emit(io, out, err, args)
    return status


def _invoke(args: list[str], io: _IO) -> int | None:
    """Run the command: None when it ran (its status in ``io``), else the failure's
    status, its message written."""
    try:
        with contextlib.redirect_stdout(io.stream), contextlib.redirect_stderr(io.err):
            status = app.main(args=args, prog_name="tradeassure", standalone_mode=False, obj=io)
    except SystemExit as exit_:  # shell completion's answer
        return int(exit_.code or 0)
    except click.exceptions.NoArgsIsHelpError as error:
        io.err.write(error.format_message() + "\n")
        return _failed(io, MALFORMED, "usage", "tradeassure: error: no command given")
    except click.UsageError as error:
        where = error.ctx.command_path if error.ctx is not None else "tradeassure"
        hint = "" if error.ctx is None else f"\nTry '{where} --help' for help."
        return _failed(io, MALFORMED, "usage", f"{where}: error: {error.format_message()}", hint)
    except click.ClickException as error:
        return _failed(io, MALFORMED, "usage", f"tradeassure: error: {error.format_message()}")
    except click.Abort:
        return _failed(io, MALFORMED, "usage", "tradeassure: aborted")
    except _Refusal as refusal:
        message = (
            f"refused: event {refusal.index} ({type(refusal.event).__name__}): {refusal.violation}"
        )
        event = {"index": refusal.index, "type": type(refusal.event).__name__}
        return _failed(io, REFUSED, "refused", message, rule=refusal.violation.rule, event=event)
    except RuleViolation as error:
        return _failed(io, REFUSED, "refused", f"refused: {error}", rule=error.rule)
    except (PolicyError, _Refused) as error:
        return _failed(io, REFUSED, "refused", f"refused: {error}", rule=error.rule)
    except (InvalidInput, _Malformed) as error:
        return _failed(io, MALFORMED, "malformed", f"{_command(args)}: error: {error}")
    except Exception as error:  # the last line of defence: never a traceback
        # Not a refusal the library means: an input it failed to check. Said as such,
        # with status 2 (the input caused it), for a person to report.
        message = (
            f"{_command(args)}: internal error: the library failed on this input "
            f"({type(error).__name__}: {error}); please report it with the input"
        )
        return _failed(io, MALFORMED, "internal", message)
    io.status = OK if status is None else int(status)
    return None


def _command(args: Sequence[str]) -> str:
    """``tradeassure`` and the words naming the subcommand that ran."""
    words = ["tradeassure"]
    group: Any = app
    for arg in args:
        command = getattr(group, "commands", {}).get(arg)
        if command is None:
            if not arg.startswith("-"):
                break
            continue
        words.append(arg)
        group = command
    return " ".join(words)


def _failed(io: _IO, status: int, kind: str, message: str, hint: str = "", **more: Any) -> int:
    """Say what failed on stderr (and, with --json, as JSON on stdout); give ``status``."""
    io.err.write(message + hint + "\n")
    if io.as_json:
        error = {"status": status, "kind": kind, "message": message} | more
        with contextlib.suppress(BrokenPipeError, UnicodeEncodeError):
            _print_json({"error": error}, io.stream)
            io.stream.flush()
    return status


def _emit(io: _IO, out: IO[str], err: IO[str], args: Sequence[str]) -> int:
    """Write the report built; its status, or 2 when stdout cannot take it."""
    text = "\n".join(line.rstrip() for line in io.out.getvalue().split("\n"))
    try:
        out.write(text)
        out.flush()
    except BrokenPipeError:  # pragma: no cover - e.g. `tradeassure rules | head`
        pass
    except UnicodeEncodeError as exc:  # a terminal or pipe in ASCII, say
        err.write(
            f"{_command(args)}: error: standard output cannot show the report "
            f"in {exc.encoding} ({exc.reason}); set PYTHONIOENCODING=utf-8\n"
        )
        return MALFORMED
    return io.status
