"""Money: exact Decimal amounts in one ISO 4217 currency."""

from __future__ import annotations

import json
import pickle
from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradeassure.errors import CurrencyMismatch, InvalidInput, InvalidJSON
from tradeassure.money import MAX_AMOUNT, Money, minor_unit
from tradeassure.serialization import from_json, to_json
from tradeassure.testing import money

signed = money(currency="USD", min_amount=-(10**12), max_amount=10**12, whole_minor_units=False)

#: The smallest step an amount can take (MAX_DECIMAL_PLACES places), and the bound plus
#: it, written out: ``MAX_AMOUNT + STEP`` would round in a 28-digit context.
STEP = Decimal("1E-30")
JUST_BEYOND = "1000000000000000." + "0" * 29 + "1"
JUST_WITHIN = "999999999999999." + "9" * 30


def usd(amount: Decimal | int | str) -> Money:
    return Money(amount, "USD")


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

    @pytest.mark.parametrize("code", [["USD"], 840, None, b"USD"])
    def test_a_minor_unit_is_asked_of_a_code_string_only(self, code: object) -> None:
        with pytest.raises(InvalidInput, match="a currency code must be a string, such as 'USD'"):
            minor_unit(code)  # type: ignore[arg-type]

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

    @pytest.mark.parametrize(
        ("text", "held"),
        [
            ("12.50", "12.50"),
            ("+12.50", "12.50"),
            ("-0", "0.00"),
            ("12.", "12.00"),
            (".5", "0.50"),
            ("1E+3", "1000.00"),
            ("25e-2", "0.25"),
            ("007", "7.00"),
            ("0.1250", "0.125"),
        ],
    )
    def test_decimal_text_is_ascii_digits_with_an_optional_sign_point_and_exponent(
        self, text: str, held: str
    ) -> None:
        # Read by the one rule, then held the one way the amount is written.
        assert usd(text).amount == Decimal(text)
        assert usd(text).amount.as_tuple() == Decimal(held).as_tuple()

    @pytest.mark.parametrize(
        "text",
        [
            "1_000",  # Decimal() takes underscores
            "\u0661\u0662",  # and Arabic-Indic digits,
            "\uff11",  # fullwidth ones,
            " 1",  # white space,
            "1\n",
            "NaN",  # NaN and infinities
            "Infinity",
            "",
            "1,000",
            "1.2.3",
            "1e",
            "--1",
            ".",
            "0x10",
        ],
    )
    def test_any_other_text_is_refused_as_the_json_reader_refuses_it(self, text: str) -> None:
        with pytest.raises(InvalidInput, match="not a decimal number: expected a finite amount"):
            usd(text)
        with pytest.raises(InvalidJSON, match="expected a decimal string"):
            from_json(json.dumps({"amount": text, "currency": "USD"}), Money)

    @given(
        st.text(alphabet="0123456789+-.eE_ \u0661\uff11N", max_size=12)
        | st.from_regex(r"[+-]?[0-9]{0,20}(\.[0-9]{0,35})?([eE][+-]?[0-9]{1,7})?", fullmatch=True)
    )
    def test_money_takes_exactly_the_text_the_json_reader_takes(self, text: str) -> None:
        document = json.dumps({"amount": text, "currency": "USD"})
        try:
            direct = usd(text)
        except InvalidInput:
            with pytest.raises(InvalidJSON):
                from_json(document, Money)
            return
        read = from_json(document, Money)
        assert read.amount.as_tuple() == direct.amount.as_tuple()
        assert read.amount == Decimal(text)

    @pytest.mark.parametrize(
        ("amount", "refusal"),
        [
            ("9" * 10**6, "not a decimal number"),  # a million digits: refused unread
            ("0." + "0" * 100 + "1", "not a decimal number"),  # longer than 100 characters
            ("1e999999", "magnitude"),
            ("-1e999999", "magnitude"),
            ("1e-999999", "decimal places"),
            ("1e99999999999999999999", "not a decimal number"),  # no context's exponent
            (10**100_000, "magnitude"),  # refused before Decimal(), quadratic in the digits
        ],
        ids=[
            "a million digits",
            "101 characters",
            "e999999",
            "-e999999",
            "e-999999",
            "e10**20",
            "10**100000",
        ],
    )
    def test_huge_inputs_are_refused_as_invalid_input(
        self, amount: str | int, refusal: str
    ) -> None:
        with pytest.raises(InvalidInput, match=refusal):
            usd(amount)

    def test_magnitude_boundary(self) -> None:
        assert Money(MAX_AMOUNT, "USD").amount == MAX_AMOUNT
        assert Money(-MAX_AMOUNT, "USD").amount == -MAX_AMOUNT
        with pytest.raises(InvalidInput, match="magnitude"):
            Money(MAX_AMOUNT + Decimal("0.01"), "USD")

    @pytest.mark.parametrize("sign", ["", "-"])
    def test_the_bound_itself_is_an_amount_in_every_form(self, sign: str) -> None:
        bound = Decimal(sign + "1000000000000000")
        for amount in (bound, int(bound), str(bound), sign + "1E+15"):
            assert usd(amount).amount == bound

    @pytest.mark.parametrize("sign", ["", "-"])
    def test_the_smallest_step_beyond_the_bound_is_refused_in_every_form(self, sign: str) -> None:
        for amount in (
            Decimal(sign + JUST_BEYOND),
            sign + JUST_BEYOND,
            int(sign + "1" + "0" * 15) + int(sign + "1"),
        ):
            with pytest.raises(InvalidInput, match=r"beyond the supported magnitude 10\*\*15"):
                usd(amount)

    def test_sums_and_products_may_reach_the_bound_but_not_pass_it(self) -> None:
        top, bottom, step = usd(MAX_AMOUNT), usd(-MAX_AMOUNT), usd(STEP)
        assert usd(JUST_WITHIN) + step == top
        assert usd("-" + JUST_WITHIN) - step == bottom
        assert (top + usd(0), top - usd(0), usd(10**14) * 10) == (top, top, top)
        assert (bottom + usd(0), bottom - usd(0), usd(-(10**14)) * 10) == (bottom, bottom, bottom)
        for beyond in (
            lambda: top + step,
            lambda: top - -step,
            lambda: bottom - step,
            lambda: bottom + -step,
            lambda: usd(10**14) * 11,
            lambda: usd(-(10**14)) * 11,
        ):
            with pytest.raises(InvalidInput, match="magnitude"):
                beyond()

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

    @pytest.mark.parametrize(
        ("factor", "refusal"),
        [
            (Decimal("NaN"), "finite factor"),
            (Decimal("sNaN"), "finite factor"),
            (Decimal("-Infinity"), "finite factor"),
            (Decimal("1e999999"), "magnitude"),
            (Decimal("0." + "3" * 59), "exactly in 60 digits"),
        ],
    )
    def test_a_factor_giving_no_exact_amount_is_invalid_input(
        self, factor: Decimal, refusal: str
    ) -> None:
        with pytest.raises(InvalidInput, match=refusal):
            usd("123.45") * factor


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


