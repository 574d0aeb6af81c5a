"""The ``tradeassure`` command on click (arguments, help, completion) and rich (tables
fitted to the terminal, colour, progress).

Subcommands: ``demo``, ``replay``, ``book``, ``sort``, ``finance``, ``tier``, ``workdays``,
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

This module holds the click group, its commands and the running of them; beside it are
their output and failures (``_io``), argument types (``_types``) and their work
(``_replay``, ``_book``, and ``_queries`` for finance, tier, workdays and rules).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import IO, Any, TypeVar

import click

from tradeassure import __version__
from tradeassure.cli._book import (
    _GROUPINGS,
    _book_json,
    _book_output,
    _book_sources,
    _pyarrow,
    _renamed_row,
    _sample_book,
    _summarize,
)
from tradeassure.cli._io import (
    _IO,
    MALFORMED,
    OK,
    REFUSED,
    _Malformed,
    _print_json,
    _Refusal,
    _Refused,
)
from tradeassure.cli._queries import _finance_data, _rules, _tier, _workdays
from tradeassure.cli._replay import _replay_steps, _report, _report_data
from tradeassure.cli._types import AMOUNT, COUNT, DATE, FILE, INSTANT, WORKERS, _read_input
from tradeassure.credit import FINANCING_EDITIONS
from tradeassure.errors import InvalidInput, PolicyError, RuleViolation
from tradeassure.escrow import ESCROW_EDITIONS
from tradeassure.rules import RULES

__all__ = ["app", "run"]


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
