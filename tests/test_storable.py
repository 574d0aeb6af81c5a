"""Everything the library accepts, it can store: a value whose construction succeeds is
written by ``to_json`` and read back by ``from_json`` to an equal value, whatever was
passed for its fields; an order replayed from any valid history (free text and all)
does the same. A field that accepts what its declared type does not, or what the JSON
reader refuses (a lone surrogate, a naive instant), fails here."""

from __future__ import annotations

import contextlib
import enum
import types
import typing
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final, Literal, get_args, get_origin
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from test_value_semantics import EXAMPLES, PUBLIC_CLASSES
from tradeassure.errors import InvalidInput
from tradeassure.escrow import (
    ESCROW_EDITIONS,
    CancellationRequest,
    Contract,
    Dispute,
    Event,
    Inspection,
    Milestones,
    Order,
    OrderStatus,
    Party,
    PaymentMethod,
    ReceiptConfirmed,
    Transition,
    replay,
)
from tradeassure.money import Money
from tradeassure.rules import Rule
from tradeassure.serialization import (
    events_from_json_lines,
    events_to_json_lines,
    from_json,
)
from tradeassure.testing import money, order_histories
from tradeassure.verification import IdentityField, Membership
from wire import as_json

# Not built field by field here, and why:
_NOT_HERE: Final = {
    # Derived state, built by place and replay only: test_an_order_replayed_... below.
    Order,
    # A row of escrow.TRANSITIONS (it holds functions): written as its key in the table.
    Transition,
    # The rule catalogue's record, built from the catalogue's own table: the catalogue
    # imports nothing of the library (errors imports it), so it cannot raise InvalidInput.
    Rule,
}
CLASSES: Final = sorted(PUBLIC_CLASSES - _NOT_HERE, key=lambda c: c.__qualname__)
SEEDS: Final[dict[type, list[object]]] = {}
for _value in EXAMPLES:
    SEEDS.setdefault(type(_value), []).append(_value)

# -- values of every kind ------------------------------------------------------------------

_SURROGATE: Final = st.integers(0xD800, 0xDFFF).map(chr)
#: Any text: empty, blank, control characters, line separators, lone surrogates.
TEXT: Final = st.text(st.characters() | _SURROGATE, max_size=8) | st.sampled_from(
    ("", " ", "\t\n", "\x00", "\u2028", "\ud800", "a\udfffb", "PO-1", "TMR-PAY", "CN", "USD")
)
_ZONES: Final = (
    st.sampled_from((UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-9, minutes=-30))))
    | st.timezones()
)
#: Dates and instants, mostly within the supported dates (1900 to 2100), any at times.
DATES: Final = st.dates(date(1900, 1, 1), date(2100, 12, 31)) | st.dates()
INSTANTS: Final = st.datetimes(
    datetime(1900, 1, 2), datetime(2100, 12, 30), timezones=_ZONES
) | st.datetimes(timezones=_ZONES)
_ENUMS: Final = st.sampled_from(
    [m for kind in (Party, PaymentMethod, OrderStatus, IdentityField, Membership) for m in kind]
)
_SCALARS: Final = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    TEXT,
    st.binary(max_size=4),
    st.decimals(),
    DATES,
    st.datetimes(),  # naive
    INSTANTS,
    st.timedeltas(),
    money(),
    money(whole_minor_units=False),
    _ENUMS,
)
#: A value of any kind: a scalar, a collection of scalars, or another public value.
ANYTHING: Final = st.one_of(
    _SCALARS,
    st.lists(_SCALARS, max_size=3),
    st.lists(_SCALARS, max_size=3).map(tuple),
    st.frozensets(st.integers() | TEXT | DATES, max_size=3),
    st.sampled_from(EXAMPLES),
)


