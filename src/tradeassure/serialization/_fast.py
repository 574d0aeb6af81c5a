"""The fast path of reading an event envelope: msgspec checks the JSON's shape in C
(every key known, every required one there, every value of its JSON kind, every
currency a code Money takes), the event classes check the values as they always do,
and anything this path cannot vouch for (duplicate keys, a kind of field it does not
know, any refusal at all) is left to the strict reader, whose answer and error stand.
So it never accepts what the strict reader refuses, and what it accepts is what the
strict reader would give.

Each event type gets a reader generated from its fields (as attrs generates its
``__init__``): a Python loop over the fields of every event costs more than the
decoding itself.

Used when msgspec is installed (the ``fast`` extra); without it every read is strict.
"""

from __future__ import annotations

import enum
import re
import types
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final, Literal, Union, get_args, get_origin

import attrs
import msgspec

from tradeassure.escrow import EVENT_TYPES, Event
from tradeassure.money import Money, _plain_money, minor_unit

__all__ = ["read_envelope"]

_UNSET: Final = msgspec.UNSET

_CURRENCY: Final = re.compile(r"[A-Z]{3}")
#: An instant exactly as the writer writes one (``isoformat()`` of an instant to the
#: second, with an offset to the minute): one form of the strict reader's ``_INSTANT``.
_WRITTEN: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}"
)

# Duplicate keys, which msgspec collapses, are refused by counting quotes. Every key and
# every string msgspec decoded is a pair of quotes of its own in the text (a quote within
# a string is escaped, ``\"``, and no byte of a UTF-8 sequence is a quote), so the text
# holds at least as many quotes as the values decoded account for, two per key and per
# string; a duplicate key adds its own two, an escaped quote one. So a count equal to
# the account means no key appears twice; one above it goes to the strict reader, which
# refuses a duplicate and reads an escaped quote as it is. White space, wherever it
# is, changes nothing.
_ENVELOPE_QUOTES: Final = 12  # four keys; the type's and the order id's strings


def _quotes(text: str | bytes) -> int:
    return text.count('"') if isinstance(text, str) else text.count(b'"')


Read = Callable[[Any], Any]


def _payable() -> tuple[str, ...]:
    """The currency codes the strict reader takes (three upper-case letters that
    ``minor_unit`` accepts), for msgspec to check in C."""
    from iso4217 import Currency

    codes = []
    for currency in Currency:
        code = currency.value
        if isinstance(code, str) and _CURRENCY.fullmatch(code):
            try:
                minor_unit(code)
            except ValueError:  # InvalidInput: a metal, fund or test code
                continue
            codes.append(code)
    return tuple(sorted(codes))


def _money(value: Any) -> Money:
    # The currency is one Money takes as it is (msgspec checked it against _payable()).
    return _plain_money(value.amount, value.currency) or Money(value.amount, value.currency)


def _instant(strict: Read) -> Read:
    """The strict instant reader, with a shortcut for the writer's own form
    (:data:`_WRITTEN`, which the strict ``_INSTANT`` matches): such text has an offset,
    so ``fromisoformat`` gives the aware instant the strict reader would give."""
    parse = datetime.fromisoformat
    written = _WRITTEN.fullmatch

    def read(value: str) -> datetime:
        if written(value):
            return parse(value)
        return strict(value)  # type: ignore[no-any-return]

    return read


#: How many quotes a value of a field holds (its key's two aside), as a Python
#: expression of the value ``v``: a string's two, a Money's eight (two keys, two strings).
Quotes = str


def _field(
    kind: Any, scalars: Mapping[type, Read], money: Any
) -> tuple[Any, Read | None, Quotes] | None:
    """The JSON-level type of a field of ``kind``, how to read its value (None: as
    decoded), and the quotes a value of it holds (when not null); None for a kind this
    path leaves to the strict reader."""
    if kind in (int, bool):
        return kind, None, "0"
    if kind is str:
        return kind, None, "2"
    if kind is Money:
        return money, _money, "8"
    if kind in scalars:
        return str, scalars[kind], "2"
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        names = tuple(kind.__members__)
        return Literal.__getitem__(names), kind.__members__.__getitem__, "2"
    origin, args = get_origin(kind), get_args(kind)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        inner = _field(args[0], scalars, money)
        if inner is None or inner[2] not in ("0", "2"):
            return None
        item = inner[1]
        # A list of values decoded as they are: the event's converter makes it a tuple.
        each: Read | None = None if item is None else (lambda values: tuple(map(item, values)))
        return list.__class_getitem__(inner[0]), each, f"{inner[2]} * len(v)"
    if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = _field(next(a for a in args if a is not type(None)), scalars, money)
        if inner is None:
            return None
        optional = inner[1]
        read: Read | None = (
            None if optional is None else (lambda v: None if v is None else optional(v))
        )
        return inner[0] | None, read, f"(0 if v is None else {inner[2]})"
    return None


