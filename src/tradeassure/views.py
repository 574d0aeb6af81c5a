"""Notebook views: HTML and plain rows for orders, financing quotes, storefronts and
working-calendar months.

Every function here reads a value and returns either a ``str`` of HTML, what Jupyter
shows for an object's ``_repr_html_``, or :class:`Rows`: a ``list`` of plain ``dict``
rows that also becomes a typed frame, ``rows.to_pandas()``, ``rows.to_polars()`` or
``rows.to_arrow()`` (the ``frames`` extra), with exact ``decimal128`` money at the
currency's minor unit and ``timestamp[us, UTC]`` instants. A row holds plain values
only: ``str``, ``int``, ``bool``, ``date``, ``datetime``, ``timedelta``, None, and
amounts as a ``Decimal`` (at the currency's minor unit, as ``Money`` holds it) with the
currency code in a column of its own. ``pandas.DataFrame(rows)`` of the plain list
keeps those as Python objects (``object`` columns pandas does not sum); the frames
compute.

One spelling throughout: a status is its name (``FUNDS_HELD``), as in JSON and the
book's tables; timeline positions count from 1 (the ``OrderPlaced`` is event 1), as
the command line and the book's error positions do. The HTML escapes every string it
shows, uses inline styles only and runs no script; dates and instants are ISO (never
wrapped), money as ``str(money)`` (``USD 10,000.00``) everywhere.

>>> from tradeassure.credit import CreditLine, quote
>>> from tradeassure.money import Money
>>> line = CreditLine(limit=Money(2_000_000, "USD"), outstanding=Money(900_000, "USD"),
...                   drawn_total=Money(900_000, "USD"))
>>> for row in quote_rows(quote(line, Money(200_000, "USD"))):
...     print(row["rule"], row["amount"], row["binding"])
CR-80 160000.00 False
CR-PER-TRADE 150000.00 False
CR-PER-TRADE 600000.00 False
CR-OUTSTANDING 99999.99 True
CR-NEW-CUSTOMER 100000.00 False
CR-AVAILABLE 1100000.00 False
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal
from html import escape
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

from tradeassure import _checks, _display, escrow
from tradeassure._frames import Rows
from tradeassure.credit import FinancingQuote
from tradeassure.errors import InvalidInput, TradeAssureError
from tradeassure.escrow import (
    DEFAULT_ESCROW,
    Deadlines,
    EscrowPolicy,
    Event,
    Order,
    OrderStatus,
)
from tradeassure.money import Money
from tradeassure.rules import RULES
from tradeassure.shipping import WorkingCalendar
from tradeassure.verification import Storefront
from tradeassure.verification.standing import response_hours

__all__ = [
    "Rows",
    "aging_rows",
    "calendar_month_html",
    "calendar_month_rows",
    "deadline_rows",
    "exposure_rows",
    "money_rows",
    "order_html",
    "quote_html",
    "quote_rows",
    "storefront_html",
    "storefront_rows",
    "timeline_rows",
]

if TYPE_CHECKING:  # pragma: no cover
    from tradeassure.book import Book

Row = dict[str, object]


class _Html(str):
    """HTML text a notebook shows rendered (it is still a ``str``): what the ``*_html``
    functions return, so ``calendar.month_html(2025, 10)`` in a cell shows the grid."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


# -- HTML building blocks -----------------------------------------------------------------

# Explicit text colours keep the tables legible under a notebook's dark theme.
_BOX: Final = (
    "font-family:system-ui,sans-serif;font-size:13px;color:#222;background:#fff;"
    "border:1px solid #ccc;border-radius:4px;padding:8px 10px;display:inline-block"
)
_TABLE: Final = "border-collapse:collapse;margin:4px 0"
_CELL: Final = "border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top"
_HEAD: Final = _CELL + ";background:#f3f3f3"
_NUMBER: Final = _CELL + ";text-align:right;white-space:nowrap"
_NOWRAP: Final = _CELL + ";white-space:nowrap"
_HIGHLIGHT: Final = "background:#fff3bf;font-weight:bold"
_NOTE: Final = "color:#666;font-size:12px"


