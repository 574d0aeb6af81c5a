"""The fast path of reading an event envelope: msgspec checks the JSON's shape in C
(every key known, every required one there, every value of its JSON kind), the event
classes check the values as they always do, and anything this path cannot vouch for
(duplicate keys, a kind of field it does not know, any refusal at all) is left to the
strict reader, whose answer and error stand. So it never accepts what the strict
reader refuses, and what it accepts is what the strict reader would give.

Used when msgspec is installed (the ``fast`` extra); without it every read is strict.
"""

from __future__ import annotations

import enum
import re
import types
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal, Union, get_args, get_origin

import attrs
import msgspec
from msgspec.structs import astuple

from tradeassure.escrow import EVENT_TYPES, Event
from tradeassure.money import Money

__all__ = ["read_envelope"]

_UNSET: Final = msgspec.UNSET

#: A key's end: a quote, then a colon. Inside a string a quote is escaped, so this finds
#: every key of a document, and more only where a string holds an escaped quote before a
#: colon; the count is compared with the keys msgspec found, to refuse duplicates.
_KEY_END: Final = re.compile(r'"\s*:')
_CURRENCY: Final = re.compile(r"[A-Z]{3}")


class _Money(msgspec.Struct, forbid_unknown_fields=True):
    amount: str
    currency: str


Read = Callable[[Any], Any]


def _field(kind: Any, scalars: Mapping[type, Read]) -> tuple[Any, Read, int] | None:
    """The JSON-level type of a field of ``kind``, how to read its value, and how many
    keys a value of it holds (a Money object's two); None for a kind this path leaves to
    the strict reader."""
    if kind in (str, int, bool):
        return kind, _same, 0
    if kind is Money:
        return _Money, _money, 2
    if kind in scalars:
        return str, scalars[kind], 0
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        names = tuple(kind.__members__)
        return Literal.__getitem__(names), kind.__members__.__getitem__, 0
    origin, args = get_origin(kind), get_args(kind)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        inner = _field(args[0], scalars)
        if inner is None or inner[2]:
            return None
        item = inner[1]
        return list.__class_getitem__(inner[0]), lambda values: tuple(map(item, values)), 0
    if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = _field(next(a for a in args if a is not type(None)), scalars)
        if inner is None:
            return None
        read = inner[1]
        return (
            inner[0] | None,
            lambda value: None if value is None else read(value),
            inner[2],
        )
    return None


def _same(value: Any) -> Any:
    return value


def _money(value: _Money) -> Money:
    if not _CURRENCY.fullmatch(value.currency):
        raise ValueError("a currency code the strict reader refuses")
    return Money(value.amount, value.currency)


@attrs.frozen
class _Kind:
    """How to read one event type: its class, and its fields' names, readers (None:
    the value as decoded) and the keys a value of each holds."""

    cls: type[Event]
    names: tuple[str, ...]
    reads: tuple[Read | None, ...]
    nested: tuple[int, ...]


def _kinds(scalars: Mapping[type, Read]) -> tuple[Any, dict[str, _Kind]] | None:
    """The decoder over every event type's envelope, and how to read each; None when an
    event type has a field this path does not know."""
    envelopes: list[Any] = []
    kinds: dict[str, _Kind] = {}
    for name, cls in EVENT_TYPES.items():
        attrs.resolve_types(cls)
        wire: list[tuple[Any, ...]] = []
        reads: list[tuple[str, Read, int]] = []
        for f in attrs.fields(cls):
            found = _field(f.type, scalars)
            if found is None:
                return None
            kind, read, keys = found
            if f.default is attrs.NOTHING:
                wire.append((f.name, kind))
            else:
                wire.append((f.name, kind | msgspec.UnsetType, _UNSET))
            reads.append((f.name, read, keys))
        fields = msgspec.defstruct(f"_{name}Fields", wire, kw_only=True, forbid_unknown_fields=True)
        envelopes.append(
            msgspec.defstruct(
                f"_{name}Envelope",
                [("schema", int), ("order_id", str), ("event", fields)],
                tag_field="type",
                tag=name,
                forbid_unknown_fields=True,
            )
        )
        kinds[name] = _Kind(
            cls,
            tuple(n for n, _, _ in reads),
            tuple(None if r is _same else r for _, r, _ in reads),
            tuple(k for _, _, k in reads),
        )
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
        if envelope.schema != self.schema or not envelope.order_id.strip():
            return None
        kind = kinds[type(envelope).__name__[1 : -len("Envelope")]]
        keys = 4
        values: dict[str, Any] = {}
        try:
            for name, read, nested, value in zip(
                kind.names, kind.reads, kind.nested, astuple(envelope.event), strict=True
            ):
                if value is _UNSET:
                    continue
                keys += 1 if value is None else 1 + nested
                values[name] = value if read is None else read(value)
            if len(_KEY_END.findall(text if isinstance(text, str) else text.decode())) != keys:
                return None  # a duplicate key, or a string that looks like one: be strict
            event = kind.cls(**values)
        except Exception:
            return None
        placed = getattr(event, "order_id", envelope.order_id)
        if placed != envelope.order_id:
            return None
        return envelope.order_id, event


def read_envelope(
    schema: int, scalars: Mapping[type, Read]
) -> Callable[[str | bytes], tuple[str, Event] | None]:
    """A reader of envelope text: the order id and the event, or None to say "read it
    strictly". ``scalars`` reads a date's and an instant's text by the strict reader's
    own rule (raising to refuse), by the type read."""
    return _Reader(schema, scalars)
