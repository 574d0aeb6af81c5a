"""Trade financing on an e-Credit Line: how much of a trade a line can finance, draws,
repayments, and what the financing costs (CR-*).

The caps and prices live in a :class:`FinancingPolicy`, defined here with its editions
(:data:`FINANCING_EDITIONS`): :data:`DEFAULT_FINANCING`, the published e-Credit Line
terms (CR-*), and :data:`AU_PARTNER_FINANCING`, the Australian partner line
(CR-AU-LINE), which finances at most the whole of a trade's payable amount (CR-80 at
100%). A quote shows every cap's own figure, so the reason for the amount is on the
page:

>>> line = CreditLine(
...     limit=Money(2_000_000, "USD"),
...     outstanding=Money(900_000, "USD"),
...     drawn_total=Money(900_000, "USD"),
... )
>>> offer = quote(line, Money(200_000, "USD"))
>>> print(offer.amount, offer.limited_by)
USD 99,999.99 CR-OUTSTANDING
>>> print(interest(Money(100_000, "USD"), days=30))
USD 1,200.00

A draw is decided by the verb pair every deciding module offers: :func:`check` answers
with every cap the draw breaks, each a ``RuleViolation`` naming its rule (empty when
the draw is accepted); :func:`apply` raises the first of them, or returns the line
after the draw (:func:`draw` is another name for it):

>>> [v.rule for v in check(line, Money(155_000, "USD"), Money(200_000, "USD"))]
['CR-OUTSTANDING', 'CR-PER-TRADE', 'CR-NEW-CUSTOMER']
>>> print(apply(line, Money(50_000, "USD"), Money(200_000, "USD")).outstanding)
USD 950,000.00

Every amount that moves money (a limit, a balance, a draw, a repayment) is in whole
minor units of its currency; anything else is refused rather than rounded.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Literal, final

import attrs

from tradeassure import _display
from tradeassure._checks import (
    boolean,
    currency_code,
    date_field,
    day_count,
    money,
    money_field,
    non_negative_money,
    of_type,
    plain_date,
    positive_money,
    share_field,
    text,
    text_field,
    tuple_of,
    validator,
    whole_minor_units,
)
from tradeassure.errors import CurrencyMismatch, InvalidInput, PolicyError, RuleViolation
from tradeassure.money import _ROUNDING, Money, _figure, _one_minor_unit, minor_unit
from tradeassure.rules import RULES

__all__ = [
    "AU_PARTNER_FINANCING",
    "CAP_ORDER",
    "DEFAULT_FINANCING",
    "FINANCING_EDITIONS",
    "Cap",
    "CreditLine",
    "Drawdown",
    "FinancingPolicy",
    "FinancingQuote",
    "Repayment",
    "RepaymentSchedule",
    "ScheduleRow",
    "apply",
    "check",
    "draw",
    "interest",
    "quote",
    "repay",
    "repayment_schedule",
]

#: The caps a quote applies, in the order of RULES.md: on a tie the first one binds.
CAP_ORDER: tuple[str, ...] = (
    "CR-80",
    "CR-PER-TRADE",
    "CR-OUTSTANDING",
    "CR-NEW-CUSTOMER",
    "CR-AVAILABLE",
)

# Days in one ``rate_period``: a month is a twelfth of a 365-day year (FinancingPolicy).
_DAYS_PER_PERIOD: Mapping[str, Fraction] = MappingProxyType(
    {"day": Fraction(1), "month": Fraction(365, 12)}
)


# -- amounts on a line --------------------------------------------------------------------


def _same_currency(what: str, value: Money, currency: str, whose: str) -> None:
    if value.currency != currency:
        raise CurrencyMismatch(f"{what} is {value}, but {whose} is in {currency}")


def _positive_whole(what: str, value: object, currency: str, whose: str) -> Money:
    amount = money(value, what)
    _same_currency(what, amount, currency, whose)
    positive_money(amount, what)
    whole_minor_units(amount, what)
    return amount


# -- the policy ---------------------------------------------------------------------------

_optional_share = attrs.validators.optional(share_field)


@final
@attrs.frozen
class FinancingPolicy:
    """The caps and price of an e-Credit Line edition (CR-*). A cap set to None is not
    applied by this edition. Shares and rates are exact (a ``Decimal`` or an int, never
    a float: ``TypeError``), finite, from 0 to 1; money figures are ``Money`` in
    ``currency``.

    Attributes:
        edition: the edition's name, as in :data:`FINANCING_EDITIONS`.
        currency: the currency of the line and of every figure below, an ISO 4217 code
            (three upper-case letters).
        min_limit: the terms apply only to lines whose limit is **over** this (CR-TIER);
            None applies them to any line.
        max_limit: the largest limit the edition grants, inclusive (CR-AU-LINE).
        financed_share: most of a trade's payable amount that is financed (CR-80).
        per_trade_max: most financed for one trade (CR-PER-TRADE).
        per_trade_share_of_limit: most financed for one trade, as a share of the limit
            (CR-PER-TRADE).
        outstanding_below: total outstanding financing must stay strictly below this
            (CR-OUTSTANDING).
        new_customer_share: before the first full repayment, most of the limit that may
            ever be drawn in all (CR-NEW-CUSTOMER).
        interest_rate: simple interest per ``rate_period``, a share of the principal
            from 0 to 1 (CR-INTEREST).
        rate_period: ``"day"``, or ``"month"``, a twelfth of a 365-day year: a monthly rate
            accrues ``rate * 12 / 365`` per day, computed exactly (CR-AU-LINE).
        insurance_fee_rate: the export-credit insurance fee, as a share of the principal
            per trade (CR-INTEREST; the documents do not price it, so zero).
        terms_rule: the rule id a refusal names when a line's limit is outside
            ``min_limit``/``max_limit`` (``CR-TIER``; ``CR-AU-LINE`` for the partner line).

    Limits are in whole minor units (:class:`CreditLine` refuses others), so
    "over AUD 4,999.99" is exactly "AUD 5,000.00 or more".
    """

    edition: str = attrs.field(validator=text_field)
    currency: str = attrs.field(default="USD", validator=validator(currency_code))
    min_limit: Money | None = None
    max_limit: Money | None = None
    financed_share: Decimal | None = attrs.field(default=None, validator=_optional_share)
    per_trade_max: Money | None = None
    per_trade_share_of_limit: Decimal | None = attrs.field(default=None, validator=_optional_share)
    outstanding_below: Money | None = None
    new_customer_share: Decimal | None = attrs.field(default=None, validator=_optional_share)
    interest_rate: Decimal = attrs.field(default=Decimal("0.0004"), validator=share_field)
    rate_period: Literal["day", "month"] = "day"
    insurance_fee_rate: Decimal = attrs.field(default=Decimal(0), validator=share_field)
    terms_rule: str = "CR-TIER"

    def __attrs_post_init__(self) -> None:
        for name in ("min_limit", "max_limit", "per_trade_max", "outstanding_below"):
            value = getattr(self, name)
            if value is None:
                continue
            _same_currency(name, money(value, name), self.currency, "the policy")
            non_negative_money(value, name)
        if (
            self.min_limit is not None
            and self.max_limit is not None
            and self.max_limit <= self.min_limit
        ):
            raise InvalidInput(
                f"max_limit {self.max_limit} must be above min_limit {self.min_limit}: "
                "no line could qualify"
            )
        if self.terms_rule not in ("CR-TIER", "CR-AU-LINE"):
            raise InvalidInput(
                f"terms_rule must be 'CR-TIER' or 'CR-AU-LINE', not {self.terms_rule!r}"
            )
        if self.rate_period not in ("day", "month"):
            raise InvalidInput(f"rate_period must be 'day' or 'month', not {self.rate_period!r}")

    @property
    def granted_limits(self) -> str:
        """The limits these terms cover, for a person (CR-TIER, CR-AU-LINE): "limits
        from AUD 5,000.00 to AUD 300,000.00", "limits over USD 1,000,000.00 (the
        smallest is USD 1,000,000.01)", "limits up to ..." or "any limit"."""
        low, high = self.min_limit, self.max_limit
        smallest = None if low is None else low + _minor(low.currency)
        if smallest is not None and high is not None:
            return f"limits from {smallest} to {high}"
        if smallest is not None:
            return f"limits over {low} (the smallest is {smallest})"
        return "any limit" if high is None else f"limits up to {high}"