def _text(value: object) -> str:
    """``value`` as escaped HTML text: ISO for dates, ``str`` for everything else."""
    if isinstance(value, date):  # a datetime is a date too
        return escape(value.isoformat())
    if value is None:
        return "&ndash;"
    return escape(str(value))


def _table(head: tuple[str, ...], rows: list[str]) -> str:
    heads = "".join(f'<th style="{_HEAD}">{escape(h)}</th>' for h in head)
    return f'<table style="{_TABLE}"><tr>{heads}</tr>{"".join(rows)}</table>'


def _row(
    cells: tuple[str, ...],
    *,
    numeric: frozenset[int] = frozenset(),
    nowrap: frozenset[int] = frozenset(),
    css: str = "",
) -> str:
    """A table row of already-escaped ``cells``: the ``numeric`` ones right-aligned,
    those and the ``nowrap`` ones (instants) kept on one line; ``css`` names a class
    that marks the row."""
    tds = "".join(
        f'<td style="{_NUMBER if i in numeric else _NOWRAP if i in nowrap else _CELL}">{cell}</td>'
        for i, cell in enumerate(cells)
    )
    if css:
        return f'<tr class="{css}" style="{_HIGHLIGHT}">{tds}</tr>'
    return f"<tr>{tds}</tr>"


def _heading(text: str) -> str:
    return f'<div style="font-weight:bold;margin-top:8px">{escape(text)}</div>'


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- orders -------------------------------------------------------------------------------


def _states(order: Order, policy: EscrowPolicy) -> Iterator[tuple[int, Event, Order]]:
    """Each event of ``order``, numbered from 1, with the order just after it
    (:func:`escrow.steps`)."""
    for position, step in enumerate(escrow.steps(order.events, policy), 1):
        yield position, step.event, step.after


#: :func:`timeline_rows`' columns and how a frame types them (``_frames.KINDS``).
TIMELINE_COLUMNS: Final = (
    ("position", "count"),
    ("at", "instant"),
    ("event", "text"),
    ("event_id", "text"),
    ("description", "text"),
    ("status", "text"),
    ("paid", "money"),
    ("held", "money"),
    ("released", "money"),
    ("refunded", "money"),
    ("currency", "text"),
)


def timeline_rows(order: Order, policy: EscrowPolicy = DEFAULT_ESCROW) -> Rows:
    """One row per event of ``order``, in order: ``position`` (from 1: the
    ``OrderPlaced`` is event 1), ``at``, ``event`` (the type's name), ``event_id``,
    ``description`` (one line), and the order just after it: ``status`` (the status's
    name, ``FUNDS_HELD``), ``paid``, ``held``, ``released``, ``refunded`` and their
    ``currency`` (``TIMELINE_COLUMNS``).

    The states come from folding the history again under ``policy``: pass the policy the
    order was built with (a history another policy refuses raises its ``RuleViolation``).
    """
    rows: list[Row] = []
    for position, event, state in _states(order, policy):
        rows.append(
            {
                "position": position,
                "at": event.at,
                "event": type(event).__name__,
                "event_id": event.event_id,
                "description": escrow.describe(event),
                "status": state.status.name,
                "paid": state.paid.amount,
                "held": state.held.amount,
                "released": state.released.amount,
                "refunded": state.refunded.amount,
                "currency": state.total.currency,
            }
        )
    return Rows(rows, TIMELINE_COLUMNS)


_MONEY_FIGURES: Final = ("total", "paid", "held", "released", "refunded", "shipped")
#: :func:`money_rows`' columns and kinds.
MONEY_COLUMNS: Final = (("name", "text"), ("amount", "money"), ("currency", "text"))


def money_rows(order: Order) -> Rows:
    """One row per money figure of ``order`` (``total``, ``paid``, ``held``,
    ``released``, ``refunded``, ``shipped``): ``name``, ``amount``, ``currency``.
    ESC-CONSERVATION: ``paid`` is ``held + released + refunded``."""
    rows: list[Row] = []
    for name in _MONEY_FIGURES:
        money: Money = getattr(order, name)
        rows.append({"name": name, "amount": money.amount, "currency": money.currency})
    return Rows(rows, MONEY_COLUMNS)


