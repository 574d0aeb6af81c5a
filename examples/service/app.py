"""The reference service: the event store (``tradeassure.store``) behind HTTP.

- ``POST /orders/{order_id}/events`` appends envelopes (a JSON array of them, or one)
  at the version named by ``If-Match``; answers the new version, also as the ``ETag``.
- ``GET /orders/{order_id}`` answers where the order stands: its status, version,
  edition and money, what each party may send it next, its deadlines, its next move and
  the timer running on it.
- ``POST /sweep`` fires the timers due by ``{"now": ...}``.

Bodies are read as bytes and parsed by the library's own reader
(``tradeassure.serialization``), never coerced by FastAPI: a float amount or a naive
instant is refused as the library refuses it, with its JSON path. The library's errors
are mapped to answers in one table, :data:`ANSWERS`; a refused request writes nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Annotated, Any, Final, final

import attrs
from fastapi import APIRouter, Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse

from tradeassure.errors import (
    ConcurrencyConflict,
    EventIdConflict,
    InvalidInput,
    InvalidJSON,
    OrderNotFound,
    RuleViolation,
    TradeAssureError,
)
from tradeassure.escrow import allowed_moves, deadlines, next_timer
from tradeassure.serialization import Envelope, from_json, to_dict
from tradeassure.store import EventStore, open

__all__ = [
    "ANSWERS",
    "CLOCK_ALLOWANCE",
    "MAX_BODY",
    "Ahead",
    "NoVersion",
    "NotAVersion",
    "Refused",
    "Sweep",
    "TooLarge",
    "app",
    "create_app",
]

#: The largest request body read, in bytes (1 MiB); a longer one is refused unread.
MAX_BODY: Final = 1 << 20

#: How far ahead of the server's clock an event may be dated (the parties' clocks drift).
CLOCK_ALLOWANCE: Final = timedelta(minutes=5)
#: The store the module-level ``app`` serves unless ``TRADEASSURE_STORE_URL`` names one.
DEFAULT_URL: Final = "sqlite:///orders.db"


class Refused(Exception):
    """A request the service refuses before the library sees it; the message says what
    would be accepted."""


@final
class NoVersion(Refused):
    """An append without ``If-Match``: the version it was based on is unknown."""


@final
class NotAVersion(Refused):
    """An ``If-Match`` that is no version."""


@final
class TooLarge(Refused):
    """A body over :data:`MAX_BODY` bytes."""


@final
class Ahead(Refused):
    """An event dated after the server's clock, beyond :data:`CLOCK_ALLOWANCE`: the
    escrow has no clock of its own, so a date ahead would pass for time gone by."""


@final
@attrs.frozen
class Sweep:
    """The body of ``POST /sweep``, read by the library's reader like an event.

    Attributes:
        now: the instant the timers are fired as of, with its offset.
        batch: how many orders a transaction.
    """

    now: datetime
    batch: int = 100


# -- the answers ---------------------------------------------------------------------------


def _message(error: Exception) -> dict[str, Any]:
    return {"message": str(error)}


def _rule(error: RuleViolation) -> dict[str, Any]:
    return {"rule": error.rule, "message": error.message}


def _conflict(error: ConcurrencyConflict) -> dict[str, Any]:
    return {"expected": error.expected, "actual": error.actual, "message": str(error)}


def _problems(error: InvalidJSON) -> dict[str, Any]:
    return {"problems": [{"path": path, "message": text} for path, text in error.problems]}


#: Each error's status and body, looked up by the error's class, then its bases. A
#: refused event is 422 with its rule id, a malformed body 422 with its JSON paths. A
#: stale version and an event id the order already gave another event are both 409: the
#: body is well formed (another order would take it) but conflicts with what this order
#: has stored; only the stale version names versions, to reload at and retry.
ANSWERS: Final[Mapping[type[Exception], tuple[int, Callable[[Any], dict[str, Any]]]]] = (
    MappingProxyType(
        {
            NoVersion: (428, _message),
            NotAVersion: (400, _message),
            TooLarge: (413, _message),
            Ahead: (422, _message),
            RuleViolation: (422, _rule),
            ConcurrencyConflict: (409, _conflict),
            EventIdConflict: (409, _message),
            InvalidJSON: (422, _problems),
            InvalidInput: (422, _message),
            OrderNotFound: (404, _message),
            TradeAssureError: (422, _message),
        }
    )
)


async def _answer(request: Request, error: Exception) -> JSONResponse:
    """The answer to a refused request, read off :data:`ANSWERS`."""
    kind = next(k for k in type(error).__mro__ if k in ANSWERS)
    status, body = ANSWERS[kind]
    return JSONResponse(body(error), status_code=status)


# -- reading a request ---------------------------------------------------------------------


async def _body(request: Request) -> bytes:
    """The request body, refused (413) once it passes :data:`MAX_BODY`, before any of it
    is parsed: by its declared length, or as it streams in."""
    too_large = TooLarge(f"the body is over {MAX_BODY} bytes; send fewer events at once")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _text(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidJSON(what, [("$", f"not UTF-8 text: {error.reason}")]) from None


_VERSION: Final = re.compile(r'(?:[0-9]+|"[0-9]+")')


def _expected_version(if_match: str | None) -> int:
    """The version an append was based on, from ``If-Match: 3`` or ``If-Match: "3"``."""
    if if_match is None:
        raise NoVersion(
            "an append names the version it was read at: If-Match: <version> (the ETag of "
            "GET /orders/{order_id}; 0 for a new order)",
        )
    value = if_match.strip()
    if not _VERSION.fullmatch(value):
        raise NotAVersion(
            f'If-Match must be an order\'s version such as 3 or "3", got {if_match!r}'
        )
    return int(value.strip('"'))


def _envelopes(text: str, order_id: str) -> list[Envelope]:
    """The envelopes of an append body, a JSON array of them or a single one, each
    naming ``order_id``; :class:`InvalidJSON` with every problem's path otherwise."""
    one = text.lstrip(" \t\r\n").startswith("{")
    envelopes = [from_json(text, Envelope)] if one else list(from_json(text, tuple[Envelope, ...]))
    elsewhere = [
        ("$.order_id" if one else f"$[{i}].order_id", envelope.order_id)
        for i, envelope in enumerate(envelopes)
        if envelope.order_id != order_id
    ]
    if elsewhere:
        raise InvalidJSON(
            "an append's envelopes",
            [
                (path, f"expected {order_id!r}, the order of the path, got {other!r}")
                for path, other in elsewhere
            ],
        )
    return envelopes


