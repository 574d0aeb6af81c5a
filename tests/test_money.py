"""Money: exact Decimal amounts in one ISO 4217 currency."""

from __future__ import annotations

import pickle
from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradeassure.errors import CurrencyMismatch, InvalidInput
from tradeassure.money import MAX_AMOUNT, Money, minor_unit
from tradeassure.testing import money

signed = money(currency="USD", min_amount=-(10**12), max_amount=10**12, whole_minor_units=False)


class TestConstruction:
    def test_amount_accepts_decimal_int_and_decimal_string(self) -> None:
        assert Money(Decimal("12.50"), "USD") == Money(12, "USD") + Money("0.5", "USD")
        assert Money("12.50", "USD").amount == Decimal("12.50")
        assert Money(7, "USD").amount == Decimal(7)

    def test_currency_is_upper_cased(self) -> None:
        assert Money(1, " usd ").currency == "USD"

    @pytest.mark.parametrize("code", ["XYZ", "US", "", "DOLLAR"])
    def test_unknown_currency_codes_are_refused(self, code: str) -> None:
        with pytest.raises(InvalidInput, match="currency"):
            Money(1, code)

    def test_codes_without_minor_unit_are_refused(self) -> None:
        with pytest.raises(InvalidInput, match="no minor unit"):
            Money(1, "XAU")

    def test_minor_units_come_from_the_iso_table(self) -> None:
        assert (minor_unit("USD"), minor_unit("JPY"), minor_unit("BHD")) == (2, 0, 3)

    def test_bool_and_other_types_are_refused(self) -> None:
        with pytest.raises(TypeError):
            Money(True, "USD")
        with pytest.raises(TypeError):
            Money([1], "USD")
        with pytest.raises(TypeError):
            Money(1, 840)

    def test_text_that_is_not_a_number_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="not a decimal number"):
            Money("twelve", "USD")

    def test_magnitude_boundary(self) -> None:
        assert Money(MAX_AMOUNT, "USD").amount == MAX_AMOUNT
        assert Money(-MAX_AMOUNT, "USD").amount == -MAX_AMOUNT
        with pytest.raises(InvalidInput, match="magnitude"):
            Money(MAX_AMOUNT + Decimal("0.01"), "USD")

    def test_sums_beyond_the_magnitude_are_refused(self) -> None:
        top = Money(MAX_AMOUNT, "USD")
        with pytest.raises(InvalidInput, match="magnitude"):
            top + Money("0.01", "USD")
        with pytest.raises(InvalidInput, match="magnitude"):
            -top - Money("0.01", "USD")
        with pytest.raises(InvalidInput, match="magnitude"):
            top * 2

    def test_too_many_decimal_places_are_refused(self) -> None:
        assert Money("0." + "0" * 29 + "1", "USD").amount > 0
        with pytest.raises(InvalidInput, match="decimal places"):
            Money("0." + "0" * 30 + "1", "USD")


class TestRefusedInputs:
    @given(st.floats(allow_nan=True, allow_infinity=True))
    def test_every_float_is_a_type_error(self, value: float) -> None:
        with pytest.raises(TypeError, match="float"):
            Money(value, "USD")

    @pytest.mark.parametrize("text", ["NaN", "sNaN", "Infinity", "-Infinity", "inf"])
    def test_nan_and_infinities_are_invalid(self, text: str) -> None:
        with pytest.raises(InvalidInput, match="finite"):
            Money(text, "USD")
        with pytest.raises(InvalidInput, match="finite"):
            Money(Decimal(text), "USD")

    @given(
        st.decimals(
            min_value=MAX_AMOUNT + Decimal("0.001"), allow_nan=False, allow_infinity=False, places=3
        )
        | st.integers(min_value=10**15 + 1)
    )
    def test_every_huge_amount_is_invalid(self, value: Decimal | int) -> None:
        for signed_value in (value, -value):
            with pytest.raises(InvalidInput, match="magnitude"):
                Money(signed_value, "USD")

    @given(money(currency="USD"), money(currency="EUR"))
    def test_currencies_never_mix(self, a: Money, b: Money) -> None:
        for op in (
            lambda: a + b,
            lambda: a - b,
            lambda: a < b,
            lambda: a <= b,
            lambda: a > b,
            lambda: a >= b,
        ):
            with pytest.raises(CurrencyMismatch):
                op()

    def test_multiplying_by_a_float_is_refused(self) -> None:
        with pytest.raises(TypeError, match="float"):
            Money(1, "USD") * 0.5  # type: ignore[operator]


class TestArithmetic:
    @given(signed, signed, signed)
    def test_addition_is_associative(self, a: Money, b: Money, c: Money) -> None:
        assert (a + b) + c == a + (b + c)

    @given(signed, signed)
    def test_addition_is_commutative(self, a: Money, b: Money) -> None:
        assert a + b == b + a

    @given(signed, signed)
    def test_subtracting_then_adding_back_is_identity(self, a: Money, b: Money) -> None:
        assert a - b + b == a

    @given(signed)
    def test_zero_is_neutral(self, a: Money) -> None:
        assert a + Money.zero("USD") == a
        assert (a - a).is_zero

    @given(signed, st.integers(-1000, 1000))
    def test_integer_multiplication_is_repeated_addition(self, a: Money, k: int) -> None:
        total = Money.zero("USD")
        for _ in range(abs(k)):
            total = total + a
        assert a * k == (total if k >= 0 else -total)
        assert k * a == a * k

    def test_comparisons_within_a_currency(self) -> None:
        one, two = Money(1, "USD"), Money(2, "USD")
        assert one < two <= two
        assert two > one >= one
        assert Money("1.0", "USD") == Money(1, "USD")


class TestRounding:
    @given(money(whole_minor_units=False))
    def test_rounding_is_idempotent(self, a: Money) -> None:
        assert a.rounded().rounded() == a.rounded()
        assert a.rounded().is_whole_minor_units()

    @given(money(whole_minor_units=False))
    def test_rounding_moves_by_at_most_half_a_minor_unit(self, a: Money) -> None:
        half = Decimal(1).scaleb(-minor_unit(a.currency)) / 2
        assert abs(a.rounded().amount - a.amount) <= half

    @pytest.mark.parametrize(
        ("amount", "currency", "expected"),
        [
            ("0.005", "USD", "0.01"),
            ("0.0049", "USD", "0.00"),
            ("-0.005", "USD", "-0.01"),
            ("2.5", "JPY", "3"),
            ("1.0005", "BHD", "1.001"),
        ],
    )
    def test_rounding_is_half_up_to_the_minor_unit(
        self, amount: str, currency: str, expected: str
    ) -> None:
        assert Money(amount, currency).rounded().amount == Decimal(expected)

    def test_rounding_down_for_caps(self) -> None:
        assert Money("99999.999", "USD").rounded(ROUND_DOWN) == Money("99999.99", "USD")


class TestText:
    def test_str_groups_thousands_and_shows_the_minor_unit(self) -> None:
        assert str(Money("1234.5", "USD")) == "USD 1,234.50"
        assert str(Money(1234, "JPY")) == "JPY 1,234"
        assert str(Money("0.125", "USD")) == "USD 0.125"
        assert f"{Money(5, 'EUR')}" == "EUR 5.00"

    def test_repr_round_trips(self) -> None:
        m = Money("1234.50", "USD")
        assert repr(m) == "Money('1234.50', 'USD')"
        assert eval(repr(m)) == m

    @given(signed)
    def test_pickling_keeps_the_exact_digits(self, a: Money) -> None:
        back = pickle.loads(pickle.dumps(a))
        assert back == a
        assert str(back.amount) == str(a.amount)
