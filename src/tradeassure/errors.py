"""One error hierarchy for the whole library.

Every error is a :class:`TradeAssureError`, so a backend can catch the library's
refusals in one place and map them to answers:

- :class:`RuleViolation`: a well-formed request that a business rule refuses; carries
  ``.rule``, the id of that rule in the catalogue (``tradeassure.rules``), and ``.link``,
  the address of the rule's entry on the docs site.
- :class:`PolicyError`: no policy edition covers the request (e.g. a credit line below
  the published tier, CR-TIER); ``.rule`` names the rule when one applies.
- :class:`InvalidInput`: a malformed value (also a ``ValueError``), with its kinds:
  :class:`CurrencyMismatch` (two currencies mixed), :class:`EventIdConflict` (an event
  id reused for another event) and :class:`InvalidJSON` (a document that does not
  describe the value asked for).
- :class:`ConcurrencyConflict`: an append to a stored order was based on a version that
  is no longer its latest (``tradeassure.store``); load the order again and retry.
- :class:`OrderNotFound` (also a ``LookupError``): a store holds no order by that id.
- :class:`StoreUnavailable`: ``tradeassure.store.open`` cannot reach or open its
  database (no such server, wrong password, a file that cannot be created).
- :class:`SweepIncomplete`: a sweep stored every timer it could, and names the orders
  whose timers it could not store, each with the library's error.

>>> print(RuleViolation("CR-80", "the trade is financed at most 80%"))
CR-80: the trade is financed at most 80%
>>> RuleViolation("CR-80", "the trade is financed at most 80%").link
'https://tradeassure.readthedocs.io/en/latest/rules/#cr-80'
>>> RuleViolation("CR-81", "no such rule")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tradeassure.errors.InvalidInput: RuleViolation needs a registered rule id; 'CR-81' is not ...
"""

from __future__ import annotations

from collections.abc import Iterable

from tradeassure._catalogue import RULES

__all__ = [
    "ConcurrencyConflict",
    "CurrencyMismatch",
    "EventIdConflict",
    "InvalidInput",
    "InvalidJSON",
    "OrderNotFound",
    "PolicyError",
    "RuleViolation",
    "StoreUnavailable",
    "SweepIncomplete",
    "TradeAssureError",
]


class TradeAssureError(Exception):
    """Root of every error the library raises on purpose."""


class InvalidInput(TradeAssureError, ValueError):
    """A value is malformed: the message says what is wrong and what is expected."""


class CurrencyMismatch(InvalidInput):
    """Amounts in two currencies were added, compared or mixed in one value."""


class EventIdConflict(InvalidInput):
    """An event reuses an ``event_id`` the order has seen, with different content."""


class InvalidJSON(InvalidInput):
    """A JSON document does not describe the value asked for.

    Attributes:
        problems: every problem found, as ``(path, message)`` pairs; the path is a JSON
            path from the document's root (``$.event.amount``), prefixed with
            ``line N:`` for JSON lines.
    """

    problems: tuple[tuple[str, str], ...]

    def __init__(self, what: str, problems: Iterable[tuple[str, str]]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"cannot read {what} from JSON ({count} problem{'s' if count != 1 else ''}):"
        super().__init__("\n".join([head, *(f"  {p}: {m}" for p, m in self.problems)]))


class ConcurrencyConflict(TradeAssureError):
    """An append expected an order's stream at one version and found another: someone
    else wrote first. Nothing was written; load the order, decide again, retry.

    Attributes:
        order_id: the order.
        expected: the version the append was based on.
        actual: the order's version now.
    """

    order_id: str
    expected: int
    actual: int

    def __init__(self, order_id: str, expected: int, actual: int) -> None:
        why = (
            "another writer appended first; load it again and retry"
            if expected < actual
            else "it has not come that far; load it to see where it stands"
        )
        super().__init__(
            f"order {order_id} is at version {actual}, not the expected version {expected}: {why}"
        )
        self.order_id, self.expected, self.actual = order_id, expected, actual

    def __reduce__(self) -> tuple[type[ConcurrencyConflict], tuple[str, int, int]]:
        return type(self), (self.order_id, self.expected, self.actual)


class OrderNotFound(TradeAssureError, LookupError):
    """A store holds no order by this id.

    Attributes:
        order_id: the id asked for.
    """

    order_id: str

    def __init__(self, order_id: str) -> None:
        super().__init__(f"no order {order_id!r} in this store")
        self.order_id = order_id

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[type[OrderNotFound], tuple[str]]:
        return type(self), (self.order_id,)


class StoreUnavailable(TradeAssureError):
    """The store's database cannot be reached or opened; the message names it (its
    password hidden) and the driver's reason."""


class SweepIncomplete(TradeAssureError):
    """A sweep stored every timer it could; these orders' it could not.

    Attributes:
        applied: the timer events it stored.
        failed: by order id, the error that left each order as it was.
    """

    applied: int
    failed: dict[str, TradeAssureError]

    def __init__(self, applied: int, failed: dict[str, TradeAssureError]) -> None:
        shown = "; ".join(f"{order_id}: {error}" for order_id, error in list(failed.items())[:5])
        more = f" (and {len(failed) - 5} more)" if len(failed) > 5 else ""
        super().__init__(
            f"the sweep stored {applied} timer events; {len(failed)} orders' timers could "
            f"not be stored and wait as they were: {shown}{more}"
        )
        self.applied, self.failed = applied, dict(failed)

    def __reduce__(self) -> tuple[type[SweepIncomplete], tuple[int, dict[str, TradeAssureError]]]:
        return type(self), (self.applied, self.failed)


class PolicyError(TradeAssureError):
    """No policy edition covers the request; the message says how to pass terms.

    Attributes:
        rule: the id of the rule whose terms are missing (``CR-TIER``), or None.
    """

    rule: str | None

    @property
    def link(self) -> str | None:
        """The address of the rule's entry on the docs site, or None with no rule."""
        return None if self.rule is None else RULES[self.rule].url

    def __init__(self, message: str, rule: str | None = None) -> None:
        if rule is not None and rule not in RULES:
            raise InvalidInput(
                f"PolicyError names a registered rule id or none; {rule!r} is not in "
                "tradeassure.rules"
            )
        super().__init__(message)
        self.rule = rule


class RuleViolation(TradeAssureError):
    """A business rule refuses the request.

    Attributes:
        rule: the id of the refusing rule, always one registered in ``tradeassure.rules``.
        message: what was refused and what would be accepted instead.
    """

    rule: str
    message: str

    @property
    def link(self) -> str:
        """The address of the refusing rule's entry in the catalogue on the docs site
        (``tradeassure.rules.DOCS_URL`` + ``rules/#`` + the id in lower case)."""
        return RULES[self.rule].url

    def __init__(self, rule: str, message: str) -> None:
        if rule not in RULES:
            raise InvalidInput(
                f"RuleViolation needs a registered rule id; {rule!r} is not in tradeassure.rules"
            )
        super().__init__(rule, message)
        self.rule = rule
        self.message = message

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RuleViolation):
            return NotImplemented
        return (self.rule, self.message) == (other.rule, other.message)

    def __hash__(self) -> int:
        return hash((self.rule, self.message))