class TestComparison:
    def test_a_smaller_amount_is_less_and_never_greater(self) -> None:
        low, high = usd("12.49"), usd("12.50")
        assert (low < high, low <= high, low > high, low >= high) == (True, True, False, False)
        assert (high < low, high <= low, high > low, high >= low) == (False, False, True, True)

    def test_equal_amounts_of_any_scale_are_neither_less_nor_greater(self) -> None:
        a, b = usd("12.5"), usd("12.500")
        assert (a < b, a <= b, a > b, a >= b) == (False, True, False, True)
        assert (b < a, b <= a, b > a, b >= a) == (False, True, False, True)

    def test_amounts_compare_exactly_to_the_last_of_their_digits(self) -> None:
        top, below = usd(MAX_AMOUNT), usd(JUST_WITHIN)
        assert (below < top, below <= top, below > top, below >= top) == (True, True, False, False)
        assert usd(-MAX_AMOUNT) < usd("-" + JUST_WITHIN)
        assert usd(STEP) > usd(0) > usd(-STEP)

    @pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
    def test_amounts_in_two_currencies_are_not_compared(self, op: str) -> None:
        compare = {
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
        }[op]
        with pytest.raises(CurrencyMismatch, match=r"USD 1\.00 with EUR 1\.00: amounts must share"):
            compare(usd(1), Money(1, "EUR"))

    @pytest.mark.parametrize("other", [1, Decimal(1), "1"])
    def test_money_is_not_ordered_against_a_bare_number(self, other: object) -> None:
        with pytest.raises(TypeError):
            usd(1) < other  # type: ignore[operator]  # noqa: B015


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

    @pytest.mark.parametrize("rounding", ["bogus", "round_down", None, ["ROUND_DOWN"]])
    def test_a_rounding_is_one_of_decimals_modes(self, rounding: object) -> None:
        with pytest.raises(InvalidInput, match="rounding must be one of decimal's rounding modes"):
            usd("1.005").rounded(rounding)  # type: ignore[arg-type]


