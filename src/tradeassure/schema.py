"""The JSON Schema (draft 2020-12) of the event envelope, for producers in other languages.

:func:`json_schema` reads it off the event classes: every type in
``escrow.EVENT_TYPES`` is one branch of a ``oneOf``, its ``event`` object listing the
class's fields with their JSON types from the type hints (``attrs.fields``, resolved),
``required`` the fields without a default, and nothing else allowed. A field
validator the schema can say adds its constraint (non-empty text, money of more than
zero, a bounded day count, a known timer); the table of them is keyed by the
validators in ``_checks`` and ``escrow.events``, so a new event or field needs nothing
here. A validator the table does not know is left to the reader, and a test fails
unless it is an enum's member check, which the field's type already says.

The committed copy is ``schema/envelope.schema.json`` (``python scripts/gen_schema.py``
writes it; ``tradeassure schema`` prints it). What the schema cannot say the reader
still checks: rules across fields (ship-by or lead time, a deposit within the total,
an ``OrderPlaced`` naming its envelope's order), amounts in whole minor units of an
ISO 4217 currency within 10**15, and dates and instants within the supported range.

>>> schema = json_schema()
>>> schema["$schema"]
'https://json-schema.org/draft/2020-12/schema'
>>> schema["$defs"]["Money"]["properties"]["currency"]
{'type': 'string', 'pattern': '^[A-Z]{3}$', 'description': 'an ISO 4217 code'}
>>> schema["oneOf"][0]
{'$ref': '#/$defs/OrderPlaced'}
"""

from __future__ import annotations

import copy
import enum
import inspect
import re
import types
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final, Literal, Union, get_args, get_origin

import attrs

from tradeassure import _checks
from tradeassure.escrow import EVENT_TYPES, TIMERS, Event, FeedbackLeft, TimerExpired
from tradeassure.escrow import events as _events
from tradeassure.money import _DECIMAL_TEXT, _LONGEST_TEXT, Money
from tradeassure.serialization import _CURRENCY, SCHEMA_VERSION

__all__ = ["SCHEMA_ID", "json_schema"]

#: The schema's ``$id``: a name, not an address (the file is
#: ``schema/envelope.schema.json`` in the repository), naming the envelope version.
SCHEMA_ID: Final = f"urn:tradeassure:envelope:{SCHEMA_VERSION}"

_DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
_DESCRIPTION: Final = (
    'An event on the wire: {"type", "schema", "order_id", "event"}, one branch per event '
    "type of tradeassure.escrow.EVENT_TYPES, generated from the event classes "
    "(tradeassure.schema). The reader (tradeassure.serialization) also refuses what a "
    "schema does not say: rules across fields (an OrderPlaced's ship_by or lead_days, "
    "its deposit within its total, its order_id the envelope's), amounts not in whole "
    "minor units of an ISO 4217 currency or beyond 10**15, dates and instants outside "
    f"{_checks.FIRST_DAY} to {_checks.LAST_DAY}, a whole number written with a point "
    "(10.0, which JSON Schema counts an integer), and duplicate keys."
)
_ENVELOPE_KEYS: Final = ("type", "schema", "order_id", "event")


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def _portable(pattern: str) -> str:
    r"""``pattern`` (a Python regex of this library) as an anchored ECMA-262 regex, as
    JSON Schema reads patterns: ``\d`` as ``[0-9]`` (ECMA's is ASCII, Python's is not
    unless told), named groups as plain ones."""
    plain = re.sub(r"\(\?P<\w+>", "(?:", pattern.replace(r"\d", "[0-9]"))
    return f"^(?:{plain})$" if "|" in plain else f"^{plain}$"


# -- the scalar definitions ---------------------------------------------------------------

_DIGITS2: Final = "[0-9]{2}"
_HOUR: Final = "(?:[01][0-9]|2[0-3])"
_MINUTE: Final = "[0-5][0-9]"
_SECONDS: Final = rf"{_MINUTE}(?:\.[0-9]{{1,6}})?"
_CLOCK: Final = rf"{_HOUR}:{_MINUTE}(?::{_SECONDS})?"
_DAY: Final = "[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
# An ISO 8601 duration as the reader takes it: days, then a clock part that is not empty.
_DURATION_SECONDS: Final = r"[0-9]+(?:\.[0-9]{1,6})?S"
_DURATION_CLOCK: Final = (
    rf"(?:[0-9]+H(?:[0-9]+M)?(?:{_DURATION_SECONDS})?"
    rf"|[0-9]+M(?:{_DURATION_SECONDS})?|{_DURATION_SECONDS})"
)
_SUPPORTED: Final = f"{_checks.FIRST_DAY} to {_checks.LAST_DAY}"