DEFAULT_FINANCING = FinancingPolicy(
    edition="default",
    currency="USD",
    min_limit=_figure("1000000.00", "USD"),
    financed_share=Decimal("0.80"),
    per_trade_max=_figure("150000.00", "USD"),
    per_trade_share_of_limit=Decimal("0.30"),
    outstanding_below=_figure("1000000.00", "USD"),
    new_customer_share=Decimal("0.50"),
    interest_rate=Decimal("0.0004"),
    rate_period="day",
)
# AU$5,000 to AU$300,000: limits are whole cents, so "over 4,999.99" is "5,000 or more".
# The partner's documents publish no financed share, but a purchase is never financed
# beyond what it costs: CR-80's cap at 100% of the trade's payable amount.
AU_PARTNER_FINANCING = FinancingPolicy(
    edition="au-partner",
    currency="AUD",
    min_limit=_figure("4999.99", "AUD"),
    max_limit=_figure("300000.00", "AUD"),
    financed_share=Decimal(1),
    interest_rate=Decimal("0.0115"),
    rate_period="month",
    terms_rule="CR-AU-LINE",
)

#: Financing editions by name.
FINANCING_EDITIONS: Mapping[str, FinancingPolicy] = MappingProxyType(
    {p.edition: p for p in (DEFAULT_FINANCING, AU_PARTNER_FINANCING)}
)


