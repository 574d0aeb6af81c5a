"""Details of the e-Credit Line a mutation run found untested (RULES.md section 4, CR-*):
the edges of a policy's and a line's figures, the caps' labels, the figures every refusal
names, and the library's own decimal context. Each test fails on a mutant of
``tradeassure.credit``; a refusal is pinned by its type, its rule id and the figures and
names it gives, not by its prose."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

import attrs
import pytest

from tradeassure.credit import (
    AU_PARTNER_FINANCING,
    DEFAULT_FINANCING,
    Cap,
    CreditLine,
    Drawdown,
    FinancingPolicy,
    FinancingQuote,
    Repayment,
    RepaymentSchedule,
    check,
    draw,
    interest,
    quote,
    repay,
    repayment_schedule,
)
from tradeassure.errors import CurrencyMismatch, InvalidInput, PolicyError, RuleViolation
from tradeassure.money import Money


def usd(amount: int | str) -> Money:
    return Money(amount, "USD")


def aud(amount: int | str) -> Money:
    return Money(amount, "AUD")


#: The published caps without the CR-TIER floor, for lines of any size.
ANY_LINE = attrs.evolve(DEFAULT_FINANCING, edition="any-line", min_limit=None)
#: RULES.md's worked example: a new customer, 900,000 outstanding and drawn in all.
WORKED_LINE = CreditLine(limit=usd(2_000_000), outstanding=usd(900_000), drawn_total=usd(900_000))
WORKED_PAYABLE = usd(200_000)
JAN_1 = dt.date(2025, 1, 1)


def _message(error: pytest.ExceptionInfo[BaseException]) -> str:
    return str(error.value)


class TestPolicyFigures:
    """A FinancingPolicy checks every money figure and its terms at construction."""

    def test_a_figure_in_another_currency_names_the_figure_and_the_policy_currency(
        self,
    ) -> None:
        with pytest.raises(CurrencyMismatch) as refused:
            FinancingPolicy("x", min_limit=Money(1, "EUR"))
        assert _message(refused) == "min_limit is EUR 1.00, but the policy is in USD"

    def test_a_figure_that_is_not_money_is_named(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            FinancingPolicy("x", min_limit=5)  # type: ignore[arg-type]
        assert "min_limit must be Money, got 5" in _message(refused)

    def test_a_negative_figure_after_an_unset_one_is_still_refused(self) -> None:
        # min_limit is None by default: the check goes on to the figures after it.
        with pytest.raises(InvalidInput) as refused:
            FinancingPolicy("x", per_trade_max=usd(-1))
        assert "per_trade_max must be zero or more, got USD -1.00" in _message(refused)
        with pytest.raises(CurrencyMismatch, match=r"outstanding_below is EUR 1\.00"):
            FinancingPolicy("x", outstanding_below=Money(1, "EUR"))

    def test_a_largest_limit_without_a_smallest_one_is_accepted(self) -> None:
        """CR-AU-LINE: max_limit alone bounds the line from above."""
        policy = FinancingPolicy("capped", max_limit=usd(1_000))
        assert (policy.min_limit, policy.max_limit) == (None, usd(1_000))

    def test_the_largest_limit_must_be_above_the_smallest(self) -> None:
        FinancingPolicy("x", min_limit=usd(10), max_limit=usd("10.01"))
        with pytest.raises(InvalidInput) as refused:
            FinancingPolicy("x", min_limit=usd(10), max_limit=usd(10))
        assert "max_limit USD 10.00 must be above min_limit USD 10.00" in _message(refused)
        with pytest.raises(InvalidInput, match=r"max_limit USD 9\.99 must be above min_limit"):
            FinancingPolicy("x", min_limit=usd(10), max_limit=usd("9.99"))

    @pytest.mark.parametrize("rule_id", ["CR-TIER", "CR-AU-LINE"])
    def test_the_terms_rule_may_be_either_terms_rule(self, rule_id: str) -> None:
        assert FinancingPolicy("x", terms_rule=rule_id).terms_rule == rule_id

    def test_another_terms_rule_is_refused_and_named(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            FinancingPolicy("x", terms_rule="CR-80")
        assert "'CR-TIER'" in _message(refused)
        assert "'CR-AU-LINE'" in _message(refused)
        assert "not 'CR-80'" in _message(refused)

    @pytest.mark.parametrize("period", ["day", "month"])
    def test_the_rate_period_may_be_a_day_or_a_month(self, period: str) -> None:
        assert FinancingPolicy("x", rate_period=period).rate_period == period  # type: ignore[arg-type]

    def test_another_rate_period_is_refused_and_named(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            FinancingPolicy("x", rate_period="week")  # type: ignore[arg-type]
        assert "not 'week'" in _message(refused)
        assert "'day'" in _message(refused)
        assert "'month'" in _message(refused)


class TestCreditLineRefusals:
    """A CreditLine names the field it refuses and the limit it is measured against."""

    def test_an_outstanding_that_is_not_money_is_named_with_or_without_a_drawn_total(
        self,
    ) -> None:
        with pytest.raises(InvalidInput) as defaulted:
            CreditLine(limit=usd(1), outstanding=5)  # type: ignore[arg-type]
        assert "outstanding must be Money, got 5" in _message(defaulted)
        with pytest.raises(InvalidInput) as given:
            CreditLine(limit=usd(1), outstanding=5, drawn_total=usd(0))  # type: ignore[arg-type]
        assert "outstanding must be Money, got 5" in _message(given)

    def test_a_limit_that_is_not_money_is_named_when_every_balance_is_given(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            CreditLine(limit=5, outstanding=usd(0), drawn_total=usd(0))  # type: ignore[arg-type]
        assert "limit must be Money, got 5" in _message(refused)

    def test_a_balance_in_another_currency_names_the_limit_currency(self) -> None:
        with pytest.raises(CurrencyMismatch) as refused:
            CreditLine(limit=usd(100), outstanding=Money(1, "EUR"))
        assert _message(refused) == "outstanding is EUR 1.00, but the limit is in USD"

    def test_a_fraction_of_a_cent_names_the_balance_and_its_figure(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            CreditLine(limit=usd(1), outstanding=usd("0.001"))
        assert "outstanding 0.001 USD is not in whole minor units" in _message(refused)

    def test_a_repaid_flag_that_is_not_a_bool_is_named(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            CreditLine(limit=usd(1), fully_repaid_once=1)  # type: ignore[arg-type]
        assert "fully_repaid_once must be True or False, got 1" in _message(refused)

    def test_the_balance_refusals_name_both_figures(self) -> None:
        with pytest.raises(InvalidInput) as above:
            CreditLine(limit=usd(1), outstanding=usd(2))
        assert "outstanding USD 2.00 is above the limit USD 1.00" in _message(above)
        with pytest.raises(InvalidInput) as below:
            CreditLine(limit=usd(1), outstanding=usd(1), drawn_total=usd("0.50"))
        assert "drawn_total USD 0.50 is below outstanding USD 1.00" in _message(below)


class TestTermsRefusals:
    """CR-TIER and CR-AU-LINE: a line the terms do not cover, and what would cover it."""

    def test_a_line_below_the_published_tier_is_refused_under_cr_tier(self) -> None:
        with pytest.raises(PolicyError) as refused:
            quote(CreditLine(limit=usd(10)), usd(1))
        assert refused.value.rule == "CR-TIER"
        assert _message(refused).startswith("CR-TIER: ")
        assert "USD 1,000,000.01" in _message(refused)
        assert "FINANCING_EDITIONS['default'], min_limit=None" in _message(refused)

    def test_a_line_above_the_au_partner_range_suggests_dropping_the_largest_limit(
        self,
    ) -> None:
        with pytest.raises(PolicyError) as refused:
            quote(CreditLine(limit=aud(400_000)), aud(5), AU_PARTNER_FINANCING)
        assert refused.value.rule == "CR-AU-LINE"
        assert "AUD 5,000.00 to AUD 300,000.00" in _message(refused)
        assert "AUD 400,000.00" in _message(refused)
        assert "FINANCING_EDITIONS['au-partner'], max_limit=None" in _message(refused)

    def test_a_line_below_the_au_partner_range_suggests_dropping_the_smallest_limit(
        self,
    ) -> None:
        with pytest.raises(PolicyError) as refused:
            quote(CreditLine(limit=aud("4999.99")), aud(5), AU_PARTNER_FINANCING)
        assert "FINANCING_EDITIONS['au-partner'], min_limit=None" in _message(refused)

    def test_terms_with_only_a_largest_limit_name_it(self) -> None:
        capped = FinancingPolicy("capped", max_limit=usd(1_000))
        assert quote(CreditLine(limit=usd(1_000)), usd(5), capped).limited_by == "CR-AVAILABLE"
        with pytest.raises(PolicyError) as refused:
            quote(CreditLine(limit=usd(2_000)), usd(5), capped)
        assert refused.value.rule == "CR-TIER"
        assert "limits up to USD 1,000.00" in _message(refused)
        assert "USD 2,000.00" in _message(refused)
        assert "FINANCING_EDITIONS['capped'], max_limit=None" in _message(refused)

    @pytest.mark.parametrize(
        ("low", "high", "phrase"),
        [
            ("4999.99", "300000.00", "limits from USD 5,000.00 to USD 300,000.00"),
            ("4999.99", None, "limits over USD 4,999.99 (the smallest is USD 5,000.00)"),
            (None, "300000.00", "limits up to USD 300,000.00"),
            (None, None, "any limit"),
        ],
    )
    def test_the_limits_terms_cover_are_named_in_one_phrase(
        self, low: str | None, high: str | None, phrase: str
    ) -> None:
        terms = FinancingPolicy(
            "named",
            min_limit=None if low is None else usd(low),
            max_limit=None if high is None else usd(high),
        )
        assert terms.granted_limits == phrase

    def test_a_line_in_another_currency_names_the_limit_and_the_edition(self) -> None:
        with pytest.raises(CurrencyMismatch) as refused:
            quote(CreditLine(limit=usd(10_000)), usd(1), AU_PARTNER_FINANCING)
        assert _message(refused) == (
            "the line's limit is USD 10,000.00, but the au-partner policy is in AUD"
        )

    @pytest.mark.parametrize("verb", [quote, check])
    def test_a_line_or_policy_of_the_wrong_kind_is_named(self, verb: object) -> None:
        args = (usd(1),) if verb is quote else (usd(1), usd(1))
        with pytest.raises(InvalidInput, match="line must be a CreditLine, got 'x'"):
            verb("x", *args)  # type: ignore[operator]
        with pytest.raises(InvalidInput, match="policy must be a FinancingPolicy, got 'x'"):
            verb(WORKED_LINE, *args, "x")  # type: ignore[operator]


class TestCapLabels:
    """Each cap shows its own figure under a label (RULES.md section 4)."""

    def test_the_published_caps_carry_their_labels(self) -> None:
        offer = quote(WORKED_LINE, WORKED_PAYABLE)
        assert [(c.rule, c.label) for c in offer.caps] == [
            ("CR-80", "80% of the trade's payable amount"),
            ("CR-PER-TRADE", "per-trade maximum"),
            ("CR-PER-TRADE", "30% of the credit limit"),
            ("CR-OUTSTANDING", "keeps outstanding financing below USD 1,000,000.00"),
            (
                "CR-NEW-CUSTOMER",
                "new customer: at most 50% of the limit drawn in all until the first full "
                "repayment",
            ),
            ("CR-AVAILABLE", "unused part of the credit limit"),
        ]

    def test_a_share_is_shown_in_the_library_context_whatever_the_callers(self) -> None:
        policy = attrs.evolve(ANY_LINE, financed_share=Decimal("0.125"))
        with decimal.localcontext(decimal.Context(prec=2)):
            offer = quote(CreditLine(limit=usd(2_000_000)), usd(1_000), policy)
        assert offer.caps[0].label == "12.5% of the trade's payable amount"
        assert offer.cap("CR-80") == usd(125)


class TestQuoteValues:
    def test_a_payable_that_is_not_money_is_named(self) -> None:
        with pytest.raises(InvalidInput, match="payable must be Money, got 5"):
            quote(WORKED_LINE, 5)  # type: ignore[arg-type]

    def test_a_payable_in_another_currency_names_the_line(self) -> None:
        with pytest.raises(CurrencyMismatch) as refused:
            quote(WORKED_LINE, aud(5))
        assert _message(refused) == "payable is AUD 5.00, but the line is in USD"

    def test_a_cap_refuses_a_negative_amount_naming_it(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            Cap("CR-80", "x", usd(-1))
        assert "a cap's amount must be zero or more, got USD -1.00" in _message(refused)

    def test_a_quote_refuses_caps_that_are_not_a_collection_naming_them(self) -> None:
        with pytest.raises(InvalidInput, match="caps must be a tuple or list of Cap values"):
            FinancingQuote(amount=usd(1), limited_by="CR-80", caps="x", insurance_fee=usd(0))  # type: ignore[arg-type]

    def test_a_quote_without_caps_names_the_cap_that_always_applies(self) -> None:
        with pytest.raises(InvalidInput, match="CR-AVAILABLE"):
            FinancingQuote(amount=usd(1), limited_by="CR-80", caps=(), insurance_fee=usd(0))

    def test_asking_for_a_missing_cap_lists_the_applied_ones_in_rules_order(self) -> None:
        offer = quote(CreditLine(limit=usd(2_000_000), fully_repaid_once=True), usd(1))
        with pytest.raises(InvalidInput) as refused:
            offer.cap("CR-NEW-CUSTOMER")
        assert "it applies ['CR-80', 'CR-PER-TRADE', 'CR-OUTSTANDING', 'CR-AVAILABLE']" in _message(
            refused
        )


class TestQuoteViews:
    """The notebook views of a quote (tradeassure.views), reached from the quote itself."""

    def test_the_rows_show_every_cap_and_mark_the_binding_one(self) -> None:
        rows = quote(WORKED_LINE, WORKED_PAYABLE).rows()
        assert [(r["rule"], r["amount"], r["binding"]) for r in rows] == [
            ("CR-80", Decimal(160_000), False),
            ("CR-PER-TRADE", Decimal(150_000), False),
            ("CR-PER-TRADE", Decimal(600_000), False),
            ("CR-OUTSTANDING", Decimal("99999.99"), True),
            ("CR-NEW-CUSTOMER", Decimal(100_000), False),
            ("CR-AVAILABLE", Decimal(1_100_000), False),
        ]
        assert {r["currency"] for r in rows} == {"USD"}

    def test_the_html_shows_the_amount_and_the_binding_rule(self) -> None:
        html = quote(WORKED_LINE, WORKED_PAYABLE)._repr_html_()
        assert "Financing quote: USD 99,999.99" in html
        assert "limited by CR-OUTSTANDING" in html
        assert html.count('class="ta-binding"') == 1


class TestDrawRefusals:
    """check/apply name the draw and the line, and every cap's figures (CR-*)."""

    def test_a_draw_that_is_not_money_is_named(self) -> None:
        with pytest.raises(InvalidInput, match="a draw must be Money, got 5"):
            check(WORKED_LINE, 5, WORKED_PAYABLE)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("amount", "shown"),
        [
            (usd(0), "a draw must be more than zero, got USD 0.00"),
            (usd("0.001"), "a draw 0.001 USD is not in whole minor units"),
        ],
    )
    def test_a_malformed_draw_is_named_with_its_figure(self, amount: Money, shown: str) -> None:
        with pytest.raises(InvalidInput) as refused:
            check(WORKED_LINE, amount, WORKED_PAYABLE)
        assert shown in _message(refused)

    def test_a_draw_in_another_currency_names_the_line(self) -> None:
        with pytest.raises(CurrencyMismatch) as refused:
            check(WORKED_LINE, aud(1), WORKED_PAYABLE)
        assert _message(refused) == "a draw is AUD 1.00, but the line is in USD"

    def test_every_cap_a_draw_breaks_gives_its_own_figures(self) -> None:
        """Worked example, a draw of 170,000: CR-OUTSTANDING binds; CR-80, CR-PER-TRADE and
        CR-NEW-CUSTOMER are broken too, each with its figures and its own most."""
        found = check(WORKED_LINE, usd(170_000), WORKED_PAYABLE)
        assert [v.rule for v in found] == [
            "CR-OUTSTANDING",
            "CR-80",
            "CR-PER-TRADE",
            "CR-NEW-CUSTOMER",
        ]
        binding, cr80, per_trade, new_customer = (v.message for v in found)
        assert binding.startswith(
            "a draw of USD 170,000.00 would bring outstanding financing to USD 1,070,000.00; "
            "it must stay below USD 1,000,000.00"
        )
        assert "CR-80, CR-PER-TRADE, CR-NEW-CUSTOMER" in binding
        assert binding.endswith("at most USD 99,999.99 can be drawn")
        assert "more than 80% of the trade's payable amount USD 200,000.00" in cr80
        assert cr80.endswith("CR-80 allows at most USD 160,000.00")
        assert "at most USD 150,000.00 per trade and 30% of the limit (USD 600,000.00)" in (
            per_trade
        )
        assert per_trade.endswith("CR-PER-TRADE allows at most USD 150,000.00")
        assert "drawn total to USD 1,070,000.00" in new_customer
        assert "50% of the limit in all, USD 1,000,000.00" in new_customer
        assert new_customer.endswith("CR-NEW-CUSTOMER allows at most USD 100,000.00")

    def test_a_cr_new_customer_refusal_names_the_drawn_total_and_the_share(self) -> None:
        line = CreditLine(limit=usd(2_000_000), drawn_total=usd(950_000))
        with pytest.raises(RuleViolation) as refused:
            draw(line, usd("50000.01"), usd(200_000))
        assert refused.value.rule == "CR-NEW-CUSTOMER"
        assert "drawn total to USD 1,000,000.01" in refused.value.message
        assert "50% of the limit in all, USD 1,000,000.00" in refused.value.message
        assert refused.value.message.endswith("at most USD 50,000.00 can be drawn")

    def test_a_cr_available_refusal_names_the_limit_outstanding_and_unused_part(self) -> None:
        line = CreditLine(limit=usd(100_000), outstanding=usd(90_000), fully_repaid_once=True)
        with pytest.raises(RuleViolation) as refused:
            draw(line, usd("10000.01"), usd(100_000), ANY_LINE)
        assert refused.value.rule == "CR-AVAILABLE"
        assert (
            "(USD 100,000.00 - USD 90,000.00 outstanding = USD 10,000.00)" in refused.value.message
        )

    @pytest.mark.parametrize(
        ("policy", "figures"),
        [
            (
                attrs.evolve(ANY_LINE, per_trade_share_of_limit=None),
                "at most USD 150,000.00 per trade",
            ),
            (
                attrs.evolve(ANY_LINE, per_trade_max=None),
                "at most 30% of the limit (USD 60,000.00)",
            ),
        ],
    )
    def test_a_cr_per_trade_refusal_names_the_figures_the_policy_has(
        self, policy: FinancingPolicy, figures: str
    ) -> None:
        line = CreditLine(limit=usd(200_000), fully_repaid_once=True)
        amount = quote(line, usd(10_000_000), policy).amount + usd("0.01")
        with pytest.raises(RuleViolation) as refused:
            draw(line, amount, usd(10_000_000), policy)
        assert refused.value.rule == "CR-PER-TRADE"
        assert refused.value.message.startswith(f"a draw of {amount} is more than")
        assert f"{figures}, so at most" in refused.value.message
        assert "None" not in refused.value.message

    def test_a_refusal_when_nothing_can_be_drawn_still_names_its_figures(self) -> None:
        line = CreditLine(limit=usd(2_000_000), drawn_total=usd(1_000_000))
        with pytest.raises(RuleViolation) as refused:
            draw(line, usd(1), usd(100_000))
        assert refused.value.rule == "CR-NEW-CUSTOMER"
        assert refused.value.message.startswith(
            "a draw of USD 1.00 would bring the line's drawn total to USD 1,000,001.00"
        )


