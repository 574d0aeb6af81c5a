"""The command's output and failures: exit statuses, the report's writer (:class:`_IO`,
rich tables fitted to the terminal), JSON printing, the errors a command raises, and
small text helpers the commands share."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Sequence
from datetime import datetime
from io import StringIO
from typing import IO, TYPE_CHECKING, Any, Final

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tradeassure.errors import RuleViolation

if TYPE_CHECKING:  # pragma: no cover
    from tradeassure.escrow import Event

OK, REFUSED, MALFORMED = 0, 1, 2

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