def _minor(currency: str) -> Money:
    """One minor unit of ``currency`` (USD 0.01, JPY 1)."""
    return Money(_one_minor_unit(currency), currency)


def _percent(share: Decimal | int) -> str:
    """A share as a percentage for a person ("80%", "12.5%"), in the library's rounding
    context whatever the caller's: a share has at most 60 digits shown."""
    return f"{Decimal(share).scaleb(2, _ROUNDING).normalize(_ROUNDING):f}%"


# -- the line -----------------------------------------------------------------------------


def _zero_like_limit(line: CreditLine) -> Money:
    return Money.zero(money(line.limit, "limit").currency)


def _like_outstanding(line: CreditLine) -> Money:
    return money(line.outstanding, "outstanding")


@final
@attrs.frozen
class CreditLine:
    """A buyer's e-Credit Line: its limit and what has been financed on it.

    Attributes:
        limit: the credit limit, in whole minor units.
        outstanding: financing drawn and not yet repaid; zero or more and at most the
            limit (default zero).
        drawn_total: everything ever financed on the line, repaid or not; never below
            ``outstanding`` (default: ``outstanding``, so a line built with a balance
            and no history counts that balance as drawn, CR-NEW-CUSTOMER).
        fully_repaid_once: True once the outstanding balance has returned to zero after
            a draw; from then on CR-NEW-CUSTOMER no longer applies.

    Construction refuses negative or fractional-cent amounts and amounts above the limit
    (``InvalidInput``), and amounts in another currency than the limit
    (``CurrencyMismatch``).
    """

    limit: Money
    outstanding: Money = attrs.field(default=attrs.Factory(_zero_like_limit, takes_self=True))
    drawn_total: Money = attrs.field(default=attrs.Factory(_like_outstanding, takes_self=True))
    fully_repaid_once: bool = False

    def __attrs_post_init__(self) -> None:
        currency = money(self.limit, "limit").currency
        for name in ("limit", "outstanding", "drawn_total"):
            value = money(getattr(self, name), name)
            _same_currency(name, value, currency, "the limit")
            non_negative_money(value, name)
            whole_minor_units(value, name)
        boolean(self.fully_repaid_once, "fully_repaid_once")
        if self.outstanding > self.limit:
            raise InvalidInput(
                f"outstanding {self.outstanding} is above the limit {self.limit}: at most "
                "the limit can be outstanding"
            )
        if self.drawn_total < self.outstanding:
            raise InvalidInput(
                f"drawn_total {self.drawn_total} is below outstanding {self.outstanding}: "
                "everything outstanding was drawn, so drawn_total is at least that"
            )

    @property
    def currency(self) -> str:
        """The line's currency (its limit's)."""
        return self.limit.currency

    @property
    def available(self) -> Money:
        """The unused part of the limit, ``limit - outstanding`` (CR-AVAILABLE)."""
        return self.limit - self.outstanding


def _check_terms(line: CreditLine, policy: FinancingPolicy) -> None:
    """Refuse a line the policy's terms do not cover (CR-TIER, CR-AU-LINE)."""
    of_type(line, "line", CreditLine)
    of_type(policy, "policy", FinancingPolicy)
    _same_currency("the line's limit", line.limit, policy.currency, f"the {policy.edition} policy")
    low, high = policy.min_limit, policy.max_limit
    if (low is None or line.limit > low) and (high is None or line.limit <= high):
        return
    granted = policy.granted_limits
    dropped = "min_limit=None" if high is None or line.limit <= high else "max_limit=None"
    raise PolicyError(
        f"{policy.terms_rule}: the {policy.edition} financing terms cover {granted}; this "
        f"line's limit is {line.limit}. Pass terms that cover it as policy=...: "
        f"attrs.evolve(FINANCING_EDITIONS[{policy.edition!r}], {dropped}) applies the same "
        "caps to this line, or build a FinancingPolicy with the lender's own figures",
        rule=policy.terms_rule,
    )


