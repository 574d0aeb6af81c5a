"""JSON for every public value, event and policy, exact both ways (on cattrs).

The wire format, decided once:

- ``Money`` is ``{"amount": "12.50", "currency": "USD"}``: a decimal *string* and an
  upper-case ISO 4217 code; a ``Decimal`` is a decimal string too. An amount is written
  as ``Money`` holds it, at the currency's minor unit (``"10000.00"`` for USD 10,000,
  ``"10000"`` for JPY), or with the places a finer amount needs. A float is refused.
  A decimal string is the text ``Money`` itself takes, by the same rule: ASCII digits
  with an optional sign, point and exponent, at most 100 characters.
- A ``date`` is ``"2025-03-01"``; an instant is ISO 8601 *with* its offset
  (``"2025-03-01T09:00:00+00:00"``; ``Z`` is read too); a naive one is refused. A named
  zone (``ZoneInfo``) is written as its offset at that instant, so it reads back equal.
- A ``timedelta`` is an ISO 8601 duration (``"PT2H"``, ``"P1DT30M"``).
- Enums go by member name (``"TT"``, ``"FUNDS_HELD"``).
- Tuples are arrays; frozensets are arrays sorted for a stable output (a duplicate is
  refused on reading: nothing collapses silently).
- An event travels in an envelope naming its order, ``{"type": "PaymentReceived",
  "schema": 2, "order_id": "PO-7", "event": {...}}`` (:class:`Envelope`), so a message on
  a queue says where it belongs: :data:`SCHEMA_VERSION` is the ``schema`` this version
  writes and reads (the machine-readable form is ``schema/envelope.schema.json``).
  Writing an event alone takes ``order_id=`` (``OrderPlaced`` names its own). Reading
  into ``Envelope`` gives the order id and the event; reading into ``Event`` takes any
  event by its ``type``; reading into a concrete event class also checks the type. A
  history is JSON lines, one envelope a line, all naming one order
  (:func:`events_to_json_lines`, :func:`events_from_json_lines`).
- An ``Order`` is derived state: its state fields, the ``policy`` edition it was judged
  under (a name from ``policy.ESCROW_EDITIONS``; ``"default"`` when absent) and its
  ``events`` (envelopes, each naming the order). Reading one replays the events and
  refuses the document when a stated field disagrees with the replay. Its ``seen``,
  ``history``, ``escrow_paid_by`` and ``bank_account`` are not written: the events
  give them back.
- A ``Transition`` (it holds functions) is written as its key in
  ``escrow.TRANSITIONS``, ``{"status": "SHIPPED", "event": "ReceiptConfirmed"}``, and
  read back from the table; rows holding equal transitions write the first such key.
- Unknown keys are refused, so a typo does not pass for a default.
- What could not be read back is not written: :func:`to_dict` refuses a float, a
  string with a lone surrogate, a key that is no string and an object of a kind it
  does not know, with ``InvalidInput`` naming where it is.

Malformed input raises :class:`InvalidJSON` (an ``InvalidInput``) listing every problem
with its JSON path:

>>> from tradeassure.money import Money
>>> to_json(Money("12.50", "USD"))
'{"amount":"12.50","currency":"USD"}'
>>> from_json('{"amount": "12.50", "currency": "USD"}', Money)
Money('12.50', 'USD')
>>> from_json('{"amount": 12.5, "currency": "usd"}', Money)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tradeassure.errors.InvalidJSON: cannot read Money from JSON (2 problems):
  $.amount: expected a decimal string such as "12.50", got float 12.5
  $.currency: expected an upper-case ISO 4217 code such as "USD", got string 'usd'
"""

from __future__ import annotations

import enum
import functools
import json
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, final, get_args, get_origin

import attrs

from tradeassure._checks import count, member, text_field, tuple_of
from tradeassure.errors import InvalidInput, InvalidJSON, RuleViolation
from tradeassure.escrow import EVENT_TYPES, Event
from tradeassure.money import Money, _decimal_from_text, minor_unit

if TYPE_CHECKING:  # pragma: no cover
    from cattrs import Converter

    from tradeassure.escrow import Order

__all__ = [
    "SCHEMA_VERSION",
    "Envelope",
    "InvalidJSON",
    "envelope_from_json",
    "events_from_json_lines",
    "events_to_json_lines",
    "from_dict",
    "from_json",
    "to_dict",
    "to_json",
]

#: The envelope schema this version writes and reads (2: the envelope names its order).
SCHEMA_VERSION: Final = 2

_T = TypeVar("_T")

#: Event classes by the ``type`` an envelope names (the bare base class included).
_EVENT_CLASSES: Final[dict[str, type[Event]]] = {"Event": Event, **EVENT_TYPES}


class _Refused(Exception):
    """One problem with one JSON value: its message says what was expected and got."""


