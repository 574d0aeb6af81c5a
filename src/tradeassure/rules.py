"""The rule catalogue: every rule id the library can name, once, with its source.

The ids and their meaning come from RULES.md (the project's specification); the
summaries here are one line each, for error listings, docs and the CLI. A
:class:`~tradeassure.errors.RuleViolation` can only be raised with an id from
:data:`RULES`, so every refusal points back to an entry in this table. The table
itself lives in ``tradeassure._catalogue``: add a rule there. Each rule has an entry of
its own on the site's catalogue page, at ``Rule.url`` (:data:`DOCS_URL` + ``rules/#`` +
``Rule.anchor``).

>>> print(RULES["CR-80"].summary)
At most 80% of the trade's total payable amount is financed.
>>> RULES["CR-80"].sources
('000',)
>>> RULES["CR-80"].anchor
'cr-80'
>>> RULES["CR-80"].url == DOCS_URL + "rules/#cr-80"
True
>>> rule("CR-81")
Traceback (most recent call last):
...
tradeassure.errors.InvalidInput: unknown rule id 'CR-81'; see tradeassure.rules.RULES
"""

from __future__ import annotations

from tradeassure._catalogue import DOCS_URL, RULES, SOURCES, Rule
from tradeassure.errors import InvalidInput

__all__ = ["DOCS_URL", "RULES", "SOURCES", "Rule", "rule"]


def rule(rule_id: str) -> Rule:
    """Return the registered rule ``rule_id``; unknown ids raise ``InvalidInput``."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise InvalidInput(f"unknown rule id {rule_id!r}; see tradeassure.rules.RULES") from None