# -- quotes -------------------------------------------------------------------------------


@final
@attrs.frozen
class Cap:
    """One cap's own figure for one trade: the most it lets this trade finance.

    Attributes:
        rule: the id of the rule that sets the cap (one of :data:`CAP_ORDER`).
        label: what the figure is, for a person ("80% of the trade's payable amount").
        amount: the most this cap allows, rounded down to the minor unit and never below
            zero.

    CR-PER-TRADE has two figures (a fixed maximum and a share of the limit), so a quote
    shows it as two rows with the same rule id.
    """

    rule: str
    label: str = attrs.field(validator=validator(text))
    amount: Money

    def __attrs_post_init__(self) -> None:
        if self.rule not in CAP_ORDER:
            raise InvalidInput(f"a cap's rule must be one of {CAP_ORDER}, not {self.rule!r}")
        non_negative_money(self.amount, "a cap's amount")


def _caps_tuple(caps: Iterable[Cap]) -> tuple[Cap, ...]:
    return tuple_of(caps, Cap, "caps")


@final
@attrs.frozen
class FinancingQuote:
    """How much of one trade a line can finance, and why.

    Attributes:
        amount: the most that can be financed for this trade: the smallest cap, in the
            line's currency, rounded down to the cent, never below zero.
        limited_by: the rule id of the binding cap; on a tie, the first in
            :data:`CAP_ORDER` (the order of RULES.md).
        caps: every cap the policy applies to this line and trade, in :data:`CAP_ORDER`
            (CR-PER-TRADE may give two rows); a cap the policy or the line's history
            does not apply has no row.
        insurance_fee: the insurance fee on ``amount`` at the policy's rate, rounded
            half-up (CR-INTEREST; zero in the published edition), a cost to add to the
            interest.
    """

    amount: Money = attrs.field(validator=money_field)
    limited_by: str = attrs.field(validator=validator(text))
    caps: tuple[Cap, ...] = attrs.field(converter=_caps_tuple)
    insurance_fee: Money = attrs.field(validator=money_field)

    def __attrs_post_init__(self) -> None:
        if not self.caps:
            raise InvalidInput("a quote needs at least one cap (CR-AVAILABLE always applies)")
        if self.limited_by not in {c.rule for c in self.caps}:
            raise InvalidInput(f"limited_by {self.limited_by!r} is not among the quote's caps")

    @property
    def binding_index(self) -> int:
        """The position in ``caps`` of the row that sets ``amount``: the first row of the
        ``limited_by`` rule at the quoted amount (CR-PER-TRADE may have two rows)."""
        for i, cap in enumerate(self.caps):
            if cap.rule == self.limited_by and cap.amount == self.amount:
                return i
        # A quote built by hand may quote less than its binding rule's figure.
        return next(i for i, cap in enumerate(self.caps) if cap.rule == self.limited_by)

    def cap(self, rule: str) -> Money:
        """The effective figure of ``rule``'s cap (the least of its rows).

        Raises ``InvalidInput`` when the quote has no cap with that id.
        """
        figures = [c.amount for c in self.caps if c.rule == rule]
        if not figures:
            shown = sorted({c.rule for c in self.caps}, key=CAP_ORDER.index)
            raise InvalidInput(f"this quote applies no {rule!r} cap; it applies {shown}")
        return min(figures)

    # Notebook views: tradeassure.views registers them (tradeassure._display).

    def rows(self) -> _display.Rows:
        """One plain dict per cap, in order: ``rule``, ``label``, ``amount`` (a
        ``Decimal``), ``currency`` and ``binding`` (True on the cap that sets the amount),
        so ``pandas.DataFrame(quote.rows())`` is a table of the caps."""
        return _display.rows("quote_rows", self)

    def _repr_html_(self) -> str:
        """The quote as a notebook shows it: every cap, the binding one highlighted."""
        return _display.html("quote_html", self)


def _cap(rule: str, label: str, figure: Money) -> Cap:
    floor = Money.zero(figure.currency)
    return Cap(rule, label, max(figure.rounded(ROUND_DOWN), floor))