def _reader(cls: type[Event], fields: list[tuple[str, Read | None, Quotes, bool]]) -> Any:
    """A function of an event's decoded fields: the event's keyword arguments and how
    many quotes their keys and values account for, from ``fields`` (name, read, the
    quotes a value holds, whether it may be left out). Generated, so each field costs a
    line of Python: the required ones in one dict display, each one left out skipped
    (its default stands)."""
    names: dict[str, Any] = {"UNSET": _UNSET}
    required: list[str] = []
    counted: list[str] = []
    optional: list[str] = []
    quotes = 0
    for i, (name, read, held, may_be_left_out) in enumerate(fields):
        names[f"read_{i}"] = read
        got = f"event.{name}"
        if not may_be_left_out:
            required.append(f"{name!r}: {got if read is None else f'read_{i}({got})'},")
            quotes += 2
            if held.isdigit():
                quotes += int(held)
            else:
                counted += [f"v = {got}", f"quotes += {held}"]
            continue
        optional += [
            f"v = {got}",
            "if v is not UNSET:",
            f"    values[{name!r}] = {'v' if read is None else f'read_{i}(v)'}",
            f"    quotes += 2 + {held}",
        ]
    source = "\n".join(
        [
            "def read(event):",
            "    values = {",
            *(f"        {line}" for line in required),
            "    }",
            f"    quotes = {quotes}",
            *(f"    {line}" for line in counted + optional),
            "    return values, quotes",
        ]
    )
    exec(compile(source, f"<tradeassure fast reader of {cls.__name__}>", "exec"), names)
    return names["read"]


@attrs.frozen
class _Kind:
    """How to read one event type: its class, the reader of its decoded fields, and
    whether it names its own order (an OrderPlaced's order_id)."""

    cls: type[Event]
    read: Callable[[Any], tuple[dict[str, Any], int]]
    places: bool


def _kinds(scalars: Mapping[type, Read]) -> tuple[Any, dict[type, _Kind]] | None:
    """The decoder over every event type's envelope, and how to read each by the type
    decoded; None when an event type has a field this path does not know."""
    money = msgspec.defstruct(
        "_Money",
        [("amount", str), ("currency", Literal.__getitem__(_payable()))],
        forbid_unknown_fields=True,
    )
    envelopes: list[Any] = []
    kinds: dict[type, _Kind] = {}
    for name, cls in EVENT_TYPES.items():
        attrs.resolve_types(cls)
        wire: list[tuple[Any, ...]] = []
        reads: list[tuple[str, Read | None, Quotes, bool]] = []
        for f in attrs.fields(cls):
            found = _field(f.type, scalars, money)
            if found is None:
                return None
            kind, read, quotes = found
            optional = f.default is not attrs.NOTHING
            if optional:
                wire.append((f.name, kind | msgspec.UnsetType, _UNSET))
            else:
                wire.append((f.name, kind))
            reads.append((f.name, read, quotes, optional))
        fields = msgspec.defstruct(f"_{name}Fields", wire, kw_only=True, forbid_unknown_fields=True)
        envelope = msgspec.defstruct(
            f"_{name}Envelope",
            [("schema", int), ("order_id", str), ("event", fields)],
            tag_field="type",
            tag=name,
            forbid_unknown_fields=True,
        )
        envelopes.append(envelope)
        kinds[envelope] = _Kind(cls, _reader(cls, reads), "order_id" in attrs.fields_dict(cls))
    return msgspec.json.Decoder(Union[tuple(envelopes)]), kinds  # noqa: UP007


class _Reader:
    """Reads envelopes through one msgspec decoder, built on first use."""

    def __init__(self, schema: int, scalars: Mapping[type, Read]) -> None:
        self.schema = schema
        self.built = _kinds(scalars)

    def __call__(self, text: str | bytes) -> tuple[str, Event] | None:
        if self.built is None:
            return None
        decoder, kinds = self.built
        try:
            envelope = decoder.decode(text)
        except Exception:  # anything at all (a lone surrogate in a str, too): be strict
            return None
        order_id = envelope.order_id
        if envelope.schema != self.schema or not order_id.strip():
            return None
        kind = kinds[type(envelope)]
        try:
            values, quotes = kind.read(envelope.event)
            if _quotes(text) != quotes + _ENVELOPE_QUOTES:
                return None  # a duplicate key, or a string that looks like one: be strict
            event = kind.cls(**values)
        except Exception:
            return None
        if kind.places and event.order_id != order_id:  # type: ignore[attr-defined]
            return None
        return order_id, event


def read_envelope(
    schema: int, scalars: Mapping[type, Read]
) -> Callable[[str | bytes], tuple[str, Event] | None]:
    """A reader of envelope text: the order id and the event, or None to say "read it
    strictly". ``scalars`` reads a date's and an instant's text by the strict reader's
    own rule (raising to refuse), by the type read."""
    fast = {kind: _instant(read) if kind is datetime else read for kind, read in scalars.items()}
    return _Reader(schema, fast)