@final
@attrs.frozen
class Envelope:
    """An event on the wire, with the order it belongs to: what a queue, a log or an
    HTTP body carries, ``{"type", "schema", "order_id", "event"}`` in JSON.

    Attributes:
        order_id: the order the event belongs to; an ``OrderPlaced`` must name the same.
        event: the event.
    """

    order_id: str = attrs.field(validator=text_field)
    event: Event = attrs.field(validator=member(Event))

    def __attrs_post_init__(self) -> None:
        placed = getattr(self.event, "order_id", None)
        if placed is not None and placed != self.order_id:
            raise InvalidInput(
                f"Envelope.order_id {self.order_id!r} is not the order its OrderPlaced "
                f"places ({placed!r})"
            )


def _envelope(event: Event, order_id: str | None = None) -> Envelope:
    """``event`` in its envelope: ``order_id`` names its order (an ``OrderPlaced``'s own
    when not given)."""
    if not isinstance(event, Event):
        raise InvalidInput(f"event must be an Event, got {type(event).__name__}")
    if order_id is None:
        order_id = getattr(event, "order_id", None)
        if order_id is None:
            raise InvalidInput(
                f"a {type(event).__name__} travels in an envelope naming its order: pass "
                "order_id= (only OrderPlaced names its own)"
            )
    return Envelope(order_id, event)


# -- describing what was found -----------------------------------------------------------


def _got(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"{type(value).__name__} {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"string {shown!r}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _expect(what: str, value: object) -> _Refused:
    return _Refused(f"expected {what}, got {_got(value)}")


# -- scalars -----------------------------------------------------------------------------


def _decimal_text(value: Decimal) -> str:
    # Fixed-point, never exponent notation: "0.0000001", not "1E-7".
    return format(value, "f")


def _read_decimal(value: object, _: object = None) -> Decimal:
    # The rule Money applies to text, from the one place it is written (money.py).
    number = _decimal_from_text(value) if isinstance(value, str) else None
    if number is None:
        raise _expect('a decimal string such as "12.50"', value)
    return number


_CURRENCY: Final = re.compile(r"[A-Z]{3}")


def _write_money(value: Money) -> dict[str, str]:
    return {"amount": _decimal_text(value.amount), "currency": value.currency}


def _read_money(value: object, _: object = None) -> Money:
    from cattrs.errors import ForbiddenExtraKeysError

    if not isinstance(value, dict):
        raise _expect('a Money object such as {"amount": "12.50", "currency": "USD"}', value)
    problems: dict[str, Exception] = {}
    amount = currency = None
    try:
        amount = _read_decimal(value["amount"])
    except (KeyError, _Refused) as exc:
        problems["amount"] = exc
    raw = value.get("currency")
    if "currency" not in value:
        problems["currency"] = KeyError("currency")
    elif not isinstance(raw, str) or not _CURRENCY.fullmatch(raw):
        problems["currency"] = _expect('an upper-case ISO 4217 code such as "USD"', raw)
    else:
        try:
            minor_unit(raw)
            currency = raw
        except InvalidInput as exc:
            problems["currency"] = exc
    extra = set(value) - {"amount", "currency"}
    if extra:
        problems[""] = ForbiddenExtraKeysError("", Money, extra)
    if not problems:
        assert amount is not None
        assert currency is not None
        try:
            return Money(amount, currency)
        except InvalidInput as exc:
            problems["amount"] = exc
    raise _class_error(Money, problems)


def _write_date(value: date) -> str:
    return value.isoformat()


_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


def _read_date(value: object, _: object = None) -> date:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _expect('an ISO 8601 date such as "2025-03-01"', value)


def _write_datetime(value: datetime) -> str:
    if value.utcoffset() is None:
        raise InvalidInput(f"cannot write the naive instant {value.isoformat()}: it has no offset")
    # A named zone is written as its offset at that instant.
    return value.isoformat()


#: An instant as the writer writes it: a day, a clock to the minute, second or
#: microsecond, and Z or an offset (to the second, as some zones' old offsets go).
#: ``datetime.fromisoformat`` alone would also take week dates, a lower-case "t", the
#: basic format and an hour alone; the schema (``schema/``) says this same form.
_INSTANT: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)?"
)


def _read_datetime(value: object, _: object = None) -> datetime:
    example = 'an ISO 8601 instant with an offset such as "2025-03-01T09:00:00+00:00"'
    if not isinstance(value, str) or not _INSTANT.fullmatch(value):
        raise _expect(example, value)
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise _expect(example, value) from None
    if instant.utcoffset() is None:
        raise _Refused(f"the instant {value!r} is naive: give its offset, e.g. {value}+00:00")
    return instant


_DURATION: Final = re.compile(
    r"(?P<sign>-)?P(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d{1,6})?)S)?)?",
    re.ASCII,
)