def _caps(line: CreditLine, payable: Money, policy: FinancingPolicy) -> tuple[Cap, ...]:
    caps: list[Cap] = []
    if policy.financed_share is not None:
        caps.append(
            _cap(
                "CR-80",
                f"{_percent(policy.financed_share)} of the trade's payable amount",
                payable * policy.financed_share,
            )
        )
    if policy.per_trade_max is not None:
        caps.append(_cap("CR-PER-TRADE", "per-trade maximum", policy.per_trade_max))
    if policy.per_trade_share_of_limit is not None:
        caps.append(
            _cap(
                "CR-PER-TRADE",
                f"{_percent(policy.per_trade_share_of_limit)} of the credit limit",
                line.limit * policy.per_trade_share_of_limit,
            )
        )
    if policy.outstanding_below is not None:
        caps.append(
            _cap(
                "CR-OUTSTANDING",
                f"keeps outstanding financing below {policy.outstanding_below}",
                policy.outstanding_below - line.outstanding - _minor(line.currency),
            )
        )
    if policy.new_customer_share is not None and not line.fully_repaid_once:
        caps.append(
            _cap(
                "CR-NEW-CUSTOMER",
                f"new customer: at most {_percent(policy.new_customer_share)} of the limit "
                "drawn in all until the first full repayment",
                line.limit * policy.new_customer_share - line.drawn_total,
            )
        )
    caps.append(_cap("CR-AVAILABLE", "unused part of the credit limit", line.available))
    return tuple(caps)


def quote(
    line: CreditLine, payable: Money, policy: FinancingPolicy = DEFAULT_FINANCING
) -> FinancingQuote:
    """The most of a trade payable ``payable`` that ``line`` can finance under ``policy``.

    Applies the policy's caps in the order of RULES.md (CR-80, CR-PER-TRADE,
    CR-OUTSTANDING, CR-NEW-CUSTOMER, CR-AVAILABLE); the smallest binds, the first on a
    tie. A line whose limit the policy's terms do not cover raises ``PolicyError``
    (CR-TIER: the published terms are for limits over USD 1,000,000; CR-AU-LINE).
    ``payable`` must be positive and in the line's currency; it may carry sub-cent digits
    (a computed total), since every cap is rounded down to the cent.
    """
    _check_terms(line, policy)
    payable = money(payable, "payable")
    _same_currency("payable", payable, line.currency, "the line")
    if payable.is_negative or payable.is_zero:
        raise InvalidInput(f"a trade's payable amount must be more than zero, not {payable}")
    caps = _caps(line, payable, policy)
    # min() keeps the first of equal items, and caps are in CAP_ORDER: ties go to the first.
    binding = min(caps, key=lambda c: c.amount.amount)
    fee = (binding.amount * policy.insurance_fee_rate).rounded()
    return FinancingQuote(
        amount=binding.amount, limited_by=binding.rule, caps=caps, insurance_fee=fee
    )


# -- draws and repayments -----------------------------------------------------------------


def _broken_reason(
    rule: str, amount: Money, line: CreditLine, payable: Money, policy: FinancingPolicy
) -> str:
    """Why a draw of ``amount`` breaks ``rule``, in the words of the rule."""
    if rule == "CR-OUTSTANDING":
        return (
            f"a draw of {amount} would bring outstanding financing to "
            f"{line.outstanding + amount}; it must stay below {policy.outstanding_below}"
        )
    if rule == "CR-NEW-CUSTOMER":
        assert policy.new_customer_share is not None  # the cap exists, so the share does
        return (
            f"a draw of {amount} would bring the line's drawn total to "
            f"{line.drawn_total + amount}; until its first full repayment a new customer "
            f"may draw at most {_percent(policy.new_customer_share)} of the limit in all, "
            f"{(line.limit * policy.new_customer_share).rounded(ROUND_DOWN)}"
        )
    if rule == "CR-AVAILABLE":
        return (
            f"a draw of {amount} is more than the unused part of the limit "
            f"({line.limit} - {line.outstanding} outstanding = {line.available})"
        )
    if rule == "CR-80":
        assert policy.financed_share is not None
        return (
            f"a draw of {amount} is more than {_percent(policy.financed_share)} of the "
            f"trade's payable amount {payable}"
        )
    figures = []
    if policy.per_trade_max is not None:
        figures.append(f"{policy.per_trade_max} per trade")
    if policy.per_trade_share_of_limit is not None:
        figures.append(
            f"{_percent(policy.per_trade_share_of_limit)} of the limit "
            f"({(line.limit * policy.per_trade_share_of_limit).rounded(ROUND_DOWN)})"
        )
    return f"a draw of {amount} is more than one trade may finance: at most {' and '.join(figures)}"


