"""The one door from the domain's values to the notebook views, which open it from
their side.

A domain value's notebook methods (``Order._repr_html_``, ``Order.timeline_rows``,
``FinancingQuote.rows``, ``WorkingCalendar.month_html``, ...) ask this module for the
view registered under a name; :mod:`tradeassure.views` registers its functions here when
it is imported. No domain module imports the edge: the import arrow points from
``views`` into the domain. What the domain knows of the edge is one module name,
:data:`VIEWS_MODULE`, which this module loads on the first notebook call if nobody has
yet, the way a plugin host loads a plugin: ``import tradeassure`` stays light (no views
until a notebook shows something), and a notebook needs no import of its own.

The table below is written once, when ``views`` is imported, and read by nothing that
decides a rule: it is wiring, not state a rule depends on.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any, Final

# The rows' type, light to import (no pandas until a frame is asked for).
from tradeassure._frames import Rows

__all__ = ["VIEWS_MODULE", "Row", "Rows", "html", "register", "rows"]

#: The edge that registers the notebook views, loaded by name on the first call.
VIEWS_MODULE: Final = "tradeassure.views"

#: A plain row: what ``pandas.DataFrame(rows)`` takes.
Row = dict[str, object]

_VIEWS: Final[dict[str, Callable[..., Any]]] = {}


def register(views: Mapping[str, Callable[..., Any]]) -> None:
    """Make ``views`` (name -> function) the functions the domain's notebook methods
    call; called by :mod:`tradeassure.views` at import."""
    _VIEWS.update(views)


def _view(name: str) -> Callable[..., Any]:
    if name not in _VIEWS:
        importlib.import_module(VIEWS_MODULE)  # registers its views
    try:
        return _VIEWS[name]
    except KeyError:
        raise LookupError(f"{VIEWS_MODULE} registers no notebook view {name!r}") from None


def html(name: str, *args: object) -> str:
    """The HTML the view ``name`` renders for ``args`` (a value and its options)."""
    out = _view(name)(*args)
    assert isinstance(out, str)
    return out


def rows(name: str, *args: object) -> Rows:
    """The rows the view ``name`` gives for ``args``: plain dicts in a list that also
    becomes a typed frame (``tradeassure.views.Rows``)."""
    out = _view(name)(*args)
    assert isinstance(out, Rows)
    return out