# Each field of escrow.Deadlines says what it is and the rule that sets it (its
# metadata); refund_arrival holds two dates, so it gives two rows.
_DEADLINES: Final[tuple[tuple[str, str, str], ...]] = tuple(
    (f.name, f.metadata["label"], f.metadata["rule"]) for f in attrs.fields(Deadlines)
)


def _deadline(name: str, rule: str, when: date, description: str) -> Row:
    return {"name": name, "rule": rule, "when": when, "description": description}


def _deadline_rows(due: Deadlines) -> list[Row]:
    rows: list[Row] = []
    for name, label, rule in _DEADLINES:
        when = getattr(due, name)
        if when is None:
            continue
        if name == "refund_arrival":
            earliest, latest = when
            rows.append(
                _deadline(f"{name}_earliest", rule, earliest, f"{label} at the earliest on")
            )
            rows.append(_deadline(f"{name}_latest", rule, latest, f"{label} at the latest on"))
        elif name == "next_move":
            whose = f"{label}: the {when.party.value}'s, under {when.rule}"
            rows.append(_deadline(name, when.rule, when.at, whose))
        else:
            rows.append(_deadline(name, rule, when, label))
    return rows


#: :func:`deadline_rows`' columns and kinds: ``when`` holds dates and instants both,
#: so a frame splits it into ``when_at`` (UTC instants) and ``when_on`` (dates).
DEADLINE_COLUMNS: Final = (
    ("name", "text"),
    ("rule", "text"),
    ("when", "moment"),
    ("description", "text"),
)


def deadline_rows(order: Order, policy: EscrowPolicy = DEFAULT_ESCROW) -> Rows:
    """One row per deadline that applies to ``order`` now (:func:`escrow.deadlines`):
    ``name`` (the ``Deadlines`` field; the refund arrival gives ``refund_arrival_earliest``
    and ``refund_arrival_latest``), ``rule`` (the rule id that sets it), ``when`` (a
    ``date`` or a ``datetime``, as the rule counts) and ``description``. Its frames
    have ``when_at`` and ``when_on`` for ``when`` (``DEADLINE_COLUMNS``)."""
    return Rows(_deadline_rows(escrow.deadlines(order, policy)), DEADLINE_COLUMNS)


# Status badge colours: settled in the supplier's favour, in trouble, closed, under way.
_STATUS_COLOURS: Final[Mapping[OrderStatus, str]] = MappingProxyType(
    {
        OrderStatus.COMPLETED: "#d3f9d8",
        OrderStatus.DISPUTED: "#ffe3e3",
        OrderStatus.CANCELLATION_REQUESTED: "#ffe8cc",
        OrderStatus.CANCELLED: "#e9ecef",
        OrderStatus.REFUNDED: "#e9ecef",
    }
)
_UNDER_WAY: Final = "#d0ebff"
# Enough events to read an order at a glance; timeline_rows() gives them all.
_TIMELINE_SHOWN: Final = 100


def _status_badge(status: OrderStatus) -> str:
    colour = _STATUS_COLOURS.get(status, _UNDER_WAY)
    return (
        f'<span class="ta-status" style="background:{colour};font-weight:bold;'
        f'padding:1px 6px;border-radius:3px">{escape(status.name)}</span>'
    )


def _timeline_html(order: Order, policy: EscrowPolicy) -> str:
    try:
        rows = timeline_rows(order, policy)
    except TradeAssureError as exc:
        # The order was built under another policy: show the events without the states.
        note = (
            f"Replaying this history under the {policy.edition} policy is refused "
            f"({exc}); pass the policy the order was built with for the money after each "
            "event."
        )
        plain = [
            _row(
                (str(i), _text(e.at), _text(type(e).__name__), _text(escrow.describe(e))),
                numeric=frozenset({0}),
                nowrap=frozenset({1}),
            )
            for i, e in enumerate(order.events, 1)
        ]
        return _table(("#", "at", "event", "description"), plain) + (
            f'<div style="{_NOTE}">{escape(note)}</div>'
        )
    shown = rows[-_TIMELINE_SHOWN:]
    body = []
    currency = order.total.currency
    for row in shown:
        last = row["position"] == len(rows)
        cells = (
            _text(row["position"]),
            _text(row["at"]),
            _text(row["event"]),
            _text(row["description"]),
            _text(row["status"]),
            *(_money_text(row[name], currency) for name in ("held", "released", "refunded")),
        )
        body.append(
            _row(
                cells,
                numeric=frozenset({0, 5, 6, 7}),
                nowrap=frozenset({1}),
                css="ta-current" if last else "",
            )
        )
    head = ("#", "at", "event", "description", "status after", "held", "released", "refunded")
    table = _table(head, body)
    if len(rows) > len(shown):
        table = (
            f'<div style="{_NOTE}">the latest {len(shown)} of {len(rows)} events; '
            "timeline_rows() gives them all</div>" + table
        )
    return table


