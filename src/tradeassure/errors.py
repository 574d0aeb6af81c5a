"""One error hierarchy for the whole library.

Every error is a :class:`TradeAssureError`, so a backend can catch the library's
refusals in one place and map them to answers:

- :class:`RuleViolation`: a well-formed request that a business rule refuses; carries
  ``.rule``, the id of that rule in the catalogue (``tradeassure.rules``).
- :class:`PolicyError`: no policy edition covers the request (e.g. a credit line below
  the published tier, CR-TIER).
- :class:`InvalidInput`: a malformed value (also a ``ValueError``).
- :class:`CurrencyMismatch`: two amounts in different currencies were combined (also an
  :class:`InvalidInput`).
"""

from __future__ import annotations

__all__ = [
    "CurrencyMismatch",
    "InvalidInput",
    "PolicyError",
    "RuleViolation",
    "TradeAssureError",
]


class TradeAssureError(Exception):
    """Root of every error the library raises on purpose."""


class InvalidInput(TradeAssureError, ValueError):
    """A value is malformed: the message says what is wrong and what is expected."""


class CurrencyMismatch(InvalidInput):
    """Amounts in two currencies were added, compared or mixed in one value."""


class PolicyError(TradeAssureError):
    """No policy edition covers the request; the message says how to pass terms."""


class RuleViolation(TradeAssureError):
    """A business rule refuses the request.

    Attributes:
        rule: the id of the refusing rule, always one registered in ``tradeassure.rules``.
        message: what was refused and what would be accepted instead.
    """

    rule: str
    message: str

    def __init__(self, rule: str, message: str) -> None:
        # Imported here: rules.py is data only and must not depend on this module.
        from tradeassure.rules import RULES

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