class TestRepayRefusals:
    def test_a_line_of_the_wrong_kind_is_named(self) -> None:
        with pytest.raises(InvalidInput, match="line must be a CreditLine, got 'x'"):
            repay("x", usd(1))  # type: ignore[arg-type]

    def test_a_repayment_in_another_currency_names_the_line(self) -> None:
        with pytest.raises(CurrencyMismatch) as refused:
            repay(WORKED_LINE, aud(1))
        assert _message(refused) == "a repayment is AUD 1.00, but the line is in USD"

    def test_a_repayment_of_nothing_is_named(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            repay(WORKED_LINE, usd(0))
        assert "a repayment must be more than zero, got USD 0.00" in _message(refused)


class TestInterestDetails:
    """CR-INTEREST: the refusals name their argument; the result is the library's."""

    def test_a_policy_of_the_wrong_kind_is_named(self) -> None:
        with pytest.raises(InvalidInput, match="policy must be a FinancingPolicy, got 'x'"):
            interest(usd(1), 1, "x")  # type: ignore[arg-type]

    def test_a_principal_that_is_not_money_is_named(self) -> None:
        with pytest.raises(InvalidInput, match="principal must be Money, got 5"):
            interest(5, 1)  # type: ignore[arg-type]

    def test_a_principal_in_another_currency_names_the_edition(self) -> None:
        with pytest.raises(CurrencyMismatch) as refused:
            interest(aud(1), 1)
        assert _message(refused) == "principal is AUD 1.00, but the default policy is in USD"

    def test_a_negative_principal_is_named_with_its_figure(self) -> None:
        with pytest.raises(InvalidInput, match=r"principal must be zero or more, got USD -1\.00"):
            interest(usd(-1), 1)

    def test_a_negative_day_count_is_named(self) -> None:
        with pytest.raises(InvalidInput, match=r"^days must be zero or more and at most 73,413"):
            interest(usd(1), -1)

    def test_interest_is_exact_in_a_caller_context_of_few_digits(self) -> None:
        # 123,456.78 * 0.0004 = 49.382712: four digits of cents, more than the caller's 3.
        with decimal.localcontext(decimal.Context(prec=3)):
            assert interest(usd("123456.78"), 1) == usd("49.38")
            schedule = repayment_schedule(
                [Drawdown("PO-7", JAN_1, usd("123456.78"))], [], as_of=JAN_1 + dt.timedelta(1)
            )
        assert schedule.interest == usd("49.38")


class TestScheduleRecords:
    """Drawdown, Repayment and RepaymentSchedule name what they refuse."""

    @pytest.mark.parametrize("kind", [Drawdown, Repayment])
    def test_an_amount_that_is_not_money_is_named(self, kind: type) -> None:
        with pytest.raises(InvalidInput, match="amount must be Money, got 5"):
            kind("PO-7", JAN_1, 5)

    @pytest.mark.parametrize(("kind", "name"), [(Drawdown, "drawdown"), (Repayment, "repayment")])
    def test_an_amount_of_nothing_is_named_by_the_record(self, kind: type, name: str) -> None:
        with pytest.raises(InvalidInput, match=rf"^a {name} must be more than zero, got USD 0\.00"):
            kind("PO-7", JAN_1, usd(0))

    def test_a_schedule_refuses_rows_that_are_not_a_collection_naming_them(self) -> None:
        with pytest.raises(InvalidInput, match="rows must be a tuple or list of ScheduleRow"):
            RepaymentSchedule(
                as_of=JAN_1,
                rows="x",  # type: ignore[arg-type]
                outstanding=usd(0),
                interest=usd(0),
                insurance_fee=usd(0),
            )


class TestScheduleRefusals:
    """repayment_schedule names the argument, the drawdown and the edition it refuses."""

    def test_a_policy_of_the_wrong_kind_is_named(self) -> None:
        with pytest.raises(InvalidInput, match="policy must be a FinancingPolicy, got 'x'"):
            repayment_schedule([], [], JAN_1, "x")  # type: ignore[arg-type]

    def test_an_as_of_that_is_not_a_date_is_named(self) -> None:
        with pytest.raises(InvalidInput, match=r"^as_of must be a datetime\.date"):
            repayment_schedule([], [], "2025-01-01")  # type: ignore[arg-type]

    @pytest.mark.parametrize("field", ["drawdowns", "repayments"])
    def test_a_lone_string_for_a_collection_is_named(self, field: str) -> None:
        args: dict[str, object] = {"drawdowns": [], "repayments": [], field: "x"}
        with pytest.raises(InvalidInput, match=f"^{field} must be a tuple or list"):
            repayment_schedule(as_of=JAN_1, **args)  # type: ignore[arg-type]

    def test_a_drawdown_in_another_currency_names_it_and_the_edition(self) -> None:
        with pytest.raises(CurrencyMismatch) as refused:
            repayment_schedule([Drawdown("PO-7", JAN_1, aud(1))], [], JAN_1)
        assert _message(refused) == "drawdown 'PO-7' is AUD 1.00, but the default policy is in USD"

    def test_a_repayment_in_another_currency_names_it_and_the_edition(self) -> None:
        with pytest.raises(CurrencyMismatch) as refused:
            repayment_schedule(
                [Drawdown("PO-7", JAN_1, usd(1))], [Repayment("PO-7", JAN_1, aud(1))], JAN_1
            )
        assert _message(refused) == (
            "a repayment of 'PO-7' is AUD 1.00, but the default policy is in USD"
        )

    def test_a_drawdown_on_the_schedule_date_is_accepted_and_costs_nothing(self) -> None:
        schedule = repayment_schedule([Drawdown("PO-7", JAN_1, usd(1_000))], [], as_of=JAN_1)
        (row,) = schedule.rows
        assert (row.outstanding, row.interest) == (usd(1_000), usd(0))
