"""``Decision``: the answer :func:`~tradeassure.verification.may_place_order` and
:func:`~tradeassure.verification.protection_eligible` give, built from their modules'
``check``."""

from __future__ import annotations

from typing import final

import attrs

from tradeassure._checks import Strings, of_type, registered_field, tuple_of, validator
from tradeassure.errors import RuleViolation

__all__ = ["Decision", "decided"]


def _reasons(values: Strings) -> tuple[str, ...]:
    return tuple_of(values, str, "reasons")


@final
@attrs.frozen
class Decision:
    """A rule's answer to "may this happen?", with reasons a person can act on.

    Attributes:
        allowed: whether the rule allows it.
        rule: the id of the rule that decided (registered in ``tradeassure.rules``).
        reasons: sentences saying why; on a refusal, each names what would change it.
    """

    # "must be a bool", as it has always said, rather than boolean's "True or False".
    allowed: bool = attrs.field(validator=validator(of_type, bool))
    rule: str = attrs.field(validator=registered_field)
    reasons: tuple[str, ...] = attrs.field(default=(), converter=_reasons)

    def enforce(self) -> None:
        """Raise ``RuleViolation`` naming :attr:`rule` and the reasons when refused."""
        if not self.allowed:
            raise RuleViolation(self.rule, " ".join(self.reasons) or "refused")


def decided(rule: str, found: tuple[RuleViolation, ...], approval: str) -> Decision:
    """The decision of ``rule`` from a module's ``check``: refused with the violations'
    messages as reasons, or allowed for the reason ``approval``."""
    if found:
        return Decision(False, rule, tuple(v.message for v in found))
    return Decision(True, rule, (approval,))