def check(
    line: CreditLine,
    amount: Money,
    payable: Money,
    policy: FinancingPolicy = DEFAULT_FINANCING,
) -> tuple[RuleViolation, ...]:
    """Every cap a draw of ``amount`` for a trade payable ``payable`` breaks; empty when
    the draw is accepted, that is when ``amount`` is at most :func:`quote`'s amount.

    The first violation names the binding cap (the quote's ``limited_by``: CR-80,
    CR-PER-TRADE, CR-OUTSTANDING, CR-NEW-CUSTOMER or CR-AVAILABLE), the other caps the
    draw also breaks, and the most that can be drawn instead; then comes one violation
    per other cap broken, in :data:`CAP_ORDER`, each with the most its cap allows.

    ``amount`` must be positive, in whole minor units and in the line's currency
    (``InvalidInput`` / ``CurrencyMismatch``); a line the policy's terms do not cover
    raises ``PolicyError`` (CR-TIER, CR-AU-LINE): without terms there is nothing to
    check against.
    """
    offer = quote(line, payable, policy)
    amount = _positive_whole("a draw", amount, line.currency, "the line")
    broken = {c.rule for c in offer.caps if c.amount < amount}
    if not broken:
        return ()
    binding = offer.limited_by
    also = [rule for rule in CAP_ORDER if rule in broken and rule != binding]
    first = _broken_reason(binding, amount, line, payable, policy)
    if also:
        first += f" (it also breaks {', '.join(also)})"
    if offer.amount.is_zero:
        first += ", so nothing can be drawn for this trade now"
    else:
        first += f", so at most {offer.amount} can be drawn"
    return (
        RuleViolation(binding, first),
        *(
            RuleViolation(
                rule,
                f"{_broken_reason(rule, amount, line, payable, policy)}; "
                f"{rule} allows at most {offer.cap(rule)}",
            )
            for rule in also
        ),
    )


def apply(
    line: CreditLine,
    amount: Money,
    payable: Money,
    policy: FinancingPolicy = DEFAULT_FINANCING,
) -> CreditLine:
    """Finance ``amount`` of a trade payable ``payable``: the line after the draw, its
    ``outstanding`` and ``drawn_total`` both grown by ``amount``. Raises the first of
    :func:`check`'s violations as ``RuleViolation`` when the draw breaks a cap."""
    found = check(line, amount, payable, policy)
    if found:
        raise found[0]
    return attrs.evolve(
        line, outstanding=line.outstanding + amount, drawn_total=line.drawn_total + amount
    )


#: The name :func:`apply` had before the verb pair; existing callers keep it.
draw = apply


def repay(line: CreditLine, amount: Money) -> CreditLine:
    """Repay ``amount`` of the outstanding financing: the line after the repayment.

    ``amount`` must be positive, in whole minor units, in the line's currency and at most
    ``outstanding`` (``InvalidInput`` / ``CurrencyMismatch``). When the outstanding
    balance returns to zero, ``fully_repaid_once`` becomes (and stays) True, and
    CR-NEW-CUSTOMER no longer caps the line. ``drawn_total`` is unchanged: it counts
    everything ever financed.
    """
    of_type(line, "line", CreditLine)
    amount = _positive_whole("a repayment", amount, line.currency, "the line")
    if amount > line.outstanding:
        raise InvalidInput(
            f"a repayment of {amount} is more than the outstanding {line.outstanding}: at "
            f"most {line.outstanding} can be repaid"
        )
    outstanding = line.outstanding - amount
    return attrs.evolve(
        line,
        outstanding=outstanding,
        fully_repaid_once=line.fully_repaid_once or outstanding.is_zero,
    )


# -- interest -----------------------------------------------------------------------------


def _daily_rate(policy: FinancingPolicy) -> Fraction:
    return Fraction(policy.interest_rate) / _DAYS_PER_PERIOD[policy.rate_period]


def _round_half_up(value: Fraction, currency: str) -> Money:
    """``value`` (zero or more) to the currency's minor unit, half-up, exactly once."""
    places = minor_unit(currency)
    units = math.floor(value * 10**places + Fraction(1, 2))
    # In 60 digits: exact for any amount Money accepts (10**15 with 30 decimals); a
    # longer one is beyond 10**15, which Money refuses.
    return Money(Decimal(units).scaleb(-places, _ROUNDING), currency)


