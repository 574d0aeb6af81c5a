"""Details of the verification rules the broader tests leave open: the verb pairs of every
module, the names refused input is reported under, the figures in reasons, the edges of
windows and the normal forms the password check matches in (ID-*, TA-SUPPLIER,
SEC-PASSWORD)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from tradeassure.errors import InvalidInput, PolicyError, RuleViolation
from tradeassure.money import Money
from tradeassure.verification import (
    DEFAULT_IDENTITY,
    REGISTRATION_COUNTRIES,
    BuyerProfile,
    Decision,
    IdentityPolicy,
    Inquiry,
    Membership,
    PasswordCode,
    Storefront,
    SupplierRecord,
    Transaction,
    fields_to_verify,
    max_order_for,
    may_have_subaccounts,
    may_place_order,
    membership,
    password_problems,
    passwords,
    protection_eligible,
    registration,
    standing,
    storefront,
    verified_until,
)
from tradeassure.verification.standing import response_hours

AS_OF = date(2025, 6, 30)
BORN = date(1990, 7, 4)
PHONE = "+86 138-0013-8000"
# Arabic-Indic digits: decimal digits that are not ASCII.
ARABIC = str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")


def _usd(amount: int | str) -> Money:
    return Money(amount, "USD")


def _codes(password: str, **personal: object) -> set[PasswordCode]:
    return {p.code for p in password_problems(password, **personal)}  # type: ignore[arg-type]


def _gold(
    days: tuple[int, ...] = (1, 2, 3), answered: tuple[timedelta | None, ...] = ()
) -> SupplierRecord:
    """A Gold Supplier with transactions on the given days of June 2025 and inquiries on
    1 June 2025."""
    return SupplierRecord(
        Membership.GOLD_SUPPLIER,
        transactions=[Transaction(date(2025, 6, d), _usd(1000)) for d in days],
        inquiries=[Inquiry(date(2025, 6, 1), t) for t in answered],
        protection_limit=_usd(20_000),
    )


# -- refused input names the argument -----------------------------------------------------

_RECORD = SupplierRecord(Membership.GOLD_SUPPLIER)

_WRONG_ARGUMENTS: list[tuple[str, Callable[[], object], str]] = [
    ("fields_to_verify profile", lambda: fields_to_verify("p", AS_OF), "profile must be a "),  # type: ignore[arg-type]
    (
        "fields_to_verify policy",
        lambda: fields_to_verify(BuyerProfile(), AS_OF, "x"),  # type: ignore[arg-type]
        "policy must be an IdentityPolicy",
    ),
    ("verified_until profile", lambda: verified_until("p"), "profile must be a "),  # type: ignore[arg-type]
    (
        "verified_until policy",
        lambda: verified_until(BuyerProfile(), "x"),  # type: ignore[arg-type]
        "policy must be an IdentityPolicy",
    ),
    ("max_order_for profile", lambda: max_order_for("p"), "profile must be a "),  # type: ignore[arg-type]
    (
        "max_order_for policy",
        lambda: max_order_for(BuyerProfile(), "x"),  # type: ignore[arg-type]
        "policy must be an IdentityPolicy",
    ),
    (
        "may_have_subaccounts membership",
        lambda: may_have_subaccounts("paid_member"),  # type: ignore[arg-type]
        "membership must be a Membership",
    ),
    (
        "standing.check supplier",
        lambda: standing.check("s", AS_OF),  # type: ignore[arg-type]
        "supplier must be a SupplierRecord",
    ),
    (
        "standing.check policy",
        lambda: standing.check(_RECORD, AS_OF, "x"),  # type: ignore[arg-type]
        "policy must be an IdentityPolicy",
    ),
    (
        "standing.check as_of",
        lambda: standing.check(_RECORD, datetime(2025, 6, 30)),
        "as_of must be a datetime.date",
    ),
    (
        "storefront record",
        lambda: storefront("r", AS_OF),  # type: ignore[arg-type]
        "record must be a SupplierRecord",
    ),
    (
        "storefront policy",
        lambda: storefront(_RECORD, AS_OF, "x"),  # type: ignore[arg-type]
        "policy must be an IdentityPolicy",
    ),
    (
        "storefront as_of",
        lambda: storefront(_RECORD, datetime(2025, 6, 30)),
        "as_of must be a datetime.date",
    ),
    (
        "SupplierRecord currency",
        lambda: SupplierRecord(Membership.GOLD_SUPPLIER, currency=840),
        "currency must be a str",
    ),
    (
        "SupplierRecord transactions",
        lambda: SupplierRecord(Membership.GOLD_SUPPLIER, transactions=[1]),  # type: ignore[list-item]
        "transactions must hold Transaction values only",
    ),
    (
        "SupplierRecord inquiries",
        lambda: SupplierRecord(Membership.GOLD_SUPPLIER, inquiries=[1]),  # type: ignore[list-item]
        "inquiries must hold Inquiry values only",
    ),
    (
        "Decision reasons",
        lambda: Decision(False, "TA-SUPPLIER", [1]),  # type: ignore[list-item]
        "reasons must hold str values only",
    ),
    ("password", lambda: password_problems(12345678), "password must be a str"),  # type: ignore[arg-type]
    ("name", lambda: password_problems("beatlesfan28", name=" "), "name must be "),
    ("email", lambda: password_problems("beatlesfan28", email=" "), "email must be "),
    ("phone", lambda: password_problems("beatlesfan28", phone=" "), "phone must be "),
    (
        "registration number",
        lambda: registration.check(91110000, "CN"),  # type: ignore[arg-type]
        "number must be a str",
    ),
    (
        "registration country",
        lambda: registration.check("91110000600037341L", 156),  # type: ignore[arg-type]
        "country must be a str",
    ),
]


class TestRefusedInputNamesTheArgument:
    @pytest.mark.parametrize(
        ("call", "prefix"),
        [(call, prefix) for _, call, prefix in _WRONG_ARGUMENTS],
        ids=[what for what, _, _ in _WRONG_ARGUMENTS],
    )
    def test_a_malformed_argument_is_refused_under_its_own_name(
        self, call: Callable[[], object], prefix: str
    ) -> None:
        with pytest.raises(InvalidInput) as raised:
            call()
        assert str(raised.value).startswith(prefix)


# -- decisions -----------------------------------------------------------------------------


class TestDecision:
    def test_enforcing_a_refusal_raises_its_rule_with_every_reason_in_order(self) -> None:
        decision = Decision(False, "TA-SUPPLIER", ("First reason.", "Second reason."))
        with pytest.raises(RuleViolation) as raised:
            decision.enforce()
        assert raised.value.rule == "TA-SUPPLIER"
        assert raised.value.message == "First reason. Second reason."

    def test_enforcing_a_refusal_without_reasons_still_raises_its_rule(self) -> None:
        with pytest.raises(RuleViolation) as raised:
            Decision(False, "TA-SUPPLIER").enforce()
        assert raised.value.rule == "TA-SUPPLIER"
        assert raised.value.message

    def test_an_allowed_order_carries_the_total_and_the_bound_as_its_reason(self) -> None:
        decision = may_place_order(BuyerProfile(), _usd(800))
        assert decision.allowed
        (reason,) = decision.reasons
        assert str(_usd(800)) in reason
        assert str(_usd(1000)) in reason


# -- membership: the verb pair -------------------------------------------------------------


class TestMembershipVerbPair:
    small = IdentityPolicy(personal_name_max_order=_usd(250))

    def test_check_answers_nothing_for_an_order_within_the_policy_bound(self) -> None:
        assert membership.check(BuyerProfile(), _usd(250), self.small) == ()
        assert membership.check(BuyerProfile(business_name="Acme"), _usd(10**6)) == ()

    def test_check_answers_one_violation_naming_the_bound_and_the_order(self) -> None:
        (violation,) = membership.check(BuyerProfile(), _usd(500), self.small)
        assert violation.rule == "ID-BUSINESS-NAME"
        assert str(_usd(250)) in violation.message
        assert str(_usd(500)) in violation.message

    def test_apply_returns_the_order_total_within_the_policy_bound(self) -> None:
        assert membership.apply(BuyerProfile(), _usd(250), self.small) == _usd(250)

    def test_apply_raises_the_violation_under_the_policy_it_is_given(self) -> None:
        # Within the default bound of 1,000: only the smaller bound passed refuses it.
        with pytest.raises(RuleViolation) as raised:
            membership.apply(BuyerProfile(), _usd(500), self.small)
        assert raised.value.rule == "ID-BUSINESS-NAME"
        assert str(_usd(250)) in raised.value.message


# -- supplier standing -------------------------------------------------------------------


class TestProtectionReasons:
    def test_a_refusal_names_the_review_window_by_its_dates(self) -> None:
        (violation,) = standing.check(_gold(days=(1, 2)), AS_OF)
        assert violation.rule == "TA-SUPPLIER"
        assert "2024-12-31 to 2025-06-30" in violation.message
        assert "completed 2 transaction(s)" in violation.message

    @pytest.mark.parametrize(
        ("member", "shown"),
        [(Membership.PAID_MEMBER, "paid member"), (Membership.FREE_MEMBER, "free member")],
    )
    def test_a_refusal_names_the_membership_in_words(self, member: Membership, shown: str) -> None:
        record = attrs.evolve(_gold(), membership=member)
        (violation,) = standing.check(record, AS_OF)
        assert f"is a {shown}." in violation.message

    def test_an_admission_names_the_window_the_count_and_the_median(self) -> None:
        decision = protection_eligible(_gold(answered=(timedelta(hours=5),)), AS_OF)
        assert decision.allowed
        (reason,) = decision.reasons
        assert "2024-12-31 to 2025-06-30" in reason
        assert "3 transactions" in reason
        assert "1 of 1 inquiries answered, median response 5 hours" in reason

    def test_an_admission_without_inquiries_names_no_median(self) -> None:
        (reason,) = protection_eligible(_gold(), AS_OF).reasons
        assert "0 of 0 inquiries answered" in reason
        assert "median" not in reason

    def test_a_response_time_is_shown_rounded_half_up_to_a_tenth_of_an_hour(self) -> None:
        assert response_hours(timedelta(minutes=63)) == "1.1 hours"
        assert response_hours(timedelta(minutes=57)) == "1 hours"
        assert response_hours(timedelta(hours=30)) == "30 hours"


class TestStandingVerbPair:
    lenient = attrs.evolve(DEFAULT_IDENTITY, max_median_response=timedelta(hours=48))
    slow = _gold(answered=(timedelta(hours=30),))

    def test_apply_returns_the_record_admitted_under_the_policy_it_is_given(self) -> None:
        assert standing.apply(self.slow, AS_OF, self.lenient) is self.slow

    def test_apply_raises_the_only_failed_criterion(self) -> None:
        with pytest.raises(RuleViolation) as raised:
            standing.apply(self.slow, AS_OF)
        assert raised.value.rule == "TA-SUPPLIER"
        assert "30 hours" in raised.value.message

    def test_apply_raises_the_first_of_several_failed_criteria(self) -> None:
        record = attrs.evolve(_gold(days=(1,)), membership=Membership.FREE_MEMBER)
        assert len(standing.check(record, AS_OF)) == 2
        with pytest.raises(RuleViolation) as raised:
            standing.apply(record, AS_OF)
        assert "free member" in raised.value.message


class TestStorefrontWindowEdges:
    def test_inquiries_on_the_first_and_last_day_of_the_window_are_counted(self) -> None:
        start = date(2024, 7, 1)
        days = [start - timedelta(days=1), start, AS_OF, AS_OF + timedelta(days=1)]
        record = SupplierRecord(
            Membership.GOLD_SUPPLIER, inquiries=[Inquiry(d, timedelta(hours=1)) for d in days]
        )
        front = storefront(record, AS_OF)
        assert front.window_start == start
        assert (front.inquiries_received, front.inquiries_answered) == (2, 2)

    def test_review_inquiries_on_the_first_and_last_day_of_the_window_count(self) -> None:
        # Two of the three inquiries unanswered: refused on the response rate only if the
        # inquiries on the window's edges are counted.
        first = date(2024, 12, 31)
        record = attrs.evolve(
            _gold(), inquiries=[Inquiry(first), Inquiry(AS_OF), Inquiry(first, timedelta(hours=1))]
        )
        (violation,) = standing.check(record, AS_OF)
        assert "answered 1 of 3" in violation.message


class TestStorefrontValue:
    def _front(self, window_start: date, received: int = 0, answered: int = 0) -> Storefront:
        return Storefront(
            as_of=AS_OF,
            window_start=window_start,
            protection_badge=False,
            protection_limit=None,
            transaction_count=0,
            transaction_value=_usd(0),
            inquiries_received=received,
            inquiries_answered=answered,
            median_response_time=None,
        )

    def test_a_window_of_one_day_starts_on_as_of(self) -> None:
        assert self._front(AS_OF).window_start == AS_OF

    def test_a_window_starting_after_as_of_is_refused_naming_both_days(self) -> None:
        with pytest.raises(InvalidInput) as raised:
            self._front(AS_OF + timedelta(days=1))
        assert "2025-07-01" in str(raised.value)
        assert "2025-06-30" in str(raised.value)

    def test_more_answered_than_received_is_refused_naming_both_fields(self) -> None:
        with pytest.raises(InvalidInput) as raised:
            self._front(date(2024, 7, 1), received=1, answered=2)
        assert "inquiries_answered" in str(raised.value)
        assert "inquiries_received" in str(raised.value)

    def test_the_storefront_rows_show_its_figures(self) -> None:
        front = storefront(_gold(answered=(timedelta(hours=5),)), AS_OF)
        (row,) = front.rows()
        assert row["as_of"] == AS_OF
        assert row["window_start"] == date(2024, 7, 1)
        assert row["protection_badge"] is True
        assert (row["protection_limit"], row["protection_limit_currency"]) == (20_000, "USD")
        assert (row["transaction_count"], row["transaction_value"]) == (3, Decimal(3000))
        assert row["median_response_time"] == timedelta(hours=5)

    def test_the_storefront_html_shows_its_day_and_badge(self) -> None:
        html = storefront(_gold(), AS_OF)._repr_html_()
        assert "2025-06-30" in html
        assert 'class="ta-badge"' in html


# -- registration numbers: the verb pair ---------------------------------------------------


class TestRegistrationVerbPair:
    def test_apply_returns_a_well_formed_number(self) -> None:
        assert registration.apply("91110000600037341L", "CN") == "91110000600037341L"

    def test_apply_raises_the_violation_of_id_verified(self) -> None:
        with pytest.raises(RuleViolation) as raised:
            registration.apply("91110000600037341M", "CN")
        assert raised.value.rule == "ID-VERIFIED"
        assert "'91110000600037341M'" in raised.value.message

    def test_an_unsupported_country_is_refused_listing_every_supported_one(self) -> None:
        with pytest.raises(PolicyError) as raised:
            registration.check("12345678", "HK")
        supported = ", ".join(sorted(REGISTRATION_COUNTRIES))
        assert str(raised.value).endswith(f"supported: {supported}")
        assert "'HK'" in str(raised.value)

    def test_without_python_stdnum_the_check_says_which_extra_to_install(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setitem(sys.modules, "stdnum.exceptions", None)
        with pytest.raises(ImportError) as raised:
            registration.check("91110000600037341L", "CN")
        assert "pip install 'tradeassure[stdnum]'" in str(raised.value)
        assert isinstance(raised.value.__cause__, ImportError)


# -- passwords: the verb pair --------------------------------------------------------------

# A password acceptable on its own, and a personal detail or policy that refuses it.
_REFUSED_BY_DETAIL: list[tuple[str, dict[str, object], PasswordCode]] = [
    ("liwei2024x", {"name": "Li Wei"}, PasswordCode.CONTAINS_NAME),
    ("LiWei88", {"email": "li.wei@example.com"}, PasswordCode.CONTAINS_EMAIL),
    ("fan13800138000", {"phone": PHONE}, PasswordCode.CONTAINS_PHONE),
    ("fan19900704x", {"birth_date": BORN}, PasswordCode.CONTAINS_BIRTH_DATE),
    ("thebestboss", {"policy": IdentityPolicy(password_word_min_length=5)}, PasswordCode.NO_MIX),
]
_DETAIL_IDS = [next(iter(detail)) for _, detail, _ in _REFUSED_BY_DETAIL]


class TestPasswordVerbPair:
    @pytest.mark.parametrize(("password", "detail", "code"), _REFUSED_BY_DETAIL, ids=_DETAIL_IDS)
    def test_check_answers_one_violation_per_problem_the_detail_causes(
        self, password: str, detail: dict[str, object], code: PasswordCode
    ) -> None:
        assert passwords.check(password) == ()
        (problem,) = password_problems(password, **detail)  # type: ignore[arg-type]
        assert problem.code is code
        (violation,) = passwords.check(password, **detail)  # type: ignore[arg-type]
        assert violation.rule == "SEC-PASSWORD"
        assert violation.message == problem.message

    @pytest.mark.parametrize(("password", "detail", "code"), _REFUSED_BY_DETAIL, ids=_DETAIL_IDS)
    def test_apply_raises_the_problem_the_detail_causes(
        self, password: str, detail: dict[str, object], code: PasswordCode
    ) -> None:
        assert passwords.apply(password) == password
        (problem,) = password_problems(password, **detail)  # type: ignore[arg-type]
        with pytest.raises(RuleViolation) as raised:
            passwords.apply(password, **detail)  # type: ignore[arg-type]
        assert raised.value.rule == "SEC-PASSWORD"
        assert raised.value.message == problem.message

    def test_check_keeps_the_order_of_the_problems(self) -> None:
        problems = password_problems("bamboo")
        assert len(problems) == 3
        assert [v.message for v in passwords.check("bamboo")] == [p.message for p in problems]

    def test_apply_raises_the_first_of_several_problems(self) -> None:
        first = password_problems("bamboo")[0]
        with pytest.raises(RuleViolation) as raised:
            passwords.apply("bamboo")
        assert raised.value.message == first.message


# -- passwords: what counts as words -------------------------------------------------------


class TestPasswordWords:
    def test_a_single_word_neither_mixes_nor_runs_words_together(self) -> None:
        assert _codes("xylophone") == {PasswordCode.DICTIONARY_WORD, PasswordCode.NO_MIX}

    def test_words_after_a_prefix_that_is_no_word_do_not_count_as_a_run(self) -> None:
        assert _codes("xqzjhorsegardenriver") == {PasswordCode.NO_MIX}

    def test_a_one_letter_word_opens_a_run_when_the_policy_counts_one_letter_words(
        self,
    ) -> None:
        one_letter = IdentityPolicy(password_word_min_length=1)
        assert _codes("ixylophone", policy=one_letter) == set()
        assert _codes("ixylophone") == {PasswordCode.NO_MIX}

    def test_a_keyboard_run_off_the_common_list_is_refused_as_a_pattern(self) -> None:
        (run,) = [p for p in password_problems("zyxwvutsrq") if p.code.name == "COMMON_PASSWORD"]
        (listed,) = [p for p in password_problems("123456") if p.code.name == "COMMON_PASSWORD"]
        # Not the common-password sentence: the password is in no list, it is a pattern.
        assert run.message != listed.message


# -- passwords: personal details -----------------------------------------------------------


class TestPasswordPersonalDetails:
    def test_a_dotless_i_in_the_password_still_spells_the_name(self) -> None:
        # "T\u0131m": upper() maps the dotless i to I, so the fold finds "tim".
        assert PasswordCode.CONTAINS_NAME in _codes("t\u0131m2024x", name="Tim")

    def test_a_name_of_short_parts_is_found_without_its_space(self) -> None:
        assert PasswordCode.CONTAINS_NAME in _codes("xliwu9", name="Li Wu")

    def test_the_first_part_of_the_name_is_looked_for(self) -> None:
        assert PasswordCode.CONTAINS_NAME in _codes("x7wolfgang7y", name="Wolfgang Li")

    def test_a_one_letter_name_part_counts_when_the_policy_looks_for_one_letter(self) -> None:
        one = IdentityPolicy(password_personal_min_length=1)
        assert PasswordCode.CONTAINS_NAME in _codes("jam2024", name="J Smith", policy=one)
        assert PasswordCode.CONTAINS_NAME not in _codes("jam2024", name="J Smith")

    def test_the_local_part_is_what_precedes_the_last_at_sign(self) -> None:
        # The local part is "li@wei"; "li" alone is no part of the address looked for.
        assert PasswordCode.CONTAINS_EMAIL not in _codes("lion77x", email="li@wei@example.com")
        assert PasswordCode.CONTAINS_EMAIL in _codes("xli@wei9", email="li@wei@example.com")

    @pytest.mark.parametrize("email", ["@example.com", "li.wei@", "li.wei@ "])
    def test_an_address_without_a_local_part_or_a_domain_is_refused(self, email: str) -> None:
        with pytest.raises(InvalidInput) as raised:
            password_problems("beatlesfan28", email=email)
        assert str(raised.value).startswith(f"email {email!r}")

    def test_a_local_part_of_exactly_the_minimum_length_is_looked_for_without_dots(
        self,
    ) -> None:
        assert PasswordCode.CONTAINS_EMAIL in _codes("xliw9", email="l.iw@example.com")
        assert PasswordCode.CONTAINS_EMAIL not in _codes("xli9", email="l.i@example.com")

    def test_a_one_letter_local_part_counts_when_the_policy_looks_for_one_letter(self) -> None:
        one = IdentityPolicy(password_personal_min_length=1)
        assert PasswordCode.CONTAINS_EMAIL in _codes("xl9z", email="l.@example.com", policy=one)

    def test_the_phone_tail_is_the_last_digits_of_the_number(self) -> None:
        # The number is 8613800138000; its last seven digits are 0138000.
        assert PasswordCode.CONTAINS_PHONE in _codes("fan0138000x", phone=PHONE)
        assert PasswordCode.CONTAINS_PHONE not in _codes("fan138000x", phone=PHONE)

    def test_a_tail_of_one_digit_is_looked_for_when_the_policy_says_so(self) -> None:
        one = IdentityPolicy(password_phone_tail_digits=1)
        assert PasswordCode.CONTAINS_PHONE in _codes("beatlesfan0", phone=PHONE, policy=one)
        assert PasswordCode.CONTAINS_PHONE not in _codes("beatlesfan0", phone=PHONE)

    def test_a_phone_number_in_other_decimal_digits_is_found(self) -> None:
        password = "x" + "13800138000".translate(ARABIC)
        assert _codes(password, phone=PHONE) == {PasswordCode.CONTAINS_PHONE}

    def test_a_birth_year_in_other_decimal_digits_is_found_beside_the_month_name(self) -> None:
        password = "4jul" + "1990".translate(ARABIC)
        assert _codes(password, birth_date=BORN) == {PasswordCode.CONTAINS_BIRTH_DATE}

    @pytest.mark.parametrize("written", ["4790", "4jul90", "jul490", "90jul4"])
    def test_the_birth_date_with_a_two_digit_year_is_found(self, written: str) -> None:
        assert PasswordCode.CONTAINS_BIRTH_DATE in _codes(f"fan{written}x", birth_date=BORN)

    @pytest.mark.parametrize("written", ["407", "704", "074", "47"])
    def test_day_and_month_alone_count_only_as_four_digits(self, written: str) -> None:
        assert PasswordCode.CONTAINS_BIRTH_DATE not in _codes(f"fan{written}x", birth_date=BORN)