#: The wire format's own types, written the same wherever they appear.
_SCALARS: Final[Mapping[str, dict[str, Any]]] = {
    "DecimalString": {
        "description": (
            "a decimal number as text: ASCII digits with an optional sign, point and "
            f'exponent, at most {_LONGEST_TEXT} characters, such as "12.50" (never a '
            "JSON number)"
        ),
        "type": "string",
        "pattern": _portable(_DECIMAL_TEXT.pattern),
        "maxLength": _LONGEST_TEXT,
    },
    "Money": {
        "description": (
            'an amount in a currency, such as {"amount": "12.50", "currency": "USD"}; '
            "at most 10**15 in magnitude, in the currency's whole minor units where money "
            "moves"
        ),
        "type": "object",
        "properties": {
            "amount": _ref("DecimalString"),
            "currency": {
                "type": "string",
                "pattern": _portable(_CURRENCY.pattern),
                "description": "an ISO 4217 code",
            },
        },
        "required": ["amount", "currency"],
        "additionalProperties": False,
    },
    "PositiveMoney": {
        "description": "Money of more than zero",
        "allOf": [_ref("Money")],
        # The first digit that is not a zero comes before any exponent, and no sign but +.
        "properties": {"amount": {"pattern": r"^\+?[0.]*[1-9]"}},
    },
    "NonNegativeMoney": {
        "description": "Money of zero or more",
        "allOf": [_ref("Money")],
        # No minus sign, but before a zero ("-0.00").
        "properties": {"amount": {"pattern": r"^(?:[+0-9.]|-[0.]*(?:[eE]|$))"}},
    },
    "Date": {
        "description": f'a calendar day, such as "2025-03-01" (supported: {_SUPPORTED})',
        "type": "string",
        "format": "date",
        "pattern": f"^{_DAY}$",
    },
    "Instant": {
        "description": (
            "an ISO 8601 instant with its offset (or Z), such as "
            f'"2025-03-01T09:00:00+08:00"; never naive (supported: {_SUPPORTED}, in UTC)'
        ),
        "type": "string",
        "pattern": f"^{_DAY}T{_CLOCK}(?:Z|[+-]{_HOUR}:{_MINUTE}(?::{_SECONDS})?)$",
    },
    "Duration": {
        "description": 'an ISO 8601 duration in days, hours, minutes, seconds: "PT2H", "P1DT30M"',
        "type": "string",
        "pattern": f"^-?P(?:[0-9]+D(?:T{_DURATION_CLOCK})?|T{_DURATION_CLOCK})$",
    },
}

# -- what the field validators say ----------------------------------------------------------

_TEXT: Final = {"minLength": 1, "pattern": r"\S"}

#: The constraint each field validator adds to its field's schema (to the value, not to
#: the null of an optional field). Validators not here are left to the reader.
_CONSTRAINTS: Final[Mapping[object, dict[str, Any]]] = {
    _checks.text_field: _TEXT,
    _checks.optional_text_field: _TEXT,
    _checks.day_count_field: {"minimum": 0, "maximum": _checks.MAX_DAYS},
    _checks.positive_whole_money_field: _ref("PositiveMoney"),
    _checks.non_negative_whole_money_field: _ref("NonNegativeMoney"),
    _checks.non_negative_money_field: _ref("NonNegativeMoney"),
    _events._some: {"minItems": 1},
    # Its message says "a whole number 1 to 5"; the tests hold the two together.
    FeedbackLeft._rating: {"minimum": 1, "maximum": 5},
    TimerExpired._known: {"enum": sorted(TIMERS)},
    # Their types say all they check (the supported range aside).
    _checks.aware_field: {},
    _checks.date_field: {},
    _checks.boolean_field: {},
    _checks.free_text_field: {},
}

_OPTIONAL: Final[type[Any]] = type(attrs.validators.optional(_checks.boolean_field))


def _validator(field: attrs.Attribute[Any]) -> object:
    """The validator that judges ``field``'s value when it is not None."""
    check = field.validator
    return check.validator if isinstance(check, _OPTIONAL) else check


def _constraint(field: attrs.Attribute[Any]) -> dict[str, Any] | None:
    """What ``field``'s validator adds to its schema ({} for nothing more than its type),
    or None when the schema cannot say what it checks."""
    check = _validator(field)
    return {} if check is None else _CONSTRAINTS.get(check)


# -- types ----------------------------------------------------------------------------------

_PLAIN: Final[Mapping[object, dict[str, Any]]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    Decimal: _ref("DecimalString"),
    Money: _ref("Money"),
    datetime: _ref("Instant"),
    date: _ref("Date"),
    timedelta: _ref("Duration"),
}


def _plain(text: str) -> str:
    """Docstring text on one line, its ``literals`` in Markdown's single backticks."""
    return " ".join(text.split()).replace("``", "`")


def _paragraph(cls: type) -> str:
    """The first paragraph of ``cls``'s own docstring, on one line."""
    return _plain(inspect.cleandoc(cls.__dict__.get("__doc__") or "").split("\n\n")[0])