def _money_text(amount: object, currency: str) -> str:
    """A row's amount as the HTML shows every amount: ``str(money)``."""
    assert isinstance(amount, Decimal)
    return _text(Money(amount, currency))


def _clock(order: Order, policy: EscrowPolicy) -> str:
    """The timer running on ``order``, said apart from the parties' moves: it is no
    one's move (:func:`escrow.next_timer`; :func:`escrow.due_events` gives its event)."""
    timer = escrow.next_timer(order, policy)
    if timer is None or timer.at is None:
        return "no timer runs"
    when = timer.at.isoformat()
    return f"timer {timer.rule} falls due at {when} unless the {timer.party.value} moves"


def order_html(order: Order, policy: EscrowPolicy = DEFAULT_ESCROW) -> str:
    """An order as HTML: its id and parties, its status (highlighted, by name), the
    money paid, held, released and refunded, its next deadlines (:func:`deadline_rows`),
    the moves a party may make now (:func:`escrow.allowed_events`: never a timer), the
    timer running, and its timeline (:func:`timeline_rows`; the latest 100 events, the
    current one highlighted). ``policy`` is the one the order runs under."""
    c = order.contract
    money = "".join(
        _row((_text(r["name"]), _text(getattr(order, str(r["name"])))), numeric=frozenset({1}))
        for r in money_rows(order)
    )
    due = [
        _row((_text(r["description"]), _text(r["when"]), _text(r["rule"])), nowrap=frozenset({1}))
        for r in deadline_rows(order, policy)
    ]
    deadlines_html = (
        _table(("deadline", "when", "rule"), due)
        if due
        else f'<div style="{_NOTE}">no deadline runs now</div>'
    )
    allowed = ", ".join(sorted(t.__name__ for t in escrow.allowed_events(order, policy)))
    return _Html(
        f'<div class="ta-order" style="{_BOX}">'
        f"<div><strong>Order {_text(order.order_id)}</strong> {_status_badge(order.status)}</div>"
        f'<div style="{_NOTE}">buyer {_text(c.buyer)} &middot; supplier {_text(c.supplier)}'
        f" &middot; ship by {_text(order.ship_by)} &middot; placed {_text(c.placed_at)}</div>"
        + _table(("money", "amount"), [money])
        + _heading("Next deadlines")
        + deadlines_html
        + f'<div style="{_NOTE}">a party may send next: '
        f"{escape(allowed or 'nothing: closed')}; {escape(_clock(order, policy))}</div>"
        + _heading("Timeline")
        + _timeline_html(order, policy)
        + "</div>"
    )


# -- financing quotes ---------------------------------------------------------------------


#: :func:`quote_rows`' columns and kinds.
QUOTE_COLUMNS: Final = (
    ("rule", "text"),
    ("label", "text"),
    ("amount", "money"),
    ("currency", "text"),
    ("binding", "bool"),
)


def quote_rows(quote: FinancingQuote) -> Rows:
    """One row per cap of ``quote``, in the order it applies them: ``rule``, ``label``,
    ``amount``, ``currency`` and ``binding`` (True on exactly one row: the cap that sets
    the quoted amount)."""
    binding = quote.binding_index
    rows: list[Row] = [
        {
            "rule": cap.rule,
            "label": cap.label,
            "amount": cap.amount.amount,
            "currency": cap.amount.currency,
            "binding": i == binding,
        }
        for i, cap in enumerate(quote.caps)
    ]
    return Rows(rows, QUOTE_COLUMNS)


