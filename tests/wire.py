"""The tests' way to write any value as JSON: an event goes in an envelope naming an
order (``WIRE_ORDER``, or the order an ``OrderPlaced`` places), everything else as
``to_json`` writes it."""

from __future__ import annotations

from typing import Any, Final

from tradeassure.escrow import Event, OrderPlaced
from tradeassure.serialization import to_dict, to_json

#: The order id the tests' envelopes name.
WIRE_ORDER: Final = "PO-1"


def order_of(value: object) -> str | None:
    """The ``order_id=`` that ``to_json`` needs for ``value``: None but for an event that
    does not name its own order."""
    if isinstance(value, Event) and not isinstance(value, OrderPlaced):
        return WIRE_ORDER
    return None


def as_json(value: object, **options: Any) -> str:
    return to_json(value, order_id=order_of(value), **options)


def as_dict(value: object, **options: Any) -> Any:
    return to_dict(value, order_id=order_of(value), **options)
