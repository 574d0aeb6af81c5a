"""Details of Money a mutation run found untested: the edges of what it reads, and the
figures its refusals name (each test fails on a mutant of ``tradeassure.money``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tradeassure.errors import CurrencyMismatch, InvalidInput
from tradeassure.money import Money, minor_unit
from tradeassure.policy import LAUNCH_2014_ESCROW


class TestTheTextMoneyReads:
    def test_up_to_a_hundred_characters_are_read_and_one_more_is_refused(self) -> None:
        hundred = "0" * 95 + "12.50"
        assert len(hundred) == 100
        assert Money(hundred, "USD") == Money("12.50", "USD")
        with pytest.raises(InvalidInput, match=r"\(101 characters\)"):
            Money("0" + hundred, "USD")

    def test_a_refusal_quotes_up_to_forty_characters_and_cuts_a_longer_text(self) -> None:
        forty = "x" * 40
        with pytest.raises(InvalidInput) as whole:
            Money(forty, "USD")
        assert f"Money amount {forty!r} is not" in str(whole.value)
        with pytest.raises(InvalidInput) as cut:
            Money("y" * 41, "USD")
        assert f"Money amount {'y' * 37!r}... (41 characters) is not" in str(cut.value)


class TestWholeNumbers:
    @pytest.mark.parametrize("edge", [10**15, -(10**15)])
    def test_an_int_at_the_bound_is_money(self, edge: int) -> None:
        assert Money(edge, "USD").amount == Decimal(edge)

    @pytest.mark.parametrize("beyond", [10**15 + 1, -(10**15) - 1])
    def test_an_int_beyond_the_bound_is_refused(self, beyond: int) -> None:
        with pytest.raises(InvalidInput, match=str(beyond)):
            Money(beyond, "USD")

    def test_a_huge_int_is_named_by_its_size(self) -> None:
        with pytest.raises(InvalidInput) as shown:
            Money(2**999, "USD")  # 1,000 bits: written out
        assert str(2**999) in str(shown.value)
        with pytest.raises(InvalidInput, match="of 1001 bits"):
            Money(2**1000, "USD")


class TestRefusalsNameWhatTheyWereGiven:
    def test_the_kind_of_a_wrong_amount(self) -> None:
        with pytest.raises(TypeError, match=r"not list$"):
            Money([1], "USD")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"or a decimal string such as '12\.50'"):
            Money(1.5, "USD")  # type: ignore[arg-type]

    def test_the_kind_of_a_wrong_currency(self) -> None:
        with pytest.raises(TypeError, match=r"not int$"):
            Money(1, 840)  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match="not list"):
            minor_unit(["USD"])  # type: ignore[arg-type]

    @pytest.mark.parametrize("combine", [Money.__add__, Money.__sub__])
    def test_a_mismatch_names_both_amounts(self, combine: object) -> None:
        with pytest.raises(CurrencyMismatch) as info:
            combine(Money(1, "USD"), Money(2, "EUR"))  # type: ignore[operator]
        assert "USD 1.00" in str(info.value)
        assert "EUR 2.00" in str(info.value)

    @pytest.mark.parametrize("factor", ["2", True, None])
    def test_only_a_decimal_or_an_int_multiplies(self, factor: object) -> None:
        with pytest.raises(TypeError):
            Money(1, "USD") * factor  # type: ignore[operator]

    def test_a_wrong_rounding_lists_the_modes(self) -> None:
        with pytest.raises(InvalidInput, match="ROUND_HALF_UP, ROUND_DOWN, ROUND_UP, "):
            Money("1.005", "USD").rounded("bogus")


class TestFormatting:
    def test_a_format_spec_applies_to_the_text(self) -> None:
        price = Money("1.5", "USD")
        assert f"{price:>12}" == "    USD 1.50"
        assert f"{price:*<10}" == "USD 1.50**"
        assert f"{price}" == "USD 1.50"
        assert format(price, "") == "USD 1.50"


class TestPolicyFigures:
    def test_a_figure_built_at_import_is_the_money_it_says(self) -> None:
        minimum = LAUNCH_2014_ESCROW.min_protected_order
        assert minimum == Money(1000, "USD")
        assert minimum is not None
        assert (minimum.amount, minimum.currency) == (Decimal(1000), "USD")
