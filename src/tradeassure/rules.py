"""The rule catalogue: every rule id the library can name, once, with its source.

The ids and their meaning come from RULES.md (the project's specification); the
summaries here are one line each, for error listings, docs and the CLI. A
:class:`~tradeassure.errors.RuleViolation` can only be raised with an id from
:data:`RULES`, so every refusal points back to an entry in this table. The table
itself lives in ``tradeassure._catalogue``: add a rule there.

>>> print(RULES["CR-80"].summary)
At most 80% of the trade's total payable amount is financed.
>>> RULES["CR-80"].sources
('000',)
>>> rule("CR-81")
Traceback (most recent call last):
...
tradeassure.errors.InvalidInput: unknown rule id 'CR-81'; see tradeassure.rules.RULES
"""

from __future__ import annotations

from tradeassure._catalogue import RULES, SOURCES, Rule
from tradeassure.errors import InvalidInput

__all__ = ["RULES", "SOURCES", "Rule", "rule"]


def rule(rule_id: str) -> Rule:
    """Return the registered rule ``rule_id``; unknown ids raise ``InvalidInput``."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise InvalidInput(f"unknown rule id {rule_id!r}; see tradeassure.rules.RULES") from None