def interest(principal: Money, days: int, policy: FinancingPolicy = DEFAULT_FINANCING) -> Money:
    """Simple interest on ``principal`` for ``days`` days at the policy's rate (CR-INTEREST).

    A monthly rate (CR-AU-LINE) accrues ``rate * 12 / 365`` per day. The product is
    computed exactly (as a fraction) and rounded once, half-up, to the minor unit.
    ``principal`` must be zero or more and in the policy's currency; ``days`` a whole
    number from 0 to 73,413, the length of the supported dates (``InvalidInput`` /
    ``CurrencyMismatch``).

    >>> print(interest(Money(10_000, "AUD"), 365, AU_PARTNER_FINANCING))
    AUD 1,380.00
    """
    of_type(policy, "policy", FinancingPolicy)
    principal = money(principal, "principal")
    _same_currency("principal", principal, policy.currency, f"the {policy.edition} policy")
    non_negative_money(principal, "principal")
    days = day_count(days, "days")
    return _round_half_up(Fraction(principal.amount) * _daily_rate(policy) * days, policy.currency)


# -- repayment schedule -------------------------------------------------------------------


_ref = validator(text, must="be a non-empty string naming the drawdown")


def _check_amount(kind: str, amount: object) -> None:
    """Refuse a drawdown or repayment without a positive amount in whole minor units."""
    value = money(amount, "amount")
    _positive_whole(f"a {kind}", value, value.currency, f"the {kind}")


@final
@attrs.frozen
class Drawdown:
    """Financing drawn on a date, for one trade.

    Attributes:
        ref: the drawdown's reference (e.g. the order it financed), unique in a schedule.
        on: the date the money was drawn; interest runs from here.
        amount: the principal, positive and in whole minor units.
    """

    ref: str = attrs.field(validator=_ref)
    on: dt.date = attrs.field(validator=date_field)
    amount: Money

    def __attrs_post_init__(self) -> None:
        _check_amount("drawdown", self.amount)


@final
@attrs.frozen
class Repayment:
    """Principal repaid on a date against one drawdown.

    Attributes:
        ref: the :class:`Drawdown` it repays.
        on: the date of repayment; the repaid principal stops accruing interest here.
        amount: principal repaid, positive and in whole minor units.
    """

    ref: str = attrs.field(validator=_ref)
    on: dt.date = attrs.field(validator=date_field)
    amount: Money

    def __attrs_post_init__(self) -> None:
        _check_amount("repayment", self.amount)


@final
@attrs.frozen
class ScheduleRow:
    """One drawdown's principal and cost as of the schedule's date.

    Attributes:
        ref: the drawdown's reference.
        drawn_on: the drawdown's date.
        principal: the amount drawn.
        repaid: principal repaid by the schedule's date.
        outstanding: ``principal - repaid``.
        repaid_on: the date the last of the principal was repaid, or None while some is
            outstanding.
        interest: interest accrued (CR-INTEREST): each part of the principal for the days
            from ``drawn_on`` to its repayment (or to the schedule's date), computed
            exactly and rounded once, half-up.
        insurance_fee: the policy's insurance fee on the principal, rounded half-up.
    """

    ref: str = attrs.field(validator=_ref)
    drawn_on: dt.date = attrs.field(validator=date_field)
    principal: Money = attrs.field(validator=money_field)
    repaid: Money = attrs.field(validator=money_field)
    outstanding: Money = attrs.field(validator=money_field)
    repaid_on: dt.date | None = attrs.field(validator=attrs.validators.optional(date_field))
    interest: Money = attrs.field(validator=money_field)
    insurance_fee: Money = attrs.field(validator=money_field)

    @property
    def cost(self) -> Money:
        """What the drawdown costs: interest plus insurance fee."""
        return self.interest + self.insurance_fee


def _rows_tuple(rows: Iterable[ScheduleRow]) -> tuple[ScheduleRow, ...]:
    return tuple_of(rows, ScheduleRow, "rows")