def _enum_schema(t: type[enum.Enum]) -> dict[str, Any]:
    return {"description": _paragraph(t), "enum": list(t.__members__)}


def _type_schema(t: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The schema of a value of type ``t`` as the wire format writes it; enums it meets
    are added to ``defs``. A type the wire format does not know raises TypeError."""
    if t in _PLAIN:
        return dict(_PLAIN[t])
    if isinstance(t, type) and issubclass(t, enum.Enum):
        defs.setdefault(t.__name__, _enum_schema(t))
        return _ref(t.__name__)
    origin, args = get_origin(t), get_args(t)
    if origin is Literal:
        return {"const": args[0]} if len(args) == 1 else {"enum": list(args)}
    if origin in (Union, types.UnionType):
        return {"anyOf": [_type_schema(a, defs) for a in args]}
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return {"type": "array", "items": _type_schema(args[0], defs)}
    if origin is tuple and args:
        return {
            "type": "array",
            "prefixItems": [_type_schema(a, defs) for a in args],
            "items": False,
            "minItems": len(args),
        }
    if origin is frozenset and args:
        return {"type": "array", "items": _type_schema(args[0], defs), "uniqueItems": True}
    raise TypeError(f"the wire format has no JSON form for {t!r}")


def _field_schema(field: attrs.Attribute[Any], defs: dict[str, Any]) -> dict[str, Any]:
    """``field``'s schema: its type's, with its validator's constraint on the value (an
    optional field's null left alone)."""
    args = get_args(field.type)
    optional = type(None) in args and get_origin(field.type) in (Union, types.UnionType)
    rest = [a for a in args if a is not type(None)] if optional else [field.type]
    value = _type_schema(rest[0] if len(rest) == 1 else Union[tuple(rest)], defs)  # noqa: UP007
    value.update(_constraint(field) or {})
    return {"anyOf": [value, {"type": "null"}]} if optional else value


# -- descriptions ---------------------------------------------------------------------------

_ENTRY: Final = re.compile(r"(?P<names>\w+(?:, \w+)*): (?P<text>.*)")


def _attribute_docs(cls: type) -> dict[str, str]:
    """Each field's text in the ``Attributes:`` blocks of ``cls``'s docstring and its
    bases', on one line (one entry a field: tests/test_docs_site.py refuses a grouped
    ``a, b: text`` entry, which the docs site would show as a field named ``a,``)."""
    out: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        lines = inspect.cleandoc(klass.__dict__.get("__doc__") or "").splitlines()
        if "Attributes:" not in lines:
            continue
        names: list[str] = []
        for line in lines[lines.index("Attributes:") + 1 :]:
            entry = _ENTRY.fullmatch(line.strip())
            indent = len(line) - len(line.lstrip())
            if not line.strip() or indent == 0:
                break
            if entry is not None and indent == 4:
                names = entry["names"].split(", ")
                for name in names:
                    out[name] = entry["text"]
            else:
                for name in names:
                    out[name] += " " + line.strip()
    return out


# -- the envelope ---------------------------------------------------------------------------


def _event_schema(cls: type[Event], defs: dict[str, Any]) -> dict[str, Any]:
    """The envelope of a ``cls`` event: its type, the schema version, the order, and the
    event's own fields."""
    attrs.resolve_types(cls)
    docs = _attribute_docs(cls)
    fields: dict[str, Any] = {}
    for field in attrs.fields(cls):
        schema = _field_schema(field, defs)
        if field.name in docs:
            schema = {"description": _plain(docs[field.name]), **schema}
        fields[field.name] = schema
    return {
        "title": cls.__name__,
        "description": _paragraph(cls),
        "type": "object",
        "properties": {
            "type": {"const": cls.__name__},
            "schema": {"const": SCHEMA_VERSION},
            "order_id": {
                "type": "string",
                **_TEXT,
                "description": "the order the event belongs to",
            },
            "event": {
                "type": "object",
                "properties": fields,
                "required": [f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING],
                "additionalProperties": False,
            },
        },
        "required": list(_ENVELOPE_KEYS),
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of an event envelope, one ``oneOf`` branch per type in
    ``EVENT_TYPES``, built afresh (the caller may change it)."""
    defs: dict[str, Any] = dict(_SCALARS)
    for name, cls in EVENT_TYPES.items():
        defs[name] = _event_schema(cls, defs)
    return copy.deepcopy(
        {
            "$schema": _DRAFT,
            "$id": SCHEMA_ID,
            "title": f"tradeassure event envelope (schema {SCHEMA_VERSION})",
            "description": _DESCRIPTION,
            "oneOf": [_ref(name) for name in EVENT_TYPES],
            "$defs": dict(sorted(defs.items())),
        }
    )
