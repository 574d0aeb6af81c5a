"""The one-question commands' work: ``finance`` (a quote, cap by cap), ``tier``,
``workdays`` and ``rules``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from tradeassure.cli._io import _IO, OK, REFUSED, _Malformed, _Refused
from tradeassure.cli._types import _read_input
from tradeassure.credit import FINANCING_EDITIONS
from tradeassure.errors import PolicyError
from tradeassure.rules import RULES

if TYPE_CHECKING:  # pragma: no cover
    from tradeassure.credit import FinancingPolicy
    from tradeassure.money import Money

# -- finance -----------------------------------------------------------------------------


def _terms_refusal(policy: FinancingPolicy, limit: Money) -> _Refused:
    """CR-TIER (or the edition's terms rule) in the command's terms: the limits the
    edition covers, and the flags that would change the answer."""
    others = ", ".join(name for name in FINANCING_EDITIONS if name != policy.edition)
    return _Refused(
        policy.terms_rule,
        f"the {policy.edition} financing terms cover {policy.granted_limits}; --limit "
        f"{limit.amount} is outside them: give a --limit they cover, or another --policy "
        f"({others})",
    )


def _finance_data(args: Mapping[str, Any], io: _IO) -> int:
    from tradeassure.credit import CreditLine, quote
    from tradeassure.money import Money
    from tradeassure.serialization import to_dict

    policy = FINANCING_EDITIONS[args["policy"]]
    currency = args["currency"] or policy.currency

    def money(amount: Decimal | None) -> Money | None:
        return None if amount is None else Money(amount, currency)

    line = CreditLine(
        limit=Money(args["limit"], currency),
        **{
            k: v
            for k, v in (
                ("outstanding", money(args["outstanding"])),
                ("drawn_total", money(args["drawn_total"])),
            )
            if v is not None
        },
        fully_repaid_once=args["repaid_once"],
    )
    payable = Money(args["payable"], currency)
    try:
        offer = quote(line, payable, policy)
    except PolicyError as error:
        if error.rule != policy.terms_rule:
            raise
        raise _terms_refusal(policy, line.limit) from None
    binding = offer.binding_index
    if io.as_json:
        io.json({"quote": to_dict(offer), "binding_cap": binding})
        return OK
    io.line(
        f"Financeable: {offer.amount} (bound by {offer.limited_by}; policy: {policy.edition})",
        "bold",
    )
    io.line(
        f"  line: limit {line.limit}, outstanding {line.outstanding}, drawn in all "
        f"{line.drawn_total}; trade payable {payable}"
    )
    io.line()
    rows = [
        (cap.rule, cap.label, str(cap.amount), "binding" if i == binding else "")
        for i, cap in enumerate(offer.caps)
    ]
    io.table(["rule", "cap", "amount", "binds"], rows, [2])
    io.line()
    io.line(f"Insurance fee: {offer.insurance_fee}")
    return OK


# -- tier --------------------------------------------------------------------------------


def _tier(file: str, as_of: date | None, io: _IO) -> int:
    from tradeassure.serialization import from_json
    from tradeassure.verification import (
        BuyerProfile,
        IdentityField,
        fields_to_verify,
        identity_tier,
        max_order_for,
        verified_until,
    )

    profile = from_json(_read_input(file, io.stdin), BuyerProfile)
    # The command's edge reads the clock when not told the day; the library never does.
    day = as_of or datetime.now(UTC).date()
    tier = identity_tier(profile, day)
    until = verified_until(profile)
    missing = [f for f in IdentityField if f in fields_to_verify(profile, day)]
    limit = max_order_for(profile)
    if io.as_json:
        from tradeassure.serialization import to_dict

        io.json(
            {
                "as_of": day.isoformat(),
                "tier": tier.name,
                "rule": tier.rule,
                "verified_until": None if until is None else until.isoformat(),
                "fields_to_verify": [f.name for f in missing],
                "max_order": None if limit is None else to_dict(limit),
            }
        )
        return OK
    rows = [
        ("tier", f"{tier.name} ({tier.rule})"),
        ("as of", day.isoformat()),
        ("verified until", "never verified in full" if until is None else until.isoformat()),
        ("fields to verify", ", ".join(f.name for f in missing) or "none"),
        ("largest order", "no limit" if limit is None else f"{limit} (ID-BUSINESS-NAME)"),
    ]
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for name, value in rows:
        table.add_row(Text(name), Text(value))
    io.console.print(table)
    return OK


# -- workdays ----------------------------------------------------------------------------


def _workdays(
    start: date, other: date | int, country: str, strict: bool, action: str, io: _IO
) -> int:
    from tradeassure.shipping import calendar_for

    calendar = calendar_for(country)
    answer: dict[str, Any]
    if isinstance(other, int):
        result = calendar.add_working_days(start, other)
        span = sorted((start.year, result.year))
        answer = {"start": start.isoformat(), "working_days": other, "result": result.isoformat()}
        text = f"{other} working days after {start} in {country}: {result} ({result:%A})"
    else:
        count = calendar.working_days_between(start, other)
        span = sorted((start.year, other.year))
        answer = {"start": start.isoformat(), "end": other.isoformat(), "working_days": count}
        text = f"working days after {start} up to {other} in {country}: {count}"
    estimated = [y for y in range(span[0], span[1] + 1) if calendar.is_estimated(y)]
    if strict and estimated:
        years = ", ".join(map(str, estimated))
        raise _Malformed(
            f"--strict: {country}'s holidays for {years} are not yet published, so the "
            "answer would be an estimate; leave out --strict to accept it"
        )
    answer |= {"country": country, "estimated_years": estimated}
    if io.as_json:
        io.json(answer)
        return OK
    io.line(text)
    if estimated:
        io.line(
            f"  note: {', '.join(map(str, estimated))} not yet published for {country}; "
            "the answer is estimated (--strict refuses it)"
        )
    return OK


# -- rules -------------------------------------------------------------------------------


def _rules(words: Sequence[str], section: str | None, io: _IO) -> int:
    from tradeassure.rules import SOURCES
    from tradeassure.serialization import to_dict

    lowered = [w.lower() for w in words]
    found = [
        r
        for r in RULES.values()
        if (section is None or r.section == section)
        and all(w in f"{r.id} {r.section} {r.summary}".lower() for w in lowered)
    ]
    status = OK if found else REFUSED
    if io.as_json:
        io.json([to_dict(r) for r in found])
        return status
    if not found:
        searched = " ".join(words) or f"--section {section}"
        io.err.write(f"no rule matches {searched}\n")
        return status
    if len(found) == 1:
        r = found[0]
        io.line(f"{r.id} ({r.section})", "bold")
        io.line(f"  {r.summary}")
        io.line("  sources:")
        for key in r.sources:
            io.line(f"    {key}: {SOURCES[key]}")
        return OK
    io.table(["id", "section", "summary"], [(r.id, r.section, r.summary) for r in found])
    return OK