def quote_html(quote: FinancingQuote) -> str:
    """A financing quote as HTML: the amount, the binding rule and its summary, every
    cap's figure with the binding one highlighted, and the insurance fee."""
    binding = quote.binding_index
    body = [
        _row(
            (
                _text(cap.rule),
                _text(cap.label),
                _text(cap.amount),
                "binding" if i == binding else "",
            ),
            numeric=frozenset({2}),
            css="ta-binding" if i == binding else "",
        )
        for i, cap in enumerate(quote.caps)
    ]
    rule = RULES.get(quote.limited_by)
    why = f": {rule.summary}" if rule is not None else ""
    return _Html(
        f'<div class="ta-quote" style="{_BOX}">'
        f"<div><strong>Financing quote: {_text(quote.amount)}</strong></div>"
        f'<div style="{_NOTE}">limited by {_text(quote.limited_by)}{escape(why)}</div>'
        + _table(("rule", "cap", "amount", ""), body)
        + f'<div style="{_NOTE}">insurance fee {_text(quote.insurance_fee)}</div></div>'
    )


# -- storefronts --------------------------------------------------------------------------


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


#: :func:`storefront_rows`' columns and kinds.
STOREFRONT_COLUMNS: Final = (
    ("as_of", "date"),
    ("window_start", "date"),
    ("protection_badge", "bool"),
    ("protection_limit", "money"),
    ("protection_limit_currency", "text"),
    ("transaction_count", "count"),
    ("transaction_value", "money"),
    ("currency", "text"),
    ("inquiries_received", "count"),
    ("inquiries_answered", "count"),
    ("response_rate", "decimal"),
    ("median_response_time", "duration"),
)


def storefront_rows(storefront: Storefront) -> Rows:
    """The storefront as one row, so rows of several suppliers' storefronts concatenate
    into one table: ``as_of``, ``window_start``, ``protection_badge``,
    ``protection_limit`` and ``protection_limit_currency`` (None for the policy
    default), ``transaction_count``, ``transaction_value``, ``currency``,
    ``inquiries_received``, ``inquiries_answered``, ``response_rate`` (a ``Decimal``
    share, or None) and ``median_response_time`` (a ``timedelta``, or None)."""
    s = storefront
    limit = s.protection_limit
    row: Row = {
        "as_of": s.as_of,
        "window_start": s.window_start,
        "protection_badge": s.protection_badge,
        "protection_limit": None if limit is None else limit.amount,
        "protection_limit_currency": None if limit is None else limit.currency,
        "transaction_count": s.transaction_count,
        "transaction_value": s.transaction_value.amount,
        "currency": s.transaction_value.currency,
        "inquiries_received": s.inquiries_received,
        "inquiries_answered": s.inquiries_answered,
        "response_rate": s.response_rate,
        "median_response_time": s.median_response_time,
    }
    return Rows([row], STOREFRONT_COLUMNS)


def storefront_html(storefront: Storefront) -> str:
    """A storefront as HTML (ID-STOREFRONT): the protection badge (highlighted when
    shown), the protection limit, and the window's transactions and responses."""
    s = storefront
    badge = (
        f'<span class="ta-badge" style="{_HIGHLIGHT};padding:1px 6px;border-radius:3px">'
        "Trade Assurance</span>"
        if s.protection_badge
        else f'<span style="{_NOTE}">no protection badge</span>'
    )
    rate = s.response_rate
    median = s.median_response_time
    figures = (
        ("protection limit", _text(s.protection_limit or "the policy's default")),
        ("transactions", _text(s.transaction_count)),
        ("transaction value", _text(s.transaction_value)),
        ("inquiries answered", f"{s.inquiries_answered} of {s.inquiries_received}"),
        ("response rate", _text(None if rate is None else _percent(rate))),
        ("median response time", _text(None if median is None else response_hours(median))),
    )
    body = [_row((escape(name), value), numeric=frozenset({1})) for name, value in figures]
    return _Html(
        f'<div class="ta-storefront" style="{_BOX}">'
        f"<div><strong>Storefront on {_text(s.as_of)}</strong> {badge}</div>"
        f'<div style="{_NOTE}">{_text(s.window_start)} to {_text(s.as_of)}</div>'
        + _table(("figure", "value"), body)
        + "</div>"
    )