def _store(request: Request) -> EventStore:
    store: EventStore = request.app.state.store
    return store


Store = Annotated[EventStore, Depends(_store)]
Body = Annotated[bytes, Depends(_body)]


def _etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


# -- the routes ----------------------------------------------------------------------------

router = APIRouter()


@router.post("/orders/{order_id}/events")
def append(
    request: Request,
    order_id: str,
    store: Store,
    body: Body,
    if_match: Annotated[str | None, Header()] = None,
    edition: str | None = None,
) -> JSONResponse:
    """Append the body's envelopes at the ``If-Match`` version; ``edition`` names the
    policy edition of a new order. A redelivery answers the current version."""
    expected = _expected_version(if_match)
    envelopes = _envelopes(_text(body, "an append's envelopes"), order_id)
    latest = request.app.state.clock() + CLOCK_ALLOWANCE
    ahead = [e.event for e in envelopes if e.event.at > latest]
    if ahead:
        raise Ahead(
            f"a {type(ahead[0]).__name__} dated {ahead[0].at.isoformat()} is after this "
            f"server's clock ({latest.isoformat()} with {CLOCK_ALLOWANCE} allowed): "
            "events are sent when they happen"
        )
    version = store.append(
        order_id, [envelope.event for envelope in envelopes], expected, edition=edition
    )
    return JSONResponse({"order_id": order_id, "version": version}, headers=_etag(version))


@router.get("/orders/{order_id}")
def order(order_id: str, store: Store) -> JSONResponse:
    """Where the order stands; 404 when the store holds none by that id."""
    edition = store.projection(order_id).edition
    current = store.load(order_id)
    policy = store.policy(order_id)
    version = len(current.events)
    due = deadlines(current, policy)
    timer = next_timer(current, policy)
    state = {
        "order_id": order_id,
        "version": version,
        "edition": edition,
        "status": to_dict(current.status),
        "buyer": current.contract.buyer,
        "supplier": current.contract.supplier,
        "money": {
            "total": to_dict(current.contract.total),
            "paid": to_dict(current.paid),
            "held": to_dict(current.held),
            "released": to_dict(current.released),
            "refunded": to_dict(current.refunded),
        },
        "may_send": {
            to_dict(party): sorted(kind.__name__ for kind in kinds)
            for party, kinds in allowed_moves(current, policy).items()
        },
        "deadlines": to_dict(due),
        "next_move": None if due.next_move is None else to_dict(due.next_move),
        "next_timer": None if timer is None else to_dict(timer),
    }
    return JSONResponse(state, headers=_etag(version))


@router.post("/sweep")
def sweep(store: Store, body: Body) -> JSONResponse:
    """Fire every timer due by the body's ``now``, ``batch`` orders a transaction."""
    request = from_json(_text(body, "Sweep"), Sweep)
    return JSONResponse({"applied": store.sweep(request.now, request.batch)})


# -- the app -------------------------------------------------------------------------------


def create_app(url: str, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> FastAPI:
    """The service over the store at ``url``, opened when the app starts and closed when
    it stops (``tradeassure.store.open``: ``sqlite:///PATH``, ``sqlite://``,
    ``postgresql://...``). ``clock`` is the server's: an event dated after it (beyond
    :data:`CLOCK_ALLOWANCE`) is refused; the store takes ``TimerExpired`` from its own
    sweep only."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with open(url) as store:
            app.state.store = store
            yield

    app = FastAPI(title="tradeassure reference service", lifespan=lifespan)
    app.state.clock = clock
    app.include_router(router)
    app.add_exception_handler(TradeAssureError, _answer)
    app.add_exception_handler(Refused, _answer)
    return app


#: The service over ``TRADEASSURE_STORE_URL`` (``sqlite:///orders.db`` unless set): the
#: store opens when the app starts, so importing this module touches no database.
app: Final = create_app(os.environ.get("TRADEASSURE_STORE_URL", DEFAULT_URL))