@final
@attrs.frozen
class RepaymentSchedule:
    """Interest and fees per drawdown, and in total, as of a date.

    Attributes:
        as_of: the date interest is accrued to.
        rows: one :class:`ScheduleRow` per drawdown, in the order given.
        outstanding: principal outstanding on ``as_of``, over all rows.
        interest: the sum of the rows' interest (each row rounded once, so the column
            adds up to the total).
        insurance_fee: the sum of the rows' insurance fees.
    """

    as_of: dt.date = attrs.field(validator=date_field)
    rows: tuple[ScheduleRow, ...] = attrs.field(converter=_rows_tuple)
    outstanding: Money = attrs.field(validator=money_field)
    interest: Money = attrs.field(validator=money_field)
    insurance_fee: Money = attrs.field(validator=money_field)

    @property
    def cost(self) -> Money:
        """What the financing costs in all: interest plus insurance fees."""
        return self.interest + self.insurance_fee


def repayment_schedule(
    drawdowns: Iterable[Drawdown],
    repayments: Iterable[Repayment],
    as_of: dt.date,
    policy: FinancingPolicy = DEFAULT_FINANCING,
) -> RepaymentSchedule:
    """Interest accrued per drawdown and in total, from the draw dates to ``as_of``.

    Simple interest (CR-INTEREST) runs on each part of a drawdown's principal for each
    day from the draw to its repayment, or to ``as_of`` while outstanding; a day count
    is ``(later - earlier).days``, so money repaid the day it was drawn costs nothing.
    Each row is computed exactly and rounded once; totals are sums of the rows. Refused
    with ``InvalidInput``: two drawdowns with one ref; a repayment of an unknown ref,
    before its draw, or beyond the principal; anything dated after ``as_of``. Amounts
    must be in the policy's currency (``CurrencyMismatch``).
    """
    of_type(policy, "policy", FinancingPolicy)
    as_of = plain_date(as_of, "as_of")
    currency = policy.currency
    whose = f"the {policy.edition} policy"
    draws = tuple_of(drawdowns, Drawdown, "drawdowns")
    by_ref: dict[str, Drawdown] = {}
    for d in draws:
        _same_currency(f"drawdown {d.ref!r}", d.amount, currency, whose)
        if d.ref in by_ref:
            raise InvalidInput(f"two drawdowns have the ref {d.ref!r}: refs must be unique")
        if d.on > as_of:
            raise InvalidInput(f"drawdown {d.ref!r} on {d.on} is after as_of {as_of}")
        by_ref[d.ref] = d
    repaid: dict[str, list[Repayment]] = {ref: [] for ref in by_ref}
    for r in tuple_of(repayments, Repayment, "repayments"):
        _same_currency(f"a repayment of {r.ref!r}", r.amount, currency, whose)
        if r.ref not in by_ref:
            raise InvalidInput(
                f"a repayment on {r.on} names drawdown {r.ref!r}, which is not among the "
                f"drawdowns ({sorted(by_ref)})"
            )
        if r.on < by_ref[r.ref].on:
            raise InvalidInput(
                f"a repayment of {r.ref!r} on {r.on} is before its drawdown on {by_ref[r.ref].on}"
            )
        if r.on > as_of:
            raise InvalidInput(f"a repayment of {r.ref!r} on {r.on} is after as_of {as_of}")
        repaid[r.ref].append(r)

    rate = _daily_rate(policy)
    zero = Money.zero(currency)
    rows = []
    for d in draws:
        paid = sorted(repaid[d.ref], key=lambda r: r.on)
        total_repaid = sum((r.amount for r in paid), zero)
        if total_repaid > d.amount:
            raise InvalidInput(
                f"repayments of {d.ref!r} add up to {total_repaid}, more than its principal "
                f"{d.amount}"
            )
        left = d.amount - total_repaid
        principal_days = (
            sum((Fraction(r.amount.amount) * (r.on - d.on).days for r in paid), Fraction(0))
            + Fraction(left.amount) * (as_of - d.on).days
        )
        rows.append(
            ScheduleRow(
                ref=d.ref,
                drawn_on=d.on,
                principal=d.amount,
                repaid=total_repaid,
                outstanding=left,
                repaid_on=paid[-1].on if paid and left.is_zero else None,
                interest=_round_half_up(principal_days * rate, currency),
                insurance_fee=(d.amount * policy.insurance_fee_rate).rounded(),
            )
        )
    return RepaymentSchedule(
        as_of=as_of,
        rows=tuple(rows),
        outstanding=sum((row.outstanding for row in rows), zero),
        interest=sum((row.interest for row in rows), zero),
        insurance_fee=sum((row.insurance_fee for row in rows), zero),
    )


# RuleViolation ids used above must be registered; checked once, at import.
if not set(CAP_ORDER) <= set(RULES):  # pragma: no cover - guards the table above
    raise RuntimeError("a cap id in tradeassure.credit is not registered in tradeassure.rules")