# -- a book's sums ------------------------------------------------------------------------

#: :func:`exposure_rows`' columns and kinds.
EXPOSURE_COLUMNS: Final = (
    ("supplier", "text"),
    ("currency", "text"),
    ("orders", "count"),
    ("held", "money"),
    ("covered", "money"),
    ("limit", "money"),
)


def exposure_rows(book: Book) -> Rows:
    """One row per supplier and currency of ``book`` (``Book.exposure``, the most held
    first in each currency): ``supplier``, ``currency``, ``orders``, ``held`` (ESC-HOLD),
    ``covered`` (TA-LIMIT and the rest) and ``limit`` (the supplier's protection limit,
    or None), amounts as ``Decimal``s at the currency's minor unit."""
    rows: list[Row] = [
        {
            "supplier": e.supplier,
            "currency": e.currency,
            "orders": e.orders,
            "held": e.held.amount,
            "covered": e.covered.amount,
            "limit": None if e.limit is None else e.limit.amount,
        }
        for e in book.exposure
    ]
    return Rows(rows, EXPOSURE_COLUMNS)


#: :func:`aging_rows`' columns and kinds.
AGING_COLUMNS: Final = (("currency", "text"), ("age", "text"), ("held", "money"))


def aging_rows(book: Book) -> Rows:
    """One row per currency and age of the money ``book`` holds (``Book.aging``, the
    ages of ``book.AGES`` in order, youngest first): ``currency``, ``age``, ``held``."""
    from tradeassure.book import AGES

    rank = {label: i for i, (label, _) in enumerate(AGES)}
    ordered = sorted(book.aging.items(), key=lambda kv: (kv[0][0], rank[kv[0][1]]))
    rows: list[Row] = [
        {"currency": currency, "age": age, "held": held.amount} for (currency, age), held in ordered
    ]
    return Rows(rows, AGING_COLUMNS)


# -- working-calendar months --------------------------------------------------------------

# Fixed English names: the locale-dependent calendar.day_name would vary by machine.
_WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@attrs.frozen
class _Day:
    day: date
    working: bool
    kind: str  # working, makeup, holiday, closed, weekend
    why: str


def _check_month(calendar: object, year: object, month: object) -> None:
    _checks.of_type(calendar, "calendar", WorkingCalendar)
    _checks.calendar_year(year, "year")
    if not 1 <= _checks.integer(month, "month") <= 12:
        raise InvalidInput(f"month must be 1 to 12, not {month}")


def _days(calendar: WorkingCalendar, year: int, month: int) -> list[_Day]:
    _check_month(calendar, year, month)
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    out: list[_Day] = []
    for n in range((following - first).days):
        day = first + timedelta(days=n)
        working = calendar.is_working_day(day)
        weekend = day.weekday() in calendar.weekend
        name = calendar.holiday_name(day)
        if working:
            kind, why = ("makeup", "make-up working day") if weekend else ("working", "working day")
        elif name is not None:
            kind, why = "holiday", f"holiday: {name}"
        elif day in calendar.closed:
            kind, why = "closed", "closed"
        elif weekend:
            kind, why = "weekend", "weekend"
        else:  # pragma: no cover - a day off is a holiday, a closed day or a weekend day
            kind, why = "holiday", "holiday"
        out.append(_Day(day, working, kind, why))
    return out


#: :func:`calendar_month_rows`' columns and kinds.
CALENDAR_COLUMNS: Final = (
    ("date", "date"),
    ("weekday", "text"),
    ("working", "bool"),
    ("why", "text"),
    ("estimated", "bool"),
)


