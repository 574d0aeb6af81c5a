"""e-Credit Line financing: caps, draws, repayments and interest (RULES.md section 4, CR-*)."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import ROUND_HALF_UP, Decimal

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tradeassure.credit import (
    AU_PARTNER_FINANCING,
    CAP_ORDER,
    DEFAULT_FINANCING,
    Cap,
    CreditLine,
    Drawdown,
    FinancingPolicy,
    FinancingQuote,
    Repayment,
    draw,
    interest,
    quote,
    repay,
    repayment_schedule,
)
from tradeassure.errors import CurrencyMismatch, InvalidInput, PolicyError, RuleViolation
from tradeassure.money import Money
from tradeassure.testing import credit_lines, money, payables


def usd(amount: int | str) -> Money:
    return Money(amount, "USD")


def aud(amount: int | str) -> Money:
    return Money(amount, "AUD")


CENT = usd("0.01")
#: The published caps without the CR-TIER floor, for lines of any size.
ANY_LINE = attrs.evolve(DEFAULT_FINANCING, edition="any-line", min_limit=None)
POLICIES = [DEFAULT_FINANCING, ANY_LINE, AU_PARTNER_FINANCING]

#: RULES.md's worked example: a new customer, 900,000 outstanding and drawn in all.
WORKED_LINE = CreditLine(limit=usd(2_000_000), outstanding=usd(900_000), drawn_total=usd(900_000))
WORKED_PAYABLE = usd(200_000)


def lines_and_payables(
    policy: FinancingPolicy,
) -> st.SearchStrategy[tuple[CreditLine, Money]]:
    return st.tuples(credit_lines(policy=policy), payables(policy.currency))


any_policy_line_and_payable = st.sampled_from(POLICIES).flatmap(
    lambda p: st.tuples(st.just(p), lines_and_payables(p))
)


class TestCreditLineValues:
    def test_a_new_line_has_nothing_outstanding_or_drawn(self) -> None:
        line = CreditLine(limit=usd(2_000_000))
        assert line.outstanding == usd(0)
        assert line.drawn_total == usd(0)
        assert not line.fully_repaid_once
        assert line.available == usd(2_000_000)

    def test_a_line_built_with_a_balance_counts_it_as_drawn(self) -> None:
        line = CreditLine(limit=usd(2_000_000), outstanding=usd(300_000))
        assert line.drawn_total == usd(300_000)

    @pytest.mark.parametrize("field", ["limit", "outstanding", "drawn_total"])
    def test_negative_amounts_are_refused(self, field: str) -> None:
        fields = {"limit": usd(10), "outstanding": usd(5), "drawn_total": usd(5)}
        fields[field] = usd("-0.01")
        with pytest.raises(InvalidInput, match=f"{field} must be zero or more"):
            CreditLine(**fields)  # type: ignore[arg-type]

    def test_outstanding_may_equal_the_limit_but_not_exceed_it(self) -> None:
        assert CreditLine(limit=usd(100), outstanding=usd(100)).available == usd(0)
        with pytest.raises(InvalidInput, match="above the limit"):
            CreditLine(limit=usd(100), outstanding=usd("100.01"))

    def test_drawn_total_is_never_below_outstanding(self) -> None:
        CreditLine(limit=usd(100), outstanding=usd(50), drawn_total=usd(50))
        with pytest.raises(InvalidInput, match="drawn_total"):
            CreditLine(limit=usd(100), outstanding=usd(50), drawn_total=usd("49.99"))

    @pytest.mark.parametrize("field", ["outstanding", "drawn_total"])
    def test_amounts_in_another_currency_than_the_limit_are_refused(self, field: str) -> None:
        with pytest.raises(CurrencyMismatch, match=field):
            CreditLine(limit=usd(100), **{field: Money(1, "EUR")})  # type: ignore[arg-type]

    def test_fractions_of_a_cent_are_refused_not_rounded(self) -> None:
        assert CreditLine(limit=usd("100.01")).limit == usd("100.01")
        with pytest.raises(InvalidInput, match="whole minor units"):
            CreditLine(limit=usd("100.001"))

    def test_a_limit_that_is_not_money_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="limit must be Money"):
            CreditLine(limit=Decimal(100))  # type: ignore[arg-type]

    def test_the_repaid_flag_must_be_a_bool(self) -> None:
        with pytest.raises(InvalidInput, match="True or False"):
            CreditLine(limit=usd(100), fully_repaid_once=1)  # type: ignore[arg-type]


class TestWorkedExample:
    """RULES.md section 4, worked example (default policy)."""

    def test_every_cap_shows_the_figure_of_the_worked_example(self) -> None:
        offer = quote(WORKED_LINE, WORKED_PAYABLE)
        assert [(c.rule, c.amount) for c in offer.caps] == [
            ("CR-80", usd(160_000)),
            ("CR-PER-TRADE", usd(150_000)),
            ("CR-PER-TRADE", usd(600_000)),
            ("CR-OUTSTANDING", usd("99999.99")),
            ("CR-NEW-CUSTOMER", usd(100_000)),
            ("CR-AVAILABLE", usd(1_100_000)),
        ]
        assert offer.cap("CR-PER-TRADE") == usd(150_000)

    def test_the_financeable_amount_is_bound_by_the_outstanding_cap(self) -> None:
        offer = quote(WORKED_LINE, WORKED_PAYABLE)
        assert offer.amount == usd("99999.99")
        assert offer.limited_by == "CR-OUTSTANDING"
        assert offer.insurance_fee == usd(0)

    def test_drawing_the_financeable_amount_is_accepted(self) -> None:
        after = draw(WORKED_LINE, usd("99999.99"), WORKED_PAYABLE)
        assert after.outstanding == usd("999999.99")
        assert after.drawn_total == usd("999999.99")

    def test_one_cent_more_is_refused_saying_what_would_be_accepted(self) -> None:
        with pytest.raises(RuleViolation) as refused:
            draw(WORKED_LINE, usd(100_000), WORKED_PAYABLE)
        assert str(refused.value) == (
            "CR-OUTSTANDING: a draw of USD 100,000.00 would bring outstanding financing to "
            "USD 1,000,000.00; it must stay below USD 1,000,000.00, so at most USD 99,999.99 "
            "can be drawn"
        )

    def test_a_refusal_also_names_the_other_caps_the_draw_breaks(self) -> None:
        with pytest.raises(RuleViolation, match=r"also breaks CR-PER-TRADE, CR-NEW-CUSTOMER"):
            draw(WORKED_LINE, usd(155_000), WORKED_PAYABLE)


# One case per cap: (rule, policy, line, payable, financeable amount).
EACH_CAP_BINDING = [
    pytest.param(
        "CR-80",
        DEFAULT_FINANCING,
        CreditLine(limit=usd(2_000_000)),
        usd(100_000),
        usd(80_000),
        id="CR-80",
    ),
    pytest.param(
        "CR-PER-TRADE",
        DEFAULT_FINANCING,
        CreditLine(limit=usd(5_000_000)),
        usd(1_000_000),
        usd(150_000),
        id="CR-PER-TRADE-fixed-maximum",
    ),
    pytest.param(
        "CR-PER-TRADE",
        ANY_LINE,
        CreditLine(limit=usd(200_000)),
        usd(100_000),
        usd(60_000),
        id="CR-PER-TRADE-share-of-limit",
    ),
    pytest.param(
        "CR-OUTSTANDING",
        DEFAULT_FINANCING,
        WORKED_LINE,
        WORKED_PAYABLE,
        usd("99999.99"),
        id="CR-OUTSTANDING",
    ),
    pytest.param(
        "CR-NEW-CUSTOMER",
        DEFAULT_FINANCING,
        CreditLine(limit=usd(2_000_000), drawn_total=usd(950_000)),
        usd(200_000),
        usd(50_000),
        id="CR-NEW-CUSTOMER",
    ),
    pytest.param(
        "CR-AVAILABLE",
        ANY_LINE,
        CreditLine(limit=usd(100_000), outstanding=usd(90_000), fully_repaid_once=True),
        usd(100_000),
        usd(10_000),
        id="CR-AVAILABLE",
    ),
    pytest.param(
        "CR-AVAILABLE",
        AU_PARTNER_FINANCING,
        CreditLine(limit=aud(300_000), outstanding=aud(250_000)),
        aud(80_000),
        aud(50_000),
        id="CR-AVAILABLE-au-partner",
    ),
]


class TestEachCapBindsInTurn:
    @pytest.mark.parametrize(("rule_id", "policy", "line", "payable", "amount"), EACH_CAP_BINDING)
    def test_the_quote_names_the_binding_cap(
        self,
        rule_id: str,
        policy: FinancingPolicy,
        line: CreditLine,
        payable: Money,
        amount: Money,
    ) -> None:
        offer = quote(line, payable, policy)
        assert (offer.amount, offer.limited_by) == (amount, rule_id)

    @pytest.mark.parametrize(("rule_id", "policy", "line", "payable", "amount"), EACH_CAP_BINDING)
    def test_the_cap_accepts_its_figure_and_refuses_a_cent_more(
        self,
        rule_id: str,
        policy: FinancingPolicy,
        line: CreditLine,
        payable: Money,
        amount: Money,
    ) -> None:
        assert draw(line, amount, payable, policy).outstanding == line.outstanding + amount
        cent = Money("0.01", amount.currency)
        with pytest.raises(RuleViolation) as refused:
            draw(line, amount + cent, payable, policy)
        assert refused.value.rule == rule_id
        assert f"at most {amount} can be drawn" in refused.value.message

    def test_on_a_tie_the_first_cap_in_rules_order_binds(self) -> None:
        # 80% of 187,500 = 150,000 = the per-trade maximum = 30% of 500,000.
        offer = quote(CreditLine(limit=usd(500_000)), usd(187_500), ANY_LINE)
        assert [c.amount for c in offer.caps[:3]] == [usd(150_000)] * 3
        assert offer.limited_by == "CR-80"

    def test_a_tie_between_later_caps_goes_to_the_earlier_one(self) -> None:
        # Per-trade 150,000 and new-customer 1,000,000 - 850,000 = 150,000.
        line = CreditLine(limit=usd(2_000_000), drawn_total=usd(850_000))
        offer = quote(line, usd(1_000_000))
        assert offer.cap("CR-NEW-CUSTOMER") == usd(150_000)
        assert offer.limited_by == "CR-PER-TRADE"

    def test_the_au_partner_line_applies_the_whole_payable_and_the_available_caps(
        self,
    ) -> None:
        offer = quote(CreditLine(limit=aud(5_000)), aud(80_000), AU_PARTNER_FINANCING)
        assert [(c.rule, c.label, c.amount) for c in offer.caps] == [
            ("CR-80", "100% of the trade's payable amount", aud(80_000)),
            ("CR-AVAILABLE", "unused part of the credit limit", aud(5_000)),
        ]
        assert (offer.amount, offer.limited_by) == (aud(5_000), "CR-AVAILABLE")

    def test_the_au_partner_line_never_finances_more_than_the_trade_costs(self) -> None:
        line = CreditLine(limit=aud(300_000))
        offer = quote(line, aud(1_000), AU_PARTNER_FINANCING)
        assert (offer.amount, offer.limited_by) == (aud(1_000), "CR-80")
        assert draw(line, aud(1_000), aud(1_000), AU_PARTNER_FINANCING).outstanding == aud(1_000)
        with pytest.raises(RuleViolation) as refused:
            draw(line, aud("1000.01"), aud(1_000), AU_PARTNER_FINANCING)
        assert refused.value.rule == "CR-80"
        assert "more than 100% of the trade's payable amount AUD 1,000.00" in str(refused.value)


class TestTierBoundary:
    def test_a_limit_of_exactly_one_million_is_not_covered_by_the_published_terms(self) -> None:
        line = CreditLine(limit=usd(1_000_000))
        with pytest.raises(PolicyError, match=r"CR-TIER: .*over USD 1,000,000.00") as refused:
            quote(line, usd(100))
        assert "min_limit=None" in str(refused.value)
        with pytest.raises(PolicyError, match="CR-TIER"):
            draw(line, usd(1), usd(100))

    def test_a_limit_one_cent_over_one_million_is_covered(self) -> None:
        offer = quote(CreditLine(limit=usd("1000000.01")), usd(100_000))
        assert (offer.amount, offer.limited_by) == (usd(80_000), "CR-80")

    def test_dropping_the_floor_applies_the_same_caps_to_any_line(self) -> None:
        offer = quote(CreditLine(limit=usd(1_000_000)), usd(1_000_000), ANY_LINE)
        assert (offer.amount, offer.limited_by) == (usd(150_000), "CR-PER-TRADE")

    @pytest.mark.parametrize(
        ("limit", "covered"),
        [("4999.99", False), ("5000.00", True), ("300000.00", True), ("300000.01", False)],
    )
    def test_the_au_partner_line_grants_five_to_three_hundred_thousand_dollars(
        self, limit: str, covered: bool
    ) -> None:
        line = CreditLine(limit=aud(limit))
        if covered:
            offer = quote(line, aud(1_000_000), AU_PARTNER_FINANCING)
            assert (offer.amount, offer.limited_by) == (line.limit, "CR-AVAILABLE")
        else:
            with pytest.raises(PolicyError, match=r"CR-AU-LINE: .*AUD 5,000.00 to AUD 300,000"):
                quote(line, aud(1), AU_PARTNER_FINANCING)

    def test_a_line_in_another_currency_than_the_policy_is_refused(self) -> None:
        with pytest.raises(CurrencyMismatch, match="au-partner"):
            quote(CreditLine(limit=usd(10_000)), usd(1), AU_PARTNER_FINANCING)


class TestOutstandingBoundary:
    def test_at_999_999_99_outstanding_nothing_more_can_be_drawn(self) -> None:
        line = CreditLine(
            limit=usd(2_000_000), outstanding=usd("999999.99"), fully_repaid_once=True
        )
        offer = quote(line, usd(100_000))
        assert (offer.amount, offer.limited_by) == (usd(0), "CR-OUTSTANDING")
        with pytest.raises(RuleViolation, match="nothing can be drawn") as refused:
            draw(line, CENT, usd(100_000))
        assert refused.value.rule == "CR-OUTSTANDING"

    def test_at_999_999_98_outstanding_one_cent_can_be_drawn(self) -> None:
        line = CreditLine(
            limit=usd(2_000_000), outstanding=usd("999999.98"), fully_repaid_once=True
        )
        assert quote(line, usd(100_000)).amount == CENT
        assert draw(line, CENT, usd(100_000)).outstanding == usd("999999.99")

    def test_outstanding_over_the_ceiling_quotes_zero_not_a_negative_amount(self) -> None:
        line = CreditLine(limit=usd(5_000_000), outstanding=usd(3_000_000))
        offer = quote(line, usd(100_000))
        assert offer.amount == usd(0)
        assert offer.cap("CR-OUTSTANDING") == usd(0)


class TestNewCustomerCap:
    def test_a_new_customer_at_half_the_limit_drawn_can_draw_nothing(self) -> None:
        line = CreditLine(limit=usd(2_000_000), drawn_total=usd(1_000_000))
        offer = quote(line, usd(100_000))
        assert (offer.amount, offer.limited_by) == (usd(0), "CR-NEW-CUSTOMER")

    def test_a_cent_below_half_the_limit_leaves_a_cent(self) -> None:
        line = CreditLine(limit=usd(2_000_000), drawn_total=usd("999999.99"))
        assert quote(line, usd(100_000)).amount == CENT

    def test_the_cap_counts_repaid_draws_until_the_first_full_repayment(self) -> None:
        line = CreditLine(limit=usd(2_000_000))
        for _ in range(6):
            line = draw(line, usd(150_000), usd(200_000))
            line = repay(line, usd(100_000))
        assert (line.outstanding, line.drawn_total) == (usd(300_000), usd(900_000))
        assert not line.fully_repaid_once
        offer = quote(line, usd(200_000))
        assert (offer.amount, offer.limited_by) == (usd(100_000), "CR-NEW-CUSTOMER")

    def test_the_first_full_repayment_lifts_the_cap(self) -> None:
        line = CreditLine(limit=usd(2_000_000), outstanding=usd(1), drawn_total=usd(1_000_000))
        assert quote(line, usd(200_000)).amount == usd(0)
        repaid = repay(line, usd(1))
        assert repaid.fully_repaid_once
        offer = quote(repaid, usd(200_000))
        assert "CR-NEW-CUSTOMER" not in {c.rule for c in offer.caps}
        assert (offer.amount, offer.limited_by) == (usd(150_000), "CR-PER-TRADE")

    def test_the_cap_stays_lifted_after_new_draws(self) -> None:
        line = repay(CreditLine(limit=usd(2_000_000), outstanding=usd(10)), usd(10))
        line = draw(line, usd(150_000), usd(200_000))
        assert line.fully_repaid_once
        assert "CR-NEW-CUSTOMER" not in {c.rule for c in quote(line, usd(200_000)).caps}


class TestQuoteInputs:
    @pytest.mark.parametrize("payable", ["0", "-0.01"])
    def test_a_payable_that_is_not_positive_is_refused(self, payable: str) -> None:
        with pytest.raises(InvalidInput, match="more than zero"):
            quote(WORKED_LINE, usd(payable))

    def test_a_payable_in_another_currency_is_refused(self) -> None:
        with pytest.raises(CurrencyMismatch, match="payable"):
            quote(WORKED_LINE, Money(200_000, "EUR"))

    def test_a_computed_payable_is_capped_rounding_down(self) -> None:
        offer = quote(CreditLine(limit=usd(2_000_000)), usd("100.0099"))
        assert offer.cap("CR-80") == usd("80.00")  # 80.00792
        assert offer.amount == usd("80.00")

    def test_the_insurance_fee_is_a_cost_on_the_financed_amount(self) -> None:
        insured = attrs.evolve(DEFAULT_FINANCING, insurance_fee_rate=Decimal("0.0125"))
        offer = quote(WORKED_LINE, WORKED_PAYABLE, insured)
        assert offer.insurance_fee == usd("1250.00")  # 1.25% of 99,999.99 = 1,249.999875

    def test_asking_for_a_cap_the_quote_does_not_apply_is_refused(self) -> None:
        offer = quote(CreditLine(limit=aud(5_000)), aud(1), AU_PARTNER_FINANCING)
        with pytest.raises(InvalidInput, match="applies no 'CR-PER-TRADE' cap"):
            offer.cap("CR-PER-TRADE")

    def test_a_quote_value_refuses_a_binding_cap_it_does_not_show(self) -> None:
        cap = Cap("CR-AVAILABLE", "unused part of the credit limit", usd(1))
        with pytest.raises(InvalidInput, match="limited_by"):
            FinancingQuote(amount=usd(1), limited_by="CR-80", caps=(cap,), insurance_fee=usd(0))

    def test_a_cap_value_refuses_an_unknown_rule_and_a_negative_amount(self) -> None:
        with pytest.raises(InvalidInput, match="rule"):
            Cap("ESC-HOLD", "x", usd(1))
        with pytest.raises(InvalidInput, match="zero or more"):
            Cap("CR-80", "x", usd(-1))


class TestDrawAndRepay:
    @pytest.mark.parametrize(
        ("amount", "error", "match"),
        [
            (usd(0), InvalidInput, "more than zero"),
            (usd(-5), InvalidInput, "more than zero"),
            (usd("10.005"), InvalidInput, "whole minor units"),
            (Money(10, "EUR"), CurrencyMismatch, "a draw"),
        ],
    )
    def test_malformed_draws_are_refused(
        self, amount: Money, error: type[Exception], match: str
    ) -> None:
        with pytest.raises(error, match=match):
            draw(WORKED_LINE, amount, WORKED_PAYABLE)

    def test_a_draw_adds_to_outstanding_and_drawn_total(self) -> None:
        line = draw(WORKED_LINE, usd(50_000), WORKED_PAYABLE)
        assert (line.outstanding, line.drawn_total) == (usd(950_000), usd(950_000))

    def test_a_repayment_lowers_outstanding_and_keeps_drawn_total(self) -> None:
        line = repay(WORKED_LINE, usd(400_000))
        assert (line.outstanding, line.drawn_total) == (usd(500_000), usd(900_000))
        assert not line.fully_repaid_once

    def test_repaying_more_than_outstanding_is_refused(self) -> None:
        assert repay(WORKED_LINE, usd(900_000)).outstanding == usd(0)
        with pytest.raises(InvalidInput, match=r"at most USD 900,000.00 can be repaid"):
            repay(WORKED_LINE, usd("900000.01"))

    @pytest.mark.parametrize(
        ("amount", "error"),
        [(usd(0), InvalidInput), (usd("0.001"), InvalidInput), (Money(1, "EUR"), CurrencyMismatch)],
    )
    def test_malformed_repayments_are_refused(self, amount: Money, error: type[Exception]) -> None:
        with pytest.raises(error):
            repay(WORKED_LINE, amount)


def _reference_interest(principal: Money, days: int, daily_rate: Decimal) -> Money:
    """An independent oracle: exact Decimal product, one half-up quantize."""
    ctx = decimal.Context(prec=100, traps=[decimal.Inexact])
    exact = ctx.multiply(ctx.multiply(principal.amount, daily_rate), Decimal(days))
    return Money(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), principal.currency)


principals = money(currency="USD", max_amount=10**9, whole_minor_units=False)
day_counts = st.integers(min_value=0, max_value=3650)


class TestInterest:
    def test_the_published_rate_is_four_hundredths_of_a_percent_a_day(self) -> None:
        assert interest(usd(100_000), 30) == usd(1_200)
        assert interest(usd(100_000), 1) == usd(40)

    def test_interest_is_rounded_once_half_up_not_per_day(self) -> None:
        assert interest(usd("12.50"), 1) == usd("0.01")  # 0.005 rounds up
        assert interest(usd("12.49"), 1) == usd("0.00")  # 0.004996
        assert interest(usd("12.50"), 2) == usd("0.01")  # 0.01, not 0.01 + 0.01

    def test_a_monthly_rate_accrues_a_twelfth_of_a_365_day_year_per_month(self) -> None:
        assert interest(aud(10_000), 365, AU_PARTNER_FINANCING) == aud("1380.00")
        # 10,000 * 0.0115 * 12 / 365 * 30 = 113.4246...
        assert interest(aud(10_000), 30, AU_PARTNER_FINANCING) == aud("113.42")

    def test_negative_days_are_refused(self) -> None:
        assert interest(usd(100), 0) == usd(0)
        with pytest.raises(InvalidInput, match="zero or more"):
            interest(usd(100), -1)

    @pytest.mark.parametrize("days", [True, Decimal(3), "3"])
    def test_days_must_be_an_int(self, days: object) -> None:
        with pytest.raises(InvalidInput, match="int"):
            interest(usd(100), days)  # type: ignore[arg-type]

    def test_a_float_number_of_days_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="int"):
            interest(usd(100), 3.0)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "field",
        [
            "interest_rate",
            "financed_share",
            "per_trade_share_of_limit",
            "new_customer_share",
            "insurance_fee_rate",
        ],
    )
    def test_a_policy_refuses_a_float_rate_or_share(self, field: str) -> None:
        # Fraction(0.0004) is 0.000400000000000000019...: a float would reach the interest.
        with pytest.raises(TypeError, match=f"{field} 0.0004 is a float"):
            attrs.evolve(DEFAULT_FINANCING, **{field: 0.0004})
        with pytest.raises(InvalidInput, match=f"{field} must be a Decimal"):
            attrs.evolve(DEFAULT_FINANCING, **{field: "0.0004"})

    def test_a_negative_principal_or_another_currency_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="principal"):
            interest(usd(-1), 3)
        with pytest.raises(CurrencyMismatch, match="principal"):
            interest(aud(1), 3)

    @given(principals, day_counts)
    def test_interest_is_the_exact_product_rounded_once(self, principal: Money, days: int) -> None:
        assert interest(principal, days) == _reference_interest(principal, days, Decimal("0.0004"))

    @given(principals, st.lists(st.integers(0, 400), min_size=2, max_size=6))
    def test_interest_is_additive_over_split_periods_within_a_cent_per_split(
        self, principal: Money, parts: list[int]
    ) -> None:
        whole = interest(principal, sum(parts))
        pieces = sum((interest(principal, d) for d in parts), usd(0))
        splits = len(parts) - 1
        assert abs((whole - pieces).amount) <= Decimal("0.01") * splits

    @given(principals, day_counts, day_counts, st.sampled_from([DEFAULT_FINANCING, ANY_LINE]))
    def test_interest_never_falls_as_days_grow(
        self, principal: Money, a: int, b: int, policy: FinancingPolicy
    ) -> None:
        short, long = sorted((a, b))
        assert interest(principal, short, policy) <= interest(principal, long, policy)

    @given(money(currency="AUD", max_amount=300_000), day_counts, day_counts)
    def test_monthly_interest_never_falls_as_days_grow(
        self, principal: Money, a: int, b: int
    ) -> None:
        short, long = sorted((a, b))
        assert interest(principal, short, AU_PARTNER_FINANCING) <= interest(
            principal, long, AU_PARTNER_FINANCING
        )

    @given(principals, principals, day_counts)
    def test_interest_never_falls_as_principal_grows(self, a: Money, b: Money, days: int) -> None:
        small, large = sorted((a, b), key=lambda m: m.amount)
        assert interest(small, days) <= interest(large, days)

    @given(principals, st.sampled_from([DEFAULT_FINANCING, ANY_LINE]))
    def test_zero_days_cost_nothing(self, principal: Money, policy: FinancingPolicy) -> None:
        assert interest(principal, 0, policy).is_zero

    @given(day_counts)
    def test_zero_principal_costs_nothing(self, days: int) -> None:
        assert interest(usd(0), days).is_zero


class TestQuoteProperties:
    @given(any_policy_line_and_payable)
    def test_the_quoted_amount_never_exceeds_any_cap(
        self, case: tuple[FinancingPolicy, tuple[CreditLine, Money]]
    ) -> None:
        policy, (line, payable) = case
        offer = quote(line, payable, policy)
        assert all(offer.amount <= c.amount for c in offer.caps)
        assert offer.amount == min(c.amount for c in offer.caps)
        assert not offer.amount.is_negative
        assert offer.amount.is_whole_minor_units()
        assert offer.amount <= line.available

    @given(any_policy_line_and_payable)
    def test_the_quoted_amount_is_the_most_that_keeps_every_rule_of_the_policy(
        self, case: tuple[FinancingPolicy, tuple[CreditLine, Money]]
    ) -> None:
        # An oracle read off the policy's figures and RULES.md, not off the quote's caps.
        policy, (line, payable) = case

        def keeps_every_rule(amount: Money) -> bool:
            kept = [amount <= line.available]  # CR-AVAILABLE
            if policy.financed_share is not None:  # CR-80
                kept.append(amount <= payable * policy.financed_share)
            if policy.per_trade_max is not None:  # CR-PER-TRADE
                kept.append(amount <= policy.per_trade_max)
            if policy.per_trade_share_of_limit is not None:  # CR-PER-TRADE
                kept.append(amount <= line.limit * policy.per_trade_share_of_limit)
            if policy.outstanding_below is not None:  # CR-OUTSTANDING, strictly below
                kept.append(line.outstanding + amount < policy.outstanding_below)
            if policy.new_customer_share is not None and not line.fully_repaid_once:
                # CR-NEW-CUSTOMER: all ever drawn within the share of the limit.
                kept.append(line.drawn_total + amount <= line.limit * policy.new_customer_share)
            return all(kept)

        offer = quote(line, payable, policy)
        assert offer.amount.is_zero or keeps_every_rule(offer.amount)
        assert not keeps_every_rule(offer.amount + Money("0.01", line.currency))

    @given(any_policy_line_and_payable)
    def test_limited_by_is_the_first_cap_in_rules_order_with_the_least_figure(
        self, case: tuple[FinancingPolicy, tuple[CreditLine, Money]]
    ) -> None:
        policy, (line, payable) = case
        offer = quote(line, payable, policy)
        rules = [c.rule for c in offer.caps]
        assert rules == sorted(rules, key=CAP_ORDER.index)
        first_least = next(c for c in offer.caps if c.amount == offer.amount)
        assert offer.limited_by == first_least.rule

    @given(any_policy_line_and_payable)
    def test_drawing_exactly_the_quoted_amount_always_succeeds(
        self, case: tuple[FinancingPolicy, tuple[CreditLine, Money]]
    ) -> None:
        policy, (line, payable) = case
        offer = quote(line, payable, policy)
        assume(not offer.amount.is_zero)
        after = draw(line, offer.amount, payable, policy)
        assert after.outstanding == line.outstanding + offer.amount
        assert after.drawn_total == line.drawn_total + offer.amount
        assert after.fully_repaid_once == line.fully_repaid_once

    @given(any_policy_line_and_payable)
    def test_one_cent_more_than_the_quote_always_fails_with_the_binding_rule(
        self, case: tuple[FinancingPolicy, tuple[CreditLine, Money]]
    ) -> None:
        policy, (line, payable) = case
        offer = quote(line, payable, policy)
        cent = Money("0.01", line.currency)
        with pytest.raises(RuleViolation) as refused:
            draw(line, offer.amount + cent, payable, policy)
        assert refused.value.rule == offer.limited_by

    @given(credit_lines(policy=DEFAULT_FINANCING), payables(whole_minor_units=False))
    def test_computed_payables_are_quoted_without_exceeding_80_percent(
        self, line: CreditLine, payable: Money
    ) -> None:
        assert quote(line, payable).amount <= payable * Decimal("0.8")


def _share_in_cents(amount: Money, percent: int) -> Money:
    return (amount * Decimal(percent) * Decimal("0.01")).rounded(decimal.ROUND_DOWN)


class CreditLineLifecycle(RuleBasedStateMachine):
    """Draws and repayments in any order keep every cap of the published terms."""

    line: CreditLine
    was_repaid: bool

    @initialize(line=credit_lines(policy=DEFAULT_FINANCING, fresh=True))
    def open_line(self, line: CreditLine) -> None:
        self.line = line
        self.was_repaid = False

    @rule(payable=payables(), percent=st.integers(1, 100))
    def draw_part_of_the_quote(self, payable: Money, percent: int) -> None:
        offer = quote(self.line, payable)
        amount = _share_in_cents(offer.amount, percent)
        if not amount.is_zero:
            self.line = draw(self.line, amount, payable)

    @rule(payable=payables(), extra=money(currency="USD", min_amount="0.01", max_amount=10**6))
    def draw_beyond_the_quote_is_refused(self, payable: Money, extra: Money) -> None:
        offer = quote(self.line, payable)
        with pytest.raises(RuleViolation) as refused:
            draw(self.line, offer.amount + extra, payable)
        assert refused.value.rule in CAP_ORDER

    @rule(percent=st.integers(1, 99))
    def repay_part(self, percent: int) -> None:
        amount = _share_in_cents(self.line.outstanding, percent)
        if not amount.is_zero:
            self.line = repay(self.line, amount)
            assert not self.line.outstanding.is_zero

    @rule()
    def repay_everything(self) -> None:
        if not self.line.outstanding.is_zero:
            self.line = repay(self.line, self.line.outstanding)
            assert self.line.fully_repaid_once

    @invariant()
    def outstanding_stays_within_the_limit_and_below_one_million(self) -> None:
        assert usd(0) <= self.line.outstanding <= self.line.limit
        assert self.line.outstanding < DEFAULT_FINANCING.outstanding_below  # type: ignore[operator]

    @invariant()
    def a_new_customer_never_draws_more_than_half_the_limit(self) -> None:
        if not self.line.fully_repaid_once:
            assert self.line.drawn_total <= self.line.limit * Decimal("0.5")

    @invariant()
    def a_full_repayment_is_never_forgotten(self) -> None:
        assert self.line.fully_repaid_once or not self.was_repaid
        self.was_repaid = self.line.fully_repaid_once
        assert self.line.drawn_total >= self.line.outstanding


TestCreditLineLifecycle = CreditLineLifecycle.TestCase


JAN_1 = dt.date(2025, 1, 1)


def _days(n: int) -> dt.date:
    return JAN_1 + dt.timedelta(days=n)


class TestRepaymentSchedule:
    def test_a_drawdown_repaid_at_once_costs_the_interest_for_its_days(self) -> None:
        schedule = repayment_schedule(
            [Drawdown("PO-7", JAN_1, usd(100_000))],
            [Repayment("PO-7", _days(30), usd(100_000))],
            as_of=_days(90),
        )
        (row,) = schedule.rows
        assert row.interest == interest(usd(100_000), 30) == usd(1_200)
        assert (row.repaid, row.outstanding, row.repaid_on) == (usd(100_000), usd(0), _days(30))
        assert schedule.interest == schedule.cost == usd(1_200)

    def test_each_part_of_the_principal_accrues_until_it_is_repaid(self) -> None:
        schedule = repayment_schedule(
            [Drawdown("PO-7", JAN_1, usd(100_000))],
            [Repayment("PO-7", _days(30), usd(40_000))],
            as_of=_days(89),
        )
        (row,) = schedule.rows
        # 40,000 for 30 days (480.00) and 60,000 for 89 days (2,136.00).
        assert row.interest == usd("2616.00")
        assert (row.outstanding, row.repaid_on) == (usd(60_000), None)
        assert schedule.outstanding == usd(60_000)

    def test_a_row_is_rounded_once_and_the_totals_are_the_sums_of_the_rows(self) -> None:
        schedule = repayment_schedule(
            [Drawdown("PO-7", JAN_1, usd("12.50")), Drawdown("PO-8", JAN_1, usd("12.50"))],
            [Repayment("PO-7", _days(1), usd("6.25")), Repayment("PO-7", _days(2), usd("6.25"))],
            as_of=_days(2),
        )
        po7, po8 = schedule.rows
        # PO-7: 6.25 * 1 + 6.25 * 2 = 18.75 principal-days * 0.0004 = 0.0075 -> 0.01, once.
        assert po7.interest == usd("0.01")
        assert po8.interest == usd("0.01")  # 12.50 * 2 days = 0.01
        assert schedule.interest == po7.interest + po8.interest

    def test_money_repaid_the_day_it_was_drawn_costs_nothing(self) -> None:
        schedule = repayment_schedule(
            [Drawdown("PO-7", JAN_1, usd(100_000))],
            [Repayment("PO-7", JAN_1, usd(100_000))],
            as_of=_days(10),
        )
        assert schedule.interest == usd(0)

    def test_the_insurance_fee_is_a_cost_per_drawdown(self) -> None:
        insured = attrs.evolve(DEFAULT_FINANCING, insurance_fee_rate=Decimal("0.01"))
        schedule = repayment_schedule(
            [Drawdown("PO-7", JAN_1, usd(100_000))], [], as_of=_days(30), policy=insured
        )
        (row,) = schedule.rows
        assert (row.interest, row.insurance_fee, row.cost) == (
            usd(1_200),
            usd(1_000),
            usd(2_200),
        )
        assert schedule.cost == usd(2_200)

    def test_the_au_partner_line_accrues_its_monthly_rate(self) -> None:
        schedule = repayment_schedule(
            [Drawdown("AU-1", JAN_1, aud(10_000))],
            [],
            as_of=_days(365),
            policy=AU_PARTNER_FINANCING,
        )
        assert schedule.interest == aud("1380.00")

    def test_no_drawdowns_give_an_empty_schedule_in_the_policy_currency(self) -> None:
        schedule = repayment_schedule([], [], as_of=JAN_1)
        assert (schedule.rows, schedule.interest, schedule.outstanding) == ((), usd(0), usd(0))

    @pytest.mark.parametrize(
        ("drawdowns", "repayments", "match"),
        [
            (
                [Drawdown("PO-7", JAN_1, usd(1)), Drawdown("PO-7", JAN_1, usd(2))],
                [],
                "unique",
            ),
            ([Drawdown("PO-7", JAN_1, usd(1))], [Repayment("PO-8", JAN_1, usd(1))], "PO-8"),
            (
                [Drawdown("PO-7", _days(5), usd(1))],
                [Repayment("PO-7", _days(4), usd(1))],
                "before its drawdown",
            ),
            (
                [Drawdown("PO-7", JAN_1, usd(1))],
                [Repayment("PO-7", _days(31), usd(1))],
                "after as_of",
            ),
            ([Drawdown("PO-7", _days(31), usd(1))], [], "after as_of"),
            (
                [Drawdown("PO-7", JAN_1, usd(1))],
                [Repayment("PO-7", _days(1), usd(1)), Repayment("PO-7", _days(2), CENT)],
                "more than its principal",
            ),
        ],
    )
    def test_impossible_histories_are_refused(
        self, drawdowns: list[Drawdown], repayments: list[Repayment], match: str
    ) -> None:
        with pytest.raises(InvalidInput, match=match):
            repayment_schedule(drawdowns, repayments, as_of=_days(30))

    def test_amounts_in_another_currency_than_the_policy_are_refused(self) -> None:
        with pytest.raises(CurrencyMismatch):
            repayment_schedule([Drawdown("PO-7", JAN_1, aud(1))], [], as_of=JAN_1)

    def test_instants_are_refused_where_dates_are_expected(self) -> None:
        with pytest.raises(InvalidInput, match="not a datetime"):
            Drawdown("PO-7", dt.datetime(2025, 1, 1), usd(1))
        with pytest.raises(InvalidInput, match="not a datetime"):
            repayment_schedule([], [], as_of=dt.datetime(2025, 1, 1))  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("ref", "amount", "match"),
        [
            ("", usd(1), "non-empty"),
            ("PO-7", usd(0), "more than zero"),
            ("PO-7", usd("0.001"), "whole"),
        ],
    )
    def test_malformed_drawdowns_are_refused(self, ref: str, amount: Money, match: str) -> None:
        with pytest.raises(InvalidInput, match=match):
            Drawdown(ref, JAN_1, amount)

    @given(
        st.lists(
            st.tuples(
                money(currency="USD", min_amount="0.01", max_amount=10**6), day_counts, day_counts
            ),
            min_size=1,
            max_size=5,
        )
    )
    def test_a_row_repaid_at_once_costs_exactly_what_interest_says(
        self, cases: list[tuple[Money, int, int]]
    ) -> None:
        drawdowns = [Drawdown(f"D{i}", _days(start), p) for i, (p, start, _) in enumerate(cases)]
        repayments = [
            Repayment(f"D{i}", _days(start + held), p) for i, (p, start, held) in enumerate(cases)
        ]
        schedule = repayment_schedule(drawdowns, repayments, as_of=_days(8000))
        for row, (p, _, held) in zip(schedule.rows, cases, strict=True):
            assert row.interest == interest(p, held)
        assert schedule.interest == sum((r.interest for r in schedule.rows), usd(0))
        assert schedule.outstanding == usd(0)


def test_the_binding_index_points_at_the_row_that_sets_the_amount() -> None:
    line = CreditLine(limit=usd(2_000_000), outstanding=usd(900_000))
    offer = quote(line, usd(200_000))
    row = offer.caps[offer.binding_index]
    assert (row.rule, row.amount) == (offer.limited_by, offer.amount)
    per_trade = quote(CreditLine(limit=usd(2_000_000)), usd(500_000))
    assert per_trade.limited_by == "CR-PER-TRADE"
    assert per_trade.caps[per_trade.binding_index].amount == usd(150_000)