def _write_timedelta(value: timedelta) -> str:
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    hours, rest = divmod(value.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}P{value.days}D" if value.days else f"{sign}P"
    clock = ""
    if hours:
        clock += f"{hours}H"
    if minutes:
        clock += f"{minutes}M"
    if seconds or value.microseconds:
        clock += f"{seconds}.{value.microseconds:06d}S" if value.microseconds else f"{seconds}S"
    if clock:
        text += "T" + clock
    return text if text not in ("P", "-P") else "PT0S"


def _read_timedelta(value: object, _: object = None) -> timedelta:
    match = _DURATION.fullmatch(value) if isinstance(value, str) else None
    if match is None or value in ("P", "-P") or str(value).endswith("T"):
        raise _expect('an ISO 8601 duration such as "PT2H" or "P1DT30M"', value)
    parts = match.groupdict()
    whole, _, fraction = (parts["seconds"] or "0").partition(".")
    duration = timedelta(
        days=int(parts["days"] or 0),
        hours=int(parts["hours"] or 0),
        minutes=int(parts["minutes"] or 0),
        seconds=int(whole),
        microseconds=int(fraction.ljust(6, "0")),
    )
    return -duration if parts["sign"] else duration


def _read_str(value: object, _: object = None) -> str:
    if not isinstance(value, str):
        raise _expect("a string", value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate escape such as "\ud800"
        raise _Refused(
            f"expected Unicode text, got {_got(value)} with a lone surrogate: it cannot be "
            "written as UTF-8"
        ) from None
    return value


def _read_int(value: object, _: object = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _expect("a whole number", value)
    return value


def _read_bool(value: object, _: object = None) -> bool:
    if not isinstance(value, bool):
        raise _expect("true or false", value)
    return value


# -- errors with paths -------------------------------------------------------------------


def _class_error(cls: type, problems: dict[str, Exception]) -> Exception:
    """A cattrs ``ClassValidationError`` carrying one problem per attribute name (``""``
    for the object itself), so paths come out as cattrs' own do."""
    from cattrs.errors import AttributeValidationNote, ClassValidationError

    excs: list[Exception] = []
    for name, exc in problems.items():
        if name:
            exc.__notes__ = [
                *getattr(exc, "__notes__", []),
                AttributeValidationNote(f"Structuring {cls.__name__} @ {name}", name, object),
            ]
        excs.append(exc)
    return ClassValidationError(f"While structuring {cls.__name__}", excs, cls)


def _message(exc: BaseException) -> str:
    from cattrs.errors import ForbiddenExtraKeysError

    if isinstance(exc, ForbiddenExtraKeysError):
        known = sorted(a.name for a in attrs.fields(exc.cl) if a.init) if attrs.has(exc.cl) else []
        listed = ", ".join(repr(k) for k in sorted(exc.extra_fields))
        expected = f"; expected only {', '.join(known)}" if known else ""
        return f"unknown key{'s' if len(exc.extra_fields) > 1 else ''} {listed}{expected}"
    if isinstance(exc, KeyError):
        return "required key missing"
    if isinstance(exc, _Refused | InvalidInput):
        return str(exc)
    if isinstance(exc, TypeError | ValueError):
        return f"invalid value: {exc}"
    return f"{type(exc).__name__}: {exc}"  # pragma: no cover - a bug, shown as is


def _problems(exc: BaseException, path: str = "$") -> list[tuple[str, str]]:
    """Every leaf problem under a cattrs validation error, with its JSON path."""
    from cattrs.errors import ClassValidationError, IterableValidationError

    out: list[tuple[str, str]] = []
    if isinstance(exc, IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            out += _problems(sub, f"{path}[{note.index!r}]")
        out += [(path, _message(sub)) for sub in without]
    elif isinstance(exc, ClassValidationError):
        with_notes_c, without = exc.group_exceptions()
        for sub, note_c in with_notes_c:
            name = note_c.name
            out += _problems(sub, f"{path}{name}" if name.startswith("[") else f"{path}.{name}")
        out += [(path, _message(sub)) for sub in without]
    else:
        out.append((path, _message(exc)))
    return out


# -- collections -------------------------------------------------------------------------


def _is_tuple(t: Any) -> bool:
    return t is tuple or get_origin(t) is tuple


def _is_frozenset(t: Any) -> bool:
    return t is frozenset or get_origin(t) is frozenset


def _sort_key(item: object) -> str:
    return json.dumps(item, sort_keys=True)


def _items(value: object, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise _expect(f"an array ({what})", value)
    return value


def _structure_each(
    conv: Converter, items: list[Any], types: Iterable[Any], cls: type
) -> list[Any]:
    from cattrs.errors import IterableValidationError, IterableValidationNote

    out: list[Any] = []
    errors: list[Exception] = []
    for i, (item, t) in enumerate(zip(items, types, strict=False)):
        try:
            out.append(conv.structure(item, t))
        except Exception as exc:
            exc.__notes__ = [
                *getattr(exc, "__notes__", []),
                IterableValidationNote(f"Structuring {cls} @ index {i}", i, t),
            ]
            errors.append(exc)
    if errors:
        raise IterableValidationError(f"While structuring {cls}", errors, cls)
    return out


# -- the converter -----------------------------------------------------------------------


def _enum_hooks(conv: Converter) -> None:
    def write(t: type[enum.Enum]) -> Callable[[enum.Enum], str]:
        return lambda member: member.name

    def read(t: type[enum.Enum]) -> Callable[[object, object], enum.Enum]:
        names = ", ".join(t.__members__)

        def hook(value: object, _: object) -> enum.Enum:
            if isinstance(value, str) and value in t.__members__:
                return t.__members__[value]
            raise _expect(f"a {t.__name__} name, one of {names}", value)

        return hook

    def is_enum(t: Any) -> bool:
        return isinstance(t, type) and issubclass(t, enum.Enum)

    conv.register_unstructure_hook_factory(is_enum, write)
    conv.register_structure_hook_factory(is_enum, read)


def _collection_hooks(conv: Converter) -> None:
    def element_types(t: Any, n: int) -> list[Any]:
        args = get_args(t)
        if not args:
            return [Any] * n
        if len(args) == 2 and args[1] is Ellipsis:
            return [args[0]] * n
        if get_origin(t) is frozenset:
            return [args[0]] * n
        return list(args)

    def write_tuple(t: Any) -> Callable[[tuple[Any, ...]], list[Any]]:
        args = get_args(t)
        if args and not (len(args) == 2 and args[1] is Ellipsis):
            return lambda v: [conv.unstructure(x, a) for x, a in zip(v, args, strict=True)]
        inner = args[0] if args else None
        if inner is None:
            return lambda v: [conv.unstructure(x) for x in v]
        return lambda v: [conv.unstructure(x, inner) for x in v]

    def write_frozenset(t: Any) -> Callable[[frozenset[Any]], list[Any]]:
        args = get_args(t)

        def hook(v: frozenset[Any]) -> list[Any]:
            items = [conv.unstructure(x, args[0]) if args else conv.unstructure(x) for x in v]
            return sorted(items, key=_sort_key)

        return hook

    def read_tuple(t: Any) -> Callable[[object, object], tuple[Any, ...]]:
        args = get_args(t)
        fixed = bool(args) and not (len(args) == 2 and args[1] is Ellipsis)

        def hook(value: object, _: object) -> tuple[Any, ...]:
            items = _items(value, f"of {len(args)} items" if fixed else "a list")
            if fixed and len(items) != len(args):
                raise _Refused(f"expected an array of {len(args)} items, got {len(items)}")
            return tuple(_structure_each(conv, items, element_types(t, len(items)), t))

        return hook

    def read_frozenset(t: Any) -> Callable[[object, object], frozenset[Any]]:
        def hook(value: object, _: object) -> frozenset[Any]:
            items = _items(value, "a set, without duplicates")
            out = _structure_each(conv, items, element_types(t, len(items)), t)
            result = frozenset(out)
            if len(result) != len(out):
                raise _Refused("expected an array without duplicates (a set), got a duplicate")
            return result

        return hook

    conv.register_unstructure_hook_factory(_is_tuple, write_tuple)
    conv.register_unstructure_hook_factory(_is_frozenset, write_frozenset)
    conv.register_structure_hook_factory(_is_tuple, read_tuple)
    conv.register_structure_hook_factory(_is_frozenset, read_frozenset)


def _literal_hooks(conv: Converter) -> None:
    def is_literal(t: Any) -> bool:
        return get_origin(t) is Literal

    def read(t: Any) -> Callable[[object, object], object]:
        allowed = get_args(t)

        def hook(value: object, _: object) -> object:
            if any(value == a and type(value) is type(a) for a in allowed):
                return value
            raise _expect(f"one of {', '.join(json.dumps(a) for a in allowed)}", value)

        return hook

    conv.register_structure_hook_factory(is_literal, read)


def _attrs_hooks(conv: Converter) -> None:
    from cattrs.gen import make_dict_structure_fn

    def read(cls: type) -> Callable[[object, object], object]:
        inner: Callable[[Any, Any], object] = make_dict_structure_fn(cls, conv)

        def hook(value: object, _: object) -> object:
            if not isinstance(value, dict):
                raise _expect(f"an object ({cls.__name__})", value)
            return inner(value, cls)

        return hook

    conv.register_structure_hook_factory(attrs.has, read)


def _event_hooks(conv: Converter) -> None:
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

    def is_event(t: Any) -> bool:
        return isinstance(t, type) and issubclass(t, Event)

    # Per-class field codecs, built on first use; they live as long as the converter.
    writers: dict[type[Event], Callable[[Event], dict[str, Any]]] = {}
    readers: dict[type[Event], Callable[[Any, Any], Event]] = {}

    def fields_writer(cls: type[Event]) -> Callable[[Event], dict[str, Any]]:
        if cls not in writers:
            writers[cls] = make_dict_unstructure_fn(cls, conv)
        return writers[cls]

    def fields_reader(cls: type[Event]) -> Callable[[Any, Any], Event]:
        if cls not in readers:
            readers[cls] = make_dict_structure_fn(cls, conv)
        return readers[cls]

    def write_envelope(value: Envelope) -> dict[str, Any]:
        cls = type(value.event)
        return {
            "type": cls.__name__,
            "schema": SCHEMA_VERSION,
            "order_id": value.order_id,
            "event": fields_writer(cls)(value.event),
        }

    def write(t: type[Event]) -> Callable[[Event], dict[str, Any]]:
        # An event met inside another value: its envelope must name its order.
        return lambda event: write_envelope(_envelope(event))

    names = ", ".join(_EVENT_CLASSES)
    keys = {"type", "schema", "order_id", "event"}

    def read_envelope(value: object, t: type[Event]) -> Envelope:
        from cattrs.errors import ForbiddenExtraKeysError

        if not isinstance(value, dict):
            raise _expect(
                f'an event envelope {{"type": ..., "schema": {SCHEMA_VERSION}, '
                '"order_id": ..., "event": {...}}',
                value,
            )
        problems: dict[str, Exception] = {}
        kind = value.get("type")
        cls = _EVENT_CLASSES.get(kind) if isinstance(kind, str) else None
        if "type" not in value:
            problems["type"] = KeyError("type")
        elif cls is None:
            problems["type"] = _expect(f"an event type, one of {names}", kind)
        elif t is not Event and cls is not t:
            problems["type"] = _Refused(f"expected a {t.__name__} event, got {kind!r}")
        schema = value.get("schema")
        if "schema" not in value:
            problems["schema"] = KeyError("schema")
        elif type(schema) is not int or schema != SCHEMA_VERSION:
            problems["schema"] = _Refused(
                f"this tradeassure reads schema {SCHEMA_VERSION}, got {_got(schema)}"
            )
        order_id = value.get("order_id")
        if "order_id" not in value:
            problems["order_id"] = KeyError("order_id")
        elif not isinstance(order_id, str) or not order_id.strip():
            problems["order_id"] = _expect("the order's id (a non-empty string)", order_id)
        if "event" not in value:
            problems["event"] = KeyError("event")
        elif not isinstance(value["event"], dict):
            problems["event"] = _expect(f"an object (the {kind} event's fields)", value["event"])
        extra = set(value) - keys
        if extra:
            problems[""] = ForbiddenExtraKeysError("", dict, extra)
        if not problems:
            assert cls is not None
            try:
                event = fields_reader(cls)(value["event"], cls)
            except Exception as exc:
                problems["event"] = exc
            else:
                placed = getattr(event, "order_id", order_id)
                if placed == order_id:
                    return Envelope(str(order_id), event)
                problems["order_id"] = _Refused(
                    f"expected the order the OrderPlaced places ({placed!r}), got {order_id!r}"
                )
        raise _class_error(t, problems)

    def read(t: type[Event]) -> Callable[[object, object], Event]:
        return lambda value, _: read_envelope(value, t).event

    conv.register_unstructure_hook(Envelope, write_envelope)
    conv.register_structure_hook(Envelope, lambda value, _: read_envelope(value, Event))
    conv.register_unstructure_hook_factory(is_event, write)
    conv.register_structure_hook_factory(is_event, read)


@functools.cache
def _converter() -> Converter:
    """The one converter, built on first use: cattrs loads only when JSON is asked for."""
    from cattrs import Converter

    from tradeassure.escrow import Order, Transition

    conv = Converter(forbid_extra_keys=True, detailed_validation=True)
    _enum_hooks(conv)
    _collection_hooks(conv)
    _literal_hooks(conv)
    _attrs_hooks(conv)
    # Registered after the attrs factory, so these win for their classes.
    _event_hooks(conv)
    for cls, write, read in (
        (Decimal, _decimal_text, _read_decimal),
        (date, _write_date, _read_date),
        (datetime, _write_datetime, _read_datetime),
        (timedelta, _write_timedelta, _read_timedelta),
        (str, None, _read_str),
        (int, None, _read_int),
        (bool, None, _read_bool),
    ):
        if write is not None:
            conv.register_unstructure_hook(cls, write)
        conv.register_structure_hook(cls, read)
    conv.register_unstructure_hook(Money, _write_money)
    conv.register_structure_hook(Money, _read_money)
    conv.register_unstructure_hook(Order, functools.partial(_write_order, conv, "default"))
    conv.register_structure_hook(Order, functools.partial(_read_order, conv))
    conv.register_unstructure_hook(Transition, _write_transition)
    conv.register_structure_hook(Transition, _read_transition)
    return conv


# -- orders and transitions --------------------------------------------------------------

_ORDER_DERIVED: Final = frozenset({"seen", "history", "escrow_paid_by", "bank_account"})


def _order_fields() -> list[attrs.Attribute[Any]]:
    from tradeassure.escrow import Order

    attrs.resolve_types(Order)
    return [f for f in attrs.fields(Order) if f.name not in _ORDER_DERIVED]


def _write_order(conv: Converter, edition: str, order: Order) -> dict[str, Any]:
    out = {f.name: conv.unstructure(getattr(order, f.name), f.type) for f in _order_fields()}
    out["policy"] = edition
    out["events"] = [conv.unstructure(Envelope(order.order_id, e), Envelope) for e in order.events]
    return out


def _read_order(conv: Converter, value: object, _: object = None) -> Order:
    from cattrs.errors import ForbiddenExtraKeysError

    from tradeassure.escrow import ESCROW_EDITIONS, Order, OrderPlaced, steps

    if not isinstance(value, dict):
        raise _expect("an object (Order)", value)
    problems: dict[str, Exception] = {}
    stated: dict[str, Any] = {}
    for f in _order_fields():
        if f.name not in value:
            problems[f.name] = KeyError(f.name)
            continue
        try:
            stated[f.name] = conv.structure(value[f.name], f.type)  # type: ignore[arg-type]
        except Exception as exc:
            problems[f.name] = exc
    edition = value.get("policy", "default")
    policy = ESCROW_EDITIONS.get(edition) if isinstance(edition, str) else None
    if policy is None:
        problems["policy"] = _expect(
            f"an escrow policy edition, one of {', '.join(ESCROW_EDITIONS)}", edition
        )
    events: tuple[Event, ...] = ()
    try:
        envelopes = conv.structure(value["events"], tuple[Envelope, ...])
    except Exception as exc:
        problems["events"] = exc
    else:
        events = tuple(e.event for e in envelopes)
        order_id = stated.get("order_id")
        for i, e in enumerate(envelopes):
            if order_id is not None and e.order_id != order_id:
                problems[f"events[{i}].order_id"] = _Refused(
                    f"expected this order's id {order_id!r}, got {e.order_id!r}"
                )
    extra = set(value) - {f.name for f in _order_fields()} - {"policy", "events"}
    if extra:
        problems[""] = ForbiddenExtraKeysError("", Order, extra)
    if problems:
        raise _class_error(Order, problems)
    assert policy is not None
    if not events or not isinstance(events[0], OrderPlaced):
        raise _class_error(
            Order, {"events": _Refused("expected the history, starting with OrderPlaced")}
        )
    order = None
    folding = steps(events, policy)
    for i in range(len(events)):
        try:
            order = next(folding).after
        except (RuleViolation, InvalidInput) as exc:
            why = f"refused by {exc}" if isinstance(exc, RuleViolation) else str(exc)
            raise _class_error(Order, {f"events[{i}]": _Refused(why)}) from None
    assert order is not None
    for name, stated_value in stated.items():
        actual = getattr(order, name)
        if actual != stated_value:
            problems[name] = _Refused(
                f"the events give {json.dumps(conv.unstructure(actual, type(actual)))}, "
                f"not {json.dumps(value[name])}"
            )
    if problems:
        raise _class_error(Order, problems)
    return order


def _write_transition(transition: object) -> dict[str, str]:
    from tradeassure.escrow import TRANSITIONS

    for (status, kind), row in TRANSITIONS.items():
        if row == transition:
            return {"status": status.name, "event": kind.__name__}
    raise InvalidInput("only the rows of escrow.TRANSITIONS can be written as JSON")


def _read_transition(value: object, _: object = None) -> object:
    from tradeassure.escrow import TRANSITIONS, OrderStatus

    problems: dict[str, Exception] = {}
    if not isinstance(value, dict):
        raise _expect('a transition key {"status": ..., "event": ...}', value)
    status = value.get("status")
    kind = value.get("event")
    if not isinstance(status, str) or status not in OrderStatus.__members__:
        problems["status"] = _expect(
            f"an OrderStatus name, one of {', '.join(OrderStatus.__members__)}", status
        )
    if not isinstance(kind, str) or kind not in EVENT_TYPES:
        problems["event"] = _expect(f"an event type, one of {', '.join(EVENT_TYPES)}", kind)
    if set(value) - {"status", "event"}:
        from cattrs.errors import ForbiddenExtraKeysError

        problems[""] = ForbiddenExtraKeysError("", dict, set(value) - {"status", "event"})
    if not problems:
        row = TRANSITIONS.get((OrderStatus[str(status)], EVENT_TYPES[str(kind)]))
        if row is not None:
            return row
        problems[""] = _Refused(f"escrow.TRANSITIONS has no row for {status} x {kind}")
    raise _class_error(dict, problems)


# -- the public functions ----------------------------------------------------------------


def _name(cls: Any) -> str:
    return getattr(cls, "__name__", None) or repr(cls)


def _type_argument(cls: object) -> None:
    """Refuse a ``cls`` argument that names no type (None, an instance)."""
    if not isinstance(cls, type) and get_origin(cls) is None:
        raise InvalidInput(
            "cls must be the type to read (a value or event class, Event for any event, or "
            f"a form such as tuple[Event, ...]), got {type(cls).__name__} {cls!r}"
        )


def to_dict(value: object, *, edition: str = "default", order_id: str | None = None) -> Any:
    """``value`` as JSON-ready data (dicts, lists, strings, ints, booleans, None).

    ``edition`` is written as an ``Order``'s ``policy``: the escrow edition (a name in
    ``policy.ESCROW_EDITIONS``) whose rules gave it, so reading it back replays under the
    same rules; other values ignore it. ``order_id`` is the order an event's envelope
    names (an ``OrderPlaced`` names its own); other values refuse it.
    """
    from tradeassure.escrow import ESCROW_EDITIONS, Order

    if isinstance(value, Event):
        value = _envelope(value, order_id)
    elif order_id is not None:
        raise InvalidInput(
            f"order_id is for writing an event, not {value!r:.60}: "
            "an Envelope or an Order already names its order"
        )
    conv = _converter()
    if isinstance(value, Order):
        if not isinstance(edition, str) or edition not in ESCROW_EDITIONS:
            raise InvalidInput(
                f"unknown escrow edition {edition!r}: expected one of {', '.join(ESCROW_EDITIONS)}"
            )
        return _write_order(conv, edition, value)
    try:
        data = conv.unstructure(value, type(value))
    except (AttributeError, TypeError, ValueError) as exc:
        if isinstance(exc, InvalidInput):
            raise
        raise InvalidInput(
            f"value cannot be written as JSON: a {type(value).__name__} holding what its "
            f"class does not declare ({type(exc).__name__}: {exc})"
        ) from None
    _json_ready(data)
    return data


_READY: Final = (str, int, bool, type(None))
_EXPECTED: Final = (
    "value must be a value tradeassure writes as JSON (a public value, event or policy, "
    "Money, a date, an instant, a Decimal, or a tuple, list or dict of them)"
)


def _stray(data: Any) -> tuple[object, bool] | None:
    """The first thing in ``data`` that JSON text cannot carry back as it is (a float, a
    string UTF-8 cannot write, an object of any other kind; or a key that is no string,
    flagged True), or None when there is none."""
    stack = [data]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str:
            if not item.isascii() and not _utf8(item):
                return item, False
        elif kind is list:
            stack.extend(item)
        elif kind is dict:
            for key in item:
                if type(key) is not str:
                    return key, True
            stack.extend(item.values())
        elif kind not in _READY:
            return item, False
    return None


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _path_to(data: Any, target: object, key: bool, path: str = "$") -> str | None:
    """The JSON path of ``target`` (a key of a dict, if ``key``) in ``data``: worked out
    only once a stray is found, so that the walk itself stays cheap."""
    if data is target and not key:
        return path
    if type(data) is list:
        for i, item in enumerate(data):
            found = _path_to(item, target, key, f"{path}[{i}]")
            if found is not None:
                return found
    elif type(data) is dict:
        for name, item in data.items():
            if key and name is target:
                return f"{path} (a key)"
            found = _path_to(item, target, key, f"{path}.{name}")
            if found is not None:
                return found
    return None


def _json_ready(data: Any) -> None:
    """Refuse ``data`` (what :func:`to_dict` built) unless it is JSON-ready through and
    through: strings UTF-8 can write, ints, booleans, None, lists, and dicts with string
    keys. Everything written then reads back as it was written."""
    stray = _stray(data)
    if stray is None:
        return
    item, key = stray
    path = _path_to(data, item, key) or "$"
    if path == "$":
        raise InvalidInput(f"{_EXPECTED}, got {type(item).__name__} {item!r}")
    why = {
        float: "a float is inexact: pass a Decimal",
        str: "it holds a lone surrogate, which UTF-8 cannot write",
    }.get(type(item), "JSON has no such value")
    if key:
        why = "a JSON object's keys are strings"
    raise InvalidInput(
        f"value cannot be written as JSON: at {path}, {type(item).__name__} {item!r} ({why})"
    )


def from_dict(data: Any, cls: type[_T]) -> _T:
    """The ``cls`` value that ``data`` (as :func:`to_dict` gives it) describes.

    Raises :class:`InvalidJSON` listing every problem with its JSON path.
    """
    from cattrs.errors import StructureHandlerNotFoundError

    _type_argument(cls)
    try:
        return _converter().structure(data, cls)
    except StructureHandlerNotFoundError:
        raise InvalidInput(f"cls: {_name(cls)} is not a type tradeassure reads from JSON") from None
    except Exception as exc:
        raise InvalidJSON(_name(cls), _problems(exc)) from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in pairs:
        if key in out:
            raise InvalidInput(f"the key {key!r} appears twice in one object")
        out[key] = item
    return out


def _load(text: str, what: str) -> Any:
    if not isinstance(text, str | bytes):
        raise InvalidInput(f"text must be JSON text (a str), got {type(text).__name__}")
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise InvalidJSON(what, [("$", f"not valid JSON: {exc}")]) from None
    except InvalidInput as exc:
        raise InvalidJSON(what, [("$", str(exc))]) from None
    except UnicodeDecodeError as exc:  # bytes that are not UTF-8
        raise InvalidJSON(what, [("$", f"not UTF-8 text: {exc.reason}")]) from None
    except ValueError:  # an integer beyond Python's digit limit (int_max_str_digits)
        raise InvalidJSON(
            what, [("$", "not readable JSON: a number has too many digits")]
        ) from None
    except RecursionError:
        raise InvalidJSON(what, [("$", "not readable JSON: nested too deeply")]) from None


def to_json(
    value: object,
    *,
    indent: int | None = None,
    edition: str = "default",
    order_id: str | None = None,
) -> str:
    """``value`` as JSON text: one line unless ``indent`` is given (see :func:`to_dict`)."""
    if indent is not None:
        count(indent, "indent")
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(
        to_dict(value, edition=edition, order_id=order_id),
        indent=indent,
        separators=separators,
        ensure_ascii=False,
    )


def from_json(text: str, cls: type[_T]) -> _T:
    """The ``cls`` value ``text`` describes; ``cls=Event`` reads any event by its type.

    Raises :class:`InvalidJSON` listing every problem with its JSON path. An envelope
    (read as ``Envelope``, ``Event`` or an event class) takes the fast path first when
    msgspec is installed (the ``fast`` extra), which answers only for text the strict
    reader accepts, and as it would.
    """
    _type_argument(cls)
    if (cls is Envelope or cls is Event or cls in _CONCRETE) and isinstance(text, str | bytes):
        fast = _fast_reader()
        found = None if fast is None else fast(text)
        if found is not None:
            order_id, event = found
            if cls is Envelope:
                return Envelope(order_id, event)  # type: ignore[return-value]
            if cls is Event or type(event) is cls:
                return event  # type: ignore[return-value]
    return from_dict(_load(text, _name(cls)), cls)


def envelope_from_json(text: str) -> tuple[str, Event]:
    """The order id and the event of an envelope's JSON text, read exactly as
    ``from_json(text, Envelope)`` reads it (the same checks, the same errors), without
    building the ``Envelope``: for a batch that wants only its two parts."""
    fast = _fast_reader() if isinstance(text, str | bytes) else None
    found = None if fast is None else fast(text)
    if found is not None:
        return found
    envelope = from_dict(_load(text, "Envelope"), Envelope)
    return envelope.order_id, envelope.event


#: The event classes an envelope is read into by name.
_CONCRETE: Final = frozenset(EVENT_TYPES.values())


@functools.cache
def _fast_reader() -> Callable[[str | bytes], tuple[str, Event] | None] | None:
    """The fast envelope reader (``serialization._fast``), or None without msgspec."""
    try:
        from tradeassure.serialization._fast import read_envelope
    except ImportError:
        return None
    return read_envelope(SCHEMA_VERSION, {date: _read_date, datetime: _read_datetime})


def events_to_json_lines(events: Iterable[Event], *, order_id: str | None = None) -> str:
    """One order's history as JSON lines: one envelope a line, each ending in a newline,
    each naming ``order_id`` (by default the order its first event, an ``OrderPlaced``,
    places)."""
    history = tuple_of(events, Event, "events")
    if order_id is None and history:
        order_id = _envelope(history[0]).order_id
    return "".join(to_json(e, order_id=order_id) + "\n" for e in history)


_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")


def events_from_json_lines(text: str) -> tuple[Event, ...]:
    """The events of a JSON-lines history, in order (blank lines are skipped).

    Every envelope must name the order the first one names: a history is one order's.
    Raises :class:`InvalidJSON` listing every problem of every line, each path prefixed
    with its line number (``line 3: $.event.amount``).
    """
    if not isinstance(text, str):
        raise InvalidInput(f"text must be JSON-lines text (a str), got {type(text).__name__}")
    events: list[Event] = []
    problems: list[tuple[str, str]] = []
    first: tuple[int, str] | None = None
    # Lines end at \n, \r\n or \r only: str.splitlines() would also cut at U+2028, U+0085
    # and the like, which JSON strings may hold raw (to_json writes them unescaped).
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if not line.strip():
            continue
        try:
            found = from_json(line, Envelope)
        except InvalidJSON as exc:
            problems += [(f"line {number}: {path}", message) for path, message in exc.problems]
            continue
        if first is None:
            first = number, found.order_id
        elif found.order_id != first[1]:
            problems.append(
                (
                    f"line {number}: $.order_id",
                    f"expected {first[1]!r}, the order line {first[0]} names (a history is "
                    f"one order's), got {found.order_id!r}",
                )
            )
        events.append(found.event)
    if problems:
        raise InvalidJSON("an event history", problems)
    return tuple(events)
