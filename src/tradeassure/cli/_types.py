"""The command's argument types (click parameter types: ``FILE``, ``INSTANT``, ``DATE``,
``AMOUNT``, ``COUNT``, ``WORKERS``), and reading a ``FILE`` argument's text."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

import click

from tradeassure.cli._io import _Malformed


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