class TestText:
    def test_str_groups_thousands_and_shows_the_minor_unit(self) -> None:
        assert str(Money("1234.5", "USD")) == "USD 1,234.50"
        assert str(Money(1234, "JPY")) == "JPY 1,234"
        assert str(Money("0.125", "USD")) == "USD 0.125"
        assert f"{Money(5, 'EUR')}" == "EUR 5.00"

    def test_str_is_fixed_point_however_small_or_exponent_written(self) -> None:
        assert str(usd("0.0000001")) == "USD 0.0000001"
        assert str(usd("1E+3")) == "USD 1,000.00"
        assert str(Money("-1E+3", "JPY")) == "JPY -1,000"

    def test_negating_zero_gives_zero(self) -> None:
        assert repr(-usd("0.00")) == "Money('0.00', 'USD')"
        assert repr(-usd("-5")) == "Money('5.00', 'USD')"

    def test_repr_round_trips(self) -> None:
        m = Money("1234.50", "USD")
        assert repr(m) == "Money('1234.50', 'USD')"
        assert eval(repr(m)) == m

    @given(signed)
    def test_pickling_keeps_the_exact_digits(self, a: Money) -> None:
        back = pickle.loads(pickle.dumps(a))
        assert back == a
        assert str(back.amount) == str(a.amount)


def _places(text: str) -> int:
    """Digits after the point in a written amount (none without a point)."""
    return len(text.partition(".")[2])


# Amounts drawn as anything Money takes: an int, a Decimal at some scale, its text.
any_money = st.builds(
    lambda code, units, places, trailing, form: Money(
        form(Decimal(units).scaleb(-places).quantize(Decimal(1).scaleb(-places - trailing))),
        code,
    ),
    st.sampled_from(("USD", "EUR", "JPY", "BHD", "CNY", "KWD", "CLF")),
    st.integers(-(10**12), 10**12),
    st.integers(0, 6),
    st.integers(0, 4),
    st.sampled_from((lambda d: d, str, lambda d: f"{d:E}")),
)


class TestOneWrittenForm:
    """An amount has one way to be written, at its currency's minor unit (or the places
    a finer amount needs), in JSON, rows and text alike."""

    @given(any_money)
    def test_the_written_amount_has_the_currency_places_or_just_those_a_finer_one_needs(
        self, a: Money
    ) -> None:
        text = json.loads(to_json(a))["amount"]
        places = minor_unit(a.currency)
        if a.is_whole_minor_units():
            assert _places(text) == places
        else:
            assert _places(text) > places
            assert not text.endswith("0")
        assert "E" not in text.upper()
        assert not text.startswith("-0") or Decimal(text) != 0
        # Reading it back gives an equal Money, written the same way.
        back = from_json(to_json(a), Money)
        assert back == a
        assert to_json(back) == to_json(a)
        assert str(back) == str(a)

    @given(any_money)
    def test_equal_amounts_written_in_other_digits_are_held_alike(self, a: Money) -> None:
        for other in (a.amount, a.amount.scaleb(-3).scaleb(3), a.amount + Decimal("0E-12")):
            same = Money(other, a.currency)
            assert same == a
            assert hash(same) == hash(a)
            assert same.amount.as_tuple() == a.amount.as_tuple()

    @given(any_money, any_money, st.integers(-50, 50))
    def test_arithmetic_gives_amounts_in_the_written_form(
        self, a: Money, b: Money, factor: int
    ) -> None:
        b = Money(b.amount, a.currency)
        results = [a + b, a - b, -a, a * factor, a * Decimal("0.50"), a.rounded()]
        for result in results:
            assert result.amount.as_tuple() == Money(result.amount, a.currency).amount.as_tuple()

    @pytest.mark.parametrize(
        ("amount", "currency", "written"),
        [
            (10_000, "USD", "10000.00"),
            ("10000.00", "USD", "10000.00"),
            ("10000.000", "USD", "10000.00"),
            (10_000, "JPY", "10000"),
            ("10000.0", "JPY", "10000"),
            ("1.5", "BHD", "1.500"),
            ("0.125", "USD", "0.125"),
            ("0.1250", "USD", "0.125"),
            ("-0.00", "USD", "0.00"),
        ],
    )
    def test_examples_either_side_of_the_minor_unit(
        self, amount: str | int, currency: str, written: str
    ) -> None:
        assert json.loads(to_json(Money(amount, currency)))["amount"] == written

    def test_the_policy_figures_are_written_at_their_currency_scale(self) -> None:
        # Built without the ISO table (money._figure), so their literals must be right.
        import attrs

        from tradeassure.credit import FINANCING_EDITIONS
        from tradeassure.escrow import ESCROW_EDITIONS
        from tradeassure.verification.policy import DEFAULT_IDENTITY

        policies = [*FINANCING_EDITIONS.values(), *ESCROW_EDITIONS.values(), DEFAULT_IDENTITY]
        figures = [
            figure
            for policy in policies
            for field in attrs.fields(type(policy))
            if isinstance(figure := getattr(policy, field.name), Money)
        ]
        assert len(figures) >= 6
        for figure in figures:
            held = Money(figure.amount, figure.currency).amount
            assert figure.amount.as_tuple() == held.as_tuple(), figure