def of_type(hint: Any) -> st.SearchStrategy[Any]:
    """Values of the declared type ``hint``, from its edges too (blank or surrogate text,
    instants in named zones, amounts finer than a cent)."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(of_type(a) for a in args))
    if hint is type(None):
        return st.none()
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            items = st.lists(of_type(args[0]), max_size=3)
            return items.map(tuple) | items
        return st.tuples(*(of_type(a) for a in args))
    if origin is frozenset:
        return st.frozensets(of_type(args[0]), max_size=3)
    if origin is Literal:
        return st.sampled_from(args)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return st.sampled_from(list(hint))
    simple: dict[Any, st.SearchStrategy[Any]] = {
        str: TEXT,
        bool: st.booleans(),
        int: st.integers(),
        Decimal: st.decimals(),
        date: DATES,
        datetime: INSTANTS,
        timedelta: st.timedeltas(),
        Money: money() | money(whole_minor_units=False),
    }
    if hint in simple:
        return simple[hint]
    if hint in SEEDS:
        return st.sampled_from(SEEDS[hint])
    return st.nothing()


def _fields(cls: type) -> list[tuple[str, Any]]:
    """(keyword, declared type) of each field ``cls`` takes."""
    hints = typing.get_type_hints(cls)
    return [(f.alias or f.name, hints[f.name]) for f in attrs.fields(cls) if f.init]


@st.composite
def changes(draw: st.DrawFn, cls: type) -> dict[str, object]:
    """New values for some of ``cls``'s fields: of the field's type, or of any kind."""
    fields = _fields(cls)
    chosen = draw(st.lists(st.sampled_from(fields), min_size=1, unique=True))
    return {name: draw(of_type(hint) | ANYTHING, label=name) for name, hint in chosen}


def _refused(cls: type, error: Exception) -> bool:
    """Whether ``error`` is a refusal the library documents: ``InvalidInput``, or the
    ``TypeError`` of an inexact float. Money still refuses an amount or currency of
    another kind with ``TypeError`` too (its module's choice, kept here as it is)."""
    if isinstance(error, InvalidInput):
        return True
    if not isinstance(error, TypeError):
        return False
    message = str(error)
    kind_refused = message.startswith(("Money amount must be", "currency must be an ISO 4217"))
    return "float" in message or (cls is Money and kind_refused)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
@given(data=st.data())
def test_a_value_construction_accepts_is_read_back_equal(cls: type, data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(SEEDS[cls]), label="seed")
    try:
        value = attrs.evolve(seed, **data.draw(changes(cls), label="changes"))  # type: ignore[misc]
    except (InvalidInput, TypeError) as error:
        if not _refused(cls, error):
            raise
        return
    assert from_json(as_json(value), cls) == value


@pytest.mark.parametrize(
    "local",
    [
        pytest.param(datetime(2025, 11, 2, 1, 30, fold=1), id="repeated-by-the-clock-change"),
        pytest.param(datetime(2025, 3, 9, 2, 30), id="skipped-by-the-clock-change"),
    ],
)
def test_an_instant_a_clock_change_leaves_in_doubt_keeps_its_offset(local: datetime) -> None:
    # Python compares such a local time unequal to any instant in another zone (PEP 495):
    # the event fixes the offset its zone gives it, so it is the same instant, and reads
    # back equal from the JSON that writes that offset.
    zoned = local.replace(tzinfo=ZoneInfo("America/New_York"))
    event = ReceiptConfirmed(at=zoned)
    assert event.at.timestamp() == zoned.timestamp()
    assert event.at.utcoffset() == zoned.utcoffset()
    assert from_json(as_json(event), ReceiptConfirmed) == event


# -- orders --------------------------------------------------------------------------------

#: Text fields the rules read (ids, timer ids, calendars, zones): not free text.
_RULED: Final = {
    "event_id",
    "timer",
    "supplier_country",
    "buyer_country",
    "supplier_zone",
    "buyer_zone",
}
#: What a backend may pass for a free-text field: any text, or a value of another kind.
FREE_TEXT: Final = TEXT | _SCALARS


@st.composite
def with_free_text(draw: st.DrawFn, event: Event) -> Event:
    """``event`` with each of its free-text fields (a comment, a report, evidence items,
    names) replaced by a drawn value, where the event accepts it; fields the rules read
    and the length of a collection (no evidence stays no evidence) are kept."""
    for field in attrs.fields(type(event)):
        old = getattr(event, field.name)
        if field.name in _RULED:
            continue
        if isinstance(old, str):
            new: object = draw(FREE_TEXT, label=field.name)
        elif isinstance(old, tuple) and old and all(isinstance(item, str) for item in old):
            new = tuple(draw(FREE_TEXT, label=field.name) for _ in old)
        else:
            continue
        if new is None and type(None) in get_args(typing.get_type_hints(type(event))[field.name]):
            continue  # an optional field stays given: a bank account given matters to refunds
        with contextlib.suppress(InvalidInput):  # refused: the event keeps its value
            event = attrs.evolve(event, **{field.name: new})
    return event


@st.composite
def histories(draw: st.DrawFn) -> tuple[str, tuple[Event, ...]]:
    """An escrow edition's name and a valid history under it, with free text anywhere."""
    edition = draw(st.sampled_from(sorted(ESCROW_EDITIONS)))
    events = draw(order_histories(ESCROW_EDITIONS[edition], max_events=10))
    return edition, tuple(draw(with_free_text(e)) for e in events)


@given(histories())
def test_an_order_replayed_from_any_valid_history_is_read_back_equal(
    drawn: tuple[str, tuple[Event, ...]],
) -> None:
    edition, events = drawn
    order = replay(events, ESCROW_EDITIONS[edition])
    assert events_from_json_lines(events_to_json_lines(events)) == events
    assert from_json(as_json(order, edition=edition), Order) == order
    # The fold builds the order's parts without their field checks: they pass them.
    for part in (order.contract, order.milestones, order.inspection, order.dispute):
        assert part is None or attrs.evolve(part) == part  # type: ignore[misc]
    assert order.cancellation is None or attrs.evolve(order.cancellation) == order.cancellation


#: The order's parts, which the fold builds without their field checks.
PARTS: Final = (CancellationRequest, Contract, Dispute, Inspection, Milestones)


@pytest.mark.parametrize("cls", PARTS, ids=lambda c: c.__name__)
def test_the_folds_constructor_without_checks_builds_what_the_class_does(cls: type) -> None:
    from tradeassure.escrow.order import _CHECKLESS, _trusted

    assert set(_CHECKLESS) == set(PARTS)
    for seed in SEEDS[cls]:
        fields = attrs.asdict(seed, recurse=False)  # type: ignore[arg-type]
        assert _trusted(cls)(**fields) == seed == cls(**fields)
        for name in fields:  # each default, as the class gives it
            if attrs.fields_dict(cls)[name].default is not attrs.NOTHING:  # type: ignore[arg-type]
                rest = {k: v for k, v in fields.items() if k != name}
                assert _trusted(cls)(**rest) == cls(**rest)