def calendar_month_rows(calendar: WorkingCalendar, year: int, month: int) -> Rows:
    """One row per day of the month in ``calendar``: ``date``, ``weekday`` (its English
    name), ``working``, ``why`` (``"working day"``, ``"make-up working day"`` for a
    weekend day declared worked, ``"holiday: <name>"``, ``"weekend"``, or ``"closed"`` for
    the business's own closed dates) and ``estimated`` (the year's schedule is not
    published: see :meth:`WorkingCalendar.is_estimated`). A public holiday on a weekend
    day is a holiday; the weekend days inside a holiday week the package does not name
    are ``"weekend"``."""
    days = _days(calendar, year, month)
    estimated = calendar.is_estimated(year)
    rows: list[Row] = [
        {
            "date": d.day,
            "weekday": _WEEKDAYS[d.day.weekday()],
            "working": d.working,
            "why": d.why,
            "estimated": estimated,
        }
        for d in days
    ]
    return Rows(rows, CALENDAR_COLUMNS)


_DAY_STYLES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "working": "background:#fff",
        "makeup": "background:#fff3bf;font-weight:bold",
        "holiday": "background:#ffc9c9",
        "closed": "background:#adb5bd",
        "weekend": "background:#e9ecef;color:#666",
    }
)
_LEGEND: Final = (
    ("working", "working day"),
    ("makeup", "make-up working day"),
    ("holiday", "public holiday"),
    ("weekend", "weekend"),
    ("closed", "closed"),
)
_DAY_CELL: Final = (
    "border:1px solid #ddd;padding:2px 4px;width:4.2em;height:2.6em;vertical-align:top"
)


def calendar_month_html(calendar: WorkingCalendar, year: int, month: int) -> str:
    """A month of ``calendar`` as a grid, Monday first: working days, weekend days,
    public holidays (with their names), make-up working days and closed dates each
    styled apart, with a legend; an estimated year is marked with dashed cells and a
    note (:func:`calendar_month_rows` gives the same facts as rows)."""
    days = _days(calendar, year, month)
    estimated = calendar.is_estimated(year)
    border = ";border-style:dashed;font-style:italic" if estimated else ""
    cells = ["<td></td>"] * days[0].day.weekday()
    weeks: list[str] = []
    for d in days:
        label = d.why[len("holiday: ") :] if d.kind == "holiday" else ""
        small = {"makeup": "make-up", "closed": "closed"}.get(d.kind, label)
        cells.append(
            f'<td class="ta-day ta-{d.kind}" title="{_text(d.day)}: {escape(d.why)}" '
            f'style="{_DAY_CELL};{_DAY_STYLES[d.kind]}{border}">{d.day.day}'
            + (
                f'<div style="font-size:10px;font-weight:normal">{escape(small)}</div>'
                if small
                else ""
            )
            + "</td>"
        )
        if len(cells) == 7:
            weeks.append(f"<tr>{''.join(cells)}</tr>")
            cells = []
    if cells:
        weeks.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(f'<th style="{_HEAD}">{w[:3]}</th>' for w in _WEEKDAYS)
    legend = " ".join(
        f'<span style="{_DAY_STYLES[kind]};border:1px solid #ddd;padding:0 4px">{text}</span>'
        for kind, text in _LEGEND
    )
    note = (
        f'<div class="ta-estimated" style="{_NOTE}">estimated: no published schedule for '
        f"{calendar.country} {year} (supply one with WorkingCalendar.with_schedule)</div>"
        if estimated
        else ""
    )
    where = calendar.country + (f"-{calendar.subdivision}" if calendar.subdivision else "")
    return _Html(
        f'<div class="ta-calendar" style="{_BOX}">'
        f"<div><strong>{escape(where)}, {_MONTHS[month - 1]} {year}</strong></div>"
        f'<table style="{_TABLE}"><tr>{head}</tr>{"".join(weeks)}</table>'
        f'<div style="{_NOTE}">{legend}</div>{note}</div>'
    )


_display.register(
    {
        "order_html": order_html,
        "timeline_rows": timeline_rows,
        "money_rows": money_rows,
        "deadline_rows": deadline_rows,
        "quote_html": quote_html,
        "quote_rows": quote_rows,
        "storefront_html": storefront_html,
        "storefront_rows": storefront_rows,
        "calendar_month_html": calendar_month_html,
        "calendar_month_rows": calendar_month_rows,
    }
)
